//! `/api/v1/clusters`: list and create clusters.

use super::extract::{operation, Allowed, JsonBody};
use app::{
    backend::{auth::Caller, ops, AppState},
    domain::clusters::{ClusterSummary, CreateClusterRequest},
    error::{ApiErrorBody, AppError},
};
use axum::{extract::State, http::StatusCode, Json};
use utoipa_axum::{router::OpenApiRouter, routes};

/// Adds the routes of this module.
pub fn routes(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    router.routes(routes!(list_clusters, create_cluster))
}

/// Every cluster in the portal's account and region.
#[utoipa::path(get, path = "/api/v1/clusters", tag = "clusters",
    responses((status = 200, body = Vec<ClusterSummary>), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 502, body = ApiErrorBody)))]
async fn list_clusters(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<ClusterSummary>>, AppError> {
    Ok(Json(ops::clusters::list_clusters(&state, &caller).await?))
}

/// Creates a cluster (recorded in history).
#[utoipa::path(post, path = "/api/v1/clusters", tag = "clusters", request_body = CreateClusterRequest,
    responses((status = 201, body = ClusterSummary), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
async fn create_cluster(
    State(state): State<AppState>,
    Allowed(caller, _): Allowed<operation::CreateCluster>,
    JsonBody(request): JsonBody<CreateClusterRequest>,
) -> Result<(StatusCode, Json<ClusterSummary>), AppError> {
    let created = ops::clusters::create_cluster(&state, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(created)))
}
