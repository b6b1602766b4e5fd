//! Users, sign-in, API tokens, first-admin setup and the audit log.

use crate::{
    backend::{
        auth::{
            middleware::{unix_now, unix_now_millis},
            passwords::{hash_password, verify_against_dummy, verify_password},
            secrets::{new_api_token, random_secret, secret_hash, SHOWN_PREFIX_LEN},
            Caller, SESSION_SIGNED_IN_AT, SESSION_USER_ID,
        },
        db, AppState,
    },
    domain::{
        accounts::{
            throttle_retry_after, validate_expiry_days, validate_password, validate_token_name,
            ApiTokenSummary, AuditEntry, CurrentUser, NewApiToken, NewUser, UserSummary,
            BAD_CREDENTIALS, THROTTLE_WINDOW_SECS,
        },
        permissions::{Operation, UserRole},
    },
    error::{AppError, FieldError},
};
use sqlx::SqlitePool;
use tower_sessions::Session;

/// Writes an audit row; a failure to write is logged, never hidden from the caller.
async fn audit(
    db: &SqlitePool,
    caller: &Caller,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<(), AppError> {
    Ok(db::audit::insert(db, caller.name(), action, target, caller.client(), detail).await?)
}

/// Hashing is deliberately slow: keep it off the async workers.
async fn hash_blocking(password: String) -> Result<String, AppError> {
    Ok(tokio::task::spawn_blocking(move || hash_password(&password)).await??)
}

// ---- sign-in ---------------------------------------------------------------------------

/// Signs a user in on `session`: throttled after 5 failures per username or client address
/// in 15 minutes; one message for unknown users and wrong passwords; a new session id.
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    client: &str,
    username: &str,
    password: &str,
) -> Result<CurrentUser, AppError> {
    let db = &state.db;
    let username = username.trim().to_ascii_lowercase();
    let caller = Caller::Anonymous {
        client: client.to_string(),
    };
    let now = unix_now();
    let (by_user, by_client) =
        db::sign_in::recent_failures(db, &username, client, now - THROTTLE_WINDOW_SECS).await?;
    let retry_after =
        throttle_retry_after(&by_user, now).max(throttle_retry_after(&by_client, now));
    if let Some(secs) = retry_after {
        audit(db, &caller, "sign_in_throttled", &username, "").await?;
        let minutes = (secs + 59) / 60;
        return Err(AppError::Throttled {
            message: format!(
                "Too many failed sign-ins. Try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            ),
            retry_after_secs: secs,
        });
    }

    let credentials = db::users::credentials(db, &username).await?;
    let password = password.to_string();
    let (credentials, verified) = tokio::task::spawn_blocking(move || match credentials {
        Some(c) => {
            let ok = verify_password(&password, &c.password_hash);
            (Some(c), ok)
        }
        None => {
            verify_against_dummy(&password);
            (None, false)
        }
    })
    .await?;

    let user = match credentials {
        Some(c) if verified && !c.disabled => c.user,
        other => {
            db::sign_in::record_failure(db, &username, client, now).await?;
            let _ = db::sign_in::prune_failures(db, now - THROTTLE_WINDOW_SECS).await;
            let disabled = other.is_some_and(|c| verified && c.disabled);
            audit(
                db,
                &caller,
                "sign_in_failed",
                &username,
                if disabled { "user is disabled" } else { "" },
            )
            .await?;
            return Err(AppError::Unauthorized {
                message: if disabled {
                    "This account is disabled. Ask an admin to enable it.".to_string()
                } else {
                    BAD_CREDENTIALS.to_string()
                },
            });
        }
    };

    start_session(session, &user).await?;
    let caller = Caller::User {
        user: user.clone(),
        client: client.to_string(),
    };
    audit(db, &caller, "sign_in", &user.username, "").await?;
    Ok(user)
}

/// A fresh session id (no fixation), then who and when.
async fn start_session(session: &Session, user: &CurrentUser) -> Result<(), AppError> {
    session.cycle_id().await?;
    session.insert(SESSION_USER_ID, user.id).await?;
    session
        .insert(SESSION_SIGNED_IN_AT, unix_now_millis())
        .await?;
    Ok(())
}

/// Ends the session on the server (the cookie alone no longer works).
pub async fn sign_out(
    state: &AppState,
    caller: &Caller,
    session: &Session,
) -> Result<(), AppError> {
    session.flush().await?;
    if let Some(user) = caller.user() {
        audit(&state.db, caller, "sign_out", &user.username, "").await?;
    }
    Ok(())
}

// ---- first admin -----------------------------------------------------------------------

/// When no user exists, a new one-time setup secret (earlier ones stop working).
pub async fn create_setup_secret(db: &SqlitePool) -> Result<Option<String>, AppError> {
    if db::users::count(db).await? > 0 {
        return Ok(None);
    }
    let secret = random_secret();
    db::sign_in::replace_setup_token(db, &secret_hash(&secret)).await?;
    Ok(Some(secret))
}

/// True while `secret` can still create the first admin.
pub async fn setup_secret_is_open(db: &SqlitePool, secret: &str) -> Result<bool, AppError> {
    Ok(db::users::count(db).await? == 0
        && db::sign_in::setup_token_is_open(db, &secret_hash(secret)).await?)
}

/// Creates the first admin with a setup secret (once), and signs them in.
pub async fn create_first_admin(
    state: &AppState,
    session: &Session,
    client: &str,
    secret: &str,
    mut new_user: NewUser,
) -> Result<CurrentUser, AppError> {
    new_user.role = UserRole::Admin;
    let problems = new_user.validate();
    if !problems.is_empty() {
        return Err(AppError::validation(problems));
    }
    let hash = hash_blocking(new_user.password.clone()).await?;
    let claimed = db::sign_in::claim_setup_token(&state.db, &secret_hash(secret)).await?;
    if !claimed {
        return Err(AppError::Forbidden {
            message: "This setup link has already been used or is no longer valid.".to_string(),
        });
    }
    let id = db::users::insert(
        &state.db,
        &new_user.username,
        &new_user.display_name,
        UserRole::Admin,
        &hash,
    )
    .await?;
    let user = CurrentUser {
        id,
        username: new_user.username.clone(),
        display_name: new_user.display_name.trim().to_string(),
        role: UserRole::Admin,
    };
    start_session(session, &user).await?;
    let caller = Caller::User {
        user: user.clone(),
        client: client.to_string(),
    };
    audit(
        &state.db,
        &caller,
        "first_admin_created",
        &user.username,
        "",
    )
    .await?;
    Ok(user)
}

/// Sandbox mode: one user per role (`developer`, `manager`, `admin`), with the given
/// password or a fresh random one, reset at every start. Returns (username, role, password).
pub async fn ensure_demo_users(
    db: &SqlitePool,
    password: Option<String>,
) -> Result<Vec<(String, UserRole, String)>, AppError> {
    let mut out = Vec::new();
    for role in UserRole::ALL {
        let username = role.as_str().to_string();
        let password = password
            .clone()
            .unwrap_or_else(|| random_secret()[..20].to_string());
        let hash = hash_blocking(password.clone()).await?;
        match db::users::find_by_username(db, &username).await? {
            Some(existing) => {
                db::users::set_password_hash(db, existing.id, &hash).await?;
                db::users::set_role(db, existing.id, role).await?;
                db::users::set_disabled(db, existing.id, false).await?;
            }
            None => {
                let display = format!("Demo {role}");
                db::users::insert(db, &username, &display, role, &hash).await?;
            }
        }
        out.push((username, role, password));
    }
    Ok(out)
}

// ---- own account -----------------------------------------------------------------------

/// The user the caller's session or API token acts as.
pub async fn own_account(state: &AppState, caller: &Caller) -> Result<CurrentUser, AppError> {
    caller
        .require_user(&state.db, Operation::ViewOwnAccount)
        .await
}

// ---- users (admin) ---------------------------------------------------------------------

pub async fn list_users(state: &AppState, caller: &Caller) -> Result<Vec<UserSummary>, AppError> {
    caller.require(&state.db, Operation::ManageUsers).await?;
    Ok(db::users::list(&state.db).await?)
}

pub async fn add_user(
    state: &AppState,
    caller: &Caller,
    new_user: NewUser,
) -> Result<UserSummary, AppError> {
    caller.require(&state.db, Operation::ManageUsers).await?;
    add_user_unchecked(&state.db, caller, new_user).await
}

/// Adds a user once the caller is known to be allowed (the CLI, sandbox setup).
pub async fn add_user_unchecked(
    db: &SqlitePool,
    caller: &Caller,
    new_user: NewUser,
) -> Result<UserSummary, AppError> {
    let problems = new_user.validate();
    if !problems.is_empty() {
        return Err(AppError::validation(problems));
    }
    let hash = hash_blocking(new_user.password.clone()).await?;
    let id = match db::users::insert(
        db,
        &new_user.username,
        &new_user.display_name,
        new_user.role,
        &hash,
    )
    .await
    {
        Err(err) if db::users::is_unique_violation(&err) => {
            let message = format!("The username {} is already taken.", new_user.username);
            return Err(AppError::Conflict {
                errors: vec![
                    FieldError::new("username", &message).with_rejected(&new_user.username)
                ],
                message,
            });
        }
        inserted => inserted?,
    };
    audit(
        db,
        caller,
        "user_added",
        &new_user.username,
        new_user.role.as_str(),
    )
    .await?;
    db::users::find(db, id).await?.ok_or(AppError::Internal)
}

async fn existing_user(db: &SqlitePool, id: i64) -> Result<UserSummary, AppError> {
    db::users::find(db, id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            message: "That user does not exist.".to_string(),
        })
}

