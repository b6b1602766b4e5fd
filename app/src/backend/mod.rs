//! What only the server does: the database, AWS and the use-cases that tie them together.

pub mod auth;
pub mod aws;
pub mod db;
pub mod ops;

use crate::error::AppError;
use axum::extract::FromRef;
use axum::response::IntoResponse;
use leptos::prelude::*;
use sqlx::SqlitePool;
use std::sync::Arc;

/// Everything a request handler needs. Handed to server functions as Leptos context and to
/// plain axum handlers as router state.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: SqlitePool,
    pub aws: Arc<aws::AwsClients>,
    /// Server-side session storage (the `tower_sessions` table).
    pub sessions: tower_sessions_sqlx_store::SqliteStore,
    pub auth: auth::AuthSettings,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The server state inside a server function. Missing context is a wiring bug: it is
/// logged and the user gets a generic error instead of a panic.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState is missing from the Leptos context");
        AppError::Internal
    })
}

/// How every server function opens: the state and the caller once the caller may perform
/// `operation` (401/403 otherwise, with the audit row), checked before the input is read.
/// The use-cases in `ops` check it again themselves. The HTTP status of an error the
/// function returns is set by [`server_fn_error_status`], so no function has to remember.
pub async fn context(
    operation: crate::domain::permissions::Operation,
) -> Result<(AppState, auth::Caller), AppError> {
    let state = app_state()?;
    let caller = auth::Caller::from_request();
    caller.require(&state.db, operation).await?;
    Ok((state, caller))
}

/// The session of the current request (the session layer puts it on every request).
pub fn request_session() -> Result<tower_sessions::Session, AppError> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<tower_sessions::Session>().cloned())
        .ok_or_else(|| {
            tracing::error!("no session on the request: is the session layer installed?");
            AppError::Internal
        })
}

/// True for a form posted by a browser without JavaScript (it accepts HTML, not JSON).
pub fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Middleware: gives a server function's error answer the status of its [`AppError`]
/// (422, 409, 429 with `Retry-After`, ...) instead of server_fn's blanket 500. A plain form
/// post (answered with a redirect back to the form, which carries the error) and `/api/v1`
/// (whose handlers answer with the status themselves) are left alone.
pub async fn server_fn_error_status(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let response = next.run(request).await;
    if response.status().is_redirection()
        || !response
            .headers()
            .contains_key(server_fn::error::SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // Error bodies are one small JSON object; anything larger is not an AppError.
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(error = %err, "could not read a server function's error answer");
            return http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        err.write_status(&mut parts.status, &mut parts.headers);
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}
