//! CloudWatch Logs: the log groups awslogs writes to.

use super::{errors::to_app_error, AwsClients};
use crate::error::AppError;
use aws_sdk_cloudwatchlogs::error::ProvideErrorMetadata;

impl AwsClients {
    /// Creates a log group; one that already exists is fine. Returns whether it was created.
    pub async fn ensure_log_group(&self, name: &str) -> Result<bool, AppError> {
        match self
            .logs
            .create_log_group()
            .log_group_name(name)
            .send()
            .await
        {
            Ok(_) => Ok(true),
            Err(err) if err.code() == Some("ResourceAlreadyExistsException") => Ok(false),
            Err(err) => Err(to_app_error("CreateLogGroup", &err, self.endpoint_label())),
        }
    }
}
