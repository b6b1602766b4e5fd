//! The task definition form as the user fills it in: every value kept as typed (strings), so
//! nothing is lost when it is invalid. The browser (live) and the server (on submit) both turn
//! it into a [`TaskDefinitionSpec`] with [`TaskDefinitionForm::to_spec`] and check it with
//! [`TaskDefinitionForm::validate`], whose errors are keyed by form field name (see
//! [`form_field_for`]); a submit reads and checks it once with [`TaskDefinitionForm::parse`].
//!
//! Form field names: `family`, `task_role_arn`, `execution_role_arn`, `cpu`, `memory`,
//! `ephemeral_storage_gib`, `cpu_architecture`, then for container `i`: `c{i}_name`,
//! `c{i}_image`, `c{i}_essential`, `c{i}_ports`, `c{i}_environment`, `c{i}_secrets`,
//! `c{i}_command`, `c{i}_entry_point`, `c{i}_cpu`, `c{i}_memory`, `c{i}_memory_reservation`,
//! `c{i}_health_check`, `c{i}_log`; plus `form` for problems with the task as a whole.

use super::{
    default_log_configuration, diff_task_definitions, import_task_definition, ContainerDefinition,
    EphemeralStorage, HealthCheck, KeyValuePair, PortMapping, RuntimePlatform, Secret,
    TaskDefinitionSpec, ValidTaskDefinition, AWSVPC, FARGATE,
};
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// The task-level form fields, in form order.
const TASK_FIELDS: [&str; 7] = [
    "family",
    "task_role_arn",
    "execution_role_arn",
    "cpu",
    "memory",
    "ephemeral_storage_gib",
    "cpu_architecture",
];

/// The per-container form fields (after the `c{i}_` prefix), in form order.
const CONTAINER_FIELDS: [&str; 13] = [
    "name",
    "image",
    "essential",
    "ports",
    "environment",
    "secrets",
    "command",
    "entry_point",
    "cpu",
    "memory",
    "memory_reservation",
    "health_check",
    "log",
];

/// The field for problems with the task as a whole, shown at the top of the form.
const FORM: &str = "form";
const DEFAULT_ARCHITECTURE: &str = "X86_64";
const LINUX: &str = "LINUX";

/// The task definition form, every value as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskDefinitionForm {
    pub family: String,
    pub task_role_arn: String,
    pub execution_role_arn: String,
    /// CPU units as typed or selected, e.g. `"512"`.
    pub cpu: String,
    /// MiB, e.g. `"1024"`.
    pub memory: String,
    /// `""` = not set (Fargate's default 20 GiB).
    pub ephemeral_storage_gib: String,
    /// `"X86_64"` (the default) or `"ARM64"`; `""` leaves runtimePlatform out.
    pub cpu_architecture: String,
    pub containers: Vec<ContainerForm>,
}

/// One container of the form, every value as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerForm {
    pub name: String,
    pub image: String,
    /// Default true.
    pub essential: bool,
    /// Comma-separated `8000`, `8000/tcp` or `53/udp`; `""` = none.
    pub ports: String,
    /// One `NAME=value` per line; blank lines ignored; the value may contain `=`.
    pub environment: String,
    /// One `NAME=valueFrom` per line.
    pub secrets: String,
    /// Words split on whitespace; double quotes group words (`sh -c "echo hi"`), and inside
    /// them `\"` and `\\` stand for `"` and `\`.
    pub command: String,
    /// Split like `command`.
    pub entry_point: String,
    /// `""` = not set.
    pub cpu: String,
    pub memory: String,
    pub memory_reservation: String,
    /// `""` = none; `CMD-SHELL <shell command>`, `CMD <word>...`, or anything else, which is
    /// run as a shell command (`CMD-SHELL <text>`).
    pub health_check: String,
    /// Default true: CloudWatch Logs (`awslogs`) with [`default_log_configuration`].
    pub log_to_cloudwatch: bool,
}

impl Default for TaskDefinitionForm {
    fn default() -> Self {
        Self {
            family: String::new(),
            task_role_arn: String::new(),
            execution_role_arn: String::new(),
            cpu: "512".to_string(),
            memory: "1024".to_string(),
            ephemeral_storage_gib: String::new(),
            cpu_architecture: DEFAULT_ARCHITECTURE.to_string(),
            containers: vec![ContainerForm::default()],
        }
    }
}

impl Default for ContainerForm {
    fn default() -> Self {
        Self {
            name: String::new(),
            image: String::new(),
            essential: true,
            ports: String::new(),
            environment: String::new(),
            secrets: String::new(),
            command: String::new(),
            entry_point: String::new(),
            cpu: String::new(),
            memory: String::new(),
            memory_reservation: String::new(),
            health_check: String::new(),
            log_to_cloudwatch: true,
        }
    }
}

impl TaskDefinitionForm {
    /// Pasted JSON (`--cli-input-json` or describe output) as a form to review, with what
    /// did not come along said in sentences: read-only fields, unknown keys, and settings
    /// the form has no field for (found by diffing the form's own request against the
    /// pasted one). JSON that cannot be read gives the default form and the reason.
    pub fn import(json: &str, region: &str) -> (Self, Vec<String>) {
        match import_task_definition(json) {
            Err(message) => (
                TaskDefinitionForm::default(),
                vec![format!("The JSON could not be read: {message}")],
            ),
            Ok(imported) => {
                let form = TaskDefinitionForm::from_spec(&imported.spec);
                let mut notes = imported.notes();
                let (round_trip, _) = form.to_spec(region);
                notes.extend(
                    diff_task_definitions(&imported.spec, &round_trip)
                        .into_iter()
                        .map(|change| format!("Not carried into the form: {}", change.summary)),
                );
                (form, notes)
            }
        }
    }

