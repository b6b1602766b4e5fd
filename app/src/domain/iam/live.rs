//! A role as IAM holds it right now: what a change request's "before" and its drift are
//! taken from.

use serde_json::Value;
use std::collections::BTreeMap;

/// What IAM holds for a role right now: what a change request's "before" is taken from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LiveRole {
    pub trust_policy: Value,
    pub description: Option<String>,
    /// Inline policy documents by name, decoded.
    pub inline_policies: BTreeMap<String, Value>,
    /// ARNs of the attached managed policies, sorted.
    pub attached_policy_arns: Vec<String>,
}
