//! The rules a task definition must pass before the portal registers it. The emulator the
//! portal is tested against checks almost nothing, so these are the only guard.

use super::fargate::{fargate_memory_options, FARGATE_CPU_OPTIONS};
use super::{image, ContainerDefinition, HealthCheck, Tag, TaskDefinitionSpec, AWSVPC, FARGATE};
use crate::domain::names::validate_ecs_name;
use crate::error::FieldError;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The most containers one task definition may have.
pub const MAX_CONTAINERS: usize = 10;
/// The most tags one task definition may have.
pub const MAX_TAGS: usize = 50;
/// Ephemeral storage limits in GiB; without a value Fargate gives 20 GiB.
pub const EPHEMERAL_STORAGE_GIB: std::ops::RangeInclusive<i32> = 21..=200;

const LAUNCH_TYPES: &[&str] = &["EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES"];
const FARGATE_LOG_DRIVERS: &[&str] = &["awslogs", "splunk", "awsfirelens"];
const PARTITIONS: &[&str] = &["aws", "aws-cn", "aws-us-gov"];

/// A task definition that passed every rule of [`TaskDefinitionSpec::validate`]: what
/// `backend::ops` registers, so nothing downstream checks it again. Only the parsers of
/// this module make one: [`ValidTaskDefinition::parse`] (a spec),
/// [`ValidTaskDefinition::from_json`] (pasted JSON) and
/// [`TaskDefinitionForm::parse`](super::TaskDefinitionForm::parse) (the form).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ValidTaskDefinition(pub(super) TaskDefinitionSpec);

impl ValidTaskDefinition {
    /// The spec itself when it is valid, else every problem keyed by JSON path.
    pub fn parse(spec: TaskDefinitionSpec) -> Result<Self, Vec<FieldError>> {
        let problems = spec.validate();
        if problems.is_empty() {
            Ok(Self(spec))
        } else {
            Err(problems)
        }
    }

    pub fn spec(&self) -> &TaskDefinitionSpec {
        &self.0
    }

    pub fn into_spec(self) -> TaskDefinitionSpec {
        self.0
    }
}

impl std::ops::Deref for ValidTaskDefinition {
    type Target = TaskDefinitionSpec;

    fn deref(&self) -> &TaskDefinitionSpec {
        &self.0
    }
}

