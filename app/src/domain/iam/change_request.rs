//! IAM change requests: what may be asked for (the kinds and their fields, exactly as the
//! API names them), validation, the canonical payload and its SHA-256, the state before and
//! after, and the status state machine. Nothing here executes anything.

use super::{
    diff::{json_diff, DiffLine},
    limits::{
        validate_description, validate_managed_policy_arn, validate_policy_name, validate_reason,
        validate_role_name,
    },
    lint::{lint_document, Finding, LintContext, Severity},
    live::LiveRole,
    policy::{canonical_json, parse_document, PolicyKind},
};
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// What `create-execution-role` attaches besides creating the role.
pub const ECS_TASK_EXECUTION_POLICY_ARN: &str =
    "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

/// Managed policies that grant (nearly) everything.
const BROAD_MANAGED_POLICIES: &[&str] =
    &["AdministratorAccess", "IAMFullAccess", "PowerUserAccess"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ChangeRequestKind {
    CreateRole,
    CreateExecutionRole,
    PutRolePolicy,
    DeleteRolePolicy,
    AttachRolePolicy,
    DetachRolePolicy,
    UpdateTrustPolicy,
}

impl ChangeRequestKind {
    pub const ALL: [ChangeRequestKind; 7] = [
        ChangeRequestKind::CreateRole,
        ChangeRequestKind::CreateExecutionRole,
        ChangeRequestKind::PutRolePolicy,
        ChangeRequestKind::DeleteRolePolicy,
        ChangeRequestKind::AttachRolePolicy,
        ChangeRequestKind::DetachRolePolicy,
        ChangeRequestKind::UpdateTrustPolicy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeRequestKind::CreateRole => "create-role",
            ChangeRequestKind::CreateExecutionRole => "create-execution-role",
            ChangeRequestKind::PutRolePolicy => "put-role-policy",
            ChangeRequestKind::DeleteRolePolicy => "delete-role-policy",
            ChangeRequestKind::AttachRolePolicy => "attach-role-policy",
            ChangeRequestKind::DetachRolePolicy => "detach-role-policy",
            ChangeRequestKind::UpdateTrustPolicy => "update-trust-policy",
        }
    }

    pub fn parse(value: &str) -> Option<ChangeRequestKind> {
        ChangeRequestKind::ALL
            .into_iter()
            .find(|k| k.as_str() == value)
    }

    pub fn describe(self) -> &'static str {
        match self {
            ChangeRequestKind::CreateRole => "Create a task role",
            ChangeRequestKind::CreateExecutionRole => "Create an execution role",
            ChangeRequestKind::PutRolePolicy => "Put an inline policy",
            ChangeRequestKind::DeleteRolePolicy => "Delete an inline policy",
            ChangeRequestKind::AttachRolePolicy => "Attach a managed policy",
            ChangeRequestKind::DetachRolePolicy => "Detach a managed policy",
            ChangeRequestKind::UpdateTrustPolicy => "Update the trust policy",
        }
    }

    pub fn creates_role(self) -> bool {
        matches!(
            self,
            ChangeRequestKind::CreateRole | ChangeRequestKind::CreateExecutionRole
        )
    }

    /// Uses `assumeRolePolicyDocument`.
    pub fn uses_trust_policy(self) -> bool {
        self.creates_role() || self == ChangeRequestKind::UpdateTrustPolicy
    }

    /// Uses `policyName`.
    pub fn uses_policy_name(self) -> bool {
        matches!(
            self,
            ChangeRequestKind::PutRolePolicy | ChangeRequestKind::DeleteRolePolicy
        )
    }

    /// Uses `policyDocument`.
    pub fn uses_policy_document(self) -> bool {
        self == ChangeRequestKind::PutRolePolicy
    }

    /// Uses `policyArn` (fixed for `create-execution-role`).
    pub fn uses_policy_arn(self) -> bool {
        matches!(
            self,
            ChangeRequestKind::AttachRolePolicy
                | ChangeRequestKind::DetachRolePolicy
                | ChangeRequestKind::CreateExecutionRole
        )
    }
}

/// A change request as the API and the form submit it. Documents are JSON objects, or
/// strings holding JSON (as the AWS CLI takes them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChangeRequestInput {
    /// `create-role`, `create-execution-role`, `put-role-policy`, `delete-role-policy`,
    /// `attach-role-policy`, `detach-role-policy` or `update-trust-policy`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub role_name: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub assume_role_policy_document: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub policy_document: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_arn: Option<String>,
}

