//! Users, sign-in and API tokens: the rules and shapes, without I/O.

use super::permissions::UserRole;
use crate::error::FieldError;
use serde::{Deserialize, Serialize};

pub const USERNAME_MAX_LEN: usize = 64;
pub const DISPLAY_NAME_MAX_LEN: usize = 100;
pub const PASSWORD_MIN_LEN: usize = 12;
pub const PASSWORD_MAX_LEN: usize = 256;
pub const TOKEN_NAME_MAX_LEN: usize = 100;
pub const TOKEN_MAX_EXPIRY_DAYS: i64 = 3650;

/// Failed sign-ins allowed per username or client address within [`THROTTLE_WINDOW_SECS`].
pub const THROTTLE_MAX_FAILURES: usize = 5;
pub const THROTTLE_WINDOW_SECS: i64 = 15 * 60;

/// The one message for an unknown user and a wrong password alike.
pub const BAD_CREDENTIALS: &str = "The username or password is not right.";

/// The signed-in user, as every request sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CurrentUser {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: UserRole,
}

/// A user as the admin pages list them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: UserRole,
    pub disabled: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// An API token as its owner sees it (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiTokenSummary {
    pub id: i64,
    pub name: String,
    /// The first characters of the token, e.g. `ecsp_3f9a1c`.
    pub prefix: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A token just created: the only moment its secret is visible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewApiToken {
    pub token: String,
    pub summary: ApiTokenSummary,
}

/// One row of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub client: String,
    pub detail: String,
}

/// Usernames: 1-64 lowercase letters, digits, dots, hyphens and underscores, starting with
/// a letter or digit.
pub fn validate_username(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("Username is required.".to_string());
    }
    if value.chars().count() > USERNAME_MAX_LEN {
        return Err(format!(
            "Username is longer than {USERNAME_MAX_LEN} characters."
        ));
    }
    if !value.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Err("Username must start with a lowercase letter or a digit.".to_string());
    }
    if let Some(bad) = value
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_')))
    {
        return Err(format!(
            "Username may contain only lowercase letters, digits, '.', '-' and '_' (found '{bad}')."
        ));
    }
    Ok(())
}

pub fn validate_display_name(value: &str) -> Result<(), String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("Display name is required.".to_string());
    }
    if trimmed.chars().count() > DISPLAY_NAME_MAX_LEN {
        return Err(format!(
            "Display name is longer than {DISPLAY_NAME_MAX_LEN} characters."
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err("Display name must not contain control characters.".to_string());
    }
    Ok(())
}

/// Passwords: 12-256 characters, not only spaces, not the username.
pub fn validate_password(password: &str, username: &str) -> Result<(), String> {
    let len = password.chars().count();
    if len < PASSWORD_MIN_LEN {
        return Err(format!(
            "Password must be at least {PASSWORD_MIN_LEN} characters long."
        ));
    }
    if len > PASSWORD_MAX_LEN {
        return Err(format!(
            "Password must be at most {PASSWORD_MAX_LEN} characters long."
        ));
    }
    if password.trim().is_empty() {
        return Err("Password must not be only spaces.".to_string());
    }
    if !username.is_empty() && password.eq_ignore_ascii_case(username) {
        return Err("Password must not be the username.".to_string());
    }
    Ok(())
}

pub fn validate_token_name(value: &str) -> Result<(), String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err("Token name is required.".to_string());
    }
    if trimmed.chars().count() > TOKEN_NAME_MAX_LEN {
        return Err(format!(
            "Token name is longer than {TOKEN_NAME_MAX_LEN} characters."
        ));
    }
    Ok(())
}

pub fn validate_expiry_days(days: Option<i64>) -> Result<(), String> {
    match days {
        Some(d) if !(1..=TOKEN_MAX_EXPIRY_DAYS).contains(&d) => Err(format!(
            "Expiry must be between 1 and {TOKEN_MAX_EXPIRY_DAYS} days, or empty for none."
        )),
        _ => Ok(()),
    }
}

/// The "repeat password" field: it must be the password itself.
pub fn check_password_confirmation(password: &str, confirmation: &str) -> Result<(), FieldError> {
    if password == confirmation {
        Ok(())
    } else {
        Err(FieldError::new(
            "passwordConfirmation",
            "The two passwords are not the same.",
        ))
    }
}

/// The "expires in days" field of a new API token: empty for no expiry, else a whole number
/// (its range is checked by [`validate_expiry_days`]).
pub fn parse_expiry_days(text: &str) -> Result<Option<i64>, FieldError> {
    match text.trim() {
        "" => Ok(None),
        days => days.parse::<i64>().map(Some).map_err(|_| {
            FieldError::new("expiresInDays", "Expiry must be a whole number of days.")
        }),
    }
}

/// A new user as an admin, the setup page or the CLI describes one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: UserRole,
    #[serde(skip_serializing)]
    pub password: String,
}

impl NewUser {
    /// An admin, as the one-time setup page creates the first one.
    pub fn admin(username: String, display_name: String, password: String) -> Self {
        NewUser {
            username,
            display_name,
            role: UserRole::Admin,
            password,
        }
    }

    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Err(m) = validate_username(&self.username) {
            errors.push(FieldError::new("username", m).with_rejected(&self.username));
        }
        if let Err(m) = validate_display_name(&self.display_name) {
            errors.push(FieldError::new("displayName", m).with_rejected(&self.display_name));
        }
        if let Err(m) = validate_password(&self.password, &self.username) {
            errors.push(FieldError::new("password", m));
        }
        errors
    }
}

