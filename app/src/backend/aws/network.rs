//! EC2 networking the create-service form offers and checks: DescribeSubnets (with VPC, AZ
//! and CIDR) and DescribeSecurityGroups.

use super::{errors::to_app_error, AwsClients};
use crate::{
    domain::services::{AwsVpcConfiguration, SecurityGroupChoice, SubnetChoice},
    error::{AppError, FieldError},
};
use aws_sdk_ec2::types::Filter;

fn name_tag(tags: &[aws_sdk_ec2::types::Tag]) -> Option<String> {
    tags.iter()
        .find(|t| t.key() == Some("Name"))
        .and_then(|t| t.value())
        .map(str::to_string)
}

impl AwsClients {
    /// Subnets, optionally only those with the given ids, sorted by VPC then AZ.
    pub async fn list_subnets(
        &self,
        ids: Option<&[String]>,
    ) -> Result<Vec<SubnetChoice>, AppError> {
        let mut request = self.ec2.describe_subnets();
        if let Some(ids) = ids {
            request = request.filters(
                Filter::builder()
                    .name("subnet-id")
                    .set_values(Some(ids.to_vec()))
                    .build(),
            );
        }
        let mut pages = request.into_paginator().send();
        let mut subnets = Vec::new();
        while let Some(page) = pages.next().await {
            let page =
                page.map_err(|e| to_app_error("DescribeSubnets", &e, self.endpoint_label()))?;
            subnets.extend(page.subnets().iter().map(|s| SubnetChoice {
                id: s.subnet_id().unwrap_or_default().to_string(),
                vpc_id: s.vpc_id().unwrap_or_default().to_string(),
                availability_zone: s.availability_zone().unwrap_or_default().to_string(),
                cidr_block: s.cidr_block().unwrap_or_default().to_string(),
                name: name_tag(s.tags()),
                default_for_az: s.default_for_az().unwrap_or(false),
            }));
        }
        subnets.sort_by(|a, b| {
            (&a.vpc_id, &a.availability_zone, &a.id).cmp(&(&b.vpc_id, &b.availability_zone, &b.id))
        });
        Ok(subnets)
    }

    /// Security groups, optionally only those with the given ids, sorted by VPC then name.
    pub async fn list_security_groups(
        &self,
        ids: Option<&[String]>,
    ) -> Result<Vec<SecurityGroupChoice>, AppError> {
        let mut request = self.ec2.describe_security_groups();
        if let Some(ids) = ids {
            request = request.filters(
                Filter::builder()
                    .name("group-id")
                    .set_values(Some(ids.to_vec()))
                    .build(),
            );
        }
        let mut pages = request.into_paginator().send();
        let mut groups = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page
                .map_err(|e| to_app_error("DescribeSecurityGroups", &e, self.endpoint_label()))?;
            groups.extend(page.security_groups().iter().map(|g| SecurityGroupChoice {
                id: g.group_id().unwrap_or_default().to_string(),
                name: g.group_name().unwrap_or_default().to_string(),
                vpc_id: g.vpc_id().unwrap_or_default().to_string(),
                description: g.description().unwrap_or_default().to_string(),
            }));
        }
        groups.sort_by(|a, b| (&a.vpc_id, &a.name).cmp(&(&b.vpc_id, &b.name)));
        Ok(groups)
    }

    /// Checks that every subnet and security group exists and that they share one VPC, so a
    /// mistyped id is named before ECS is asked (emulators do not always check).
    pub async fn check_network(&self, vpc: &AwsVpcConfiguration) -> Result<(), AppError> {
        const SUBNETS: &str = "networkConfiguration.awsvpcConfiguration.subnets";
        const GROUPS: &str = "networkConfiguration.awsvpcConfiguration.securityGroups";
        let subnets = self.list_subnets(Some(&vpc.subnets)).await?;
        let groups = if vpc.security_groups.is_empty() {
            Vec::new()
        } else {
            self.list_security_groups(Some(&vpc.security_groups))
                .await?
        };
        let mut errors = Vec::new();
        for (i, id) in vpc.subnets.iter().enumerate() {
            if !subnets.iter().any(|s| &s.id == id) {
                errors.push(
                    FieldError::new(
                        format!("{SUBNETS}[{i}]"),
                        format!("Subnet {id} does not exist in this account and region."),
                    )
                    .with_rejected(id),
                );
            }
        }
        for (i, id) in vpc.security_groups.iter().enumerate() {
            if !groups.iter().any(|g| &g.id == id) {
                errors.push(
                    FieldError::new(
                        format!("{GROUPS}[{i}]"),
                        format!("Security group {id} does not exist in this account and region."),
                    )
                    .with_rejected(id),
                );
            }
        }
        if errors.is_empty() {
            let vpc_id = subnets
                .first()
                .map(|s| s.vpc_id.as_str())
                .unwrap_or_default();
            if subnets.iter().any(|s| s.vpc_id != vpc_id) {
                errors.push(FieldError::new(
                    SUBNETS,
                    "The subnets belong to different VPCs; choose subnets of one VPC.",
                ));
            }
            for (i, id) in vpc.security_groups.iter().enumerate() {
                let group = groups.iter().find(|g| &g.id == id);
                if let Some(group) = group.filter(|g| g.vpc_id != vpc_id) {
                    errors.push(FieldError::new(
                        format!("{GROUPS}[{i}]"),
                        format!(
                            "Security group {} belongs to {}, not to the subnets' VPC {vpc_id}.",
                            group.id, group.vpc_id
                        ),
                    ));
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::validation(errors))
        }
    }
}
