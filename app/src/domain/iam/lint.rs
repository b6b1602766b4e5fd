//! The policy linter: schema errors, IAM's size limits and security warnings, each a
//! [`Finding`] with the JSON path it concerns and a plain-English explanation. Errors block
//! approval; warnings are shown prominently to the approver.

use super::{
    limits::{INLINE_POLICIES_MAX_CHARS, TRUST_POLICY_MAX_CHARS},
    policy::{parse_document, policy_chars, PolicyKind},
};
use crate::domain::iam::trust::{as_list, statement_allows_service, ECS_TASKS_SERVICE};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One thing the linter found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Finding {
    pub severity: Severity,
    /// Stable identifier, e.g. `wildcard-action` (listed in the README).
    pub code: String,
    /// Where in the document, e.g. `Statement[0].Action`; empty for the whole document.
    pub path: String,
    pub message: String,
}

/// The most severe finding, if any.
pub fn highest_severity(findings: &[Finding]) -> Option<Severity> {
    findings.iter().map(|f| f.severity).max()
}

/// What the linter needs to know beyond the document.
#[derive(Clone, Debug, Default)]
pub struct LintContext {
    /// The portal's AWS account: trust principals in other accounts are flagged.
    pub account_id: Option<String>,
    /// Characters (whitespace excluded) of the role's other inline policies, which count
    /// against the same 10,240 limit.
    pub other_inline_policy_chars: usize,
}

/// Services whose action prefixes the linter knows; others are flagged as likely typos.
const KNOWN_SERVICES: &[&str] = &[
    "acm",
    "apigateway",
    "application-autoscaling",
    "appsync",
    "athena",
    "autoscaling",
    "backup",
    "batch",
    "bedrock",
    "cloudformation",
    "cloudfront",
    "cloudtrail",
    "cloudwatch",
    "codeartifact",
    "codebuild",
    "codecommit",
    "codedeploy",
    "codepipeline",
    "cognito-identity",
    "cognito-idp",
    "comprehend",
    "dynamodb",
    "ec2",
    "ecr",
    "ecs",
    "eks",
    "elasticache",
    "elasticfilesystem",
    "elasticloadbalancing",
    "es",
    "events",
    "firehose",
    "glue",
    "iam",
    "kafka",
    "kinesis",
    "kms",
    "lambda",
    "logs",
    "mq",
    "rds",
    "rds-data",
    "redshift",
    "rekognition",
    "route53",
    "s3",
    "sagemaker",
    "scheduler",
    "secretsmanager",
    "servicediscovery",
    "ses",
    "sns",
    "sqs",
    "ssm",
    "ssmmessages",
    "states",
    "sts",
    "textract",
    "transcribe",
    "translate",
    "xray",
    "aoss",
    "appconfig",
    "cloudmap",
    "ecr-public",
    "execute-api",
    "geo",
    "iot",
    "kinesisanalytics",
    "memorydb",
    "organizations",
    "pi",
    "polly",
    "qldb",
    "ram",
    "resource-groups",
    "tag",
    "timestream",
    "wafv2",
];

/// Verbs of actions that only read.
const READ_VERBS: &[&str] = &[
    "Get", "List", "Describe", "Query", "Scan", "BatchGet", "Head", "Search", "Select", "View",
    "Lookup", "Check", "Read", "Receive",
];

const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Principal",
    "NotPrincipal",
    "Condition",
];

const TRUST_ACTIONS: &[&str] = &[
    "sts:assumerole",
    "sts:assumerolewithwebidentity",
    "sts:assumerolewithsaml",
    "sts:tagsession",
    "sts:setsourceidentity",
    "sts:setcontext",
    "sts:*",
];

struct Linter<'a> {
    kind: PolicyKind,
    context: &'a LintContext,
    findings: Vec<Finding>,
}

