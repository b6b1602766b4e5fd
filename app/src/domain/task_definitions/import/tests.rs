use super::*;
use crate::domain::task_definitions::tests::{seed, SEED};
use serde_json::json;

fn sorted(mut paths: Vec<String>) -> Vec<String> {
    paths.sort();
    paths
}

fn strings(paths: &[&str]) -> Vec<String> {
    sorted(paths.iter().map(|p| p.to_string()).collect())
}

/// What `aws ecs describe-task-definition --include TAGS` prints for the seed.
fn describe_response() -> Value {
    json!({
        "taskDefinition": {
            "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/fastapi-books:3",
            "containerDefinitions": [{
                "name": "fastapi",
                "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:latest",
                "cpu": 0,
                "portMappings": [{"containerPort": 8000, "hostPort": 8000, "protocol": "tcp"}],
                "essential": true,
                "environment": [],
                "mountPoints": [],
                "volumesFrom": [],
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": "/ecs/fastapi-books",
                    "awslogs-region": "us-east-1",
                    "awslogs-stream-prefix": "ecs"
                }},
                "systemControls": []
            }],
            "family": "fastapi-books",
            "taskRoleArn": "arn:aws:iam::123456789012:role/fastapi-task-role",
            "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
            "networkMode": "awsvpc",
            "revision": 3,
            "volumes": [],
            "status": "ACTIVE",
            "requiresAttributes": [
                {"name": "com.amazonaws.ecs.capability.logging-driver.awslogs"},
                {"name": "ecs.capability.task-eni"}
            ],
            "placementConstraints": [],
            "compatibilities": ["EC2", "FARGATE"],
            "requiresCompatibilities": ["FARGATE"],
            "cpu": "512",
            "memory": "1024",
            "registeredAt": "2025-01-01T12:00:00.000000+00:00",
            "registeredBy": "arn:aws:iam::123456789012:root",
            "deregisteredAt": null
        },
        "tags": [{"key": "team", "value": "books"}]
    })
}

const DESCRIBE_DROPPED: &[&str] = &[
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
    "volumes",
    "placementConstraints",
    "containerDefinitions[0].mountPoints",
    "containerDefinitions[0].volumesFrom",
    "containerDefinitions[0].systemControls",
];

#[test]
fn imports_the_seed_unchanged() {
    let imported = import_task_definition(SEED).unwrap();
    assert_eq!(imported.spec, seed());
    assert_eq!(imported.dropped, Vec::<String>::new());
    assert_eq!(imported.unknown, Vec::<String>::new());
}

#[test]
fn imports_a_describe_task_definition_response() {
    let text = serde_json::to_string_pretty(&describe_response()).unwrap();
    let imported = import_task_definition(&text).unwrap();
    assert_eq!(sorted(imported.dropped), strings(DESCRIBE_DROPPED));
    assert_eq!(imported.unknown, Vec::<String>::new());
    assert_eq!(
        imported.spec.tags,
        vec![Tag {
            key: "team".into(),
            value: "books".into()
        }]
    );
    assert_eq!(imported.spec.validate(), vec![]);

    // The same definition as the seed, plus what AWS fills in on its own.
    let mut expected = seed();
    let container = &mut expected.container_definitions[0];
    container.cpu = Some(0);
    container.essential = Some(true);
    container.port_mappings[0].host_port = Some(8000);
    container.port_mappings[0].protocol = Some("tcp".into());
    expected.tags = imported.spec.tags.clone();
    assert_eq!(imported.spec, expected);
}

#[test]
fn imports_the_bare_task_definition_object() {
    let inner = describe_response()["taskDefinition"].to_string();
    let imported = import_task_definition(&inner).unwrap();
    assert_eq!(sorted(imported.dropped), strings(DESCRIBE_DROPPED));
    assert_eq!(imported.unknown, Vec::<String>::new());
    assert_eq!(imported.spec.family, "fastapi-books");
    assert!(imported.spec.tags.is_empty());
    assert_eq!(imported.spec.validate(), vec![]);
}

#[test]
fn reports_unknown_keys_with_their_paths() {
    let mut input: Value = serde_json::from_str(SEED).unwrap();
    input["pidMode"] = json!("task");
    input["volumes"] = json!([{"name": "data"}]);
    input["ephemeralStorage"] = json!({"sizeInGiB": 30, "kmsKeyId": "k"});
    input["tags"] = json!([{"key": "a", "value": "b", "extra": 1}]);
    let container = &mut input["containerDefinitions"][0];
    container["linuxParameters"] = json!({"initProcessEnabled": true});
    container["dependsOn"] = json!([{"containerName": "x", "condition": "START"}]);
    container["readonlyRootFilesystem"] = json!(false);
    container["ulimits"] = json!(null);
    container["portMappings"][0]["appProtocol"] = json!("http");
    container["logConfiguration"]["secretOptions"] = json!([{"name": "n", "valueFrom": "v"}]);
    container["healthCheck"] = json!({"command": ["CMD", "true"], "bogus": 1});
    let wrapped = json!({"taskDefinition": input, "ResponseMetadata": {"RequestId": "r"}});

    let expected_unknown = [
        "pidMode",
        "volumes",
        "ephemeralStorage.kmsKeyId",
        "tags[0].extra",
        "containerDefinitions[0].linuxParameters",
        "containerDefinitions[0].dependsOn",
        "containerDefinitions[0].readonlyRootFilesystem",
        "containerDefinitions[0].portMappings[0].appProtocol",
        "containerDefinitions[0].logConfiguration.secretOptions",
        "containerDefinitions[0].healthCheck.bogus",
    ];
    let plain = import_task_definition(&input.to_string()).unwrap();
    assert_eq!(sorted(plain.unknown), strings(&expected_unknown));
    assert_eq!(plain.dropped, strings(&["containerDefinitions[0].ulimits"]));
    assert_eq!(
        plain.spec.ephemeral_storage.map(|s| s.size_in_gi_b),
        Some(30)
    );

    let response = import_task_definition(&wrapped.to_string()).unwrap();
    let mut with_metadata = expected_unknown.to_vec();
    with_metadata.push("ResponseMetadata");
    assert_eq!(sorted(response.unknown), strings(&with_metadata));
}

