//! Recording actions in history, and reading it back.

use crate::{
    backend::{auth::Caller, db, AppState},
    domain::{
        history::{HistoryEntry, HistoryKind, HistoryStatus},
        permissions::Operation,
    },
    error::AppError,
};
use serde::Serialize;
use sqlx::SqlitePool;
use std::{future::Future, time::Instant};

/// Logs a database error and hides it behind a user-facing one.
pub fn database_error(err: sqlx::Error) -> AppError {
    tracing::error!(error = %err, "database error");
    AppError::Database
}

/// Runs `action` as a recorded step of history: a `pending` row with the request is written
/// first (if that fails, the action does not run), then the row is completed with the
/// response or the error and the time it took. Returns the action's own result.
pub async fn record<T, F>(
    db: &SqlitePool,
    actor: &str,
    kind: HistoryKind,
    target: &str,
    request: &impl Serialize,
    action: F,
) -> Result<T, AppError>
where
    T: Serialize,
    F: Future<Output = Result<T, AppError>>,
{
    let request = serde_json::to_value(request).map_err(|err| {
        tracing::error!(error = %err, "request could not be serialized for history");
        AppError::Internal
    })?;
    let id = db::history::insert_pending(db, kind, target, actor, &request)
        .await
        .map_err(database_error)?;
    let started = Instant::now();
    let outcome = action.await;
    let duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let completed = match &outcome {
        Ok(value) => {
            let response = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
            db::history::complete(
                db,
                id,
                HistoryStatus::Succeeded,
                Some(&response),
                None,
                duration_ms,
            )
            .await
        }
        Err(err) => {
            let detail = serde_json::to_value(err).unwrap_or(serde_json::Value::Null);
            let message = err.to_string();
            db::history::complete(
                db,
                id,
                HistoryStatus::Failed,
                Some(&detail),
                Some(&message),
                duration_ms,
            )
            .await
        }
    };
    if let Err(err) = completed {
        // The action happened; only its record is incomplete. Say so loudly, keep the result.
        tracing::error!(history_id = id, error = %err, "could not complete history row");
    }
    outcome
}

/// The newest rows, at most 100.
pub async fn recent(
    state: &AppState,
    caller: &Caller,
    limit: i64,
) -> Result<Vec<HistoryEntry>, AppError> {
    caller.require(&state.db, Operation::ViewHistory).await?;
    db::history::recent(&state.db, limit.clamp(1, 100))
        .await
        .map_err(database_error)
}
