//! ECS services: the CreateService request in the AWS API's JSON shape, its validation (each
//! problem tied to a field path such as `networkConfiguration.awsvpcConfiguration.subnets[0]`),
//! the equivalent `aws ecs create-service` command, and what the pages show of a service.

mod details;
mod form;
pub mod rollouts;

pub use details::{
    Deployment, DeploymentStarted, NetworkChoices, SecurityGroupChoice, ServiceDetail,
    ServiceEvent, ServicePage, ServiceSummary, SubnetChoice, TaskView,
};
pub use form::{
    form_field_for, ServiceForm, BREAKER_OFF, BREAKER_ON, BREAKER_ROLLBACK, GROUP_CHECKBOX,
    SUBNET_CHECKBOX,
};

use super::names::validate_ecs_name;
use super::task_definitions::{validate_tags, Tag};
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The only launch type the portal creates services with.
pub const FARGATE: &str = "FARGATE";
/// What ECS allows per service in one awsvpc configuration.
pub const MAX_SUBNETS: usize = 16;
pub const MAX_SECURITY_GROUPS: usize = 5;
/// The portal's ceiling for a service's desired count (ECS's default quota of tasks per service).
pub const MAX_DESIRED_COUNT: i32 = 5000;

/// A request to create a service: what `aws ecs create-service --cli-input-json` takes,
/// restricted to Fargate in awsvpc mode. Keys the portal does not know are refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceSpec {
    pub cluster: String,
    pub service_name: String,
    /// `family:revision`.
    pub task_definition: String,
    pub desired_count: i32,
    #[serde(default = "fargate")]
    pub launch_type: String,
    /// `LATEST` or a version such as `1.4.0`; ECS picks `LATEST` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_version: Option<String>,
    pub network_configuration: NetworkConfiguration,
    #[serde(default)]
    pub deployment_configuration: DeploymentConfiguration,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_check_grace_period_seconds: Option<i32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<Object>))]
    pub tags: Vec<Tag>,
}

fn fargate() -> String {
    FARGATE.to_string()
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetworkConfiguration {
    pub awsvpc_configuration: AwsVpcConfiguration,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AwsVpcConfiguration {
    #[serde(default)]
    pub subnets: Vec<String>,
    #[serde(default)]
    pub security_groups: Vec<String>,
    #[serde(default)]
    pub assign_public_ip: AssignPublicIp,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "UPPERCASE")]
pub enum AssignPublicIp {
    Enabled,
    #[default]
    Disabled,
}

impl AssignPublicIp {
    pub fn as_str(self) -> &'static str {
        match self {
            AssignPublicIp::Enabled => "ENABLED",
            AssignPublicIp::Disabled => "DISABLED",
        }
    }
}

/// How ECS replaces tasks. The circuit breaker with rollback is on unless turned off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentConfiguration {
    #[serde(default)]
    pub deployment_circuit_breaker: CircuitBreaker,
    #[serde(default = "default_minimum_healthy")]
    pub minimum_healthy_percent: i32,
    #[serde(default = "default_maximum")]
    pub maximum_percent: i32,
}

fn default_minimum_healthy() -> i32 {
    100
}

fn default_maximum() -> i32 {
    200
}

