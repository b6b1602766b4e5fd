//! Recording actions in history, and reading it back.

use crate::{
    backend::{auth::Caller, db, AppState},
    domain::{
        history::{
            detail::{split_revision, HistoryDetail, RolloutDiff},
            export::ExportFormat,
            filter::{query_pairs, HistoryPage, HistoryQuery},
            metrics::{Dashboard, WINDOWS},
            time::Date,
            HistoryEntry, HistoryKind, HistoryStatus,
        },
        permissions::Operation,
        task_definitions::diff_task_definitions,
    },
    error::AppError,
};
use futures_util::StreamExt;
use serde::Serialize;
use sqlx::SqlitePool;
use std::{future::Future, time::Instant};

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
    let id = db::history::insert_pending(db, kind, target, actor, &request).await?;
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

/// Records a step that calls nothing outside the portal (a change request created,
/// approved, rejected ...): a row that succeeded at once, with `response` as its answer.
pub async fn record_event(
    db: &SqlitePool,
    actor: &str,
    kind: HistoryKind,
    target: &str,
    request: &impl Serialize,
    response: &serde_json::Value,
) -> Result<(), AppError> {
    let request = serde_json::to_value(request).map_err(|err| {
        tracing::error!(error = %err, "request could not be serialized for history");
        AppError::Internal
    })?;
    let id = db::history::insert_pending(db, kind, target, actor, &request).await?;
    let completed =
        db::history::complete(db, id, HistoryStatus::Succeeded, Some(response), None, 0);
    if let Err(err) = completed.await {
        tracing::error!(history_id = id, error = %err, "could not complete history row");
    }
    Ok(())
}

/// The newest rows, at most 100.
pub async fn recent(
    state: &AppState,
    caller: &Caller,
    limit: i64,
) -> Result<Vec<HistoryEntry>, AppError> {
    caller.require(&state.db, Operation::ViewHistory).await?;
    Ok(db::history::recent(&state.db, limit.clamp(1, 100)).await?)
}

/// One page of history for the filters of `query_string` (the history page's and
/// `/api/v1/history`'s query parameters). Bad filters are field errors named after them.
pub async fn search(
    state: &AppState,
    caller: &Caller,
    query_string: &str,
) -> Result<HistoryPage, AppError> {
    caller.require(&state.db, Operation::ViewHistory).await?;
    let query = HistoryQuery::from_query_string(query_string).map_err(AppError::validation)?;
    let rows = db::history::search(&state.db, &query).await?;
    Ok(HistoryPage::assemble(rows, &query))
}

/// A row with its related rows and, for a rollout, the task definition diff (read from
/// AWS; when that fails the detail still shows, with the reason).
pub async fn detail(state: &AppState, caller: &Caller, id: i64) -> Result<HistoryDetail, AppError> {
    caller.require(&state.db, Operation::ViewHistory).await?;
    let entry = db::history::by_id(&state.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            message: format!("There is no history entry {id}."),
        })?;
    let related = db::history::related(&state.db, &entry).await?;
    let rollout_diff = if entry.kind == HistoryKind::Rollout.as_str() {
        rollout_diff(state, &entry).await
    } else {
        None
    };
    Ok(HistoryDetail {
        entry,
        related,
        rollout_diff,
    })
}

async fn rollout_diff(state: &AppState, entry: &HistoryEntry) -> Option<RolloutDiff> {
    let text = |key: &str| {
        entry
            .request
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let to = text("toTaskDefinition")?;
    let from = text("fromTaskDefinition");
    let mut diff = RolloutDiff {
        from: from.clone(),
        to: to.clone(),
        changes: None,
        note: None,
    };
    let Some(from) = from else {
        diff.note = Some(
            "This rollout created the service: there is no earlier revision to compare with."
                .into(),
        );
        return Some(diff);
    };
    let (Some(before), Some(after)) = (split_revision(&from), split_revision(&to)) else {
        diff.note = Some("The recorded task definitions are not family:revision names.".into());
        return Some(diff);
    };
    let describe = |(family, revision): (String, i32)| async move {
        state
            .aws
            .describe_task_definition(&family, revision)
            .await?
            .ok_or_else(|| AppError::NotFound {
                message: format!("AWS no longer has {family}:{revision}."),
            })
    };
    match tokio::try_join!(describe(before), describe(after)) {
        Ok((before, after)) => {
            diff.changes = Some(diff_task_definitions(&before.spec, &after.spec))
        }
        Err(err) => diff.note = Some(format!("The task definitions could not be compared: {err}")),
    }
    Some(diff)
}

/// The current day (UTC).
fn today() -> Date {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Date::from_epoch_ms(i64::try_from(now.as_millis()).unwrap_or(i64::MAX))
}

/// The dashboard for each window of [`WINDOWS`] (30 and 90 days), ending today (UTC).
pub async fn dashboard(state: &AppState, caller: &Caller) -> Result<Vec<Dashboard>, AppError> {
    caller.require(&state.db, Operation::ViewDashboard).await?;
    let today = today();
    let longest = WINDOWS.iter().copied().max().unwrap_or(90);
    // 30 days more than the window: registrations and failures just before it still count.
    let from = today.add_days(-(i64::from(longest) + 30)).start_rfc3339();
    let rows = db::history::dashboard_rows(&state.db, &from).await?;
    Ok(WINDOWS
        .iter()
        .map(|days| Dashboard::compute(&rows, today, *days))
        .collect())
}

/// An export under way: its format and file name, and its text in chunks as rows are read.
pub struct Export {
    pub format: ExportFormat,
    pub file_name: String,
    pub chunks: tokio::sync::mpsc::Receiver<Result<String, AppError>>,
}

/// Bytes gathered before a chunk is handed to the connection.
const EXPORT_CHUNK: usize = 64 * 1024;

/// Starts exporting every row matching the filters of `query_string` (`format=csv|json`
/// beside them; `limit` and `cursor` are ignored: an export is the whole filter). Rows are
/// read one at a time and handed over in chunks through a small bounded channel, so a slow
/// client slows the reading instead of filling memory.
pub async fn export(
    state: &AppState,
    caller: &Caller,
    query_string: &str,
) -> Result<Export, AppError> {
    caller.require(&state.db, Operation::ExportHistory).await?;
    let pairs = query_pairs(query_string);
    let format = ExportFormat::parse(
        pairs
            .iter()
            .find(|(name, _)| name == "format")
            .map(|(_, value)| value.as_str()),
    )
    .map_err(|message| AppError::field("format", message))?;
    let filter = HistoryQuery::parse(pairs)
        .map_err(AppError::validation)?
        .filter;
    let (sender, chunks) = tokio::sync::mpsc::channel(4);
    let db = state.db.clone();
    tokio::spawn(async move {
        let mut qb = sqlx::QueryBuilder::new("");
        let mut rows = std::pin::pin!(db::history::stream(&db, &mut qb, &filter));
        let mut buffer = String::from(format.start());
        let mut first = true;
        while let Some(row) = rows.next().await {
            match row {
                Ok(row) => {
                    buffer.push_str(&format.row(&row.into_entry(), first));
                    first = false;
                    if buffer.len() >= EXPORT_CHUNK
                        && sender.send(Ok(std::mem::take(&mut buffer))).await.is_err()
                    {
                        return; // The client went away.
                    }
                }
                Err(err) => {
                    let _ = sender.send(Err(err.into())).await;
                    return;
                }
            }
        }
        buffer.push_str(format.end());
        let _ = sender.send(Ok(buffer)).await;
    });
    Ok(Export {
        format,
        file_name: format.file_name(&today().to_string()),
        chunks,
    })
}
