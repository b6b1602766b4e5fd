//! Rollouts: what the portal waits for after it asked ECS to change a service, and the pure
//! state machine that decides, from DescribeServices snapshots and the time elapsed, whether
//! the rollout is still in progress, completed, failed, rolled back or timed out.
//!
//! The rule for real AWS: a rollout is **completed** only when the PRIMARY deployment runs
//! the expected task definition, reports `rolloutState` COMPLETED with its running count at
//! its desired count, and no other deployment is left. Running == desired alone is never
//! enough: after a circuit-breaker rollback the service is "stable" on the old revision.
//!
//! Emulators (moto) do not move deployments on UpdateService: the PRIMARY deployment keeps
//! the first task definition and stays COMPLETED while the service's own `taskDefinition`
//! changes. [`RolloutRules::sandbox`] accepts that service-level task definition instead of
//! the PRIMARY's, and only then; the watcher turns it on only for a loopback endpoint.

use serde::{Deserialize, Serialize};
use std::time::Duration;

use super::{task_definition_key, Deployment};

/// What started a rollout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum RolloutTrigger {
    Create,
    Deploy,
    Scale,
    Force,
    Rollback,
}

impl RolloutTrigger {
    pub const ALL: [RolloutTrigger; 5] = [
        RolloutTrigger::Create,
        RolloutTrigger::Deploy,
        RolloutTrigger::Scale,
        RolloutTrigger::Force,
        RolloutTrigger::Rollback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RolloutTrigger::Create => "create",
            RolloutTrigger::Deploy => "deploy",
            RolloutTrigger::Scale => "scale",
            RolloutTrigger::Force => "force",
            RolloutTrigger::Rollback => "rollback",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == value)
    }

    pub fn describe(self) -> &'static str {
        match self {
            RolloutTrigger::Create => "Service created",
            RolloutTrigger::Deploy => "Revision deployed",
            RolloutTrigger::Scale => "Scaled",
            RolloutTrigger::Force => "New deployment forced",
            RolloutTrigger::Rollback => "Rolled back",
        }
    }
}

/// Where a rollout stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RolloutStatus {
    InProgress,
    Completed,
    Failed,
    RolledBack,
    TimedOut,
}

impl RolloutStatus {
    pub const ALL: [RolloutStatus; 5] = [
        RolloutStatus::InProgress,
        RolloutStatus::Completed,
        RolloutStatus::Failed,
        RolloutStatus::RolledBack,
        RolloutStatus::TimedOut,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RolloutStatus::InProgress => "in_progress",
            RolloutStatus::Completed => "completed",
            RolloutStatus::Failed => "failed",
            RolloutStatus::RolledBack => "rolled_back",
            RolloutStatus::TimedOut => "timed_out",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == value)
    }

    pub fn is_finished(self) -> bool {
        self != RolloutStatus::InProgress
    }

    /// Words for people.
    pub fn describe(self) -> &'static str {
        match self {
            RolloutStatus::InProgress => "In progress",
            RolloutStatus::Completed => "Completed",
            RolloutStatus::Failed => "Failed",
            RolloutStatus::RolledBack => "Rolled back",
            RolloutStatus::TimedOut => "Timed out",
        }
    }
}

/// The part of a DescribeServices answer the state machine reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSnapshot {
    /// ACTIVE, DRAINING or INACTIVE.
    pub status: String,
    pub desired_count: i32,
    pub running_count: i32,
    pub pending_count: i32,
    /// The service's task definition (an ARN or `family:revision`).
    pub task_definition: String,
    pub deployments: Vec<Deployment>,
}

/// What one poll saw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Observation {
    Service(ServiceSnapshot),
    /// DescribeServices does not know the service (or its cluster) any more.
    Missing,
    /// AWS could not be asked this time (throttled, unreachable); only the clock moves.
    Unavailable,
}

/// What the rollout waits for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RolloutTarget {
    /// `family:revision` the service should end up running.
    pub to_task_definition: String,
    /// `family:revision` it ran before, when it existed.
    pub from_task_definition: Option<String>,
}

/// How strictly snapshots are read, and how long a rollout may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RolloutRules {
    pub timeout: Duration,
    /// Accept the service-level task definition when the PRIMARY deployment's never moves
    /// (emulators only; see the module documentation).
    pub sandbox: bool,
}

/// The default time a rollout may take before it is called timed out.
pub const DEFAULT_ROLLOUT_TIMEOUT: Duration = Duration::from_secs(30 * 60);

