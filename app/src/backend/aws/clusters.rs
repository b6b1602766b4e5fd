//! ECS clusters: ListClusters, DescribeClusters, CreateCluster.

use super::{errors::to_app_error, AwsClients};
use crate::{
    domain::clusters::ClusterSummary,
    error::{AppError, FieldError},
};
use aws_sdk_ecs::types::Cluster;

/// DescribeClusters takes at most this many names per call.
const DESCRIBE_BATCH: usize = 100;

fn summary(cluster: &Cluster) -> ClusterSummary {
    ClusterSummary {
        name: cluster.cluster_name().unwrap_or_default().to_string(),
        arn: cluster.cluster_arn().unwrap_or_default().to_string(),
        status: cluster.status().unwrap_or("UNKNOWN").to_string(),
        running_tasks: cluster.running_tasks_count(),
        pending_tasks: cluster.pending_tasks_count(),
        active_services: cluster.active_services_count(),
    }
}

impl AwsClients {
    /// Every cluster with its counts, sorted by name.
    pub async fn list_clusters(&self) -> Result<Vec<ClusterSummary>, AppError> {
        let mut arns = Vec::new();
        let mut pages = self.ecs.list_clusters().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| to_app_error("ListClusters", &e, self.endpoint_label()))?;
            arns.extend(page.cluster_arns().iter().cloned());
        }
        let mut clusters = Vec::with_capacity(arns.len());
        for batch in arns.chunks(DESCRIBE_BATCH) {
            let described = self
                .ecs
                .describe_clusters()
                .set_clusters(Some(batch.to_vec()))
                .send()
                .await
                .map_err(|e| to_app_error("DescribeClusters", &e, self.endpoint_label()))?;
            clusters.extend(described.clusters().iter().map(summary));
        }
        clusters.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(clusters)
    }

    /// The cluster named `name` if it exists and is not deleted.
    pub async fn find_active_cluster(
        &self,
        name: &str,
    ) -> Result<Option<ClusterSummary>, AppError> {
        let described = self
            .ecs
            .describe_clusters()
            .clusters(name)
            .send()
            .await
            .map_err(|e| to_app_error("DescribeClusters", &e, self.endpoint_label()))?;
        Ok(described
            .clusters()
            .iter()
            .map(summary)
            .find(|c| c.name == name && c.status != "INACTIVE"))
    }

    /// Creates a cluster. ECS answers CreateCluster for an existing name with that cluster,
    /// which would read as success; the portal refuses the name instead.
    pub async fn create_cluster(&self, name: &str) -> Result<ClusterSummary, AppError> {
        if self.find_active_cluster(name).await?.is_some() {
            return Err(AppError::Conflict {
                message: "The cluster name is already in use.".to_string(),
                errors: vec![
                    FieldError::new("clusterName", "The cluster name is already in use.")
                        .with_rejected(name),
                ],
            });
        }
        let created = self
            .ecs
            .create_cluster()
            .cluster_name(name)
            .send()
            .await
            .map_err(|e| to_app_error("CreateCluster", &e, self.endpoint_label()))?;
        created.cluster().map(summary).ok_or_else(|| {
            tracing::error!(name, "CreateCluster answered without a cluster");
            AppError::Internal
        })
    }
}
