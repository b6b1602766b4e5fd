//! ECS services: CreateService, DescribeServices, UpdateService, DeleteService,
//! ListServices, and the service's tasks (ListTasks + DescribeTasks).

use super::{errors::to_app_error, AwsClients};
use crate::{
    domain::{
        services::rollouts::ServiceSnapshot,
        services::{
            task_definition_key, Deployment, ServiceDetail, ServiceEvent, ServiceSummary, TaskView,
            ValidServiceSpec,
        },
    },
    error::{AppError, FieldError},
};
use aws_sdk_ecs::{primitives::DateTimeFormat, types as ecs};
use std::collections::HashMap;

/// DescribeServices takes at most this many services per call, DescribeTasks this many tasks.
pub const DESCRIBE_SERVICES_BATCH: usize = 10;
const DESCRIBE_TASKS_BATCH: usize = 100;
/// Events the service page shows.
const EVENTS_SHOWN: usize = 20;

fn time(t: Option<&aws_sdk_ecs::primitives::DateTime>) -> Option<String> {
    t.and_then(|t| t.fmt(DateTimeFormat::DateTime).ok())
}

fn summary(service: &ecs::Service) -> ServiceSummary {
    ServiceSummary {
        name: service.service_name().unwrap_or_default().to_string(),
        arn: service.service_arn().unwrap_or_default().to_string(),
        status: service.status().unwrap_or("UNKNOWN").to_string(),
        desired_count: service.desired_count(),
        running_count: service.running_count(),
        pending_count: service.pending_count(),
        task_definition: task_definition_key(service.task_definition().unwrap_or_default())
            .to_string(),
    }
}

fn deployment(d: &ecs::Deployment) -> Deployment {
    Deployment {
        id: d.id().unwrap_or_default().to_string(),
        status: d.status().unwrap_or_default().to_string(),
        task_definition: task_definition_key(d.task_definition().unwrap_or_default()).to_string(),
        desired_count: d.desired_count(),
        running_count: d.running_count(),
        pending_count: d.pending_count(),
        failed_tasks: d.failed_tasks(),
        rollout_state: d.rollout_state().map(|s| s.as_str().to_string()),
        rollout_state_reason: d.rollout_state_reason().map(str::to_string),
        created_at: time(d.created_at()),
    }
}

/// What the rollout state machine reads of a service.
fn snapshot(service: &ecs::Service) -> ServiceSnapshot {
    ServiceSnapshot {
        status: service.status().unwrap_or("UNKNOWN").to_string(),
        desired_count: service.desired_count(),
        running_count: service.running_count(),
        pending_count: service.pending_count(),
        task_definition: service.task_definition().unwrap_or_default().to_string(),
        deployments: service.deployments().iter().map(deployment).collect(),
    }
}

fn task_view(task: &ecs::Task) -> TaskView {
    let arn = task.task_arn().unwrap_or_default();
    TaskView {
        id: arn.rsplit('/').next().unwrap_or(arn).to_string(),
        last_status: task.last_status().unwrap_or("UNKNOWN").to_string(),
        desired_status: task.desired_status().unwrap_or("UNKNOWN").to_string(),
        task_definition: task_definition_key(task.task_definition_arn().unwrap_or_default())
            .to_string(),
        health_status: task.health_status().map(|h| h.as_str().to_string()),
        stopped_reason: task.stopped_reason().map(str::to_string),
        started_at: time(task.started_at()),
    }
}

/// What UpdateService should change.
#[derive(Clone, Debug, Default)]
pub struct ServiceUpdate {
    pub task_definition: Option<String>,
    pub desired_count: Option<i32>,
    pub force_new_deployment: bool,
}

impl AwsClients {
    fn ecs_error<E, R>(&self, operation: &str, err: &aws_sdk_ecs::error::SdkError<E, R>) -> AppError
    where
        E: aws_sdk_ecs::error::ProvideErrorMetadata + std::error::Error + 'static,
        R: std::fmt::Debug,
    {
        to_app_error(operation, err, self.endpoint_label())
    }

    /// What the rollout state machine reads of up to 10 services of one cluster: each name
    /// maps to its snapshot, or to `None` when ECS does not know it (or the cluster is gone).
    pub async fn service_snapshots(
        &self,
        cluster: &str,
        names: &[String],
    ) -> Result<HashMap<String, Option<ServiceSnapshot>>, AppError> {
        let described = self.describe_services(cluster, names).await?;
        Ok(described
            .into_iter()
            .map(|(name, service)| (name, service.as_ref().map(snapshot)))
            .collect())
    }

