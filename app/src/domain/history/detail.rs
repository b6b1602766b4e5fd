//! One history row as its detail page and `GET /api/v1/history/{id}` show it.

use super::HistoryEntry;
use crate::domain::task_definitions::FieldChange;
use serde::{Deserialize, Serialize};

/// A row, the rows that belong with it, and for a rollout what it changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryDetail {
    pub entry: HistoryEntry,
    /// Oldest first: the other steps of the same IAM change request, the service action
    /// that started a rollout, or the rollout a service action started.
    pub related: Vec<HistoryEntry>,
    /// For a rollout: the task definition it replaced and the one it deployed.
    pub rollout_diff: Option<RolloutDiff>,
}

/// The task definition change a rollout deployed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutDiff {
    /// `family:revision`, `None` for a service's first rollout.
    pub from: Option<String>,
    pub to: String,
    /// Field by field; `None` when there is nothing to compare or it could not be read.
    pub changes: Option<Vec<FieldChange>>,
    /// Why there are no changes to show, in plain words.
    pub note: Option<String>,
}

/// `(family, revision)` out of `family:revision` or a task definition ARN.
pub fn split_revision(value: &str) -> Option<(String, i32)> {
    let value = value
        .rsplit_once("task-definition/")
        .map_or(value, |(_, rest)| rest);
    let (family, revision) = value.rsplit_once(':')?;
    let revision = revision.parse().ok().filter(|r| *r > 0)?;
    (!family.is_empty()).then(|| (family.to_string(), revision))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_split_from_names_and_arns() {
        assert_eq!(split_revision("web:7"), Some(("web".into(), 7)));
        assert_eq!(
            split_revision("arn:aws:ecs:us-east-1:123:task-definition/web-app:12"),
            Some(("web-app".into(), 12))
        );
        for bad in ["web", "web:", ":3", "web:0", "web:x"] {
            assert_eq!(split_revision(bad), None, "{bad}");
        }
    }
}