#[test]
fn errors_name_the_line_and_column() {
    let cases: &[(&str, &str)] = &[
        (
            "{\n  \"family\": \"x\",\n  \"cpu\": \n}",
            "The JSON is not valid at line 4, column 1: expected value.",
        ),
        (
            "{\"family\": \"x\" \"cpu\": \"256\"}",
            "The JSON is not valid at line 1, column 16: expected `,` or `}`.",
        ),
        ("{\"family\": \"x\",", "The JSON is not valid at line 1, column 15: EOF while parsing a value."),
        (
            "{\n  \"family\": 5\n}",
            "The JSON does not describe a task definition at line 2, column 13: invalid type: integer `5`, expected a string.",
        ),
        (
            "{\"taskDefinition\": {\"family\": \"x\", \"cpu\": true}}",
            "The JSON does not describe a task definition at line 1, column 46: invalid type: boolean `true`, expected a string such as \"512\".",
        ),
        (
            "{\"family\": \"x\", \"containerDefinitions\": [{\"name\": \"a\", \"cpu\": \"256\"}]}",
            "The JSON does not describe a task definition at line 1, column 67: invalid type: string \"256\", expected i32.",
        ),
        ("", "Paste a task definition as JSON."),
        ("  \n", "Paste a task definition as JSON."),
        (
            "[1, 2]",
            "Paste a JSON object: a task definition, or the output of aws ecs describe-task-definition.",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(
            import_task_definition(input),
            Err(expected.to_string()),
            "input {input:?}"
        );
    }
}

#[test]
fn the_known_keys_match_the_types() {
    // Every key a fully filled-in spec serializes to is known, so nothing real is ever
    // reported as unknown.
    let full = json!({
        "family": "f",
        "taskRoleArn": "arn:aws:iam::123456789012:role/t",
        "executionRoleArn": "arn:aws:iam::123456789012:role/e",
        "networkMode": "awsvpc",
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "256",
        "memory": "512",
        "ephemeralStorage": {"sizeInGiB": 30},
        "runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"},
        "containerDefinitions": [{
            "name": "web", "image": "nginx", "essential": true, "cpu": 128, "memory": 256,
            "memoryReservation": 128,
            "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp", "name": "http"}],
            "environment": [{"name": "A", "value": "1"}],
            "secrets": [{"name": "B", "valueFrom": "b"}],
            "command": ["x"], "entryPoint": ["y"],
            "healthCheck": {"command": ["CMD", "true"], "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 0},
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/f"}}
        }],
        "tags": [{"key": "k", "value": "v"}]
    });
    let spec: TaskDefinitionSpec = serde_json::from_value(full.clone()).unwrap();
    assert_eq!(serde_json::to_value(&spec).unwrap(), full);
    let imported = import_task_definition(&full.to_string()).unwrap();
    assert_eq!(imported.unknown, Vec::<String>::new());
    assert_eq!(imported.dropped, Vec::<String>::new());
    assert_eq!(imported.spec, spec);
}

#[test]
fn from_json_reads_refuses_unknown_keys_and_checks_once() {
    let valid = ValidTaskDefinition::from_json(SEED).unwrap();
    assert_eq!(valid.spec(), &seed());

    let unreadable = ValidTaskDefinition::from_json("{ nope").unwrap_err();
    assert_eq!(
        unreadable,
        [FieldError::new(
            "json",
            "The JSON is not valid at line 1, column 3: key must be a string."
        )]
    );

    let mut unknown: Value = serde_json::from_str(SEED).unwrap();
    unknown["pidMode"] = json!("task");
    unknown["cpu"] = json!("3"); // not reported: unknown keys are refused first
    let errors = ValidTaskDefinition::from_json(&unknown.to_string()).unwrap_err();
    assert_eq!(
        errors,
        [FieldError::new(
            "pidMode",
            "The portal does not know the key pidMode; remove it or register it another way."
        )]
    );

    let mut broken = seed();
    broken.cpu = Some("3".into());
    let errors =
        ValidTaskDefinition::from_json(&serde_json::to_string(&broken).unwrap()).unwrap_err();
    assert_eq!(errors, broken.validate());
    assert_eq!(ValidTaskDefinition::parse(broken), Err(errors));
}