impl TaskDefinitionSpec {
    /// Every problem with the task definition, each tied to a JSON path such as `cpu` or
    /// `containerDefinitions[0].portMappings[1].containerPort`. Empty when valid.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Err(message) = validate_ecs_name("Family", &self.family) {
            errors.push(FieldError::new("family", message).with_rejected(&self.family));
        }
        for (field, label, example, arn) in [
            (
                "taskRoleArn",
                "Task role",
                "fastapi-task-role",
                &self.task_role_arn,
            ),
            (
                "executionRoleArn",
                "Task execution role",
                "ecsTaskExecutionRole",
                &self.execution_role_arn,
            ),
        ] {
            if let Some(arn) = arn {
                if let Err(message) = validate_role_arn(label, example, arn) {
                    errors.push(FieldError::new(field, message).with_rejected(arn));
                }
            }
        }
        self.validate_launch(&mut errors);
        let (task_cpu, task_memory) = self.validate_size(&mut errors);
        if let Some(storage) = &self.ephemeral_storage {
            let size = storage.size_in_gi_b;
            if !EPHEMERAL_STORAGE_GIB.contains(&size) {
                errors.push(
                    FieldError::new(
                        "ephemeralStorage.sizeInGiB",
                        format!(
                            "Ephemeral storage must be between 21 and 200 GiB (found {size}); leave it out for the default 20 GiB."
                        ),
                    )
                    .with_rejected(size.to_string()),
                );
            }
        }
        self.validate_platform(&mut errors);
        self.validate_containers(task_cpu, task_memory, &mut errors);
        self.validate_tags(&mut errors);
        errors
    }

    fn validate_launch(&self, errors: &mut Vec<FieldError>) {
        match self.network_mode.as_deref() {
            Some(AWSVPC) => {}
            None => errors.push(FieldError::new(
                "networkMode",
                "Fargate requires the awsvpc network mode; set networkMode to awsvpc.",
            )),
            Some(other) => errors.push(
                FieldError::new(
                    "networkMode",
                    format!("Network mode \"{other}\" is not supported on Fargate; Fargate requires awsvpc."),
                )
                .with_rejected(other),
            ),
        }
        let listed = self.requires_compatibilities.join(", ");
        if !self.requires_compatibilities.iter().any(|c| c == FARGATE) {
            errors.push(
                FieldError::new(
                    "requiresCompatibilities",
                    "The portal deploys to Fargate only, so requiresCompatibilities must include FARGATE.",
                )
                .with_rejected(listed),
            );
        } else if let Some(unknown) = self
            .requires_compatibilities
            .iter()
            .find(|c| !LAUNCH_TYPES.contains(&c.as_str()))
        {
            errors.push(
                FieldError::new(
                    "requiresCompatibilities",
                    format!(
                        "Requires compatibilities may list only EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES (found \"{unknown}\")."
                    ),
                )
                .with_rejected(listed),
            );
        }
    }

    /// Checks task cpu and memory; returns the values that passed, for the container checks.
    fn validate_size(&self, errors: &mut Vec<FieldError>) -> (Option<u32>, Option<u32>) {
        let cpu_list = join(FARGATE_CPU_OPTIONS);
        let cpu = match self.cpu.as_deref() {
            None => {
                errors.push(FieldError::new(
                    "cpu",
                    format!("Fargate tasks need a CPU size; choose one of {cpu_list} CPU units."),
                ));
                None
            }
            Some(raw) => match parse_whole_number(raw) {
                None => {
                    errors.push(
                        FieldError::new(
                            "cpu",
                            format!(
                                "CPU must be a whole number of CPU units such as 1024 (1 vCPU), not \"{raw}\"."
                            ),
                        )
                        .with_rejected(raw),
                    );
                    None
                }
                Some(units) if units.is_some_and(|u| FARGATE_CPU_OPTIONS.contains(&u)) => units,
                Some(_) => {
                    errors.push(
                        FieldError::new(
                            "cpu",
                            format!("CPU must be one of {cpu_list} CPU units (found {raw})."),
                        )
                        .with_rejected(raw),
                    );
                    None
                }
            },
        };
        let memory = match self.memory.as_deref() {
            None => {
                let message = match cpu {
                    Some(cpu) => format!(
                        "Fargate tasks need a memory size; with {cpu} CPU units choose one of {} MiB.",
                        join(&fargate_memory_options(cpu))
                    ),
                    None => "Fargate tasks need a memory size in MiB, such as 2048.".to_string(),
                };
                errors.push(FieldError::new("memory", message));
                None
            }
            Some(raw) => match (parse_whole_number(raw), cpu) {
                (None, _) => {
                    errors.push(
                        FieldError::new(
                            "memory",
                            format!("Memory must be a whole number of MiB such as 2048 (2 GB), not \"{raw}\"."),
                        )
                        .with_rejected(raw),
                    );
                    None
                }
                (Some(mib), Some(cpu))
                    if !mib.is_some_and(|m| fargate_memory_options(cpu).contains(&m)) =>
                {
                    errors.push(
                        FieldError::new(
                            "memory",
                            format!(
                                "With {cpu} CPU units, memory must be one of {} MiB.",
                                join(&fargate_memory_options(cpu))
                            ),
                        )
                        .with_rejected(raw),
                    );
                    None
                }
                // Without a valid cpu the pair cannot be judged; cpu already has an error.
                (Some(mib), _) => mib,
            },
        };
        (cpu, memory)
    }

    fn validate_platform(&self, errors: &mut Vec<FieldError>) {
        let Some(platform) = &self.runtime_platform else {
            return;
        };
        if let Some(family) = platform.operating_system_family.as_deref() {
            if family != "LINUX" {
                errors.push(
                    FieldError::new(
                        "runtimePlatform.operatingSystemFamily",
                        format!("The portal runs Linux tasks only; operating system family must be LINUX (found \"{family}\")."),
                    )
                    .with_rejected(family),
                );
            }
        }
        if let Some(arch) = platform.cpu_architecture.as_deref() {
            if arch != "X86_64" && arch != "ARM64" {
                errors.push(
                    FieldError::new(
                        "runtimePlatform.cpuArchitecture",
                        format!("CPU architecture must be X86_64 or ARM64 (found \"{arch}\")."),
                    )
                    .with_rejected(arch),
                );
            }
        }
    }

    fn validate_containers(
        &self,
        task_cpu: Option<u32>,
        task_memory: Option<u32>,
        errors: &mut Vec<FieldError>,
    ) {
        let containers = &self.container_definitions;
        match containers.len() {
            0 => errors.push(FieldError::new(
                "containerDefinitions",
                "Add at least one container.",
            )),
            n if n > MAX_CONTAINERS => errors.push(FieldError::new(
                "containerDefinitions",
                format!("A task can have at most {MAX_CONTAINERS} containers; this one has {n}."),
            )),
            _ => {}
        }
        if !containers.is_empty() && !containers.iter().any(|c| c.essential.unwrap_or(true)) {
            errors.push(FieldError::new(
                "containerDefinitions",
                "At least one container must be essential; ECS stops the task when an essential container stops.",
            ));
        }

        let mut names = HashSet::new();
        // (port, protocol) -> index of the first container mapping it.
        let mut ports: HashMap<(i32, String), usize> = HashMap::new();
        let mut memory_over_task = false;
        for (i, container) in containers.iter().enumerate() {
            let at = |rest: &str| format!("containerDefinitions[{i}].{rest}");
            let label = format!("Container {}", who(i, container));

            match validate_ecs_name("Container name", &container.name) {
                Err(message) => {
                    errors.push(FieldError::new(at("name"), message).with_rejected(&container.name))
                }
                Ok(()) if !names.insert(container.name.as_str()) => errors.push(
                    FieldError::new(
                        at("name"),
                        format!(
                            "Container name \"{}\" is already used by another container in this task.",
                            container.name
                        ),
                    )
                    .with_rejected(&container.name),
                ),
                Ok(()) => {}
            }

            if let Err(fragment) = image::parse(&container.image) {
                errors.push(
                    FieldError::new(at("image"), format!("{label}: {fragment}."))
                        .with_rejected(&container.image),
                );
            }

            if let Some(cpu) = container.cpu.filter(|c| *c < 0) {
                errors.push(
                    FieldError::new(
                        at("cpu"),
                        format!("{label}: CPU units must be 0 or more (found {cpu})."),
                    )
                    .with_rejected(cpu.to_string()),
                );
            }
            if let Some(memory) = container.memory {
                if memory <= 0 {
                    errors.push(
                        FieldError::new(
                            at("memory"),
                            format!("{label}: memory must be a positive number of MiB (found {memory})."),
                        )
                        .with_rejected(memory.to_string()),
                    );
                } else if let Some(task) = task_memory.filter(|t| i64::from(memory) > i64::from(*t))
                {
                    memory_over_task = true;
                    errors.push(
                        FieldError::new(
                            at("memory"),
                            format!("{label}: memory limit of {memory} MiB is more than the task's {task} MiB."),
                        )
                        .with_rejected(memory.to_string()),
                    );
                }
            }
            if let Some(reservation) = container.memory_reservation {
                if reservation <= 0 {
                    errors.push(
                        FieldError::new(
                            at("memoryReservation"),
                            format!(
                                "{label}: memory reservation must be a positive number of MiB (found {reservation})."
                            ),
                        )
                        .with_rejected(reservation.to_string()),
                    );
                } else if let Some(memory) = container.memory.filter(|m| *m > 0 && reservation > *m)
                {
                    errors.push(
                        FieldError::new(
                            at("memoryReservation"),
                            format!(
                                "{label}: memory reservation ({reservation} MiB) must not exceed its memory limit ({memory} MiB)."
                            ),
                        )
                        .with_rejected(reservation.to_string()),
                    );
                }
            }

            for (j, mapping) in container.port_mappings.iter().enumerate() {
                let at = |rest: &str| at(&format!("portMappings[{j}].{rest}"));
                let port = mapping.container_port;
                let protocol = mapping.protocol.as_deref().unwrap_or("tcp");
                let port_ok = (1..=65535).contains(&port);
                if !port_ok {
                    errors.push(
                        FieldError::new(
                            at("containerPort"),
                            format!("{label}: container port must be between 1 and 65535 (found {port})."),
                        )
                        .with_rejected(port.to_string()),
                    );
                }
                let protocol_ok = protocol == "tcp" || protocol == "udp";
                if !protocol_ok {
                    errors.push(
                        FieldError::new(
                            at("protocol"),
                            format!("{label}: protocol \"{protocol}\" is not supported; use tcp or udp."),
                        )
                        .with_rejected(protocol),
                    );
                }
                if let Some(host) = mapping.host_port.filter(|h| *h != port) {
                    errors.push(
                        FieldError::new(
                            at("hostPort"),
                            format!(
                                "{label}: host port {host} must equal the container port {port} in awsvpc mode, or be left out."
                            ),
                        )
                        .with_rejected(host.to_string()),
                    );
                }
                if port_ok && protocol_ok {
                    if let Some(&first) = ports.get(&(port, protocol.to_string())) {
                        let message = if first == i {
                            format!("{label}: port {port}/{protocol} is mapped more than once.")
                        } else {
                            format!(
                                "{label}: port {port}/{protocol} is already used by container {}.",
                                who(first, &containers[first])
                            )
                        };
                        errors.push(
                            FieldError::new(at("containerPort"), message)
                                .with_rejected(port.to_string()),
                        );
                    } else {
                        ports.insert((port, protocol.to_string()), i);
                    }
                }
            }

            // Environment variables and secrets share one namespace inside the container.
            let mut variables: HashMap<&str, &str> = HashMap::new();
            for (j, variable) in container.environment.iter().enumerate() {
                let field = at(&format!("environment[{j}].name"));
                let name = variable.name.as_str();
                let problem = match variable_name_problem(name) {
                    Some(problem) => Some(format!("{label}: environment variable {problem}.")),
                    None if variables.contains_key(name) => Some(format!(
                        "{label}: environment variable \"{name}\" is set more than once."
                    )),
                    None => {
                        variables.insert(name, "an environment variable");
                        None
                    }
                };
                if let Some(message) = problem {
                    errors.push(FieldError::new(field, message).with_rejected(name));
                }
            }
            for (j, secret) in container.secrets.iter().enumerate() {
                let name = secret.name.as_str();
                let problem = match variable_name_problem(name) {
                    Some(problem) => Some(format!("{label}: secret {problem}.")),
                    None => match variables.get(name) {
                        Some(&"a secret") => {
                            Some(format!("{label}: secret \"{name}\" is set more than once."))
                        }
                        Some(kind) => {
                            Some(format!("{label}: \"{name}\" is already set as {kind}."))
                        }
                        None => {
                            variables.insert(name, "a secret");
                            None
                        }
                    },
                };
                if let Some(message) = problem {
                    errors.push(
                        FieldError::new(at(&format!("secrets[{j}].name")), message)
                            .with_rejected(name),
                    );
                }
                let secret_who = if name.is_empty() {
                    format!("{}", j + 1)
                } else {
                    format!("\"{name}\"")
                };
                let message = if secret.value_from.is_empty() {
                    Some(format!(
                        "{label}: secret {secret_who} needs valueFrom: a Secrets Manager secret ARN, an SSM parameter ARN or a parameter name."
                    ))
                } else if !is_valid_secret_source(&secret.value_from) {
                    Some(format!(
                        "{label}: secret {secret_who} must come from a Secrets Manager secret ARN (arn:aws:secretsmanager:...:secret:...), an SSM parameter ARN (arn:aws:ssm:...:parameter/...) or a parameter name."
                    ))
                } else {
                    None
                };
                if let Some(message) = message {
                    errors.push(
                        FieldError::new(at(&format!("secrets[{j}].valueFrom")), message)
                            .with_rejected(&secret.value_from),
                    );
                }
            }

            if let Some(check) = &container.health_check {
                validate_health_check(&label, check, &at, errors);
            }

            if let Some(logs) = &container.log_configuration {
                let driver = logs.log_driver.as_str();
                if !FARGATE_LOG_DRIVERS.contains(&driver) {
                    let message = if driver.is_empty() {
                        format!("{label}: choose a log driver: awslogs, splunk or awsfirelens.")
                    } else {
                        format!(
                            "{label}: log driver \"{driver}\" is not supported on Fargate; use awslogs, splunk or awsfirelens."
                        )
                    };
                    errors.push(
                        FieldError::new(at("logConfiguration.logDriver"), message)
                            .with_rejected(driver),
                    );
                }
            }
        }

        if let Some(task) = task_cpu {
            let total: i64 = containers
                .iter()
                .filter_map(|c| c.cpu)
                .filter(|c| *c > 0)
                .map(i64::from)
                .sum();
            if total > i64::from(task) {
                errors.push(FieldError::new(
                    "cpu",
                    format!(
                        "The containers reserve {total} CPU units in total, more than the task's {task}; raise the task CPU or lower the containers' CPU."
                    ),
                ));
            }
        }
        if let Some(task) = task_memory.filter(|_| !memory_over_task) {
            let total: i64 = containers
                .iter()
                .filter_map(|c| c.memory.or(c.memory_reservation))
                .filter(|m| *m > 0)
                .map(i64::from)
                .sum();
            if total > i64::from(task) {
                errors.push(FieldError::new(
                    "memory",
                    format!(
                        "The containers need {total} MiB in total, more than the task's {task} MiB; raise the task memory or lower the containers' memory."
                    ),
                ));
            }
        }
    }

    fn validate_tags(&self, errors: &mut Vec<FieldError>) {
        validate_tags("A task definition", &self.tags, errors);
    }
}

