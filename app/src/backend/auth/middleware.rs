//! The authentication middleware: resolves the caller (bearer token or session cookie),
//! refuses cross-site state changes, and sends signed-out browsers to the sign-in page.
//! Authorization itself happens in each operation (`Caller::require`).

use super::{
    secrets::secret_hash, AuthMethod, Authenticated, ClientAddr, SESSION_SEEN_AT,
    SESSION_SIGNED_IN_AT, SESSION_USER_ID,
};
use crate::{
    backend::{db, AppState},
    domain::accounts::CurrentUser,
    error::AppError,
};
use axum::{
    extract::{ConnectInfo, Request, State},
    http::{header, HeaderMap, Method},
    middleware::Next,
    response::{IntoResponse, Redirect, Response},
};
use std::net::SocketAddr;
use tower_sessions::Session;

/// Paths anyone may open without signing in.
const PUBLIC_PAGES: &[&str] = &["/signin", "/setup", "/healthz", "/favicon.ico"];

pub fn unix_now() -> i64 {
    unix_now_millis() / 1000
}

pub fn unix_now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The user an API token acts as: 401 for a token that is unknown, revoked or expired, or
/// whose user is disabled.
async fn token_user(db: &sqlx::SqlitePool, token: &str) -> Result<CurrentUser, AppError> {
    db::tokens::authenticate(db, &secret_hash(token))
        .await?
        .ok_or_else(|| AppError::Unauthorized {
            message: "The API token is not valid: it is unknown, revoked or expired, or its user \
                      is disabled."
                .to_string(),
        })
}

/// The `host[:port]` part of an absolute URL.
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    rest.split(['/', '?', '#']).next()
}

/// True when the request says it comes from a page of this very site: its `Origin` (or,
/// without one, its `Referer`) names the host the request was sent to.
pub fn is_same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    let claimed = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok());
    claimed
        .and_then(authority)
        .is_some_and(|a| a.eq_ignore_ascii_case(host))
}

/// A page a browser navigates to (as opposed to assets, server functions and the API).
fn is_page(method: &Method, path: &str) -> bool {
    method == Method::GET
        && !path.starts_with("/api/")
        && !path.starts_with("/pkg/")
        && !PUBLIC_PAGES.contains(&path)
}

/// The user behind a session cookie, enforcing the absolute lifetime. A session that is
/// too old, or whose user is gone or disabled, is ended.
async fn session_user(state: &AppState, session: &Session) -> Option<CurrentUser> {
    let user_id = session.get::<i64>(SESSION_USER_ID).await.ok().flatten()?;
    let signed_in_at = session
        .get::<i64>(SESSION_SIGNED_IN_AT)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    // Milliseconds, so short lifetimes (tests) are exact.
    let too_old = unix_now_millis() - signed_in_at >= state.auth.max_lifetime.as_millis() as i64;
    let user = if too_old {
        None
    } else {
        db::users::active_user(&state.db, user_id)
            .await
            .ok()
            .flatten()
    };
    if user.is_none() {
        let _ = session.flush().await;
        return None;
    }
    // The session store and the cookie get their idle expiry only when the session is saved,
    // and it is saved only when it changes: renew it now and then while the user is active.
    let now = unix_now_millis();
    let seen_at = session
        .get::<i64>(SESSION_SEEN_AT)
        .await
        .ok()
        .flatten()
        .unwrap_or(signed_in_at);
    if now - seen_at >= state.auth.renew_interval().as_millis() as i64 {
        let _ = session.insert(SESSION_SEEN_AT, now).await;
    }
    user
}

pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let client = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_default();
    req.extensions_mut().insert(ClientAddr(client.clone()));
    let method = req.method().clone();
    let path = req.uri().path().to_string();

    if let Some(token) = bearer_token(req.headers()) {
        // Automation: the token is the whole identity; cookies and origins do not matter.
        match token_user(&state.db, token).await {
            Ok(user) => {
                req.extensions_mut().insert(Authenticated {
                    user,
                    method: AuthMethod::BearerToken,
                });
            }
            Err(err) => return err.into_response(),
        }
        return next.run(req).await;
    }

    let session = req.extensions().get::<Session>().cloned();
    let user = match &session {
        Some(session) => session_user(&state, session).await,
        None => None,
    };

    // A browser's cookie rides along on cross-site requests: state changes must be POSTs
    // that say they come from this site.
    if !matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
        // (Without a signed-in user a non-POST change is simply unauthenticated: the
        // handler answers 401.)
        let refusal = if method != Method::POST && user.is_some() {
            Some("Changes made with a browser session must be POST requests.")
        } else if !is_same_origin(req.headers()) {
            Some("This request did not come from a page of this portal (cross-site requests are refused).")
        } else {
            None
        };
        if let Some(message) = refusal {
            let actor = user
                .as_ref()
                .map(|u| u.username.as_str())
                .unwrap_or("anonymous");
            let _ = db::audit::insert(
                &state.db,
                actor,
                "denied",
                &format!("{method} {path}"),
                &client,
                message,
            )
            .await;
            return AppError::Forbidden {
                message: message.to_string(),
            }
            .into_response();
        }
    }

    match user {
        Some(user) => {
            req.extensions_mut().insert(Authenticated {
                user,
                method: AuthMethod::Session,
            });
        }
        None if is_page(&method, &path) => {
            let next_path = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let target = format!(
                "/signin?next={}",
                crate::domain::url::encode_query_value(next_path)
            );
            return Redirect::to(&target).into_response();
        }
        None => {}
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(k.clone(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn same_origin_rules() {
        let host = (header::HOST, "portal.example:3000");
        assert!(is_same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "http://portal.example:3000")
        ])));
        assert!(is_same_origin(&headers(&[
            host.clone(),
            (header::REFERER, "https://portal.example:3000/clusters?x=1")
        ])));
        assert!(!is_same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "http://evil.example")
        ])));
        assert!(!is_same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "null")
        ])));
        assert!(!is_same_origin(&headers(&[
            host.clone(),
            (header::ORIGIN, "http://portal.example:3000.evil.example")
        ])));
        assert!(!is_same_origin(&headers(std::slice::from_ref(&host))));
        // Origin wins over Referer.
        assert!(!is_same_origin(&headers(&[
            host,
            (header::ORIGIN, "http://evil.example"),
            (header::REFERER, "http://portal.example:3000/"),
        ])));
    }

    #[test]
    fn bearer_tokens_and_pages() {
        assert_eq!(
            bearer_token(&headers(&[(header::AUTHORIZATION, "Bearer abc")])),
            Some("abc")
        );
        assert_eq!(
            bearer_token(&headers(&[(header::AUTHORIZATION, "bearer  abc ")])),
            Some("abc")
        );
        assert_eq!(
            bearer_token(&headers(&[(header::AUTHORIZATION, "Basic abc")])),
            None
        );
        assert!(is_page(&Method::GET, "/clusters"));
        assert!(!is_page(&Method::GET, "/signin"));
        assert!(!is_page(&Method::GET, "/pkg/ecs-portal.js"));
        assert!(!is_page(&Method::POST, "/clusters"));
    }
}
