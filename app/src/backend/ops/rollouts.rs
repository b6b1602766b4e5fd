//! Rollouts: reading them, and starting one after a deployment action. The watcher in
//! `server/src/jobs` decides and finishes them.

use crate::{
    backend::{auth::Caller, db, AppState},
    domain::{permissions::Operation, services::rollouts::Rollout},
    error::AppError,
};
use sqlx::SqlitePool;

/// Starts a rollout (its row and its `pending` history row).
pub async fn start(
    db: &SqlitePool,
    new: &db::rollouts::NewRollout<'_>,
) -> Result<Rollout, AppError> {
    db::rollouts::start(db, new).await.map_err(AppError::from)
}

pub async fn get(state: &AppState, caller: &Caller, id: i64) -> Result<Rollout, AppError> {
    caller.require(&state.db, Operation::ViewClusters).await?;
    db::rollouts::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            message: format!("There is no rollout {id}."),
        })
}
