//! The only place that touches `aws-sdk-*`: builds the clients and converts SDK types to
//! domain types and SDK errors to [`AppError`](crate::error::AppError).

pub mod clusters;
pub mod errors;
pub mod images;
pub mod logs;
pub mod network;
pub mod roles;
pub mod services;
pub mod task_definitions;

use crate::domain::environment::{is_loopback_endpoint, AwsEnvironment};
use aws_config::{retry::RetryConfig, timeout::TimeoutConfig, BehaviorVersion, Region};
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How the portal reaches AWS. Everything left `None` comes from the standard aws-config
/// chain (environment, profile and SSO, ECS task role, instance role).
#[derive(Clone, Debug, Default)]
pub struct AwsSettings {
    /// `AWS_ENDPOINT_URL`: send every call here (a local emulator in sandbox mode).
    pub endpoint_url: Option<String>,
    /// `AWS_REGION`; falls back to the profile's region, then `us-east-1`.
    pub region: Option<String>,
    /// Fixed access key id and secret, used by tests against the emulator.
    pub static_credentials: Option<(String, String)>,
    /// Attempts per call, retries included (default 3).
    pub max_attempts: Option<u32>,
}

/// The region used when neither settings, environment nor profile name one.
pub const FALLBACK_REGION: &str = "us-east-1";

/// How long a successful identity lookup is reused, and how long a failed one.
const IDENTITY_TTL: Duration = Duration::from_secs(300);
const IDENTITY_FAILURE_TTL: Duration = Duration::from_secs(10);

pub struct AwsClients {
    pub ecs: aws_sdk_ecs::Client,
    pub sts: aws_sdk_sts::Client,
    pub iam: aws_sdk_iam::Client,
    pub ecr: aws_sdk_ecr::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub ec2: aws_sdk_ec2::Client,
    pub region: String,
    pub endpoint_url: Option<String>,
    identity: Mutex<Option<(Instant, AwsEnvironment)>>,
}

impl AwsClients {
    pub async fn new(settings: &AwsSettings) -> Self {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .retry_config(
                RetryConfig::standard().with_max_attempts(settings.max_attempts.unwrap_or(3)),
            )
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(3))
                    .operation_attempt_timeout(Duration::from_secs(20))
                    .operation_timeout(Duration::from_secs(60))
                    .build(),
            );
        if let Some(region) = &settings.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(endpoint) = &settings.endpoint_url {
            loader = loader.endpoint_url(endpoint);
        }
        if let Some((key, secret)) = &settings.static_credentials {
            loader = loader.credentials_provider(aws_sdk_ecs::config::Credentials::new(
                key, secret, None, None, "static",
            ));
        }
        let mut config = loader.load().await;
        if config.region().is_none() {
            config = config
                .into_builder()
                .region(Region::new(FALLBACK_REGION))
                .build();
        }
        let region = config
            .region()
            .map(ToString::to_string)
            .unwrap_or_else(|| FALLBACK_REGION.to_string());
        let endpoint_url = settings
            .endpoint_url
            .clone()
            .or_else(|| config.endpoint_url().map(ToString::to_string));
        Self {
            ecs: aws_sdk_ecs::Client::new(&config),
            sts: aws_sdk_sts::Client::new(&config),
            iam: aws_sdk_iam::Client::new(&config),
            ecr: aws_sdk_ecr::Client::new(&config),
            logs: aws_sdk_cloudwatchlogs::Client::new(&config),
            ec2: aws_sdk_ec2::Client::new(&config),
            region,
            endpoint_url,
            identity: Mutex::new(None),
        }
    }

    /// True when calls go to an emulator on this machine.
    pub fn is_sandbox(&self) -> bool {
        self.endpoint_url
            .as_deref()
            .is_some_and(is_loopback_endpoint)
    }

    /// Where the portal acts, cached for a few minutes (a failure for a few seconds).
    pub async fn environment(&self) -> AwsEnvironment {
        let mut cached = self.identity.lock().await;
        if let Some((at, env)) = cached.as_ref() {
            let ttl = if env.problem.is_some() {
                IDENTITY_FAILURE_TTL
            } else {
                IDENTITY_TTL
            };
            if at.elapsed() < ttl {
                return env.clone();
            }
        }
        let env = self.check_identity().await;
        *cached = Some((Instant::now(), env.clone()));
        env
    }

    /// Asks STS who the portal is, now (used by `/healthz` and the cache above).
    pub async fn check_identity(&self) -> AwsEnvironment {
        let (account_id, problem) = match self.sts.get_caller_identity().send().await {
            Ok(identity) => (identity.account().map(ToString::to_string), None),
            Err(err) => {
                let err = errors::to_app_error("GetCallerIdentity", &err, self.endpoint_label());
                (None, Some(err.to_string()))
            }
        };
        AwsEnvironment {
            account_id,
            region: self.region.clone(),
            endpoint: self.endpoint_url.clone(),
            sandbox: self.is_sandbox(),
            problem,
        }
    }

    /// How error messages name the place the portal tried to reach.
    pub fn endpoint_label(&self) -> String {
        match &self.endpoint_url {
            Some(url) => url.clone(),
            None => format!("AWS in {}", self.region),
        }
    }
}
