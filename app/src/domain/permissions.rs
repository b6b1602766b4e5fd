//! Who may do what: the one permission table. Every server function and `/api/v1` route
//! asks it (through `backend::auth::authorize`) before doing anything.

use serde::{Deserialize, Serialize};

/// A user's role. Ordered by reach: a manager reads what a developer reads, an admin does
/// everything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum UserRole {
    Developer,
    Manager,
    Admin,
}

impl UserRole {
    pub const ALL: [UserRole; 3] = [UserRole::Developer, UserRole::Manager, UserRole::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            UserRole::Developer => "developer",
            UserRole::Manager => "manager",
            UserRole::Admin => "admin",
        }
    }

    pub fn parse(value: &str) -> Option<UserRole> {
        UserRole::ALL.into_iter().find(|r| r.as_str() == value)
    }

    /// May this role perform `operation`?
    pub fn can(self, operation: Operation) -> bool {
        operation.allowed_roles().contains(&self)
    }
}

impl std::fmt::Display for UserRole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything a signed-in user can ask the portal to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Operation {
    /// See who you are (`/api/v1/me`, the header).
    ViewOwnAccount,
    /// List, create and revoke your own API tokens.
    ManageOwnTokens,
    /// See clusters, services and their state.
    ViewClusters,
    /// Create a cluster.
    CreateCluster,
    /// See task definition families, revisions and their differences.
    ViewTaskDefinitions,
    /// Register a new task definition revision.
    RegisterTaskDefinition,
    /// Deregister a revision.
    DeregisterTaskDefinition,
    /// Read deployment history.
    ViewHistory,
    /// Export deployment history as CSV or JSON.
    ExportHistory,
    /// See the deployment dashboard (frequency, failure rate, lead time, time to restore).
    ViewDashboard,
    /// See IAM roles, their policies and the change requests made through the portal.
    ViewRoles,
    /// Request an IAM change (new role, trust policy, inline or managed policy); withdraw
    /// your own pending request.
    RequestIamChange,
    /// Approve or reject someone else's IAM change request, and retry a failed one.
    ApproveIamChange,
    /// Create a service.
    CreateService,
    /// Deploy a revision to a service, scale it, force a new deployment or roll it back.
    DeployService,
    /// Delete a service (scaled to 0 first).
    DeleteService,
    /// List, add, change and disable users.
    ManageUsers,
    /// Read the audit log (sign-ins, denials, user and token changes).
    ViewAudit,
}

use UserRole::{Admin, Developer, Manager};

impl Operation {
    pub const ALL: [Operation; 18] = [
        Operation::ViewOwnAccount,
        Operation::ManageOwnTokens,
        Operation::ViewClusters,
        Operation::CreateCluster,
        Operation::ViewTaskDefinitions,
        Operation::RegisterTaskDefinition,
        Operation::DeregisterTaskDefinition,
        Operation::ViewHistory,
        Operation::ExportHistory,
        Operation::ViewDashboard,
        Operation::ViewRoles,
        Operation::RequestIamChange,
        Operation::ApproveIamChange,
        Operation::CreateService,
        Operation::DeployService,
        Operation::DeleteService,
        Operation::ManageUsers,
        Operation::ViewAudit,
    ];

    /// The permission table.
    pub fn allowed_roles(self) -> &'static [UserRole] {
        match self {
            Operation::ViewOwnAccount
            | Operation::ManageOwnTokens
            | Operation::ViewClusters
            | Operation::ViewTaskDefinitions
            | Operation::ViewHistory
            | Operation::ExportHistory
            | Operation::ViewRoles => &[Developer, Manager, Admin],
            Operation::ViewDashboard => &[Manager, Admin],
            Operation::CreateCluster
            | Operation::RegisterTaskDefinition
            | Operation::DeregisterTaskDefinition
            | Operation::RequestIamChange
            | Operation::CreateService
            | Operation::DeployService
            | Operation::DeleteService => &[Developer, Admin],
            Operation::ManageUsers | Operation::ViewAudit | Operation::ApproveIamChange => &[Admin],
        }
    }

    /// Words for messages and the audit log.
    pub fn describe(self) -> &'static str {
        match self {
            Operation::ViewOwnAccount => "view your account",
            Operation::ManageOwnTokens => "manage your API tokens",
            Operation::ViewClusters => "view clusters",
            Operation::CreateCluster => "create clusters",
            Operation::ViewTaskDefinitions => "view task definitions",
            Operation::RegisterTaskDefinition => "register task definitions",
            Operation::DeregisterTaskDefinition => "deregister task definitions",
            Operation::ViewHistory => "view deployment history",
            Operation::ExportHistory => "export deployment history",
            Operation::ViewDashboard => "view the deployment dashboard",
            Operation::ViewRoles => "view IAM roles and change requests",
            Operation::RequestIamChange => "request IAM changes",
            Operation::ApproveIamChange => "approve IAM changes",
            Operation::CreateService => "create services",
            Operation::DeployService => "deploy, scale and roll back services",
            Operation::DeleteService => "delete services",
            Operation::ManageUsers => "manage users",
            Operation::ViewAudit => "view the audit log",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each operation × each role, spelled out so a change to the table is a visible change
    /// to this test.
    #[test]
    fn permission_table() {
        let expected: &[(Operation, [bool; 3])] = &[
            //                            developer manager admin
            (Operation::ViewOwnAccount, [true, true, true]),
            (Operation::ManageOwnTokens, [true, true, true]),
            (Operation::ViewClusters, [true, true, true]),
            (Operation::CreateCluster, [true, false, true]),
            (Operation::ViewTaskDefinitions, [true, true, true]),
            (Operation::RegisterTaskDefinition, [true, false, true]),
            (Operation::DeregisterTaskDefinition, [true, false, true]),
            (Operation::ViewHistory, [true, true, true]),
            (Operation::ExportHistory, [true, true, true]),
            (Operation::ViewDashboard, [false, true, true]),
            (Operation::ViewRoles, [true, true, true]),
            (Operation::RequestIamChange, [true, false, true]),
            (Operation::ApproveIamChange, [false, false, true]),
            (Operation::CreateService, [true, false, true]),
            (Operation::DeployService, [true, false, true]),
            (Operation::DeleteService, [true, false, true]),
            (Operation::ManageUsers, [false, false, true]),
            (Operation::ViewAudit, [false, false, true]),
        ];
        assert_eq!(
            expected.len(),
            Operation::ALL.len(),
            "every operation has a row"
        );
        for (operation, allowed) in expected {
            for (role, allowed) in UserRole::ALL.into_iter().zip(allowed) {
                assert_eq!(role.can(*operation), *allowed, "{role} {operation:?}");
            }
        }
    }

    #[test]
    fn admin_can_do_everything_and_managers_only_read() {
        for operation in Operation::ALL {
            assert!(Admin.can(operation), "{operation:?}");
        }
        assert!(!Manager.can(Operation::CreateCluster));
    }

    #[test]
    fn roles_parse_and_serialize_as_lowercase() {
        for role in UserRole::ALL {
            assert_eq!(UserRole::parse(role.as_str()), Some(role));
            assert_eq!(serde_json::to_value(role).unwrap(), role.as_str());
        }
        assert_eq!(UserRole::parse("Admin"), None);
        assert_eq!(UserRole::parse("root"), None);
    }
}