/// Checks resource tags: at most 50, keys 1-128 characters, unique and not `aws:`, values up
/// to 256 characters. `owner` names what carries them in messages ("A service").
pub fn validate_tags(owner: &str, tags: &[Tag], errors: &mut Vec<FieldError>) {
    if tags.len() > MAX_TAGS {
        errors.push(FieldError::new(
            "tags",
            format!(
                "{owner} can have at most {MAX_TAGS} tags; this one has {}.",
                tags.len()
            ),
        ));
    }
    let mut keys = HashSet::new();
    for (i, tag) in tags.iter().enumerate() {
        let key = tag.key.as_str();
        let key_len = key.chars().count();
        let problem = if key.is_empty() {
            Some("Tag key is required.".to_string())
        } else if key_len > 128 {
            Some(format!(
                "Tag key is {key_len} characters long; the limit is 128."
            ))
        } else if key.to_ascii_lowercase().starts_with("aws:") {
            Some(format!(
                "Tag key \"{key}\" starts with \"aws:\", which is reserved for AWS."
            ))
        } else if !keys.insert(key) {
            Some(format!("Tag key \"{key}\" is used more than once."))
        } else {
            None
        };
        if let Some(message) = problem {
            errors.push(FieldError::new(format!("tags[{i}].key"), message).with_rejected(key));
        }
        let value_len = tag.value.chars().count();
        if value_len > 256 {
            errors.push(
                FieldError::new(
                    format!("tags[{i}].value"),
                    format!(
                        "Tag \"{key}\" has a value {value_len} characters long; the limit is 256."
                    ),
                )
                .with_rejected(&tag.value),
            );
        }
    }
}

