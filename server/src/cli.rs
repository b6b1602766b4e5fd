//! The command line. `serve` (the default) and `migrate`; `users` and `tokens` for the
//! operator at the machine. Every flag mirrors an environment variable, so `make run`,
//! containers and systemd units configure it alike.

use crate::{Config, LogFormat};
use app::{
    backend::{
        auth::{AuthSettings, Caller},
        db, ops,
    },
    domain::{accounts::NewUser, permissions::UserRole},
};
use clap::{Args, Parser, Subcommand};
use std::{io::Read, net::SocketAddr, process::ExitCode, time::Duration};

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

#[derive(Subcommand, Debug, Clone)]
pub enum Command {
    /// Run the web server (the default).
    Serve,
    /// Create or upgrade the database, then exit.
    Migrate,
    /// Manage users.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Tokens(TokensCommand),
    /// Write a consistent copy of the database to FILE (safe while the server runs;
    /// refuses to overwrite an existing file).
    Backup { file: std::path::PathBuf },
}

#[derive(Subcommand, Debug, Clone)]
pub enum UsersCommand {
    /// Add a user. The password is read from standard input (one line).
    Add {
        username: String,
        #[arg(long, value_parser = parse_role)]
        role: UserRole,
        /// Read the password from standard input (required: passwords never go on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Display name (defaults to the username).
        #[arg(long)]
        display_name: Option<String>,
    },
    /// List users.
    List,
}

#[derive(Subcommand, Debug, Clone)]
pub enum TokensCommand {
    /// Create an API token for a user and print only the token.
    Create {
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        expires_days: Option<i64>,
    },
}

fn parse_role(value: &str) -> Result<UserRole, String> {
    UserRole::parse(value).ok_or_else(|| "expected developer, manager or admin".to_string())
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
    /// Mark the session cookie Secure (serve the portal over HTTPS).
    #[arg(long, env = "SECURE_COOKIES", global = true)]
    pub secure_cookies: bool,
    /// Sign out after this many seconds without a request.
    #[arg(long, env = "SESSION_IDLE_TIMEOUT_SECS", default_value_t = 8 * 3600, global = true)]
    pub session_idle_timeout_secs: u64,
    /// Sign out this many seconds after signing in, however active.
    #[arg(long, env = "SESSION_MAX_LIFETIME_SECS", default_value_t = 7 * 24 * 3600, global = true)]
    pub session_max_lifetime_secs: u64,
    /// Sandbox mode: create one demo user per role and print their passwords at start.
    #[arg(long, env = "DEMO_USERS", global = true)]
    pub demo_users: bool,
    /// The demo users' password (random at every start when unset).
    #[arg(long, env = "DEMO_PASSWORD", global = true, hide_env_values = true)]
    pub demo_password: Option<String>,
    /// Milliseconds between two looks of the rollout watcher at the rollouts in progress.
    #[arg(long, env = "ROLLOUT_POLL_INTERVAL_MS", default_value_t = 5000, value_parser = clap::value_parser!(u64).range(100..), global = true)]
    pub rollout_poll_interval_ms: u64,
    /// Seconds a rollout may take before it is called timed out.
    #[arg(long, env = "ROLLOUT_TIMEOUT_SECS", default_value_t = 30 * 60, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub rollout_timeout_secs: u64,
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
                max_attempts: None,
            },
            auth: AuthSettings {
                idle_timeout: Duration::from_secs(self.session_idle_timeout_secs),
                max_lifetime: Duration::from_secs(self.session_max_lifetime_secs),
                secure_cookies: self.secure_cookies,
            },
            log_format: self.log_format,
            demo_users: self.demo_users,
            demo_password: self.demo_password.filter(|p| !p.is_empty()),
            rollouts: crate::jobs::rollouts::RolloutSettings {
                poll_interval: Duration::from_millis(self.rollout_poll_interval_ms),
                timeout: Duration::from_secs(self.rollout_timeout_secs),
            },
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
            Command::Users(command) => users(&config, command).await,
            Command::Tokens(command) => tokens(&config, command).await,
            Command::Backup { file } => backup(&config, &file).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn users(config: &Config, command: UsersCommand) -> Result<(), String> {
    let pool = crate::open_database(config).await?;
    match command {
        UsersCommand::Add {
            username,
            role,
            password_stdin: _,
            display_name,
        } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .map_err(|e| format!("could not read the password from standard input: {e}"))?;
            let password = password.trim_end_matches(['\n', '\r']).to_string();
            let new_user = NewUser {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                role,
                password,
            };
            let user = ops::accounts::add_user_unchecked(&pool, &Caller::Operator, new_user)
                .await
                .map_err(|e| describe(&e))?;
            eprintln!("added {} ({})", user.username, user.role);
        }
        UsersCommand::List => {
            println!("{:<24} {:<10} {:<9} NAME", "USERNAME", "ROLE", "STATUS");
            for u in db::users::list(&pool).await.map_err(|e| e.to_string())? {
                let status = if u.disabled { "disabled" } else { "active" };
                println!(
                    "{:<24} {:<10} {:<9} {}",
                    u.username, u.role, status, u.display_name
                );
            }
        }
    }
    Ok(())
}

async fn tokens(config: &Config, command: TokensCommand) -> Result<(), String> {
    let pool = crate::open_database(config).await?;
    match command {
        TokensCommand::Create {
            user,
            name,
            expires_days,
        } => {
            let owner = db::users::find_by_username(&pool, &user)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no user named {user}"))?;
            if owner.disabled {
                return Err(format!("{user} is disabled; the token would not work"));
            }
            let created = ops::accounts::create_token_for(
                &pool,
                &Caller::Operator,
                owner.id,
                &owner.username,
                &name,
                expires_days,
            )
            .await
            .map_err(|e| describe(&e))?;
            // Only the token on standard output, so `T=$(ecs-portal tokens create ...)` works.
            println!("{}", created.token);
        }
    }
    Ok(())
}

/// `ecs-portal backup FILE`: `VACUUM INTO` writes a consistent snapshot (one read
/// transaction) while the server keeps reading and writing; the copy is compact and opens
/// as an ordinary database. Prints the path and size.
async fn backup(config: &Config, file: &std::path::Path) -> Result<(), String> {
    if file.exists() {
        return Err(format!(
            "{} already exists; choose a new file (a backup never overwrites one)",
            file.display()
        ));
    }
    let path = file
        .to_str()
        .ok_or_else(|| format!("{} is not a UTF-8 path", file.display()))?;
    let plain_path = !config.database_url.starts_with("sqlite:");
    if plain_path && !std::path::Path::new(&config.database_url).exists() {
        return Err(format!("there is no database at {}", config.database_url));
    }
    // Opened without migrating: a backup copies the database as it is.
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| format!("could not open the database {}: {e}", config.database_url))?;
    sqlx::query("VACUUM INTO ?")
        .bind(path)
        .execute(&pool)
        .await
        .map_err(|e| format!("could not write the backup {}: {e}", file.display()))?;
    pool.close().await;
    let size = std::fs::metadata(file)
        .map_err(|e| format!("the backup {} cannot be read: {e}", file.display()))?
        .len();
    let shown = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    println!("{} ({size} bytes)", shown.display());
    Ok(())
}

/// An error with its field problems, for the terminal.
fn describe(err: &app::error::AppError) -> String {
    let fields: Vec<String> = err
        .field_errors()
        .iter()
        .map(|f| format!("{}: {}", f.field, f.message))
        .collect();
    if fields.is_empty() {
        err.to_string()
    } else {
        fields.join("; ")
    }
}
