//! `/api/v1/change-requests` and `/api/v1/roles`: IAM change requests (request, approve,
//! reject, withdraw, retry) and the roles they change. Thin wrappers over
//! `app::backend::ops::{change_requests, roles}`.

use super::extract::{operation, Allowed, JsonBody};
use app::{
    backend::{auth::Caller, ops, AppState},
    domain::iam::{
        change_request::{ChangeRequest, ChangeRequestInput, CreatedChangeRequest},
        role::{RoleDetail, RoleSummary},
    },
    error::{ApiErrorBody, AppError},
};
use axum::{
    body::Bytes,
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
        .routes(routes!(list_change_requests, create_change_request))
        .routes(routes!(get_change_request))
        .routes(routes!(approve_change_request))
        .routes(routes!(reject_change_request))
        .routes(routes!(withdraw_change_request))
        .routes(routes!(retry_change_request))
        .routes(routes!(list_roles))
        .routes(routes!(describe_role))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListFilter {
    /// `pending`, `approved`, `applied`, `failed`, `rejected` or `withdrawn`.
    pub status: Option<String>,
}

/// Change requests, newest first.
#[utoipa::path(get, path = "/api/v1/change-requests", tag = "iam", params(ListFilter),
    responses((status = 200, body = Vec<ChangeRequest>), (status = 401, body = ApiErrorBody),
              (status = 422, body = ApiErrorBody)))]
async fn list_change_requests(
    State(state): State<AppState>,
    Query(filter): Query<ListFilter>,
    caller: Caller,
) -> Result<Json<Vec<ChangeRequest>>, AppError> {
    Ok(Json(
        ops::change_requests::list(&state, &caller, filter.status.as_deref(), None).await?,
    ))
}

/// Requests an IAM change. Nothing is executed: the request waits for an admin other than
/// the requester. Documents are JSON objects (or strings of JSON).
#[utoipa::path(post, path = "/api/v1/change-requests", tag = "iam", request_body = ChangeRequestInput,
    responses((status = 201, body = CreatedChangeRequest), (status = 401, body = ApiErrorBody),
              (status = 403, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn create_change_request(
    State(state): State<AppState>,
    Allowed(caller, _): Allowed<operation::RequestIamChange>,
    JsonBody(input): JsonBody<ChangeRequestInput>,
) -> Result<(StatusCode, Json<CreatedChangeRequest>), AppError> {
    let created = ops::change_requests::create(&state, &caller, input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One request: payload and its SHA-256, before, after, diff, findings, status, review.
#[utoipa::path(get, path = "/api/v1/change-requests/{id}", tag = "iam",
    params(("id" = i64, Path)),
    responses((status = 200, body = ChangeRequest), (status = 404, body = ApiErrorBody)))]
async fn get_change_request(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
) -> Result<Json<ChangeRequest>, AppError> {
    Ok(Json(ops::change_requests::get(&state, &caller, id).await?))
}

/// Body of approve and reject.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct Review {
    /// Required to reject.
    #[serde(default)]
    pub comment: Option<String>,
    /// Approve although the role changed in IAM since the request was made.
    #[serde(default)]
    pub confirm_drift: bool,
}

impl Review {
    /// The review in a body; an empty body is an empty review.
    fn from_body(body: &[u8]) -> Result<Review, AppError> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Review::default());
        }
        serde_json::from_slice(body).map_err(|e| AppError::Request {
            message: format!("The body is not a review ({{\"comment\", \"confirmDrift\"}}): {e}"),
        })
    }
}

/// Approves and executes the stored payload exactly once. 200 with the final status
/// (`applied` or `failed`); 403 for the requester; 409 when already decided, when the
/// linter found errors, or when the role drifted and `confirmDrift` is not set.
#[utoipa::path(post, path = "/api/v1/change-requests/{id}/approve", tag = "iam",
    params(("id" = i64, Path)), request_body = Review,
    responses((status = 200, body = ChangeRequest), (status = 403, body = ApiErrorBody),
              (status = 404, body = ApiErrorBody), (status = 409, body = ApiErrorBody)))]
async fn approve_change_request(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Allowed(caller, _): Allowed<operation::ApproveIamChange>,
    body: Bytes,
) -> Result<Json<ChangeRequest>, AppError> {
    let review = Review::from_body(&body)?;
    Ok(Json(
        ops::change_requests::approve(&state, &caller, id, review.comment, review.confirm_drift)
            .await?,
    ))
}

/// Rejects a pending request (a comment is required). Nothing reaches IAM.
#[utoipa::path(post, path = "/api/v1/change-requests/{id}/reject", tag = "iam",
    params(("id" = i64, Path)), request_body = Review,
    responses((status = 200, body = ChangeRequest), (status = 403, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn reject_change_request(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Allowed(caller, _): Allowed<operation::ApproveIamChange>,
    body: Bytes,
) -> Result<Json<ChangeRequest>, AppError> {
    let review = Review::from_body(&body)?;
    Ok(Json(
        ops::change_requests::reject(&state, &caller, id, review.comment.unwrap_or_default())
            .await?,
    ))
}

/// The requester withdraws their own pending request.
#[utoipa::path(post, path = "/api/v1/change-requests/{id}/withdraw", tag = "iam",
    params(("id" = i64, Path)),
    responses((status = 200, body = ChangeRequest), (status = 403, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody)))]
async fn withdraw_change_request(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
) -> Result<Json<ChangeRequest>, AppError> {
    Ok(Json(
        ops::change_requests::withdraw(&state, &caller, id).await?,
    ))
}

/// Executes a failed request again (admin, not the requester).
#[utoipa::path(post, path = "/api/v1/change-requests/{id}/retry", tag = "iam",
    params(("id" = i64, Path)),
    responses((status = 200, body = ChangeRequest), (status = 403, body = ApiErrorBody),
              (status = 409, body = ApiErrorBody)))]
async fn retry_change_request(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
) -> Result<Json<ChangeRequest>, AppError> {
    Ok(Json(
        ops::change_requests::retry(&state, &caller, id).await?,
    ))
}

/// Every IAM role, with whether ECS tasks may assume it.
#[utoipa::path(get, path = "/api/v1/roles", tag = "iam",
    responses((status = 200, body = Vec<RoleSummary>), (status = 401, body = ApiErrorBody)))]
async fn list_roles(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Vec<RoleSummary>>, AppError> {
    Ok(Json(ops::roles::list_roles(&state, &caller).await?))
}

/// A role: trust policy, inline policies (decoded) with the portal's versions, attached
/// managed policies, change requests.
#[utoipa::path(get, path = "/api/v1/roles/{name}", tag = "iam",
    params(("name" = String, Path)),
    responses((status = 200, body = RoleDetail), (status = 404, body = ApiErrorBody)))]
async fn describe_role(
    State(state): State<AppState>,
    Path(name): Path<String>,
    caller: Caller,
) -> Result<Json<RoleDetail>, AppError> {
    Ok(Json(
        ops::roles::describe_role(&state, &caller, &name).await?,
    ))
}
