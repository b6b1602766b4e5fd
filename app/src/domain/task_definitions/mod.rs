//! ECS Fargate task definitions: the RegisterTaskDefinition request as the portal models it,
//! the rules it must pass before anything is sent to AWS, import from pasted JSON and the
//! equivalent AWS CLI command.
//!
//! The types serialize to exactly the JSON that `aws ecs register-task-definition
//! --cli-input-json` and the RegisterTaskDefinition API accept (camelCase keys, absent
//! optional fields omitted), so the form, the API and the CLI preview share one shape.

mod diff;
mod fargate;
mod form;
mod image;
mod import;
mod registered;
mod validate;

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;

pub use diff::{diff_task_definitions, FieldChange, FieldChangeKind};
pub use fargate::{fargate_memory_options, is_valid_fargate_size, FARGATE_CPU_OPTIONS};
pub use form::{form_field_for, ContainerForm, TaskDefinitionForm};
pub use image::{parse_image_reference, validate_image_reference, ImageReference, IMAGE_MAX_LEN};
pub use import::{import_task_definition, ImportedTaskDefinition, READ_ONLY_FIELDS};
pub use registered::{
    awslogs_groups, parse_task_definition_arn, RegisteredTaskDefinition, RevisionSummary,
    TaskDefinitionRevision,
};
pub use validate::{
    validate_tags, ValidTaskDefinition, EPHEMERAL_STORAGE_GIB, MAX_CONTAINERS, MAX_TAGS,
};

/// The only launch type the portal deploys to.
pub const FARGATE: &str = "FARGATE";
/// The only network mode Fargate supports.
pub const AWSVPC: &str = "awsvpc";

/// A task definition to register: the RegisterTaskDefinition request body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskDefinitionSpec {
    /// The family the new revision belongs to, e.g. `fastapi-books`.
    #[serde(default)]
    pub family: String,
    /// The role the containers' code runs as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_role_arn: Option<String>,
    /// The role ECS uses to pull images, write logs and read secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub execution_role_arn: Option<String>,
    /// Must be `awsvpc` on Fargate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_mode: Option<String>,
    /// Must include `FARGATE`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requires_compatibilities: Vec<String>,
    /// Task CPU in CPU units as a numeric string, e.g. `"512"` (1 vCPU = 1024 units).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "string_or_number"
    )]
    pub cpu: Option<String>,
    /// Task memory in MiB as a numeric string, e.g. `"1024"`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "string_or_number"
    )]
    pub memory: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage: Option<EphemeralStorage>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime_platform: Option<RuntimePlatform>,
    /// Required by AWS, so always serialized, even when empty.
    #[serde(default)]
    pub container_definitions: Vec<ContainerDefinition>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<Tag>,
}

/// Extra scratch space for the task, beyond the 20 GiB Fargate gives by default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EphemeralStorage {
    /// 21-200 GiB.
    #[serde(rename = "sizeInGiB")]
    pub size_in_gi_b: i32,
}

/// The operating system and CPU architecture the task runs on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RuntimePlatform {
    /// `LINUX` (the only family the portal supports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operating_system_family: Option<String>,
    /// `X86_64` or `ARM64`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_architecture: Option<String>,
}

/// A resource tag.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tag {
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub value: String,
}

/// One container of the task.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerDefinition {
    #[serde(default)]
    pub name: String,
    /// An image reference, e.g. `public.ecr.aws/nginx/nginx:1.27`.
    #[serde(default)]
    pub image: String,
    /// AWS treats a missing value as `true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub essential: Option<bool>,
    /// CPU units reserved for this container; `0` (what DescribeTaskDefinition reports when
    /// unset) reserves none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu: Option<i32>,
    /// Hard memory limit in MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory: Option<i32>,
    /// Soft memory limit (reservation) in MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_reservation: Option<i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub port_mappings: Vec<PortMapping>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environment: Vec<KeyValuePair>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<Secret>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry_point: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check: Option<HealthCheck>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_configuration: Option<LogConfiguration>,
}

