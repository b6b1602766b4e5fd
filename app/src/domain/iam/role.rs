//! Roles as the roles pages and the API show them, and the live state of one role that a
//! change request compares against.

use super::change_request::ChangeRequest;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One row of the roles list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RoleSummary {
    pub name: String,
    pub arn: String,
    pub description: Option<String>,
    /// The trust policy lets `ecs-tasks.amazonaws.com` assume the role.
    pub trusts_ecs_tasks: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AttachedPolicy {
    pub name: String,
    pub arn: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct InlinePolicy {
    pub name: String,
    /// The decoded document.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub document: Value,
}

/// A version of an inline policy as the portal applied it (IAM keeps none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PolicyVersion {
    pub role_name: String,
    pub policy_name: String,
    /// 1, 2, ... per role and policy name.
    pub version: i64,
    /// `None`: this version deleted the policy.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub document: Option<Value>,
    pub change_request_id: i64,
    pub applied_at: String,
    pub applied_by: String,
}

/// A role with its policies and what the portal changed on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RoleDetail {
    pub name: String,
    pub arn: String,
    pub description: Option<String>,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub trust_policy: Value,
    pub trusts_ecs_tasks: bool,
    pub inline_policies: Vec<InlinePolicy>,
    pub attached_policies: Vec<AttachedPolicy>,
    /// Every version the portal applied, oldest first, of every inline policy (also of
    /// policies deleted since).
    pub policy_versions: Vec<PolicyVersion>,
    /// Change requests for this role, newest first.
    pub change_requests: Vec<ChangeRequest>,
}

impl RoleDetail {
    /// The portal's versions of one inline policy, oldest first.
    pub fn versions_of(&self, policy_name: &str) -> Vec<PolicyVersion> {
        self.policy_versions
            .iter()
            .filter(|v| v.policy_name == policy_name)
            .cloned()
            .collect()
    }

    /// Names of inline policies that exist now or have portal versions, sorted.
    pub fn policy_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .inline_policies
            .iter()
            .map(|p| p.name.clone())
            .chain(self.policy_versions.iter().map(|v| v.policy_name.clone()))
            .collect();
        names.sort();
        names.dedup();
        names
    }
}
