//! The command line: `serve` (the default) and `migrate`. Every flag mirrors an
//! environment variable, so `make run`, containers and systemd units configure it alike.

use crate::{Config, LogFormat};
use clap::{Args, Parser, Subcommand};
use std::{net::SocketAddr, process::ExitCode};

#[derive(Parser, Debug)]
#[command(
    name = "ecs-portal",
    version,
    about = "A web portal for deploying containers to AWS ECS Fargate"
)]
pub struct Cli {
    #[command(flatten)]
    pub options: Options,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Create or upgrade the database, then exit.
    Migrate,
}

#[derive(Args, Debug, Clone)]
pub struct Options {
    /// Address to listen on.
    #[arg(
        long,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub site_addr: SocketAddr,
    /// Folder with the compiled browser bundle (pkg/) and static files.
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: String,
    /// SQLite database: a file path or a sqlite: URL. Created on first start.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "ecs-portal.db",
        global = true
    )]
    pub database_url: String,
    /// Send every AWS call to this endpoint (e.g. a local emulator).
    #[arg(long, env = "AWS_ENDPOINT_URL", global = true)]
    pub aws_endpoint_url: Option<String>,
    /// AWS region; defaults to the profile's region, then us-east-1.
    #[arg(long, env = "AWS_REGION", global = true)]
    pub aws_region: Option<String>,
    /// Log format.
    #[arg(
        long,
        env = "LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,
}

impl Options {
    pub fn into_config(self) -> Config {
        Config {
            site_addr: self.site_addr,
            site_root: self.site_root,
            database_url: self.database_url,
            aws: app::backend::aws::AwsSettings {
                endpoint_url: self.aws_endpoint_url.filter(|u| !u.is_empty()),
                region: self.aws_region.filter(|r| !r.is_empty()),
                static_credentials: None,
            },
            log_format: self.log_format,
        }
    }
}

/// Parses the command line and runs the chosen command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    let config = cli.options.into_config();
    crate::init_tracing(config.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: could not start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match command {
            Command::Serve => crate::serve(config).await,
            Command::Migrate => crate::migrate_only(&config).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
