//! The `rollouts` table, and the one `rollout` row of history each rollout owns: inserted
//! `pending` in the same transaction as the rollout, completed in the same transaction that
//! finishes it.

use super::history;
use crate::domain::{
    history::{HistoryKind, HistoryStatus},
    services::rollouts::{Rollout, RolloutStatus, RolloutTrigger},
    services::service_target,
};
use sqlx::{FromRow, SqlitePool};

#[derive(FromRow)]
struct RolloutRow {
    id: i64,
    cluster: String,
    service: String,
    trigger: String,
    from_task_definition: Option<String>,
    to_task_definition: String,
    desired_count: i32,
    status: String,
    progress: i64,
    started_at: String,
    finished_at: Option<String>,
    reason: Option<String>,
    actor: String,
    history_id: Option<i64>,
}

impl RolloutRow {
    fn into_rollout(self) -> Rollout {
        Rollout {
            id: self.id,
            cluster: self.cluster,
            service: self.service,
            trigger: RolloutTrigger::parse(&self.trigger).unwrap_or(RolloutTrigger::Deploy),
            from_task_definition: self.from_task_definition,
            to_task_definition: self.to_task_definition,
            desired_count: self.desired_count,
            status: RolloutStatus::parse(&self.status).unwrap_or(RolloutStatus::Failed),
            progress: self.progress,
            started_at: self.started_at,
            finished_at: self.finished_at,
            reason: self.reason,
            actor: self.actor,
            history_id: self.history_id,
        }
    }
}

const COLUMNS: &str = "id, cluster, service, trigger, from_task_definition, to_task_definition, \
                       desired_count, status, progress, started_at, finished_at, reason, actor, \
                       history_id";

/// What a new rollout waits for, and who started it.
pub struct NewRollout<'a> {
    pub cluster: &'a str,
    pub service: &'a str,
    pub trigger: RolloutTrigger,
    pub from_task_definition: Option<&'a str>,
    pub to_task_definition: &'a str,
    pub desired_count: i32,
    pub actor: &'a str,
}

/// Starts a rollout: its row and its `pending` history row, together or not at all.
pub async fn start(db: &SqlitePool, new: &NewRollout<'_>) -> Result<Rollout, sqlx::Error> {
    let mut tx = db.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO rollouts (cluster, service, trigger, from_task_definition, \
         to_task_definition, desired_count, actor) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(new.cluster)
    .bind(new.service)
    .bind(new.trigger.as_str())
    .bind(new.from_task_definition)
    .bind(new.to_task_definition)
    .bind(new.desired_count)
    .bind(new.actor)
    .fetch_one(&mut *tx)
    .await?;
    let request = serde_json::json!({
        "rolloutId": id,
        "cluster": new.cluster,
        "service": new.service,
        "trigger": new.trigger.as_str(),
        "fromTaskDefinition": new.from_task_definition,
        "toTaskDefinition": new.to_task_definition,
        "desiredCount": new.desired_count,
    });
    let history_id = history::insert_pending(
        &mut *tx,
        HistoryKind::Rollout,
        &service_target(new.cluster, new.service),
        new.actor,
        &request,
    )
    .await?;
    sqlx::query("UPDATE rollouts SET history_id = ? WHERE id = ?")
        .bind(history_id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let row: RolloutRow = sqlx::query_as(&format!("SELECT {COLUMNS} FROM rollouts WHERE id = ?"))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(row.into_rollout())
}

pub async fn get(db: &SqlitePool, id: i64) -> Result<Option<Rollout>, sqlx::Error> {
    let row: Option<RolloutRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM rollouts WHERE id = ?"))
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(RolloutRow::into_rollout))
}

/// The newest `limit` rollouts of a service, newest first.
pub async fn for_service(
    db: &SqlitePool,
    cluster: &str,
    service: &str,
    limit: i64,
) -> Result<Vec<Rollout>, sqlx::Error> {
    let rows: Vec<RolloutRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM rollouts WHERE cluster = ? AND service = ? ORDER BY id DESC LIMIT ?"
    ))
    .bind(cluster)
    .bind(service)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(RolloutRow::into_rollout).collect())
}

/// Every rollout still in progress, oldest first, with the milliseconds since it started.
pub async fn in_progress(db: &SqlitePool) -> Result<Vec<(Rollout, i64)>, sqlx::Error> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        rollout: RolloutRow,
        elapsed_ms: i64,
    }
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS}, \
         CAST((julianday('now') - julianday(started_at)) * 86400000 AS INTEGER) AS elapsed_ms \
         FROM rollouts WHERE status = 'in_progress' ORDER BY id"
    ))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.rollout.into_rollout(), r.elapsed_ms.max(0)))
        .collect())
}

/// The revision of the newest completed rollout of the service other than `current`.
pub async fn last_completed_other_than(
    db: &SqlitePool,
    cluster: &str,
    service: &str,
    current: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT to_task_definition FROM rollouts \
         WHERE cluster = ? AND service = ? AND status = 'completed' AND to_task_definition <> ? \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(cluster)
    .bind(service)
    .bind(current)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| r.0))
}

/// Stores what the watcher saw of a rollout still in progress.
pub async fn record_progress(
    db: &SqlitePool,
    id: i64,
    progress: i64,
    snapshot: Option<&serde_json::Value>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE rollouts SET progress = ?, last_snapshot_json = COALESCE(?, last_snapshot_json) \
         WHERE id = ? AND status = 'in_progress'",
    )
    .bind(progress.clamp(0, 100))
    .bind(snapshot.map(ToString::to_string))
    .bind(id)
    .execute(db)
    .await?;
    Ok(())
}

/// Finishes a rollout and completes its history row (`succeeded` iff completed), once:
/// answers false when it was already finished.
pub async fn finish(
    db: &SqlitePool,
    id: i64,
    status: RolloutStatus,
    reason: Option<&str>,
    progress: i64,
    snapshot: Option<&serde_json::Value>,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let finished: Option<(String, Option<i64>, i64)> = sqlx::query_as(
        "UPDATE rollouts SET status = ?, reason = ?, progress = ?, \
         last_snapshot_json = COALESCE(?, last_snapshot_json), \
         finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         WHERE id = ? AND status = 'in_progress' \
         RETURNING finished_at, history_id, \
         CAST((julianday(finished_at) - julianday(started_at)) * 86400000 AS INTEGER)",
    )
    .bind(status.as_str())
    .bind(reason)
    .bind(progress.clamp(0, 100))
    .bind(snapshot.map(ToString::to_string))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((finished_at, history_id, duration_ms)) = finished else {
        return Ok(false);
    };
    if let Some(history_id) = history_id {
        let response = serde_json::json!({
            "rolloutId": id,
            "outcome": status.as_str(),
            "reason": reason,
            "finishedAt": finished_at,
        });
        let history_status = if status == RolloutStatus::Completed {
            HistoryStatus::Succeeded
        } else {
            HistoryStatus::Failed
        };
        history::complete(
            &mut *tx,
            history_id,
            history_status,
            Some(&response),
            reason,
            duration_ms.max(0),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(true)
}
