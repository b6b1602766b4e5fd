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
mod tests;
