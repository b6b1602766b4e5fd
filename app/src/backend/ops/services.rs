//! Service use-cases: create, deploy a revision, scale, force a new deployment, roll back,
//! delete, and reading services. Every deployment action writes its `service.*` history row
//! and starts a rollout, whose id the row's response carries.

use super::{history::record, rollouts};
use crate::{
    backend::{
        auth::Caller,
        aws::services::ServiceUpdate,
        db::{self, rollouts::NewRollout},
        AppState,
    },
    domain::{
        history::HistoryKind,
        names::validate_ecs_name,
        permissions::Operation,
        services::rollouts::RolloutTrigger,
        services::{
            parse_task_definition_ref, service_target, validate_desired_count,
            validate_service_name, DeploymentStarted, NetworkChoices, ServicePage, ServiceSummary,
            TaskDefinitionRef, ValidServiceSpec,
        },
    },
    error::{AppError, FieldError},
};

/// How many rollouts the service page lists.
const ROLLOUTS_SHOWN: i64 = 20;

/// Checks the cluster and service names of a path or form.
fn check_names(cluster: &str, service: &str) -> Result<(), AppError> {
    let mut errors = Vec::new();
    if let Err(m) = validate_ecs_name("Cluster", cluster) {
        errors.push(FieldError::new("cluster", m).with_rejected(cluster));
    }
    if let Err(m) = validate_service_name(service) {
        errors.push(FieldError::new("service", m).with_rejected(service));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::validation(errors))
    }
}

fn service_not_found(cluster: &str, service: &str) -> AppError {
    AppError::NotFound {
        message: format!("There is no active service {service} in the cluster {cluster}."),
    }
}

/// Refuses a task definition revision ECS does not have, naming the field (`given`: the
/// revision as the request wrote it).
async fn require_revision(
    state: &AppState,
    reference: &TaskDefinitionRef,
    given: &str,
) -> Result<(), AppError> {
    match state
        .aws
        .describe_task_definition(&reference.family, reference.revision)
        .await?
    {
        Some(revision) if revision.status == "ACTIVE" => Ok(()),
        Some(_) => Err(AppError::validation(vec![FieldError::new(
            "taskDefinition",
            format!("{reference} is deregistered; choose an active revision."),
        )
        .with_rejected(given)])),
        None => Err(AppError::validation(vec![FieldError::new(
            "taskDefinition",
            format!("There is no task definition {reference}."),
        )
        .with_rejected(given)])),
    }
}

/// Creates a service and starts its first rollout.
pub async fn create_service(
    state: &AppState,
    caller: &Caller,
    spec: ValidServiceSpec,
) -> Result<DeploymentStarted, AppError> {
    caller.require(&state.db, Operation::CreateService).await?;
    record(
        &state.db,
        caller.name(),
        HistoryKind::ServiceCreate,
        &spec.target(),
        &spec,
        async {
            require_revision(state, spec.task_definition_ref(), &spec.task_definition).await?;
            let created = state.aws.create_service(&spec).await?;
            let rollout = rollouts::start(
                &state.db,
                &NewRollout {
                    cluster: &spec.cluster,
                    service: &spec.service_name,
                    trigger: RolloutTrigger::Create,
                    from_task_definition: None,
                    to_task_definition: &spec.task_definition,
                    desired_count: spec.desired_count,
                    actor: caller.name(),
                },
            )
            .await?;
            Ok(DeploymentStarted {
                service_arn: created.arn,
                rollout_id: rollout.id,
                cluster: spec.cluster.clone(),
                service: spec.service_name.clone(),
                task_definition: spec.task_definition.clone(),
                desired_count: spec.desired_count,
            })
        },
    )
    .await
}

/// A change to a running service that starts a rollout.
enum ServiceChange {
    /// The revision as given, and as read.
    Deploy(String, TaskDefinitionRef),
    Scale(i32),
    Force,
    Rollback,
}

impl ServiceChange {
    fn kind(&self) -> HistoryKind {
        match self {
            ServiceChange::Deploy(..) => HistoryKind::ServiceDeploy,
            ServiceChange::Scale(_) => HistoryKind::ServiceScale,
            ServiceChange::Force => HistoryKind::ServiceForceDeployment,
            ServiceChange::Rollback => HistoryKind::ServiceRollback,
        }
    }

    fn trigger(&self) -> RolloutTrigger {
        match self {
            ServiceChange::Deploy(..) => RolloutTrigger::Deploy,
            ServiceChange::Scale(_) => RolloutTrigger::Scale,
            ServiceChange::Force => RolloutTrigger::Force,
            ServiceChange::Rollback => RolloutTrigger::Rollback,
        }
    }
}

