//! The `users` table.

use crate::domain::{
    accounts::{CurrentUser, UserSummary},
    permissions::UserRole,
};
use sqlx::{FromRow, SqlitePool};

#[derive(FromRow)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    disabled: bool,
    created_at: String,
    updated_at: String,
}

impl UserRow {
    fn into_summary(self) -> UserSummary {
        UserSummary {
            id: self.id,
            username: self.username,
            display_name: self.display_name,
            // The CHECK constraint admits only known roles.
            role: UserRole::parse(&self.role).unwrap_or(UserRole::Developer),
            disabled: self.disabled,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// A user with what sign-in needs.
pub struct Credentials {
    pub user: CurrentUser,
    pub password_hash: String,
    pub disabled: bool,
}

const COLUMNS: &str = "id, username, display_name, role, disabled, created_at, updated_at";

pub async fn list(db: &SqlitePool) -> Result<Vec<UserSummary>, sqlx::Error> {
    let rows: Vec<UserRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM users ORDER BY username"))
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(UserRow::into_summary).collect())
}

pub async fn count(db: &SqlitePool) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(db)
        .await?;
    Ok(n)
}

pub async fn find(db: &SqlitePool, id: i64) -> Result<Option<UserSummary>, sqlx::Error> {
    let row: Option<UserRow> = sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE id = ?"))
        .bind(id)
        .fetch_optional(db)
        .await?;
    Ok(row.map(UserRow::into_summary))
}

pub async fn find_by_username(
    db: &SqlitePool,
    username: &str,
) -> Result<Option<UserSummary>, sqlx::Error> {
    let row: Option<UserRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM users WHERE username = ?"))
            .bind(username)
            .fetch_optional(db)
            .await?;
    Ok(row.map(UserRow::into_summary))
}

/// The active (not disabled) user with this id, as requests see them.
pub async fn active_user(db: &SqlitePool, id: i64) -> Result<Option<CurrentUser>, sqlx::Error> {
    Ok(find(db, id)
        .await?
        .filter(|u| !u.disabled)
        .map(|u| CurrentUser {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role,
        }))
}

pub async fn credentials(
    db: &SqlitePool,
    username: &str,
) -> Result<Option<Credentials>, sqlx::Error> {
    let row: Option<(i64, String, String, String, String, bool)> = sqlx::query_as(
        "SELECT id, username, display_name, role, password_hash, disabled \
         FROM users WHERE username = ?",
    )
    .bind(username)
    .fetch_optional(db)
    .await?;
    Ok(row.map(
        |(id, username, display_name, role, password_hash, disabled)| Credentials {
            user: CurrentUser {
                id,
                username,
                display_name,
                role: UserRole::parse(&role).unwrap_or(UserRole::Developer),
            },
            password_hash,
            disabled,
        },
    ))
}

/// Inserts a user. A taken username is a unique-constraint error (see `is_unique_violation`).
pub async fn insert(
    db: &SqlitePool,
    username: &str,
    display_name: &str,
    role: UserRole,
    password_hash: &str,
) -> Result<i64, sqlx::Error> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO users (username, display_name, role, password_hash) \
         VALUES (?, ?, ?, ?) RETURNING id",
    )
    .bind(username)
    .bind(display_name.trim())
    .bind(role.as_str())
    .bind(password_hash)
    .fetch_one(db)
    .await?;
    Ok(id)
}

/// Condition keeping at least one active admin: the row being changed is not the last one.
const NOT_LAST_ACTIVE_ADMIN: &str = "NOT (role = 'admin' AND disabled = 0 AND \
     (SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0) <= 1)";

/// Changes a role, unless that would leave no active admin. One statement, so two admins
/// demoting each other at once cannot both succeed. Returns whether the row changed.
pub async fn set_role(db: &SqlitePool, id: i64, role: UserRole) -> Result<bool, sqlx::Error> {
    let guard = if role == UserRole::Admin {
        "1"
    } else {
        NOT_LAST_ACTIVE_ADMIN
    };
    let done = sqlx::query(&format!(
        "UPDATE users SET role = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         WHERE id = ? AND {guard}"
    ))
    .bind(role.as_str())
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Disables or enables a user, never disabling the last active admin.
pub async fn set_disabled(db: &SqlitePool, id: i64, disabled: bool) -> Result<bool, sqlx::Error> {
    let guard = if disabled { NOT_LAST_ACTIVE_ADMIN } else { "1" };
    let done = sqlx::query(&format!(
        "UPDATE users SET disabled = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') \
         WHERE id = ? AND {guard}"
    ))
    .bind(disabled)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_password_hash(
    db: &SqlitePool,
    id: i64,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET password_hash = ?, \
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
    )
    .bind(password_hash)
    .bind(id)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// True for an insert that broke a UNIQUE constraint (e.g. a taken username).
pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    err.as_database_error()
        .is_some_and(|e| e.kind() == sqlx::error::ErrorKind::UniqueViolation)
}
