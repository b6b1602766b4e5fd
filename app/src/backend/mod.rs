//! What only the server does: the database, AWS and the use-cases that tie them together.

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

/// Who performs an action. Until sign-in exists this is the OS user running the portal,
/// or `anonymous`.
pub fn current_actor() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "anonymous".to_string())
}

/// Gives a server function's error its HTTP status (422, 409, 502, ...).
///
/// A plain form post (no JavaScript, `Accept: text/html`) is left alone: Leptos answers it
/// with a redirect back to the form that carries the error, and a status would break that.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        let plain_form_post = use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v.contains("text/html"))
            })
            .unwrap_or(false);
        if !plain_form_post {
            if let (Some(response), Ok(status)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                http::StatusCode::from_u16(err.status_code()),
            ) {
                response.set_status(status);
            }
        }
    }
    result
}