/// A port the container listens on. In `awsvpc` mode the host port equals the container port.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortMapping {
    #[serde(default)]
    pub container_port: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_port: Option<i32>,
    /// `tcp` (the default) or `udp`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// A name for the mapping, used by Service Connect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An environment variable.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyValuePair {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub value: String,
}

/// An environment variable whose value ECS reads from Secrets Manager or SSM Parameter Store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Secret {
    #[serde(default)]
    pub name: String,
    /// A Secrets Manager secret ARN, an SSM parameter ARN or an SSM parameter name.
    #[serde(default)]
    pub value_from: String,
}

/// A container health check. Times are in seconds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthCheck {
    /// `["CMD", "executable", "arg"...]` or `["CMD-SHELL", "shell command"]`.
    #[serde(default)]
    pub command: Vec<String>,
    /// 5-300 seconds (AWS default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<i32>,
    /// 2-120 seconds (AWS default 5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<i32>,
    /// 1-10 (AWS default 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retries: Option<i32>,
    /// 0-300 seconds (AWS default: off).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_period: Option<i32>,
}

/// Where a container's output goes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogConfiguration {
    /// On Fargate: `awslogs`, `splunk` or `awsfirelens`.
    #[serde(default)]
    pub log_driver: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub options: BTreeMap<String, String>,
}

