//! Policy documents as JSON: parsing with a position for errors, the canonical form (keys
//! sorted, no whitespace) that is hashed and compared, and IAM's way of counting size.

use super::trust::percent_decode;
use serde_json::{Map, Value};

/// The policy language version every document the portal writes uses.
pub const POLICY_VERSION: &str = "2012-10-17";

/// What a document is for: IAM checks them differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PolicyKind {
    /// An identity-based (inline or managed) policy: Action and Resource, no Principal.
    Permissions,
    /// A role's trust policy (assume role policy): Principal and an `sts:` action, no
    /// Resource.
    Trust,
}

/// Parses the text of a policy document. The error is a sentence with line and column.
pub fn parse_document(text: &str) -> Result<Value, String> {
    if text.trim().is_empty() {
        return Err("The policy document is empty.".to_string());
    }
    serde_json::from_str::<Value>(text)
        .map_err(|e| format!("The policy document is not valid JSON: {e}."))
}

/// A document as IAM returns it (URL-encoded JSON, or plain JSON from some emulators).
/// Text that is not JSON even once decoded is kept as a JSON string, so nothing is lost.
pub fn decode_document(raw: &str) -> Value {
    let text = if raw.trim_start().starts_with('{') {
        raw.to_string()
    } else {
        percent_decode(raw)
    };
    serde_json::from_str(&text).unwrap_or(Value::String(raw.to_string()))
}

/// The same value with every object's keys in sorted order.
pub fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let mut out = Map::new();
            for key in keys {
                out.insert(key.clone(), sorted(&map[key]));
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// Compact JSON with sorted keys: the form that is hashed, so equal documents hash alike
/// whatever order their keys were typed in.
pub fn canonical_json(value: &Value) -> String {
    sorted(value).to_string()
}

/// Indented JSON with sorted keys, for people and line diffs.
pub fn pretty_json(value: &Value) -> String {
    serde_json::to_string_pretty(&sorted(value)).unwrap_or_default()
}

/// The size IAM counts against its limits: characters of the document, whitespace
/// excluded.
pub fn policy_chars(value: &Value) -> usize {
    value
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parse_errors_name_the_position() {
        assert_eq!(
            parse_document("  ").unwrap_err(),
            "The policy document is empty."
        );
        let err = parse_document("{\n  \"Version\": \"2012-10-17\",\n}").unwrap_err();
        assert!(err.contains("line 3"), "{err}");
        assert_eq!(parse_document("{\"a\": 1}").unwrap(), json!({"a": 1}));
    }

    #[test]
    fn decodes_what_iam_returns() {
        assert_eq!(decode_document("%7B%22a%22%3A%201%7D"), json!({"a": 1}));
        assert_eq!(decode_document("{\"a\":1}"), json!({"a": 1}));
        assert_eq!(decode_document("nope"), json!("nope"));
    }

    #[test]
    fn canonical_form_ignores_key_order_and_whitespace() {
        let a = parse_document(r#"{"b": [ {"y":1,"x":2} ], "a": "s p"}"#).unwrap();
        let b = parse_document(r#"{"a":"s p","b":[{"x":2,"y":1}]}"#).unwrap();
        assert_eq!(canonical_json(&a), canonical_json(&b));
        assert_eq!(canonical_json(&a), r#"{"a":"s p","b":[{"x":2,"y":1}]}"#);
        assert_eq!(policy_chars(&a), canonical_json(&a).len() - 1);
        assert!(pretty_json(&a).starts_with("{\n  \"a\""));
    }
}