impl Default for RolloutRules {
    fn default() -> Self {
        Self {
            timeout: DEFAULT_ROLLOUT_TIMEOUT,
            sandbox: false,
        }
    }
}

/// The state machine's answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RolloutDecision {
    /// `progress`: running tasks of the new deployment per desired task, in percent (0-100).
    InProgress {
        progress: i64,
    },
    Completed,
    Failed {
        reason: String,
    },
    RolledBack {
        reason: String,
    },
    TimedOut {
        reason: String,
    },
}

impl RolloutDecision {
    pub fn status(&self) -> RolloutStatus {
        match self {
            RolloutDecision::InProgress { .. } => RolloutStatus::InProgress,
            RolloutDecision::Completed => RolloutStatus::Completed,
            RolloutDecision::Failed { .. } => RolloutStatus::Failed,
            RolloutDecision::RolledBack { .. } => RolloutStatus::RolledBack,
            RolloutDecision::TimedOut { .. } => RolloutStatus::TimedOut,
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            RolloutDecision::Failed { reason }
            | RolloutDecision::RolledBack { reason }
            | RolloutDecision::TimedOut { reason } => Some(reason),
            RolloutDecision::InProgress { .. } | RolloutDecision::Completed => None,
        }
    }
}

const ROLLOUT_FAILED: &str = "FAILED";
const ROLLOUT_COMPLETED: &str = "COMPLETED";

/// Running per desired, in percent, capped at 100. Nothing to run counts as done.
fn percent(running: i32, desired: i32) -> i64 {
    if desired <= 0 {
        return 100;
    }
    (i64::from(running.max(0)) * 100 / i64::from(desired)).min(100)
}

fn minutes(duration: Duration) -> String {
    let mins = duration.as_secs() / 60;
    if mins == 1 {
        "1 minute".to_string()
    } else if mins >= 1 {
        format!("{mins} minutes")
    } else {
        format!("{} seconds", duration.as_secs())
    }
}

/// Decides a rollout from the latest observation and the time since it started.
pub fn decide(
    target: &RolloutTarget,
    observation: &Observation,
    elapsed: Duration,
    rules: RolloutRules,
) -> RolloutDecision {
    let undecided = match observation {
        Observation::Missing => return RolloutDecision::Failed {
            reason:
                "The service no longer exists: it was deleted while the rollout was in progress."
                    .to_string(),
        },
        Observation::Unavailable => RolloutDecision::InProgress { progress: 0 },
        Observation::Service(snapshot) => match decide_snapshot(target, snapshot, rules) {
            decided @ (RolloutDecision::Completed
            | RolloutDecision::Failed { .. }
            | RolloutDecision::RolledBack { .. }
            | RolloutDecision::TimedOut { .. }) => return decided,
            in_progress => in_progress,
        },
    };
    if elapsed >= rules.timeout {
        let seen = match observation {
            Observation::Service(snapshot) => format!(
                " ECS last reported {} of {} tasks running.",
                snapshot.running_count, snapshot.desired_count
            ),
            _ => String::new(),
        };
        return RolloutDecision::TimedOut {
            reason: format!(
                "The rollout to {} did not settle within {}.{seen}",
                target.to_task_definition,
                minutes(rules.timeout)
            ),
        };
    }
    undecided
}