/// Exactly what will be executed once approved. Its canonical JSON is hashed at request
/// time and checked again before execution.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChangePayload {
    pub kind: ChangeRequestKind,
    pub role_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub assume_role_policy_document: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub policy_document: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_arn: Option<String>,
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

fn present_value(value: &Option<Value>) -> Option<&Value> {
    value.as_ref().filter(|v| !v.is_null())
}

/// A document field: an object, or a string of JSON holding one.
fn document_field(field: &str, value: &Value) -> Result<Value, FieldError> {
    let doc = match value {
        Value::String(text) => {
            parse_document(text).map_err(|m| FieldError::new(field, m).with_rejected(text))?
        }
        other => other.clone(),
    };
    if doc.is_object() {
        Ok(doc)
    } else {
        Err(FieldError::new(
            field,
            "The policy document must be a JSON object ({\"Version\": ..., \"Statement\": [...]}).",
        ))
    }
}

impl ChangeRequestInput {
    /// The payload and the reason, or every field problem. Fields the kind does not use
    /// are refused rather than ignored, so what is approved is what was sent.
    pub fn validate(&self) -> Result<(ChangePayload, String), Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = ChangeRequestKind::parse(&self.kind);
        if kind.is_none() {
            let kinds: Vec<&str> = ChangeRequestKind::ALL.iter().map(|k| k.as_str()).collect();
            errors.push(
                FieldError::new(
                    "kind",
                    format!("Choose what to change: {}.", kinds.join(", ")),
                )
                .with_rejected(&self.kind),
            );
        }
        if let Err(m) = validate_role_name(&self.role_name) {
            errors.push(FieldError::new("roleName", m).with_rejected(&self.role_name));
        }
        if let Err(m) = validate_reason(&self.reason) {
            errors.push(FieldError::new("reason", m).with_rejected(&self.reason));
        }
        let Some(kind) = kind else {
            return Err(errors);
        };
        let unused = |field: &str| {
            FieldError::new(field, format!("{field} is not used by {}.", kind.as_str()))
        };
        let mut payload = ChangePayload {
            kind,
            role_name: self.role_name.clone(),
            description: None,
            assume_role_policy_document: None,
            policy_name: None,
            policy_document: None,
            policy_arn: None,
        };

        match (kind.creates_role(), present(&self.description)) {
            (true, Some(description)) => match validate_description(description) {
                Ok(()) => payload.description = Some(description.to_string()),
                Err(m) => errors.push(FieldError::new("description", m).with_rejected(description)),
            },
            (false, Some(_)) => errors.push(unused("description")),
            (_, None) => {}
        }
        match (
            kind.uses_trust_policy(),
            present_value(&self.assume_role_policy_document),
        ) {
            (true, Some(doc)) => match document_field("assumeRolePolicyDocument", doc) {
                Ok(doc) => payload.assume_role_policy_document = Some(doc),
                Err(e) => errors.push(e),
            },
            (true, None) => errors.push(FieldError::new(
                "assumeRolePolicyDocument",
                "The trust policy is required: who may assume the role.",
            )),
            (false, Some(_)) => errors.push(unused("assumeRolePolicyDocument")),
            (false, None) => {}
        }
        match (kind.uses_policy_name(), present(&self.policy_name)) {
            (true, Some(name)) => match validate_policy_name(name) {
                Ok(()) => payload.policy_name = Some(name.to_string()),
                Err(m) => errors.push(FieldError::new("policyName", m).with_rejected(name)),
            },
            (true, None) => errors.push(FieldError::new("policyName", "Policy name is required.")),
            (false, Some(_)) => errors.push(unused("policyName")),
            (false, None) => {}
        }
        match (
            kind.uses_policy_document(),
            present_value(&self.policy_document),
        ) {
            (true, Some(doc)) => match document_field("policyDocument", doc) {
                Ok(doc) => payload.policy_document = Some(doc),
                Err(e) => errors.push(e),
            },
            (true, None) => errors.push(FieldError::new(
                "policyDocument",
                "The policy document is required.",
            )),
            (false, Some(_)) => errors.push(unused("policyDocument")),
            (false, None) => {}
        }
        match (kind, present(&self.policy_arn)) {
            (ChangeRequestKind::CreateExecutionRole, None) => {
                payload.policy_arn = Some(ECS_TASK_EXECUTION_POLICY_ARN.to_string())
            }
            (ChangeRequestKind::CreateExecutionRole, Some(arn)) => {
                if arn == ECS_TASK_EXECUTION_POLICY_ARN {
                    payload.policy_arn = Some(arn.to_string());
                } else {
                    errors.push(
                        FieldError::new(
                            "policyArn",
                            format!("An execution role gets {ECS_TASK_EXECUTION_POLICY_ARN}; attach other policies with attach-role-policy."),
                        )
                        .with_rejected(arn),
                    );
                }
            }
            (k, Some(arn)) if k.uses_policy_arn() => match validate_managed_policy_arn(arn) {
                Ok(()) => payload.policy_arn = Some(arn.to_string()),
                Err(m) => errors.push(FieldError::new("policyArn", m).with_rejected(arn)),
            },
            (k, None) if k.uses_policy_arn() => errors.push(FieldError::new(
                "policyArn",
                "Managed policy ARN is required.",
            )),
            (_, Some(_)) => errors.push(unused("policyArn")),
            (_, None) => {}
        }
        if errors.is_empty() {
            Ok((payload, self.reason.trim().to_string()))
        } else {
            Err(errors)
        }
    }
}

