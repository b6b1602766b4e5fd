//! Task definitions as ECS holds them: registered revisions and their families.

use super::TaskDefinitionSpec;
use serde::{Deserialize, Serialize};

/// What registering answers: the new revision's identity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RegisteredTaskDefinition {
    pub task_definition_arn: String,
    pub family: String,
    pub revision: i32,
    /// CloudWatch Logs groups created for it (when asked to).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub log_groups_created: Vec<String>,
}

/// The CloudWatch Logs groups the spec's awslogs containers write to, each once.
pub fn awslogs_groups(spec: &TaskDefinitionSpec) -> Vec<String> {
    let mut groups: Vec<String> = spec
        .container_definitions
        .iter()
        .filter_map(|c| c.log_configuration.as_ref())
        .filter(|l| l.log_driver == "awslogs")
        .filter_map(|l| l.options.get("awslogs-group").cloned())
        .collect();
    groups.sort();
    groups.dedup();
    groups
}

/// One revision of a family, with what ECS says about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinitionRevision {
    pub task_definition_arn: String,
    pub family: String,
    pub revision: i32,
    /// `ACTIVE`, `INACTIVE` (deregistered) or `DELETE_IN_PROGRESS`.
    pub status: String,
    /// RFC 3339.
    pub registered_at: Option<String>,
    pub registered_by: Option<String>,
    /// The definition in the RegisterTaskDefinition shape.
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub spec: TaskDefinitionSpec,
}

/// A revision in a family's list (without its definition).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct RevisionSummary {
    pub task_definition_arn: String,
    pub revision: i32,
    pub status: String,
    /// RFC 3339 (listed for the newest revisions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub registered_by: Option<String>,
}

/// The family and revision at the end of a task definition ARN
/// (`arn:aws:ecs:region:account:task-definition/family:3` → `("family", 3)`).
pub fn parse_task_definition_arn(arn: &str) -> Option<(String, i32)> {
    let (_, tail) = arn.rsplit_once("task-definition/")?;
    let (family, revision) = tail.rsplit_once(':')?;
    Some((family.to_string(), revision.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn awslogs_groups_are_listed_once() {
        let seed = r#"{"family":"f","containerDefinitions":[
            {"name":"a","image":"x","logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/f"}}},
            {"name":"b","image":"x","logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/f"}}},
            {"name":"c","image":"x","logConfiguration":{"logDriver":"splunk","options":{"awslogs-group":"/not"}}},
            {"name":"d","image":"x"}]}"#;
        let spec: TaskDefinitionSpec = serde_json::from_str(seed).unwrap();
        assert_eq!(awslogs_groups(&spec), ["/ecs/f"]);
    }

    #[test]
    fn arns_give_family_and_revision() {
        assert_eq!(
            parse_task_definition_arn(
                "arn:aws:ecs:us-east-1:123456789012:task-definition/fastapi-books:12"
            ),
            Some(("fastapi-books".to_string(), 12))
        );
        assert_eq!(
            parse_task_definition_arn("arn:aws:ecs:us-east-1:1:task-definition/x"),
            None
        );
        assert_eq!(parse_task_definition_arn("nonsense"), None);
        assert_eq!(
            parse_task_definition_arn("arn:aws:ecs:r:1:task-definition/f:abc"),
            None
        );
    }
}
