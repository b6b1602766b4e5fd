//! What a history row is about, derived from its kind and target by the target convention
//! (see [`HistoryKind::target_convention`]). The database stores the result in the
//! `cluster`, `service` and `family` columns so history can be filtered by them.

use super::HistoryKind;

/// The cluster, service and task definition family a row concerns (each if any).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Subject {
    pub cluster: Option<String>,
    pub service: Option<String>,
    pub family: Option<String>,
}

/// Reads the subject out of `target` for the row's `kind`. Kinds this build does not know
/// and IAM change requests (whose target is a role) concern none of the three.
pub fn subject(kind: &str, target: &str) -> Subject {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    match HistoryKind::parse(kind) {
        Some(HistoryKind::ClusterCreate) => Subject {
            cluster: some(target),
            ..Subject::default()
        },
        Some(HistoryKind::TaskDefinitionRegister) => Subject {
            family: some(target),
            ..Subject::default()
        },
        Some(HistoryKind::TaskDefinitionDeregister) => Subject {
            family: some(target.rsplit_once(':').map_or(target, |(family, _)| family)),
            ..Subject::default()
        },
        Some(
            HistoryKind::ServiceCreate
            | HistoryKind::ServiceDeploy
            | HistoryKind::ServiceScale
            | HistoryKind::ServiceForceDeployment
            | HistoryKind::ServiceRollback
            | HistoryKind::ServiceDelete
            | HistoryKind::Rollout,
        ) => match target.split_once('/') {
            Some((cluster, service)) => Subject {
                cluster: some(cluster),
                service: some(service),
                family: None,
            },
            None => Subject {
                service: some(target),
                ..Subject::default()
            },
        },
        Some(
            HistoryKind::ChangeRequestCreate
            | HistoryKind::ChangeRequestApprove
            | HistoryKind::ChangeRequestReject
            | HistoryKind::ChangeRequestWithdraw
            | HistoryKind::ChangeRequestApply,
        )
        | None => Subject::default(),
    }
}

#[cfg(test)]
mod tests;
