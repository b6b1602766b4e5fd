//! SDK errors in plain words. The full error chain is logged; the user gets a sentence.

use crate::error::AppError;
use aws_sdk_ecs::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

/// Turns any SDK error into an [`AppError`] a user can act on.
///
/// `operation` names the call for the log; `endpoint` names where the portal tried to go.
pub fn to_app_error<E, R>(operation: &str, err: &SdkError<E, R>, endpoint: String) -> AppError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let chain = DisplayErrorContext(err).to_string();
    tracing::warn!(operation, error = %chain, "AWS call failed");
    match err {
        SdkError::ServiceError(service) => {
            let inner = service.err();
            let code = inner.code().unwrap_or("Unknown").to_string();
            let message = inner.message().unwrap_or("").to_string();
            AppError::Aws {
                message: plain_service_message(&code, &message),
                code,
            }
        }
        _ if looks_like_missing_credentials(&chain) => AppError::AwsUnavailable {
            message: "No AWS credentials were found. Set AWS_PROFILE or AWS_ACCESS_KEY_ID and \
             AWS_SECRET_ACCESS_KEY, sign in with `aws sso login`, or run the portal with an \
             IAM role."
                .to_string(),
        },
        SdkError::TimeoutError(_) => AppError::AwsUnavailable {
            message: format!(
                "AWS did not answer in time ({endpoint}). Check the network and try again."
            ),
        },
        SdkError::DispatchFailure(_) => AppError::AwsUnavailable {
            message: format!(
                "AWS could not be reached at {endpoint}. Check the network, the endpoint \
             setting and that the service is running."
            ),
        },
        _ => AppError::AwsUnavailable {
            message: format!(
            "The call to AWS ({operation}) failed before AWS answered. The details were logged."
        ),
        },
    }
}

/// True when AWS answered "slow down" (rate limiting): the caller should wait longer before
/// asking again. Only an answer from AWS counts; an unreachable endpoint is not throttling.
pub fn is_throttling(err: &AppError) -> bool {
    matches!(err, AppError::Aws { code, .. } if is_throttling_code(code))
}

/// The error codes AWS services use for rate limiting.
fn is_throttling_code(code: &str) -> bool {
    matches!(
        code,
        "ThrottlingException" | "Throttling" | "TooManyRequestsException" | "RequestLimitExceeded"
    )
}

fn looks_like_missing_credentials(chain: &str) -> bool {
    let lower = chain.to_ascii_lowercase();
    lower.contains("no credentials")
        || lower.contains("credentials provider") && lower.contains("not")
        || lower.contains("failed to load credentials")
}

/// A sentence for an AWS error code, keeping AWS's own message where it helps.
pub fn plain_service_message(code: &str, message: &str) -> String {
    let detail = if message.is_empty() {
        String::new()
    } else {
        format!(" AWS said: {message}")
    };
    match code {
        "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation" => {
            format!("The portal's AWS identity is not allowed to do this.{detail}")
        }
        "UnrecognizedClientException"
        | "InvalidClientTokenId"
        | "InvalidAccessKeyId"
        | "SignatureDoesNotMatch"
        | "ExpiredToken"
        | "ExpiredTokenException" => format!(
            "AWS did not accept the portal's credentials; they may be wrong or expired.{detail}"
        ),
        _ if is_throttling_code(code) => {
            "AWS is limiting the rate of requests right now. Wait a moment and try again."
                .to_string()
        }
        "ClusterNotFoundException" => {
            "The cluster does not exist (it may have been deleted).".to_string()
        }
        "ServiceNotFoundException" => {
            "The service does not exist (it may have been deleted).".to_string()
        }
        "LimitExceededException" => format!("An AWS account limit was reached.{detail}"),
        "InvalidParameterException" | "ValidationException" | "ValidationError" => {
            format!("AWS rejected a value in the request.{detail}")
        }
        "ClientException" => format!("AWS rejected the request.{detail}"),
        "ServerException"
        | "InternalFailure"
        | "ServiceUnavailable"
        | "ServiceUnavailableException" => {
            "AWS had an internal problem. Try again in a moment.".to_string()
        }
        _ => format!("AWS refused the request ({code}).{detail}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_become_sentences() {
        assert_eq!(
            plain_service_message("ClusterNotFoundException", "Cluster not found."),
            "The cluster does not exist (it may have been deleted)."
        );
        assert_eq!(
            plain_service_message("AccessDeniedException", "no ecs:CreateCluster"),
            "The portal's AWS identity is not allowed to do this. AWS said: no ecs:CreateCluster"
        );
        assert_eq!(
            plain_service_message("WeirdException", ""),
            "AWS refused the request (WeirdException)."
        );
    }

    #[test]
    fn only_throttling_answers_are_throttling() {
        let aws = |code: &str| AppError::Aws {
            code: code.to_string(),
            message: String::new(),
        };
        for code in [
            "ThrottlingException",
            "Throttling",
            "TooManyRequestsException",
            "RequestLimitExceeded",
        ] {
            assert!(is_throttling(&aws(code)), "{code}");
            assert_eq!(
                plain_service_message(code, "Rate exceeded"),
                "AWS is limiting the rate of requests right now. Wait a moment and try again."
            );
        }
        assert!(!is_throttling(&aws("AccessDeniedException")));
        assert!(!is_throttling(&AppError::AwsUnavailable {
            message: String::new()
        }));
    }

    #[test]
    fn recognises_missing_credentials() {
        assert!(looks_like_missing_credentials(
            "dispatch failure: other: no credentials in the property bag"
        ));
        assert!(looks_like_missing_credentials(
            "failed to load credentials from the chain"
        ));
        assert!(!looks_like_missing_credentials("connection refused"));
    }
}
