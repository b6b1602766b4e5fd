//! The `api_tokens` table. Tokens are stored as SHA-256 hashes.

use crate::domain::{
    accounts::{ApiTokenSummary, CurrentUser},
    permissions::UserRole,
};
use sqlx::{FromRow, SqlitePool};

#[derive(FromRow)]
struct TokenRow {
    id: i64,
    name: String,
    prefix: String,
    created_at: String,
    expires_at: Option<String>,
    last_used_at: Option<String>,
    revoked_at: Option<String>,
}

impl From<TokenRow> for ApiTokenSummary {
    fn from(r: TokenRow) -> Self {
        ApiTokenSummary {
            id: r.id,
            name: r.name,
            prefix: r.prefix,
            created_at: r.created_at,
            expires_at: r.expires_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

const COLUMNS: &str = "id, name, prefix, created_at, expires_at, last_used_at, revoked_at";

pub async fn insert(
    db: &SqlitePool,
    user_id: i64,
    name: &str,
    token_hash: &str,
    prefix: &str,
    expires_in_days: Option<i64>,
) -> Result<ApiTokenSummary, sqlx::Error> {
    let row: TokenRow = sqlx::query_as(&format!(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, expires_at) \
         VALUES (?, ?, ?, ?, CASE WHEN ? IS NULL THEN NULL ELSE \
           strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || ? || ' days') END) \
         RETURNING {COLUMNS}"
    ))
    .bind(user_id)
    .bind(name.trim())
    .bind(token_hash)
    .bind(prefix)
    .bind(expires_in_days)
    .bind(expires_in_days)
    .fetch_one(db)
    .await?;
    Ok(row.into())
}

pub async fn list_for_user(
    db: &SqlitePool,
    user_id: i64,
) -> Result<Vec<ApiTokenSummary>, sqlx::Error> {
    let rows: Vec<TokenRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE user_id = ? ORDER BY id DESC"
    ))
    .bind(user_id)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Revokes one of the user's own tokens. Returns the token's name when it changed.
pub async fn revoke(
    db: &SqlitePool,
    user_id: i64,
    token_id: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(String,)> = sqlx::query_as(
        "UPDATE api_tokens SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         WHERE id = ? AND user_id = ? AND revoked_at IS NULL RETURNING name",
    )
    .bind(token_id)
    .bind(user_id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|(name,)| name))
}

/// The active user a valid token belongs to (not revoked, not expired, user not disabled),
/// recording the use.
pub async fn authenticate(
    db: &SqlitePool,
    token_hash: &str,
) -> Result<Option<CurrentUser>, sqlx::Error> {
    let row: Option<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT t.id, u.id, u.username, u.display_name, u.role \
         FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled = 0 \
           AND (t.expires_at IS NULL OR t.expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    )
    .bind(token_hash)
    .fetch_optional(db)
    .await?;
    let Some((token_id, id, username, display_name, role)) = row else {
        return Ok(None);
    };
    sqlx::query(
        "UPDATE api_tokens SET last_used_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
    )
    .bind(token_id)
    .execute(db)
    .await?;
    Ok(Some(CurrentUser {
        id,
        username,
        display_name,
        role: UserRole::parse(&role).unwrap_or(UserRole::Developer),
    }))
}
