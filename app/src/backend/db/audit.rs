//! The `audit` table: append-only (triggers refuse updates and deletes).

use crate::domain::accounts::AuditEntry;
use sqlx::{FromRow, SqlitePool};

#[derive(FromRow)]
struct AuditRow {
    id: i64,
    at: String,
    actor: String,
    action: String,
    target: String,
    client: String,
    detail: String,
}

pub async fn insert(
    db: &SqlitePool,
    actor: &str,
    action: &str,
    target: &str,
    client: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit (actor, action, target, client, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(actor)
        .bind(action)
        .bind(target)
        .bind(client)
        .bind(detail)
        .execute(db)
        .await?;
    Ok(())
}

/// The newest rows, newest first; only `action` when given.
pub async fn recent(
    db: &SqlitePool,
    action: Option<&str>,
    limit: i64,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT id, at, actor, action, target, client, detail FROM audit \
         WHERE (?1 IS NULL OR action = ?1) ORDER BY id DESC LIMIT ?2",
    )
    .bind(action)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: r.at,
            actor: r.actor,
            action: r.action,
            target: r.target,
            client: r.client,
            detail: r.detail,
        })
        .collect())
}
