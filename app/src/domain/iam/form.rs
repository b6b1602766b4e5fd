//! The new change request form as flat text fields: what a plain (no-JavaScript) post and
//! a round trip through the address carry, turned into the API's input.

use super::{
    change_request::{ChangeRequestInput, ChangeRequestKind},
    lint::{lint_text, Finding, LintContext},
    policy::{pretty_json, PolicyKind, POLICY_VERSION},
    templates::Template,
};
use crate::domain::iam::trust::ECS_TASKS_SERVICE;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// A trust policy letting ECS tasks assume the role, with the confused-deputy conditions
/// when given (empty strings are left out).
pub fn ecs_tasks_trust_policy(source_account: &str, source_arn: &str) -> Value {
    let mut statement = json!({
        "Effect": "Allow",
        "Principal": {"Service": ECS_TASKS_SERVICE},
        "Action": "sts:AssumeRole",
    });
    let mut condition = Map::new();
    if !source_account.trim().is_empty() {
        condition.insert(
            "StringEquals".into(),
            json!({"aws:SourceAccount": source_account.trim()}),
        );
    }
    if !source_arn.trim().is_empty() {
        condition.insert(
            "ArnLike".into(),
            json!({"aws:SourceArn": source_arn.trim()}),
        );
    }
    if !condition.is_empty() {
        statement["Condition"] = Value::Object(condition);
    }
    json!({"Version": POLICY_VERSION, "Statement": [statement]})
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeRequestForm {
    pub kind: String,
    pub role_name: String,
    pub reason: String,
    pub description: String,
    pub trust_policy: String,
    pub source_account: String,
    pub source_arn: String,
    pub policy_name: String,
    pub policy_document: String,
    pub policy_arn: String,
    pub template: String,
    pub template_resource: String,
}

impl ChangeRequestForm {
    /// A fresh form: a task role trusted by ECS tasks.
    pub fn new_task_role() -> Self {
        ChangeRequestForm {
            kind: ChangeRequestKind::CreateRole.as_str().to_string(),
            trust_policy: pretty_json(&ecs_tasks_trust_policy("", "")),
            template: Template::DynamoDbTableReadWrite.id().to_string(),
            ..Default::default()
        }
    }

    /// The form's fields by their input names.
    pub fn to_fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("kind", self.kind.clone()),
            ("role_name", self.role_name.clone()),
            ("reason", self.reason.clone()),
            ("description", self.description.clone()),
            ("trust_policy", self.trust_policy.clone()),
            ("source_account", self.source_account.clone()),
            ("source_arn", self.source_arn.clone()),
            ("policy_name", self.policy_name.clone()),
            ("policy_document", self.policy_document.clone()),
            ("policy_arn", self.policy_arn.clone()),
            ("template", self.template.clone()),
            ("template_resource", self.template_resource.clone()),
        ]
    }

    pub fn from_fields(fields: &BTreeMap<String, String>) -> Self {
        let get = |name: &str| fields.get(name).cloned().unwrap_or_default();
        ChangeRequestForm {
            kind: get("kind"),
            role_name: get("role_name"),
            reason: get("reason"),
            description: get("description"),
            trust_policy: get("trust_policy"),
            source_account: get("source_account"),
            source_arn: get("source_arn"),
            policy_name: get("policy_name"),
            policy_document: get("policy_document"),
            policy_arn: get("policy_arn"),
            template: get("template"),
            template_resource: get("template_resource"),
        }
    }

    /// The API input: only the fields the chosen kind uses (the form shows them all),
    /// documents as the text typed, parsed by the same validation as the API's.
    pub fn to_input(&self) -> ChangeRequestInput {
        let kind = ChangeRequestKind::parse(&self.kind);
        let text =
            |used: bool, value: &str| (used && !value.trim().is_empty()).then(|| value.to_string());
        let uses = |f: fn(ChangeRequestKind) -> bool| kind.is_some_and(f);
        ChangeRequestInput {
            kind: self.kind.clone(),
            role_name: self.role_name.trim().to_string(),
            reason: self.reason.clone(),
            description: text(uses(ChangeRequestKind::creates_role), &self.description),
            assume_role_policy_document: text(
                uses(ChangeRequestKind::uses_trust_policy),
                &self.trust_policy,
            )
            .map(Value::String),
            policy_name: text(
                uses(ChangeRequestKind::uses_policy_name),
                self.policy_name.trim(),
            ),
            policy_document: text(
                uses(ChangeRequestKind::uses_policy_document),
                &self.policy_document,
            )
            .map(Value::String),
            policy_arn: text(
                uses(|k| k.uses_policy_arn() && k != ChangeRequestKind::CreateExecutionRole),
                self.policy_arn.trim(),
            ),
        }
    }

    /// The trust policy regenerated from the condition inputs.
    pub fn apply_trust_conditions(&mut self) {
        self.trust_policy = pretty_json(&ecs_tasks_trust_policy(
            &self.source_account,
            &self.source_arn,
        ));
    }

    /// The policy document generated from the chosen template and resource name.
    pub fn apply_template(&mut self, region: &str, account: &str) -> Result<(), String> {
        let template =
            Template::parse(&self.template).ok_or_else(|| "Choose a template.".to_string())?;
        let doc = template.document(&self.template_resource, region, account)?;
        self.policy_document = pretty_json(&doc);
        Ok(())
    }

    /// Live findings on the document the chosen kind sends (none for kinds without one).
    pub fn lint(&self, context: &LintContext) -> Vec<Finding> {
        match ChangeRequestKind::parse(&self.kind) {
            Some(k) if k.uses_trust_policy() => {
                lint_text(&self.trust_policy, PolicyKind::Trust, context)
            }
            Some(k) if k.uses_policy_document() => {
                lint_text(&self.policy_document, PolicyKind::Permissions, context)
            }
            _ => vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_form_is_the_seed_trust_policy() {
        let form = ChangeRequestForm::new_task_role();
        let doc: Value = serde_json::from_str(&form.trust_policy).unwrap();
        assert_eq!(
            doc,
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
        );
        let codes: Vec<String> = form
            .lint(&LintContext::default())
            .into_iter()
            .map(|f| f.code)
            .collect();
        assert_eq!(codes, ["missing-confused-deputy-condition"]);
    }

    #[test]
    fn conditions_silence_the_confused_deputy_warning() {
        let mut form = ChangeRequestForm::new_task_role();
        form.source_account = "123456789012".into();
        form.source_arn = "arn:aws:ecs:us-east-1:123456789012:*".into();
        form.apply_trust_conditions();
        assert!(form.trust_policy.contains("aws:SourceAccount"));
        assert!(form.trust_policy.contains("ArnLike"));
        assert_eq!(form.lint(&LintContext::default()), vec![]);
    }

    #[test]
    fn fields_round_trip_and_only_used_fields_reach_the_input() {
        let mut form = ChangeRequestForm::new_task_role();
        form.kind = "put-role-policy".into();
        form.role_name = " fastapi-task-role ".into();
        form.reason = "books".into();
        form.policy_name = "allow-dynamodb".into();
        form.template_resource = "books".into();
        form.apply_template("us-east-1", "123456789012").unwrap();
        let fields: BTreeMap<String, String> = form
            .to_fields()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(ChangeRequestForm::from_fields(&fields), form);
        let input = form.to_input();
        assert_eq!(input.assume_role_policy_document, None);
        assert_eq!(input.role_name, "fastapi-task-role");
        let (payload, _) = input.validate().unwrap();
        assert_eq!(
            payload.policy_document.unwrap()["Statement"][0]["Action"][3],
            "dynamodb:Scan"
        );

        form.template = "nope".into();
        assert!(form.apply_template("r", "a").is_err());
    }
}
