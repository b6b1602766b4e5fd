//! The one error type of the portal. Every variant carries a message a user can act on;
//! internal causes are logged on the server and never serialized to the browser.

use serde::{Deserialize, Serialize};
use server_fn::{codec::JsonEncoding, error::FromServerFnError, ServerFnError};

/// A problem with one input field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The field's name as in the JSON request (camelCase), e.g. `clusterName`.
    pub field: String,
    pub message: String,
    /// The value that was rejected, so a form re-rendered after a plain (no-JavaScript)
    /// post shows what the user typed instead of an empty field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<String>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            rejected: None,
        }
    }

    /// The same error, remembering the value that was rejected.
    pub fn with_rejected(mut self, value: impl Into<String>) -> Self {
        self.rejected = Some(value.into());
        self
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AppError {
    /// The input was rejected before anything was sent to AWS.
    #[error("{message}")]
    Validation {
        message: String,
        errors: Vec<FieldError>,
    },
    /// The request conflicts with what exists (e.g. a name already in use).
    #[error("{message}")]
    Conflict {
        message: String,
        errors: Vec<FieldError>,
    },
    #[error("{message}")]
    NotFound { message: String },
    /// Nobody is signed in (or the token is not valid).
    #[error("{message}")]
    Unauthorized { message: String },
    /// Signed in, but the role does not allow this.
    #[error("{message}")]
    Forbidden { message: String },
    /// Too many failed sign-ins; try again after `retry_after_secs`.
    #[error("{message}")]
    Throttled {
        message: String,
        retry_after_secs: i64,
    },
    /// AWS answered with an error; the message is in plain words.
    #[error("{message}")]
    Aws { code: String, message: String },
    /// AWS could not be reached or no credentials were found.
    #[error("{message}")]
    AwsUnavailable { message: String },
    #[error("The portal's database is not available right now. Try again in a moment.")]
    Database,
    #[error("Something went wrong on the server. It has been logged.")]
    Internal,
    /// The request itself could not be carried (network, encoding).
    #[error("The request could not be completed: {message}")]
    Request { message: String },
}

impl AppError {
    /// A validation error listing every field problem.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let message = match errors.as_slice() {
            [one] => one.message.clone(),
            _ => format!("{} fields need attention.", errors.len()),
        };
        AppError::Validation { message, errors }
    }

    /// The field problems this error carries (empty for errors not tied to a field).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Validation { errors, .. } | AppError::Conflict { errors, .. } => errors,
            _ => &[],
        }
    }

    /// Nobody is signed in.
    pub fn sign_in_required() -> Self {
        AppError::Unauthorized {
            message: "Sign in to continue.".to_string(),
        }
    }

    /// A validation error for a single field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::validation(vec![FieldError::new(field, message)])
    }

    /// The value a field had when it was rejected, if this error kept it.
    pub fn rejected_value(&self, field: &str) -> Option<String> {
        self.field_errors()
            .iter()
            .find(|e| e.field == field)
            .and_then(|e| e.rejected.clone())
    }

    /// The message for one field, if this error names it.
    pub fn field_message(&self, field: &str) -> Option<String> {
        self.field_errors()
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }

    /// The HTTP status this error maps to.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Validation { .. } => 422,
            AppError::Conflict { .. } => 409,
            AppError::NotFound { .. } => 404,
            AppError::Unauthorized { .. } => 401,
            AppError::Forbidden { .. } => 403,
            AppError::Throttled { .. } => 429,
            AppError::Aws { .. } => 502,
            AppError::AwsUnavailable { .. } => 503,
            AppError::Database => 503,
            AppError::Internal => 500,
            AppError::Request { .. } => 400,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: server_fn::error::ServerFnErrorErr) -> Self {
        AppError::Request {
            message: value.to_string(),
        }
    }
}

impl From<ServerFnError> for AppError {
    fn from(value: ServerFnError) -> Self {
        AppError::Request {
            message: value.to_string(),
        }
    }
}

// The JSON body of every error answer of `/api/v1`. Its doc comment is its description in
// the OpenAPI document (as it was before it moved here); `ApiFieldError` has none.
/// Every error: a sentence, and the fields it concerns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiErrorBody {
    pub error: String,
    pub errors: Vec<ApiFieldError>,
}