fn validate_health_check(
    label: &str,
    check: &HealthCheck,
    at: &dyn Fn(&str) -> String,
    errors: &mut Vec<FieldError>,
) {
    let command_problem = match check.command.first().map(String::as_str) {
        None => Some(format!(
            "{label}: health check command is required; start it with CMD or CMD-SHELL."
        )),
        Some(first @ ("CMD" | "CMD-SHELL")) if check.command.len() < 2 => Some(format!(
            "{label}: health check command needs something to run after {first}."
        )),
        Some("CMD" | "CMD-SHELL") => None,
        Some(other) => Some(format!(
            "{label}: health check command must start with CMD or CMD-SHELL (found \"{other}\")."
        )),
    };
    if let Some(message) = command_problem {
        errors.push(
            FieldError::new(at("healthCheck.command"), message)
                .with_rejected(check.command.join(" ")),
        );
    }
    /// (JSON key, words, value, min, max, unit)
    type Limit<'a> = (&'a str, &'a str, Option<i32>, i32, i32, &'a str);
    let ranges: [Limit; 4] = [
        ("interval", "interval", check.interval, 5, 300, " seconds"),
        ("timeout", "timeout", check.timeout, 2, 120, " seconds"),
        ("retries", "retries", check.retries, 1, 10, ""),
        (
            "startPeriod",
            "start period",
            check.start_period,
            0,
            300,
            " seconds",
        ),
    ];
    for (key, words, value, min, max, unit) in ranges {
        if let Some(value) = value.filter(|v| !(min..=max).contains(v)) {
            errors.push(
                FieldError::new(
                    at(&format!("healthCheck.{key}")),
                    format!("{label}: health check {words} must be between {min} and {max}{unit} (found {value})."),
                )
                .with_rejected(value.to_string()),
            );
        }
    }
}

