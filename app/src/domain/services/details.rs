//! What the pages show of services, their deployments, events and tasks, and the network
//! choices of the create-service form.

use serde::{Deserialize, Serialize};

/// One service in a cluster's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceSummary {
    pub name: String,
    pub arn: String,
    pub status: String,
    pub desired_count: i32,
    pub running_count: i32,
    pub pending_count: i32,
    /// `family:revision`.
    pub task_definition: String,
}

/// One deployment of a service, as DescribeServices reports it: what the service page lists
/// and what the rollout state machine reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Deployment {
    pub id: String,
    /// PRIMARY, ACTIVE or INACTIVE.
    pub status: String,
    /// `family:revision`.
    pub task_definition: String,
    pub desired_count: i32,
    pub running_count: i32,
    pub pending_count: i32,
    pub failed_tasks: i32,
    /// IN_PROGRESS, COMPLETED or FAILED (absent for deployments without a rollout state).
    pub rollout_state: Option<String>,
    pub rollout_state_reason: Option<String>,
    /// RFC 3339, UTC.
    pub created_at: Option<String>,
}

/// One entry of the service's event log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceEvent {
    pub id: String,
    /// RFC 3339, UTC.
    pub created_at: Option<String>,
    pub message: String,
}

/// A task of the service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TaskView {
    /// The last part of the task ARN.
    pub id: String,
    pub last_status: String,
    pub desired_status: String,
    /// `family:revision`.
    pub task_definition: String,
    pub health_status: Option<String>,
    pub stopped_reason: Option<String>,
    pub started_at: Option<String>,
}

/// Everything the service page shows that comes from AWS.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ServiceDetail {
    pub summary: ServiceSummary,
    pub cluster: String,
    pub launch_type: Option<String>,
    pub platform_version: Option<String>,
    pub deployments: Vec<Deployment>,
    /// Newest first.
    pub events: Vec<ServiceEvent>,
    pub tasks: Vec<TaskView>,
}

/// A subnet the create-service form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubnetChoice {
    pub id: String,
    pub vpc_id: String,
    pub availability_zone: String,
    pub cidr_block: String,
    /// The `Name` tag, when there is one.
    pub name: Option<String>,
    pub default_for_az: bool,
}

impl SubnetChoice {
    /// How the picker shows it: `subnet-… · vpc-… · us-east-1a · 172.31.0.0/20`.
    pub fn label(&self) -> String {
        let mut label = format!(
            "{} · {} · {} · {}",
            self.id, self.vpc_id, self.availability_zone, self.cidr_block
        );
        if let Some(name) = &self.name {
            label.push_str(&format!(" · {name}"));
        }
        label
    }
}

/// A security group the create-service form offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityGroupChoice {
    pub id: String,
    pub name: String,
    pub vpc_id: String,
    pub description: String,
}

impl SecurityGroupChoice {
    pub fn label(&self) -> String {
        format!("{} · {} · {}", self.id, self.name, self.vpc_id)
    }
}

/// The network choices of the form; each list that could not be read is a sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkChoices {
    pub subnets: Result<Vec<SubnetChoice>, String>,
    pub security_groups: Result<Vec<SecurityGroupChoice>, String>,
}

/// The answer to a deployment action (create, deploy, scale, force, rollback): the service
/// and the rollout that now watches it. `service.*` history rows record it as their response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeploymentStarted {
    pub service_arn: String,
    pub rollout_id: i64,
    pub cluster: String,
    pub service: String,
    /// `family:revision` the rollout waits for.
    pub task_definition: String,
    pub desired_count: i32,
}

/// The service page: what AWS says and the portal's rollouts of it (newest first).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServicePage {
    pub detail: ServiceDetail,
    pub rollouts: Vec<crate::domain::services::rollouts::Rollout>,
    /// The revision one click on "Roll back" would deploy, if any.
    pub rollback_to: Option<String>,
}
