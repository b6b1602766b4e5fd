//! ECS task definitions: the domain spec to and from the SDK's types, register, list,
//! describe, deregister.

use super::{errors::to_app_error, AwsClients};
use crate::{
    domain::task_definitions::{
        parse_task_definition_arn, ContainerDefinition, EphemeralStorage, HealthCheck,
        KeyValuePair, LogConfiguration, PortMapping, RegisteredTaskDefinition, RevisionSummary,
        RuntimePlatform, Secret, Tag, TaskDefinitionRevision, TaskDefinitionSpec,
        ValidTaskDefinition,
    },
    error::AppError,
};
use aws_sdk_ecs::types as ecs;

/// How many of a family's newest revisions the list describes (who registered them, when).
const DESCRIBED_REVISIONS: usize = 25;

/// A required-field error from an SDK builder. Validation runs first, so this means a bug.
fn build_error(err: aws_sdk_ecs::error::BuildError) -> AppError {
    tracing::error!(error = %err, "could not build an ECS request from a validated spec");
    AppError::Internal
}

fn non_empty(list: &[String]) -> Option<Vec<String>> {
    (!list.is_empty()).then(|| list.to_vec())
}

fn container_to_sdk(c: &ContainerDefinition) -> Result<ecs::ContainerDefinition, AppError> {
    let ports = c
        .port_mappings
        .iter()
        .map(|p| {
            ecs::PortMapping::builder()
                .container_port(p.container_port)
                .set_host_port(p.host_port)
                .set_protocol(p.protocol.as_deref().map(ecs::TransportProtocol::from))
                .set_name(p.name.clone())
                .build()
        })
        .collect::<Vec<_>>();
    let environment = c
        .environment
        .iter()
        .map(|e| {
            ecs::KeyValuePair::builder()
                .name(&e.name)
                .value(&e.value)
                .build()
        })
        .collect::<Vec<_>>();
    let secrets = c
        .secrets
        .iter()
        .map(|s| {
            ecs::Secret::builder()
                .name(&s.name)
                .value_from(&s.value_from)
                .build()
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(build_error)?;
    let health_check = c
        .health_check
        .as_ref()
        .map(|h| {
            ecs::HealthCheck::builder()
                .set_command(Some(h.command.clone()))
                .set_interval(h.interval)
                .set_timeout(h.timeout)
                .set_retries(h.retries)
                .set_start_period(h.start_period)
                .build()
        })
        .transpose()
        .map_err(build_error)?;
    let log_configuration = c
        .log_configuration
        .as_ref()
        .map(|l| {
            ecs::LogConfiguration::builder()
                .log_driver(ecs::LogDriver::from(l.log_driver.as_str()))
                .set_options((!l.options.is_empty()).then(|| {
                    l.options
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                }))
                .build()
        })
        .transpose()
        .map_err(build_error)?;
    Ok(ecs::ContainerDefinition::builder()
        .name(&c.name)
        .image(&c.image)
        .set_essential(c.essential)
        .set_cpu(c.cpu)
        .set_memory(c.memory)
        .set_memory_reservation(c.memory_reservation)
        .set_port_mappings((!ports.is_empty()).then_some(ports))
        .set_environment((!environment.is_empty()).then_some(environment))
        .set_secrets((!secrets.is_empty()).then_some(secrets))
        .set_command(non_empty(&c.command))
        .set_entry_point(non_empty(&c.entry_point))
        .set_health_check(health_check)
        .set_log_configuration(log_configuration)
        .build())
}

fn container_from_sdk(c: &ecs::ContainerDefinition) -> ContainerDefinition {
    ContainerDefinition {
        name: c.name().unwrap_or_default().to_string(),
        image: c.image().unwrap_or_default().to_string(),
        essential: c.essential(),
        // ECS reports 0 for "no reservation"; the spec leaves it out.
        cpu: Some(c.cpu()).filter(|cpu| *cpu != 0),
        memory: c.memory(),
        memory_reservation: c.memory_reservation(),
        port_mappings: c
            .port_mappings()
            .iter()
            .map(|p| PortMapping {
                container_port: p.container_port().unwrap_or_default(),
                host_port: p.host_port(),
                protocol: p.protocol().map(|t| t.as_str().to_string()),
                name: p.name().map(str::to_string),
            })
            .collect(),
        environment: c
            .environment()
            .iter()
            .map(|e| KeyValuePair {
                name: e.name().unwrap_or_default().to_string(),
                value: e.value().unwrap_or_default().to_string(),
            })
            .collect(),
        secrets: c
            .secrets()
            .iter()
            .map(|s| Secret {
                name: s.name().to_string(),
                value_from: s.value_from().to_string(),
            })
            .collect(),
        command: c.command().to_vec(),
        entry_point: c.entry_point().to_vec(),
        health_check: c.health_check().map(|h| HealthCheck {
            command: h.command().to_vec(),
            interval: h.interval(),
            timeout: h.timeout(),
            retries: h.retries(),
            start_period: h.start_period(),
        }),
        log_configuration: c.log_configuration().map(|l| LogConfiguration {
            log_driver: l.log_driver().as_str().to_string(),
            options: l
                .options()
                .map(|o| o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default(),
        }),
    }
}

/// The spec of a registered task definition, in the shape the portal registers.
pub fn spec_from_sdk(td: &ecs::TaskDefinition, tags: &[ecs::Tag]) -> TaskDefinitionSpec {
    TaskDefinitionSpec {
        family: td.family().unwrap_or_default().to_string(),
        task_role_arn: td.task_role_arn().map(str::to_string),
        execution_role_arn: td.execution_role_arn().map(str::to_string),
        network_mode: td.network_mode().map(|m| m.as_str().to_string()),
        requires_compatibilities: td
            .requires_compatibilities()
            .iter()
            .map(|c| c.as_str().to_string())
            .collect(),
        cpu: td.cpu().map(str::to_string),
        memory: td.memory().map(str::to_string),
        ephemeral_storage: td.ephemeral_storage().map(|e| EphemeralStorage {
            size_in_gi_b: e.size_in_gib(),
        }),
        runtime_platform: td.runtime_platform().map(|p| RuntimePlatform {
            operating_system_family: p.operating_system_family().map(|o| o.as_str().to_string()),
            cpu_architecture: p.cpu_architecture().map(|a| a.as_str().to_string()),
        }),
        container_definitions: td
            .container_definitions()
            .iter()
            .map(container_from_sdk)
            .collect(),
        tags: tags
            .iter()
            .map(|t| Tag {
                key: t.key().unwrap_or_default().to_string(),
                value: t.value().unwrap_or_default().to_string(),
            })
            .collect(),
    }
}

fn registered_at(td: &ecs::TaskDefinition) -> Option<String> {
    td.registered_at().and_then(|t| {
        t.fmt(aws_sdk_ecs::primitives::DateTimeFormat::DateTime)
            .ok()
    })
}

impl AwsClients {
    /// RegisterTaskDefinition for a valid spec.
    pub async fn register_task_definition(
        &self,
        spec: &ValidTaskDefinition,
    ) -> Result<RegisteredTaskDefinition, AppError> {
        let containers = spec
            .container_definitions
            .iter()
            .map(container_to_sdk)
            .collect::<Result<Vec<_>, _>>()?;
        let ephemeral = spec.ephemeral_storage.as_ref().map(|e| {
            ecs::EphemeralStorage::builder()
                .size_in_gib(e.size_in_gi_b)
                .build()
        });
        let platform = spec.runtime_platform.as_ref().map(|p| {
            ecs::RuntimePlatform::builder()
                .set_operating_system_family(
                    p.operating_system_family
                        .as_deref()
                        .map(ecs::OsFamily::from),
                )
                .set_cpu_architecture(
                    p.cpu_architecture
                        .as_deref()
                        .map(ecs::CpuArchitecture::from),
                )
                .build()
        });
        let tags: Vec<ecs::Tag> = spec
            .tags
            .iter()
            .map(|t| ecs::Tag::builder().key(&t.key).value(&t.value).build())
            .collect();
        let answer = self
            .ecs
            .register_task_definition()
            .family(&spec.family)
            .set_task_role_arn(spec.task_role_arn.clone())
            .set_execution_role_arn(spec.execution_role_arn.clone())
            .set_network_mode(spec.network_mode.as_deref().map(ecs::NetworkMode::from))
            .set_requires_compatibilities(Some(
                spec.requires_compatibilities
                    .iter()
                    .map(|c| ecs::Compatibility::from(c.as_str()))
                    .collect(),
            ))
            .set_cpu(spec.cpu.clone())
            .set_memory(spec.memory.clone())
            .set_ephemeral_storage(ephemeral)
            .set_runtime_platform(platform)
            .set_container_definitions(Some(containers))
            .set_tags((!tags.is_empty()).then_some(tags))
            .send()
            .await
            .map_err(|e| to_app_error("RegisterTaskDefinition", &e, self.endpoint_label()))?;
        let td = answer.task_definition().ok_or_else(|| {
            tracing::error!("RegisterTaskDefinition answered without a task definition");
            AppError::Internal
        })?;
        Ok(RegisteredTaskDefinition {
            task_definition_arn: td.task_definition_arn().unwrap_or_default().to_string(),
            family: td.family().unwrap_or_default().to_string(),
            revision: td.revision(),
            log_groups_created: vec![],
        })
    }

    /// Every family with at least one ACTIVE revision, sorted.
    pub async fn list_task_definition_families(&self) -> Result<Vec<String>, AppError> {
        let mut families = Vec::new();
        let mut pages = self
            .ecs
            .list_task_definition_families()
            .status(ecs::TaskDefinitionFamilyStatus::Active)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| {
                to_app_error("ListTaskDefinitionFamilies", &e, self.endpoint_label())
            })?;
            families.extend(page.families().iter().cloned());
        }
        families.sort();
        Ok(families)
    }

    /// The revisions of `family`, newest first, active and deregistered.
    pub async fn list_task_definition_revisions(
        &self,
        family: &str,
    ) -> Result<Vec<RevisionSummary>, AppError> {
        let mut revisions = Vec::new();
        for status in [
            ecs::TaskDefinitionStatus::Active,
            ecs::TaskDefinitionStatus::Inactive,
        ] {
            let mut pages = self
                .ecs
                .list_task_definitions()
                .family_prefix(family)
                .status(status.clone())
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page
                    .map_err(|e| to_app_error("ListTaskDefinitions", &e, self.endpoint_label()))?;
                for arn in page.task_definition_arns() {
                    // familyPrefix matches prefixes: keep this family only.
                    if let Some((f, revision)) = parse_task_definition_arn(arn) {
                        if f == family {
                            revisions.push(RevisionSummary {
                                task_definition_arn: arn.clone(),
                                revision,
                                status: status.as_str().to_string(),
                                registered_at: None,
                                registered_by: None,
                            });
                        }
                    }
                }
            }
        }
        revisions.sort_by_key(|r| std::cmp::Reverse(r.revision));
        // When and by whom, for the newest revisions: DescribeTaskDefinition each, at once.
        let mut described = tokio::task::JoinSet::new();
        for (index, revision) in revisions.iter().enumerate().take(DESCRIBED_REVISIONS) {
            let ecs = self.ecs.clone();
            let arn = revision.task_definition_arn.clone();
            described.spawn(async move {
                let answer = ecs
                    .describe_task_definition()
                    .task_definition(arn)
                    .send()
                    .await;
                (index, answer)
            });
        }
        while let Some(joined) = described.join_next().await {
            let Ok((index, answer)) = joined else {
                continue;
            };
            let answer = answer
                .map_err(|e| to_app_error("DescribeTaskDefinition", &e, self.endpoint_label()))?;
            if let Some(td) = answer.task_definition() {
                revisions[index].registered_at = registered_at(td);
                revisions[index].registered_by = td.registered_by().map(str::to_string);
            }
        }
        Ok(revisions)
    }

    /// One revision with its definition and tags; `None` when ECS does not know it.
    pub async fn describe_task_definition(
        &self,
        family: &str,
        revision: i32,
    ) -> Result<Option<TaskDefinitionRevision>, AppError> {
        let answer = self
            .ecs
            .describe_task_definition()
            .task_definition(format!("{family}:{revision}"))
            .include(ecs::TaskDefinitionField::Tags)
            .send()
            .await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(err) => {
                let err = to_app_error("DescribeTaskDefinition", &err, self.endpoint_label());
                // ECS answers an unknown revision with ClientException.
                return match err {
                    AppError::Aws { ref code, .. } if code == "ClientException" => Ok(None),
                    other => Err(other),
                };
            }
        };
        Ok(answer.task_definition().map(|td| TaskDefinitionRevision {
            task_definition_arn: td.task_definition_arn().unwrap_or_default().to_string(),
            family: td.family().unwrap_or_default().to_string(),
            revision: td.revision(),
            status: td
                .status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            registered_at: registered_at(td),
            registered_by: td.registered_by().map(str::to_string),
            spec: spec_from_sdk(td, answer.tags()),
        }))
    }

    /// DeregisterTaskDefinition; answers the revision as it is afterwards (INACTIVE).
    pub async fn deregister_task_definition(
        &self,
        family: &str,
        revision: i32,
    ) -> Result<RevisionSummary, AppError> {
        let answer = self
            .ecs
            .deregister_task_definition()
            .task_definition(format!("{family}:{revision}"))
            .send()
            .await
            .map_err(|e| to_app_error("DeregisterTaskDefinition", &e, self.endpoint_label()))?;
        let td = answer.task_definition().ok_or(AppError::Internal)?;
        Ok(RevisionSummary {
            task_definition_arn: td.task_definition_arn().unwrap_or_default().to_string(),
            revision: td.revision(),
            status: td
                .status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            registered_at: registered_at(td),
            registered_by: td.registered_by().map(str::to_string),
        })
    }
}
