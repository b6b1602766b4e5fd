//! IAM roles as the task definition form offers them: roles whose trust policy lets ECS
//! tasks assume them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The service principal of ECS tasks.
pub const ECS_TASKS_SERVICE: &str = "ecs-tasks.amazonaws.com";

/// A role the form can offer as a task or execution role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleChoice {
    pub name: String,
    pub arn: String,
}

/// Decodes `%XX` escapes (IAM returns policy documents URL-encoded). `+` stays `+`: IAM
/// encodes spaces as `%20`. Invalid escapes are kept as they are.
pub fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// A policy element that may be one value or a list of them (`"Action": "s3:GetObject"` or
/// `"Action": [...]`), as a list. `null` (absent) is the empty list.
pub fn as_list(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => vec![],
        other => vec![other],
    }
}

/// True when the trust policy (JSON, plain or URL-encoded) has an `Allow` statement letting
/// `service` call `sts:AssumeRole`.
pub fn trust_allows_service(policy: &str, service: &str) -> bool {
    let decoded = if policy.trim_start().starts_with('{') {
        policy.to_string()
    } else {
        percent_decode(policy)
    };
    let Ok(doc) = serde_json::from_str::<Value>(&decoded) else {
        return false;
    };
    as_list(&doc["Statement"])
        .into_iter()
        .any(|statement| statement_allows_service(statement, service))
}

/// True when one trust policy statement is an `Allow` letting `service` call
/// `sts:AssumeRole`.
pub fn statement_allows_service(statement: &Value, service: &str) -> bool {
    let allows = statement["Effect"].as_str() == Some("Allow");
    let assumes = as_list(&statement["Action"])
        .into_iter()
        .filter_map(Value::as_str)
        .any(|a| a.eq_ignore_ascii_case("sts:AssumeRole") || a == "sts:*" || a == "*");
    let principal = as_list(&statement["Principal"]["Service"])
        .into_iter()
        .filter_map(Value::as_str)
        .any(|s| s == service);
    allows && assumes && principal
}

#[cfg(test)]
mod tests {
    use super::*;

    const ECS_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;

    #[test]
    fn decodes_iam_encoding() {
        assert_eq!(percent_decode("%7B%22a%22%3A%201%7D"), r#"{"a": 1}"#);
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        assert_eq!(percent_decode("a+b"), "a+b");
    }

    #[test]
    fn trust_policies() {
        let encoded = ECS_TRUST
            .bytes()
            .map(|b| format!("%{b:02X}"))
            .collect::<String>();
        let cases = [
            (ECS_TRUST.to_string(), true),
            (encoded, true),
            (ECS_TRUST.replace("ecs-tasks", "ec2"), false),
            (ECS_TRUST.replace("Allow", "Deny"), false),
            (ECS_TRUST.replace("sts:AssumeRole", "sts:TagSession"), false),
            (
                r#"{"Statement":{"Effect":"Allow","Principal":{"Service":["lambda.amazonaws.com","ecs-tasks.amazonaws.com"]},"Action":["sts:AssumeRole"]}}"#.to_string(),
                true,
            ),
            ("not json".to_string(), false),
        ];
        for (policy, expected) in cases {
            assert_eq!(
                trust_allows_service(&policy, ECS_TASKS_SERVICE),
                expected,
                "{policy}"
            );
        }
    }
}
