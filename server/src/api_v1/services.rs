//! `/api/v1` for services and rollouts: create a service, deploy a revision, scale, force a
//! new deployment, roll back, delete, and wait for a rollout's outcome.

use super::extract::{operation, Allowed, JsonBody};
use app::{
    backend::{auth::Caller, ops, AppState},
    domain::services::{
        rollouts::Rollout, DeploymentStarted, ServiceSpec, ServiceSummary, ValidServiceSpec,
    },
    error::{ApiErrorBody, AppError},
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

/// Adds the routes of this module.
pub fn routes(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    router
        .routes(routes!(create_service))
        .routes(routes!(list_services))
        .routes(routes!(deploy_service))
        .routes(routes!(scale_service))
        .routes(routes!(force_deployment))
        .routes(routes!(rollback_service))
        .routes(routes!(delete_service))
        .routes(routes!(get_rollout))
}

/// Body of `POST /api/v1/services/{cluster}/{service}/deployments`.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeployRequest {
    /// `family:revision`.
    pub task_definition: String,
}

/// Body of `POST /api/v1/services/{cluster}/{service}/scale`.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScaleRequest {
    pub desired_count: i32,
}

/// Query of `DELETE /api/v1/services/{cluster}/{service}`.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteConfirmation {
    /// The service name again, to confirm.
    pub confirm: Option<String>,
}

type Started = Result<(StatusCode, Json<DeploymentStarted>), AppError>;

/// Creates a Fargate service and starts its first rollout. The body is the CreateService
/// API's JSON (`cluster`, `serviceName`, `taskDefinition` as `family:revision`,
/// `desiredCount`, `launchType`, `networkConfiguration.awsvpcConfiguration`,
/// `deploymentConfiguration`, ...). A name already used in the cluster is refused (409).
#[utoipa::path(post, path = "/api/v1/services", tag = "services", request_body = ServiceSpec,
    responses((status = 201, body = DeploymentStarted), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 409, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody), (status = 502, body = ApiErrorBody)))]
async fn create_service(
    State(state): State<AppState>,
    Allowed(caller, _): Allowed<operation::CreateService>,
    JsonBody(spec): JsonBody<ServiceSpec>,
) -> Started {
    let spec = ValidServiceSpec::parse(spec).map_err(AppError::validation)?;
    let started = ops::services::create_service(&state, &caller, spec).await?;
    Ok((StatusCode::CREATED, Json(started)))
}

/// The services of a cluster with their running and desired counts.
#[utoipa::path(get, path = "/api/v1/clusters/{cluster}/services", tag = "services",
    params(("cluster" = String, Path)),
    responses((status = 200, body = Vec<ServiceSummary>), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
async fn list_services(
    State(state): State<AppState>,
    Path(cluster): Path<String>,
    caller: Caller,
) -> Result<Json<Vec<ServiceSummary>>, AppError> {
    Ok(Json(
        ops::services::list_services(&state, &caller, &cluster).await?,
    ))
}

/// Deploys another revision (UpdateService) and starts a rollout; poll
/// `GET /api/v1/rollouts/{rolloutId}` for its outcome.
#[utoipa::path(post, path = "/api/v1/services/{cluster}/{service}/deployments", tag = "services",
    params(("cluster" = String, Path), ("service" = String, Path)), request_body = DeployRequest,
    responses((status = 202, body = DeploymentStarted), (status = 404, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
async fn deploy_service(
    State(state): State<AppState>,
    Path((cluster, service)): Path<(String, String)>,
    Allowed(caller, _): Allowed<operation::DeployService>,
    JsonBody(request): JsonBody<DeployRequest>,
) -> Started {
    let revision = &request.task_definition;
    let started = ops::services::deploy(&state, &caller, &cluster, &service, revision).await?;
    Ok((StatusCode::ACCEPTED, Json(started)))
}

/// Sets the desired count and starts a rollout.
#[utoipa::path(post, path = "/api/v1/services/{cluster}/{service}/scale", tag = "services",
    params(("cluster" = String, Path), ("service" = String, Path)), request_body = ScaleRequest,
    responses((status = 202, body = DeploymentStarted), (status = 404, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
async fn scale_service(
    State(state): State<AppState>,
    Path((cluster, service)): Path<(String, String)>,
    Allowed(caller, _): Allowed<operation::DeployService>,
    JsonBody(request): JsonBody<ScaleRequest>,
) -> Started {
    let started =
        ops::services::scale(&state, &caller, &cluster, &service, request.desired_count).await?;
    Ok((StatusCode::ACCEPTED, Json(started)))
}

/// Replaces every task with a fresh one of the same revision, and starts a rollout.
#[utoipa::path(post, path = "/api/v1/services/{cluster}/{service}/force-deployment", tag = "services",
    params(("cluster" = String, Path), ("service" = String, Path)),
    responses((status = 202, body = DeploymentStarted), (status = 404, body = ApiErrorBody)))]
async fn force_deployment(
    State(state): State<AppState>,
    Path((cluster, service)): Path<(String, String)>,
    caller: Caller,
) -> Started {
    let started = ops::services::force_deployment(&state, &caller, &cluster, &service).await?;
    Ok((StatusCode::ACCEPTED, Json(started)))
}

/// Deploys the newest revision, other than the one in use, whose rollout completed on this
/// service; recorded as a rollout with trigger `rollback`.
#[utoipa::path(post, path = "/api/v1/services/{cluster}/{service}/rollback", tag = "services",
    params(("cluster" = String, Path), ("service" = String, Path)),
    responses((status = 202, body = DeploymentStarted), (status = 404, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody)))]
async fn rollback_service(
    State(state): State<AppState>,
    Path((cluster, service)): Path<(String, String)>,
    caller: Caller,
) -> Started {
    let started = ops::services::rollback(&state, &caller, &cluster, &service).await?;
    Ok((StatusCode::ACCEPTED, Json(started)))
}

/// Scales the service to 0 and deletes it. `?confirm=<service name>` is required.
#[utoipa::path(delete, path = "/api/v1/services/{cluster}/{service}", tag = "services",
    params(("cluster" = String, Path), ("service" = String, Path), DeleteConfirmation),
    responses((status = 200, body = ServiceSummary), (status = 404, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
async fn delete_service(
    State(state): State<AppState>,
    Path((cluster, service)): Path<(String, String)>,
    Query(confirmation): Query<DeleteConfirmation>,
    caller: Caller,
) -> Result<Json<ServiceSummary>, AppError> {
    let confirm = confirmation.confirm.unwrap_or_default();
    Ok(Json(
        ops::services::delete(&state, &caller, &cluster, &service, &confirm).await?,
    ))
}

/// A rollout: `status` is `in_progress`, `completed`, `failed`, `rolled_back` or
/// `timed_out`; `progress` is the percentage of desired tasks the new deployment runs.
#[utoipa::path(get, path = "/api/v1/rollouts/{id}", tag = "services",
    params(("id" = i64, Path)),
    responses((status = 200, body = Rollout), (status = 401, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody)))]
async fn get_rollout(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
) -> Result<Json<Rollout>, AppError> {
    Ok(Json(ops::rollouts::get(&state, &caller, id).await?))
}
