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

/// What the task definition form page starts from: pasted JSON, the address's fields, a
/// copy of a revision or an empty form (see `domain::forms`), and the roles and images
/// to offer.
pub async fn form_start(
    state: &AppState,
    caller: &Caller,
    from: &str,
    fields: &std::collections::BTreeMap<String, String>,
    json: &str,
) -> Result<crate::domain::forms::TaskDefinitionFormStart, AppError> {
    use crate::domain::{
        forms::{create_log_group_ticked, TaskDefinitionFormSource as Source},
        task_definitions::TaskDefinitionForm,
    };
    caller
        .require(&state.db, Operation::ViewTaskDefinitions)
        .await?;
    let region = &state.aws.region;
    let (form, notes) = match Source::of(from, fields, json) {
        Source::Json(json) => TaskDefinitionForm::import(json, region),
        Source::Fields(fields) => (TaskDefinitionForm::from_fields(fields), Vec::new()),
        Source::Revision { family, revision } => {
            let copied = describe(state, caller, family, revision).await?;
            (TaskDefinitionForm::from_spec(&copied.spec), Vec::new())
        }
        Source::Empty => (TaskDefinitionForm::default(), Vec::new()),
    };
    let (roles, images) = form_choices(state, caller).await?;
    Ok(crate::domain::forms::TaskDefinitionFormStart {
        form,
        region: region.clone(),
        create_log_group: create_log_group_ticked(fields),
        roles,
        images,
        notes,
    })
}

/// Registers what the task definition form posted (`fields[...]`), with its log groups
/// when "create_log_group" is ticked.
pub async fn register_form(
    state: &AppState,
    caller: &Caller,
    fields: &std::collections::BTreeMap<String, String>,
) -> Result<RegisteredTaskDefinition, AppError> {
    caller
        .require(&state.db, Operation::RegisterTaskDefinition)
        .await?;
    let form = crate::domain::task_definitions::TaskDefinitionForm::from_fields(fields);
    let spec = form
        .parse(&state.aws.region)
        .map_err(AppError::validation)?;
    let create_log_groups = fields.get("create_log_group").is_some_and(|v| v == "on");
    register(state, caller, spec, create_log_groups).await
}

/// The active revision numbers of a family, newest first; none when the family cannot be
/// read (the create-service form's revision picker).
pub async fn active_revisions(
    state: &AppState,
    caller: &Caller,
    family: &str,
) -> Result<Vec<i32>, AppError> {
    caller
        .require(&state.db, Operation::ViewTaskDefinitions)
        .await?;
    let revisions = list_revisions(state, caller, family).await;
    Ok(crate::domain::forms::active_revisions(
        revisions.unwrap_or_default(),
    ))
}