    /// DescribeServices for up to 10 names of one cluster: each name maps to the service,
    /// or to `None` when ECS does not know it (or the cluster is gone).
    async fn describe_services(
        &self,
        cluster: &str,
        names: &[String],
    ) -> Result<HashMap<String, Option<ecs::Service>>, AppError> {
        let mut found: HashMap<String, Option<ecs::Service>> =
            names.iter().map(|n| (n.clone(), None)).collect();
        if names.is_empty() {
            return Ok(found);
        }
        let described = match self
            .ecs
            .describe_services()
            .cluster(cluster)
            .set_services(Some(names.to_vec()))
            .send()
            .await
        {
            Ok(described) => described,
            Err(err)
                if aws_sdk_ecs::error::ProvideErrorMetadata::code(&err)
                    == Some("ClusterNotFoundException") =>
            {
                return Ok(found)
            }
            Err(err) => return Err(self.ecs_error("DescribeServices", &err)),
        };
        for service in described.services() {
            let name = service.service_name().unwrap_or_default();
            if let Some(slot) = found.get_mut(name) {
                *slot = Some(service.clone());
            }
        }
        Ok(found)
    }

    /// The service if ECS knows it and it is ACTIVE (not draining or deleted).
    async fn active_service(
        &self,
        cluster: &str,
        name: &str,
    ) -> Result<Option<ecs::Service>, AppError> {
        let mut found = self.describe_services(cluster, &[name.to_string()]).await?;
        Ok(found
            .remove(name)
            .flatten()
            .filter(|s| s.status() == Some("ACTIVE")))
    }

    /// The service's summary and state-machine snapshot, when it is ACTIVE.
    pub async fn find_active_service(
        &self,
        cluster: &str,
        name: &str,
    ) -> Result<Option<(ServiceSummary, ServiceSnapshot)>, AppError> {
        Ok(self
            .active_service(cluster, name)
            .await?
            .map(|s| (summary(&s), snapshot(&s))))
    }

