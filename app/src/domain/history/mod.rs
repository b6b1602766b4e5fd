//! Deployment history: one row per action the portal performed, with its outcome.
//!
//! Submodules: what a row is about ([`subject`]), searching it ([`filter`], [`cursor`]),
//! dates ([`time`]), exporting it ([`export`]) and the dashboard ([`metrics`], [`chart`]).

pub mod chart;
pub mod cursor;
pub mod detail;
pub mod export;
pub mod filter;
pub mod metrics;
pub mod subject;
pub mod time;

use serde::{Deserialize, Serialize};

/// Where an action stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HistoryStatus {
    Pending,
    Succeeded,
    Failed,
}

impl HistoryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            HistoryStatus::Pending => "pending",
            HistoryStatus::Succeeded => "succeeded",
            HistoryStatus::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "pending" => Some(HistoryStatus::Pending),
            "succeeded" => Some(HistoryStatus::Succeeded),
            "failed" => Some(HistoryStatus::Failed),
            _ => None,
        }
    }
}

/// What kind of action a row records. Stored as its string, e.g. `cluster.create`.
///
/// The `target` column follows one convention per kind, so history can be filtered by
/// what it touched (see [`HistoryKind::target_convention`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum HistoryKind {
    #[serde(rename = "cluster.create")]
    ClusterCreate,
    #[serde(rename = "task_definition.register")]
    TaskDefinitionRegister,
    #[serde(rename = "task_definition.deregister")]
    TaskDefinitionDeregister,
    #[serde(rename = "change_request.create")]
    ChangeRequestCreate,
    #[serde(rename = "change_request.approve")]
    ChangeRequestApprove,
    #[serde(rename = "change_request.reject")]
    ChangeRequestReject,
    #[serde(rename = "change_request.withdraw")]
    ChangeRequestWithdraw,
    #[serde(rename = "change_request.apply")]
    ChangeRequestApply,
    #[serde(rename = "service.create")]
    ServiceCreate,
    #[serde(rename = "service.deploy")]
    ServiceDeploy,
    #[serde(rename = "service.scale")]
    ServiceScale,
    #[serde(rename = "service.force_deployment")]
    ServiceForceDeployment,
    #[serde(rename = "service.rollback")]
    ServiceRollback,
    #[serde(rename = "service.delete")]
    ServiceDelete,
    #[serde(rename = "rollout")]
    Rollout,
}

