//! Import of a task definition pasted as JSON: the `--cli-input-json` shape, or what
//! DescribeTaskDefinition returns (the `taskDefinition` object or the whole response).

use super::{Tag, TaskDefinitionSpec, ValidTaskDefinition};
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The result of an import: the task definition, and what was left out of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportedTaskDefinition {
    pub spec: TaskDefinitionSpec,
    /// Fields left out because nothing is lost without them: the read-only fields
    /// DescribeTaskDefinition adds (`revision`, `status`...), and fields the portal does not
    /// support whose value was empty (`null`, `[]` or `{}`). JSON paths.
    pub dropped: Vec<String>,
    /// Fields the portal does not support, whose values were not imported, as JSON paths
    /// such as `containerDefinitions[0].linuxParameters`. Show these to the user.
    pub unknown: Vec<String>,
}

impl ImportedTaskDefinition {
    /// What the import left out, in sentences for the user (empty when nothing was).
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.dropped.is_empty() {
            notes.push(format!(
                "Read-only fields ignored: {}.",
                self.dropped.join(", ")
            ));
        }
        if !self.unknown.is_empty() {
            notes.push(format!(
                "Unknown keys not imported: {}.",
                self.unknown.join(", ")
            ));
        }
        notes
    }
}

/// Fields DescribeTaskDefinition returns that RegisterTaskDefinition does not accept.
pub const READ_ONLY_FIELDS: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
];

/// Reads a task definition pasted as JSON.
///
/// Errors are one sentence; for JSON that cannot be read they give the line and column.
pub fn import_task_definition(json: &str) -> Result<ImportedTaskDefinition, String> {
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    if json.trim().is_empty() {
        return Err("Paste a task definition as JSON.".to_string());
    }
    let value: Value =
        serde_json::from_str(json).map_err(|e| located("The JSON is not valid", &e))?;
    let Value::Object(top) = &value else {
        return Err(
            "Paste a JSON object: a task definition, or the output of aws ecs describe-task-definition."
                .to_string(),
        );
    };
    let unreadable =
        |e: serde_json::Error| located("The JSON does not describe a task definition", &e);

    let mut found = Found::default();
    let spec = match top.get("taskDefinition") {
        Some(inner @ Value::Object(_)) => {
            // The whole DescribeTaskDefinition response; its tags sit beside the definition.
            let response: DescribeResponse = serde_json::from_str(json).map_err(unreadable)?;
            for (key, item) in top {
                if key != "taskDefinition" && key != "tags" {
                    found.unsupported(key.clone(), item);
                }
            }
            walk(inner, &TASK, "", &mut found);
            if let Some(tags) = top.get("tags") {
                walk(tags, &TAGS, "tags", &mut found);
            }
            let mut spec = response.task_definition;
            for tag in response.tags {
                if !spec.tags.iter().any(|t| t.key == tag.key) {
                    spec.tags.push(tag);
                }
            }
            spec
        }
        _ => {
            let spec: TaskDefinitionSpec = serde_json::from_str(json).map_err(unreadable)?;
            walk(&value, &TASK, "", &mut found);
            spec
        }
    };
    Ok(ImportedTaskDefinition {
        spec,
        dropped: found.dropped,
        unknown: found.unknown,
    })
}