impl Linter<'_> {
    fn push(&mut self, severity: Severity, code: &str, path: &str, message: impl Into<String>) {
        self.findings.push(Finding {
            severity,
            code: code.to_string(),
            path: path.to_string(),
            message: message.into(),
        });
    }

    fn error(&mut self, code: &str, path: &str, message: impl Into<String>) {
        self.push(Severity::Error, code, path, message);
    }

    fn warning(&mut self, code: &str, path: &str, message: impl Into<String>) {
        self.push(Severity::Warning, code, path, message);
    }

    /// The strings of an element that may be a string or a list of strings; anything else
    /// is an `invalid-type` error.
    fn strings<'v>(&mut self, value: &'v Value, path: &str) -> Vec<(String, &'v str)> {
        let single = matches!(value, Value::String(_));
        let mut out = Vec::new();
        for (i, item) in as_list(value).into_iter().enumerate() {
            let item_path = if single {
                path.to_string()
            } else {
                format!("{path}[{i}]")
            };
            match item.as_str() {
                Some(s) => out.push((item_path, s)),
                None => self.error(
                    "invalid-type",
                    &item_path,
                    "Expected a string or a list of strings here.",
                ),
            }
        }
        if matches!(value, Value::Array(items) if items.is_empty()) {
            self.error("invalid-type", path, "This list is empty.");
        }
        out
    }

    fn document(&mut self, doc: &Value) {
        let Some(map) = doc.as_object() else {
            self.error(
                "not-an-object",
                "",
                "A policy document is a JSON object with Version and Statement.",
            );
            return;
        };
        for key in map.keys() {
            if !matches!(key.as_str(), "Version" | "Id" | "Statement") {
                self.error(
                    "unknown-element",
                    key,
                    format!("IAM does not know the element {key} at the top of a policy (allowed: Version, Id, Statement)."),
                );
            }
        }
        match map.get("Version") {
            None => self.warning(
                "missing-version",
                "Version",
                "Without \"Version\": \"2012-10-17\" IAM uses the 2008 language, in which policy variables such as ${aws:username} do not work.",
            ),
            Some(Value::String(v)) if v == "2012-10-17" || v == "2008-10-17" => {}
            Some(_) => self.error(
                "invalid-version",
                "Version",
                "Version must be \"2012-10-17\".",
            ),
        }
        let statements = match map.get("Statement") {
            None => {
                self.error(
                    "missing-statement",
                    "Statement",
                    "A policy needs a Statement: one statement object or a list of them.",
                );
                return;
            }
            Some(Value::Array(items)) if items.is_empty() => {
                self.error(
                    "missing-statement",
                    "Statement",
                    "The Statement list is empty.",
                );
                return;
            }
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, s)| (format!("Statement[{i}]"), s))
                .collect::<Vec<_>>(),
            Some(single) => vec![("Statement".to_string(), single)],
        };
        let mut sids = Vec::new();
        for (path, statement) in statements {
            if let Some(sid) = statement.get("Sid").and_then(Value::as_str) {
                if sids.contains(&sid) {
                    self.error(
                        "duplicate-sid",
                        &format!("{path}.Sid"),
                        format!(
                            "The Sid \"{sid}\" is used by two statements; each Sid must be unique."
                        ),
                    );
                }
                sids.push(sid);
            }
            self.statement(&path, statement);
        }
        let chars = policy_chars(doc);
        let (used, limit, code, what) = match self.kind {
            PolicyKind::Permissions => (
                chars + self.context.other_inline_policy_chars,
                INLINE_POLICIES_MAX_CHARS,
                "policy-too-large",
                "The role's inline policies together",
            ),
            PolicyKind::Trust => (
                chars,
                TRUST_POLICY_MAX_CHARS,
                "trust-policy-too-large",
                "The trust policy",
            ),
        };
        if used > limit {
            self.error(
                code,
                "",
                format!("{what} would have {used} characters (whitespace excluded); IAM allows {limit}."),
            );
        } else if used * 10 >= limit * 9 {
            self.push(
                Severity::Info,
                "size-near-limit",
                "",
                format!("{what} would have {used} of the {limit} characters IAM allows."),
            );
        }
    }

    fn statement(&mut self, path: &str, statement: &Value) {
        let Some(map) = statement.as_object() else {
            self.error("invalid-type", path, "A statement is a JSON object.");
            return;
        };
        let at = |key: &str| format!("{path}.{key}");
        for key in map.keys() {
            if !STATEMENT_KEYS.contains(&key.as_str()) {
                self.error(
                    "unknown-element",
                    &at(key),
                    format!("IAM does not know the statement element {key}."),
                );
            }
        }
        if let Some(sid) = map.get("Sid") {
            let ok = sid
                .as_str()
                .is_some_and(|s| s.chars().all(|c| c.is_ascii_alphanumeric()));
            if !ok {
                self.error(
                    "invalid-sid",
                    &at("Sid"),
                    "Sid may contain only letters and digits.",
                );
            }
        }
        let effect = map.get("Effect").and_then(Value::as_str);
        if !matches!(effect, Some("Allow" | "Deny")) {
            self.error(
                "invalid-effect",
                &at("Effect"),
                "Effect must be \"Allow\" or \"Deny\".",
            );
        }
        let allow = effect == Some("Allow");

        // Action / NotAction
        let actions = match (map.get("Action"), map.get("NotAction")) {
            (None, None) => {
                self.error(
                    "missing-action",
                    path,
                    "A statement needs Action (or NotAction).",
                );
                vec![]
            }
            (Some(_), Some(_)) => {
                self.error(
                    "action-and-not-action",
                    path,
                    "A statement has either Action or NotAction, not both.",
                );
                vec![]
            }
            (Some(action), None) => self.strings(action, &at("Action")),
            (None, Some(not_action)) => {
                if allow {
                    self.warning(
                        "not-action-allow",
                        &at("NotAction"),
                        "Allow with NotAction grants every action except the listed ones, including actions AWS adds later. List the actions to allow instead.",
                    );
                }
                self.strings(not_action, &at("NotAction"));
                vec![]
            }
        };
        let mut valid_actions = Vec::new();
        for (action_path, action) in &actions {
            if self.action(action_path, action) {
                valid_actions.push(action.to_string());
            }
        }

        // Resource / NotResource, Principal
        let resources = match self.kind {
            PolicyKind::Permissions => {
                for key in ["Principal", "NotPrincipal"] {
                    if map.contains_key(key) {
                        self.error(
                            "principal-in-permissions-policy",
                            &at(key),
                            format!("{key} belongs in trust policies; a role's permissions policy applies to the role itself."),
                        );
                    }
                }
                match (map.get("Resource"), map.get("NotResource")) {
                    (None, None) => {
                        self.error(
                            "missing-resource",
                            path,
                            "A statement needs Resource (or NotResource).",
                        );
                        vec![]
                    }
                    (Some(_), Some(_)) => {
                        self.error(
                            "resource-and-not-resource",
                            path,
                            "A statement has either Resource or NotResource, not both.",
                        );
                        vec![]
                    }
                    (Some(resource), None) => self.strings(resource, &at("Resource")),
                    (None, Some(not_resource)) => {
                        self.push(
                            Severity::Info,
                            "not-resource",
                            &at("NotResource"),
                            "NotResource applies the statement to every resource except the listed ones.",
                        );
                        self.strings(not_resource, &at("NotResource"));
                        vec![]
                    }
                }
            }
            PolicyKind::Trust => {
                for key in ["Resource", "NotResource"] {
                    if map.contains_key(key) {
                        self.error(
                            "resource-in-trust-policy",
                            &at(key),
                            format!("A trust policy has no {key}: it is about the role itself."),
                        );
                    }
                }
                match map.get("Principal") {
                    Some(principal) => self.principal(&at("Principal"), principal),
                    None if map.contains_key("NotPrincipal") => {}
                    None => self.error(
                        "missing-principal",
                        path,
                        "A trust policy statement needs a Principal: who may assume the role.",
                    ),
                }
                for (action_path, action) in &actions {
                    if !TRUST_ACTIONS.contains(&action.to_ascii_lowercase().as_str())
                        && *action != "*"
                    {
                        self.error(
                            "invalid-trust-action",
                            action_path,
                            format!(
                                "{action} is not an action of a trust policy (use sts:AssumeRole)."
                            ),
                        );
                    }
                }
                if allow
                    && statement_allows_service(statement, ECS_TASKS_SERVICE)
                    && !has_source_condition(map.get("Condition"))
                {
                    self.warning(
                        "missing-confused-deputy-condition",
                        &at("Condition"),
                        "ECS tasks of any account could be made to use this role on your behalf (the confused deputy problem). Add a Condition with aws:SourceAccount (your account) or aws:SourceArn (your ECS tasks).",
                    );
                }
                vec![]
            }
        };
        for (resource_path, resource) in &resources {
            if *resource != "*" && !resource.starts_with("arn:") {
                self.error(
                    "invalid-resource",
                    resource_path,
                    format!("\"{resource}\" is not an ARN (arn:aws:...) or \"*\"."),
                );
            }
        }

        // Security warnings about what is allowed on which resources.
        let all_resources = resources.iter().any(|(_, r)| *r == "*");
        if allow && all_resources && self.kind == PolicyKind::Permissions {
            let resource_path = at("Resource");
            if valid_actions.iter().any(|a| !is_read_only(a)) {
                self.warning(
                    "wildcard-resource-write",
                    &resource_path,
                    "\"Resource\": \"*\" with actions that change things lets the role change every resource of those services in the account. Name the resources (their ARNs).",
                );
            }
            if valid_actions
                .iter()
                .any(|a| glob_matches(a, "iam:PassRole"))
            {
                self.warning(
                    "pass-role-wildcard",
                    &resource_path,
                    "iam:PassRole on \"*\" lets the role hand any role, including admin roles, to a service: a path to privilege escalation. Name the roles it may pass.",
                );
            }
        }
        if let Some(condition) = map.get("Condition") {
            self.condition(&at("Condition"), condition);
        }
    }

    /// Checks one action string; true when it is well-formed.
    fn action(&mut self, path: &str, action: &str) -> bool {
        if action == "*" {
            if self.kind == PolicyKind::Permissions {
                self.warning(
                    "wildcard-action",
                    path,
                    "\"*\" allows every action of every AWS service. Grant only the actions the task needs.",
                );
            }
            return true;
        }
        let Some((service, name)) = action.split_once(':') else {
            self.error(
                "invalid-action",
                path,
                format!("\"{action}\" is not an action: write service:Action, e.g. s3:GetObject."),
            );
            return false;
        };
        let service_ok = !service.is_empty()
            && service
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        let name_ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '*' || c == '?');
        if !service_ok || !name_ok {
            self.error(
                "invalid-action",
                path,
                format!("\"{action}\" is not an action: write service:Action, e.g. s3:GetObject."),
            );
            return false;
        }
        if !KNOWN_SERVICES.contains(&service) {
            self.warning(
                "unknown-service",
                path,
                format!(
                    "\"{service}\" is not a service prefix the portal knows; check for a typo."
                ),
            );
        }
        if name == "*" && self.kind == PolicyKind::Permissions {
            self.warning(
                "service-wildcard-action",
                path,
                format!("\"{action}\" allows every {service} action, including ones that delete or change permissions. List the actions the task needs."),
            );
        }
        true
    }

    fn principal(&mut self, path: &str, principal: &Value) {
        if principal.as_str() == Some("*") {
            self.warning(
                "wildcard-principal",
                path,
                "\"Principal\": \"*\" lets anyone, in any AWS account, assume this role.",
            );
            return;
        }
        let Some(map) = principal.as_object() else {
            self.error(
                "invalid-principal",
                path,
                "Principal is \"*\" or an object such as {\"Service\": \"ecs-tasks.amazonaws.com\"}.",
            );
            return;
        };
        for (key, value) in map {
            let key_path = format!("{path}.{key}");
            if !matches!(
                key.as_str(),
                "AWS" | "Service" | "Federated" | "CanonicalUser"
            ) {
                self.error(
                    "invalid-principal",
                    &key_path,
                    format!(
                        "{key} is not a principal type (AWS, Service, Federated, CanonicalUser)."
                    ),
                );
                continue;
            }
            for (item_path, item) in self.strings(value, &key_path) {
                if item == "*" {
                    self.warning(
                        "wildcard-principal",
                        &item_path,
                        "A \"*\" principal lets anyone, in any AWS account, assume this role.",
                    );
                } else if key == "AWS" {
                    let account = principal_account(item);
                    if let (Some(account), Some(own)) =
                        (account, self.context.account_id.as_deref())
                    {
                        if account != own {
                            self.warning(
                                "cross-account-principal",
                                &item_path,
                                format!("Account {account} is not this portal's account ({own}): another account could assume this role."),
                            );
                        }
                    }
                }
            }
        }
    }

    fn condition(&mut self, path: &str, condition: &Value) {
        let Some(operators) = condition.as_object() else {
            self.error(
                "invalid-condition",
                path,
                "Condition is an object of operators, e.g. {\"StringEquals\": {\"aws:SourceAccount\": \"123456789012\"}}.",
            );
            return;
        };
        for (operator, keys) in operators {
            let ok = keys.as_object().is_some_and(|keys| {
                !keys.is_empty()
                    && keys.values().all(|v| {
                        as_list(v)
                            .into_iter()
                            .all(|x| x.is_string() || x.is_boolean() || x.is_number())
                    })
            });
            if !ok {
                self.error(
                    "invalid-condition",
                    &format!("{path}.{operator}"),
                    format!("{operator} needs an object of condition keys and their values."),
                );
            }
        }
    }
}

