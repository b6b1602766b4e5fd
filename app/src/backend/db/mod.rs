//! SQLite access: one module per table group. Queries are checked at run time
//! (`sqlx::query_as`), so building needs no database.

pub mod audit;
pub mod change_requests;
pub mod history;
pub mod rollouts;
pub mod sign_in;
pub mod tokens;
pub mod users;

use sqlx::{
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
    SqlitePool,
};
use std::{str::FromStr, time::Duration};

/// Opens (creating it if needed) the database named by `database_url`: either a
/// `sqlite:` URL or a plain file path such as `ecs-portal.db`. WAL mode, foreign keys on,
/// a busy timeout so concurrent writers wait instead of failing.
pub async fn connect(database_url: &str) -> Result<SqlitePool, sqlx::Error> {
    let options = if database_url.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(database_url)?
    } else {
        SqliteConnectOptions::new().filename(database_url)
    };
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
}

/// Applies the migrations in `migrations/` that have not run yet.
pub async fn migrate(pool: &SqlitePool) -> Result<(), sqlx::migrate::MigrateError> {
    sqlx::migrate!("../migrations").run(pool).await
}

/// True when the database answers a trivial query.
pub async fn ping(pool: &SqlitePool) -> bool {
    sqlx::query("SELECT 1").execute(pool).await.is_ok()
}
