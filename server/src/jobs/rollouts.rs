//! The rollout watcher: polls DescribeServices for every rollout in progress, feeds each
//! snapshot to the pure state machine (`app::domain::services::rollouts::decide`), stores the progress
//! and finishes the rollout and its history row once decided.
//!
//! All it knows lives in the database, so after a restart it simply carries on with the
//! rollouts still in progress. Services are described in batches of ten per cluster; when
//! AWS throttles, the delay between rounds doubles (up to a minute) until a round succeeds.

use app::{
    backend::{aws::services::snapshot, aws::services::DESCRIBE_SERVICES_BATCH, db, AppState},
    domain::services::rollouts::{
        decide, Observation, Rollout, RolloutDecision, RolloutRules, RolloutTarget,
    },
    error::AppError,
};
use std::{collections::BTreeMap, time::Duration};

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
            delay = match poll_once(&state, settings).await {
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

/// How a round went.
#[derive(Debug, PartialEq, Eq)]
pub enum Round {
    Done,
    /// AWS throttled at least one call: wait longer before the next round.
    Throttled,
}

fn is_throttling(err: &AppError) -> bool {
    matches!(err, AppError::Aws { code, .. } if matches!(
        code.as_str(),
        "ThrottlingException" | "Throttling" | "TooManyRequestsException" | "RequestLimitExceeded"
    ))
}

/// One look at every rollout in progress.
pub async fn poll_once(state: &AppState, settings: RolloutSettings) -> Result<Round, sqlx::Error> {
    let rules = RolloutRules {
        timeout: settings.timeout,
        // Emulators never move deployments (see `app::domain::services::rollouts`): loopback only.
        sandbox: state.aws.is_sandbox(),
    };
    let mut by_cluster: BTreeMap<String, Vec<(Rollout, i64)>> = BTreeMap::new();
    for (rollout, elapsed_ms) in db::rollouts::in_progress(&state.db).await? {
        by_cluster
            .entry(rollout.cluster.clone())
            .or_default()
            .push((rollout, elapsed_ms));
    }
    let mut round = Round::Done;
    for (cluster, rollouts) in by_cluster {
        let mut names: Vec<String> = rollouts.iter().map(|(r, _)| r.service.clone()).collect();
        names.sort();
        names.dedup();
        for batch in names.chunks(DESCRIBE_SERVICES_BATCH) {
            let described = state.aws.describe_services(&cluster, batch).await;
            if let Err(err) = &described {
                if is_throttling(err) {
                    round = Round::Throttled;
                }
            }
            for (rollout, elapsed_ms) in rollouts.iter().filter(|(r, _)| batch.contains(&r.service))
            {
                let (observation, seen) = match &described {
                    Ok(found) => match found.get(&rollout.service).cloned().flatten() {
                        Some(service) => {
                            let snap = snapshot(&service);
                            let json = serde_json::to_value(&snap).ok();
                            (Observation::Service(snap), json)
                        }
                        None => (Observation::Missing, None),
                    },
                    Err(_) => (Observation::Unavailable, None),
                };
                let target = RolloutTarget {
                    to_task_definition: rollout.to_task_definition.clone(),
                    from_task_definition: rollout.from_task_definition.clone(),
                };
                let elapsed = Duration::from_millis(u64::try_from(*elapsed_ms).unwrap_or(0));
                let decision = decide(&target, &observation, elapsed, rules);
                apply(state, rollout, &decision, seen.as_ref()).await?;
            }
        }
    }
    Ok(round)
}

async fn apply(
    state: &AppState,
    rollout: &Rollout,
    decision: &RolloutDecision,
    seen: Option<&serde_json::Value>,
) -> Result<(), sqlx::Error> {
    match decision {
        RolloutDecision::InProgress { progress } => {
            db::rollouts::record_progress(&state.db, rollout.id, *progress, seen).await
        }
        decided => {
            let progress = if matches!(decided, RolloutDecision::Completed) {
                100
            } else {
                rollout.progress
            };
            let finished = db::rollouts::finish(
                &state.db,
                rollout.id,
                decided.status(),
                decided.reason(),
                progress,
                seen,
            )
            .await?;
            if finished {
                tracing::info!(
                    rollout = rollout.id,
                    cluster = %rollout.cluster,
                    service = %rollout.service,
                    outcome = decided.status().as_str(),
                    reason = decided.reason().unwrap_or(""),
                    "rollout decided"
                );
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_throttling_answers_slow_the_watcher_down() {
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
        }
        assert!(!is_throttling(&aws("AccessDeniedException")));
        assert!(!is_throttling(&AppError::AwsUnavailable {
            message: String::new()
        }));
    }
}