impl Default for DeploymentConfiguration {
    fn default() -> Self {
        Self {
            deployment_circuit_breaker: CircuitBreaker::default(),
            minimum_healthy_percent: default_minimum_healthy(),
            maximum_percent: default_maximum(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CircuitBreaker {
    pub enable: bool,
    pub rollback: bool,
}

impl Default for CircuitBreaker {
    fn default() -> Self {
        Self {
            enable: true,
            rollback: true,
        }
    }
}

const SUBNETS: &str = "networkConfiguration.awsvpcConfiguration.subnets";
const SECURITY_GROUPS: &str = "networkConfiguration.awsvpcConfiguration.securityGroups";

/// A CreateService request that passed every rule: what `backend::ops` creates, so nothing
/// downstream checks it again. Only the parsers of this module make one:
/// [`ValidServiceSpec::parse`] (the JSON of `/api/v1`) and [`ServiceForm::parse`] (the form).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidServiceSpec {
    spec: ServiceSpec,
    /// `spec.task_definition` as read.
    reference: TaskDefinitionRef,
}

impl ValidServiceSpec {
    /// The request itself when it is valid, else every problem keyed by field path.
    pub fn parse(spec: ServiceSpec) -> Result<Self, Vec<FieldError>> {
        let reference = spec.check()?;
        Ok(Self { spec, reference })
    }

    pub fn spec(&self) -> &ServiceSpec {
        &self.spec
    }

    /// The revision the service is created with.
    pub fn task_definition_ref(&self) -> &TaskDefinitionRef {
        &self.reference
    }
}

impl std::ops::Deref for ValidServiceSpec {
    type Target = ServiceSpec;

    fn deref(&self) -> &ServiceSpec {
        &self.spec
    }
}

/// Serialized as the request it is (history records it).
impl Serialize for ValidServiceSpec {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.spec.serialize(serializer)
    }
}

impl ServiceSpec {
    /// Every problem with the request, each tied to its field path. Empty when valid.
    #[cfg(test)]
    fn validate(&self) -> Vec<FieldError> {
        self.check().err().unwrap_or_default()
    }

    /// The revision the request names when the request is valid, else every problem with
    /// it, each tied to its field path.
    fn check(&self) -> Result<TaskDefinitionRef, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut reference = None;
        let mut check = |field: &str, rejected: &str, outcome: Result<(), String>| {
            if let Err(message) = outcome {
                errors.push(FieldError::new(field, message).with_rejected(rejected));
            }
        };
        check(
            "cluster",
            &self.cluster,
            validate_ecs_name("Cluster", &self.cluster),
        );
        check(
            "serviceName",
            &self.service_name,
            validate_service_name(&self.service_name),
        );
        check(
            "taskDefinition",
            &self.task_definition,
            parse_task_definition_ref(&self.task_definition).map(|r| reference = Some(r)),
        );
        check(
            "desiredCount",
            &self.desired_count.to_string(),
            validate_desired_count(self.desired_count),
        );
        check(
            "launchType",
            &self.launch_type,
            if self.launch_type == FARGATE {
                Ok(())
            } else {
                Err(format!(
                    "The portal creates Fargate services only: launch type must be FARGATE, not {}.",
                    self.launch_type
                ))
            },
        );
        if let Some(version) = &self.platform_version {
            check(
                "platformVersion",
                version,
                validate_platform_version(version),
            );
        }
        let deployment = &self.deployment_configuration;
        check(
            "deploymentConfiguration.minimumHealthyPercent",
            &deployment.minimum_healthy_percent.to_string(),
            if (0..=100).contains(&deployment.minimum_healthy_percent) {
                Ok(())
            } else {
                Err("Minimum healthy percent must be between 0 and 100.".to_string())
            },
        );
        check(
            "deploymentConfiguration.maximumPercent",
            &deployment.maximum_percent.to_string(),
            if !(100..=200).contains(&deployment.maximum_percent) {
                Err("Maximum percent must be between 100 and 200.".to_string())
            } else if deployment.maximum_percent <= deployment.minimum_healthy_percent {
                Err("Maximum percent must be above the minimum healthy percent, or a deployment could never replace a task.".to_string())
            } else {
                Ok(())
            },
        );
        if let Some(grace) = self.health_check_grace_period_seconds {
            check(
                "healthCheckGracePeriodSeconds",
                &grace.to_string(),
                if grace < 0 {
                    Err("Health check grace period cannot be negative.".to_string())
                } else {
                    Ok(())
                },
            );
        }
        let vpc = &self.network_configuration.awsvpc_configuration;
        validate_ids(&vpc.subnets, "subnet", SUBNETS, MAX_SUBNETS, &mut errors);
        if vpc.subnets.is_empty() {
            errors.push(FieldError::new(
                SUBNETS,
                "Choose at least one subnet: Fargate tasks run in awsvpc mode.",
            ));
        }
        validate_ids(
            &vpc.security_groups,
            "sg",
            SECURITY_GROUPS,
            MAX_SECURITY_GROUPS,
            &mut errors,
        );
        validate_tags("A service", &self.tags, &mut errors);
        match reference {
            Some(reference) if errors.is_empty() => Ok(reference),
            _ => Err(errors),
        }
    }

    /// `<cluster>/<service>`: the history target of every service action.
    pub fn target(&self) -> String {
        service_target(&self.cluster, &self.service_name)
    }
}

/// `<cluster>/<service>`.
pub fn service_target(cluster: &str, service: &str) -> String {
    format!("{cluster}/{service}")
}

/// 1-255 letters, digits, hyphens and underscores.
pub fn validate_service_name(name: &str) -> Result<(), String> {
    validate_ecs_name("Service name", name)
}

pub fn validate_desired_count(count: i32) -> Result<(), String> {
    if (0..=MAX_DESIRED_COUNT).contains(&count) {
        Ok(())
    } else {
        Err(format!(
            "Desired count must be between 0 and {MAX_DESIRED_COUNT}."
        ))
    }
}

/// `LATEST` or a dotted version such as `1.4.0`.
pub fn validate_platform_version(version: &str) -> Result<(), String> {
    let dotted = !version.is_empty()
        && version
            .split('.')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()));
    if version == "LATEST" || dotted {
        Ok(())
    } else {
        Err("Platform version must be LATEST or a version such as 1.4.0.".to_string())
    }
}

