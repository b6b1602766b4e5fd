//! Clusters: what a user asks for and what the portal shows.

use super::names::validate_ecs_name;
use crate::error::FieldError;
use serde::{Deserialize, Serialize};

/// The label of the form field, also used in messages.
pub const CLUSTER_NAME_LABEL: &str = "Cluster name";

/// A request to create a cluster, as submitted by a form or the API.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateClusterRequest {
    pub cluster_name: String,
}

impl CreateClusterRequest {
    /// Every problem with the request, each tied to its field. Empty when valid.
    pub fn validate(&self) -> Vec<FieldError> {
        validate_cluster_name(&self.cluster_name)
            .err()
            .map(|message| {
                FieldError::new("clusterName", message).with_rejected(&self.cluster_name)
            })
            .into_iter()
            .collect()
    }
}

/// Checks a cluster name: 1-255 letters, digits, hyphens and underscores.
pub fn validate_cluster_name(name: &str) -> Result<(), String> {
    validate_ecs_name(CLUSTER_NAME_LABEL, name)
}

/// One cluster as the list page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ClusterSummary {
    pub name: String,
    pub arn: String,
    pub status: String,
    pub running_tasks: i32,
    pub pending_tasks: i32,
    pub active_services: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_name_rules() {
        let long_ok = "a".repeat(255);
        let too_long = "a".repeat(256);
        let cases: &[(&str, Result<(), &str>)] = &[
            ("fastapi-cluster", Ok(())),
            ("a", Ok(())),
            ("Under_score-123", Ok(())),
            ("0", Ok(())),
            (&long_ok, Ok(())),
            ("", Err("Cluster name is required.")),
            (&too_long, Err("Cluster name is 256 characters long; the limit is 255.")),
            (
                "my cluster",
                Err("Cluster name may contain only letters, digits, hyphens and underscores (found a space)."),
            ),
            (
                "prod.cluster",
                Err("Cluster name may contain only letters, digits, hyphens and underscores (found '.')."),
            ),
            (
                "café",
                Err("Cluster name may contain only letters, digits, hyphens and underscores (found 'é')."),
            ),
            (
                "a/b",
                Err("Cluster name may contain only letters, digits, hyphens and underscores (found '/')."),
            ),
            (" lead", Err("Cluster name must not start or end with spaces.")),
            ("trail ", Err("Cluster name must not start or end with spaces.")),
        ];
        for (input, expected) in cases {
            let got = validate_cluster_name(input);
            assert_eq!(got, expected.map_err(str::to_string), "input {input:?}");
        }
    }

    #[test]
    fn request_reports_the_field() {
        let errors = CreateClusterRequest {
            cluster_name: "bad name".into(),
        }
        .validate();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "clusterName");
        assert!(CreateClusterRequest {
            cluster_name: "ok".into()
        }
        .validate()
        .is_empty());
    }
}
