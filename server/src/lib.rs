//! The `ecs-portal` server: configuration, the axum router (the very one tests build),
//! and start-up.

pub mod api_v1;
pub mod cli;
mod health;
pub mod jobs;

use app::{
    backend::{
        auth::{middleware::authenticate, AuthSettings, SESSION_COOKIE},
        aws::{AwsClients, AwsSettings},
        db, ops, server_fn_error_status, AppState,
    },
    shell, App,
};
use axum::{middleware::from_fn_with_state, routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::{net::SocketAddr, sync::Arc};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};
use tower_sessions::{cookie::SameSite, Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::SqliteStore;

/// Log output format.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Everything the server needs to start.
#[derive(Clone, Debug)]
pub struct Config {
    pub site_addr: SocketAddr,
    pub site_root: String,
    pub database_url: String,
    pub aws: AwsSettings,
    pub auth: AuthSettings,
    pub log_format: LogFormat,
    /// Sandbox mode: create one demo user per role at start and print their passwords.
    pub demo_users: bool,
    /// The demo users' password; random at every start when `None`.
    pub demo_password: Option<String>,
    /// The rollout watcher's poll interval and timeout.
    pub rollouts: jobs::rollouts::RolloutSettings,
}

/// Sets up logging once; `RUST_LOG` filters (default `info`).
pub fn init_tracing(format: LogFormat) {
    use tracing_subscriber::{fmt, EnvFilter};
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Logs go to standard error: standard output is for what commands print
    // (`ecs-portal tokens create` prints only the token).
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// Opens and migrates the database, connects the AWS clients.
pub async fn build_state(config: &Config) -> Result<AppState, String> {
    let pool = open_database(config).await?;
    match db::history::fail_interrupted(&pool).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            rows = n,
            "history rows left pending by an earlier stop were marked failed"
        ),
        Err(e) => return Err(format!("could not check pending history rows: {e}")),
    }
    let sessions = SqliteStore::new(pool.clone());
    sessions
        .migrate()
        .await
        .map_err(|e| format!("could not prepare the session table: {e}"))?;
    let leptos_options = LeptosOptions::builder()
        .output_name("ecs-portal")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.site_addr)
        .build();
    Ok(AppState {
        leptos_options,
        db: pool,
        aws: Arc::new(AwsClients::new(&config.aws).await),
        sessions,
        auth: config.auth,
    })
}

/// Background work beside the web server: the rollout watcher (which resumes the rollouts
/// still in progress). Aborted when the returned guard is dropped.
pub fn start_background_jobs(state: &AppState, config: &Config) -> BackgroundJobs {
    BackgroundJobs {
        rollout_watcher: jobs::rollouts::spawn(state.clone(), config.rollouts),
    }
}

/// The running background tasks; dropping this stops them.
pub struct BackgroundJobs {
    rollout_watcher: tokio::task::JoinHandle<()>,
}

impl Drop for BackgroundJobs {
    fn drop(&mut self) {
        self.rollout_watcher.abort();
    }
}

/// The whole HTTP surface: pages, server functions, `/healthz`, static files.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let fallback_state = state.clone();
    let sessions = SessionManagerLayer::new(state.sessions.clone())
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.auth.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(
            state.auth.idle_timeout.as_secs() as i64,
        )));
    Router::new()
        .route("/healthz", get(health::healthz))
        .merge(api_v1::router())
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || provide_context(fallback_state.clone()), shell
        ))
        // Outermost first on the way in: trace, compress, session, then authenticate.
        .layer(axum::middleware::from_fn(server_fn_error_status))
        .layer(from_fn_with_state(state.clone(), authenticate))
        .layer(sessions)
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves `router` on `listener`, giving handlers the client's address (sign-in
/// throttling and the audit log use it). Tests serve the very same way.
pub async fn serve_router(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// First start: sandbox demo users, or the one-time setup link when nobody can sign in.
async fn prepare_users(config: &Config, state: &AppState) -> Result<(), String> {
    if config.demo_users {
        let users = ops::accounts::ensure_demo_users(&state.db, config.demo_password.clone())
            .await
            .map_err(|e| format!("could not create the demo users: {e}"))?;
        println!("sandbox: demo users (passwords are reset at every start):");
        for (username, role, password) in users {
            println!(
                "  {username:<10} {:<10} password: {password}",
                role.as_str()
            );
        }
        return Ok(());
    }
    if let Some(secret) = ops::accounts::create_setup_secret(&state.db)
        .await
        .map_err(|e| format!("could not create a setup link: {e}"))?
    {
        let link = format!("http://{}/setup?token={secret}", config.site_addr);
        tracing::warn!(%link, "no user exists yet: open this one-time link to create the first admin");
        println!("No user exists yet. Create the first admin at: {link}");
    }
    Ok(())
}

/// `ecs-portal migrate`: create or upgrade the database and stop.
pub async fn migrate_only(config: &Config) -> Result<(), String> {
    open_database(config).await?;
    tracing::info!(database = %config.database_url, "database is up to date");
    Ok(())
}

/// Opens the database (creating the file on first start) and applies pending migrations.
pub async fn open_database(config: &Config) -> Result<sqlx::SqlitePool, String> {
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| format!("could not open the database {}: {e}", config.database_url))?;
    db::migrate(&pool).await.map_err(|e| {
        format!(
            "could not migrate the database {}: {e}",
            config.database_url
        )
    })?;
    Ok(pool)
}

/// `ecs-portal serve`: run until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), String> {
    let state = build_state(&config).await?;
    prepare_users(&config, &state).await?;
    let expired_sessions = state.sessions.clone();
    tokio::spawn(async move {
        use tower_sessions::session_store::ExpiredDeletion;
        let _ = expired_sessions
            .continuously_delete_expired(std::time::Duration::from_secs(3600))
            .await;
    });
    let _jobs = start_background_jobs(&state, &config);
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| format!("could not listen on {}: {e}", config.site_addr))?;
    tracing::info!(
        address = %format!("http://{}", config.site_addr),
        database = %config.database_url,
        aws_endpoint = %state.aws.endpoint_label(),
        sandbox = state.aws.is_sandbox(),
        "ecs-portal is listening"
    );
    serve_router(listener, router(state), shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut sig) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            sig.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down");
}
