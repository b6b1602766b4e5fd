//! What changed between two revisions of a task definition, field by field, in words a
//! reviewer can read before deploying.
//!
//! Containers are matched by name, keyed collections (environment variables, secrets, port
//! mappings, log options, tags) by their key, so reordering changes nothing. Values AWS treats
//! as equal compare equal: a missing `essential` is `true`, a missing port protocol is `tcp`.

use super::{ContainerDefinition, HealthCheck, PortMapping, TaskDefinitionSpec, AWSVPC};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One difference between two task definitions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldChange {
    /// Where: `cpu`, `memory`, `taskRoleArn`, `tags.team`, `containers[web].image`,
    /// `containers[web].environment.LOG_LEVEL`, `containers[web].portMappings.8000/tcp`...
    pub path: String,
    pub kind: FieldChangeKind,
    /// The old value as the JSON has it (numbers without units, lists joined); `None` when
    /// added.
    pub before: Option<String>,
    /// The new value, like `before`; `None` when removed.
    pub after: Option<String>,
    /// One plain-English sentence, e.g.
    /// `Container "web": image changed from "nginx:1.26" to "nginx:1.27".`
    pub summary: String,
}

/// Whether a field appeared, disappeared or got a different value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldChangeKind {
    Added,
    Removed,
    Changed,
}

/// Every difference between `before` and `after`, in a fixed order: task-level fields
/// (family, roles, network mode, compatibilities, cpu, memory, ephemeral storage, runtime
/// platform, tags), then the containers of `after` in their order (new ones as a single
/// `Added` change), then the containers only `before` has. Empty when nothing differs.
///
/// Containers are matched by name; when a name occurs twice, the first container with it is
/// used. Within a container the order is image, essential, cpu, memory, memoryReservation,
/// command, entryPoint, port mappings, environment, secrets, health check, log configuration.
pub fn diff_task_definitions(
    before: &TaskDefinitionSpec,
    after: &TaskDefinitionSpec,
) -> Vec<FieldChange> {
    let mut out = Vec::new();
    diff_task(&mut out, before, after);

    let old: BTreeMap<&str, &ContainerDefinition> = first_by_name(&before.container_definitions);
    let new: BTreeMap<&str, &ContainerDefinition> = first_by_name(&after.container_definitions);
    let mut seen = BTreeSet::new();
    for container in &after.container_definitions {
        let name = container.name.as_str();
        if !seen.insert(name) {
            continue;
        }
        match old.get(name) {
            Some(previous) => diff_container(&mut out, before, after, previous, container),
            None => out.push(FieldChange {
                path: container_path(name),
                kind: FieldChangeKind::Added,
                before: None,
                after: Some(container.image.clone()),
                summary: format!(
                    "Container \"{name}\" was added (image \"{}\").",
                    container.image
                ),
            }),
        }
    }
    let mut gone = BTreeSet::new();
    for container in &before.container_definitions {
        let name = container.name.as_str();
        if !new.contains_key(name) && gone.insert(name) {
            out.push(FieldChange {
                path: container_path(name),
                kind: FieldChangeKind::Removed,
                before: Some(container.image.clone()),
                after: None,
                summary: format!(
                    "Container \"{name}\" was removed (image \"{}\").",
                    container.image
                ),
            });
        }
    }
    out
}

