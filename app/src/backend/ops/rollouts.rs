//! Rollouts: reading them, starting one after a deployment action, and the rollout
//! watcher's round: read ECS's state of every rollout in progress, feed each snapshot to the
//! pure state machine (`domain::services::rollouts::decide`), store the progress and finish
//! the rollout and its history row once decided. The loop that runs rounds lives in
//! `server/src/jobs`.
//!
//! All a round knows lives in the database, so after a restart the watcher simply carries on
//! with the rollouts still in progress. Services are described in batches of ten per cluster.

use crate::{
    backend::{
        auth::Caller,
        aws::{errors::is_throttling, services::DESCRIBE_SERVICES_BATCH},
        db, AppState,
    },
    domain::{
        permissions::Operation,
        services::rollouts::{
            decide, Observation, Rollout, RolloutDecision, RolloutRules, RolloutTarget,
        },
    },
    error::AppError,
};
use sqlx::SqlitePool;
use std::{collections::BTreeMap, time::Duration};

/// Starts a rollout (its row and its `pending` history row).
pub async fn start(
    db: &SqlitePool,
    new: &db::rollouts::NewRollout<'_>,
) -> Result<Rollout, AppError> {
    db::rollouts::start(db, new).await.map_err(AppError::from)
}

pub async fn get(state: &AppState, caller: &Caller, id: i64) -> Result<Rollout, AppError> {
    caller.require(&state.db, Operation::ViewClusters).await?;
    db::rollouts::get(&state.db, id)
        .await?
        .ok_or_else(|| AppError::NotFound {
            message: format!("There is no rollout {id}."),
        })
}

/// How a round of the watcher went.
#[derive(Debug, PartialEq, Eq)]
pub enum Round {
    Done,
    /// AWS throttled at least one call: wait longer before the next round.
    Throttled,
}

/// One look at every rollout in progress; a rollout not settled within `timeout` is timed
/// out.
pub async fn poll_once(state: &AppState, timeout: Duration) -> Result<Round, sqlx::Error> {
    let rules = RolloutRules {
        timeout,
        // Emulators never move deployments (see `domain::services::rollouts`): loopback only.
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
            let described = state.aws.service_snapshots(&cluster, batch).await;
            if described.as_ref().is_err_and(is_throttling) {
                round = Round::Throttled;
            }
            for (rollout, elapsed_ms) in rollouts.iter().filter(|(r, _)| batch.contains(&r.service))
            {
                let observation = match &described {
                    Ok(found) => match found.get(&rollout.service).cloned().flatten() {
                        Some(snapshot) => Observation::Service(snapshot),
                        None => Observation::Missing,
                    },
                    Err(_) => Observation::Unavailable,
                };
                let target = RolloutTarget {
                    to_task_definition: rollout.to_task_definition.clone(),
                    from_task_definition: rollout.from_task_definition.clone(),
                };
                let elapsed = Duration::from_millis(u64::try_from(*elapsed_ms).unwrap_or(0));
                let decision = decide(&target, &observation, elapsed, rules);
                apply(state, rollout, &decision, &observation).await?;
            }
        }
    }
    Ok(round)
}

/// Stores a decision: the progress of a rollout still in progress, or its outcome (once),
/// with the snapshot it was decided on.
async fn apply(
    state: &AppState,
    rollout: &Rollout,
    decision: &RolloutDecision,
    observation: &Observation,
) -> Result<(), sqlx::Error> {
    let seen = match observation {
        Observation::Service(snapshot) => serde_json::to_value(snapshot).ok(),
        Observation::Missing | Observation::Unavailable => None,
    };
    let seen = seen.as_ref();
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