/// `"web"` for a named container, or its position (`2`) when it has no name yet.
fn who(index: usize, container: &ContainerDefinition) -> String {
    if container.name.is_empty() {
        format!("{}", index + 1)
    } else {
        format!("\"{}\"", container.name)
    }
}

/// `Some(None)` for digits too large for a u32, `None` for anything that is not digits.
fn parse_whole_number(value: &str) -> Option<Option<u32>> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(value.parse().ok())
}

fn join(values: &[u32]) -> String {
    values
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What is wrong with an environment variable name (`[A-Za-z_][A-Za-z0-9_]*`), as the end of
/// a sentence starting "environment variable" or "secret".
fn variable_name_problem(name: &str) -> Option<String> {
    let Some(first) = name.chars().next() else {
        return Some("name is required".to_string());
    };
    let valid = (first.is_ascii_alphabetic() || first == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        None
    } else {
        Some(format!(
            "name \"{name}\" may contain only letters, digits and underscores, and must not start with a digit"
        ))
    }
}

/// A Secrets Manager secret ARN, an SSM parameter ARN or an SSM parameter name.
fn is_valid_secret_source(value: &str) -> bool {
    if let Some(arn) = value.strip_prefix("arn:") {
        let parts: Vec<&str> = arn.splitn(5, ':').collect();
        let [partition, service, region, account, resource] = parts.as_slice() else {
            return false;
        };
        let located =
            PARTITIONS.contains(partition) && !region.is_empty() && is_account_id(account);
        return located
            && match *service {
                "secretsmanager" => resource
                    .strip_prefix("secret:")
                    .is_some_and(|s| !s.is_empty()),
                "ssm" => resource
                    .strip_prefix("parameter/")
                    .is_some_and(|s| !s.is_empty()),
                _ => false,
            };
    }
    value.len() <= 2048
        && value.chars().any(|c| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '/'))
}

