//! `/api/v1/me`: who the token (or session) acts as.

use app::{
    backend::{auth::Caller, ops, AppState},
    domain::permissions::UserRole,
    error::{ApiErrorBody, AppError},
};
use axum::{extract::State, Json};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

/// Adds the routes of this module.
pub fn routes(router: OpenApiRouter<AppState>) -> OpenApiRouter<AppState> {
    router.routes(routes!(me))
}

/// Who the caller is.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    pub role: UserRole,
}

/// The user the token (or session) acts as.
#[utoipa::path(get, path = "/api/v1/me", tag = "account",
    responses((status = 200, body = Me), (status = 401, body = ApiErrorBody)))]
async fn me(State(state): State<AppState>, caller: Caller) -> Result<Json<Me>, AppError> {
    let user = ops::accounts::own_account(&state, &caller).await?;
    Ok(Json(Me {
        username: user.username,
        role: user.role,
    }))
}
