//! Cluster use-cases.

use super::history::record;
use crate::{
    backend::{auth::Caller, AppState},
    domain::{
        clusters::{ClusterSummary, CreateClusterRequest},
        history::HistoryKind,
        permissions::Operation,
    },
    error::AppError,
};

pub async fn list_clusters(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<ClusterSummary>, AppError> {
    caller.require(&state.db, Operation::ViewClusters).await?;
    state.aws.list_clusters().await
}

/// Authorizes, validates, records and creates a cluster. Invalid input is refused before
/// anything is recorded or sent to AWS.
pub async fn create_cluster(
    state: &AppState,
    caller: &Caller,
    request: CreateClusterRequest,
) -> Result<ClusterSummary, AppError> {
    caller.require(&state.db, Operation::CreateCluster).await?;
    let problems = request.validate();
    if !problems.is_empty() {
        return Err(AppError::validation(problems));
    }
    record(
        &state.db,
        caller.name(),
        HistoryKind::ClusterCreate,
        &request.cluster_name,
        &request,
        state.aws.create_cluster(&request.cluster_name),
    )
    .await
}