/// Where to go after signing in: only a path on this site (no scheme, no `//host`, no
/// backslashes), otherwise the home page. Stops open redirects through `?next=`.
pub fn safe_next_path(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control)
                && !path.starts_with("/api/") =>
        {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Given the times (unix seconds) of recent failed sign-ins for one username or client,
/// how many seconds until another attempt is allowed; `None` when it is allowed now.
pub fn throttle_retry_after(failures: &[i64], now: i64) -> Option<i64> {
    let mut recent: Vec<i64> = failures
        .iter()
        .copied()
        .filter(|at| now - at < THROTTLE_WINDOW_SECS)
        .collect();
    if recent.len() < THROTTLE_MAX_FAILURES {
        return None;
    }
    recent.sort_unstable();
    // Allowed again once enough of them have aged out of the window.
    let freeing = recent[recent.len() - THROTTLE_MAX_FAILURES];
    Some((freeing + THROTTLE_WINDOW_SECS - now).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        let cases: &[(&str, bool)] = &[
            ("alice", true),
            ("a", true),
            ("ci.bot-1_x", true),
            ("9lives", true),
            ("", false),
            ("Alice", false),
            ("-lead", false),
            (".dot", false),
            ("has space", false),
            ("émile", false),
            ("a@b", false),
        ];
        for (name, ok) in cases {
            assert_eq!(validate_username(name).is_ok(), *ok, "{name:?}");
        }
        assert!(validate_username(&"a".repeat(64)).is_ok());
        assert_eq!(
            validate_username(&"a".repeat(65)).unwrap_err(),
            "Username is longer than 64 characters."
        );
    }

    #[test]
    fn passwords() {
        assert!(validate_password("correct horse battery", "alice").is_ok());
        assert_eq!(
            validate_password("short", "alice").unwrap_err(),
            "Password must be at least 12 characters long."
        );
        assert!(validate_password(&" ".repeat(12), "alice").is_err());
        assert_eq!(
            validate_password("alice-the-admin", "alice-the-admin").unwrap_err(),
            "Password must not be the username."
        );
        assert!(validate_password(&"x".repeat(257), "a").is_err());
    }

    #[test]
    fn display_names_tokens_and_expiry() {
        assert!(validate_display_name("Alice Example").is_ok());
        assert!(validate_display_name("   ").is_err());
        assert!(validate_display_name("tab\there").is_err());
        assert!(validate_token_name("ci pipeline").is_ok());
        assert!(validate_token_name("").is_err());
        assert!(validate_expiry_days(None).is_ok());
        assert!(validate_expiry_days(Some(30)).is_ok());
        assert!(validate_expiry_days(Some(0)).is_err());
        assert!(validate_expiry_days(Some(3651)).is_err());
    }

    #[test]
    fn password_confirmation() {
        assert!(
            check_password_confirmation("correct horse battery", "correct horse battery").is_ok()
        );
        let err =
            check_password_confirmation("correct horse battery", "correct horse").unwrap_err();
        assert_eq!(err.field, "passwordConfirmation");
        assert_eq!(err.message, "The two passwords are not the same.");
    }

    #[test]
    fn expiry_days_as_typed() {
        assert_eq!(parse_expiry_days(""), Ok(None));
        assert_eq!(parse_expiry_days("  "), Ok(None));
        assert_eq!(parse_expiry_days(" 30 "), Ok(Some(30)));
        // The range is validate_expiry_days's business.
        assert_eq!(parse_expiry_days("0"), Ok(Some(0)));
        for bad in ["thirty", "1.5", "7d"] {
            let err = parse_expiry_days(bad).unwrap_err();
            assert_eq!(err.field, "expiresInDays", "{bad}");
            assert_eq!(err.message, "Expiry must be a whole number of days.");
        }
    }

    #[test]
    fn new_user_reports_each_field() {
        let user = NewUser {
            username: "Bad Name".into(),
            display_name: "".into(),
            role: UserRole::Developer,
            password: "short".into(),
        };
        let fields: Vec<_> = user.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["username", "displayName", "password"]);
    }

    #[test]
    fn next_paths_stay_on_this_site() {
        let cases = [
            (Some("/clusters"), "/clusters"),
            (Some("/history?kind=x"), "/history?kind=x"),
            (Some("//evil.example.com"), "/"),
            (Some("https://evil.example.com"), "/"),
            (Some("/\\evil.example.com"), "/"),
            (Some("/api/create_cluster"), "/"),
            (Some("clusters"), "/"),
            (None, "/"),
        ];
        for (next, expected) in cases {
            assert_eq!(safe_next_path(next), expected, "{next:?}");
        }
    }

    #[test]
    fn throttling_after_five_failures_in_fifteen_minutes() {
        let now = 10_000;
        assert_eq!(throttle_retry_after(&[], now), None);
        assert_eq!(throttle_retry_after(&[now - 5; 4], now), None);
        // Five recent failures: wait until the oldest leaves the window.
        let five = [now - 100, now - 50, now - 40, now - 30, now - 20];
        assert_eq!(
            throttle_retry_after(&five, now),
            Some(THROTTLE_WINDOW_SECS - 100)
        );
        // Failures older than the window do not count.
        let old = [now - 2000, now - 1900, now - 50, now - 40, now - 30];
        assert_eq!(throttle_retry_after(&old, now), None);
        // Six recent: the second oldest frees the slot.
        let six = [now - 800, now - 700, now - 60, now - 50, now - 40, now - 30];
        assert_eq!(
            throttle_retry_after(&six, now),
            Some(THROTTLE_WINDOW_SECS - 700)
        );
    }
}
