//! Cluster use-cases.

use super::history::record;
use crate::{
    backend::AppState,
    domain::{
        clusters::{ClusterSummary, CreateClusterRequest},
        history::HistoryKind,
    },
    error::AppError,
};

pub async fn list_clusters(state: &AppState) -> Result<Vec<ClusterSummary>, AppError> {
    state.aws.list_clusters().await
}

/// Validates, records and creates a cluster. Invalid input is refused before anything is
/// recorded or sent to AWS.
pub async fn create_cluster(
    state: &AppState,
    actor: &str,
    request: CreateClusterRequest,
) -> Result<ClusterSummary, AppError> {
    let problems = request.validate();
    if !problems.is_empty() {
        return Err(AppError::validation(problems));
    }
    record(
        &state.db,
        actor,
        HistoryKind::ClusterCreate,
        &request.cluster_name,
        &request,
        state.aws.create_cluster(&request.cluster_name),
    )
    .await
}
