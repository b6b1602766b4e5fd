//! IAM roles for the task definition form's role picker.

use super::{errors::to_app_error, AwsClients};
use crate::{
    domain::roles::{trust_allows_service, RoleChoice, ECS_TASKS_SERVICE},
    error::AppError,
};

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
