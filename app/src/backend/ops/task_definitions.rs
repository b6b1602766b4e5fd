//! Task definition use-cases: register (from the form or pasted JSON), list, describe,
//! deregister, compare.

use super::history::record;
use crate::{
    backend::{auth::Caller, AppState},
    domain::{
        history::HistoryKind,
        iam::trust::RoleChoice,
        images::ImageChoice,
        permissions::Operation,
        task_definitions::{
            awslogs_groups, diff_task_definitions, FieldChange, RegisteredTaskDefinition,
            RevisionSummary, TaskDefinitionRevision, ValidTaskDefinition,
        },
    },
    error::AppError,
};

/// Records and registers a valid spec; first creates the awslogs log groups it writes to
/// when `create_log_groups` (existing ones are left as they are).
pub async fn register(
    state: &AppState,
    caller: &Caller,
    spec: ValidTaskDefinition,
    create_log_groups: bool,
) -> Result<RegisteredTaskDefinition, AppError> {
    caller
        .require(&state.db, Operation::RegisterTaskDefinition)
        .await?;
    record(
        &state.db,
        caller.name(),
        HistoryKind::TaskDefinitionRegister,
        &spec.family,
        &spec,
        async {
            let mut created = Vec::new();
            if create_log_groups {
                for group in awslogs_groups(&spec) {
                    if state.aws.ensure_log_group(&group).await? {
                        created.push(group);
                    }
                }
            }
            let mut registered = state.aws.register_task_definition(&spec).await?;
            registered.log_groups_created = created;
            Ok(registered)
        },
    )
    .await
}

/// What the task definition form can offer: task roles and images. Each list that cannot
/// be read (no permission, no ECR in this region) is a sentence instead, and the form
/// still works with typed values.
pub async fn form_choices(
    state: &AppState,
    caller: &Caller,
) -> Result<
    (
        Result<Vec<RoleChoice>, String>,
        Result<Vec<ImageChoice>, String>,
    ),
    AppError,
> {
    caller
        .require(&state.db, Operation::ViewTaskDefinitions)
        .await?;
    let (roles, images) = tokio::join!(state.aws.list_task_roles(), state.aws.list_images());
    Ok((
        roles.map_err(|e| e.to_string()),
        images.map_err(|e| e.to_string()),
    ))
}

/// Parses pasted or posted JSON in the AWS shape into a valid spec (see
/// [`ValidTaskDefinition::from_json`]): unreadable JSON, unknown keys and broken rules are
/// field errors.
pub fn parse_json(json: &str) -> Result<ValidTaskDefinition, AppError> {
    ValidTaskDefinition::from_json(json).map_err(AppError::validation)
}

pub async fn list_families(state: &AppState, caller: &Caller) -> Result<Vec<String>, AppError> {
    caller
        .require(&state.db, Operation::ViewTaskDefinitions)
        .await?;
    state.aws.list_task_definition_families().await
}

pub async fn list_revisions(
    state: &AppState,
    caller: &Caller,
    family: &str,
) -> Result<Vec<RevisionSummary>, AppError> {
    caller
        .require(&state.db, Operation::ViewTaskDefinitions)
        .await?;
    let revisions = state.aws.list_task_definition_revisions(family).await?;
    if revisions.is_empty() {
        return Err(not_found(family, None));
    }
    Ok(revisions)
}

fn not_found(family: &str, revision: Option<i32>) -> AppError {
    AppError::NotFound {
        message: match revision {
            Some(r) => format!("There is no revision {r} of the task definition {family}."),
            None => format!("There is no task definition family {family}."),
        },
    }
}

pub async fn describe(
    state: &AppState,
    caller: &Caller,
    family: &str,
    revision: i32,
) -> Result<TaskDefinitionRevision, AppError> {
    caller
        .require(&state.db, Operation::ViewTaskDefinitions)
        .await?;
    state
        .aws
        .describe_task_definition(family, revision)
        .await?
        .ok_or_else(|| not_found(family, Some(revision)))
}

/// Deregisters a revision (recorded). An already deregistered one is refused.
pub async fn deregister(
    state: &AppState,
    caller: &Caller,
    family: &str,
    revision: i32,
) -> Result<RevisionSummary, AppError> {
    caller
        .require(&state.db, Operation::DeregisterTaskDefinition)
        .await?;
    let current = describe(state, caller, family, revision).await?;
    if current.status != "ACTIVE" {
        return Err(AppError::Conflict {
            message: format!("Revision {revision} of {family} is already deregistered."),
            errors: vec![],
        });
    }
    let request = serde_json::json!({ "taskDefinition": format!("{family}:{revision}") });
    record(
        &state.db,
        caller.name(),
        HistoryKind::TaskDefinitionDeregister,
        &format!("{family}:{revision}"),
        &request,
        state.aws.deregister_task_definition(family, revision),
    )
    .await
}

/// The changes from revision `a` to revision `b` of a family.
pub async fn compare(
    state: &AppState,
    caller: &Caller,
    family: &str,
    a: i32,
    b: i32,
) -> Result<Vec<FieldChange>, AppError> {
    let before = describe(state, caller, family, a).await?;
    let after = describe(state, caller, family, b).await?;
    Ok(diff_task_definitions(&before.spec, &after.spec))
}