fn last_admin_error() -> AppError {
    AppError::Conflict {
        message:
            "The last active admin cannot be demoted or disabled. Make another user admin first."
                .to_string(),
        errors: vec![],
    }
}

pub async fn change_role(
    state: &AppState,
    caller: &Caller,
    user_id: i64,
    role: UserRole,
) -> Result<UserSummary, AppError> {
    caller.require(&state.db, Operation::ManageUsers).await?;
    let before = existing_user(&state.db, user_id).await?;
    if before.role != role {
        if !db::users::set_role(&state.db, user_id, role).await? {
            return Err(last_admin_error());
        }
        audit(
            &state.db,
            caller,
            "role_changed",
            &before.username,
            &format!("{} -> {role}", before.role),
        )
        .await?;
    }
    existing_user(&state.db, user_id).await
}

pub async fn set_disabled(
    state: &AppState,
    caller: &Caller,
    user_id: i64,
    disabled: bool,
) -> Result<UserSummary, AppError> {
    caller.require(&state.db, Operation::ManageUsers).await?;
    let before = existing_user(&state.db, user_id).await?;
    if before.disabled != disabled {
        if !db::users::set_disabled(&state.db, user_id, disabled).await? {
            return Err(last_admin_error());
        }
        let action = if disabled {
            "user_disabled"
        } else {
            "user_enabled"
        };
        audit(&state.db, caller, action, &before.username, "").await?;
    }
    existing_user(&state.db, user_id).await
}

