//! ECR repositories and images for the task definition form's image picker.

use super::{errors::to_app_error, AwsClients};
use crate::{domain::images::ImageChoice, error::AppError};

/// Images offered per repository, newest first.
const IMAGES_PER_REPOSITORY: usize = 20;

impl AwsClients {
    /// The newest images of every repository, each with its tag (if any), digest and push time.
    pub async fn list_images(&self) -> Result<Vec<ImageChoice>, AppError> {
        let mut choices = Vec::new();
        let mut repositories = self.ecr.describe_repositories().into_paginator().send();
        while let Some(page) = repositories.next().await {
            let page =
                page.map_err(|e| to_app_error("DescribeRepositories", &e, self.endpoint_label()))?;
            for repository in page.repositories() {
                let (Some(name), Some(uri)) =
                    (repository.repository_name(), repository.repository_uri())
                else {
                    continue;
                };
                let mut images = Vec::new();
                let mut pages = self
                    .ecr
                    .describe_images()
                    .repository_name(name)
                    .into_paginator()
                    .send();
                while let Some(page) = pages.next().await {
                    let page = page
                        .map_err(|e| to_app_error("DescribeImages", &e, self.endpoint_label()))?;
                    images.extend(page.image_details().iter().cloned());
                }
                images.sort_by_key(|d| std::cmp::Reverse(d.image_pushed_at().map(|t| t.secs())));
                for detail in images.into_iter().take(IMAGES_PER_REPOSITORY) {
                    let Some(digest) = detail.image_digest() else {
                        continue;
                    };
                    let pushed_at = detail.image_pushed_at().and_then(|t| {
                        t.fmt(aws_sdk_ecr::primitives::DateTimeFormat::DateTime)
                            .ok()
                    });
                    let tags: Vec<Option<String>> = if detail.image_tags().is_empty() {
                        vec![None]
                    } else {
                        detail.image_tags().iter().cloned().map(Some).collect()
                    };
                    for tag in tags {
                        choices.push(ImageChoice {
                            repository_uri: uri.to_string(),
                            tag,
                            digest: digest.to_string(),
                            pushed_at: pushed_at.clone(),
                        });
                    }
                }
            }
        }
        Ok(choices)
    }
}
