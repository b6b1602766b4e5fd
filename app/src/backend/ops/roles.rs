//! Reading IAM roles for the roles pages and the API.

use crate::{
    backend::{auth::Caller, db, AppState},
    domain::{
        iam::trust::{as_list, statement_allows_service, ECS_TASKS_SERVICE},
        iam::{
            limits::validate_role_name,
            role::{AttachedPolicy, InlinePolicy, RoleDetail, RoleSummary},
        },
        permissions::Operation,
    },
    error::AppError,
};

pub async fn list_roles(state: &AppState, caller: &Caller) -> Result<Vec<RoleSummary>, AppError> {
    caller.require(&state.db, Operation::ViewRoles).await?;
    state.aws.list_roles().await
}

/// A role's trust policy, inline policies (decoded) with every version the portal
/// applied, attached managed policies, and the change requests made for it.
pub async fn describe_role(
    state: &AppState,
    caller: &Caller,
    name: &str,
) -> Result<RoleDetail, AppError> {
    caller.require(&state.db, Operation::ViewRoles).await?;
    validate_role_name(name).map_err(|m| AppError::field("roleName", m))?;
    let (arn, live) = state
        .aws
        .live_role(name)
        .await?
        .ok_or_else(|| AppError::NotFound {
            message: format!("There is no role named {name}."),
        })?;
    let policy_versions = db::change_requests::policy_versions(&state.db, name).await?;
    let filter = db::change_requests::Filter {
        role_name: Some(name),
        ..Default::default()
    };
    let change_requests = db::change_requests::list(&state.db, filter, 100).await?;
    let trusts_ecs_tasks = as_list(&live.trust_policy["Statement"])
        .into_iter()
        .any(|s| statement_allows_service(s, ECS_TASKS_SERVICE));
    Ok(RoleDetail {
        name: name.to_string(),
        arn,
        description: live.description,
        trusts_ecs_tasks,
        trust_policy: live.trust_policy,
        inline_policies: live
            .inline_policies
            .into_iter()
            .map(|(name, document)| InlinePolicy { name, document })
            .collect(),
        attached_policies: live
            .attached_policy_arns
            .into_iter()
            .map(|arn| AttachedPolicy {
                name: arn.rsplit('/').next().unwrap_or_default().to_string(),
                arn,
            })
            .collect(),
        policy_versions,
        change_requests,
    })
}