/// Deploys another revision (`family:revision`) to a service.
pub async fn deploy(
    state: &AppState,
    caller: &Caller,
    cluster: &str,
    service: &str,
    task_definition: &str,
) -> Result<DeploymentStarted, AppError> {
    caller.require(&state.db, Operation::DeployService).await?;
    let reference = parse_task_definition_ref(task_definition).map_err(|m| {
        AppError::validation(vec![
            FieldError::new("taskDefinition", m).with_rejected(task_definition)
        ])
    })?;
    change(
        state,
        caller,
        cluster,
        service,
        ServiceChange::Deploy(task_definition.to_string(), reference),
    )
    .await
}

/// Sets the desired count of a service.
pub async fn scale(
    state: &AppState,
    caller: &Caller,
    cluster: &str,
    service: &str,
    desired_count: i32,
) -> Result<DeploymentStarted, AppError> {
    caller.require(&state.db, Operation::DeployService).await?;
    validate_desired_count(desired_count).map_err(|m| {
        AppError::validation(vec![
            FieldError::new("desiredCount", m).with_rejected(desired_count.to_string())
        ])
    })?;
    change(
        state,
        caller,
        cluster,
        service,
        ServiceChange::Scale(desired_count),
    )
    .await
}

/// Replaces every task with a fresh one of the same revision.
pub async fn force_deployment(
    state: &AppState,
    caller: &Caller,
    cluster: &str,
    service: &str,
) -> Result<DeploymentStarted, AppError> {
    caller.require(&state.db, Operation::DeployService).await?;
    change(state, caller, cluster, service, ServiceChange::Force).await
}

/// Deploys the newest revision, other than the one in use, whose rollout completed on this
/// service (recorded as a rollout with trigger `rollback`).
pub async fn rollback(
    state: &AppState,
    caller: &Caller,
    cluster: &str,
    service: &str,
) -> Result<DeploymentStarted, AppError> {
    caller.require(&state.db, Operation::DeployService).await?;
    change(state, caller, cluster, service, ServiceChange::Rollback).await
}

async fn change(
    state: &AppState,
    caller: &Caller,
    cluster: &str,
    service: &str,
    change: ServiceChange,
) -> Result<DeploymentStarted, AppError> {
    check_names(cluster, service)?;
    let (current, _) = state
        .aws
        .find_active_service(cluster, service)
        .await?
        .ok_or_else(|| service_not_found(cluster, service))?;
    let (to_task_definition, desired_count) = match &change {
        ServiceChange::Deploy(td, _) => (td.clone(), current.desired_count),
        ServiceChange::Scale(count) => (current.task_definition.clone(), *count),
        ServiceChange::Force => (current.task_definition.clone(), current.desired_count),
        ServiceChange::Rollback => {
            let previous = db::rollouts::last_completed_other_than(
                &state.db,
                cluster,
                service,
                &current.task_definition,
            )
            .await?
            .ok_or_else(|| AppError::Conflict {
                message: format!(
                    "There is no earlier revision whose rollout completed on {service}; nothing to roll back to."
                ),
                errors: vec![],
            })?;
            (previous, current.desired_count)
        }
    };
    let mut request = serde_json::json!({ "cluster": cluster, "service": service });
    let mut update = ServiceUpdate::default();
    match &change {
        ServiceChange::Deploy(..) | ServiceChange::Rollback => {
            request["taskDefinition"] = to_task_definition.clone().into();
            update.task_definition = Some(to_task_definition.clone());
        }
        ServiceChange::Scale(count) => {
            request["desiredCount"] = (*count).into();
            update.desired_count = Some(*count);
        }
        ServiceChange::Force => {
            request["forceNewDeployment"] = true.into();
            update.force_new_deployment = true;
        }
    }
    record(
        &state.db,
        caller.name(),
        change.kind(),
        &service_target(cluster, service),
        &request,
        async {
            match &change {
                ServiceChange::Deploy(given, reference) => {
                    require_revision(state, reference, given).await?;
                }
                ServiceChange::Rollback => {
                    let reference = parse_task_definition_ref(&to_task_definition)
                        .map_err(|m| AppError::field("taskDefinition", m))?;
                    require_revision(state, &reference, &to_task_definition).await?;
                }
                ServiceChange::Scale(_) | ServiceChange::Force => {}
            }
            let updated = state.aws.update_service(cluster, service, &update).await?;
            let rollout = rollouts::start(
                &state.db,
                &NewRollout {
                    cluster,
                    service,
                    trigger: change.trigger(),
                    from_task_definition: Some(&current.task_definition),
                    to_task_definition: &to_task_definition,
                    desired_count,
                    actor: caller.name(),
                },
            )
            .await?;
            Ok(DeploymentStarted {
                service_arn: updated.arn,
                rollout_id: rollout.id,
                cluster: cluster.to_string(),
                service: service.to_string(),
                task_definition: to_task_definition.clone(),
                desired_count,
            })
        },
    )
    .await
}