/// Lowercase hex of the SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

impl ChangePayload {
    /// Compact JSON with sorted keys: what is stored, hashed and executed.
    pub fn canonical_json(&self) -> String {
        canonical_json(&serde_json::to_value(self).unwrap_or(Value::Null))
    }

    pub fn sha256(&self) -> String {
        sha256_hex(&self.canonical_json())
    }

    pub fn from_canonical_json(text: &str) -> Result<ChangePayload, String> {
        serde_json::from_str(text).map_err(|e| format!("The stored payload cannot be read: {e}"))
    }

    /// The linter's findings on the document this request carries, and about the live
    /// role it changes (`live` is `None` when the role does not exist).
    pub fn findings(&self, live: Option<&LiveRole>, context: &LintContext) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut push = |severity, code: &str, path: &str, message: String| {
            findings.push(Finding {
                severity,
                code: code.to_string(),
                path: path.to_string(),
                message,
            })
        };
        match (self.kind.creates_role(), live) {
            (true, Some(_)) => push(
                Severity::Error,
                "role-exists",
                "",
                format!("A role named {} already exists.", self.role_name),
            ),
            (false, None) => push(
                Severity::Info,
                "role-not-found",
                "",
                format!(
                    "The role {} does not exist yet: approve the request that creates it first.",
                    self.role_name
                ),
            ),
            _ => {}
        }
        if let (Some(live), Some(name)) = (live, &self.policy_name) {
            if self.kind == ChangeRequestKind::DeleteRolePolicy
                && !live.inline_policies.contains_key(name)
            {
                push(
                    Severity::Warning,
                    "nothing-to-change",
                    "",
                    format!("The role has no inline policy named {name}."),
                );
            }
        }
        if let (Some(live), Some(arn)) = (live, &self.policy_arn) {
            let attached = live.attached_policy_arns.contains(arn);
            let unchanged = match self.kind {
                ChangeRequestKind::AttachRolePolicy => attached,
                ChangeRequestKind::DetachRolePolicy => !attached,
                _ => false,
            };
            if unchanged {
                push(
                    Severity::Warning,
                    "nothing-to-change",
                    "",
                    format!(
                        "{arn} is {} attached to the role.",
                        if attached { "already" } else { "not" }
                    ),
                );
            }
        }
        if self.kind == ChangeRequestKind::AttachRolePolicy {
            if let Some(arn) = &self.policy_arn {
                let name = arn.rsplit('/').next().unwrap_or_default();
                if BROAD_MANAGED_POLICIES.contains(&name) {
                    push(
                        Severity::Warning,
                        "broad-managed-policy",
                        "",
                        format!("{name} grants nearly every permission in the account; a task role rarely needs it."),
                    );
                }
            }
        }
        if let Some(doc) = &self.assume_role_policy_document {
            findings.extend(lint_document(doc, PolicyKind::Trust, context));
        }
        if let Some(doc) = &self.policy_document {
            let mut context = context.clone();
            if let (Some(live), Some(name)) = (live, &self.policy_name) {
                context.other_inline_policy_chars = live
                    .inline_policies
                    .iter()
                    .filter(|(n, _)| *n != name)
                    .map(|(_, d)| super::policy::policy_chars(d))
                    .sum();
            }
            findings.extend(lint_document(doc, PolicyKind::Permissions, &context));
        }
        findings
    }

    /// The part of the role this request changes, as it is in `live` (`None`: no role).
    pub fn before_state(&self, live: Option<&LiveRole>) -> Value {
        match self.kind {
            ChangeRequestKind::CreateRole | ChangeRequestKind::CreateExecutionRole => live
                .map(|r| {
                    role_state(
                        &r.trust_policy,
                        &r.attached_policy_arns,
                        r.description.as_deref(),
                    )
                })
                .unwrap_or(Value::Null),
            ChangeRequestKind::PutRolePolicy | ChangeRequestKind::DeleteRolePolicy => live
                .zip(self.policy_name.as_ref())
                .and_then(|(r, name)| r.inline_policies.get(name).cloned())
                .unwrap_or(Value::Null),
            ChangeRequestKind::AttachRolePolicy | ChangeRequestKind::DetachRolePolicy => live
                .map(|r| json!(r.attached_policy_arns))
                .unwrap_or(Value::Null),
            ChangeRequestKind::UpdateTrustPolicy => {
                live.map(|r| r.trust_policy.clone()).unwrap_or(Value::Null)
            }
        }
    }

    /// The same part once this request is applied on top of `before`.
    pub fn after_state(&self, before: &Value) -> Value {
        let document = |d: &Option<Value>| d.clone().unwrap_or(Value::Null);
        match self.kind {
            ChangeRequestKind::CreateRole | ChangeRequestKind::CreateExecutionRole => role_state(
                &document(&self.assume_role_policy_document),
                &self.policy_arn.iter().cloned().collect::<Vec<_>>(),
                self.description.as_deref(),
            ),
            ChangeRequestKind::PutRolePolicy => document(&self.policy_document),
            ChangeRequestKind::DeleteRolePolicy => Value::Null,
            ChangeRequestKind::AttachRolePolicy | ChangeRequestKind::DetachRolePolicy => {
                let mut arns: Vec<String> = before
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                let arn = self.policy_arn.clone().unwrap_or_default();
                arns.retain(|a| *a != arn);
                if self.kind == ChangeRequestKind::AttachRolePolicy {
                    arns.push(arn);
                }
                arns.sort();
                json!(arns)
            }
            ChangeRequestKind::UpdateTrustPolicy => document(&self.assume_role_policy_document),
        }
    }
}

