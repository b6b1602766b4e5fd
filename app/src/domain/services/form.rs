//! The create-service form as flat text fields (what a browser posts as `fields[...]`, with
//! or without JavaScript), turned into a [`ServiceSpec`] with every problem tied to the
//! form field that shows it, or, on submit, into a [`ValidServiceSpec`].

use super::{
    AssignPublicIp, AwsVpcConfiguration, CircuitBreaker, DeploymentConfiguration,
    NetworkConfiguration, ServiceSpec, TaskDefinitionRef, ValidServiceSpec, FARGATE,
};
use crate::{domain::task_definitions::Tag, error::FieldError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Circuit breaker choices of the form.
pub const BREAKER_ROLLBACK: &str = "rollback";
pub const BREAKER_ON: &str = "on";
pub const BREAKER_OFF: &str = "off";

/// Subnet and security group checkboxes are posted as `subnet:<id>` / `sg:<id>` = `on`.
pub const SUBNET_CHECKBOX: &str = "subnet:";
pub const GROUP_CHECKBOX: &str = "sg:";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceForm {
    pub cluster: String,
    pub service_name: String,
    pub family: String,
    pub revision: String,
    pub desired_count: String,
    pub platform_version: String,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    /// `ENABLED` or `DISABLED`.
    pub assign_public_ip: String,
    /// `rollback`, `on` or `off`.
    pub circuit_breaker: String,
    pub minimum_healthy_percent: String,
    pub maximum_percent: String,
    pub health_check_grace_period_seconds: String,
    /// One `key=value` per line.
    pub tags: String,
}

impl Default for ServiceForm {
    fn default() -> Self {
        Self {
            cluster: String::new(),
            service_name: String::new(),
            family: String::new(),
            revision: String::new(),
            desired_count: "1".into(),
            platform_version: String::new(),
            subnets: Vec::new(),
            security_groups: Vec::new(),
            assign_public_ip: "DISABLED".into(),
            circuit_breaker: BREAKER_ROLLBACK.into(),
            minimum_healthy_percent: "100".into(),
            maximum_percent: "200".into(),
            health_check_grace_period_seconds: String::new(),
            tags: String::new(),
        }
    }
}

/// Ids typed into a text field, separated by commas, spaces or new lines.
fn split_ids(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn push_unique(list: &mut Vec<String>, id: String) {
    if !list.contains(&id) {
        list.push(id);
    }
}

impl ServiceForm {
    /// Reads posted fields; checked boxes and typed ids are merged, each id once.
    pub fn from_fields(fields: &BTreeMap<String, String>) -> Self {
        let defaults = ServiceForm::default();
        let text = |key: &str, default: &str| {
            fields
                .get(key)
                .map(|v| v.trim().to_string())
                .unwrap_or_else(|| default.to_string())
        };
        let mut subnets = Vec::new();
        let mut security_groups = Vec::new();
        for (key, value) in fields {
            if value != "on" {
                continue;
            }
            if let Some(id) = key.strip_prefix(SUBNET_CHECKBOX) {
                push_unique(&mut subnets, id.to_string());
            } else if let Some(id) = key.strip_prefix(GROUP_CHECKBOX) {
                push_unique(&mut security_groups, id.to_string());
            }
        }
        for id in split_ids(fields.get("subnets").map_or("", String::as_str)) {
            push_unique(&mut subnets, id);
        }
        for id in split_ids(fields.get("securityGroups").map_or("", String::as_str)) {
            push_unique(&mut security_groups, id);
        }
        ServiceForm {
            cluster: text("cluster", &defaults.cluster),
            service_name: text("serviceName", &defaults.service_name),
            family: text("family", &defaults.family),
            revision: text("revision", &defaults.revision),
            desired_count: text("desiredCount", &defaults.desired_count),
            platform_version: text("platformVersion", &defaults.platform_version),
            subnets,
            security_groups,
            assign_public_ip: text("assignPublicIp", &defaults.assign_public_ip),
            circuit_breaker: text("circuitBreaker", &defaults.circuit_breaker),
            minimum_healthy_percent: text(
                "minimumHealthyPercent",
                &defaults.minimum_healthy_percent,
            ),
            maximum_percent: text("maximumPercent", &defaults.maximum_percent),
            health_check_grace_period_seconds: text(
                "healthCheckGracePeriodSeconds",
                &defaults.health_check_grace_period_seconds,
            ),
            tags: fields.get("tags").cloned().unwrap_or_default(),
        }
    }

    /// The form as fields (ids as comma-separated text), for an address that reopens it.
    pub fn to_fields(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("cluster".into(), self.cluster.clone()),
            ("serviceName".into(), self.service_name.clone()),
            ("family".into(), self.family.clone()),
            ("revision".into(), self.revision.clone()),
            ("desiredCount".into(), self.desired_count.clone()),
            ("platformVersion".into(), self.platform_version.clone()),
            ("subnets".into(), self.subnets.join(",")),
            ("securityGroups".into(), self.security_groups.join(",")),
            ("assignPublicIp".into(), self.assign_public_ip.clone()),
            ("circuitBreaker".into(), self.circuit_breaker.clone()),
            (
                "minimumHealthyPercent".into(),
                self.minimum_healthy_percent.clone(),
            ),
            ("maximumPercent".into(), self.maximum_percent.clone()),
            (
                "healthCheckGracePeriodSeconds".into(),
                self.health_check_grace_period_seconds.clone(),
            ),
            ("tags".into(), self.tags.clone()),
        ])
    }

    /// The spec the form describes, and the problems with it (unreadable numbers and tags
    /// as well as every rule the spec breaks), keyed by spec field path.
    pub fn to_spec(&self) -> (ServiceSpec, Vec<FieldError>) {
        let (spec, checked) = self.check();
        (spec, checked.err().unwrap_or_default())
    }

    /// What a submit of the form creates: the spec when the form reads and the spec passes
    /// every rule, else the problems [`to_spec`](Self::to_spec) lists. Each value is read
    /// and checked once.
    pub fn parse(&self) -> Result<ValidServiceSpec, Vec<FieldError>> {
        let (spec, checked) = self.check();
        checked.map(|reference| ValidServiceSpec { spec, reference })
    }

    /// The spec, and the revision it names or every problem (one message per field: a
    /// value that cannot be read is not also reported by the rules).
    fn check(&self) -> (ServiceSpec, Result<TaskDefinitionRef, Vec<FieldError>>) {
        let (spec, mut errors) = self.read();
        let checked = match spec.check() {
            Ok(reference) if errors.is_empty() => Ok(reference),
            Ok(_) => Err(errors),
            Err(problems) => {
                let reported: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
                errors.extend(
                    problems
                        .into_iter()
                        .filter(|e| !reported.contains(&e.field)),
                );
                Err(errors)
            }
        };
        (spec, checked)
    }

    /// The spec as typed, and the values that could not be read.
    fn read(&self) -> (ServiceSpec, Vec<FieldError>) {
        let mut errors = Vec::new();
        let mut number = |field: &str, label: &str, text: &str, default: i32| -> i32 {
            match text.parse::<i32>() {
                Ok(n) => n,
                Err(_) => {
                    errors.push(
                        FieldError::new(field, format!("{label} must be a whole number."))
                            .with_rejected(text),
                    );
                    default
                }
            }
        };
        let desired_count = number("desiredCount", "Desired count", &self.desired_count, 0);
        let minimum_healthy_percent = number(
            "deploymentConfiguration.minimumHealthyPercent",
            "Minimum healthy percent",
            &self.minimum_healthy_percent,
            100,
        );
        let maximum_percent = number(
            "deploymentConfiguration.maximumPercent",
            "Maximum percent",
            &self.maximum_percent,
            200,
        );
        let health_check_grace_period_seconds =
            (!self.health_check_grace_period_seconds.is_empty()).then(|| {
                number(
                    "healthCheckGracePeriodSeconds",
                    "Health check grace period",
                    &self.health_check_grace_period_seconds,
                    0,
                )
            });
        let mut tags = Vec::new();
        for (i, line) in self
            .tags
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .enumerate()
        {
            match line.split_once('=') {
                Some((key, value)) => tags.push(Tag {
                    key: key.trim().to_string(),
                    value: value.trim().to_string(),
                }),
                None => errors.push(
                    FieldError::new(
                        format!("tags[{i}].key"),
                        format!("Write each tag as key=value (line \"{line}\")."),
                    )
                    .with_rejected(line),
                ),
            }
        }
        let task_definition = if self.revision.is_empty() {
            self.family.clone()
        } else {
            format!("{}:{}", self.family, self.revision)
        };
        let spec = ServiceSpec {
            cluster: self.cluster.clone(),
            service_name: self.service_name.clone(),
            task_definition,
            desired_count,
            launch_type: FARGATE.to_string(),
            platform_version: (!self.platform_version.is_empty())
                .then(|| self.platform_version.clone()),
            network_configuration: NetworkConfiguration {
                awsvpc_configuration: AwsVpcConfiguration {
                    subnets: self.subnets.clone(),
                    security_groups: self.security_groups.clone(),
                    assign_public_ip: if self.assign_public_ip == "ENABLED" {
                        AssignPublicIp::Enabled
                    } else {
                        AssignPublicIp::Disabled
                    },
                },
            },
            deployment_configuration: DeploymentConfiguration {
                deployment_circuit_breaker: CircuitBreaker {
                    enable: self.circuit_breaker != BREAKER_OFF,
                    rollback: self.circuit_breaker == BREAKER_ROLLBACK,
                },
                minimum_healthy_percent,
                maximum_percent,
            },
            health_check_grace_period_seconds,
            tags,
        };
        (spec, errors)
    }
}

