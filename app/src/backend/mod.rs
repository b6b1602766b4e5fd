//! What only the server does: the database, AWS and the use-cases that tie them together.

pub mod auth;
pub mod aws;
pub mod db;
pub mod ops;

use crate::error::AppError;
use axum::extract::FromRef;
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

/// The state and caller of a server function once the caller may perform `operation`
/// (401/403 otherwise, with the audit row). For server functions that must check the role
/// before they read their input; the use-cases in `ops` check it again themselves.
pub async fn authorized(
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

/// Gives a server function's error its HTTP status (422, 409, 502, ...).
///
/// A plain form post (no JavaScript, `Accept: text/html`) is left alone: Leptos answers it
/// with a redirect back to the form that carries the error, and a status would break that.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        // Only for a call to the server function itself: a page that calls it while
        // rendering keeps its own status.
        let called_over_http = use_context::<http::request::Parts>()
            .is_some_and(|parts| parts.uri.path().starts_with("/api/"));
        if called_over_http && !is_plain_form_post() {
            if let (Some(response), Ok(status)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                http::StatusCode::from_u16(err.status_code()),
            ) {
                response.set_status(status);
                if let AppError::Throttled {
                    retry_after_secs, ..
                } = err
                {
                    if let Ok(value) = http::HeaderValue::from_str(&retry_after_secs.to_string()) {
                        response.insert_header(http::header::RETRY_AFTER, value);
                    }
                }
            }
        }
    }
    result
}