fn diff_task(out: &mut Vec<FieldChange>, before: &TaskDefinitionSpec, after: &TaskDefinitionSpec) {
    let task = Scope::Task;
    task.setting(
        out,
        "family",
        "Family",
        quoted,
        text(&before.family),
        text(&after.family),
    );
    task.setting(
        out,
        "taskRoleArn",
        "Task role",
        quoted,
        before.task_role_arn.clone(),
        after.task_role_arn.clone(),
    );
    task.setting(
        out,
        "executionRoleArn",
        "Task execution role",
        quoted,
        before.execution_role_arn.clone(),
        after.execution_role_arn.clone(),
    );
    task.setting(
        out,
        "networkMode",
        "Network mode",
        quoted,
        before.network_mode.clone(),
        after.network_mode.clone(),
    );
    let compatibilities = |spec: &TaskDefinitionSpec| {
        let set: BTreeSet<&str> = spec
            .requires_compatibilities
            .iter()
            .map(String::as_str)
            .collect();
        joined(set, ", ")
    };
    task.setting(
        out,
        "requiresCompatibilities",
        "Requires compatibilities",
        quoted,
        compatibilities(before),
        compatibilities(after),
    );
    task.setting(
        out,
        "cpu",
        "Task CPU",
        cpu_units,
        before.cpu.clone(),
        after.cpu.clone(),
    );
    task.setting(
        out,
        "memory",
        "Task memory",
        mib,
        before.memory.clone(),
        after.memory.clone(),
    );
    let storage = |spec: &TaskDefinitionSpec| {
        spec.ephemeral_storage
            .as_ref()
            .map(|s| s.size_in_gi_b.to_string())
    };
    task.setting(
        out,
        "ephemeralStorage",
        "Ephemeral storage",
        gib,
        storage(before),
        storage(after),
    );
    let platform = |spec: &TaskDefinitionSpec| {
        let p = spec.runtime_platform.clone().unwrap_or_default();
        (p.operating_system_family, p.cpu_architecture)
    };
    let (old_os, old_arch) = platform(before);
    let (new_os, new_arch) = platform(after);
    task.setting(
        out,
        "runtimePlatform.operatingSystemFamily",
        "Operating system family",
        quoted,
        old_os,
        new_os,
    );
    task.setting(
        out,
        "runtimePlatform.cpuArchitecture",
        "CPU architecture",
        quoted,
        old_arch,
        new_arch,
    );
    let tags = |spec: &TaskDefinitionSpec| -> BTreeMap<String, String> {
        spec.tags
            .iter()
            .map(|t| (t.key.clone(), t.value.clone()))
            .collect()
    };
    task.keyed(
        out,
        "tags",
        |key| format!("Tag \"{key}\""),
        "value",
        tags(before),
        tags(after),
    );
}

fn diff_container(
    out: &mut Vec<FieldChange>,
    old_spec: &TaskDefinitionSpec,
    new_spec: &TaskDefinitionSpec,
    before: &ContainerDefinition,
    after: &ContainerDefinition,
) {
    let path = container_path(&after.name);
    let scope = Scope::Container(&after.name);
    let at = |field: &str| format!("{path}.{field}");

    scope.setting(
        out,
        &at("image"),
        "image",
        quoted,
        text(&before.image),
        text(&after.image),
    );
    // AWS treats a missing `essential` as true.
    let essential = |c: &ContainerDefinition| Some(c.essential.unwrap_or(true).to_string());
    scope.setting(
        out,
        &at("essential"),
        "essential",
        plain,
        essential(before),
        essential(after),
    );
    // DescribeTaskDefinition reports an unset container cpu as 0; both reserve nothing.
    let cpu = |c: &ContainerDefinition| c.cpu.filter(|&units| units != 0).map(|u| u.to_string());
    scope.setting(out, &at("cpu"), "CPU", cpu_units, cpu(before), cpu(after));
    let number = |n: Option<i32>| n.map(|n| n.to_string());
    scope.setting(
        out,
        &at("memory"),
        "memory",
        mib,
        number(before.memory),
        number(after.memory),
    );
    scope.setting(
        out,
        &at("memoryReservation"),
        "memory reservation",
        mib,
        number(before.memory_reservation),
        number(after.memory_reservation),
    );
    scope.setting(
        out,
        &at("command"),
        "command",
        quoted,
        joined(&before.command, " "),
        joined(&after.command, " "),
    );
    scope.setting(
        out,
        &at("entryPoint"),
        "entry point",
        quoted,
        joined(&before.entry_point, " "),
        joined(&after.entry_point, " "),
    );

    diff_ports(
        out,
        &scope,
        &at("portMappings"),
        old_spec,
        new_spec,
        before,
        after,
    );

    let environment = |c: &ContainerDefinition| -> BTreeMap<String, String> {
        c.environment
            .iter()
            .map(|v| (v.name.clone(), v.value.clone()))
            .collect()
    };
    scope.keyed(
        out,
        &at("environment"),
        |name| format!("environment variable \"{name}\""),
        "value",
        environment(before),
        environment(after),
    );
    let secrets = |c: &ContainerDefinition| -> BTreeMap<String, String> {
        c.secrets
            .iter()
            .map(|s| (s.name.clone(), s.value_from.clone()))
            .collect()
    };
    scope.keyed(
        out,
        &at("secrets"),
        |name| format!("secret \"{name}\""),
        "valueFrom",
        secrets(before),
        secrets(after),
    );

    if !same_health_check(before.health_check.as_ref(), after.health_check.as_ref()) {
        let show = |h: &Option<HealthCheck>| h.as_ref().map(compact_health_check);
        scope.setting(
            out,
            &at("healthCheck"),
            "health check",
            quoted,
            show(&before.health_check),
            show(&after.health_check),
        );
    }

    let driver = |c: &ContainerDefinition| {
        c.log_configuration
            .as_ref()
            .and_then(|l| text(&l.log_driver))
    };
    scope.setting(
        out,
        &at("logConfiguration.logDriver"),
        "log driver",
        quoted,
        driver(before),
        driver(after),
    );
    let options = |c: &ContainerDefinition| {
        c.log_configuration
            .as_ref()
            .map(|l| l.options.clone())
            .unwrap_or_default()
    };
    scope.keyed(
        out,
        &at("logConfiguration.options"),
        |key| format!("log option \"{key}\""),
        "value",
        options(before),
        options(after),
    );
}