/// The form field that shows a problem at a spec field path
/// (`networkConfiguration.awsvpcConfiguration.subnets[0]` → `subnets`).
pub fn form_field_for(path: &str) -> &'static str {
    const FIELDS: [(&str, &str); 13] = [
        (
            "networkConfiguration.awsvpcConfiguration.subnets",
            "subnets",
        ),
        (
            "networkConfiguration.awsvpcConfiguration.securityGroups",
            "securityGroups",
        ),
        (
            "deploymentConfiguration.minimumHealthyPercent",
            "minimumHealthyPercent",
        ),
        ("deploymentConfiguration.maximumPercent", "maximumPercent"),
        (
            "healthCheckGracePeriodSeconds",
            "healthCheckGracePeriodSeconds",
        ),
        ("tags", "tags"),
        ("cluster", "cluster"),
        ("serviceName", "serviceName"),
        ("taskDefinition", "family"),
        ("desiredCount", "desiredCount"),
        ("platformVersion", "platformVersion"),
        ("launchType", "family"),
        ("confirm", "confirm"),
    ];
    FIELDS
        .iter()
        .find(|(prefix, _)| path.starts_with(prefix))
        .map_or("form", |(_, field)| field)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_seed_from_posted_fields() {
        let form = ServiceForm::from_fields(&fields(&[
            ("cluster", "fastapi-cluster"),
            ("serviceName", " fastapi-books "),
            ("family", "fastapi-books"),
            ("revision", "1"),
            ("desiredCount", "2"),
            ("subnet:subnet-0abc1234", "on"),
            ("subnets", "subnet-0abc5678, subnet-0abc1234"),
            ("sg:sg-0123abcd", "on"),
            ("assignPublicIp", "ENABLED"),
            ("circuitBreaker", "rollback"),
            ("tags", "team=books\n\n owner = me "),
        ]));
        let (spec, errors) = form.to_spec();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(spec.service_name, "fastapi-books");
        assert_eq!(spec.task_definition, "fastapi-books:1");
        assert_eq!(
            spec.network_configuration.awsvpc_configuration.subnets,
            ["subnet-0abc1234", "subnet-0abc5678"]
        );
        assert_eq!(
            spec.network_configuration
                .awsvpc_configuration
                .assign_public_ip,
            AssignPublicIp::Enabled
        );
        assert!(
            spec.deployment_configuration
                .deployment_circuit_breaker
                .rollback
        );
        assert_eq!(spec.tags[1].key, "owner");
        assert_eq!(spec.tags[1].value, "me");
        // The address round trip keeps everything.
        assert_eq!(ServiceForm::from_fields(&form.to_fields()), form);
    }

    #[test]
    fn problems_are_keyed_for_the_form() {
        let form = ServiceForm::from_fields(&fields(&[
            ("serviceName", "bad name"),
            ("desiredCount", "two"),
            ("circuitBreaker", "off"),
            ("tags", "no-equals"),
        ]));
        let (spec, errors) = form.to_spec();
        assert!(
            !spec
                .deployment_configuration
                .deployment_circuit_breaker
                .enable
        );
        let shown: Vec<(&str, &str)> = errors
            .iter()
            .map(|e| (form_field_for(&e.field), e.message.as_str()))
            .collect();
        for expected in [
            ("desiredCount", "Desired count must be a whole number."),
            ("tags", "Write each tag as key=value (line \"no-equals\")."),
            (
                "subnets",
                "Choose at least one subnet: Fargate tasks run in awsvpc mode.",
            ),
            ("cluster", "Cluster is required."),
            ("family", "Task definition is required."),
        ] {
            assert!(shown.contains(&expected), "{expected:?} not in {shown:?}");
        }
        assert_eq!(
            errors.iter().filter(|e| e.field == "desiredCount").count(),
            1,
            "one message per field"
        );
    }

    #[test]
    fn parse_gives_the_spec_or_what_to_spec_lists() {
        let form = ServiceForm::from_fields(&fields(&[
            ("cluster", "fastapi-cluster"),
            ("serviceName", "fastapi-books"),
            ("family", "fastapi-books"),
            ("revision", "3"),
            ("subnet:subnet-0abc1234", "on"),
        ]));
        let valid = form.parse().unwrap();
        assert_eq!(valid.spec(), &form.to_spec().0);
        assert_eq!(valid.task_definition_ref().to_string(), "fastapi-books:3");

        let broken = ServiceForm {
            desired_count: "two".into(),
            ..form
        };
        let errors = broken.parse().unwrap_err();
        assert_eq!(errors, broken.to_spec().1);
        assert_eq!(
            errors
                .iter()
                .map(|e| (e.field.as_str(), e.message.as_str()))
                .collect::<Vec<_>>(),
            [("desiredCount", "Desired count must be a whole number.")]
        );
    }
}