    /// The RegisterTaskDefinition spec this form describes (network mode awsvpc, compatibilities
    /// `[FARGATE]`, runtimePlatform `{LINUX, cpu_architecture}` when an architecture is given),
    /// plus every problem found while reading the strings (a port that is not a number, a line
    /// without `=` ...), keyed by form field name. A value that cannot be read is left out of
    /// the spec. Text values are trimmed; empty optional values are left out.
    pub fn to_spec(&self, region: &str) -> (TaskDefinitionSpec, Vec<FieldError>) {
        let mut errors = Vec::new();
        let family = self.family.trim().to_string();
        let ephemeral_storage = match self.ephemeral_storage_gib.trim() {
            "" => None,
            raw => match raw.parse::<i32>() {
                Ok(size_in_gi_b) => Some(EphemeralStorage { size_in_gi_b }),
                Err(_) => {
                    errors.push(
                        FieldError::new(
                            "ephemeral_storage_gib",
                            "Ephemeral storage must be a whole number of GiB.",
                        )
                        .with_rejected(&self.ephemeral_storage_gib),
                    );
                    None
                }
            },
        };
        let runtime_platform = non_empty(&self.cpu_architecture).map(|arch| RuntimePlatform {
            operating_system_family: Some(LINUX.to_string()),
            cpu_architecture: Some(arch),
        });
        let container_definitions = self
            .containers
            .iter()
            .enumerate()
            .map(|(i, c)| c.to_definition(i, &family, region, &mut errors))
            .collect();
        let spec = TaskDefinitionSpec {
            task_role_arn: non_empty(&self.task_role_arn),
            execution_role_arn: non_empty(&self.execution_role_arn),
            network_mode: Some(AWSVPC.to_string()),
            requires_compatibilities: vec![FARGATE.to_string()],
            cpu: non_empty(&self.cpu),
            memory: non_empty(&self.memory),
            ephemeral_storage,
            runtime_platform,
            container_definitions,
            tags: Vec::new(),
            family,
        };
        (spec, errors)
    }

    /// [`to_spec`](Self::to_spec)'s problems plus the spec's own validation, all keyed by form
    /// field name ([`form_field_for`]), each (field, message) once, in form field order
    /// (`form` first; within one field, reading problems before rule problems).
    pub fn validate(&self, region: &str) -> Vec<FieldError> {
        self.check(region).1
    }

    /// What a submit of the form registers: the spec when the form reads and the spec passes
    /// every rule, else the problems [`validate`](Self::validate) lists. Each value is read
    /// and checked once.
    pub fn parse(&self, region: &str) -> Result<ValidTaskDefinition, Vec<FieldError>> {
        match self.check(region) {
            (spec, errors) if errors.is_empty() => Ok(ValidTaskDefinition(spec)),
            (_, errors) => Err(errors),
        }
    }

    /// The spec and every problem with the form, as [`validate`](Self::validate) lists them.
    fn check(&self, region: &str) -> (TaskDefinitionSpec, Vec<FieldError>) {
        let (spec, mut errors) = self.to_spec(region);
        errors.extend(spec.validate().into_iter().map(|mut e| {
            e.field = form_field_for(&e.field);
            e
        }));
        let mut seen = HashSet::new();
        errors.retain(|e| seen.insert((e.field.clone(), e.message.clone())));
        errors.sort_by_key(|e| field_rank(&e.field));
        (spec, errors)
    }

    /// The form for an existing spec ("New revision from this").
    /// `from_spec(s).to_spec(region).0 == s` for specs the form can express. Tags, port names
    /// and host ports, health check timings and fields the form has no input for are dropped,
    /// and some values are normalised: a missing `essential` becomes `true`, a port without a
    /// protocol gets `tcp`, a missing runtimePlatform (or architecture) becomes
    /// `{LINUX, X86_64}`, and any `awslogs` log configuration becomes the default one for the
    /// family and region (other drivers: no logging).
    pub fn from_spec(spec: &TaskDefinitionSpec) -> Self {
        let platform = spec.runtime_platform.as_ref();
        Self {
            family: spec.family.clone(),
            task_role_arn: spec.task_role_arn.clone().unwrap_or_default(),
            execution_role_arn: spec.execution_role_arn.clone().unwrap_or_default(),
            cpu: spec.cpu.clone().unwrap_or_default(),
            memory: spec.memory.clone().unwrap_or_default(),
            ephemeral_storage_gib: spec
                .ephemeral_storage
                .as_ref()
                .map(|s| s.size_in_gi_b.to_string())
                .unwrap_or_default(),
            cpu_architecture: platform
                .and_then(|p| p.cpu_architecture.clone())
                .unwrap_or_else(|| DEFAULT_ARCHITECTURE.to_string()),
            containers: spec
                .container_definitions
                .iter()
                .map(ContainerForm::from_definition)
                .collect(),
        }
    }

