//! The `history` table: append-only. A row is inserted `pending` before AWS is called and
//! completed exactly once; triggers in the migration refuse anything else.

use crate::domain::history::{
    cursor::Cursor,
    filter::{HistoryFilter, HistoryQuery},
    subject::subject,
    HistoryEntry, HistoryKind, HistoryStatus,
};
use futures_util::Stream;
use sqlx::{FromRow, QueryBuilder, Sqlite, SqlitePool};

#[derive(FromRow)]
pub struct HistoryRow {
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
    pub fn into_entry(self) -> HistoryEntry {
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

pub const COLUMNS: &str = "id, kind, target, actor, status, started_at, duration_ms, \
                       request_json, response_json, error";

/// Records that an action is starting. Returns the row id to complete later. What the row
/// is about (cluster, service, family) is derived from `kind` and `target` and stored with
/// it, so callers never set it.
pub async fn insert_pending(
    db: impl sqlx::SqliteExecutor<'_>,
    kind: HistoryKind,
    target: &str,
    actor: &str,
    request: &serde_json::Value,
) -> Result<i64, sqlx::Error> {
    let about = subject(kind.as_str(), target);
    let id: (i64,) = sqlx::query_as(
        "INSERT INTO history (kind, target, actor, status, request_json, cluster, service, family) \
         VALUES (?, ?, ?, 'pending', ?, ?, ?, ?) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(target)
    .bind(actor)
    .bind(request.to_string())
    .bind(about.cluster)
    .bind(about.service)
    .bind(about.family)
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

/// Appends the filter's conditions (each `AND ...`) to a query whose WHERE clause is open.
///
/// Equality filters each have a `(column, id)` index. Date bounds are also turned into id
/// bounds (ids grow with time: rows are inserted when they start), so a date range is an
/// id range scan, not a scan of everything newer. Free text is a LIKE over target, actor,
/// error and request: not indexed, it costs a scan of the rows until the page is full.
pub fn push_filter(qb: &mut QueryBuilder<'_, Sqlite>, filter: &HistoryFilter) {
    if let Some(kind) = filter.kind {
        qb.push(" AND kind = ").push_bind(kind.as_str());
    }
    for (column, value) in [
        ("cluster", &filter.cluster),
        ("service", &filter.service),
        ("family", &filter.family),
        ("actor", &filter.actor),
    ] {
        if let Some(value) = value {
            qb.push(format_args!(" AND {column} = "))
                .push_bind(value.clone());
        }
    }
    if let Some(status) = filter.status {
        qb.push(" AND status = ").push_bind(status.as_str());
    }
    if let Some(from) = filter.started_from() {
        qb.push(" AND started_at >= ")
            .push_bind(from.clone())
            .push(" AND id >= (SELECT id FROM history WHERE started_at >= ")
            .push_bind(from)
            .push(" ORDER BY started_at, id LIMIT 1)");
    }
    if let Some(before) = filter.started_before() {
        qb.push(" AND started_at < ")
            .push_bind(before.clone())
            .push(" AND id <= coalesce((SELECT id FROM history WHERE started_at < ")
            .push_bind(before)
            .push(" ORDER BY started_at DESC, id DESC LIMIT 1), 0)");
    }
    if let Some(q) = &filter.q {
        let pattern = format!(
            "%{}%",
            q.replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_")
        );
        qb.push(" AND (");
        for (i, column) in ["target", "actor", "error", "request_json"]
            .iter()
            .enumerate()
        {
            if i > 0 {
                qb.push(" OR ");
            }
            qb.push(format_args!("{column} LIKE "))
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\'");
        }
        qb.push(")");
    }
}

/// One page of history for `query` (keyset: no OFFSET, so every page costs the same).
/// Fetches one row more than the page holds, to know whether more follow.
pub async fn search(
    db: &SqlitePool,
    query: &HistoryQuery,
) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    let mut qb = QueryBuilder::new(format!("SELECT {COLUMNS} FROM history WHERE 1 = 1"));
    push_filter(&mut qb, &query.filter);
    match query.cursor {
        None => qb.push(" ORDER BY id DESC"),
        Some(Cursor::Older(id)) => qb
            .push(" AND id < ")
            .push_bind(id)
            .push(" ORDER BY id DESC"),
        Some(Cursor::Newer(id)) => qb.push(" AND id > ").push_bind(id).push(" ORDER BY id ASC"),
    };
    qb.push(" LIMIT ").push_bind(i64::from(query.limit) + 1);
    let rows: Vec<HistoryRow> = qb.build_query_as().fetch_all(db).await?;
    Ok(rows.into_iter().map(HistoryRow::into_entry).collect())
}

/// Every row matching `filter`, newest first, one at a time (the export): memory stays
/// flat however many rows match.
pub fn stream<'a, 'args: 'a>(
    db: &'a SqlitePool,
    qb: &'a mut QueryBuilder<'args, Sqlite>,
    filter: &HistoryFilter,
) -> impl Stream<Item = Result<HistoryRow, sqlx::Error>> + 'a {
    qb.push(format_args!("SELECT {COLUMNS} FROM history WHERE 1 = 1"));
    push_filter(qb, filter);
    qb.push(" ORDER BY id DESC");
    qb.build_query_as::<HistoryRow>().fetch(db)
}

/// One row by id.
pub async fn by_id(db: &SqlitePool, id: i64) -> Result<Option<HistoryEntry>, sqlx::Error> {
    let row: Option<HistoryRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM history WHERE id = ?"))
            .bind(id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(HistoryRow::into_entry))
}

/// Binds a JSON scalar (an id in a request or response) as SQLite compares it.
fn bind_json<'q>(qb: &mut QueryBuilder<'q, Sqlite>, value: &serde_json::Value) {
    match value {
        serde_json::Value::Number(n) if n.is_i64() => qb.push_bind(n.as_i64()),
        serde_json::Value::Number(n) => qb.push_bind(n.as_f64()),
        other => qb.push_bind(other.as_str().map(str::to_string)),
    };
}

