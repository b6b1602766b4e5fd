//! The dashboard's delivery metrics, computed from history rows alone.
//!
//! Definitions (a *deployment* is a decided `rollout` row: `succeeded` when its outcome was
//! `completed`, `failed` otherwise; it counts on the day it was decided, UTC):
//! - **deployments per day**: succeeded and failed rollouts decided that day;
//! - **change failure rate**: failed / all decided rollouts in the window;
//! - **lead time**: from a `task_definition.register` row's start to the end of the first
//!   succeeded rollout whose `toTaskDefinition` is that revision (`family:revision`, the
//!   revision as the register row's response recorded it); the median over revisions
//!   whose first rollout ended in the window;
//! - **time to restore**: a service's first failed rollout after a success (or ever) opens
//!   an incident, its next succeeded rollout closes it; the mean over incidents opened in
//!   the window and closed since. Incidents still open are counted apart.

use super::{time::parse_timestamp_ms, time::Date, HistoryEntry, HistoryKind, HistoryStatus};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Window lengths the dashboard offers, in days.
pub const WINDOWS: [u32; 2] = [30, 90];

/// Deployments decided on one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    pub date: Date,
    pub succeeded: u32,
    pub failed: u32,
}

/// The figures of one service (`cluster/service`) in the window.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceStats {
    pub service: String,
    pub deployments: u32,
    pub failed: u32,
    pub change_failure_rate: Option<f64>,
    pub median_lead_time_secs: Option<i64>,
    pub mean_time_to_restore_secs: Option<i64>,
    /// The last decided rollout: when (RFC 3339), its outcome and who started it.
    pub last_at: Option<String>,
    pub last_status: Option<HistoryStatus>,
    pub last_actor: Option<String>,
}

/// Everything the dashboard shows for a window of `days` days ending `today`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    pub days: u32,
    pub first_day: Date,
    pub today: Date,
    /// One entry per day of the window, oldest first.
    pub per_day: Vec<DayCount>,
    pub deployments: u32,
    pub failed: u32,
    pub change_failure_rate: Option<f64>,
    pub median_lead_time_secs: Option<i64>,
    pub lead_time_samples: u32,
    pub mean_time_to_restore_secs: Option<i64>,
    pub restored_incidents: u32,
    pub open_incidents: u32,
    /// Services with a deployment in the window, busiest first.
    pub services: Vec<ServiceStats>,
}

/// A decided rollout as the metrics see it.
#[derive(Clone, Debug)]
struct Rollout<'a> {
    service: &'a str,
    actor: &'a str,
    succeeded: bool,
    /// When it was decided (ms since the epoch).
    decided_ms: i64,
    decided_at: String,
    to_task_definition: Option<String>,
}

/// `family:revision` out of `family:revision` or a task definition ARN.
fn revision_key(value: &str) -> String {
    value
        .rsplit_once("task-definition/")
        .map_or(value, |(_, rest)| rest)
        .to_string()
}

fn rollout_of(entry: &HistoryEntry) -> Option<Rollout<'_>> {
    if entry.kind != HistoryKind::Rollout.as_str() || entry.status == HistoryStatus::Pending {
        return None;
    }
    let started = parse_timestamp_ms(&entry.started_at)?;
    let finished_at = entry
        .response
        .as_ref()
        .and_then(|r| r.get("finishedAt"))
        .and_then(|f| f.as_str());
    let (decided_ms, decided_at) =
        match finished_at.and_then(|f| parse_timestamp_ms(f).map(|ms| (ms, f))) {
            Some((ms, text)) => (ms, text.to_string()),
            None => (
                started + entry.duration_ms.unwrap_or(0),
                entry.started_at.clone(),
            ),
        };
    Some(Rollout {
        service: &entry.target,
        actor: &entry.actor,
        succeeded: entry.status == HistoryStatus::Succeeded,
        decided_ms,
        decided_at,
        to_task_definition: entry
            .request
            .get("toTaskDefinition")
            .and_then(|t| t.as_str())
            .map(revision_key),
    })
}