    /// Flat (name, value) pairs as the HTML form posts them, in form order. Checkboxes
    /// (`c{i}_essential`, `c{i}_log`) are present, with value `on`, only when checked.
    pub fn to_fields(&self) -> Vec<(String, String)> {
        let mut fields: Vec<(String, String)> = TASK_FIELDS
            .iter()
            .zip([
                &self.family,
                &self.task_role_arn,
                &self.execution_role_arn,
                &self.cpu,
                &self.memory,
                &self.ephemeral_storage_gib,
                &self.cpu_architecture,
            ])
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect();
        for (i, c) in self.containers.iter().enumerate() {
            let checkbox = |on: bool| on.then(|| "on".to_string());
            let values = [
                Some(c.name.clone()),
                Some(c.image.clone()),
                checkbox(c.essential),
                Some(c.ports.clone()),
                Some(c.environment.clone()),
                Some(c.secrets.clone()),
                Some(c.command.clone()),
                Some(c.entry_point.clone()),
                Some(c.cpu.clone()),
                Some(c.memory.clone()),
                Some(c.memory_reservation.clone()),
                Some(c.health_check.clone()),
                checkbox(c.log_to_cloudwatch),
            ];
            for (name, value) in CONTAINER_FIELDS.iter().zip(values) {
                if let Some(value) = value {
                    fields.push((format!("c{i}_{name}"), value));
                }
            }
        }
        fields
    }

    /// The inverse of [`to_fields`](Self::to_fields). The containers are those `i` with a
    /// `c{i}_name` key, in increasing `i` (gaps allowed); a missing text field is empty and a
    /// missing checkbox unchecked. Unknown keys are ignored.
    pub fn from_fields(fields: &BTreeMap<String, String>) -> Self {
        let text = |key: &str| fields.get(key).cloned().unwrap_or_default();
        let indices: BTreeSet<usize> = fields
            .keys()
            .filter_map(|key| {
                let index = key.strip_prefix('c')?.strip_suffix("_name")?;
                let i: usize = index.parse().ok()?;
                (i.to_string() == index).then_some(i)
            })
            .collect();
        let containers = indices
            .into_iter()
            .map(|i| {
                let text = |name: &str| text(&format!("c{i}_{name}"));
                let checked = |name: &str| fields.contains_key(&format!("c{i}_{name}"));
                ContainerForm {
                    name: text("name"),
                    image: text("image"),
                    essential: checked("essential"),
                    ports: text("ports"),
                    environment: text("environment"),
                    secrets: text("secrets"),
                    command: text("command"),
                    entry_point: text("entry_point"),
                    cpu: text("cpu"),
                    memory: text("memory"),
                    memory_reservation: text("memory_reservation"),
                    health_check: text("health_check"),
                    log_to_cloudwatch: checked("log"),
                }
            })
            .collect();
        Self {
            family: text("family"),
            task_role_arn: text("task_role_arn"),
            execution_role_arn: text("execution_role_arn"),
            cpu: text("cpu"),
            memory: text("memory"),
            ephemeral_storage_gib: text("ephemeral_storage_gib"),
            cpu_architecture: text("cpu_architecture"),
            containers,
        }
    }
}

impl ContainerForm {
    /// The container definition at position `i`, pushing reading problems onto `errors`.
    fn to_definition(
        &self,
        i: usize,
        family: &str,
        region: &str,
        errors: &mut Vec<FieldError>,
    ) -> ContainerDefinition {
        let name = self.name.trim().to_string();
        let label = if name.is_empty() {
            format!("Container {}", i + 1)
        } else {
            format!("Container {} (\"{name}\")", i + 1)
        };
        let mut problem = |field: &str, message: String, rejected: &str| {
            errors.push(
                FieldError::new(format!("c{i}_{field}"), format!("{label}: {message}"))
                    .with_rejected(rejected),
            );
        };

        let mut port_mappings = Vec::new();
        for raw in self
            .ports
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            // `8000`, `8000/tcp`, `53/udp`, with an optional name: `8000/tcp=http`.
            let (mapping, name) = match raw.split_once('=') {
                Some((mapping, name)) => (mapping.trim(), Some(name.trim().to_string())),
                None => (raw, None),
            };
            let (port, protocol) = match mapping.split_once('/') {
                Some((port, protocol)) => (port.trim(), protocol.trim().to_ascii_lowercase()),
                None => (mapping, "tcp".to_string()),
            };
            match port.parse::<i32>() {
                Ok(container_port)
                    if !protocol.is_empty() && name.as_deref().is_none_or(|n| !n.is_empty()) =>
                {
                    port_mappings.push(PortMapping {
                        container_port,
                        protocol: Some(protocol),
                        name,
                        ..Default::default()
                    })
                }
                _ => problem(
                    "ports",
                    format!("ports must be numbers like 8000 or 8000/tcp (found \"{raw}\")."),
                    raw,
                ),
            }
        }

        let mut environment = Vec::new();
        for (line_number, line) in lines(&self.environment) {
            match line.split_once('=') {
                Some((name, value)) => environment.push(KeyValuePair {
                    name: name.trim().to_string(),
                    value: value.to_string(),
                }),
                None => problem(
                    "environment",
                    format!("environment line {line_number} needs NAME=value (found \"{line}\")."),
                    line,
                ),
            }
        }

        let mut secrets = Vec::new();
        for (line_number, line) in lines(&self.secrets) {
            match line.split_once('=') {
                Some((name, value_from)) => secrets.push(Secret {
                    name: name.trim().to_string(),
                    value_from: value_from.trim().to_string(),
                }),
                None => problem(
                    "secrets",
                    format!(
                        "secrets line {line_number} needs NAME=valueFrom, where valueFrom is a secret or parameter ARN or a parameter name (found \"{line}\")."
                    ),
                    line,
                ),
            }
        }