/// The account of an AWS principal: a 12-digit id or an ARN in some account.
fn principal_account(principal: &str) -> Option<&str> {
    if principal.len() == 12 && principal.chars().all(|c| c.is_ascii_digit()) {
        return Some(principal);
    }
    principal
        .strip_prefix("arn:")
        .and_then(|rest| rest.split(':').nth(3))
        .filter(|a| !a.is_empty())
}

fn has_source_condition(condition: Option<&Value>) -> bool {
    condition
        .and_then(Value::as_object)
        .is_some_and(|operators| {
            operators.values().filter_map(Value::as_object).any(|keys| {
                keys.keys().any(|k| {
                    k.eq_ignore_ascii_case("aws:SourceAccount")
                        || k.eq_ignore_ascii_case("aws:SourceArn")
                })
            })
        })
}

/// True for an action (pattern) that only reads: `s3:GetObject`, `dynamodb:Query`, `s3:List*`.
fn is_read_only(action: &str) -> bool {
    action
        .split_once(':')
        .is_some_and(|(_, name)| READ_VERBS.iter().any(|verb| name.starts_with(verb)))
}

/// IAM's action matching: `*` any run, `?` one character, case-insensitive.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_ascii_lowercase().chars().collect();
    let t: Vec<char> = text.to_ascii_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Lints a parsed document.