/// Port mappings keyed by `containerPort/protocol`: added and removed mappings, and changes
/// to the host port or name of a mapping both sides have.
fn diff_ports(
    out: &mut Vec<FieldChange>,
    scope: &Scope,
    path: &str,
    old_spec: &TaskDefinitionSpec,
    new_spec: &TaskDefinitionSpec,
    before: &ContainerDefinition,
    after: &ContainerDefinition,
) {
    let by_key = |c: &ContainerDefinition| -> BTreeMap<String, PortMapping> {
        c.port_mappings
            .iter()
            .map(|p| (port_key(p), p.clone()))
            .collect()
    };
    let old = by_key(before);
    let new = by_key(after);
    let awsvpc = [old_spec, new_spec]
        .iter()
        .all(|spec| spec.network_mode.as_deref() == Some(AWSVPC));
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    for key in keys {
        let here = format!("{path}.{key}");
        match (old.get(key), new.get(key)) {
            (None, Some(added)) => {
                let shown = compact_port(added);
                out.push(FieldChange {
                    path: here,
                    kind: FieldChangeKind::Added,
                    before: None,
                    summary: format!("{}port mapping {shown} was added.", scope.prefix()),
                    after: Some(shown),
                });
            }
            (Some(removed), None) => {
                let shown = compact_port(removed);
                out.push(FieldChange {
                    path: here,
                    kind: FieldChangeKind::Removed,
                    before: Some(shown.clone()),
                    after: None,
                    summary: format!("{}port mapping {shown} was removed.", scope.prefix()),
                });
            }
            (Some(old_port), Some(new_port)) => {
                scope.setting(
                    out,
                    &format!("{here}.hostPort"),
                    &format!("port mapping {key} host port"),
                    plain,
                    host_port(old_port, awsvpc).map(|p| p.to_string()),
                    host_port(new_port, awsvpc).map(|p| p.to_string()),
                );
                scope.setting(
                    out,
                    &format!("{here}.name"),
                    &format!("port mapping {key} name"),
                    quoted,
                    old_port.name.clone(),
                    new_port.name.clone(),
                );
            }
            (None, None) => {}
        }
    }
}

/// Whose field a change is about; gives the sentence its opening.
enum Scope<'a> {
    Task,
    Container(&'a str),
}

impl Scope<'_> {
    fn prefix(&self) -> String {
        match self {
            Scope::Task => String::new(),
            Scope::Container(name) => format!("Container \"{name}\": "),
        }
    }

    /// A single value: set, removed or changed. `label` starts the sentence for the task and
    /// follows `Container "x": ` for a container; `show` formats a value for the sentence.
    fn setting(
        &self,
        out: &mut Vec<FieldChange>,
        path: &str,
        label: &str,
        show: fn(&str) -> String,
        before: Option<String>,
        after: Option<String>,
    ) {
        let prefix = self.prefix();
        let (kind, summary) = match (&before, &after) {
            (None, None) => return,
            (Some(b), Some(a)) if b == a => return,
            (None, Some(a)) => (
                FieldChangeKind::Added,
                format!("{prefix}{label} was set to {}.", show(a)),
            ),
            (Some(b), None) => (
                FieldChangeKind::Removed,
                format!("{prefix}{label} {} was removed.", show(b)),
            ),
            (Some(b), Some(a)) => (
                FieldChangeKind::Changed,
                format!("{prefix}{label} changed from {} to {}.", show(b), show(a)),
            ),
        };
        out.push(FieldChange {
            path: path.to_string(),
            kind,
            before,
            after,
            summary,
        });
    }

    /// Named entries (`key` → value) compared by key, reported in key order at `path.key`.
    /// `noun` names an entry (`environment variable "X"`), `detail` its value (`value`).
    fn keyed(
        &self,
        out: &mut Vec<FieldChange>,
        path: &str,
        noun: impl Fn(&str) -> String,
        detail: &str,
        before: BTreeMap<String, String>,
        after: BTreeMap<String, String>,
    ) {
        let prefix = self.prefix();
        let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for key in keys {
            let (old, new) = (before.get(key), after.get(key));
            let what = noun(key);
            let (kind, summary) = match (old, new) {
                (None, None) => continue,
                (Some(b), Some(a)) if b == a => continue,
                (None, Some(a)) => (
                    FieldChangeKind::Added,
                    format!("{prefix}{what} was added with {detail} \"{a}\"."),
                ),
                (Some(b), None) => (
                    FieldChangeKind::Removed,
                    format!("{prefix}{what} with {detail} \"{b}\" was removed."),
                ),
                (Some(b), Some(a)) => (
                    FieldChangeKind::Changed,
                    format!("{prefix}{what} changed from \"{b}\" to \"{a}\"."),
                ),
            };
            out.push(FieldChange {
                path: format!("{path}.{key}"),
                kind,
                before: old.cloned(),
                after: new.cloned(),
                summary,
            });
        }
    }
}

