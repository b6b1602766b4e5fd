//! The `history` table: append-only. A row is inserted `pending` before AWS is called and
//! completed exactly once; triggers in the migration refuse anything else.

use crate::domain::history::{HistoryEntry, HistoryKind, HistoryStatus};
use sqlx::{FromRow, SqlitePool};

#[derive(FromRow)]
struct HistoryRow {
    id: i64,
    kind: String,
    target: String,
    actor: String,
    status: String,
    started_at: String,
    duration_ms: Option<i64>,
    request_json: String,
    response_json: Option<String>,
    error: Option<String>,
}

impl HistoryRow {
    fn into_entry(self) -> HistoryEntry {
        HistoryEntry {
            id: self.id,
            kind: self.kind,
            target: self.target,
            actor: self.actor,
            status: HistoryStatus::parse(&self.status).unwrap_or(HistoryStatus::Failed),
            started_at: self.started_at,
            duration_ms: self.duration_ms,
            request: serde_json::from_str(&self.request_json).unwrap_or(serde_json::Value::Null),
            response: self
                .response_json
                .as_deref()
                .and_then(|r| serde_json::from_str(r).ok()),
            error: self.error,
        }
    }
}

const COLUMNS: &str = "id, kind, target, actor, status, started_at, duration_ms, \
                       request_json, response_json, error";

/// Records that an action is starting. Returns the row id to complete later.
pub async fn insert_pending(
    db: impl sqlx::SqliteExecutor<'_>,
    kind: HistoryKind,
    target: &str,
    actor: &str,
    request: &serde_json::Value,
) -> Result<i64, sqlx::Error> {
    let id: (i64,) = sqlx::query_as(
        "INSERT INTO history (kind, target, actor, status, request_json) \
         VALUES (?, ?, ?, 'pending', ?) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(target)
    .bind(actor)
    .bind(request.to_string())
    .fetch_one(db)
    .await?;
    Ok(id.0)
}

/// Completes a pending row with its outcome. A row that is no longer pending is left as it
/// is (the trigger would refuse the change anyway); the return value says whether it changed.
pub async fn complete(
    db: impl sqlx::SqliteExecutor<'_>,
    id: i64,
    status: HistoryStatus,
    response: Option<&serde_json::Value>,
    error: Option<&str>,
    duration_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE history SET status = ?, response_json = ?, error = ?, duration_ms = ?, \
         finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         WHERE id = ? AND status = 'pending'",
    )
    .bind(status.as_str())
    .bind(response.map(|r| r.to_string()))
    .bind(error)
    .bind(duration_ms)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Rows still `pending` when the portal starts were cut off by a stop: they are marked
/// failed, saying so, since nobody is waiting for their answer any more. The `rollout` rows
/// of rollouts still in progress are left alone: the rollout watcher resumes and completes them.
pub async fn fail_interrupted(db: &SqlitePool) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE history SET status = 'failed', \
         error = 'The portal stopped before this action finished; check AWS for its outcome.', \
         finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         WHERE status = 'pending' AND NOT (kind = 'rollout' AND id IN \
           (SELECT history_id FROM rollouts \
            WHERE status = 'in_progress' AND history_id IS NOT NULL))",
    )
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}

/// The newest `limit` rows, newest first.
pub async fn recent(db: &SqlitePool, limit: i64) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    let rows: Vec<HistoryRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM history ORDER BY id DESC LIMIT ?"
    ))
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(HistoryRow::into_entry).collect())
}