        let mut words = |field: &str, words: &str, text: &str| match split_words(text) {
            Some(words) => words,
            None => {
                problem(
                    field,
                    format!("{words} has a double quote that is never closed."),
                    text,
                );
                Vec::new()
            }
        };
        let command = words("command", "command", &self.command);
        let entry_point = words("entry_point", "entry point", &self.entry_point);
        let health_check = match self.health_check.trim() {
            "" => None,
            text => {
                let first = text.split_whitespace().next().unwrap_or_default();
                let command = match first {
                    "CMD-SHELL" => {
                        let rest = text["CMD-SHELL".len()..].trim();
                        let mut command = vec!["CMD-SHELL".to_string()];
                        if !rest.is_empty() {
                            command.push(rest.to_string());
                        }
                        command
                    }
                    "CMD" => words("health_check", "health check", text),
                    _ => vec!["CMD-SHELL".to_string(), text.to_string()],
                };
                // An unreadable CMD check was reported; leave it out rather than invent one.
                (!command.is_empty()).then_some(HealthCheck {
                    command,
                    ..Default::default()
                })
            }
        };

        let mut number = |field: &str, what: &str, raw: &str| match raw.trim() {
            "" => None,
            trimmed => match trimmed.parse::<i32>() {
                Ok(value) => Some(value),
                Err(_) => {
                    problem(field, format!("{what} (found \"{raw}\")."), raw);
                    None
                }
            },
        };
        let cpu = number(
            "cpu",
            "CPU must be a whole number of CPU units such as 256",
            &self.cpu,
        );
        let memory = number(
            "memory",
            "memory must be a whole number of MiB such as 512",
            &self.memory,
        );
        let memory_reservation = number(
            "memory_reservation",
            "memory reservation must be a whole number of MiB such as 256",
            &self.memory_reservation,
        );

