//! Failed sign-ins (for throttling) and one-time first-admin setup links.

use sqlx::SqlitePool;

pub async fn record_failure(
    db: &SqlitePool,
    username: &str,
    client: &str,
    at_unix: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sign_in_failures (username, client, at_unix) VALUES (?, ?, ?)")
        .bind(username)
        .bind(client)
        .bind(at_unix)
        .execute(db)
        .await?;
    Ok(())
}

/// Times of failures since `since_unix` for this username, and for this client address.
pub async fn recent_failures(
    db: &SqlitePool,
    username: &str,
    client: &str,
    since_unix: i64,
) -> Result<(Vec<i64>, Vec<i64>), sqlx::Error> {
    let by_user: Vec<(i64,)> =
        sqlx::query_as("SELECT at_unix FROM sign_in_failures WHERE username = ? AND at_unix > ?")
            .bind(username)
            .bind(since_unix)
            .fetch_all(db)
            .await?;
    let by_client: Vec<(i64,)> =
        sqlx::query_as("SELECT at_unix FROM sign_in_failures WHERE client = ? AND at_unix > ?")
            .bind(client)
            .bind(since_unix)
            .fetch_all(db)
            .await?;
    Ok((
        by_user.into_iter().map(|r| r.0).collect(),
        by_client.into_iter().map(|r| r.0).collect(),
    ))
}

/// Forgets failures that can no longer matter.
pub async fn prune_failures(db: &SqlitePool, before_unix: i64) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE at_unix <= ?")
        .bind(before_unix)
        .execute(db)
        .await?;
    Ok(())
}

/// Stores a new setup link's hash; earlier unused links stop working.
pub async fn replace_setup_token(db: &SqlitePool, token_hash: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM setup_tokens WHERE used_at IS NULL")
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO setup_tokens (token_hash) VALUES (?)")
        .bind(token_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Marks the setup link used, if it exists, is unused and no user exists yet. True when it
/// was claimed by this call (so two browsers cannot both use it).
pub async fn claim_setup_token(db: &SqlitePool, token_hash: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE setup_tokens SET used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         WHERE token_hash = ? AND used_at IS NULL AND (SELECT COUNT(*) FROM users) = 0",
    )
    .bind(token_hash)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// True while the link exists and is unused.
pub async fn setup_token_is_open(db: &SqlitePool, token_hash: &str) -> Result<bool, sqlx::Error> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT 1 FROM setup_tokens WHERE token_hash = ? AND used_at IS NULL")
            .bind(token_hash)
            .fetch_optional(db)
            .await?;
    Ok(row.is_some())
}