fn is_account_id(value: &str) -> bool {
    value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit())
}

/// `arn:aws[-cn|-us-gov]:iam::<12 digits>:role/[path/]name`.
fn validate_role_arn(label: &str, example: &str, arn: &str) -> Result<(), String> {
    let shape = || {
        format!("{label} must be an IAM role ARN such as arn:aws:iam::123456789012:role/{example}.")
    };
    if arn.is_empty() {
        return Err(format!(
            "{label} ARN is empty; enter an IAM role ARN such as arn:aws:iam::123456789012:role/{example}, or leave it out."
        ));
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let ["arn", partition, service, region, account, resource] = parts.as_slice() else {
        return Err(shape());
    };
    if !PARTITIONS.contains(partition) {
        return Err(format!(
            "{label} ARN has an unknown partition \"{partition}\"; use aws, aws-cn or aws-us-gov."
        ));
    }
    if *service != "iam" || !region.is_empty() {
        return Err(shape());
    }
    if !is_account_id(account) {
        return Err(format!(
            "{label} ARN must contain a 12-digit AWS account ID (found \"{account}\")."
        ));
    }
    let Some(path_and_name) = resource.strip_prefix("role/") else {
        return Err(shape());
    };
    // `role/name` has no path; `role/a/b/name` has the path `/a/b/`.
    let (path, name) = match path_and_name.rsplit_once('/') {
        Some((path, name)) => (Some(path), name),
        None => (None, path_and_name),
    };
    if let Some(path) = path.filter(|path| {
        path.len() > 510
            || path.split('/').any(|segment| {
                segment.is_empty() || !segment.bytes().all(|b| (0x21..=0x7e).contains(&b))
            })
    }) {
        return Err(format!(
            "{label} ARN has an invalid role path \"/{path}/\"."
        ));
    }
    let name_ok = (1..=64).contains(&name.chars().count())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_+=,.@-".contains(c));
    if !name_ok {
        return Err(format!(
            "{label} ARN ends in role name \"{name}\", but role names are 1-64 letters, digits or _+=,.@- characters."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
