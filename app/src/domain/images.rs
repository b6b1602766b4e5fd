//! Container images in ECR, as the task definition form offers them.

use serde::{Deserialize, Serialize};

/// One image of a repository: pick it by tag or pin its digest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageChoice {
    /// `123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books`
    pub repository_uri: String,
    pub tag: Option<String>,
    /// `sha256:...`
    pub digest: String,
    /// RFC 3339.
    pub pushed_at: Option<String>,
}

impl ImageChoice {
    /// `uri:tag`, when the image has a tag.
    pub fn by_tag(&self) -> Option<String> {
        self.tag
            .as_ref()
            .map(|t| format!("{}:{t}", self.repository_uri))
    }

    /// `uri@sha256:...`: this exact image, whatever the tag points to later.
    pub fn by_digest(&self) -> String {
        format!("{}@{}", self.repository_uri, self.digest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        let image = ImageChoice {
            repository_uri: "123456789012.dkr.ecr.us-east-1.amazonaws.com/app".into(),
            tag: Some("1.4".into()),
            digest: format!("sha256:{}", "a".repeat(64)),
            pushed_at: None,
        };
        assert_eq!(
            image.by_tag().unwrap(),
            "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1.4"
        );
        assert!(image
            .by_digest()
            .ends_with(&format!("/app@sha256:{}", "a".repeat(64))));
        assert!(
            crate::domain::task_definitions::validate_image_reference(&image.by_digest()).is_ok()
        );
        assert!(crate::domain::task_definitions::validate_image_reference(
            &image.by_tag().unwrap()
        )
        .is_ok());
    }
}
