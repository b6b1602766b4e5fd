//! The rules a task definition must pass before the portal registers it. The emulator the
//! portal is tested against checks almost nothing, so these are the only guard.

use super::fargate::{fargate_memory_options, FARGATE_CPU_OPTIONS};
use super::{image, ContainerDefinition, HealthCheck, Tag, TaskDefinitionSpec, AWSVPC, FARGATE};
use crate::domain::names::validate_ecs_name;
use crate::error::FieldError;
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
mod tests {
    use super::*;
    use crate::domain::task_definitions::tests::seed;
    use crate::domain::task_definitions::{
        EphemeralStorage, KeyValuePair, LogConfiguration, PortMapping, RuntimePlatform, Secret, Tag,
    };

    type Mutate = fn(&mut TaskDefinitionSpec);
    type Case = (
        &'static str,
        Mutate,
        &'static [(&'static str, &'static str)],
    );

    /// Applies each case's change to the seed and compares every (field, message) reported.
    fn check(cases: &[Case]) {
        for (name, mutate, expected) in cases {
            let mut spec = seed();
            mutate(&mut spec);
            let got: Vec<(String, String)> = spec
                .validate()
                .into_iter()
                .map(|e| (e.field, e.message))
                .collect();
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(f, m)| (f.to_string(), m.to_string()))
                .collect();
            assert_eq!(got, expected, "case {name}");
            for (_, message) in &got {
                assert!(
                    message.ends_with('.') && message.starts_with(|c: char| c.is_uppercase()),
                    "not a sentence: {message}"
                );
            }
        }
    }

    fn first(spec: &mut TaskDefinitionSpec) -> &mut ContainerDefinition {
        &mut spec.container_definitions[0]
    }

    /// A second, minimal container.
    fn sidecar(name: &str) -> ContainerDefinition {
        ContainerDefinition {
            name: name.into(),
            image: "nginx".into(),
            ..Default::default()
        }
    }

    fn port(container_port: i32) -> PortMapping {
        PortMapping {
            container_port,
            ..Default::default()
        }
    }

    fn env(name: &str) -> KeyValuePair {
        KeyValuePair {
            name: name.into(),
            value: "v".into(),
        }
    }

    fn secret(name: &str, value_from: &str) -> Secret {
        Secret {
            name: name.into(),
            value_from: value_from.into(),
        }
    }

    #[test]
    fn family() {
        check(&[
            ("valid", |s| s.family = "my_family-2".into(), &[]),
            ("empty", |s| s.family.clear(), &[("family", "Family is required.")]),
            (
                "space",
                |s| s.family = "my family".into(),
                &[(
                    "family",
                    "Family may contain only letters, digits, hyphens and underscores (found a space).",
                )],
            ),
            (
                "too long",
                |s| s.family = "f".repeat(256),
                &[("family", "Family is 256 characters long; the limit is 255.")],
            ),
        ]);
        let mut spec = seed();
        spec.family = "bad/name".into();
        assert_eq!(spec.validate()[0].rejected.as_deref(), Some("bad/name"));
    }

    #[test]
    fn container_names() {
        check(&[
            (
                "empty",
                |s| first(s).name.clear(),
                &[("containerDefinitions[0].name", "Container name is required.")],
            ),
            (
                "invalid",
                |s| first(s).name = "web.app".into(),
                &[(
                    "containerDefinitions[0].name",
                    "Container name may contain only letters, digits, hyphens and underscores (found '.').",
                )],
            ),
            (
                "duplicate",
                |s| s.container_definitions.push(sidecar("fastapi")),
                &[(
                    "containerDefinitions[1].name",
                    "Container name \"fastapi\" is already used by another container in this task.",
                )],
            ),
            ("distinct", |s| s.container_definitions.push(sidecar("fastapi-2")), &[]),
        ]);
    }

    #[test]
    fn container_count_and_essential() {
        check(&[
            (
                "none",
                |s| s.container_definitions.clear(),
                &[("containerDefinitions", "Add at least one container.")],
            ),
            (
                "ten",
                |s| (1..10).for_each(|i| s.container_definitions.push(sidecar(&format!("c{i}")))),
                &[],
            ),
            (
                "eleven",
                |s| (1..11).for_each(|i| s.container_definitions.push(sidecar(&format!("c{i}")))),
                &[("containerDefinitions", "A task can have at most 10 containers; this one has 11.")],
            ),
            (
                "none essential",
                |s| {
                    first(s).essential = Some(false);
                    s.container_definitions.push(ContainerDefinition {
                        essential: Some(false),
                        ..sidecar("side")
                    });
                },
                &[(
                    "containerDefinitions",
                    "At least one container must be essential; ECS stops the task when an essential container stops.",
                )],
            ),
            (
                "missing essential counts as true",
                |s| {
                    first(s).essential = Some(false);
                    s.container_definitions.push(sidecar("side"));
                },
                &[],
            ),
            ("explicitly essential", |s| first(s).essential = Some(true), &[]),
        ]);
    }

    #[test]
    fn fargate_launch_type_and_network_mode() {
        const NEEDS_FARGATE: &str =
            "The portal deploys to Fargate only, so requiresCompatibilities must include FARGATE.";
        check(&[
            ("both launch types", |s| s.requires_compatibilities.push("EC2".into()), &[]),
            (
                "no compatibilities",
                |s| s.requires_compatibilities.clear(),
                &[("requiresCompatibilities", NEEDS_FARGATE)],
            ),
            (
                "EC2 only",
                |s| s.requires_compatibilities = vec!["EC2".into()],
                &[("requiresCompatibilities", NEEDS_FARGATE)],
            ),
            (
                "lowercase",
                |s| s.requires_compatibilities = vec!["fargate".into()],
                &[("requiresCompatibilities", NEEDS_FARGATE)],
            ),
            (
                "unknown extra",
                |s| s.requires_compatibilities.push("LAMBDA".into()),
                &[(
                    "requiresCompatibilities",
                    "Requires compatibilities may list only EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES (found \"LAMBDA\").",
                )],
            ),
            (
                "no network mode",
                |s| s.network_mode = None,
                &[("networkMode", "Fargate requires the awsvpc network mode; set networkMode to awsvpc.")],
            ),
            (
                "bridge",
                |s| s.network_mode = Some("bridge".into()),
                &[(
                    "networkMode",
                    "Network mode \"bridge\" is not supported on Fargate; Fargate requires awsvpc.",
                )],
            ),
        ]);
    }

    #[test]
    fn task_cpu_and_memory() {
        check(&[
            (
                "no cpu",
                |s| s.cpu = None,
                &[(
                    "cpu",
                    "Fargate tasks need a CPU size; choose one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units.",
                )],
            ),
            (
                "vCPU words",
                |s| s.cpu = Some("1 vCPU".into()),
                &[("cpu", "CPU must be a whole number of CPU units such as 1024 (1 vCPU), not \"1 vCPU\".")],
            ),
            (
                "empty cpu",
                |s| s.cpu = Some(String::new()),
                &[("cpu", "CPU must be a whole number of CPU units such as 1024 (1 vCPU), not \"\".")],
            ),
            (
                "negative cpu",
                |s| s.cpu = Some("-512".into()),
                &[("cpu", "CPU must be a whole number of CPU units such as 1024 (1 vCPU), not \"-512\".")],
            ),
            (
                "not a Fargate cpu",
                |s| s.cpu = Some("300".into()),
                &[("cpu", "CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units (found 300).")],
            ),
            (
                "huge cpu",
                |s| s.cpu = Some("99999999999".into()),
                &[(
                    "cpu",
                    "CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units (found 99999999999).",
                )],
            ),
            (
                "no memory",
                |s| s.memory = None,
                &[(
                    "memory",
                    "Fargate tasks need a memory size; with 512 CPU units choose one of 1024, 2048, 3072, 4096 MiB.",
                )],
            ),
            (
                "no memory, no cpu",
                |s| {
                    s.memory = None;
                    s.cpu = None;
                },
                &[
                    (
                        "cpu",
                        "Fargate tasks need a CPU size; choose one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units.",
                    ),
                    ("memory", "Fargate tasks need a memory size in MiB, such as 2048."),
                ],
            ),
            (
                "GB words",
                |s| s.memory = Some("2 GB".into()),
                &[("memory", "Memory must be a whole number of MiB such as 2048 (2 GB), not \"2 GB\".")],
            ),
            (
                "invalid pair",
                |s| s.memory = Some("512".into()),
                &[("memory", "With 512 CPU units, memory must be one of 1024, 2048, 3072, 4096 MiB.")],
            ),
            (
                "huge memory",
                |s| s.memory = Some("99999999999".into()),
                &[("memory", "With 512 CPU units, memory must be one of 1024, 2048, 3072, 4096 MiB.")],
            ),
            (
                "256 with 4096",
                |s| {
                    s.cpu = Some("256".into());
                    s.memory = Some("4096".into());
                },
                &[("memory", "With 256 CPU units, memory must be one of 512, 1024, 2048 MiB.")],
            ),
            (
                "memory not judged without a valid cpu",
                |s| {
                    s.cpu = Some("300".into());
                    s.memory = Some("7".into());
                },
                &[("cpu", "CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units (found 300).")],
            ),
        ]);
    }

    #[test]
    fn every_fargate_size_through_validate() {
        for &cpu in FARGATE_CPU_OPTIONS {
            let allowed = fargate_memory_options(cpu);
            let mut spec = seed();
            spec.cpu = Some(cpu.to_string());
            for memory in &allowed {
                spec.memory = Some(memory.to_string());
                assert_eq!(spec.validate(), vec![], "{cpu}/{memory}");
            }
            let (min, max) = (allowed[0], allowed[allowed.len() - 1]);
            for memory in [min - 512, max + 1024, min + 1] {
                spec.memory = Some(memory.to_string());
                let errors = spec.validate();
                assert_eq!(errors.len(), 1, "{cpu}/{memory}: {errors:?}");
                assert_eq!(errors[0].field, "memory");
                assert!(
                    errors[0].message.starts_with(&format!(
                        "With {cpu} CPU units, memory must be one of {min}, "
                    )),
                    "{}",
                    errors[0].message
                );
                assert_eq!(errors[0].rejected, Some(memory.to_string()));
            }
        }
    }

    #[test]
    fn port_mappings() {
        check(&[
            ("udp", |s| first(s).port_mappings[0].protocol = Some("udp".into()), &[]),
            ("matching host port", |s| first(s).port_mappings[0].host_port = Some(8000), &[]),
            (
                "port zero",
                |s| first(s).port_mappings[0].container_port = 0,
                &[(
                    "containerDefinitions[0].portMappings[0].containerPort",
                    "Container \"fastapi\": container port must be between 1 and 65535 (found 0).",
                )],
            ),
            (
                "port too high",
                |s| first(s).port_mappings.push(port(65536)),
                &[(
                    "containerDefinitions[0].portMappings[1].containerPort",
                    "Container \"fastapi\": container port must be between 1 and 65535 (found 65536).",
                )],
            ),
            ("highest port", |s| first(s).port_mappings.push(port(65535)), &[]),
            (
                "protocol",
                |s| first(s).port_mappings[0].protocol = Some("http".into()),
                &[(
                    "containerDefinitions[0].portMappings[0].protocol",
                    "Container \"fastapi\": protocol \"http\" is not supported; use tcp or udp.",
                )],
            ),
            (
                "uppercase protocol",
                |s| first(s).port_mappings[0].protocol = Some("TCP".into()),
                &[(
                    "containerDefinitions[0].portMappings[0].protocol",
                    "Container \"fastapi\": protocol \"TCP\" is not supported; use tcp or udp.",
                )],
            ),
            (
                "different host port",
                |s| first(s).port_mappings[0].host_port = Some(80),
                &[(
                    "containerDefinitions[0].portMappings[0].hostPort",
                    "Container \"fastapi\": host port 80 must equal the container port 8000 in awsvpc mode, or be left out.",
                )],
            ),
            (
                "same port twice in one container",
                |s| {
                    first(s).port_mappings.push(port(9000));
                    first(s).port_mappings.push(PortMapping { protocol: Some("tcp".into()), ..port(8000) });
                },
                &[(
                    "containerDefinitions[0].portMappings[2].containerPort",
                    "Container \"fastapi\": port 8000/tcp is mapped more than once.",
                )],
            ),
            (
                "same port, tcp and udp",
                |s| first(s).port_mappings.push(PortMapping { protocol: Some("udp".into()), ..port(8000) }),
                &[],
            ),
            (
                "same port in another container",
                |s| {
                    s.container_definitions.push(ContainerDefinition { port_mappings: vec![port(8000)], ..sidecar("web") })
                },
                &[(
                    "containerDefinitions[1].portMappings[0].containerPort",
                    "Container \"web\": port 8000/tcp is already used by container \"fastapi\".",
                )],
            ),
            (
                "unnamed containers are numbered",
                |s| {
                    s.container_definitions.push(ContainerDefinition { port_mappings: vec![port(8000)], ..sidecar("") })
                },
                &[
                    ("containerDefinitions[1].name", "Container name is required."),
                    (
                        "containerDefinitions[1].portMappings[0].containerPort",
                        "Container 2: port 8000/tcp is already used by container \"fastapi\".",
                    ),
                ],
            ),
        ]);
    }

    #[test]
    fn container_images() {
        check(&[
            ("docker hub", |s| first(s).image = "nginx".into(), &[]),
            (
                "empty",
                |s| first(s).image.clear(),
                &[(
                    "containerDefinitions[0].image",
                    "Container \"fastapi\": image is required.",
                )],
            ),
            (
                "uppercase",
                |s| first(s).image = "Nginx:latest".into(),
                &[(
                    "containerDefinitions[0].image",
                    "Container \"fastapi\": image repository \"Nginx\" must be lowercase.",
                )],
            ),
            (
                "space",
                |s| first(s).image = "nginx latest".into(),
                &[(
                    "containerDefinitions[0].image",
                    "Container \"fastapi\": image reference must not contain spaces.",
                )],
            ),
        ]);
    }

    #[test]
    fn environment_and_secrets() {
        check(&[
            (
                "valid names",
                |s| first(s).environment = vec![env("_X"), env("a1"), env("PORT")],
                &[],
            ),
            (
                "empty name",
                |s| first(s).environment = vec![env("A"), env("")],
                &[("containerDefinitions[0].environment[1].name", "Container \"fastapi\": environment variable name is required.")],
            ),
            (
                "dash",
                |s| first(s).environment = vec![env("MY-VAR")],
                &[(
                    "containerDefinitions[0].environment[0].name",
                    "Container \"fastapi\": environment variable name \"MY-VAR\" may contain only letters, digits and underscores, and must not start with a digit.",
                )],
            ),
            (
                "leading digit",
                |s| first(s).environment = vec![env("1X")],
                &[(
                    "containerDefinitions[0].environment[0].name",
                    "Container \"fastapi\": environment variable name \"1X\" may contain only letters, digits and underscores, and must not start with a digit.",
                )],
            ),
            (
                "duplicate",
                |s| first(s).environment = vec![env("A"), env("B"), env("A")],
                &[(
                    "containerDefinitions[0].environment[2].name",
                    "Container \"fastapi\": environment variable \"A\" is set more than once.",
                )],
            ),
            (
                "same name in two containers",
                |s| {
                    first(s).environment = vec![env("A")];
                    s.container_definitions.push(ContainerDefinition { environment: vec![env("A")], ..sidecar("side") });
                },
                &[],
            ),
            (
                "secret name",
                |s| first(s).secrets = vec![secret("db password", "db-password")],
                &[(
                    "containerDefinitions[0].secrets[0].name",
                    "Container \"fastapi\": secret name \"db password\" may contain only letters, digits and underscores, and must not start with a digit.",
                )],
            ),
            (
                "secret shadows a variable",
                |s| {
                    first(s).environment = vec![env("DB")];
                    first(s).secrets = vec![secret("DB", "db")];
                },
                &[(
                    "containerDefinitions[0].secrets[0].name",
                    "Container \"fastapi\": \"DB\" is already set as an environment variable.",
                )],
            ),
            (
                "secret twice",
                |s| first(s).secrets = vec![secret("DB", "db"), secret("DB", "db2")],
                &[(
                    "containerDefinitions[0].secrets[1].name",
                    "Container \"fastapi\": secret \"DB\" is set more than once.",
                )],
            ),
            (
                "empty valueFrom",
                |s| first(s).secrets = vec![secret("DB", "")],
                &[(
                    "containerDefinitions[0].secrets[0].valueFrom",
                    "Container \"fastapi\": secret \"DB\" needs valueFrom: a Secrets Manager secret ARN, an SSM parameter ARN or a parameter name.",
                )],
            ),
            (
                "S3 valueFrom",
                |s| first(s).secrets = vec![secret("DB", "arn:aws:s3:::bucket/key")],
                &[(
                    "containerDefinitions[0].secrets[0].valueFrom",
                    "Container \"fastapi\": secret \"DB\" must come from a Secrets Manager secret ARN (arn:aws:secretsmanager:...:secret:...), an SSM parameter ARN (arn:aws:ssm:...:parameter/...) or a parameter name.",
                )],
            ),
            (
                "unnamed secret",
                |s| first(s).secrets = vec![secret("", "")],
                &[
                    ("containerDefinitions[0].secrets[0].name", "Container \"fastapi\": secret name is required."),
                    (
                        "containerDefinitions[0].secrets[0].valueFrom",
                        "Container \"fastapi\": secret 1 needs valueFrom: a Secrets Manager secret ARN, an SSM parameter ARN or a parameter name.",
                    ),
                ],
            ),
        ]);
    }

    #[test]
    fn secret_sources() {
        let cases = [
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
                true,
            ),
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::",
                true,
            ),
            ("arn:aws:ssm:us-east-1:123456789012:parameter/app/db", true),
            ("arn:aws-cn:ssm:cn-north-1:123456789012:parameter/x", true),
            (
                "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x",
                true,
            ),
            ("db-password", true),
            ("/app/db/password", true),
            ("app.db_password", true),
            ("", false),
            ("arn:aws:s3:::bucket/key", false),
            ("arn:aws:ssm:us-east-1:123456789012:document/x", false),
            ("arn:aws:ssm:us-east-1:123456789012:parameter/", false),
            (
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:",
                false,
            ),
            ("arn:aws:secretsmanager:us-east-1:1234:secret:x", false),
            ("arn:aws:secretsmanager::123456789012:secret:x", false),
            (
                "arn:other:secretsmanager:us-east-1:123456789012:secret:x",
                false,
            ),
            ("arn:aws:secretsmanager", false),
            ("my secret", false),
            ("db:password", false),
            ("///", false),
        ];
        for (value, valid) in cases {
            assert_eq!(is_valid_secret_source(value), valid, "{value:?}");
        }
    }

    #[test]
    fn container_cpu_and_memory() {
        check(&[
            (
                "fits",
                |s| {
                    let c = first(s);
                    c.cpu = Some(256);
                    c.memory = Some(512);
                    c.memory_reservation = Some(256);
                    s.container_definitions.push(ContainerDefinition {
                        cpu: Some(256),
                        memory_reservation: Some(512),
                        ..sidecar("side")
                    });
                },
                &[],
            ),
            ("zero cpu reserves nothing", |s| first(s).cpu = Some(0), &[]),
            (
                "negative cpu",
                |s| first(s).cpu = Some(-1),
                &[("containerDefinitions[0].cpu", "Container \"fastapi\": CPU units must be 0 or more (found -1).")],
            ),
            (
                "zero memory",
                |s| first(s).memory = Some(0),
                &[(
                    "containerDefinitions[0].memory",
                    "Container \"fastapi\": memory must be a positive number of MiB (found 0).",
                )],
            ),
            (
                "zero reservation",
                |s| first(s).memory_reservation = Some(0),
                &[(
                    "containerDefinitions[0].memoryReservation",
                    "Container \"fastapi\": memory reservation must be a positive number of MiB (found 0).",
                )],
            ),
            (
                "memory over the task",
                |s| first(s).memory = Some(2048),
                &[(
                    "containerDefinitions[0].memory",
                    "Container \"fastapi\": memory limit of 2048 MiB is more than the task's 1024 MiB.",
                )],
            ),
            (
                "reservation over the limit",
                |s| {
                    first(s).memory = Some(256);
                    first(s).memory_reservation = Some(512);
                },
                &[(
                    "containerDefinitions[0].memoryReservation",
                    "Container \"fastapi\": memory reservation (512 MiB) must not exceed its memory limit (256 MiB).",
                )],
            ),
            (
                "cpu sum over the task",
                |s| {
                    first(s).cpu = Some(256);
                    s.container_definitions.push(ContainerDefinition { cpu: Some(512), ..sidecar("side") });
                },
                &[(
                    "cpu",
                    "The containers reserve 768 CPU units in total, more than the task's 512; raise the task CPU or lower the containers' CPU.",
                )],
            ),
            (
                "memory sum over the task",
                |s| {
                    first(s).memory = Some(512);
                    first(s).memory_reservation = Some(128);
                    s.container_definitions.push(ContainerDefinition { memory_reservation: Some(768), ..sidecar("side") });
                },
                &[(
                    "memory",
                    "The containers need 1280 MiB in total, more than the task's 1024 MiB; raise the task memory or lower the containers' memory.",
                )],
            ),
            (
                "no sum error when one container is already over",
                |s| {
                    first(s).memory = Some(2048);
                    s.container_definitions.push(ContainerDefinition { memory: Some(512), ..sidecar("side") });
                },
                &[(
                    "containerDefinitions[0].memory",
                    "Container \"fastapi\": memory limit of 2048 MiB is more than the task's 1024 MiB.",
                )],
            ),
        ]);
    }

    #[test]
    fn ephemeral_storage() {
        const RANGE: &str = "Ephemeral storage must be between 21 and 200 GiB";
        for (size, valid) in [
            (21, true),
            (200, true),
            (100, true),
            (20, false),
            (201, false),
            (0, false),
        ] {
            let mut spec = seed();
            spec.ephemeral_storage = Some(EphemeralStorage { size_in_gi_b: size });
            let errors = spec.validate();
            if valid {
                assert_eq!(errors, vec![], "{size}");
            } else {
                assert_eq!(errors.len(), 1, "{size}");
                assert_eq!(errors[0].field, "ephemeralStorage.sizeInGiB");
                assert_eq!(
                    errors[0].message,
                    format!("{RANGE} (found {size}); leave it out for the default 20 GiB.")
                );
            }
        }
    }

    #[test]
    fn role_arns() {
        let long_name = format!("arn:aws:iam::123456789012:role/{}", "r".repeat(64));
        let too_long_name = format!("arn:aws:iam::123456789012:role/{}", "r".repeat(65));
        let shape = "Task role must be an IAM role ARN such as arn:aws:iam::123456789012:role/fastapi-task-role.";
        let bad_name = |name: &str| {
            format!("Task role ARN ends in role name \"{name}\", but role names are 1-64 letters, digits or _+=,.@- characters.")
        };
        let cases: Vec<(&str, Result<(), String>)> = vec![
            ("arn:aws:iam::123456789012:role/x", Ok(())),
            ("arn:aws-cn:iam::123456789012:role/service-role/x", Ok(())),
            ("arn:aws-us-gov:iam::123456789012:role/a/b/c+=,.@_-", Ok(())),
            (&long_name, Ok(())),
            (
                "",
                Err("Task role ARN is empty; enter an IAM role ARN such as arn:aws:iam::123456789012:role/fastapi-task-role, or leave it out.".into()),
            ),
            ("fastapi-task-role", Err(shape.into())),
            ("arn:aws:iam::123456789012:user/bob", Err(shape.into())),
            ("arn:aws:sts::123456789012:role/x", Err(shape.into())),
            ("arn:aws:iam:us-east-1:123456789012:role/x", Err(shape.into())),
            ("arn:aws:iam::123456789012", Err(shape.into())),
            (
                "arn:azure:iam::123456789012:role/x",
                Err("Task role ARN has an unknown partition \"azure\"; use aws, aws-cn or aws-us-gov.".into()),
            ),
            (
                "arn:aws:iam::12345:role/x",
                Err("Task role ARN must contain a 12-digit AWS account ID (found \"12345\").".into()),
            ),
            ("arn:aws:iam::123456789012:role/", Err(bad_name(""))),
            ("arn:aws:iam::123456789012:role/has space", Err(bad_name("has space"))),
            (&too_long_name, Err(bad_name(&"r".repeat(65)))),
            (
                "arn:aws:iam::123456789012:role//x",
                Err("Task role ARN has an invalid role path \"//\".".into()),
            ),
        ];
        for (arn, expected) in cases {
            assert_eq!(
                validate_role_arn("Task role", "fastapi-task-role", arn),
                expected,
                "{arn:?}"
            );
        }
        check(&[
            (
                "task role",
                |s| s.task_role_arn = Some("fastapi-task-role".into()),
                &[(
                    "taskRoleArn",
                    "Task role must be an IAM role ARN such as arn:aws:iam::123456789012:role/fastapi-task-role.",
                )],
            ),
            (
                "execution role",
                |s| s.execution_role_arn = Some("arn:aws:iam::123456789012:role/a b".into()),
                &[(
                    "executionRoleArn",
                    "Task execution role ARN ends in role name \"a b\", but role names are 1-64 letters, digits or _+=,.@- characters.",
                )],
            ),
            (
                "roles are optional",
                |s| {
                    s.task_role_arn = None;
                    s.execution_role_arn = None;
                },
                &[],
            ),
        ]);
    }

    #[test]
    fn runtime_platform() {
        fn platform(os: Option<&str>, arch: Option<&str>) -> Option<RuntimePlatform> {
            Some(RuntimePlatform {
                operating_system_family: os.map(str::to_string),
                cpu_architecture: arch.map(str::to_string),
            })
        }
        check(&[
            ("linux arm", |s| s.runtime_platform = platform(Some("LINUX"), Some("ARM64")), &[]),
            ("x86", |s| s.runtime_platform = platform(None, Some("X86_64")), &[]),
            ("empty", |s| s.runtime_platform = platform(None, None), &[]),
            (
                "windows",
                |s| s.runtime_platform = platform(Some("WINDOWS_SERVER_2022_CORE"), None),
                &[(
                    "runtimePlatform.operatingSystemFamily",
                    "The portal runs Linux tasks only; operating system family must be LINUX (found \"WINDOWS_SERVER_2022_CORE\").",
                )],
            ),
            (
                "lowercase arch",
                |s| s.runtime_platform = platform(Some("LINUX"), Some("arm64")),
                &[(
                    "runtimePlatform.cpuArchitecture",
                    "CPU architecture must be X86_64 or ARM64 (found \"arm64\").",
                )],
            ),
        ]);
    }

    #[test]
    fn health_checks() {
        fn with(s: &mut TaskDefinitionSpec, command: &[&str], change: fn(&mut HealthCheck)) {
            let mut check = HealthCheck {
                command: command.iter().map(|c| c.to_string()).collect(),
                ..Default::default()
            };
            change(&mut check);
            first(s).health_check = Some(check);
        }
        const CMD: &[&str] = &[
            "CMD-SHELL",
            "curl -f http://localhost:8000/health || exit 1",
        ];
        check(&[
            (
                "valid",
                |s| {
                    with(s, CMD, |h| {
                        h.interval = Some(30);
                        h.timeout = Some(5);
                        h.retries = Some(3);
                        h.start_period = Some(0);
                    })
                },
                &[],
            ),
            (
                "limits",
                |s| {
                    with(s, &["CMD", "true"], |h| {
                        h.interval = Some(300);
                        h.timeout = Some(2);
                        h.retries = Some(10);
                        h.start_period = Some(300);
                    })
                },
                &[],
            ),
            (
                "no command",
                |s| with(s, &[], |_| {}),
                &[(
                    "containerDefinitions[0].healthCheck.command",
                    "Container \"fastapi\": health check command is required; start it with CMD or CMD-SHELL.",
                )],
            ),
            (
                "no CMD",
                |s| with(s, &["curl", "-f", "http://localhost"], |_| {}),
                &[(
                    "containerDefinitions[0].healthCheck.command",
                    "Container \"fastapi\": health check command must start with CMD or CMD-SHELL (found \"curl\").",
                )],
            ),
            (
                "nothing after CMD-SHELL",
                |s| with(s, &["CMD-SHELL"], |_| {}),
                &[(
                    "containerDefinitions[0].healthCheck.command",
                    "Container \"fastapi\": health check command needs something to run after CMD-SHELL.",
                )],
            ),
            (
                "too low",
                |s| {
                    with(s, CMD, |h| {
                        h.interval = Some(4);
                        h.timeout = Some(1);
                        h.retries = Some(0);
                        h.start_period = Some(-1);
                    })
                },
                &[
                    (
                        "containerDefinitions[0].healthCheck.interval",
                        "Container \"fastapi\": health check interval must be between 5 and 300 seconds (found 4).",
                    ),
                    (
                        "containerDefinitions[0].healthCheck.timeout",
                        "Container \"fastapi\": health check timeout must be between 2 and 120 seconds (found 1).",
                    ),
                    (
                        "containerDefinitions[0].healthCheck.retries",
                        "Container \"fastapi\": health check retries must be between 1 and 10 (found 0).",
                    ),
                    (
                        "containerDefinitions[0].healthCheck.startPeriod",
                        "Container \"fastapi\": health check start period must be between 0 and 300 seconds (found -1).",
                    ),
                ],
            ),
            (
                "too high",
                |s| {
                    with(s, CMD, |h| {
                        h.interval = Some(301);
                        h.timeout = Some(121);
                        h.retries = Some(11);
                        h.start_period = Some(301);
                    })
                },
                &[
                    (
                        "containerDefinitions[0].healthCheck.interval",
                        "Container \"fastapi\": health check interval must be between 5 and 300 seconds (found 301).",
                    ),
                    (
                        "containerDefinitions[0].healthCheck.timeout",
                        "Container \"fastapi\": health check timeout must be between 2 and 120 seconds (found 121).",
                    ),
                    (
                        "containerDefinitions[0].healthCheck.retries",
                        "Container \"fastapi\": health check retries must be between 1 and 10 (found 11).",
                    ),
                    (
                        "containerDefinitions[0].healthCheck.startPeriod",
                        "Container \"fastapi\": health check start period must be between 0 and 300 seconds (found 301).",
                    ),
                ],
            ),
        ]);
    }

    #[test]
    fn log_drivers() {
        check(&[
            (
                "firelens",
                |s| first(s).log_configuration = Some(LogConfiguration { log_driver: "awsfirelens".into(), ..Default::default() }),
                &[],
            ),
            ("no logging", |s| first(s).log_configuration = None, &[]),
            (
                "json-file",
                |s| first(s).log_configuration = Some(LogConfiguration { log_driver: "json-file".into(), ..Default::default() }),
                &[(
                    "containerDefinitions[0].logConfiguration.logDriver",
                    "Container \"fastapi\": log driver \"json-file\" is not supported on Fargate; use awslogs, splunk or awsfirelens.",
                )],
            ),
            (
                "empty driver",
                |s| first(s).log_configuration = Some(LogConfiguration::default()),
                &[(
                    "containerDefinitions[0].logConfiguration.logDriver",
                    "Container \"fastapi\": choose a log driver: awslogs, splunk or awsfirelens.",
                )],
            ),
        ]);
    }

    #[test]
    fn tags() {
        fn tag(key: &str, value: &str) -> Tag {
            Tag {
                key: key.into(),
                value: value.into(),
            }
        }
        check(&[
            (
                "valid",
                |s| s.tags = vec![tag("team", "books"), tag("env", "")],
                &[],
            ),
            (
                "fifty",
                |s| s.tags = (0..50).map(|i| tag(&format!("k{i}"), "v")).collect(),
                &[],
            ),
            (
                "fifty-one",
                |s| s.tags = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect(),
                &[(
                    "tags",
                    "A task definition can have at most 50 tags; this one has 51.",
                )],
            ),
            (
                "empty key",
                |s| s.tags = vec![tag("", "v")],
                &[("tags[0].key", "Tag key is required.")],
            ),
            (
                "long key",
                |s| s.tags = vec![tag(&"k".repeat(129), "v")],
                &[(
                    "tags[0].key",
                    "Tag key is 129 characters long; the limit is 128.",
                )],
            ),
            (
                "reserved",
                |s| s.tags = vec![tag("AWS:x", "v")],
                &[(
                    "tags[0].key",
                    "Tag key \"AWS:x\" starts with \"aws:\", which is reserved for AWS.",
                )],
            ),
            (
                "duplicate",
                |s| s.tags = vec![tag("a", "1"), tag("a", "2")],
                &[("tags[1].key", "Tag key \"a\" is used more than once.")],
            ),
            (
                "long value",
                |s| s.tags = vec![tag("a", &"v".repeat(257))],
                &[(
                    "tags[0].value",
                    "Tag \"a\" has a value 257 characters long; the limit is 256.",
                )],
            ),
        ]);
    }

    #[test]
    fn reports_every_problem_in_field_order() {
        let mut spec = seed();
        spec.family = String::new();
        spec.network_mode = None;
        spec.cpu = Some("1 vCPU".into());
        first(&mut spec).image = "Bad Image".into();
        first(&mut spec).port_mappings.push(port(0));
        let errors = spec.validate();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "family",
                "networkMode",
                "cpu",
                "containerDefinitions[0].image",
                "containerDefinitions[0].portMappings[1].containerPort"
            ]
        );
        let rejected: Vec<Option<&str>> = errors.iter().map(|e| e.rejected.as_deref()).collect();
        assert_eq!(
            rejected,
            [Some(""), None, Some("1 vCPU"), Some("Bad Image"), Some("0")]
        );
    }
}
