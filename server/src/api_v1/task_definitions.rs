//! `/api/v1/task-definitions`: families, revisions, registering and deregistering.

use super::extract::{operation, Allowed};
use app::{
    backend::{auth::Caller, ops, AppState},
    domain::task_definitions::{RegisteredTaskDefinition, RevisionSummary, TaskDefinitionRevision},
    error::{ApiErrorBody, AppError},
};
use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    Json,
};
use utoipa_axum::{router::OpenApiRouter, routes};

/// Adds the routes of this module.
pub fn routes(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    router
        .routes(routes!(
            list_task_definition_families,
            register_task_definition
        ))
        .routes(routes!(list_task_definition_revisions))
        .routes(routes!(
            describe_task_definition,
            deregister_task_definition
        ))
}

/// Task definition families with at least one active revision.
#[utoipa::path(get, path = "/api/v1/task-definitions", tag = "task definitions",
    responses((status = 200, body = Vec<String>), (status = 401, body = ApiErrorBody)))]
async fn list_task_definition_families(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<String>>, AppError> {
    Ok(Json(
        ops::task_definitions::list_families(&state, &caller).await?,
    ))
}

/// Options of `POST /api/v1/task-definitions`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RegisterOptions {
    /// Create the CloudWatch Logs groups its awslogs containers write to (default false).
    pub create_log_groups: Option<bool>,
}

/// Registers a task definition. The body is what `aws ecs register-task-definition
/// --cli-input-json` takes (DescribeTaskDefinition output works too: its read-only fields
/// are ignored). Keys the portal does not know are refused with 422.
#[utoipa::path(post, path = "/api/v1/task-definitions", tag = "task definitions",
    request_body(content = Object, description = "RegisterTaskDefinition JSON"),
    params(RegisterOptions),
    responses((status = 201, body = RegisteredTaskDefinition), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn register_task_definition(
    State(state): State<AppState>,
    Query(options): Query<RegisterOptions>,
    Allowed(caller, _): Allowed<operation::RegisterTaskDefinition>,
    body: String,
) -> Result<(StatusCode, Json<RegisteredTaskDefinition>), AppError> {
    let spec = ops::task_definitions::parse_json(&body)?;
    let create_log_groups = options.create_log_groups.unwrap_or(false);
    let registered =
        ops::task_definitions::register(&state, &caller, spec, create_log_groups).await?;
    Ok((StatusCode::CREATED, Json(registered)))
}

/// The revisions of a family, newest first (active and deregistered).
#[utoipa::path(get, path = "/api/v1/task-definitions/{family}", tag = "task definitions",
    params(("family" = String, Path)),
    responses((status = 200, body = Vec<RevisionSummary>), (status = 404, body = ApiErrorBody)))]
async fn list_task_definition_revisions(
    State(state): State<AppState>,
    Path(family): Path<String>,
    caller: Caller,
) -> Result<Json<Vec<RevisionSummary>>, AppError> {
    Ok(Json(
        ops::task_definitions::list_revisions(&state, &caller, &family).await?,
    ))
}

/// One revision: status, who registered it and when, and its definition.
#[utoipa::path(get, path = "/api/v1/task-definitions/{family}/{revision}", tag = "task definitions",
    params(("family" = String, Path), ("revision" = i32, Path)),
    responses((status = 200, body = TaskDefinitionRevision), (status = 404, body = ApiErrorBody)))]
async fn describe_task_definition(
    State(state): State<AppState>,
    Path((family, revision)): Path<(String, i32)>,
    caller: Caller,
) -> Result<Json<TaskDefinitionRevision>, AppError> {
    Ok(Json(
        ops::task_definitions::describe(&state, &caller, &family, revision).await?,
    ))
}

/// Deregisters a revision (recorded in history).
#[utoipa::path(delete, path = "/api/v1/task-definitions/{family}/{revision}", tag = "task definitions",
    params(("family" = String, Path), ("revision" = i32, Path)),
    responses((status = 200, body = RevisionSummary), (status = 404, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody)))]
async fn deregister_task_definition(
    State(state): State<AppState>,
    Path((family, revision)): Path<(String, i32)>,
    caller: Caller,
) -> Result<Json<RevisionSummary>, AppError> {
    Ok(Json(
        ops::task_definitions::deregister(&state, &caller, &family, revision).await?,
    ))
}