/// The usual CloudWatch Logs setup: group `/ecs/<family>`, stream prefix `ecs`.
pub fn default_log_configuration(family: &str, region: &str) -> LogConfiguration {
    let options = [
        ("awslogs-group", format!("/ecs/{family}")),
        ("awslogs-region", region.to_string()),
        ("awslogs-stream-prefix", "ecs".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    LogConfiguration {
        log_driver: "awslogs".to_string(),
        options,
    }
}

/// The AWS CLI command that registers `spec`, for users who want to repeat it by hand.
///
/// The JSON is compact and single-quoted for POSIX shells; single quotes inside it are
/// written as `'\''`.
pub fn cli_command(spec: &TaskDefinitionSpec) -> String {
    // Serializing these plain structs cannot fail.
    let json = serde_json::to_string(spec).unwrap_or_default();
    format!(
        "aws ecs register-task-definition --cli-input-json '{}'",
        json.replace('\'', r"'\''")
    )
}

/// Reads a string, or a number written without quotes (`"cpu": 512`), as a string.
fn string_or_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    struct Visitor;

    impl serde::de::Visitor<'_> for Visitor {
        type Value = Option<String>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string such as \"512\"")
        }

        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }

    deserializer.deserialize_any(Visitor)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// The task definition the portal's main flow registers.
    pub(crate) const SEED: &str = r#"{"family":"fastapi-books","taskRoleArn":"arn:aws:iam::123456789012:role/fastapi-task-role","executionRoleArn":"arn:aws:iam::123456789012:role/ecsTaskExecutionRole","networkMode":"awsvpc","requiresCompatibilities":["FARGATE"],"cpu":"512","memory":"1024","containerDefinitions":[{"name":"fastapi","image":"123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:latest","portMappings":[{"containerPort":8000}],"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/fastapi-books","awslogs-region":"us-east-1","awslogs-stream-prefix":"ecs"}}}]}"#;

    pub(crate) fn seed() -> TaskDefinitionSpec {
        serde_json::from_str(SEED).unwrap()
    }

    #[test]
    fn seed_deserializes_validates_and_round_trips() {
        let spec = seed();
        assert_eq!(spec.family, "fastapi-books");
        assert_eq!(spec.cpu.as_deref(), Some("512"));
        assert_eq!(
            spec.container_definitions[0].port_mappings[0].container_port,
            8000
        );
        assert_eq!(spec.validate(), vec![]);
        let original: Value = serde_json::from_str(SEED).unwrap();
        assert_eq!(serde_json::to_value(&spec).unwrap(), original);
    }

    #[test]
    fn every_field_serializes_in_the_aws_shape() {
        let expected = json!({
            "family": "f",
            "taskRoleArn": "arn:aws:iam::123456789012:role/t",
            "executionRoleArn": "arn:aws:iam::123456789012:role/e",
            "networkMode": "awsvpc",
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "256",
            "memory": "512",
            "ephemeralStorage": {"sizeInGiB": 30},
            "runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"},
            "containerDefinitions": [{
                "name": "web",
                "image": "nginx",
                "essential": true,
                "cpu": 128,
                "memory": 256,
                "memoryReservation": 128,
                "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp", "name": "http"}],
                "environment": [{"name": "A", "value": "1"}],
                "secrets": [{"name": "B", "valueFrom": "arn:aws:ssm:us-east-1:123456789012:parameter/b"}],
                "command": ["nginx", "-g", "daemon off;"],
                "entryPoint": ["/docker-entrypoint.sh"],
                "healthCheck": {"command": ["CMD-SHELL", "true"], "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 10},
                "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/f"}}
            }],
            "tags": [{"key": "team", "value": "books"}]
        });
        let spec: TaskDefinitionSpec = serde_json::from_value(expected.clone()).unwrap();
        assert_eq!(
            spec.ephemeral_storage,
            Some(EphemeralStorage { size_in_gi_b: 30 })
        );
        assert_eq!(spec.container_definitions[0].memory_reservation, Some(128));
        assert_eq!(serde_json::to_value(&spec).unwrap(), expected);
    }

    #[test]
    fn absent_fields_are_omitted_and_container_definitions_kept() {
        let spec = TaskDefinitionSpec {
            family: "f".into(),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&spec).unwrap(),
            json!({"family": "f", "containerDefinitions": []})
        );
    }

    #[test]
    fn cpu_and_memory_accept_unquoted_numbers() {
        let cases = [
            (
                json!({"cpu": "512", "memory": "1024"}),
                Some("512"),
                Some("1024"),
            ),
            (
                json!({"cpu": 512, "memory": 1024}),
                Some("512"),
                Some("1024"),
            ),
            (json!({"cpu": null}), None, None),
            (json!({}), None, None),
            (
                json!({"cpu": "1 vCPU", "memory": "2 GB"}),
                Some("1 vCPU"),
                Some("2 GB"),
            ),
        ];
        for (input, cpu, memory) in cases {
            let spec: TaskDefinitionSpec = serde_json::from_value(input.clone()).unwrap();
            assert_eq!(
                (spec.cpu.as_deref(), spec.memory.as_deref()),
                (cpu, memory),
                "{input}"
            );
        }
        assert!(serde_json::from_value::<TaskDefinitionSpec>(json!({"cpu": true})).is_err());
    }

    #[test]
    fn default_log_configuration_uses_the_family() {
        let got = default_log_configuration("fastapi-books", "us-east-1");
        assert_eq!(
            serde_json::to_value(got).unwrap(),
            json!({"logDriver": "awslogs", "options": {
                "awslogs-group": "/ecs/fastapi-books",
                "awslogs-region": "us-east-1",
                "awslogs-stream-prefix": "ecs"
            }})
        );
        assert_eq!(
            seed().container_definitions[0].log_configuration,
            Some(default_log_configuration("fastapi-books", "us-east-1"))
        );
    }

    #[test]
    fn cli_command_quotes_for_posix_shells() {
        let mut spec = TaskDefinitionSpec {
            family: "f".into(),
            ..Default::default()
        };
        spec.container_definitions.push(ContainerDefinition {
            name: "web".into(),
            image: "nginx".into(),
            environment: vec![KeyValuePair {
                name: "GREETING".into(),
                value: "it's ok".into(),
            }],
            ..Default::default()
        });
        assert_eq!(
            cli_command(&spec),
            r#"aws ecs register-task-definition --cli-input-json '{"family":"f","containerDefinitions":[{"name":"web","image":"nginx","environment":[{"name":"GREETING","value":"it'\''s ok"}]}]}'"#
        );
        let seed_command = cli_command(&seed());
        assert_eq!(
            seed_command,
            format!("aws ecs register-task-definition --cli-input-json '{SEED}'")
        );
    }
}