        ContainerDefinition {
            name,
            image: self.image.trim().to_string(),
            essential: Some(self.essential),
            cpu,
            memory,
            memory_reservation,
            port_mappings,
            environment,
            secrets,
            command,
            entry_point,
            health_check,
            log_configuration: self
                .log_to_cloudwatch
                .then(|| default_log_configuration(family, region)),
        }
    }

    fn from_definition(c: &ContainerDefinition) -> Self {
        let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
        let ports = c
            .port_mappings
            .iter()
            .map(|p| {
                let mapping = match p.protocol.as_deref() {
                    None | Some("tcp") => p.container_port.to_string(),
                    Some(protocol) => format!("{}/{protocol}", p.container_port),
                };
                match &p.name {
                    Some(name) => format!("{mapping}={name}"),
                    None => mapping,
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let environment = c
            .environment
            .iter()
            .map(|v| format!("{}={}", v.name, v.value))
            .collect::<Vec<_>>()
            .join("\n");
        let secrets = c
            .secrets
            .iter()
            .map(|s| format!("{}={}", s.name, s.value_from))
            .collect::<Vec<_>>()
            .join("\n");
        let health_check = match c.health_check.as_ref().map(|h| h.command.as_slice()) {
            None | Some([]) => String::new(),
            Some([first, rest @ ..]) if first == "CMD-SHELL" => std::iter::once(first.as_str())
                .chain(rest.iter().map(String::as_str))
                .collect::<Vec<_>>()
                .join(" "),
            Some(words) => join_words(words),
        };
        Self {
            name: c.name.clone(),
            image: c.image.clone(),
            essential: c.essential.unwrap_or(true),
            ports,
            environment,
            secrets,
            command: join_words(&c.command),
            entry_point: join_words(&c.entry_point),
            cpu: number(c.cpu),
            memory: number(c.memory),
            memory_reservation: number(c.memory_reservation),
            health_check,
            log_to_cloudwatch: c
                .log_configuration
                .as_ref()
                .is_some_and(|l| l.log_driver == "awslogs"),
        }
    }
}

/// Maps a validation JSON path (`containerDefinitions[0].portMappings[1].containerPort`) to the
/// form field that shows it (`c0_ports`). Paths the form has no input for (network mode,
/// compatibilities, the container list, tags, unknown paths) map to `form`, shown at the top.
pub fn form_field_for(json_path: &str) -> String {
    let head_end = json_path.find(['.', '[']).unwrap_or(json_path.len());
    let (head, rest) = json_path.split_at(head_end);
    let task_field = match head {
        "family" => "family",
        "cpu" => "cpu",
        "memory" => "memory",
        "taskRoleArn" => "task_role_arn",
        "executionRoleArn" => "execution_role_arn",
        "ephemeralStorage" => "ephemeral_storage_gib",
        "runtimePlatform" => "cpu_architecture",
        "containerDefinitions" => return container_field_for(rest),
        _ => FORM,
    };
    task_field.to_string()
}

/// The form field for the part of a path after `containerDefinitions`, e.g. `[1].image`.
fn container_field_for(rest: &str) -> String {
    let Some((index, after)) = rest
        .strip_prefix('[')
        .and_then(|r| r.split_once(']'))
        .and_then(|(index, after)| Some((index.parse::<usize>().ok()?, after)))
    else {
        return FORM.to_string();
    };
    let after = after.strip_prefix('.').unwrap_or(after);
    let key = &after[..after.find(['.', '[']).unwrap_or(after.len())];
    let field = match key {
        "image" => "image",
        "essential" => "essential",
        "portMappings" => "ports",
        "environment" => "environment",
        "secrets" => "secrets",
        "command" => "command",
        "entryPoint" => "entry_point",
        "cpu" => "cpu",
        "memory" => "memory",
        "memoryReservation" => "memory_reservation",
        "healthCheck" => "health_check",
        "logConfiguration" => "log",
        _ => "name",
    };
    format!("c{index}_{field}")
}

/// Sort key putting form fields in form order: `form`, task fields, then containers in order.
fn field_rank(field: &str) -> (u8, usize, usize) {
    if field == FORM {
        return (0, 0, 0);
    }
    if let Some(j) = TASK_FIELDS.iter().position(|f| *f == field) {
        return (1, 0, j);
    }
    let container = field.strip_prefix('c').and_then(|rest| {
        let (index, name) = rest.split_once('_')?;
        let i = index.parse::<usize>().ok()?;
        let j = CONTAINER_FIELDS.iter().position(|f| *f == name)?;
        Some((2, i, j))
    });
    container.unwrap_or((3, 0, 0))
}

/// The trimmed value, or `None` when it is blank.
fn non_empty(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// The non-blank lines of a textarea with their 1-based line numbers (blank lines counted),
/// without the line ending.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| (i + 1, line))
}

/// Splits on whitespace; double quotes group words and inside them `\"` and `\\` stand for `"`
/// and `\`. `None` when a quote is never closed.
fn split_words(text: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' => quoted = false,
                '\\' => match chars.peek() {
                    Some(&escaped @ ('"' | '\\')) => {
                        word.push(escaped);
                        chars.next();
                    }
                    _ => word.push(c),
                },
                _ => word.push(c),
            }
        } else if c == '"' {
            quoted = true;
            in_word = true;
        } else if c.is_whitespace() {
            if in_word {
                words.push(std::mem::take(&mut word));
                in_word = false;
            }
        } else {
            word.push(c);
            in_word = true;
        }
    }
    if quoted {
        return None;
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// The text [`split_words`] reads back as `words`.
fn join_words(words: &[String]) -> String {
    words
        .iter()
        .map(|w| {
            if w.is_empty() || w.contains(|c: char| c.is_whitespace() || c == '"') {
                format!("\"{}\"", w.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGION: &str = "us-east-1";

    /// The seed with the form's own defaults (runtimePlatform, protocol, essential) explicit.
    const SEED: &str = r#"{"family":"fastapi-books","taskRoleArn":"arn:aws:iam::123456789012:role/fastapi-task-role","executionRoleArn":"arn:aws:iam::123456789012:role/ecsTaskExecutionRole","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"512","memory":"1024","runtimePlatform":{"operatingSystemFamily":"LINUX","cpuArchitecture":"X86_64"},"containerDefinitions":[{"name":"fastapi","image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:latest","essential":true,"portMappings":[{"containerPort":8000,"protocol":"tcp"}],"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/fastapi-books","awslogs-region":"us-east-1","awslogs-stream-prefix":"ecs"}}}]}"#;

    fn seed() -> TaskDefinitionSpec {
        serde_json::from_str(SEED).unwrap()
    }

    fn seed_form() -> TaskDefinitionForm {
        TaskDefinitionForm::from_spec(&seed())
    }

    fn fields_of(errors: &[FieldError]) -> Vec<&str> {
        errors.iter().map(|e| e.field.as_str()).collect()
    }

    fn words(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn default_form_builds_a_fargate_spec() {
        let form = TaskDefinitionForm::default();
        assert_eq!(form.containers, vec![ContainerForm::default()]);
        assert!(form.containers[0].essential && form.containers[0].log_to_cloudwatch);
        let (spec, errors) = form.to_spec(REGION);
        assert_eq!(errors, vec![]);
        assert_eq!(spec.cpu.as_deref(), Some("512"));
        assert_eq!(spec.memory.as_deref(), Some("1024"));
        assert_eq!(spec.network_mode.as_deref(), Some(AWSVPC));
        assert_eq!(spec.requires_compatibilities, vec![FARGATE.to_string()]);
        assert_eq!(
            spec.runtime_platform,
            Some(RuntimePlatform {
                operating_system_family: Some("LINUX".into()),
                cpu_architecture: Some("X86_64".into()),
            })
        );
        assert_eq!(spec.container_definitions.len(), 1);
        let container = &spec.container_definitions[0];
        assert_eq!(container.essential, Some(true));
        assert_eq!(
            container.log_configuration,
            Some(default_log_configuration("", REGION))
        );

        let named = TaskDefinitionForm {
            family: " web-app ".into(),
            ..Default::default()
        };
        let (spec, _) = named.to_spec(REGION);
        assert_eq!(spec.family, "web-app");
        assert_eq!(
            spec.container_definitions[0].log_configuration,
            Some(default_log_configuration("web-app", REGION))
        );
    }

    #[test]
    fn seed_round_trips_through_the_form_and_its_fields() {
        let form = seed_form();
        assert_eq!(form.family, "fastapi-books");
        assert_eq!(form.cpu_architecture, "X86_64");
        assert_eq!(form.containers[0].ports, "8000");
        assert!(form.containers[0].essential && form.containers[0].log_to_cloudwatch);
        let (spec, errors) = form.to_spec(REGION);
        assert_eq!(errors, vec![]);
        assert_eq!(spec, seed());
        assert_eq!(form.validate(REGION), vec![]);

        let fields = form.to_fields();
        let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "family",
                "task_role_arn",
                "execution_role_arn",
                "cpu",
                "memory",
                "ephemeral_storage_gib",
                "cpu_architecture",
                "c0_name",
                "c0_image",
                "c0_essential",
                "c0_ports",
                "c0_environment",
                "c0_secrets",
                "c0_command",
                "c0_entry_point",
                "c0_cpu",
                "c0_memory",
                "c0_memory_reservation",
                "c0_health_check",
                "c0_log",
            ]
        );
        assert!(fields.contains(&("c0_essential".into(), "on".into())));
        let map: BTreeMap<String, String> = fields.into_iter().collect();
        assert_eq!(TaskDefinitionForm::from_fields(&map), form);
    }

    #[test]
    fn everything_the_form_can_express_round_trips() {
        let spec: TaskDefinitionSpec = serde_json::from_value(serde_json::json!({
            "family": "f",
            "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "1024",
            "memory": "4096",
            "ephemeralStorage": {"sizeInGiB": 30},
            "runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"},
            "containerDefinitions": [{
                "name": "web",
                "image": "nginx",
                "essential": true,
                "cpu": 256,
                "memory": 1024,
                "memoryReservation": 512,
                "portMappings": [{"containerPort": 80, "protocol": "tcp"}, {"containerPort": 53, "protocol": "udp"}],
                "environment": [{"name": "URL", "value": "a=b c"}, {"name": "EMPTY", "value": ""}],
                "secrets": [{"name": "DB", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/db"}],
                "command": ["sh", "-c", "echo \"hi\" \\o/", ""],
                "entryPoint": ["/entry.sh"],
                "healthCheck": {"command": ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]},
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": "/ecs/f", "awslogs-region": "us-east-1", "awslogs-stream-prefix": "ecs"}}
            }, {
                "name": "side",
                "image": "busybox",
                "essential": false,
                "healthCheck": {"command": ["CMD", "/bin/check", "--deep end"]}
            }]
        }))
        .unwrap();
        let form = TaskDefinitionForm::from_spec(&spec);
        assert_eq!(form.containers[0].ports, "80, 53/udp");

        // A named mapping (Service Connect) survives the round trip.
        let mut named = TaskDefinitionForm::default();
        named.containers[0].ports = "8000/tcp=http, 53/udp".into();
        let (named_spec, named_problems) = named.to_spec("us-east-1");
        assert!(named_problems.is_empty(), "{named_problems:?}");
        assert_eq!(
            named_spec.container_definitions[0].port_mappings[0]
                .name
                .as_deref(),
            Some("http")
        );
        assert_eq!(
            TaskDefinitionForm::from_spec(&named_spec).containers[0].ports,
            "8000=http, 53/udp"
        );
        assert_eq!(form.containers[0].environment, "URL=a=b c\nEMPTY=");
        assert_eq!(
            form.containers[1].health_check,
            "CMD /bin/check \"--deep end\""
        );
        assert_eq!(form.to_spec(REGION), (spec, vec![]));
        let map: BTreeMap<String, String> = form.to_fields().into_iter().collect();
        assert_eq!(TaskDefinitionForm::from_fields(&map), form);
    }

    #[test]
    fn from_spec_normalises_implicit_defaults() {
        // The seed as the portal stores it: no runtimePlatform, protocol or essential.
        let implicit = super::super::tests::seed();
        let (spec, errors) = TaskDefinitionForm::from_spec(&implicit).to_spec(REGION);
        assert_eq!(errors, vec![]);
        assert_eq!(spec, seed());
    }

    #[test]
    fn parse_problems_are_keyed_to_form_fields() {
        let mut form = seed_form();
        form.ephemeral_storage_gib = "lots".into();
        form.containers[0].name = "web".into();
        form.containers[0].ports = "8000, 80a, 9000/".into();
        form.containers[0].environment = "A=1\r\nDEBUG\n\nB=x=y".into();
        form.containers[0].secrets = "TOKEN".into();
        form.containers[0].cpu = "1.5".into();
        form.containers[0].memory = "lots".into();
        form.containers[0].command = "sh -c \"echo".into();
        let (spec, errors) = form.to_spec(REGION);
        let expected = [
            ("ephemeral_storage_gib", "Ephemeral storage must be a whole number of GiB.", "lots"),
            ("c0_ports", "Container 1 (\"web\"): ports must be numbers like 8000 or 8000/tcp (found \"80a\").", "80a"),
            ("c0_ports", "Container 1 (\"web\"): ports must be numbers like 8000 or 8000/tcp (found \"9000/\").", "9000/"),
            ("c0_environment", "Container 1 (\"web\"): environment line 2 needs NAME=value (found \"DEBUG\").", "DEBUG"),
            ("c0_secrets", "Container 1 (\"web\"): secrets line 1 needs NAME=valueFrom, where valueFrom is a secret or parameter ARN or a parameter name (found \"TOKEN\").", "TOKEN"),
            ("c0_command", "Container 1 (\"web\"): command has a double quote that is never closed.", "sh -c \"echo"),
            ("c0_cpu", "Container 1 (\"web\"): CPU must be a whole number of CPU units such as 256 (found \"1.5\").", "1.5"),
            ("c0_memory", "Container 1 (\"web\"): memory must be a whole number of MiB such as 512 (found \"lots\").", "lots"),
        ];
        let got: Vec<(&str, &str, &str)> = errors
            .iter()
            .map(|e| {
                (
                    e.field.as_str(),
                    e.message.as_str(),
                    e.rejected.as_deref().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(got, expected);
        // What could be read is kept.
        let container = &spec.container_definitions[0];
        assert_eq!(container.port_mappings.len(), 1);
        assert_eq!(
            container.environment,
            vec![
                KeyValuePair {
                    name: "A".into(),
                    value: "1".into()
                },
                KeyValuePair {
                    name: "B".into(),
                    value: "x=y".into()
                },
            ]
        );
        assert_eq!((container.cpu, container.memory), (None, None));
        assert_eq!(spec.ephemeral_storage, None);

        // An unnamed container is named by position only.
        let mut unnamed = TaskDefinitionForm::default();
        unnamed.containers[0].ports = "x".into();
        assert_eq!(
            unnamed.to_spec(REGION).1[0].message,
            "Container 1: ports must be numbers like 8000 or 8000/tcp (found \"x\")."
        );
    }

    #[test]
    fn parse_gives_the_spec_or_what_validate_lists() {
        let form = seed_form();
        let valid = form.parse(REGION).unwrap();
        assert_eq!(valid.spec(), &form.to_spec(REGION).0);
        let mut broken = seed_form();
        broken.cpu = "3".into();
        broken.containers[0].ports = "eighty".into();
        let errors = broken.parse(REGION).unwrap_err();
        assert_eq!(fields_of(&errors), ["cpu", "c0_ports"]);
        assert_eq!(errors, broken.validate(REGION));
    }

    #[test]
    fn validate_maps_spec_problems_to_form_fields() {
        let mut form = seed_form();
        form.memory = "512".into();
        let errors = form.validate(REGION);
        assert_eq!(fields_of(&errors), ["memory"]);
        assert_eq!(errors[0].rejected.as_deref(), Some("512"));

        let mut form = seed_form();
        form.containers.push(ContainerForm {
            name: "side".into(),
            ..Default::default()
        });
        assert_eq!(fields_of(&form.validate(REGION)), ["c1_image"]);

        let mut form = seed_form();
        form.containers.push(ContainerForm {
            name: "fastapi".into(),
            image: "busybox".into(),
            ..Default::default()
        });
        let errors = form.validate(REGION);
        assert_eq!(fields_of(&errors), ["c1_name"]);
        assert!(errors[0].message.contains("already used"), "{errors:?}");

        // Reading and rule problems together, in form order, each once.
        let mut form = seed_form();
        form.containers[0].ports = "8000, 8000, 0, x".into();
        form.containers[0].log_to_cloudwatch = false;
        form.containers[0].essential = false;
        form.cpu_architecture = "arm64".into();
        form.ephemeral_storage_gib = "20".into();
        form.family = String::new();
        let errors = form.validate(REGION);
        assert_eq!(
            fields_of(&errors),
            [
                "form",
                "family",
                "ephemeral_storage_gib",
                "cpu_architecture",
                "c0_ports",
                "c0_ports",
                "c0_ports",
            ]
        );
        assert!(errors[4].message.contains("(found \"x\")"));
        assert!(errors[6]
            .message
            .contains("container port must be between 1 and 65535"));
        assert!(errors[5].message.contains("mapped more than once"));
        let unique: HashSet<_> = errors.iter().map(|e| (&e.field, &e.message)).collect();
        assert_eq!(unique.len(), errors.len());
    }

    #[test]
    fn command_splitting() {
        let cases: &[(&str, &[&str])] = &[
            ("", &[]),
            ("   ", &[]),
            ("sh -c \"echo hi\"", &["sh", "-c", "echo hi"]),
            ("  nginx   -g  'daemon'  ", &["nginx", "-g", "'daemon'"]),
            ("a\"b c\"d", &["ab cd"]),
            ("\"\" x", &["", "x"]),
            ("\"say \\\"hi\\\" \\\\ \\n\"", &["say \"hi\" \\ \\n"]),
            ("C:\\path x", &["C:\\path", "x"]),
        ];
        for (text, expected) in cases {
            assert_eq!(split_words(text), Some(words(expected)), "{text:?}");
            let again = join_words(&words(expected));
            assert_eq!(split_words(&again), Some(words(expected)), "{again:?}");
        }
        assert_eq!(split_words("echo \"hi"), None);

        let mut form = seed_form();
        form.containers[0].command = "sh -c \"echo hi\"".into();
        form.containers[0].entry_point = "/docker-entrypoint.sh".into();
        let (spec, errors) = form.to_spec(REGION);
        assert_eq!(errors, vec![]);
        assert_eq!(
            spec.container_definitions[0].command,
            words(&["sh", "-c", "echo hi"])
        );
        assert_eq!(
            spec.container_definitions[0].entry_point,
            words(&["/docker-entrypoint.sh"])
        );
    }

    #[test]
    fn health_check_forms() {
        let cases: &[(&str, Option<&[&str]>)] = &[
            ("", None),
            ("  ", None),
            (
                "CMD-SHELL curl -f http://localhost/ || exit 1",
                Some(&["CMD-SHELL", "curl -f http://localhost/ || exit 1"]),
            ),
            ("CMD a b", Some(&["CMD", "a", "b"])),
            (
                "CMD /bin/check \"two words\"",
                Some(&["CMD", "/bin/check", "two words"]),
            ),
            (
                "curl -f http://localhost/ || exit 1",
                Some(&["CMD-SHELL", "curl -f http://localhost/ || exit 1"]),
            ),
            ("CMDX true", Some(&["CMD-SHELL", "CMDX true"])),
            ("CMD-SHELL", Some(&["CMD-SHELL"])),
        ];
        for (text, expected) in cases {
            let mut form = seed_form();
            form.containers[0].health_check = text.to_string();
            let (spec, errors) = form.to_spec(REGION);
            assert_eq!(errors, vec![], "{text:?}");
            let got = spec.container_definitions[0]
                .health_check
                .as_ref()
                .map(|h| h.command.clone());
            assert_eq!(got, expected.map(words), "{text:?}");
        }
        // Nothing after CMD-SHELL is a rule problem shown at the health check.
        let mut form = seed_form();
        form.containers[0].health_check = "CMD-SHELL".into();
        assert_eq!(fields_of(&form.validate(REGION)), ["c0_health_check"]);
        // An unclosed quote in a CMD check is a reading problem.
        form.containers[0].health_check = "CMD \"x".into();
        let (spec, errors) = form.to_spec(REGION);
        assert_eq!(fields_of(&errors), ["c0_health_check"]);
        assert_eq!(spec.container_definitions[0].health_check, None);
    }

    #[test]
    fn from_fields_takes_containers_in_order_with_gaps() {
        let map: BTreeMap<String, String> = [
            ("family", "f"),
            ("cpu", "256"),
            ("c2_name", "second"),
            ("c2_essential", "on"),
            ("c2_image", "busybox"),
            ("c0_name", "first"),
            ("c0_image", "nginx"),
            ("c0_log", "on"),
            ("c1_image", "no name, so no container"),
            ("c01_name", "not canonical"),
            ("unknown", "ignored"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let form = TaskDefinitionForm::from_fields(&map);
        assert_eq!(form.family, "f");
        assert_eq!(form.cpu, "256");
        assert_eq!(form.memory, "");
        assert_eq!(form.containers.len(), 2);
        let [first, second] = form.containers.as_slice() else {
            unreachable!()
        };
        assert_eq!(
            (first.name.as_str(), first.image.as_str()),
            ("first", "nginx")
        );
        assert!(!first.essential && first.log_to_cloudwatch);
        assert_eq!(
            (second.name.as_str(), second.image.as_str()),
            ("second", "busybox")
        );
        assert!(second.essential && !second.log_to_cloudwatch);

        // Unchecked boxes are not posted, and read back as unchecked.
        let mut form = seed_form();
        form.containers[0].essential = false;
        form.containers[0].log_to_cloudwatch = false;
        let fields = form.to_fields();
        assert!(!fields
            .iter()
            .any(|(n, _)| n == "c0_essential" || n == "c0_log"));
        let map: BTreeMap<String, String> = fields.into_iter().collect();
        assert_eq!(TaskDefinitionForm::from_fields(&map), form);
        let (spec, _) = form.to_spec(REGION);
        assert_eq!(spec.container_definitions[0].essential, Some(false));
        assert_eq!(spec.container_definitions[0].log_configuration, None);
    }

    #[test]
    fn form_field_for_table() {
        let cases = [
            ("family", "family"),
            ("cpu", "cpu"),
            ("memory", "memory"),
            ("taskRoleArn", "task_role_arn"),
            ("executionRoleArn", "execution_role_arn"),
            ("ephemeralStorage.sizeInGiB", "ephemeral_storage_gib"),
            ("runtimePlatform.cpuArchitecture", "cpu_architecture"),
            ("runtimePlatform.operatingSystemFamily", "cpu_architecture"),
            ("networkMode", "form"),
            ("requiresCompatibilities", "form"),
            ("containerDefinitions", "form"),
            ("tags", "form"),
            ("tags[3].key", "form"),
            ("somethingNew", "form"),
            ("containerDefinitions[x].image", "form"),
            ("containerDefinitions[0].name", "c0_name"),
            ("containerDefinitions[1].image", "c1_image"),
            ("containerDefinitions[2].essential", "c2_essential"),
            (
                "containerDefinitions[0].portMappings[2].containerPort",
                "c0_ports",
            ),
            (
                "containerDefinitions[0].portMappings[0].hostPort",
                "c0_ports",
            ),
            (
                "containerDefinitions[0].environment[1].name",
                "c0_environment",
            ),
            ("containerDefinitions[3].secrets[0].valueFrom", "c3_secrets"),
            ("containerDefinitions[0].command", "c0_command"),
            ("containerDefinitions[0].entryPoint", "c0_entry_point"),
            ("containerDefinitions[0].cpu", "c0_cpu"),
            ("containerDefinitions[0].memory", "c0_memory"),
            (
                "containerDefinitions[0].memoryReservation",
                "c0_memory_reservation",
            ),
            (
                "containerDefinitions[0].healthCheck.interval",
                "c0_health_check",
            ),
            (
                "containerDefinitions[0].healthCheck.command",
                "c0_health_check",
            ),
            (
                "containerDefinitions[1].logConfiguration.logDriver",
                "c1_log",
            ),
            ("containerDefinitions[10].dependsOn[0]", "c10_name"),
            ("containerDefinitions[4]", "c4_name"),
        ];
        for (path, field) in cases {
            assert_eq!(form_field_for(path), field, "{path}");
        }
    }

    #[test]
    fn import_says_what_did_not_come_along() {
        let described = r#"{"taskDefinition": {"family": "f", "revision": 3, "pidMode": "task",
            "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
            "tags": [{"key": "team", "value": "books"}],
            "containerDefinitions": [{"name": "web", "image": "nginx:1.27"}]}}"#;
        let (form, notes) = TaskDefinitionForm::import(described, "us-east-1");
        assert_eq!(form.family, "f");
        assert_eq!(form.containers[0].image, "nginx:1.27");
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("Read-only fields ignored: ") && n.contains("revision")),
            "{notes:?}"
        );
        assert!(
            notes.contains(&"Unknown keys not imported: pidMode.".to_string()),
            "{notes:?}"
        );
        // The form has no field for tags: said, not silently lost.
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("Not carried into the form: ") && n.contains("team")),
            "{notes:?}"
        );

        let (form, notes) = TaskDefinitionForm::import("{ nope", "us-east-1");
        assert_eq!(form, TaskDefinitionForm::default());
        assert!(
            notes[0].starts_with("The JSON could not be read: "),
            "{notes:?}"
        );
    }
}