impl HistoryKind {
    pub const ALL: [HistoryKind; 15] = [
        HistoryKind::ClusterCreate,
        HistoryKind::TaskDefinitionRegister,
        HistoryKind::TaskDefinitionDeregister,
        HistoryKind::ChangeRequestCreate,
        HistoryKind::ChangeRequestApprove,
        HistoryKind::ChangeRequestReject,
        HistoryKind::ChangeRequestWithdraw,
        HistoryKind::ChangeRequestApply,
        HistoryKind::ServiceCreate,
        HistoryKind::ServiceDeploy,
        HistoryKind::ServiceScale,
        HistoryKind::ServiceForceDeployment,
        HistoryKind::ServiceRollback,
        HistoryKind::ServiceDelete,
        HistoryKind::Rollout,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HistoryKind::ClusterCreate => "cluster.create",
            HistoryKind::TaskDefinitionRegister => "task_definition.register",
            HistoryKind::TaskDefinitionDeregister => "task_definition.deregister",
            HistoryKind::ChangeRequestCreate => "change_request.create",
            HistoryKind::ChangeRequestApprove => "change_request.approve",
            HistoryKind::ChangeRequestReject => "change_request.reject",
            HistoryKind::ChangeRequestWithdraw => "change_request.withdraw",
            HistoryKind::ChangeRequestApply => "change_request.apply",
            HistoryKind::ServiceCreate => "service.create",
            HistoryKind::ServiceDeploy => "service.deploy",
            HistoryKind::ServiceScale => "service.scale",
            HistoryKind::ServiceForceDeployment => "service.force_deployment",
            HistoryKind::ServiceRollback => "service.rollback",
            HistoryKind::ServiceDelete => "service.delete",
            HistoryKind::Rollout => "rollout",
        }
    }

    /// Words for people, e.g. in the recent-history panel.
    pub fn describe(self) -> &'static str {
        match self {
            HistoryKind::ClusterCreate => "Create cluster",
            HistoryKind::TaskDefinitionRegister => "Register task definition",
            HistoryKind::TaskDefinitionDeregister => "Deregister task definition",
            HistoryKind::ChangeRequestCreate => "Request IAM change",
            HistoryKind::ChangeRequestApprove => "Approve IAM change",
            HistoryKind::ChangeRequestReject => "Reject IAM change",
            HistoryKind::ChangeRequestWithdraw => "Withdraw IAM change",
            HistoryKind::ChangeRequestApply => "Apply IAM change",
            HistoryKind::ServiceCreate => "Create service",
            HistoryKind::ServiceDeploy => "Deploy revision",
            HistoryKind::ServiceScale => "Scale service",
            HistoryKind::ServiceForceDeployment => "Force new deployment",
            HistoryKind::ServiceRollback => "Roll back service",
            HistoryKind::ServiceDelete => "Delete service",
            HistoryKind::Rollout => "Rollout",
        }
    }

    /// What the `target` column holds for this kind.
    pub fn target_convention(self) -> &'static str {
        match self {
            HistoryKind::ClusterCreate => "<cluster>",
            HistoryKind::TaskDefinitionRegister => "<family>",
            HistoryKind::TaskDefinitionDeregister => "<family>:<revision>",
            HistoryKind::ChangeRequestCreate
            | HistoryKind::ChangeRequestApprove
            | HistoryKind::ChangeRequestReject
            | HistoryKind::ChangeRequestWithdraw
            | HistoryKind::ChangeRequestApply => "<role name>",
            HistoryKind::ServiceCreate
            | HistoryKind::ServiceDeploy
            | HistoryKind::ServiceScale
            | HistoryKind::ServiceForceDeployment
            | HistoryKind::ServiceRollback
            | HistoryKind::ServiceDelete
            | HistoryKind::Rollout => "<cluster>/<service>",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        HistoryKind::ALL.into_iter().find(|k| k.as_str() == value)
    }
}

/// One row of history as pages and the API show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub id: i64,
    pub kind: String,
    pub target: String,
    pub actor: String,
    pub status: HistoryStatus,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub duration_ms: Option<i64>,
    pub request: serde_json::Value,
    pub response: Option<serde_json::Value>,
    pub error: Option<String>,
}

impl HistoryEntry {
    /// The kind in words, falling back to the stored code for kinds this build does not know.
    pub fn kind_label(&self) -> String {
        HistoryKind::parse(&self.kind)
            .map(|k| k.describe().to_string())
            .unwrap_or_else(|| self.kind.clone())
    }
}

/// Shows an RFC 3339 UTC timestamp as `2026-11-26 04:50:12` (seconds precision).
pub fn display_time(rfc3339: &str) -> String {
    let trimmed = rfc3339.trim_end_matches('Z');
    let without_fraction = trimmed.split('.').next().unwrap_or(trimmed);
    without_fraction.replacen('T', " ", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_kind_round_trip() {
        for s in [
            HistoryStatus::Pending,
            HistoryStatus::Succeeded,
            HistoryStatus::Failed,
        ] {
            assert_eq!(HistoryStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for k in HistoryKind::ALL {
            assert_eq!(HistoryKind::parse(k.as_str()), Some(k));
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        assert_eq!(HistoryStatus::parse("done"), None);
    }

    #[test]
    fn shows_seconds_without_t_or_fraction() {
        assert_eq!(
            display_time("2026-11-26T04:50:12.345Z"),
            "2026-11-26 04:50:12"
        );
        assert_eq!(display_time("2026-11-26T04:50:12Z"), "2026-11-26 04:50:12");
        assert_eq!(display_time("garbage"), "garbage");
    }
}
