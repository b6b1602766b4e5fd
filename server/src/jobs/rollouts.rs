//! The rollout watcher's loop: a round (`app::backend::ops::rollouts::poll_once`) every
//! poll interval; when AWS throttles, the delay between rounds doubles (up to a minute)
//! until a round succeeds. It runs until its task is aborted.

use app::backend::{
    ops::rollouts::{poll_once, Round},
    AppState,
};
use std::time::Duration;

/// How often the watcher looks, and how long a rollout may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RolloutSettings {
    pub poll_interval: Duration,
    pub timeout: Duration,
}

impl Default for RolloutSettings {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(5),
            timeout: app::domain::services::rollouts::DEFAULT_ROLLOUT_TIMEOUT,
        }
    }
}

/// The longest pause between rounds while AWS throttles.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// Runs the watcher until the task is aborted.
pub fn spawn(state: AppState, settings: RolloutSettings) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        tracing::info!(
            poll_interval_ms = settings.poll_interval.as_millis() as u64,
            timeout_s = settings.timeout.as_secs(),
            sandbox = state.aws.is_sandbox(),
            "rollout watcher started"
        );
        let mut delay = settings.poll_interval;
        loop {
            delay = match poll_once(&state, settings.timeout).await {
                Ok(Round::Throttled) => {
                    let next = (delay * 2).min(MAX_BACKOFF);
                    tracing::warn!(
                        next_ms = next.as_millis() as u64,
                        "AWS is throttling; the rollout watcher backs off"
                    );
                    next
                }
                Ok(Round::Done) => settings.poll_interval,
                Err(err) => {
                    tracing::error!(error = %err, "rollout watcher round failed");
                    settings.poll_interval
                }
            };
            tokio::time::sleep(delay).await;
        }
    })
}
