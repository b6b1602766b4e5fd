//! The `ecs-portal` server: configuration, the axum router (the very one tests build),
//! and start-up.

pub mod cli;
mod health;

use app::{
    backend::{
        aws::{AwsClients, AwsSettings},
        db, AppState,
    },
    shell, App,
};
use axum::{routing::get, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::{net::SocketAddr, sync::Arc};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

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
    pub log_format: LogFormat,
}

/// Sets up logging once; `RUST_LOG` filters (default `info`).
pub fn init_tracing(format: LogFormat) {
    use tracing_subscriber::{fmt, EnvFilter};
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// Opens and migrates the database, connects the AWS clients.
pub async fn build_state(config: &Config) -> Result<AppState, String> {
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| format!("could not open the database {}: {e}", config.database_url))?;
    db::migrate(&pool).await.map_err(|e| {
        format!(
            "could not migrate the database {}: {e}",
            config.database_url
        )
    })?;
    match db::history::fail_interrupted(&pool).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            rows = n,
            "history rows left pending by an earlier stop were marked failed"
        ),
        Err(e) => return Err(format!("could not check pending history rows: {e}")),
    }
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
    })
}

/// The whole HTTP surface: pages, server functions, `/healthz`, static files.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    let fallback_state = state.clone();
    Router::new()
        .route("/healthz", get(health::healthz))
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
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// `ecs-portal migrate`: create or upgrade the database and stop.
pub async fn migrate_only(config: &Config) -> Result<(), String> {
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| format!("could not open the database {}: {e}", config.database_url))?;
    db::migrate(&pool).await.map_err(|e| {
        format!(
            "could not migrate the database {}: {e}",
            config.database_url
        )
    })?;
    tracing::info!(database = %config.database_url, "database is up to date");
    Ok(())
}

/// `ecs-portal serve`: run until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), String> {
    let state = build_state(&config).await?;
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
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown_signal())
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