pub async fn reset_password(
    state: &AppState,
    caller: &Caller,
    user_id: i64,
    password: &str,
) -> Result<(), AppError> {
    caller.require(&state.db, Operation::ManageUsers).await?;
    let user = existing_user(&state.db, user_id).await?;
    validate_password(password, &user.username).map_err(|m| AppError::field("password", m))?;
    let hash = hash_blocking(password.to_string()).await?;
    db::users::set_password_hash(&state.db, user_id, &hash).await?;
    audit(&state.db, caller, "password_reset", &user.username, "").await
}

// ---- API tokens ------------------------------------------------------------------------

pub async fn list_tokens(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<ApiTokenSummary>, AppError> {
    let user = caller
        .require_user(&state.db, Operation::ManageOwnTokens)
        .await?;
    Ok(db::tokens::list_for_user(&state.db, user.id).await?)
}

pub async fn create_token(
    state: &AppState,
    caller: &Caller,
    name: &str,
    expires_in_days: Option<i64>,
) -> Result<NewApiToken, AppError> {
    let user = caller
        .require_user(&state.db, Operation::ManageOwnTokens)
        .await?;
    create_token_for(
        &state.db,
        caller,
        user.id,
        &user.username,
        name,
        expires_in_days,
    )
    .await
}

/// Creates a token for `user_id` (the caller's own, or any user's for the operator).
pub async fn create_token_for(
    db: &SqlitePool,
    caller: &Caller,
    user_id: i64,
    username: &str,
    name: &str,
    expires_in_days: Option<i64>,
) -> Result<NewApiToken, AppError> {
    let mut problems = Vec::new();
    if let Err(m) = validate_token_name(name) {
        problems.push(FieldError::new("name", m).with_rejected(name));
    }
    if let Err(m) = validate_expiry_days(expires_in_days) {
        problems.push(FieldError::new("expiresInDays", m));
    }
    if !problems.is_empty() {
        return Err(AppError::validation(problems));
    }
    let token = new_api_token();
    let summary = db::tokens::insert(
        db,
        user_id,
        name,
        &secret_hash(&token),
        &token[..SHOWN_PREFIX_LEN],
        expires_in_days,
    )
    .await?;
    audit(db, caller, "token_created", username, name.trim()).await?;
    Ok(NewApiToken { token, summary })
}

pub async fn revoke_token(
    state: &AppState,
    caller: &Caller,
    token_id: i64,
) -> Result<(), AppError> {
    let user = caller
        .require_user(&state.db, Operation::ManageOwnTokens)
        .await?;
    match db::tokens::revoke(&state.db, user.id, token_id).await? {
        Some(name) => audit(&state.db, caller, "token_revoked", &user.username, &name).await,
        None => Err(AppError::NotFound {
            message: "That token does not exist, is not yours, or is already revoked.".to_string(),
        }),
    }
}

// ---- audit -----------------------------------------------------------------------------

pub async fn recent_audit(
    state: &AppState,
    caller: &Caller,
    action: Option<&str>,
) -> Result<Vec<AuditEntry>, AppError> {
    caller.require(&state.db, Operation::ViewAudit).await?;
    let action = action.filter(|a| !a.is_empty());
    Ok(db::audit::recent(&state.db, action, 200).await?)
}