/// A task definition named as `family:revision`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskDefinitionRef {
    pub family: String,
    pub revision: i32,
}

impl std::fmt::Display for TaskDefinitionRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.family, self.revision)
    }
}

/// Parses `family:revision` (the revision is required, so a rollout knows what it waits for).
pub fn parse_task_definition_ref(value: &str) -> Result<TaskDefinitionRef, String> {
    let Some((family, revision)) = value.rsplit_once(':') else {
        return Err(if value.is_empty() {
            "Task definition is required.".to_string()
        } else {
            format!("Name the revision too, as family:revision (e.g. {value}:1).")
        });
    };
    validate_ecs_name("Task definition family", family)?;
    match revision.parse::<i32>() {
        Ok(revision) if revision >= 1 => Ok(TaskDefinitionRef {
            family: family.to_string(),
            revision,
        }),
        _ => Err(format!(
            "The revision after the colon must be a whole number from 1 (found \"{revision}\")."
        )),
    }
}

/// `family:revision` of a task definition named by ARN
/// (`arn:aws:ecs:…:task-definition/family:3`) or already as `family:revision`.
pub fn task_definition_key(arn_or_name: &str) -> &str {
    arn_or_name
        .rsplit_once(":task-definition/")
        .map_or(arn_or_name, |(_, key)| key)
}

/// Checks resource ids such as `subnet-0abc…` or `sg-0abc…`: the prefix, then 8 or 17
/// lowercase hex digits, each at most once.
fn validate_ids(
    ids: &[String],
    prefix: &str,
    field: &str,
    max: usize,
    errors: &mut Vec<FieldError>,
) {
    if ids.len() > max {
        errors.push(FieldError::new(
            field,
            format!("At most {max} may be chosen; {} were.", ids.len()),
        ));
    }
    let mut seen = HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        let hex = id
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('-'));
        let well_formed = hex.is_some_and(|h| {
            (h.len() == 8 || h.len() == 17)
                && h.chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        });
        let problem = if !well_formed {
            Some(format!(
                "\"{id}\" is not a {prefix} id: expected {prefix}- and 8 or 17 hex digits."
            ))
        } else if !seen.insert(id.as_str()) {
            Some(format!("{id} is listed more than once."))
        } else {
            None
        };
        if let Some(message) = problem {
            errors.push(FieldError::new(format!("{field}[{i}]"), message).with_rejected(id));
        }
    }
}

/// The AWS CLI command that creates the service, for users who want to repeat it by hand.
/// Values are single-quoted for POSIX shells where they need it.
pub fn create_service_cli(spec: &ServiceSpec) -> String {
    let vpc = &spec.network_configuration.awsvpc_configuration;
    let deployment = &spec.deployment_configuration;
    let mut parts = vec![
        "aws ecs create-service".to_string(),
        format!("--cluster {}", shell_word(&spec.cluster)),
        format!("--service-name {}", shell_word(&spec.service_name)),
        format!("--task-definition {}", shell_word(&spec.task_definition)),
        format!("--launch-type {}", shell_word(&spec.launch_type)),
        format!("--desired-count {}", spec.desired_count),
    ];
    if let Some(version) = &spec.platform_version {
        parts.push(format!("--platform-version {}", shell_word(version)));
    }
    parts.push(format!(
        "--network-configuration {}",
        shell_word(&format!(
            "awsvpcConfiguration={{subnets=[{}],securityGroups=[{}],assignPublicIp={}}}",
            vpc.subnets.join(","),
            vpc.security_groups.join(","),
            vpc.assign_public_ip.as_str()
        ))
    ));
    parts.push(format!(
        "--deployment-configuration {}",
        shell_word(&format!(
            "deploymentCircuitBreaker={{enable={},rollback={}}},minimumHealthyPercent={},maximumPercent={}",
            deployment.deployment_circuit_breaker.enable,
            deployment.deployment_circuit_breaker.rollback,
            deployment.minimum_healthy_percent,
            deployment.maximum_percent
        ))
    ));
    if let Some(grace) = spec.health_check_grace_period_seconds {
        parts.push(format!("--health-check-grace-period-seconds {grace}"));
    }
    if !spec.tags.is_empty() {
        let tags: Vec<String> = spec
            .tags
            .iter()
            .map(|t| shell_word(&format!("key={},value={}", t.key, t.value)))
            .collect();
        parts.push(format!("--tags {}", tags.join(" ")));
    }
    parts.join(" \\\n  ")
}

