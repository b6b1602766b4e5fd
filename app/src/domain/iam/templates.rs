//! Least-privilege policy templates: the user names one resource and gets the document
//! granting just the actions a task usually needs on it. The result is ordinary JSON the
//! user may edit freely.

use super::policy::POLICY_VERSION;
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template {
    DynamoDbTableReadWrite,
    S3BucketRead,
    S3BucketReadWrite,
    SqsSendReceive,
    SecretsManagerSecret,
    SsmParametersByPath,
}

impl Template {
    pub const ALL: [Template; 6] = [
        Template::DynamoDbTableReadWrite,
        Template::S3BucketRead,
        Template::S3BucketReadWrite,
        Template::SqsSendReceive,
        Template::SecretsManagerSecret,
        Template::SsmParametersByPath,
    ];

    /// The value of the template select.
    pub fn id(self) -> &'static str {
        match self {
            Template::DynamoDbTableReadWrite => "dynamodb-table-read-write",
            Template::S3BucketRead => "s3-bucket-read",
            Template::S3BucketReadWrite => "s3-bucket-read-write",
            Template::SqsSendReceive => "sqs-send-receive",
            Template::SecretsManagerSecret => "secretsmanager-secret",
            Template::SsmParametersByPath => "ssm-parameters-by-path",
        }
    }

    pub fn parse(id: &str) -> Option<Template> {
        Template::ALL.into_iter().find(|t| t.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Template::DynamoDbTableReadWrite => "DynamoDB table: read and write items",
            Template::S3BucketRead => "S3 bucket: read objects",
            Template::S3BucketReadWrite => "S3 bucket: read and write objects",
            Template::SqsSendReceive => "SQS queue: send and receive messages",
            Template::SecretsManagerSecret => "Secrets Manager: read one secret",
            Template::SsmParametersByPath => "SSM Parameter Store: read parameters under a path",
        }
    }

    /// What the resource name input asks for.
    pub fn resource_hint(self) -> &'static str {
        match self {
            Template::DynamoDbTableReadWrite => "table name, e.g. books",
            Template::S3BucketRead | Template::S3BucketReadWrite => "bucket name",
            Template::SqsSendReceive => "queue name",
            Template::SecretsManagerSecret => "secret name, e.g. prod/books/db",
            Template::SsmParametersByPath => "path, e.g. /books/prod",
        }
    }

    /// The policy document for `resource` in `region` and `account`.
    pub fn document(self, resource: &str, region: &str, account: &str) -> Result<Value, String> {
        let resource = resource.trim();
        if resource.is_empty() {
            return Err(format!("Enter the {}.", self.resource_hint()));
        }
        if let Some(bad) = resource
            .chars()
            .find(|c| c.is_whitespace() || matches!(c, '*' | '?' | '"' | ':'))
        {
            return Err(format!(
                "A resource name for a template may not contain \"{bad}\"; edit the JSON for patterns."
            ));
        }
        let statement = |actions: &[&str], resource: Value| json!({"Effect": "Allow", "Action": actions, "Resource": resource});
        let statements = match self {
            Template::DynamoDbTableReadWrite => vec![statement(
                &[
                    "dynamodb:GetItem",
                    "dynamodb:PutItem",
                    "dynamodb:Query",
                    "dynamodb:Scan",
                ],
                json!(format!(
                    "arn:aws:dynamodb:{region}:{account}:table/{resource}"
                )),
            )],
            Template::S3BucketRead | Template::S3BucketReadWrite => {
                let objects = if self == Template::S3BucketRead {
                    vec!["s3:GetObject"]
                } else {
                    vec!["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
                };
                vec![
                    statement(
                        &["s3:ListBucket"],
                        json!(format!("arn:aws:s3:::{resource}")),
                    ),
                    statement(&objects, json!(format!("arn:aws:s3:::{resource}/*"))),
                ]
            }
            Template::SqsSendReceive => vec![statement(
                &[
                    "sqs:SendMessage",
                    "sqs:ReceiveMessage",
                    "sqs:DeleteMessage",
                    "sqs:ChangeMessageVisibility",
                    "sqs:GetQueueAttributes",
                ],
                json!(format!("arn:aws:sqs:{region}:{account}:{resource}")),
            )],
            Template::SecretsManagerSecret => vec![statement(
                &[
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:DescribeSecret",
                ],
                // Secrets Manager appends six random characters to the secret's name.
                json!(format!(
                    "arn:aws:secretsmanager:{region}:{account}:secret:{resource}-??????"
                )),
            )],
            Template::SsmParametersByPath => {
                let Some(path) = resource.strip_prefix('/') else {
                    return Err("A parameter path starts with /, e.g. /books/prod.".to_string());
                };
                let path = path.trim_end_matches('/');
                vec![statement(
                    &[
                        "ssm:GetParameter",
                        "ssm:GetParameters",
                        "ssm:GetParametersByPath",
                    ],
                    json!([
                        format!("arn:aws:ssm:{region}:{account}:parameter/{path}"),
                        format!("arn:aws:ssm:{region}:{account}:parameter/{path}/*"),
                    ]),
                )]
            }
        };
        Ok(json!({"Version": POLICY_VERSION, "Statement": statements}))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::iam::{
        lint::{lint_document, LintContext},
        policy::PolicyKind,
    };

    #[test]
    fn dynamodb_template_is_the_seed_policy() {
        let seed: Value = serde_json::from_str(
            r#"{"Version": "2012-10-17","Statement": [{"Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:Scan"],
            "Resource": "arn:aws:dynamodb:us-east-1:123456789012:table/books"}]}"#,
        )
        .unwrap();
        let doc = Template::DynamoDbTableReadWrite
            .document("books", "us-east-1", "123456789012")
            .unwrap();
        assert_eq!(doc, seed);
    }

    #[test]
    fn every_template_lints_clean_and_round_trips_its_id() {
        let context = LintContext {
            account_id: Some("123456789012".into()),
            other_inline_policy_chars: 0,
        };
        for template in Template::ALL {
            assert_eq!(Template::parse(template.id()), Some(template));
            let resource = if template == Template::SsmParametersByPath {
                "/books/prod"
            } else {
                "books"
            };
            let doc = template
                .document(resource, "eu-west-1", "123456789012")
                .unwrap();
            assert_eq!(
                lint_document(&doc, PolicyKind::Permissions, &context),
                vec![],
                "{}",
                template.id()
            );
        }
    }

    #[test]
    fn resource_names_are_checked() {
        let t = Template::S3BucketRead;
        assert!(t.document("", "r", "a").is_err());
        assert!(t.document("a b", "r", "a").is_err());
        assert!(t.document("*", "r", "a").is_err());
        assert!(Template::SsmParametersByPath
            .document("books", "r", "a")
            .is_err());
        let doc = Template::SecretsManagerSecret
            .document("prod/db", "us-east-1", "123456789012")
            .unwrap();
        assert_eq!(
            doc["Statement"][0]["Resource"],
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-??????"
        );
    }
}