fn role_state(trust: &Value, attached: &[String], description: Option<&str>) -> Value {
    let mut map = Map::new();
    map.insert("assumeRolePolicyDocument".into(), trust.clone());
    map.insert("attachedPolicies".into(), json!(attached));
    if let Some(d) = description {
        map.insert("description".into(), json!(d));
    }
    Value::Object(map)
}

/// `None` when the live state is what the request saw; otherwise the diff from what it
/// saw to what is there now.
pub fn drift(stored_before: &Value, live_before: &Value) -> Option<Vec<DiffLine>> {
    (stored_before != live_before).then(|| json_diff(stored_before, live_before))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ChangeStatus {
    Pending,
    Approved,
    Applied,
    Failed,
    Rejected,
    Withdrawn,
}

impl ChangeStatus {
    pub const ALL: [ChangeStatus; 6] = [
        ChangeStatus::Pending,
        ChangeStatus::Approved,
        ChangeStatus::Applied,
        ChangeStatus::Failed,
        ChangeStatus::Rejected,
        ChangeStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeStatus::Pending => "pending",
            ChangeStatus::Approved => "approved",
            ChangeStatus::Applied => "applied",
            ChangeStatus::Failed => "failed",
            ChangeStatus::Rejected => "rejected",
            ChangeStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(value: &str) -> Option<ChangeStatus> {
        ChangeStatus::ALL.into_iter().find(|s| s.as_str() == value)
    }
}

/// What happens to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeEvent {
    Approve,
    Reject,
    Withdraw,
    /// The approved payload was executed and AWS accepted it.
    Apply,
    /// The approved payload was executed and AWS refused it.
    Fail,
    /// An admin tries a failed request again.
    Retry,
}

impl ChangeEvent {
    pub const ALL: [ChangeEvent; 6] = [
        ChangeEvent::Approve,
        ChangeEvent::Reject,
        ChangeEvent::Withdraw,
        ChangeEvent::Apply,
        ChangeEvent::Fail,
        ChangeEvent::Retry,
    ];

    /// The one status this event may happen in, and the status it leads to.
    pub fn edge(self) -> (ChangeStatus, ChangeStatus) {
        use ChangeStatus::*;
        match self {
            ChangeEvent::Approve => (Pending, Approved),
            ChangeEvent::Reject => (Pending, Rejected),
            ChangeEvent::Withdraw => (Pending, Withdrawn),
            ChangeEvent::Apply => (Approved, Applied),
            ChangeEvent::Fail => (Approved, Failed),
            ChangeEvent::Retry => (Failed, Approved),
        }
    }
}

/// The state machine: `pending → approved → applied | failed`, `pending → rejected |
/// withdrawn`, `failed → approved` (retry). Anything else is refused with a sentence.
pub fn transition(from: ChangeStatus, event: ChangeEvent) -> Result<ChangeStatus, String> {
    let (required, to) = event.edge();
    if from == required {
        Ok(to)
    } else {
        Err(format!(
            "This request is {}; only a {} request can be {}.",
            from.as_str(),
            required.as_str(),
            match event {
                ChangeEvent::Approve => "approved",
                ChangeEvent::Reject => "rejected",
                ChangeEvent::Withdraw => "withdrawn",
                ChangeEvent::Apply | ChangeEvent::Fail => "executed",
                ChangeEvent::Retry => "retried",
            }
        ))
    }
}

/// A change request with everything the approver needs to decide.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ChangeRequest {
    pub id: i64,
    pub kind: ChangeRequestKind,
    pub role_name: String,
    pub payload: ChangePayload,
    pub payload_sha256: String,
    pub requested_by: String,
    pub reason: String,
    /// The live state at request time (`null`: nothing there).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub before: Value,
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub after: Value,
    pub diff: Vec<DiffLine>,
    pub findings: Vec<Finding>,
    pub highest_severity: Option<Severity>,
    pub status: ChangeStatus,
    pub reviewed_by: Option<String>,
    pub review_comment: Option<String>,
    pub created_at: String,
    pub reviewed_at: Option<String>,
    /// Seconds since the request was made.
    pub age_seconds: i64,
    pub applied_at: Option<String>,
    /// What AWS answered when it was applied.
    #[cfg_attr(feature = "ssr", schema(value_type = Option<Object>))]
    pub result: Option<Value>,
    /// Why applying failed, in plain words.
    pub error: Option<String>,
    /// How many times it was executed (retries included).
    pub attempts: i64,
}