/// A word as a POSIX shell reads it: left bare when it has only safe characters, else
/// single-quoted (a single quote inside written as `'\''`).
fn shell_word(value: &str) -> String {
    let safe = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_:./,=@".contains(c));
    if safe {
        value.to_string()
    } else {
        format!("'{}'", value.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed's service.
    pub(crate) fn seed() -> ServiceSpec {
        serde_json::from_value(serde_json::json!({
            "cluster": "fastapi-cluster",
            "serviceName": "fastapi-books",
            "taskDefinition": "fastapi-books:1",
            "desiredCount": 2,
            "launchType": "FARGATE",
            "networkConfiguration": {"awsvpcConfiguration": {
                "subnets": ["subnet-0abc1234"],
                "securityGroups": ["sg-0123abcd"],
                "assignPublicIp": "ENABLED"
            }}
        }))
        .unwrap()
    }

    #[test]
    fn the_seed_is_valid_with_the_circuit_breaker_on_by_default() {
        let spec = seed();
        assert!(spec.validate().is_empty(), "{:?}", spec.validate());
        let breaker = spec.deployment_configuration.deployment_circuit_breaker;
        assert!(breaker.enable && breaker.rollback);
        assert_eq!(spec.deployment_configuration.minimum_healthy_percent, 100);
        assert_eq!(spec.deployment_configuration.maximum_percent, 200);
        assert_eq!(spec.target(), "fastapi-cluster/fastapi-books");
    }

    #[test]
    fn parse_gives_a_valid_spec_or_every_problem() {
        let valid = ValidServiceSpec::parse(seed()).unwrap();
        assert_eq!(valid.spec(), &seed());
        assert_eq!(valid.task_definition_ref().to_string(), "fastapi-books:1");
        assert_eq!(
            serde_json::to_value(&valid).unwrap(),
            serde_json::to_value(seed()).unwrap()
        );
        let mut broken = seed();
        broken.task_definition = "fastapi-books".into();
        broken.desired_count = -1;
        let fields: Vec<String> = ValidServiceSpec::parse(broken)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["taskDefinition", "desiredCount"]);
    }

    #[test]
    fn unknown_keys_are_refused() {
        let mut json = serde_json::to_value(seed()).unwrap();
        json["loadBalancers"] = serde_json::json!([]);
        let err = serde_json::from_value::<ServiceSpec>(json).unwrap_err();
        assert!(err.to_string().contains("loadBalancers"), "{err}");
    }

    #[test]
    fn each_problem_names_its_field() {
        type Edit = fn(&mut ServiceSpec);
        let cases: &[(Edit, &str, &str)] = &[
            (|s| s.service_name = String::new(), "serviceName", "Service name is required."),
            (|s| s.service_name = "a b".into(), "serviceName", "Service name may contain only letters, digits, hyphens and underscores (found a space)."),
            (|s| s.service_name = "x".repeat(256), "serviceName", "Service name is 256 characters long; the limit is 255."),
            (|s| s.cluster = "a/b".into(), "cluster", "Cluster may contain only letters, digits, hyphens and underscores (found '/')."),
            (|s| s.task_definition = "fastapi-books".into(), "taskDefinition", "Name the revision too, as family:revision (e.g. fastapi-books:1)."),
            (|s| s.task_definition = "fastapi-books:0".into(), "taskDefinition", "The revision after the colon must be a whole number from 1 (found \"0\")."),
            (|s| s.desired_count = -1, "desiredCount", "Desired count must be between 0 and 5000."),
            (|s| s.desired_count = 5001, "desiredCount", "Desired count must be between 0 and 5000."),
            (|s| s.launch_type = "EC2".into(), "launchType", "The portal creates Fargate services only: launch type must be FARGATE, not EC2."),
            (|s| s.platform_version = Some("latest".into()), "platformVersion", "Platform version must be LATEST or a version such as 1.4.0."),
            (|s| s.deployment_configuration.minimum_healthy_percent = 101, "deploymentConfiguration.minimumHealthyPercent", "Minimum healthy percent must be between 0 and 100."),
            (|s| s.deployment_configuration.maximum_percent = 250, "deploymentConfiguration.maximumPercent", "Maximum percent must be between 100 and 200."),
            (|s| s.deployment_configuration.maximum_percent = 100, "deploymentConfiguration.maximumPercent", "Maximum percent must be above the minimum healthy percent, or a deployment could never replace a task."),
            (|s| s.health_check_grace_period_seconds = Some(-5), "healthCheckGracePeriodSeconds", "Health check grace period cannot be negative."),
            (|s| s.network_configuration.awsvpc_configuration.subnets.clear(), SUBNETS, "Choose at least one subnet: Fargate tasks run in awsvpc mode."),
            (|s| s.network_configuration.awsvpc_configuration.subnets = vec!["subnet-XYZ".into()], "networkConfiguration.awsvpcConfiguration.subnets[0]", "\"subnet-XYZ\" is not a subnet id: expected subnet- and 8 or 17 hex digits."),
            (|s| s.network_configuration.awsvpc_configuration.subnets.push("subnet-0abc1234".into()), "networkConfiguration.awsvpcConfiguration.subnets[1]", "subnet-0abc1234 is listed more than once."),
            (|s| s.network_configuration.awsvpc_configuration.security_groups = vec!["subnet-0abc1234".into()], "networkConfiguration.awsvpcConfiguration.securityGroups[0]", "\"subnet-0abc1234\" is not a sg id: expected sg- and 8 or 17 hex digits."),
            (|s| s.network_configuration.awsvpc_configuration.security_groups = (0..6).map(|i| format!("sg-0000000{i}")).collect(), SECURITY_GROUPS, "At most 5 may be chosen; 6 were."),
            (|s| s.tags = vec![Tag { key: "aws:x".into(), value: String::new() }], "tags[0].key", "Tag key \"aws:x\" starts with \"aws:\", which is reserved for AWS."),
        ];
        for (edit, field, message) in cases {
            let mut spec = seed();
            edit(&mut spec);
            let errors = spec.validate();
            assert!(
                errors
                    .iter()
                    .any(|e| e.field == *field && e.message == *message),
                "expected {field}: {message}; got {errors:?}"
            );
        }
    }

    #[test]
    fn seventeen_digit_ids_and_platform_versions_are_accepted() {
        let mut spec = seed();
        spec.network_configuration.awsvpc_configuration.subnets =
            vec!["subnet-8eb9042c2c7ad90f6".into()];
        spec.platform_version = Some("1.4.0".into());
        assert!(spec.validate().is_empty(), "{:?}", spec.validate());
        spec.platform_version = Some("LATEST".into());
        assert!(spec.validate().is_empty());
    }

    #[test]
    fn task_definition_keys_from_arns_and_names() {
        assert_eq!(
            task_definition_key("arn:aws:ecs:us-east-1:123456789012:task-definition/f:2"),
            "f:2"
        );
        assert_eq!(task_definition_key("f:2"), "f:2");
        assert_eq!(
            parse_task_definition_ref("fastapi-books:12")
                .unwrap()
                .to_string(),
            "fastapi-books:12"
        );
    }

    #[test]
    fn cli_command_matches_the_seed() {
        let mut spec = seed();
        spec.tags = vec![Tag {
            key: "team".into(),
            value: "books api".into(),
        }];
        assert_eq!(
            create_service_cli(&spec),
            "aws ecs create-service \\\n  --cluster fastapi-cluster \\\n  --service-name fastapi-books \\\n  --task-definition fastapi-books:1 \\\n  --launch-type FARGATE \\\n  --desired-count 2 \\\n  --network-configuration 'awsvpcConfiguration={subnets=[subnet-0abc1234],securityGroups=[sg-0123abcd],assignPublicIp=ENABLED}' \\\n  --deployment-configuration 'deploymentCircuitBreaker={enable=true,rollback=true},minimumHealthyPercent=100,maximumPercent=200' \\\n  --tags 'key=team,value=books api'"
        );
    }
}