fn decide_snapshot(
    target: &RolloutTarget,
    snapshot: &ServiceSnapshot,
    rules: RolloutRules,
) -> RolloutDecision {
    let expected = target.to_task_definition.as_str();
    if snapshot.status != "ACTIVE" {
        return RolloutDecision::Failed {
            reason: format!(
                "The service was deleted while the rollout was in progress (its status is {}).",
                snapshot.status
            ),
        };
    }
    let is_expected = |d: &Deployment| task_definition_key(&d.task_definition) == expected;
    let primary = snapshot.deployments.iter().find(|d| d.status == "PRIMARY");

    // The expected deployment failed: the circuit breaker either put the old revision back
    // as PRIMARY (rolled back) or left the service as it is (failed).
    if let Some(failed) = snapshot
        .deployments
        .iter()
        .find(|d| is_expected(d) && d.rollout_state.as_deref() == Some(ROLLOUT_FAILED))
    {
        let why = failed
            .rollout_state_reason
            .clone()
            .unwrap_or_else(|| "ECS marked the deployment failed.".to_string());
        return match primary.filter(|p| !is_expected(p)) {
            Some(back) => RolloutDecision::RolledBack {
                reason: format!(
                    "The deployment of {expected} failed and the circuit breaker rolled the service back to {}. ECS said: {why}",
                    task_definition_key(&back.task_definition)
                ),
            },
            None => RolloutDecision::Failed {
                reason: format!("The deployment of {expected} failed. ECS said: {why}"),
            },
        };
    }

    let Some(primary) = primary else {
        return RolloutDecision::InProgress { progress: 0 };
    };

    if is_expected(primary) {
        let settled = primary.rollout_state.as_deref() == Some(ROLLOUT_COMPLETED)
            && snapshot.deployments.len() == 1
            && primary.running_count >= primary.desired_count;
        return if settled {
            RolloutDecision::Completed
        } else {
            RolloutDecision::InProgress {
                progress: percent(primary.running_count, primary.desired_count),
            }
        };
    }

    // Emulator: the deployment never moves; the service's own task definition tells.
    if rules.sandbox && task_definition_key(&snapshot.task_definition) == expected {
        let settled = primary.rollout_state.as_deref() == Some(ROLLOUT_COMPLETED)
            && snapshot.deployments.len() == 1
            && snapshot.running_count >= snapshot.desired_count;
        return if settled {
            RolloutDecision::Completed
        } else {
            RolloutDecision::InProgress {
                progress: percent(snapshot.running_count, snapshot.desired_count),
            }
        };
    }

    // The PRIMARY runs something else and the expected deployment did not fail.
    let now_running = task_definition_key(&primary.task_definition).to_string();
    if snapshot.deployments.iter().any(is_expected) {
        // Still draining towards or away from it: wait for ECS to say which.
        return RolloutDecision::InProgress { progress: 0 };
    }
    if target.from_task_definition.as_deref() == Some(now_running.as_str()) {
        RolloutDecision::RolledBack {
            reason: format!(
                "The service is back on {now_running}: the deployment of {expected} was rolled back before it completed."
            ),
        }
    } else {
        RolloutDecision::Failed {
            reason: format!(
                "Another deployment ({now_running}) replaced this rollout's deployment of {expected} before it completed."
            ),
        }
    }
}

