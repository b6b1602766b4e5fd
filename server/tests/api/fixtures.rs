//! The seed's documents (`../shared/seed/`), kept once as files under `fixtures/`.

use serde_json::Value;

/// The seed's task definition, as its page shows it (awslogs included, image tag `latest`).
pub const SEED_TASK_DEFINITION: &str = include_str!("fixtures/seed_task_definition.json");

/// A trust policy letting ECS tasks assume the role (compact JSON, as one line).
pub const ECS_TASKS_TRUST: &str = include_str!("fixtures/ecs_tasks_trust.json").trim_ascii_end();

/// The seed's inline policy: read and write the `books` DynamoDB table.
pub const DYNAMODB_POLICY: &str = include_str!("fixtures/dynamodb_policy.json");

/// [`ECS_TASKS_TRUST`] as JSON.
pub fn seed_trust() -> Value {
    serde_json::from_str(ECS_TASKS_TRUST).expect("fixture is JSON")
}

/// [`DYNAMODB_POLICY`] as JSON.
pub fn seed_policy() -> Value {
    serde_json::from_str(DYNAMODB_POLICY).expect("fixture is JSON")
}

/// [`SEED_TASK_DEFINITION`] as JSON, with the image tag `tag`.
pub fn seed_task_definition(tag: &str) -> Value {
    let mut definition: Value =
        serde_json::from_str(SEED_TASK_DEFINITION).expect("fixture is JSON");
    definition["containerDefinitions"][0]["image"] =
        format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:{tag}").into();
    definition
}
