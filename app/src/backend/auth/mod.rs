//! Who is calling: passwords, sessions, API tokens, the current user, and the one
//! authorization helper every server function and `/api/v1` route goes through.

pub mod middleware;
pub mod passwords;
pub mod secrets;

use crate::{
    backend::db,
    domain::{accounts::CurrentUser, permissions::Operation},
    error::AppError,
};
use leptos::prelude::*;
use sqlx::SqlitePool;
use std::time::Duration;

/// Session keys.
pub const SESSION_USER_ID: &str = "user_id";
/// Unix time in milliseconds.
pub const SESSION_SIGNED_IN_AT: &str = "signed_in_at_ms";
/// Unix time in milliseconds of the last request that renewed the idle expiry.
pub const SESSION_SEEN_AT: &str = "seen_at_ms";
/// The session cookie's name.
pub const SESSION_COOKIE: &str = "ecs_portal_session";

/// How sessions behave.
#[derive(Clone, Copy, Debug)]
pub struct AuthSettings {
    /// Signed out after this long without a request (default 8 h).
    pub idle_timeout: Duration,
    /// Signed out this long after signing in, however active (default 7 d).
    pub max_lifetime: Duration,
    /// Mark the cookie `Secure` (serve over HTTPS).
    pub secure_cookies: bool,
}

impl AuthSettings {
    /// How often an active session's idle expiry is pushed back. Renewing means writing the
    /// session, so it happens at most this often per session (a quarter of the idle
    /// timeout, at most a minute), not on every request.
    pub fn renew_interval(&self) -> Duration {
        (self.idle_timeout / 4).min(Duration::from_secs(60))
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(8 * 3600),
            max_lifetime: Duration::from_secs(7 * 24 * 3600),
            secure_cookies: false,
        }
    }
}

/// The caller's network address, as the middleware saw it.
#[derive(Clone, Debug, Default)]
pub struct ClientAddr(pub String);

/// How the current request was authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthMethod {
    Session,
    BearerToken,
}

/// Put into request extensions by the middleware for a signed-in caller.
#[derive(Clone, Debug)]
pub struct Authenticated {
    pub user: CurrentUser,
    pub method: AuthMethod,
}

/// What the middleware learnt about a request, from the Leptos context of a server
/// function or page.
pub fn request_identity() -> (Option<Authenticated>, ClientAddr) {
    let parts = use_context::<http::request::Parts>();
    let user = parts
        .as_ref()
        .and_then(|p| p.extensions.get::<Authenticated>().cloned());
    let client = parts
        .as_ref()
        .and_then(|p| p.extensions.get::<ClientAddr>().cloned())
        .unwrap_or_default();
    (user, client)
}

/// The signed-in user of this request, if any.
pub fn current_user() -> Option<CurrentUser> {
    request_identity().0.map(|a| a.user)
}

/// Checks the permission table for `operation`: 403 (and an audit row) when the user's
/// role does not allow it.
async fn authorize_user(
    db: &SqlitePool,
    user: &CurrentUser,
    client: &str,
    operation: Operation,
) -> Result<(), AppError> {
    if user.role.can(operation) {
        return Ok(());
    }
    db::audit::insert(
        db,
        &user.username,
        "denied",
        operation.describe(),
        client,
        user.role.as_str(),
    )
    .await?;
    Err(AppError::Forbidden {
        message: format!(
            "Your role ({}) does not allow you to {}.",
            user.role,
            operation.describe()
        ),
    })
}

/// Who is asking for an operation. Every use-case in `backend::ops` takes one and checks
/// it with [`Caller::require`] before doing anything.
#[derive(Clone, Debug)]
pub enum Caller {
    /// Nobody signed in.
    Anonymous { client: String },
    /// A signed-in user (session cookie or API token).
    User { user: CurrentUser, client: String },
    /// The operator at the command line (`ecs-portal users add`, ...), trusted because
    /// they hold the database itself.
    Operator,
}

/// The caller of an `/api/v1` handler, as the authentication middleware resolved it.
impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        Ok(Caller::from_parts(parts))
    }
}

impl Caller {
    /// The caller a request's extensions name (see [`middleware`]).
    pub fn from_parts(parts: &http::request::Parts) -> Caller {
        let user = parts
            .extensions
            .get::<Authenticated>()
            .map(|a| a.user.clone());
        let client = parts
            .extensions
            .get::<ClientAddr>()
            .map(|c| c.0.clone())
            .unwrap_or_default();
        Caller::new(user, client)
    }

    /// The caller of the current server function or page render.
    pub fn from_request() -> Caller {
        let (user, client) = request_identity();
        Caller::new(user.map(|a| a.user), client.0)
    }

    pub fn new(user: Option<CurrentUser>, client: String) -> Caller {
        match user {
            Some(user) => Caller::User { user, client },
            None => Caller::Anonymous { client },
        }
    }

    /// The name history and audit rows record.
    pub fn name(&self) -> &str {
        match self {
            Caller::Anonymous { .. } => "anonymous",
            Caller::User { user, .. } => &user.username,
            Caller::Operator => "operator (command line)",
        }
    }

    pub fn client(&self) -> &str {
        match self {
            Caller::Anonymous { client } | Caller::User { client, .. } => client,
            Caller::Operator => "cli",
        }
    }

    pub fn user(&self) -> Option<&CurrentUser> {
        match self {
            Caller::User { user, .. } => Some(user),
            _ => None,
        }
    }

    /// The permission check: 401 without a user, 403 and an audit row when the role does
    /// not allow `operation`. The operator may do everything.
    pub async fn require(&self, db: &SqlitePool, operation: Operation) -> Result<(), AppError> {
        match self {
            Caller::Operator => Ok(()),
            Caller::Anonymous { .. } => Err(AppError::sign_in_required()),
            Caller::User { user, client } => authorize_user(db, user, client, operation).await,
        }
    }

    /// Like [`Caller::require`], returning the signed-in user (the operator has none).
    pub async fn require_user(
        &self,
        db: &SqlitePool,
        operation: Operation,
    ) -> Result<CurrentUser, AppError> {
        self.require(db, operation).await?;
        self.user().cloned().ok_or_else(AppError::sign_in_required)
    }
}