// One field of an `ApiErrorBody`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ApiFieldError {
    pub field: String,
    pub message: String,
}

impl From<&AppError> for ApiErrorBody {
    fn from(err: &AppError) -> Self {
        ApiErrorBody {
            error: err.to_string(),
            errors: err
                .field_errors()
                .iter()
                .map(|f| ApiFieldError {
                    field: f.field.clone(),
                    message: f.message.clone(),
                })
                .collect(),
        }
    }
}

/// How an [`AppError`] becomes an HTTP answer on the server: `?` converts database errors
/// (logging the cause), and the status and headers are written in one place.
#[cfg(feature = "ssr")]
mod http_answer {
    use super::{ApiErrorBody, AppError};
    use axum::{
        extract::rejection::JsonRejection,
        response::{IntoResponse, Response},
        Json,
    };
    use http::{header, HeaderMap, HeaderValue, StatusCode};

    impl From<sqlx::Error> for AppError {
        fn from(err: sqlx::Error) -> Self {
            tracing::error!(error = %err, "database error");
            AppError::Database
        }
    }

    impl From<tower_sessions::session::Error> for AppError {
        fn from(err: tower_sessions::session::Error) -> Self {
            tracing::error!(error = %err, "session store failed");
            AppError::Database
        }
    }

    /// A blocking task (password hashing) panicked or was cancelled.
    impl From<tokio::task::JoinError> for AppError {
        fn from(err: tokio::task::JoinError) -> Self {
            tracing::error!(error = %err, "a blocking task failed");
            AppError::Internal
        }
    }

    impl From<argon2::password_hash::Error> for AppError {
        fn from(err: argon2::password_hash::Error) -> Self {
            tracing::error!(error = %err, "password hashing failed");
            AppError::Internal
        }
    }

    impl From<JsonRejection> for AppError {
        fn from(rejection: JsonRejection) -> Self {
            AppError::Request {
                message: rejection.body_text(),
            }
        }
    }

    impl AppError {
        /// The HTTP status of this error.
        pub fn http_status(&self) -> StatusCode {
            StatusCode::from_u16(self.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        }

        /// Writes the status and the headers this error implies (`Retry-After` when
        /// throttled) onto an answer: the one writer for `/api/v1` and server functions.
        pub fn write_status(&self, status: &mut StatusCode, headers: &mut HeaderMap) {
            *status = self.http_status();
            if let AppError::Throttled {
                retry_after_secs, ..
            } = self
            {
                if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    headers.insert(header::RETRY_AFTER, value);
                }
            }
        }
    }

    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let mut response = Json(ApiErrorBody::from(&self)).into_response();
            let (mut status, headers) = (response.status(), response.headers_mut());
            self.write_status(&mut status, headers);
            *response.status_mut() = status;
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_message_and_fields() {
        let one = AppError::validation(vec![FieldError::new(
            "clusterName",
            "Cluster name is required.",
        )]);
        assert_eq!(one.to_string(), "Cluster name is required.");
        assert_eq!(
            one.field_message("clusterName").as_deref(),
            Some("Cluster name is required.")
        );
        assert_eq!(one.field_message("other"), None);
        assert_eq!(one.status_code(), 422);
        let two = AppError::validation(vec![FieldError::new("a", "x"), FieldError::new("b", "y")]);
        assert_eq!(two.to_string(), "2 fields need attention.");
    }

    #[test]
    fn serializes_without_internals() {
        let json = serde_json::to_value(AppError::Internal).unwrap();
        assert_eq!(json, serde_json::json!({"type": "internal"}));
    }

    #[test]
    fn every_variant_round_trips_through_json() {
        let all = [
            AppError::validation(vec![FieldError::new("f", "m").with_rejected("v")]),
            AppError::Conflict {
                message: "c".into(),
                errors: vec![],
            },
            AppError::NotFound {
                message: "n".into(),
            },
            AppError::Aws {
                code: "X".into(),
                message: "a".into(),
            },
            AppError::AwsUnavailable {
                message: "u".into(),
            },
            AppError::Database,
            AppError::Internal,
            AppError::Request {
                message: "r".into(),
            },
        ];
        for err in all {
            let json = serde_json::to_string(&err).unwrap();
            assert_eq!(
                serde_json::from_str::<AppError>(&json).unwrap(),
                err,
                "{json}"
            );
        }
    }
}