impl ValidTaskDefinition {
    /// Pasted or posted JSON in the AWS shape, read by [`import_task_definition`] and checked
    /// once. JSON that cannot be read is a problem of the field `json`; keys the portal does
    /// not know are refused, each as a problem at its path, so nothing is lost silently;
    /// read-only fields of DescribeTaskDefinition output are dropped.
    pub fn from_json(json: &str) -> Result<Self, Vec<FieldError>> {
        let imported =
            import_task_definition(json).map_err(|m| vec![FieldError::new("json", m)])?;
        if !imported.unknown.is_empty() {
            return Err(imported
                .unknown
                .iter()
                .map(|path| {
                    FieldError::new(
                        path.clone(),
                        format!("The portal does not know the key {path}; remove it or register it another way."),
                    )
                })
                .collect());
        }
        Self::parse(imported.spec)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct DescribeResponse {
    task_definition: TaskDefinitionSpec,
    #[serde(default)]
    tags: Vec<Tag>,
}

/// `prefix at line L, column C: what serde_json said.`
fn located(prefix: &str, error: &serde_json::Error) -> String {
    let (line, column) = (error.line(), error.column());
    let full = error.to_string();
    let suffix = format!(" at line {line} column {column}");
    let what = full.strip_suffix(&suffix).unwrap_or(&full);
    format!("{prefix} at line {line}, column {column}: {what}.")
}

#[derive(Default)]
struct Found {
    dropped: Vec<String>,
    unknown: Vec<String>,
}

impl Found {
    /// A key the portal does not model: harmless when empty, reported otherwise.
    fn unsupported(&mut self, path: String, value: &Value) {
        let empty = match value {
            Value::Null => true,
            Value::Array(items) => items.is_empty(),
            Value::Object(map) => map.is_empty(),
            _ => false,
        };
        if empty {
            self.dropped.push(path);
        } else {
            self.unknown.push(path);
        }
    }
}

/// What the portal models of the JSON, to find the keys it does not.
enum Shape {
    /// A value read as a whole (string, number, list of strings, map of strings).
    Value,
    Object(&'static [(&'static str, Shape)]),
    Array(&'static Shape),
}

static PORT_MAPPING: Shape = Shape::Object(&[
    ("containerPort", Shape::Value),
    ("hostPort", Shape::Value),
    ("protocol", Shape::Value),
    ("name", Shape::Value),
]);
static KEY_VALUE: Shape = Shape::Object(&[("name", Shape::Value), ("value", Shape::Value)]);
static SECRET: Shape = Shape::Object(&[("name", Shape::Value), ("valueFrom", Shape::Value)]);
static CONTAINER: Shape = Shape::Object(&[
    ("name", Shape::Value),
    ("image", Shape::Value),
    ("essential", Shape::Value),
    ("cpu", Shape::Value),
    ("memory", Shape::Value),
    ("memoryReservation", Shape::Value),
    ("portMappings", Shape::Array(&PORT_MAPPING)),
    ("environment", Shape::Array(&KEY_VALUE)),
    ("secrets", Shape::Array(&SECRET)),
    ("command", Shape::Value),
    ("entryPoint", Shape::Value),
    (
        "healthCheck",
        Shape::Object(&[
            ("command", Shape::Value),
            ("interval", Shape::Value),
            ("timeout", Shape::Value),
            ("retries", Shape::Value),
            ("startPeriod", Shape::Value),
        ]),
    ),
    (
        "logConfiguration",
        Shape::Object(&[("logDriver", Shape::Value), ("options", Shape::Value)]),
    ),
]);
static TAG: Shape = Shape::Object(&[("key", Shape::Value), ("value", Shape::Value)]);
static TAGS: Shape = Shape::Array(&TAG);
static TASK: Shape = Shape::Object(&[
    ("family", Shape::Value),
    ("taskRoleArn", Shape::Value),
    ("executionRoleArn", Shape::Value),
    ("networkMode", Shape::Value),
    ("requiresCompatibilities", Shape::Value),
    ("cpu", Shape::Value),
    ("memory", Shape::Value),
    (
        "ephemeralStorage",
        Shape::Object(&[("sizeInGiB", Shape::Value)]),
    ),
    (
        "runtimePlatform",
        Shape::Object(&[
            ("operatingSystemFamily", Shape::Value),
            ("cpuArchitecture", Shape::Value),
        ]),
    ),
    ("containerDefinitions", Shape::Array(&CONTAINER)),
    ("tags", Shape::Array(&TAG)),
]);

/// Records every key of `value` that `shape` does not know; `path` is empty at the top of
/// the task definition, where the read-only fields are.
fn walk(value: &Value, shape: &Shape, path: &str, found: &mut Found) {
    match (shape, value) {
        (Shape::Object(fields), Value::Object(map)) => {
            for (key, item) in map {
                let item_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match fields.iter().find(|(name, _)| name == key) {
                    Some((_, inner)) => walk(item, inner, &item_path, found),
                    None if path.is_empty() && READ_ONLY_FIELDS.contains(&key.as_str()) => {
                        found.dropped.push(item_path)
                    }
                    None => found.unsupported(item_path, item),
                }
            }
        }
        (Shape::Array(inner), Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, inner, &format!("{path}[{i}]"), found);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests;