fn first_by_name(containers: &[ContainerDefinition]) -> BTreeMap<&str, &ContainerDefinition> {
    let mut map = BTreeMap::new();
    for container in containers {
        map.entry(container.name.as_str()).or_insert(container);
    }
    map
}

fn container_path(name: &str) -> String {
    format!("containers[{name}]")
}

/// `8000/tcp`: the key a port mapping is matched by; the protocol defaults to tcp.
fn port_key(port: &PortMapping) -> String {
    format!(
        "{}/{}",
        port.container_port,
        port.protocol.as_deref().unwrap_or("tcp")
    )
}

/// When both revisions use awsvpc, a missing host port means the container port, which is
/// what DescribeTaskDefinition reports.
fn host_port(port: &PortMapping, awsvpc: bool) -> Option<i32> {
    match port.host_port {
        None if awsvpc => Some(port.container_port),
        other => other,
    }
}

/// `8000/tcp`, with the host port when it differs and the name when there is one:
/// `8000/tcp (host port 80, name "http")`.
fn compact_port(port: &PortMapping) -> String {
    let mut extras = Vec::new();
    if let Some(host) = port.host_port.filter(|&h| h != port.container_port) {
        extras.push(format!("host port {host}"));
    }
    if let Some(name) = &port.name {
        extras.push(format!("name \"{name}\""));
    }
    let key = port_key(port);
    if extras.is_empty() {
        key
    } else {
        format!("{key} ({})", extras.join(", "))
    }
}

/// Health checks are equal when they run the same command with the same timings, an unset
/// timing counting as the AWS default (interval 30 s, timeout 5 s, 3 retries, no start period).
fn same_health_check(before: Option<&HealthCheck>, after: Option<&HealthCheck>) -> bool {
    let effective = |h: &HealthCheck| {
        (
            h.command.clone(),
            h.interval.unwrap_or(30),
            h.timeout.unwrap_or(5),
            h.retries.unwrap_or(3),
            h.start_period.unwrap_or(0),
        )
    };
    match (before, after) {
        (None, None) => true,
        (Some(b), Some(a)) => effective(b) == effective(a),
        _ => false,
    }
}

/// `CMD-SHELL curl -f http://localhost/ || exit 1 (interval 30s, timeout 5s, retries 3,
/// start period 10s)`, listing only the timings that are set.
fn compact_health_check(check: &HealthCheck) -> String {
    let timings: Vec<String> = [
        ("interval", check.interval, "s"),
        ("timeout", check.timeout, "s"),
        ("retries", check.retries, ""),
        ("start period", check.start_period, "s"),
    ]
    .into_iter()
    .filter_map(|(label, value, unit)| value.map(|v| format!("{label} {v}{unit}")))
    .collect();
    let command = check.command.join(" ");
    if timings.is_empty() {
        command
    } else {
        format!("{command} ({})", timings.join(", "))
    }
}

/// `None` for an empty string, so that clearing a field reads as a removal.
fn text(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

/// The items joined with `separator`; `None` when there are none.
fn joined<I, S>(items: I, separator: &str) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let items: Vec<S> = items.into_iter().collect();
    if items.is_empty() {
        return None;
    }
    let parts: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
    Some(parts.join(separator))
}

fn quoted(value: &str) -> String {
    format!("\"{value}\"")
}

fn plain(value: &str) -> String {
    value.to_string()
}

/// A number with its unit; anything else quoted as it is.
fn with_unit(value: &str, unit: &str) -> String {
    if value.parse::<i64>().is_ok() {
        format!("{value} {unit}")
    } else {
        quoted(value)
    }
}

fn cpu_units(value: &str) -> String {
    with_unit(value, "CPU units")
}

fn mib(value: &str) -> String {
    with_unit(value, "MiB")
}

fn gib(value: &str) -> String {
    with_unit(value, "GiB")
}

#[cfg(test)]
mod tests;