/// Scales the service to 0 and deletes it. `confirm` must repeat the service name.
pub async fn delete(
    state: &AppState,
    caller: &Caller,
    cluster: &str,
    service: &str,
    confirm: &str,
) -> Result<ServiceSummary, AppError> {
    caller.require(&state.db, Operation::DeleteService).await?;
    check_names(cluster, service)?;
    if confirm != service {
        return Err(AppError::validation(vec![FieldError::new(
            "confirm",
            format!("Type the service name ({service}) to confirm the deletion."),
        )
        .with_rejected(confirm)]));
    }
    if state
        .aws
        .find_active_service(cluster, service)
        .await?
        .is_none()
    {
        return Err(service_not_found(cluster, service));
    }
    let request = serde_json::json!({ "cluster": cluster, "service": service });
    record(
        &state.db,
        caller.name(),
        HistoryKind::ServiceDelete,
        &service_target(cluster, service),
        &request,
        state.aws.delete_service(cluster, service),
    )
    .await
}

pub async fn list_services(
    state: &AppState,
    caller: &Caller,
    cluster: &str,
) -> Result<Vec<ServiceSummary>, AppError> {
    caller.require(&state.db, Operation::ViewClusters).await?;
    validate_ecs_name("Cluster", cluster).map_err(|m| AppError::field("cluster", m))?;
    if state.aws.find_active_cluster(cluster).await?.is_none() {
        return Err(AppError::NotFound {
            message: format!("There is no active cluster named {cluster}."),
        });
    }
    state.aws.list_services(cluster).await
}

/// What the service page shows.
pub async fn service_page(
    state: &AppState,
    caller: &Caller,
    cluster: &str,
    service: &str,
) -> Result<ServicePage, AppError> {
    caller.require(&state.db, Operation::ViewClusters).await?;
    check_names(cluster, service)?;
    let detail = state
        .aws
        .service_detail(cluster, service)
        .await?
        .ok_or_else(|| service_not_found(cluster, service))?;
    let rollouts = db::rollouts::for_service(&state.db, cluster, service, ROLLOUTS_SHOWN).await?;
    let rollback_to = db::rollouts::last_completed_other_than(
        &state.db,
        cluster,
        service,
        &detail.summary.task_definition,
    )
    .await?;
    Ok(ServicePage {
        detail,
        rollouts,
        rollback_to,
    })
}

/// Subnets and security groups for the create-service form; a list that cannot be read is
/// a sentence, and the form still takes typed ids.
pub async fn network_choices(
    state: &AppState,
    caller: &Caller,
) -> Result<NetworkChoices, AppError> {
    caller.require(&state.db, Operation::ViewClusters).await?;
    let (subnets, groups) = tokio::join!(
        state.aws.list_subnets(None),
        state.aws.list_security_groups(None)
    );
    Ok(NetworkChoices {
        subnets: subnets.map_err(|e| e.to_string()),
        security_groups: groups.map_err(|e| e.to_string()),
    })
}

/// What the create-service form page starts from: the address's fields (or an empty form
/// in `cluster`), the first cluster and family listed and the newest active revision when
/// none is chosen, and the clusters, families, revisions and network choices to offer.
pub async fn form_start(
    state: &AppState,
    caller: &Caller,
    fields: &std::collections::BTreeMap<String, String>,
    cluster: String,
) -> Result<crate::domain::forms::ServiceFormStart, AppError> {
    use crate::domain::forms::{
        active_revisions, choose_first_listed, choose_revision, service_form_from,
    };
    caller.require(&state.db, Operation::ViewClusters).await?;
    let mut form = service_form_from(fields, cluster);
    let (clusters, families, network) = tokio::join!(
        super::clusters::list_clusters(state, caller),
        super::task_definitions::list_families(state, caller),
        network_choices(state, caller),
    );
    let clusters = clusters
        .map(|list| list.into_iter().map(|c| c.name).collect())
        .map_err(|e| e.to_string());
    let families = families.map_err(|e| e.to_string());
    choose_first_listed(&mut form, &clusters, &families);
    // A family that cannot be read offers no revisions; the field says what is wrong.
    let revisions = super::task_definitions::list_revisions(state, caller, &form.family).await;
    let revisions = active_revisions(revisions.unwrap_or_default());
    choose_revision(&mut form, &revisions);
    Ok(crate::domain::forms::ServiceFormStart {
        form,
        clusters,
        families,
        revisions,
        network: network?,
    })
}

/// Creates the service the create-service form posted (`fields[...]`).
pub async fn create_from_form(
    state: &AppState,
    caller: &Caller,
    fields: &std::collections::BTreeMap<String, String>,
) -> Result<DeploymentStarted, AppError> {
    caller.require(&state.db, Operation::CreateService).await?;
    let spec = crate::domain::services::ServiceForm::from_fields(fields)
        .parse()
        .map_err(AppError::validation)?;
    create_service(state, caller, spec).await
}