pub fn lint_document(doc: &Value, kind: PolicyKind, context: &LintContext) -> Vec<Finding> {
    let mut linter = Linter {
        kind,
        context,
        findings: Vec::new(),
    };
    linter.document(doc);
    linter.findings
}

/// Lints the text of a document (as typed in the editor): invalid JSON is an
/// `invalid-json` error.
pub fn lint_text(text: &str, kind: PolicyKind, context: &LintContext) -> Vec<Finding> {
    match parse_document(text) {
        Ok(doc) => lint_document(&doc, kind, context),
        Err(message) => vec![Finding {
            severity: Severity::Error,
            code: "invalid-json".to_string(),
            path: String::new(),
            message,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SEED_POLICY: &str = r#"{
"Version": "2012-10-17",
"Statement": [{
"Effect": "Allow",
"Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan"],
"Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/books"
}]
}"#;

    fn context() -> LintContext {
        LintContext {
            account_id: Some("123456789012".to_string()),
            other_inline_policy_chars: 0,
        }
    }

    fn codes(text: &str, kind: PolicyKind) -> Vec<(String, String)> {
        lint_text(text, kind, &context())
            .into_iter()
            .map(|f| (f.code, f.path))
            .collect()
    }

    fn permissions(statement: Value) -> String {
        json!({"Version": "2012-10-17", "Statement": [statement]}).to_string()
    }

    fn trust(statement: Value) -> String {
        json!({"Version": "2012-10-17", "Statement": [statement]}).to_string()
    }

    fn allow(action: Value, resource: Value) -> String {
        permissions(json!({"Effect": "Allow", "Action": action, "Resource": resource}))
    }

    fn ecs_trust(condition: Option<Value>) -> Value {
        let mut s = json!({"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"});
        if let Some(c) = condition {
            s["Condition"] = c;
        }
        s
    }

    #[test]
    fn clean_policies_have_no_findings() {
        let table = "arn:aws:dynamodb:us-east-1:123456789012:table/books";
        let clean: Vec<(String, PolicyKind)> = vec![
            (SEED_POLICY.to_string(), PolicyKind::Permissions),
            (allow(json!("s3:GetObject"), json!("arn:aws:s3:::b/*")), PolicyKind::Permissions),
            // Read-only actions on "*" are fine.
            (allow(json!(["s3:List*", "ec2:Describe*"]), json!("*")), PolicyKind::Permissions),
            (permissions(json!({"Sid": "Deny1", "Effect": "Deny", "NotAction": "s3:*", "Resource": table})), PolicyKind::Permissions),
            (permissions(json!({"Effect": "Allow", "Action": "dynamodb:Query", "Resource": [table],
                "Condition": {"Bool": {"aws:SecureTransport": true}}})), PolicyKind::Permissions),
            (json!({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:123456789012:q"}}).to_string(), PolicyKind::Permissions),
            (trust(ecs_trust(Some(json!({"StringEquals": {"aws:SourceAccount": "123456789012"}})))), PolicyKind::Trust),
            (trust(ecs_trust(Some(json!({"ArnLike": {"aws:SourceArn": "arn:aws:ecs:us-east-1:123456789012:*"}})))), PolicyKind::Trust),
            (trust(json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"})), PolicyKind::Trust),
            (trust(json!({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": ["sts:AssumeRole", "sts:TagSession"]})), PolicyKind::Trust),
        ];
        for (text, kind) in clean {
            assert_eq!(codes(&text, kind), vec![], "{text}");
        }
    }

    #[test]
    fn every_finding_code() {
        use PolicyKind::{Permissions as P, Trust as T};
        let table = "arn:aws:dynamodb:us-east-1:123456789012:table/books";
        let cases: Vec<(String, PolicyKind, &str, &str)> = vec![
            // text, kind, code, path
            ("{\"Version\": ".to_string(), P, "invalid-json", ""),
            ("[1]".to_string(), P, "not-an-object", ""),
            (json!({"Version": "2012-10-17", "Statement": [], "Extra": 1}).to_string(), P, "unknown-element", "Extra"),
            (json!({"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}).to_string(), P, "missing-version", "Version"),
            (json!({"Version": "2020-01-01", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}).to_string(), P, "invalid-version", "Version"),
            (json!({"Version": "2012-10-17"}).to_string(), P, "missing-statement", "Statement"),
            (json!({"Version": "2012-10-17", "Statement": []}).to_string(), P, "missing-statement", "Statement"),
            (permissions(json!("text")), P, "invalid-type", "Statement[0]"),
            (allow(json!([1]), json!(table)), P, "invalid-type", "Statement[0].Action[0]"),
            (allow(json!([]), json!(table)), P, "invalid-type", "Statement[0].Action"),
            (permissions(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Actions": 1})), P, "unknown-element", "Statement[0].Actions"),
            (permissions(json!({"Sid": "has space", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"})), P, "invalid-sid", "Statement[0].Sid"),
            (json!({"Version": "2012-10-17", "Statement": [
                {"Sid": "A", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
                {"Sid": "A", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}]}).to_string(), P, "duplicate-sid", "Statement[1].Sid"),
            (permissions(json!({"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"})), P, "invalid-effect", "Statement[0].Effect"),
            (permissions(json!({"Effect": "Allow", "Resource": "*"})), P, "missing-action", "Statement[0]"),
            (permissions(json!({"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*"})), P, "action-and-not-action", "Statement[0]"),
            (allow(json!("GetObject"), json!(table)), P, "invalid-action", "Statement[0].Action"),
            (allow(json!("s3:Get Object"), json!(table)), P, "invalid-action", "Statement[0].Action"),
            (permissions(json!({"Effect": "Allow", "Action": "s3:GetObject"})), P, "missing-resource", "Statement[0]"),
            (permissions(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "NotResource": "*"})), P, "resource-and-not-resource", "Statement[0]"),
            (allow(json!("s3:GetObject"), json!("my-bucket")), P, "invalid-resource", "Statement[0].Resource"),
            (permissions(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Principal": "*"})), P, "principal-in-permissions-policy", "Statement[0].Principal"),
            (permissions(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": table, "Condition": "x"})), P, "invalid-condition", "Statement[0].Condition"),
            (permissions(json!({"Effect": "Allow", "Action": "s3:GetObject", "Resource": table, "Condition": {"StringEquals": "x"}})), P, "invalid-condition", "Statement[0].Condition.StringEquals"),
            (allow(json!("*"), json!(table)), P, "wildcard-action", "Statement[0].Action"),
            (allow(json!(["s3:*"]), json!("arn:aws:s3:::b")), P, "service-wildcard-action", "Statement[0].Action[0]"),
            (allow(json!("dynamodb:PutItem"), json!("*")), P, "wildcard-resource-write", "Statement[0].Resource"),
            (allow(json!("iam:PassRole"), json!("*")), P, "pass-role-wildcard", "Statement[0].Resource"),
            (allow(json!("iam:Pass*"), json!("*")), P, "pass-role-wildcard", "Statement[0].Resource"),
            (permissions(json!({"Effect": "Allow", "NotAction": "iam:*", "Resource": table})), P, "not-action-allow", "Statement[0].NotAction"),
            (permissions(json!({"Effect": "Deny", "Action": "s3:DeleteObject", "NotResource": table})), P, "not-resource", "Statement[0].NotResource"),
            (allow(json!("dynamodbb:GetItem"), json!(table)), P, "unknown-service", "Statement[0].Action"),
            (trust(json!({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"})), T, "wildcard-principal", "Statement[0].Principal"),
            (trust(json!({"Effect": "Allow", "Principal": {"AWS": ["*"]}, "Action": "sts:AssumeRole"})), T, "wildcard-principal", "Statement[0].Principal.AWS[0]"),
            (trust(json!({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::999999999999:root"}, "Action": "sts:AssumeRole"})), T, "cross-account-principal", "Statement[0].Principal.AWS"),
            (trust(json!({"Effect": "Allow", "Principal": {"AWS": "999999999999"}, "Action": "sts:AssumeRole"})), T, "cross-account-principal", "Statement[0].Principal.AWS"),
            (trust(json!({"Effect": "Allow", "Principal": {"User": "x"}, "Action": "sts:AssumeRole"})), T, "invalid-principal", "Statement[0].Principal.User"),
            (trust(json!({"Effect": "Allow", "Principal": ["x"], "Action": "sts:AssumeRole"})), T, "invalid-principal", "Statement[0].Principal"),
            (trust(json!({"Effect": "Allow", "Action": "sts:AssumeRole"})), T, "missing-principal", "Statement[0]"),
            (trust(json!({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"})), T, "resource-in-trust-policy", "Statement[0].Resource"),
            (trust(json!({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "s3:GetObject"})), T, "invalid-trust-action", "Statement[0].Action"),
            (trust(ecs_trust(None)), T, "missing-confused-deputy-condition", "Statement[0].Condition"),
            (trust(ecs_trust(Some(json!({"StringEquals": {"aws:PrincipalTag/team": "x"}})))), T, "missing-confused-deputy-condition", "Statement[0].Condition"),
        ];
        for (text, kind, code, path) in cases {
            let found = codes(&text, kind);
            assert!(
                found.contains(&(code.to_string(), path.to_string())),
                "{code} at {path} expected in {found:?} for {text}"
            );
        }
    }

    #[test]
    fn severities() {
        let findings = lint_text(
            &allow(json!("*"), json!("*")),
            PolicyKind::Permissions,
            &context(),
        );
        assert_eq!(highest_severity(&findings), Some(Severity::Warning));
        assert!(findings.iter().all(|f| f.severity == Severity::Warning));
        let findings = lint_text("nope", PolicyKind::Permissions, &context());
        assert_eq!(highest_severity(&findings), Some(Severity::Error));
        assert_eq!(highest_severity(&[]), None);
        assert!(Severity::Error > Severity::Warning && Severity::Warning > Severity::Info);
        assert_eq!(serde_json::to_value(Severity::Warning).unwrap(), "warning");
    }

    #[test]
    fn size_limits_count_the_other_inline_policies() {
        let doc: Value = serde_json::from_str(SEED_POLICY).unwrap();
        let size = policy_chars(&doc);
        let mut near = context();
        near.other_inline_policy_chars = INLINE_POLICIES_MAX_CHARS - size;
        let found = lint_document(&doc, PolicyKind::Permissions, &near);
        assert_eq!(found.len(), 1);
        assert_eq!(
            (found[0].code.as_str(), found[0].severity),
            ("size-near-limit", Severity::Info)
        );
        near.other_inline_policy_chars += 1;
        let found = lint_document(&doc, PolicyKind::Permissions, &near);
        assert_eq!(found[0].code, "policy-too-large");
        assert_eq!(found[0].severity, Severity::Error);

        let many: Vec<String> = (0..60)
            .map(|i| format!("arn:aws:iam::123456789012:role/role-number-{i}"))
            .collect();
        let big_trust = trust(
            json!({"Effect": "Allow", "Principal": {"AWS": many}, "Action": "sts:AssumeRole"}),
        );
        assert!(codes(&big_trust, PolicyKind::Trust)
            .contains(&("trust-policy-too-large".to_string(), String::new())));
    }

    #[test]
    fn action_globs() {
        assert!(glob_matches("iam:*", "iam:PassRole"));
        assert!(glob_matches("IAM:pass?ole", "iam:PassRole"));
        assert!(glob_matches("*", "iam:PassRole"));
        assert!(!glob_matches("iam:Get*", "iam:PassRole"));
        assert!(is_read_only("s3:GetObject") && is_read_only("sqs:ReceiveMessage"));
        assert!(!is_read_only("s3:PutObject") && !is_read_only("s3:*") && !is_read_only("*"));
    }
}