/// When each revision was registered: `family:revision` → ms since the epoch.
fn registrations(entries: &[HistoryEntry]) -> HashMap<String, i64> {
    entries
        .iter()
        .filter(|e| {
            e.kind == HistoryKind::TaskDefinitionRegister.as_str()
                && e.status == HistoryStatus::Succeeded
        })
        .filter_map(|e| {
            let response = e.response.as_ref()?;
            let revision = response.get("revision")?.as_i64()?;
            let family = response
                .get("family")
                .and_then(|f| f.as_str())
                .unwrap_or(&e.target);
            Some((
                format!("{family}:{revision}"),
                parse_timestamp_ms(&e.started_at)?,
            ))
        })
        .collect()
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2
    } else {
        values[mid]
    })
}

fn mean(values: &[i64]) -> Option<i64> {
    (!values.is_empty()).then(|| values.iter().sum::<i64>() / values.len() as i64)
}

fn rate(failed: u32, all: u32) -> Option<f64> {
    (all > 0).then(|| f64::from(failed) / f64::from(all))
}

/// Incidents of one service's rollouts (sorted by decision time): (opened, closed) in ms.
fn incidents(rollouts: &[&Rollout<'_>]) -> Vec<(i64, Option<i64>)> {
    let mut out: Vec<(i64, Option<i64>)> = Vec::new();
    let mut open: Option<i64> = None;
    for r in rollouts {
        match (r.succeeded, open) {
            (false, None) => open = Some(r.decided_ms),
            (true, Some(start)) => {
                out.push((start, Some(r.decided_ms)));
                open = None;
            }
            _ => {}
        }
    }
    if let Some(start) = open {
        out.push((start, None));
    }
    out
}

impl Dashboard {
    /// The dashboard of the `days` days ending with `today` (inclusive), from history rows
    /// (rollouts, and the registrations lead time starts from; other kinds are ignored).
    /// Rows before the window still matter: a revision registered earlier, a failure that
    /// opened an incident.
    pub fn compute(entries: &[HistoryEntry], today: Date, days: u32) -> Dashboard {
        let days = days.max(1);
        let first_day = today.add_days(-(i64::from(days) - 1));
        let window_start = first_day.start_epoch_ms();
        let window_end = today.add_days(1).start_epoch_ms();
        let in_window = |ms: i64| (window_start..window_end).contains(&ms);

        let mut rollouts: Vec<Rollout<'_>> = entries.iter().filter_map(rollout_of).collect();
        rollouts.sort_by_key(|r| r.decided_ms);
        let registered = registrations(entries);

        // Lead time per revision: its first succeeded rollout.
        let mut first_success: BTreeMap<&str, &Rollout<'_>> = BTreeMap::new();
        for r in rollouts.iter().filter(|r| r.succeeded) {
            if let Some(td) = r.to_task_definition.as_deref() {
                first_success.entry(td).or_insert(r);
            }
        }
        let lead_times: Vec<(&str, i64)> = first_success
            .iter()
            .filter(|(_, r)| in_window(r.decided_ms))
            .filter_map(|(td, r)| {
                let start = *registered.get(*td)?;
                (r.decided_ms >= start).then(|| (r.service, (r.decided_ms - start) / 1000))
            })
            .collect();

        let mut per_day: Vec<DayCount> = (0..i64::from(days))
            .map(|n| DayCount {
                date: first_day.add_days(n),
                succeeded: 0,
                failed: 0,
            })
            .collect();
        let mut by_service: BTreeMap<&str, Vec<&Rollout<'_>>> = BTreeMap::new();
        for r in &rollouts {
            by_service.entry(r.service).or_default().push(r);
            if in_window(r.decided_ms) {
                let day = first_day.days_until(Date::from_epoch_ms(r.decided_ms));
                if let Some(count) = usize::try_from(day).ok().and_then(|d| per_day.get_mut(d)) {
                    if r.succeeded {
                        count.succeeded += 1;
                    } else {
                        count.failed += 1;
                    }
                }
            }
        }

        let mut services = Vec::new();
        let (mut all_restores, mut open_incidents) = (Vec::new(), 0);
        for (service, list) in &by_service {
            let windowed: Vec<&&Rollout<'_>> =
                list.iter().filter(|r| in_window(r.decided_ms)).collect();
            let restores: Vec<i64> = incidents(list)
                .into_iter()
                .filter(|(start, _)| in_window(*start))
                .filter_map(|(start, end)| match end {
                    Some(end) => Some((end - start) / 1000),
                    None => {
                        open_incidents += 1;
                        None
                    }
                })
                .collect();
            all_restores.extend(&restores);
            if windowed.is_empty() {
                continue;
            }
            let failed = windowed.iter().filter(|r| !r.succeeded).count() as u32;
            let deployments = windowed.len() as u32;
            let mut leads: Vec<i64> = lead_times
                .iter()
                .filter(|(s, _)| s == service)
                .map(|(_, l)| *l)
                .collect();
            let last = windowed.last();
            services.push(ServiceStats {
                service: service.to_string(),
                deployments,
                failed,
                change_failure_rate: rate(failed, deployments),
                median_lead_time_secs: median(&mut leads),
                mean_time_to_restore_secs: mean(&restores),
                last_at: last.map(|r| r.decided_at.clone()),
                last_status: last.map(|r| {
                    if r.succeeded {
                        HistoryStatus::Succeeded
                    } else {
                        HistoryStatus::Failed
                    }
                }),
                last_actor: last.map(|r| r.actor.to_string()),
            });
        }
        services.sort_by(|a, b| {
            b.deployments
                .cmp(&a.deployments)
                .then_with(|| a.service.cmp(&b.service))
        });

        let deployments: u32 = per_day.iter().map(|d| d.succeeded + d.failed).sum();
        let failed: u32 = per_day.iter().map(|d| d.failed).sum();
        let mut leads: Vec<i64> = lead_times.iter().map(|(_, l)| *l).collect();
        Dashboard {
            days,
            first_day,
            today,
            per_day,
            deployments,
            failed,
            change_failure_rate: rate(failed, deployments),
            lead_time_samples: leads.len() as u32,
            median_lead_time_secs: median(&mut leads),
            restored_incidents: all_restores.len() as u32,
            mean_time_to_restore_secs: mean(&all_restores),
            open_incidents,
            services,
        }
    }
}

/// A duration for people: `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`.
pub fn format_duration(secs: i64) -> String {
    let secs = secs.max(0);
    match secs {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 86_400 => match (s / 3600, s % 3600 / 60) {
            (h, 0) => format!("{h} h"),
            (h, m) => format!("{h} h {m} min"),
        },
        s => match (s / 86_400, s % 86_400 / 3600) {
            (d, 0) => format!("{d} d"),
            (d, h) => format!("{d} d {h} h"),
        },
    }
}

/// A rate as a whole percentage: `25%`; `—` when there is nothing to divide.
pub fn format_rate(rate: Option<f64>) -> String {
    rate.map_or_else(|| "—".to_string(), |r| format!("{:.0}%", r * 100.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A fixture history, built row by row.
    #[derive(Default)]
    struct Fixture {
        rows: Vec<HistoryEntry>,
    }

    impl Fixture {
        fn push(
            &mut self,
            kind: &str,
            target: &str,
            status: HistoryStatus,
            at: &str,
        ) -> &mut HistoryEntry {
            self.rows.push(HistoryEntry {
                id: self.rows.len() as i64 + 1,
                kind: kind.into(),
                target: target.into(),
                actor: "dev".into(),
                status,
                started_at: at.into(),
                duration_ms: Some(1000),
                request: json!({}),
                response: None,
                error: None,
            });
            self.rows.last_mut().unwrap()
        }

        fn register(&mut self, family: &str, revision: i64, at: &str) {
            self.push(
                "task_definition.register",
                family,
                HistoryStatus::Succeeded,
                at,
            )
            .response = Some(json!({
                "taskDefinitionArn": format!("arn:aws:ecs:us-east-1:1:task-definition/{family}:{revision}"),
                "family": family, "revision": revision
            }));
        }

        /// A rollout started `started`, decided `finished`.
        fn rollout(&mut self, service: &str, to: &str, ok: bool, started: &str, finished: &str) {
            let status = if ok {
                HistoryStatus::Succeeded
            } else {
                HistoryStatus::Failed
            };
            let row = self.push("rollout", service, status, started);
            row.request = json!({"rolloutId": 1, "cluster": "prod", "service": service,
                "trigger": "deploy", "fromTaskDefinition": null, "toTaskDefinition": to, "desiredCount": 2});
            row.response = Some(json!({"rolloutId": 1,
                "outcome": if ok { "completed" } else { "failed" },
                "reason": if ok { "" } else { "tasks kept failing" }, "finishedAt": finished}));
        }
    }

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn deployments_per_day_count_decided_rollouts_on_the_day_they_were_decided() {
        let mut f = Fixture::default();
        f.rollout(
            "prod/web",
            "web:1",
            true,
            "2026-11-24T23:50:00Z",
            "2026-11-25T00:10:00Z",
        );
        f.rollout(
            "prod/web",
            "web:2",
            false,
            "2026-11-25T10:00:00Z",
            "2026-11-25T10:20:00Z",
        );
        f.rollout(
            "prod/api",
            "api:1",
            true,
            "2026-11-26T08:00:00Z",
            "2026-11-26T08:05:00Z",
        );
        // Out of the window, pending, or not a rollout: not counted.
        f.rollout(
            "prod/web",
            "web:0",
            true,
            "2026-10-01T08:00:00Z",
            "2026-10-01T08:05:00Z",
        );
        f.push(
            "rollout",
            "prod/web",
            HistoryStatus::Pending,
            "2026-11-26T09:00:00Z",
        );
        f.push(
            "service.deploy",
            "prod/web",
            HistoryStatus::Succeeded,
            "2026-11-26T09:00:00Z",
        );

        let d = Dashboard::compute(&f.rows, day("2026-11-26"), 30);
        assert_eq!(d.per_day.len(), 30);
        assert_eq!(d.first_day, day("2026-10-28"));
        let counts: Vec<(String, u32, u32)> = d
            .per_day
            .iter()
            .filter(|c| c.succeeded + c.failed > 0)
            .map(|c| (c.date.to_string(), c.succeeded, c.failed))
            .collect();
        assert_eq!(
            counts,
            [
                ("2026-11-25".to_string(), 1, 1),
                ("2026-11-26".to_string(), 1, 0)
            ]
        );
        assert_eq!((d.deployments, d.failed), (3, 1));
        assert_eq!(format_rate(d.change_failure_rate), "33%");

        let d90 = Dashboard::compute(&f.rows, day("2026-11-26"), 90);
        assert_eq!(d90.per_day.len(), 90);
        assert_eq!(d90.deployments, 4);
        assert_eq!(d90.change_failure_rate, Some(0.25));
    }

    #[test]
    fn an_empty_history_has_no_rates() {
        let d = Dashboard::compute(&[], day("2026-11-26"), 30);
        assert_eq!(d.deployments, 0);
        assert_eq!(d.change_failure_rate, None);
        assert_eq!(d.median_lead_time_secs, None);
        assert_eq!(d.mean_time_to_restore_secs, None);
        assert!(d.services.is_empty());
        assert_eq!(format_rate(None), "—");
    }

    #[test]
    fn lead_time_runs_from_registration_to_the_first_completed_rollout_of_that_revision() {
        let mut f = Fixture::default();
        f.register("web", 1, "2026-11-20T10:00:00Z");
        f.register("web", 2, "2026-11-21T10:00:00Z");
        f.register("api", 5, "2026-11-22T10:00:00Z");
        // web:1: failed first, completed 2 h after registration; a later redeploy does not count.
        f.rollout(
            "prod/web",
            "web:1",
            false,
            "2026-11-20T10:30:00Z",
            "2026-11-20T11:00:00Z",
        );
        f.rollout(
            "prod/web",
            "web:1",
            true,
            "2026-11-20T11:30:00Z",
            "2026-11-20T12:00:00Z",
        );
        f.rollout(
            "prod/web",
            "web:1",
            true,
            "2026-11-25T11:30:00Z",
            "2026-11-25T12:00:00Z",
        );
        // web:2: 30 min, to another cluster as an ARN.
        f.rollout(
            "stage/web",
            "arn:aws:ecs:us-east-1:1:task-definition/web:2",
            true,
            "2026-11-21T10:20:00Z",
            "2026-11-21T10:30:00Z",
        );
        // api:5: 1 day.
        f.rollout(
            "prod/api",
            "api:5",
            true,
            "2026-11-23T09:00:00Z",
            "2026-11-23T10:00:00Z",
        );
        // A revision never registered through the portal has no lead time.
        f.rollout(
            "prod/api",
            "api:4",
            true,
            "2026-11-23T11:00:00Z",
            "2026-11-23T11:10:00Z",
        );

        let d = Dashboard::compute(&f.rows, day("2026-11-26"), 30);
        assert_eq!(d.lead_time_samples, 3);
        // 30 min, 2 h, 24 h → median 2 h.
        assert_eq!(d.median_lead_time_secs, Some(2 * 3600));
        let web = d.services.iter().find(|s| s.service == "prod/web").unwrap();
        assert_eq!(web.median_lead_time_secs, Some(2 * 3600));
        let api = d.services.iter().find(|s| s.service == "prod/api").unwrap();
        assert_eq!(api.median_lead_time_secs, Some(24 * 3600));

        // An even number of samples: the mean of the middle two.
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2));
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn time_to_restore_runs_from_the_first_failure_to_the_next_success_on_that_service() {
        let mut f = Fixture::default();
        // prod/web: fails twice (one incident), restored 1 h after the first failure.
        f.rollout(
            "prod/web",
            "web:1",
            true,
            "2026-11-20T09:00:00Z",
            "2026-11-20T09:10:00Z",
        );
        f.rollout(
            "prod/web",
            "web:2",
            false,
            "2026-11-20T10:00:00Z",
            "2026-11-20T10:00:00Z",
        );
        f.rollout(
            "prod/web",
            "web:3",
            false,
            "2026-11-20T10:20:00Z",
            "2026-11-20T10:30:00Z",
        );
        // Another service's success does not restore it.
        f.rollout(
            "prod/api",
            "api:1",
            true,
            "2026-11-20T10:40:00Z",
            "2026-11-20T10:45:00Z",
        );
        f.rollout(
            "prod/web",
            "web:1",
            true,
            "2026-11-20T10:50:00Z",
            "2026-11-20T11:00:00Z",
        );
        // prod/api: a 3 h incident.
        f.rollout(
            "prod/api",
            "api:2",
            false,
            "2026-11-21T09:00:00Z",
            "2026-11-21T09:00:00Z",
        );
        f.rollout(
            "prod/api",
            "api:1",
            true,
            "2026-11-21T11:50:00Z",
            "2026-11-21T12:00:00Z",
        );
        // prod/db: still failing.
        f.rollout(
            "prod/db",
            "db:2",
            false,
            "2026-11-22T09:00:00Z",
            "2026-11-22T09:00:00Z",
        );

        let d = Dashboard::compute(&f.rows, day("2026-11-26"), 30);
        assert_eq!(d.restored_incidents, 2);
        assert_eq!(d.open_incidents, 1);
        // (1 h + 3 h) / 2
        assert_eq!(d.mean_time_to_restore_secs, Some(2 * 3600));
        let web = d.services.iter().find(|s| s.service == "prod/web").unwrap();
        assert_eq!(web.mean_time_to_restore_secs, Some(3600));
        assert_eq!((web.deployments, web.failed), (4, 2));
        assert_eq!(web.change_failure_rate, Some(0.5));
        assert_eq!(web.last_status, Some(HistoryStatus::Succeeded));
        assert_eq!(web.last_at.as_deref(), Some("2026-11-20T11:00:00Z"));
        let db = d.services.iter().find(|s| s.service == "prod/db").unwrap();
        assert_eq!(db.mean_time_to_restore_secs, None);
        assert_eq!(db.last_status, Some(HistoryStatus::Failed));
        // Busiest first.
        assert_eq!(d.services[0].service, "prod/web");
    }

    #[test]
    fn a_rollout_without_finished_at_is_decided_when_its_row_finished() {
        let mut f = Fixture::default();
        let row = f.push(
            "rollout",
            "prod/web",
            HistoryStatus::Succeeded,
            "2026-11-25T23:59:59.500Z",
        );
        row.duration_ms = Some(1000);
        let d = Dashboard::compute(&f.rows, day("2026-11-26"), 30);
        assert_eq!(d.per_day.last().unwrap().succeeded, 1);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(-5), "0 s");
        assert_eq!(format_duration(45), "45 s");
        assert_eq!(format_duration(600), "10 min");
        assert_eq!(format_duration(3600), "1 h");
        assert_eq!(format_duration(3 * 3600 + 5 * 60), "3 h 5 min");
        assert_eq!(format_duration(2 * 86_400 + 4 * 3600), "2 d 4 h");
        assert_eq!(format_duration(86_400), "1 d");
    }
}