impl ChangeRequest {
    /// True when error findings keep it from being approved.
    pub fn blocked(&self) -> bool {
        self.highest_severity == Some(Severity::Error)
    }
}

/// The answer to a new request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreatedChangeRequest {
    pub id: i64,
    pub status: ChangeStatus,
    pub findings: Vec<Finding>,
}

/// How long ago: "just now", "5 min ago", "3 h ago", "2 d ago".
pub fn age_label(seconds: i64) -> String {
    match seconds {
        s if s < 60 => "just now".to_string(),
        s if s < 3_600 => format!("{} min ago", s / 60),
        s if s < 86_400 => format!("{} h ago", s / 3_600),
        s => format!("{} d ago", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_trust() -> Value {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    }

    fn seed_policy() -> Value {
        json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan"],
            "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/books"}]})
    }

    fn input(kind: &str) -> ChangeRequestInput {
        ChangeRequestInput {
            kind: kind.to_string(),
            role_name: "fastapi-task-role".to_string(),
            reason: "books API".to_string(),
            ..Default::default()
        }
    }

    fn fields(result: Result<(ChangePayload, String), Vec<FieldError>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect()
    }

    #[test]
    fn kinds_round_trip_with_their_api_names() {
        for kind in ChangeRequestKind::ALL {
            assert_eq!(ChangeRequestKind::parse(kind.as_str()), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        for status in ChangeStatus::ALL {
            assert_eq!(ChangeStatus::parse(status.as_str()), Some(status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
    }

    #[test]
    fn validation_per_kind() {
        let mut create = input("create-role");
        create.assume_role_policy_document = Some(seed_trust());
        create.description = Some("books".into());
        let (payload, reason) = create.validate().unwrap();
        assert_eq!(reason, "books API");
        assert_eq!(payload.description.as_deref(), Some("books"));
        assert_eq!(payload.policy_arn, None);

        let mut execution = input("create-execution-role");
        execution.assume_role_policy_document = Some(json!(seed_trust().to_string()));
        let (payload, _) = execution.validate().unwrap();
        assert_eq!(
            payload.policy_arn.as_deref(),
            Some(ECS_TASK_EXECUTION_POLICY_ARN)
        );
        assert_eq!(payload.assume_role_policy_document, Some(seed_trust()));
        execution.policy_arn = Some("arn:aws:iam::aws:policy/AdministratorAccess".into());
        assert_eq!(fields(execution.validate()), ["policyArn"]);

        let mut put = input("put-role-policy");
        put.policy_name = Some("allow-dynamodb".into());
        put.policy_document = Some(seed_policy());
        assert!(put.validate().is_ok());
        put.description = Some("x".into());
        put.policy_arn = Some("arn:aws:iam::aws:policy/ReadOnlyAccess".into());
        assert_eq!(fields(put.validate()), ["description", "policyArn"]);

        let cases: Vec<(ChangeRequestInput, Vec<&str>)> = vec![
            (input("rename-role"), vec!["kind"]),
            (
                ChangeRequestInput {
                    kind: "create-role".into(),
                    ..Default::default()
                },
                vec!["roleName", "reason", "assumeRolePolicyDocument"],
            ),
            (
                input("put-role-policy"),
                vec!["policyName", "policyDocument"],
            ),
            (
                ChangeRequestInput {
                    policy_name: Some("bad name".into()),
                    policy_document: Some(json!("{not json")),
                    ..input("put-role-policy")
                },
                vec!["policyName", "policyDocument"],
            ),
            (
                ChangeRequestInput {
                    policy_name: Some("p".into()),
                    policy_document: Some(json!([1])),
                    ..input("put-role-policy")
                },
                vec!["policyDocument"],
            ),
            (input("delete-role-policy"), vec!["policyName"]),
            (input("attach-role-policy"), vec!["policyArn"]),
            (
                ChangeRequestInput {
                    policy_arn: Some("ReadOnlyAccess".into()),
                    ..input("detach-role-policy")
                },
                vec!["policyArn"],
            ),
            (
                ChangeRequestInput {
                    policy_document: Some(seed_policy()),
                    ..input("update-trust-policy")
                },
                vec!["assumeRolePolicyDocument", "policyDocument"],
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(fields(input.validate()), expected, "{input:?}");
        }
    }

    #[test]
    fn invalid_json_keeps_what_was_typed() {
        let mut put = input("put-role-policy");
        put.policy_name = Some("p".into());
        put.policy_document = Some(json!("{\"Version\": "));
        let errors = put.validate().unwrap_err();
        assert_eq!(errors[0].rejected.as_deref(), Some("{\"Version\": "));
        assert!(errors[0].message.contains("not valid JSON"));
    }

    #[test]
    fn canonical_payload_hashes_and_round_trips() {
        let mut put = input("put-role-policy");
        put.policy_name = Some("allow-dynamodb".into());
        put.policy_document = Some(seed_policy());
        let (payload, _) = put.validate().unwrap();
        let text = payload.canonical_json();
        assert!(
            text.starts_with(r#"{"kind":"put-role-policy","policyDocument":{"Statement""#),
            "{text}"
        );
        assert_eq!(ChangePayload::from_canonical_json(&text).unwrap(), payload);
        assert_eq!(payload.sha256(), sha256_hex(&text));
        assert_eq!(payload.sha256().len(), 64);
        // The same document typed with other key order and spacing hashes alike.
        let mut again = put.clone();
        again.policy_document = Some(json!(serde_json::to_string_pretty(&seed_policy()).unwrap()));
        assert_eq!(again.validate().unwrap().0.sha256(), payload.sha256());
        // Any change to what would be executed changes the hash.
        let mut other = payload.clone();
        other.policy_name = Some("allow-dynamodb2".into());
        assert_ne!(other.sha256(), payload.sha256());
        assert!(ChangePayload::from_canonical_json(
            r#"{"kind":"put-role-policy","roleName":"r","extra":1}"#
        )
        .is_err());
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn state_machine() {
        use ChangeEvent as E;
        use ChangeStatus as S;
        let legal = [
            (S::Pending, E::Approve, S::Approved),
            (S::Pending, E::Reject, S::Rejected),
            (S::Pending, E::Withdraw, S::Withdrawn),
            (S::Approved, E::Apply, S::Applied),
            (S::Approved, E::Fail, S::Failed),
            (S::Failed, E::Retry, S::Approved),
        ];
        for from in ChangeStatus::ALL {
            for event in ChangeEvent::ALL {
                let expected = legal
                    .iter()
                    .find(|(f, e, _)| *f == from && *e == event)
                    .map(|(_, _, to)| *to);
                assert_eq!(transition(from, event).ok(), expected, "{from:?} {event:?}");
            }
        }
        assert_eq!(
            transition(S::Applied, E::Approve).unwrap_err(),
            "This request is applied; only a pending request can be approved."
        );
    }

    #[test]
    fn before_after_and_drift() {
        let live = LiveRole {
            trust_policy: seed_trust(),
            description: None,
            inline_policies: [("allow-dynamodb".to_string(), seed_policy())].into(),
            attached_policy_arns: vec!["arn:aws:iam::aws:policy/ReadOnlyAccess".into()],
        };
        let mut put = input("put-role-policy");
        put.policy_name = Some("allow-dynamodb".into());
        put.policy_document = Some(json!({"Version": "2012-10-17", "Statement": []}));
        let (put, _) = put.validate().unwrap();
        assert_eq!(put.before_state(Some(&live)), seed_policy());
        assert_eq!(put.before_state(None), Value::Null);
        assert_eq!(
            put.after_state(&seed_policy()),
            put.policy_document.clone().unwrap()
        );

        let attach = ChangePayload {
            kind: ChangeRequestKind::AttachRolePolicy,
            policy_arn: Some("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess".into()),
            ..put.clone()
        };
        let before = attach.before_state(Some(&live));
        assert_eq!(
            attach.after_state(&before),
            json!([
                "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
                "arn:aws:iam::aws:policy/ReadOnlyAccess"
            ])
        );
        let detach = ChangePayload {
            kind: ChangeRequestKind::DetachRolePolicy,
            ..attach.clone()
        };
        assert_eq!(detach.after_state(&before), before);
        let detach_findings = detach.findings(Some(&live), &LintContext::default());
        assert_eq!(detach_findings[0].code, "nothing-to-change");

        assert_eq!(drift(&before, &before), None);
        let changed = json!([]);
        let lines = drift(&before, &changed).unwrap();
        assert!(lines
            .iter()
            .any(|l| l.change == super::super::diff::LineChange::Removed));
    }

    #[test]
    fn findings_about_the_live_role() {
        let mut create = input("create-role");
        create.assume_role_policy_document = Some(seed_trust());
        let (create, _) = create.validate().unwrap();
        let codes = |p: &ChangePayload, live: Option<&LiveRole>| {
            p.findings(live, &LintContext::default())
                .into_iter()
                .map(|f| f.code)
                .collect::<Vec<_>>()
        };
        // The seed's trust policy has no confused-deputy condition.
        assert_eq!(codes(&create, None), ["missing-confused-deputy-condition"]);
        let live = LiveRole {
            trust_policy: seed_trust(),
            ..Default::default()
        };
        assert_eq!(codes(&create, Some(&live))[0], "role-exists");
        let mut put = input("put-role-policy");
        put.policy_name = Some("allow-dynamodb".into());
        put.policy_document = Some(seed_policy());
        let (put, _) = put.validate().unwrap();
        assert_eq!(codes(&put, None), ["role-not-found"]);
        assert_eq!(codes(&put, Some(&live)), Vec::<String>::new());
        let admin = ChangePayload {
            kind: ChangeRequestKind::AttachRolePolicy,
            policy_name: None,
            policy_document: None,
            policy_arn: Some("arn:aws:iam::aws:policy/AdministratorAccess".into()),
            ..put
        };
        assert_eq!(codes(&admin, Some(&live)), ["broad-managed-policy"]);
    }

    #[test]
    fn ages() {
        assert_eq!(age_label(5), "just now");
        assert_eq!(age_label(300), "5 min ago");
        assert_eq!(age_label(7_300), "2 h ago");
        assert_eq!(age_label(200_000), "2 d ago");
    }
}
