//! IAM roles: the task definition form's role picker, the roles pages, and executing
//! approved change requests.

use super::{errors::to_app_error, AwsClients};
use crate::{
    domain::{
        iam::trust::{trust_allows_service, RoleChoice, ECS_TASKS_SERVICE},
        iam::{
            change_request::{ChangePayload, ChangeRequestKind},
            live::LiveRole,
            policy::decode_document,
            role::RoleSummary,
        },
    },
    error::AppError,
};
use serde_json::json;
use std::collections::BTreeMap;

impl AwsClients {
    /// Every role whose trust policy lets ECS tasks assume it, sorted by name.
    pub async fn list_task_roles(&self) -> Result<Vec<RoleChoice>, AppError> {
        let mut roles = Vec::new();
        let mut pages = self.iam.list_roles().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| to_app_error("ListRoles", &e, self.endpoint_label()))?;
            for role in page.roles() {
                let trusted = role
                    .assume_role_policy_document()
                    .is_some_and(|doc| trust_allows_service(doc, ECS_TASKS_SERVICE));
                if trusted {
                    roles.push(RoleChoice {
                        name: role.role_name().to_string(),
                        arn: role.arn().to_string(),
                    });
                }
            }
        }
        roles.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(roles)
    }
}

/// IAM for roles pages and change requests: reading a role's live state, and executing an
/// approved change request's payload (nothing else in the portal writes to IAM).
impl AwsClients {
    /// Every role, sorted by name, with whether ECS tasks may assume it.
    pub async fn list_roles(&self) -> Result<Vec<RoleSummary>, AppError> {
        let mut roles = Vec::new();
        let mut pages = self.iam.list_roles().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| to_app_error("ListRoles", &e, self.endpoint_label()))?;
            for role in page.roles() {
                roles.push(RoleSummary {
                    name: role.role_name().to_string(),
                    arn: role.arn().to_string(),
                    description: role.description().map(String::from),
                    trusts_ecs_tasks: role
                        .assume_role_policy_document()
                        .is_some_and(|doc| trust_allows_service(doc, ECS_TASKS_SERVICE)),
                });
            }
        }
        roles.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(roles)
    }

    /// The role's ARN and live state (trust policy, inline policies decoded, attached
    /// managed policies), or `None` when there is no such role.
    pub async fn live_role(&self, name: &str) -> Result<Option<(String, LiveRole)>, AppError> {
        let role = match self.iam.get_role().role_name(name).send().await {
            Ok(output) => output.role,
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_no_such_entity_exception()) =>
            {
                return Ok(None)
            }
            Err(err) => return Err(to_app_error("GetRole", &err, self.endpoint_label())),
        };
        let Some(role) = role else { return Ok(None) };
        let (inline_policies, attached_policy_arns) =
            tokio::try_join!(self.inline_policies(name), self.attached_policy_arns(name))?;
        let live = LiveRole {
            trust_policy: role
                .assume_role_policy_document()
                .map(decode_document)
                .unwrap_or(serde_json::Value::Null),
            description: role
                .description()
                .map(String::from)
                .filter(|d| !d.is_empty()),
            inline_policies,
            attached_policy_arns,
        };
        Ok(Some((role.arn().to_string(), live)))
    }

    async fn inline_policies(
        &self,
        role: &str,
    ) -> Result<BTreeMap<String, serde_json::Value>, AppError> {
        let mut names = Vec::new();
        let mut pages = self
            .iam
            .list_role_policies()
            .role_name(role)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page =
                page.map_err(|e| to_app_error("ListRolePolicies", &e, self.endpoint_label()))?;
            names.extend(page.policy_names().iter().cloned());
        }
        let mut policies = BTreeMap::new();
        for name in names {
            let output = self
                .iam
                .get_role_policy()
                .role_name(role)
                .policy_name(&name)
                .send()
                .await
                .map_err(|e| to_app_error("GetRolePolicy", &e, self.endpoint_label()))?;
            policies.insert(name, decode_document(output.policy_document()));
        }
        Ok(policies)
    }

    async fn attached_policy_arns(&self, role: &str) -> Result<Vec<String>, AppError> {
        let mut arns = Vec::new();
        let mut pages = self
            .iam
            .list_attached_role_policies()
            .role_name(role)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page
                .map_err(|e| to_app_error("ListAttachedRolePolicies", &e, self.endpoint_label()))?;
            arns.extend(
                page.attached_policies()
                    .iter()
                    .filter_map(|p| p.policy_arn().map(String::from)),
            );
        }
        arns.sort();
        Ok(arns)
    }

    /// Executes an approved payload. The answer says what AWS did, for history.
    pub async fn apply_change(
        &self,
        payload: &ChangePayload,
    ) -> Result<serde_json::Value, AppError> {
        let role = payload.role_name.as_str();
        let document = |doc: &Option<serde_json::Value>| {
            doc.as_ref().map(|d| d.to_string()).unwrap_or_default()
        };
        let policy_name = payload.policy_name.clone().unwrap_or_default();
        let policy_arn = payload.policy_arn.clone().unwrap_or_default();
        match payload.kind {
            ChangeRequestKind::CreateRole | ChangeRequestKind::CreateExecutionRole => {
                let output = self
                    .iam
                    .create_role()
                    .role_name(role)
                    .assume_role_policy_document(document(&payload.assume_role_policy_document))
                    .set_description(payload.description.clone())
                    .send()
                    .await
                    .map_err(|e| to_app_error("CreateRole", &e, self.endpoint_label()))?;
                let arn = output.role().map(|r| r.arn().to_string());
                if payload.kind == ChangeRequestKind::CreateExecutionRole {
                    self.attach_role_policy(role, &policy_arn).await?;
                    return Ok(json!({"roleArn": arn, "attachedPolicyArn": policy_arn}));
                }
                Ok(json!({"roleArn": arn}))
            }
            ChangeRequestKind::PutRolePolicy => {
                self.iam
                    .put_role_policy()
                    .role_name(role)
                    .policy_name(&policy_name)
                    .policy_document(document(&payload.policy_document))
                    .send()
                    .await
                    .map_err(|e| to_app_error("PutRolePolicy", &e, self.endpoint_label()))?;
                Ok(json!({"roleName": role, "policyName": policy_name}))
            }
            ChangeRequestKind::DeleteRolePolicy => {
                self.iam
                    .delete_role_policy()
                    .role_name(role)
                    .policy_name(&policy_name)
                    .send()
                    .await
                    .map_err(|e| to_app_error("DeleteRolePolicy", &e, self.endpoint_label()))?;
                Ok(json!({"roleName": role, "deletedPolicyName": policy_name}))
            }
            ChangeRequestKind::AttachRolePolicy => {
                self.attach_role_policy(role, &policy_arn).await?;
                Ok(json!({"roleName": role, "attachedPolicyArn": policy_arn}))
            }
            ChangeRequestKind::DetachRolePolicy => {
                self.iam
                    .detach_role_policy()
                    .role_name(role)
                    .policy_arn(&policy_arn)
                    .send()
                    .await
                    .map_err(|e| to_app_error("DetachRolePolicy", &e, self.endpoint_label()))?;
                Ok(json!({"roleName": role, "detachedPolicyArn": policy_arn}))
            }
            ChangeRequestKind::UpdateTrustPolicy => {
                self.iam
                    .update_assume_role_policy()
                    .role_name(role)
                    .policy_document(document(&payload.assume_role_policy_document))
                    .send()
                    .await
                    .map_err(|e| {
                        to_app_error("UpdateAssumeRolePolicy", &e, self.endpoint_label())
                    })?;
                Ok(json!({"roleName": role, "trustPolicyUpdated": true}))
            }
        }
    }

    async fn attach_role_policy(&self, role: &str, policy_arn: &str) -> Result<(), AppError> {
        self.iam
            .attach_role_policy()
            .role_name(role)
            .policy_arn(policy_arn)
            .send()
            .await
            .map_err(|e| to_app_error("AttachRolePolicy", &e, self.endpoint_label()))?;
        Ok(())
    }
}