/// The rows that belong with `entry`, oldest first, without it: the other steps of an IAM
/// change request (same `changeRequestId`); for a rollout, the service action that
/// started it; for a service action, the rollout it started (same `rolloutId`).
pub async fn related(
    db: &SqlitePool,
    entry: &HistoryEntry,
) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    let id_in = |json: Option<&serde_json::Value>, key: &str| {
        json.and_then(|j| j.get(key))
            .filter(|v| v.is_number() || v.is_string())
            .cloned()
    };
    let mut qb = QueryBuilder::new(format!("SELECT {COLUMNS} FROM history WHERE "));
    if entry.kind.starts_with("change_request.") {
        let Some(id) = id_in(Some(&entry.request), "changeRequestId") else {
            return Ok(vec![]);
        };
        qb.push(
            "kind LIKE 'change_request.%' AND json_extract(request_json, '$.changeRequestId') = ",
        );
        bind_json(&mut qb, &id);
    } else if entry.kind == HistoryKind::Rollout.as_str() {
        let Some(id) = id_in(Some(&entry.request), "rolloutId") else {
            return Ok(vec![]);
        };
        qb.push("kind LIKE 'service.%' AND json_extract(response_json, '$.rolloutId') = ");
        bind_json(&mut qb, &id);
    } else if entry.kind.starts_with("service.") {
        let Some(id) = id_in(entry.response.as_ref(), "rolloutId") else {
            return Ok(vec![]);
        };
        qb.push("kind = 'rollout' AND json_extract(request_json, '$.rolloutId') = ");
        bind_json(&mut qb, &id);
    } else {
        return Ok(vec![]);
    }
    qb.push(" AND id <> ")
        .push_bind(entry.id)
        .push(" ORDER BY id LIMIT 100");
    let rows: Vec<HistoryRow> = qb.build_query_as().fetch_all(db).await?;
    Ok(rows.into_iter().map(HistoryRow::into_entry).collect())
}

/// What the dashboard needs of the rows that started at or after `from` (RFC 3339):
/// rollouts and task definition registrations, with only the JSON fields the metrics read
/// (`toTaskDefinition`; `finishedAt`; `family` and `revision`), so a busy quarter stays small.
pub async fn dashboard_rows(db: &SqlitePool, from: &str) -> Result<Vec<HistoryEntry>, sqlx::Error> {
    #[derive(FromRow)]
    struct MetricRow {
        id: i64,
        kind: String,
        target: String,
        actor: String,
        status: String,
        started_at: String,
        duration_ms: Option<i64>,
        to_task_definition: Option<String>,
        finished_at: Option<String>,
        family: Option<String>,
        revision: Option<i64>,
    }
    let rows: Vec<MetricRow> = sqlx::query_as(
        "SELECT id, kind, target, actor, status, started_at, duration_ms, \
                json_extract(request_json, '$.toTaskDefinition') AS to_task_definition, \
                json_extract(response_json, '$.finishedAt') AS finished_at, \
                json_extract(response_json, '$.family') AS family, \
                json_extract(response_json, '$.revision') AS revision \
         FROM history WHERE kind IN ('rollout', 'task_definition.register') AND started_at >= ? \
         ORDER BY id",
    )
    .bind(from)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let mut request = serde_json::Map::new();
            if let Some(td) = r.to_task_definition {
                request.insert("toTaskDefinition".into(), td.into());
            }
            let mut response = serde_json::Map::new();
            if let Some(f) = r.finished_at {
                response.insert("finishedAt".into(), f.into());
            }
            if let Some(f) = r.family {
                response.insert("family".into(), f.into());
            }
            if let Some(rev) = r.revision {
                response.insert("revision".into(), rev.into());
            }
            HistoryEntry {
                id: r.id,
                kind: r.kind,
                target: r.target,
                actor: r.actor,
                status: HistoryStatus::parse(&r.status).unwrap_or(HistoryStatus::Failed),
                started_at: r.started_at,
                duration_ms: r.duration_ms,
                request: request.into(),
                response: Some(response.into()),
                error: None,
            }
        })
        .collect())
}