    /// Every service of a cluster that is not deleted, sorted by name.
    pub async fn list_services(&self, cluster: &str) -> Result<Vec<ServiceSummary>, AppError> {
        let mut arns = Vec::new();
        let mut pages = self
            .ecs
            .list_services()
            .cluster(cluster)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.ecs_error("ListServices", &e))?;
            arns.extend(page.service_arns().iter().cloned());
        }
        let mut services = Vec::with_capacity(arns.len());
        for batch in arns.chunks(DESCRIBE_SERVICES_BATCH) {
            let described = self
                .ecs
                .describe_services()
                .cluster(cluster)
                .set_services(Some(batch.to_vec()))
                .send()
                .await
                .map_err(|e| self.ecs_error("DescribeServices", &e))?;
            // Deleted services linger as INACTIVE (moto keeps listing them): not shown.
            services.extend(
                described
                    .services()
                    .iter()
                    .filter(|s| s.status() != Some("INACTIVE"))
                    .map(summary),
            );
        }
        services.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(services)
    }

    /// The service with its deployments, newest events and tasks; `None` if it is not ACTIVE.
    pub async fn service_detail(
        &self,
        cluster: &str,
        name: &str,
    ) -> Result<Option<ServiceDetail>, AppError> {
        let Some(service) = self.active_service(cluster, name).await? else {
            return Ok(None);
        };
        let tasks = self.service_tasks(cluster, name).await?;
        Ok(Some(ServiceDetail {
            summary: summary(&service),
            cluster: cluster.to_string(),
            launch_type: service.launch_type().map(|l| l.as_str().to_string()),
            platform_version: service.platform_version().map(str::to_string),
            deployments: service.deployments().iter().map(deployment).collect(),
            events: service
                .events()
                .iter()
                .take(EVENTS_SHOWN)
                .map(|e| ServiceEvent {
                    id: e.id().unwrap_or_default().to_string(),
                    created_at: time(e.created_at()),
                    message: e.message().unwrap_or_default().to_string(),
                })
                .collect(),
            tasks,
        }))
    }

    /// The service's tasks, running and recently stopped (ListTasks + DescribeTasks).
    async fn service_tasks(&self, cluster: &str, name: &str) -> Result<Vec<TaskView>, AppError> {
        let mut arns = Vec::new();
        for status in [ecs::DesiredStatus::Running, ecs::DesiredStatus::Stopped] {
            let mut pages = self
                .ecs
                .list_tasks()
                .cluster(cluster)
                .service_name(name)
                .desired_status(status)
                .into_paginator()
                .send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| self.ecs_error("ListTasks", &e))?;
                arns.extend(page.task_arns().iter().cloned());
            }
        }
        let mut tasks = Vec::with_capacity(arns.len());
        for batch in arns.chunks(DESCRIBE_TASKS_BATCH) {
            let described = self
                .ecs
                .describe_tasks()
                .cluster(cluster)
                .set_tasks(Some(batch.to_vec()))
                .send()
                .await
                .map_err(|e| self.ecs_error("DescribeTasks", &e))?;
            tasks.extend(described.tasks().iter().map(task_view));
        }
        Ok(tasks)
    }

    /// CreateService for a valid spec. ECS (and moto) would replace or answer an
    /// existing service of that name; the portal refuses the name instead.
    pub async fn create_service(
        &self,
        spec: &ValidServiceSpec,
    ) -> Result<ServiceSummary, AppError> {
        if self.find_active_cluster(&spec.cluster).await?.is_none() {
            return Err(AppError::validation(vec![FieldError::new(
                "cluster",
                format!("There is no active cluster named {}.", spec.cluster),
            )
            .with_rejected(&spec.cluster)]));
        }
        if self
            .active_service(&spec.cluster, &spec.service_name)
            .await?
            .is_some()
        {
            let message = format!(
                "A service named {} already exists in the cluster {}.",
                spec.service_name, spec.cluster
            );
            return Err(AppError::Conflict {
                errors: vec![FieldError::new("serviceName", message.clone())
                    .with_rejected(&spec.service_name)],
                message,
            });
        }
        self.check_network(&spec.network_configuration.awsvpc_configuration)
            .await?;
        let vpc = &spec.network_configuration.awsvpc_configuration;
        let awsvpc = ecs::AwsVpcConfiguration::builder()
            .set_subnets(Some(vpc.subnets.clone()))
            .set_security_groups(Some(vpc.security_groups.clone()))
            .assign_public_ip(ecs::AssignPublicIp::from(vpc.assign_public_ip.as_str()))
            .build()
            .map_err(|err| {
                tracing::error!(error = %err, "awsvpc configuration could not be built");
                AppError::Internal
            })?;
        let deployment = &spec.deployment_configuration;
        let created = self
            .ecs
            .create_service()
            .cluster(&spec.cluster)
            .service_name(&spec.service_name)
            .task_definition(&spec.task_definition)
            .desired_count(spec.desired_count)
            .launch_type(ecs::LaunchType::Fargate)
            .set_platform_version(spec.platform_version.clone())
            .network_configuration(
                ecs::NetworkConfiguration::builder()
                    .awsvpc_configuration(awsvpc)
                    .build(),
            )
            .deployment_configuration(
                ecs::DeploymentConfiguration::builder()
                    .deployment_circuit_breaker(
                        ecs::DeploymentCircuitBreaker::builder()
                            .enable(deployment.deployment_circuit_breaker.enable)
                            .rollback(deployment.deployment_circuit_breaker.rollback)
                            .build(),
                    )
                    .minimum_healthy_percent(deployment.minimum_healthy_percent)
                    .maximum_percent(deployment.maximum_percent)
                    .build(),
            )
            .set_health_check_grace_period_seconds(spec.health_check_grace_period_seconds)
            .set_tags((!spec.tags.is_empty()).then(|| {
                spec.tags
                    .iter()
                    .map(|t| ecs::Tag::builder().key(&t.key).value(&t.value).build())
                    .collect()
            }))
            .send()
            .await
            .map_err(|e| self.ecs_error("CreateService", &e))?;
        created.service().map(summary).ok_or_else(|| {
            tracing::error!("CreateService answered without a service");
            AppError::Internal
        })
    }

    /// UpdateService: a new revision, a desired count and/or a forced new deployment.
    pub async fn update_service(
        &self,
        cluster: &str,
        name: &str,
        update: &ServiceUpdate,
    ) -> Result<ServiceSummary, AppError> {
        let updated = self
            .ecs
            .update_service()
            .cluster(cluster)
            .service(name)
            .set_task_definition(update.task_definition.clone())
            .set_desired_count(update.desired_count)
            .set_force_new_deployment(update.force_new_deployment.then_some(true))
            .send()
            .await
            .map_err(|e| self.ecs_error("UpdateService", &e))?;
        updated.service().map(summary).ok_or_else(|| {
            tracing::error!("UpdateService answered without a service");
            AppError::Internal
        })
    }

    /// Scales the service to 0, then deletes it.
    pub async fn delete_service(
        &self,
        cluster: &str,
        name: &str,
    ) -> Result<ServiceSummary, AppError> {
        self.update_service(
            cluster,
            name,
            &ServiceUpdate {
                desired_count: Some(0),
                ..ServiceUpdate::default()
            },
        )
        .await?;
        let deleted = self
            .ecs
            .delete_service()
            .cluster(cluster)
            .service(name)
            .send()
            .await
            .map_err(|e| self.ecs_error("DeleteService", &e))?;
        deleted.service().map(summary).ok_or_else(|| {
            tracing::error!("DeleteService answered without a service");
            AppError::Internal
        })
    }
}