/// A rollout as pages and the API show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Rollout {
    pub id: i64,
    pub cluster: String,
    pub service: String,
    pub trigger: RolloutTrigger,
    pub from_task_definition: Option<String>,
    pub to_task_definition: String,
    pub desired_count: i32,
    pub status: RolloutStatus,
    /// Running tasks of the new deployment per desired task, in percent (0-100).
    pub progress: i64,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub finished_at: Option<String>,
    /// Why it failed, rolled back or timed out, in plain words.
    pub reason: Option<String>,
    pub actor: String,
    /// The `rollout` row of history that records it.
    pub history_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const TD1: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/fastapi-books:1";
    const TD2: &str = "arn:aws:ecs:us-east-1:123456789012:task-definition/fastapi-books:2";

    fn deployment(
        id: &str,
        status: &str,
        td: &str,
        desired: i32,
        running: i32,
        state: &str,
    ) -> Deployment {
        Deployment {
            id: id.into(),
            status: status.into(),
            task_definition: td.into(),
            desired_count: desired,
            running_count: running,
            pending_count: (desired - running).max(0),
            failed_tasks: 0,
            rollout_state: Some(state.into()),
            rollout_state_reason: (state == "FAILED")
                .then(|| "ECS deployment circuit breaker: tasks failed to start.".into()),
            created_at: None,
        }
    }

    fn service(td: &str, desired: i32, deployments: Vec<Deployment>) -> Observation {
        let running = deployments.iter().map(|d| d.running_count).sum();
        Observation::Service(ServiceSnapshot {
            status: "ACTIVE".into(),
            desired_count: desired,
            running_count: running,
            pending_count: 0,
            task_definition: td.into(),
            deployments,
        })
    }

    fn deploy_2() -> RolloutTarget {
        RolloutTarget {
            to_task_definition: "fastapi-books:2".into(),
            from_task_definition: Some("fastapi-books:1".into()),
        }
    }

    /// Feeds the observations one per 5 seconds and returns every decision.
    fn run(
        target: &RolloutTarget,
        steps: &[Observation],
        rules: RolloutRules,
    ) -> Vec<RolloutDecision> {
        steps
            .iter()
            .enumerate()
            .map(|(i, o)| decide(target, o, Duration::from_secs(5 * i as u64), rules))
            .collect()
    }

    fn in_progress(progress: i64) -> RolloutDecision {
        RolloutDecision::InProgress { progress }
    }

    #[test]
    fn fixture_sequences() {
        let rules = RolloutRules::default();
        let short = RolloutRules {
            timeout: Duration::from_secs(10),
            sandbox: false,
        };
        struct Case {
            name: &'static str,
            target: RolloutTarget,
            rules: RolloutRules,
            steps: Vec<Observation>,
            expected: Vec<RolloutDecision>,
        }
        let cases = vec![
            Case {
                name: "clean rollout",
                target: deploy_2(),
                rules,
                steps: vec![
                    service(TD2, 2, vec![
                        deployment("new", "PRIMARY", TD2, 2, 0, "IN_PROGRESS"),
                        deployment("old", "ACTIVE", TD1, 2, 2, "COMPLETED"),
                    ]),
                    service(TD2, 2, vec![
                        deployment("new", "PRIMARY", TD2, 2, 1, "IN_PROGRESS"),
                        deployment("old", "ACTIVE", TD1, 2, 2, "COMPLETED"),
                    ]),
                    // All new tasks run but the old deployment still drains: not yet.
                    service(TD2, 2, vec![
                        deployment("new", "PRIMARY", TD2, 2, 2, "IN_PROGRESS"),
                        deployment("old", "ACTIVE", TD1, 0, 1, "COMPLETED"),
                    ]),
                    service(TD2, 2, vec![deployment("new", "PRIMARY", TD2, 2, 2, "COMPLETED")]),
                ],
                expected: vec![in_progress(0), in_progress(50), in_progress(100), RolloutDecision::Completed],
            },
            Case {
                name: "circuit breaker failure with rollback",
                target: deploy_2(),
                rules,
                steps: vec![
                    service(TD2, 2, vec![
                        deployment("new", "PRIMARY", TD2, 2, 0, "IN_PROGRESS"),
                        deployment("old", "ACTIVE", TD1, 2, 2, "COMPLETED"),
                    ]),
                    // running == desired the whole time: a naive check would call it stable.
                    service(TD1, 2, vec![
                        deployment("rollback", "PRIMARY", TD1, 2, 2, "IN_PROGRESS"),
                        deployment("new", "ACTIVE", TD2, 0, 0, "FAILED"),
                    ]),
                ],
                expected: vec![
                    in_progress(0),
                    RolloutDecision::RolledBack {
                        reason: "The deployment of fastapi-books:2 failed and the circuit breaker rolled the service back to fastapi-books:1. ECS said: ECS deployment circuit breaker: tasks failed to start.".into(),
                    },
                ],
            },
            Case {
                name: "failed without rollback",
                target: deploy_2(),
                rules,
                steps: vec![service(TD2, 2, vec![
                    deployment("new", "PRIMARY", TD2, 2, 0, "FAILED"),
                    deployment("old", "ACTIVE", TD1, 2, 2, "COMPLETED"),
                ])],
                expected: vec![RolloutDecision::Failed {
                    reason: "The deployment of fastapi-books:2 failed. ECS said: ECS deployment circuit breaker: tasks failed to start.".into(),
                }],
            },
            Case {
                name: "rolled back and drained before the first look",
                target: deploy_2(),
                rules,
                steps: vec![service(TD1, 2, vec![deployment("rollback", "PRIMARY", TD1, 2, 2, "COMPLETED")])],
                expected: vec![RolloutDecision::RolledBack {
                    reason: "The service is back on fastapi-books:1: the deployment of fastapi-books:2 was rolled back before it completed.".into(),
                }],
            },
            Case {
                name: "never settles",
                target: deploy_2(),
                rules: short,
                steps: vec![
                    service(TD2, 2, vec![
                        deployment("new", "PRIMARY", TD2, 2, 1, "IN_PROGRESS"),
                        deployment("old", "ACTIVE", TD1, 1, 1, "COMPLETED"),
                    ]);
                    3
                ],
                expected: vec![
                    in_progress(50),
                    in_progress(50),
                    RolloutDecision::TimedOut {
                        reason: "The rollout to fastapi-books:2 did not settle within 10 seconds. ECS last reported 2 of 2 tasks running.".into(),
                    },
                ],
            },
            Case {
                name: "scale during a rollout",
                target: deploy_2(),
                rules,
                steps: vec![
                    service(TD2, 2, vec![
                        deployment("new", "PRIMARY", TD2, 2, 1, "IN_PROGRESS"),
                        deployment("old", "ACTIVE", TD1, 1, 1, "COMPLETED"),
                    ]),
                    // Someone scales to 4: progress is measured against the new desired count.
                    service(TD2, 4, vec![
                        deployment("new", "PRIMARY", TD2, 4, 2, "IN_PROGRESS"),
                        deployment("old", "ACTIVE", TD1, 0, 0, "COMPLETED"),
                    ]),
                    // COMPLETED but only 2 of 4 running: not done.
                    service(TD2, 4, vec![deployment("new", "PRIMARY", TD2, 4, 2, "COMPLETED")]),
                    service(TD2, 4, vec![deployment("new", "PRIMARY", TD2, 4, 4, "COMPLETED")]),
                ],
                expected: vec![in_progress(50), in_progress(50), in_progress(50), RolloutDecision::Completed],
            },
            Case {
                name: "service deleted under it",
                target: deploy_2(),
                rules,
                steps: vec![
                    service(TD2, 2, vec![
                        deployment("new", "PRIMARY", TD2, 2, 0, "IN_PROGRESS"),
                        deployment("old", "ACTIVE", TD1, 2, 2, "COMPLETED"),
                    ]),
                    Observation::Service(ServiceSnapshot {
                        status: "DRAINING".into(),
                        ..ServiceSnapshot::default()
                    }),
                ],
                expected: vec![
                    in_progress(0),
                    RolloutDecision::Failed {
                        reason: "The service was deleted while the rollout was in progress (its status is DRAINING).".into(),
                    },
                ],
            },
            Case {
                name: "service missing under it",
                target: deploy_2(),
                rules,
                steps: vec![Observation::Unavailable, Observation::Missing],
                expected: vec![
                    in_progress(0),
                    RolloutDecision::Failed {
                        reason: "The service no longer exists: it was deleted while the rollout was in progress.".into(),
                    },
                ],
            },
            Case {
                name: "another deployment replaced it",
                target: deploy_2(),
                rules,
                steps: vec![service(
                    "fastapi-books:3",
                    2,
                    vec![deployment("other", "PRIMARY", "fastapi-books:3", 2, 0, "IN_PROGRESS")],
                )],
                expected: vec![RolloutDecision::Failed {
                    reason: "Another deployment (fastapi-books:3) replaced this rollout's deployment of fastapi-books:2 before it completed.".into(),
                }],
            },
            Case {
                name: "AWS unreachable until the timeout",
                target: deploy_2(),
                rules: short,
                steps: vec![Observation::Unavailable; 3],
                expected: vec![
                    in_progress(0),
                    in_progress(0),
                    RolloutDecision::TimedOut {
                        reason: "The rollout to fastapi-books:2 did not settle within 10 seconds.".into(),
                    },
                ],
            },
        ];
        for case in cases {
            assert_eq!(
                run(&case.target, &case.steps, case.rules),
                case.expected,
                "{}",
                case.name
            );
        }
    }

    /// What moto 5 answers after UpdateService(taskDefinition = :2): the service-level task
    /// definition moves, the lone PRIMARY deployment keeps :1 and stays COMPLETED.
    fn moto_after_update() -> Observation {
        service(
            "fastapi-books:2",
            2,
            vec![deployment("d", "PRIMARY", TD1, 2, 2, "COMPLETED")],
        )
    }

    #[test]
    fn the_emulator_rule_applies_only_when_asked() {
        let strict = decide(
            &deploy_2(),
            &moto_after_update(),
            Duration::ZERO,
            RolloutRules::default(),
        );
        assert!(
            matches!(strict, RolloutDecision::RolledBack { .. }),
            "{strict:?}"
        );
        let sandbox = RolloutRules {
            sandbox: true,
            ..RolloutRules::default()
        };
        assert_eq!(
            decide(&deploy_2(), &moto_after_update(), Duration::ZERO, sandbox),
            RolloutDecision::Completed
        );
        // Even for an emulator, a failed deployment is never completed.
        let failed = service(
            TD2,
            2,
            vec![deployment("d", "PRIMARY", TD2, 2, 2, "FAILED")],
        );
        assert!(matches!(
            decide(&deploy_2(), &failed, Duration::ZERO, sandbox),
            RolloutDecision::Failed { .. }
        ));
    }

    #[test]
    fn progress_is_bounded() {
        assert_eq!(percent(0, 0), 100);
        assert_eq!(percent(3, 2), 100);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(-1, 3), 0);
    }

    #[test]
    fn names_round_trip() {
        for s in RolloutStatus::ALL {
            assert_eq!(RolloutStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for t in RolloutTrigger::ALL {
            assert_eq!(RolloutTrigger::parse(t.as_str()), Some(t));
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
    }
}
