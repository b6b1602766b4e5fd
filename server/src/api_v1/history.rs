//! `/api/v1/history`: search, one entry, and the streamed export. The query parameters are
//! those of the history page, read by the same parser (`domain::history::filter`).

use app::{
    backend::{auth::Caller, ops, AppState},
    domain::history::{detail::HistoryDetail, filter::HistoryPage},
    error::{ApiErrorBody, AppError},
};
use axum::{
    body::Body,
    extract::{Path, RawQuery, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use utoipa_axum::{router::OpenApiRouter, routes};

/// Adds the routes of this module.
pub fn routes(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    router
        .routes(routes!(search_history))
        .routes(routes!(export_history))
        .routes(routes!(history_entry))
}

/// The filters every history route takes (all optional; they combine).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // Documentation only: the raw query string is parsed by the domain.
pub struct HistoryParams {
    /// Kind of action, e.g. `rollout`, `service.deploy`, `task_definition.register`.
    kind: Option<String>,
    /// Cluster name.
    cluster: Option<String>,
    /// Service name (`cluster/service` sets both).
    service: Option<String>,
    /// Task definition family.
    family: Option<String>,
    /// Username of who did it.
    actor: Option<String>,
    /// `pending`, `succeeded` or `failed`.
    status: Option<String>,
    /// First day, `YYYY-MM-DD` (UTC, inclusive).
    since: Option<String>,
    /// Last day, `YYYY-MM-DD` (UTC, inclusive).
    until: Option<String>,
    /// Free text in the target, actor, error or request.
    q: Option<String>,
    /// Rows per page, 1-500 (default 50).
    limit: Option<u32>,
    /// `nextCursor` (or `prevCursor`) of the previous answer.
    cursor: Option<String>,
}

/// History, newest first, one page at a time (keyset pagination: follow `nextCursor`).
#[utoipa::path(get, path = "/api/v1/history", tag = "history", params(HistoryParams),
    responses((status = 200, description = "`{\"items\": [...], \"nextCursor\", \"prevCursor\"}`", body = Object),
              (status = 401, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn search_history(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    caller: Caller,
) -> Result<Json<HistoryPage>, AppError> {
    let query = query.unwrap_or_default();
    Ok(Json(ops::history::search(&state, &caller, &query).await?))
}

/// One entry: request, response or error, related entries, and for a rollout the task
/// definition diff.
#[utoipa::path(get, path = "/api/v1/history/{id}", tag = "history",
    params(("id" = i64, Path)),
    responses((status = 200, description = "`{\"entry\", \"related\", \"rolloutDiff\"}`", body = Object),
              (status = 401, body = ApiErrorBody), (status = 404, body = ApiErrorBody)))]
async fn history_entry(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    caller: Caller,
) -> Result<Json<HistoryDetail>, AppError> {
    Ok(Json(ops::history::detail(&state, &caller, id).await?))
}

/// Every entry matching the filters as CSV or a JSON array, streamed row by row (as a
/// download; `limit` and `cursor` are ignored).
#[utoipa::path(get, path = "/api/v1/history/export", tag = "history",
    params(("format" = Option<String>, Query, description = "`csv` (default) or `json`"), HistoryParams),
    responses((status = 200, description = "CSV (`text/csv`) or a JSON array (`application/json`) of entries", body = String, content_type = "text/csv"),
              (status = 401, body = ApiErrorBody), (status = 422, body = ApiErrorBody)))]
async fn export_history(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    caller: Caller,
) -> Result<Response, AppError> {
    let query = query.unwrap_or_default();
    let export = ops::history::export(&state, &caller, &query).await?;
    let chunks = futures_util::stream::unfold(export.chunks, |mut chunks| async move {
        chunks.recv().await.map(|chunk| {
            let chunk = chunk.map_err(|err| std::io::Error::other(err.to_string()));
            (chunk, chunks)
        })
    });
    let mut response = Body::from_stream(chunks).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(export.format.content_type()),
    );
    if let Ok(value) =
        HeaderValue::from_str(&format!("attachment; filename=\"{}\"", export.file_name))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
