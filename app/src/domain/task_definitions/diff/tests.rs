use super::*;
use crate::domain::task_definitions::tests::seed;
use crate::domain::task_definitions::{
    EphemeralStorage, HealthCheck, KeyValuePair, LogConfiguration, RuntimePlatform, Secret, Tag,
};

type Mutate = fn(&mut TaskDefinitionSpec);
/// (name, change to `before`, change to `after`, expected (path, kind, before, after)).
type Case = (
    &'static str,
    Mutate,
    Mutate,
    &'static [(
        &'static str,
        FieldChangeKind,
        Option<&'static str>,
        Option<&'static str>,
    )],
);

const ECR_IMAGE: &str = "123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books";

/// Applies each case's changes to two copies of the seed and compares the diff.
fn check(cases: &[Case]) {
    for (name, before_change, after_change, expected) in cases {
        let (mut before, mut after) = (seed(), seed());
        before_change(&mut before);
        after_change(&mut after);
        let changes = diff_task_definitions(&before, &after);
        let got: Vec<(&str, FieldChangeKind, Option<&str>, Option<&str>)> = changes
            .iter()
            .map(|c| {
                (
                    c.path.as_str(),
                    c.kind,
                    c.before.as_deref(),
                    c.after.as_deref(),
                )
            })
            .collect();
        assert_eq!(got, expected.to_vec(), "case {name}");
        for change in &changes {
            let s = &change.summary;
            assert!(
                s.ends_with('.') && s.starts_with(|c: char| c.is_uppercase()),
                "case {name}: not a sentence: {s}"
            );
            assert_eq!(
                change.before.is_none(),
                change.kind == FieldChangeKind::Added
            );
            assert_eq!(
                change.after.is_none(),
                change.kind == FieldChangeKind::Removed
            );
        }
        // Swapping the sides swaps the kinds and values, nothing else.
        let back = diff_task_definitions(&after, &before);
        assert_eq!(back.len(), changes.len(), "case {name} reversed");
    }
}

/// The summaries of the diff from the seed changed by `before` to the seed changed by
/// `after`.
fn summaries(before_change: Mutate, after_change: Mutate) -> Vec<String> {
    let (mut before, mut after) = (seed(), seed());
    before_change(&mut before);
    after_change(&mut after);
    diff_task_definitions(&before, &after)
        .into_iter()
        .map(|c| c.summary)
        .collect()
}

fn unchanged(_: &mut TaskDefinitionSpec) {}

fn first(spec: &mut TaskDefinitionSpec) -> &mut ContainerDefinition {
    &mut spec.container_definitions[0]
}

fn worker() -> ContainerDefinition {
    ContainerDefinition {
        name: "worker".into(),
        image: format!("{ECR_IMAGE}:worker"),
        essential: Some(false),
        command: vec!["celery".into(), "worker".into()],
        ..Default::default()
    }
}

fn env(name: &str, value: &str) -> KeyValuePair {
    KeyValuePair {
        name: name.into(),
        value: value.into(),
    }
}

fn secret(name: &str, value_from: &str) -> Secret {
    Secret {
        name: name.into(),
        value_from: value_from.into(),
    }
}

fn tag(key: &str, value: &str) -> Tag {
    Tag {
        key: key.into(),
        value: value.into(),
    }
}

fn with_env(s: &mut TaskDefinitionSpec) {
    first(s).environment = vec![env("LOG_LEVEL", "info"), env("DEBUG", "1")];
}

fn with_worker(s: &mut TaskDefinitionSpec) {
    s.container_definitions.push(worker());
}

#[test]
fn identical_revisions_have_no_changes() {
    let spec = seed();
    assert_eq!(diff_task_definitions(&spec, &spec), vec![]);
    assert_eq!(diff_task_definitions(&spec, &seed()), vec![]);
    assert_eq!(
        diff_task_definitions(
            &TaskDefinitionSpec::default(),
            &TaskDefinitionSpec::default()
        ),
        vec![]
    );
    let mut full = seed();
    with_env(&mut full);
    with_worker(&mut full);
    full.tags = vec![tag("team", "books")];
    first(&mut full).secrets = vec![secret("DB", "arn:aws:ssm:us-east-1:1:parameter/db")];
    assert_eq!(diff_task_definitions(&full, &full.clone()), vec![]);
}

#[test]
fn task_level_fields() {
    check(&[
        ("identical", unchanged, unchanged, &[]),
        (
            "cpu and memory",
            unchanged,
            |s| {
                s.cpu = Some("1024".into());
                s.memory = Some("2048".into());
            },
            &[
                ("cpu", FieldChangeKind::Changed, Some("512"), Some("1024")),
                (
                    "memory",
                    FieldChangeKind::Changed,
                    Some("1024"),
                    Some("2048"),
                ),
            ],
        ),
        (
            "family and roles in field order",
            unchanged,
            |s| {
                s.execution_role_arn = None;
                s.family = "books".into();
                s.task_role_arn = Some("arn:aws:iam::123456789012:role/other-task-role".into());
            },
            &[
                (
                    "family",
                    FieldChangeKind::Changed,
                    Some("fastapi-books"),
                    Some("books"),
                ),
                (
                    "taskRoleArn",
                    FieldChangeKind::Changed,
                    Some("arn:aws:iam::123456789012:role/fastapi-task-role"),
                    Some("arn:aws:iam::123456789012:role/other-task-role"),
                ),
                (
                    "executionRoleArn",
                    FieldChangeKind::Removed,
                    Some("arn:aws:iam::123456789012:role/ecsTaskExecutionRole"),
                    None,
                ),
            ],
        ),
        (
            "compatibilities compared as a set",
            |s| s.requires_compatibilities = vec!["FARGATE".into(), "EC2".into()],
            |s| s.requires_compatibilities = vec!["EC2".into(), "FARGATE".into()],
            &[],
        ),
        (
            "compatibility added",
            unchanged,
            |s| s.requires_compatibilities.push("EC2".into()),
            &[(
                "requiresCompatibilities",
                FieldChangeKind::Changed,
                Some("FARGATE"),
                Some("EC2, FARGATE"),
            )],
        ),
        (
            "network mode",
            unchanged,
            |s| s.network_mode = Some("bridge".into()),
            &[(
                "networkMode",
                FieldChangeKind::Changed,
                Some("awsvpc"),
                Some("bridge"),
            )],
        ),
        (
            "ephemeral storage and platform",
            |s| {
                s.runtime_platform = Some(RuntimePlatform {
                    operating_system_family: Some("LINUX".into()),
                    cpu_architecture: Some("X86_64".into()),
                })
            },
            |s| {
                s.ephemeral_storage = Some(EphemeralStorage { size_in_gi_b: 30 });
                s.runtime_platform = Some(RuntimePlatform {
                    operating_system_family: Some("LINUX".into()),
                    cpu_architecture: Some("ARM64".into()),
                });
            },
            &[
                ("ephemeralStorage", FieldChangeKind::Added, None, Some("30")),
                (
                    "runtimePlatform.cpuArchitecture",
                    FieldChangeKind::Changed,
                    Some("X86_64"),
                    Some("ARM64"),
                ),
            ],
        ),
        (
            "empty platform is no platform",
            |s| s.runtime_platform = Some(RuntimePlatform::default()),
            unchanged,
            &[],
        ),
        (
            "tag changed",
            |s| s.tags = vec![tag("team", "books"), tag("env", "dev")],
            |s| s.tags = vec![tag("env", "dev"), tag("team", "library")],
            &[(
                "tags.team",
                FieldChangeKind::Changed,
                Some("books"),
                Some("library"),
            )],
        ),
        (
            "tags added and removed",
            |s| s.tags = vec![tag("team", "books")],
            |s| s.tags = vec![tag("owner", "ana")],
            &[
                ("tags.owner", FieldChangeKind::Added, None, Some("ana")),
                ("tags.team", FieldChangeKind::Removed, Some("books"), None),
            ],
        ),
    ]);
}

#[test]
fn containers_are_matched_by_name() {
    check(&[
        (
            "worker and an env var added",
            unchanged,
            |s| {
                first(s).environment.push(env("LOG_LEVEL", "info"));
                with_worker(s);
            },
            &[
                (
                    "containers[fastapi].environment.LOG_LEVEL",
                    FieldChangeKind::Added,
                    None,
                    Some("info"),
                ),
                (
                    "containers[worker]",
                    FieldChangeKind::Added,
                    None,
                    Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:worker"),
                ),
            ],
        ),
        (
            "reordered only",
            with_worker,
            |s| s.container_definitions.insert(0, worker()),
            &[],
        ),
        (
            "added where it appears, removed last",
            with_worker,
            |s| {
                s.cpu = Some("1024".into());
                s.container_definitions.insert(
                    0,
                    ContainerDefinition {
                        name: "proxy".into(),
                        image: "nginx:1.27".into(),
                        ..Default::default()
                    },
                );
                first(s).image = "nginx:1.27-alpine".into();
            },
            &[
                ("cpu", FieldChangeKind::Changed, Some("512"), Some("1024")),
                (
                    "containers[proxy]",
                    FieldChangeKind::Added,
                    None,
                    Some("nginx:1.27-alpine"),
                ),
                (
                    "containers[worker]",
                    FieldChangeKind::Removed,
                    Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:worker"),
                    None,
                ),
            ],
        ),
        (
            "renamed is removed and added",
            unchanged,
            |s| first(s).name = "api".into(),
            &[
                (
                    "containers[api]",
                    FieldChangeKind::Added,
                    None,
                    Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:latest"),
                ),
                (
                    "containers[fastapi]",
                    FieldChangeKind::Removed,
                    Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:latest"),
                    None,
                ),
            ],
        ),
    ]);
}

#[test]
fn container_fields() {
    check(&[
        (
            "image tag",
            unchanged,
            |s| first(s).image = format!("{ECR_IMAGE}:v2"),
            &[(
                "containers[fastapi].image",
                FieldChangeKind::Changed,
                Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:latest"),
                Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:v2"),
            )],
        ),
        (
            "essential missing is true",
            unchanged,
            |s| first(s).essential = Some(true),
            &[],
        ),
        (
            "essential false",
            unchanged,
            |s| first(s).essential = Some(false),
            &[(
                "containers[fastapi].essential",
                FieldChangeKind::Changed,
                Some("true"),
                Some("false"),
            )],
        ),
        (
            "cpu 0 is no cpu",
            |s| first(s).cpu = Some(0),
            unchanged,
            &[],
        ),
        (
            "container sizes",
            |s| {
                first(s).cpu = Some(256);
                first(s).memory_reservation = Some(256);
            },
            |s| {
                first(s).cpu = Some(512);
                first(s).memory = Some(1024);
            },
            &[
                (
                    "containers[fastapi].cpu",
                    FieldChangeKind::Changed,
                    Some("256"),
                    Some("512"),
                ),
                (
                    "containers[fastapi].memory",
                    FieldChangeKind::Added,
                    None,
                    Some("1024"),
                ),
                (
                    "containers[fastapi].memoryReservation",
                    FieldChangeKind::Removed,
                    Some("256"),
                    None,
                ),
            ],
        ),
        (
            "command and entry point as lists",
            |s| first(s).command = vec!["uvicorn".into(), "main:app".into()],
            |s| {
                first(s).command = vec![
                    "uvicorn".into(),
                    "main:app".into(),
                    "--port".into(),
                    "8000".into(),
                ];
                first(s).entry_point = vec!["/entrypoint.sh".into()];
            },
            &[
                (
                    "containers[fastapi].command",
                    FieldChangeKind::Changed,
                    Some("uvicorn main:app"),
                    Some("uvicorn main:app --port 8000"),
                ),
                (
                    "containers[fastapi].entryPoint",
                    FieldChangeKind::Added,
                    None,
                    Some("/entrypoint.sh"),
                ),
            ],
        ),
        (
            "env value changed and another removed",
            with_env,
            |s| first(s).environment = vec![env("LOG_LEVEL", "debug")],
            &[
                (
                    "containers[fastapi].environment.DEBUG",
                    FieldChangeKind::Removed,
                    Some("1"),
                    None,
                ),
                (
                    "containers[fastapi].environment.LOG_LEVEL",
                    FieldChangeKind::Changed,
                    Some("info"),
                    Some("debug"),
                ),
            ],
        ),
        (
            "env reordered",
            with_env,
            |s| {
                with_env(s);
                first(s).environment.reverse();
            },
            &[],
        ),
        (
            "secret valueFrom changed",
            |s| {
                first(s).secrets = vec![secret(
                    "DB_PASSWORD",
                    "arn:aws:ssm:us-east-1:123456789012:parameter/db",
                )]
            },
            |s| {
                first(s).secrets = vec![secret(
                    "DB_PASSWORD",
                    "arn:aws:ssm:us-east-1:123456789012:parameter/db-v2",
                )]
            },
            &[(
                "containers[fastapi].secrets.DB_PASSWORD",
                FieldChangeKind::Changed,
                Some("arn:aws:ssm:us-east-1:123456789012:parameter/db"),
                Some("arn:aws:ssm:us-east-1:123456789012:parameter/db-v2"),
            )],
        ),
        (
            "every container field in order",
            |s| {
                with_env(s);
                first(s).secrets = vec![secret("A", "a")];
            },
            |s| {
                first(s).log_configuration = None;
                first(s).health_check = Some(HealthCheck {
                    command: vec!["CMD-SHELL".into(), "curl -f localhost:8000".into()],
                    ..Default::default()
                });
                first(s).secrets = vec![secret("B", "b")];
                first(s).environment = vec![env("X", "1")];
                first(s).port_mappings[0].name = Some("http".into());
                first(s).command = vec!["run".into()];
                first(s).memory = Some(512);
                first(s).image = "nginx".into();
            },
            &[
                (
                    "containers[fastapi].image",
                    FieldChangeKind::Changed,
                    Some("123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:latest"),
                    Some("nginx"),
                ),
                (
                    "containers[fastapi].memory",
                    FieldChangeKind::Added,
                    None,
                    Some("512"),
                ),
                (
                    "containers[fastapi].command",
                    FieldChangeKind::Added,
                    None,
                    Some("run"),
                ),
                (
                    "containers[fastapi].portMappings.8000/tcp.name",
                    FieldChangeKind::Added,
                    None,
                    Some("http"),
                ),
                (
                    "containers[fastapi].environment.DEBUG",
                    FieldChangeKind::Removed,
                    Some("1"),
                    None,
                ),
                (
                    "containers[fastapi].environment.LOG_LEVEL",
                    FieldChangeKind::Removed,
                    Some("info"),
                    None,
                ),
                (
                    "containers[fastapi].environment.X",
                    FieldChangeKind::Added,
                    None,
                    Some("1"),
                ),
                (
                    "containers[fastapi].secrets.A",
                    FieldChangeKind::Removed,
                    Some("a"),
                    None,
                ),
                (
                    "containers[fastapi].secrets.B",
                    FieldChangeKind::Added,
                    None,
                    Some("b"),
                ),
                (
                    "containers[fastapi].healthCheck",
                    FieldChangeKind::Added,
                    None,
                    Some("CMD-SHELL curl -f localhost:8000"),
                ),
                (
                    "containers[fastapi].logConfiguration.logDriver",
                    FieldChangeKind::Removed,
                    Some("awslogs"),
                    None,
                ),
                (
                    "containers[fastapi].logConfiguration.options.awslogs-group",
                    FieldChangeKind::Removed,
                    Some("/ecs/fastapi-books"),
                    None,
                ),
                (
                    "containers[fastapi].logConfiguration.options.awslogs-region",
                    FieldChangeKind::Removed,
                    Some("us-east-1"),
                    None,
                ),
                (
                    "containers[fastapi].logConfiguration.options.awslogs-stream-prefix",
                    FieldChangeKind::Removed,
                    Some("ecs"),
                    None,
                ),
            ],
        ),
    ]);
}

#[test]
fn port_mappings() {
    check(&[
        (
            "8000 to 8080",
            unchanged,
            |s| first(s).port_mappings[0].container_port = 8080,
            &[
                (
                    "containers[fastapi].portMappings.8000/tcp",
                    FieldChangeKind::Removed,
                    Some("8000/tcp"),
                    None,
                ),
                (
                    "containers[fastapi].portMappings.8080/tcp",
                    FieldChangeKind::Added,
                    None,
                    Some("8080/tcp"),
                ),
            ],
        ),
        (
            "protocol defaults to tcp",
            unchanged,
            |s| first(s).port_mappings[0].protocol = Some("tcp".into()),
            &[],
        ),
        (
            "awsvpc host port defaults to the container port",
            unchanged,
            |s| first(s).port_mappings[0].host_port = Some(8000),
            &[],
        ),
        (
            "host port changed",
            |s| first(s).port_mappings[0].host_port = Some(8000),
            |s| first(s).port_mappings[0].host_port = Some(80),
            &[(
                "containers[fastapi].portMappings.8000/tcp.hostPort",
                FieldChangeKind::Changed,
                Some("8000"),
                Some("80"),
            )],
        ),
        (
            "udp is another mapping",
            unchanged,
            |s| {
                let mut udp = s.container_definitions[0].port_mappings[0].clone();
                udp.protocol = Some("udp".into());
                udp.name = Some("dns".into());
                first(s).port_mappings.insert(0, udp);
            },
            &[(
                "containers[fastapi].portMappings.8000/udp",
                FieldChangeKind::Added,
                None,
                Some("8000/udp (name \"dns\")"),
            )],
        ),
    ]);
}

#[test]
fn health_checks_and_logs() {
    fn check_with(command: &str, interval: Option<i32>) -> Option<HealthCheck> {
        Some(HealthCheck {
            command: vec!["CMD-SHELL".into(), command.into()],
            interval,
            ..Default::default()
        })
    }
    check(&[
        (
            "default timings are the same",
            |s| first(s).health_check = check_with("true", None),
            |s| first(s).health_check = check_with("true", Some(30)),
            &[],
        ),
        (
            "changed as a whole",
            |s| first(s).health_check = check_with("true", None),
            |s| {
                first(s).health_check = check_with("true", Some(10));
                if let Some(h) = &mut first(s).health_check {
                    h.retries = Some(5);
                }
            },
            &[(
                "containers[fastapi].healthCheck",
                FieldChangeKind::Changed,
                Some("CMD-SHELL true"),
                Some("CMD-SHELL true (interval 10s, retries 5)"),
            )],
        ),
        (
            "log driver and options",
            unchanged,
            |s| {
                first(s).log_configuration = Some(LogConfiguration {
                    log_driver: "awsfirelens".into(),
                    options: [("Name", "cloudwatch"), ("awslogs-region", "eu-west-1")]
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                })
            },
            &[
                (
                    "containers[fastapi].logConfiguration.logDriver",
                    FieldChangeKind::Changed,
                    Some("awslogs"),
                    Some("awsfirelens"),
                ),
                (
                    "containers[fastapi].logConfiguration.options.Name",
                    FieldChangeKind::Added,
                    None,
                    Some("cloudwatch"),
                ),
                (
                    "containers[fastapi].logConfiguration.options.awslogs-group",
                    FieldChangeKind::Removed,
                    Some("/ecs/fastapi-books"),
                    None,
                ),
                (
                    "containers[fastapi].logConfiguration.options.awslogs-region",
                    FieldChangeKind::Changed,
                    Some("us-east-1"),
                    Some("eu-west-1"),
                ),
                (
                    "containers[fastapi].logConfiguration.options.awslogs-stream-prefix",
                    FieldChangeKind::Removed,
                    Some("ecs"),
                    None,
                ),
            ],
        ),
    ]);
}

#[test]
fn summaries_are_plain_sentences() {
    let cases: &[(&str, Mutate, Mutate, &[&str])] = &[
        (
            "image",
            unchanged,
            |s| first(s).image = format!("{ECR_IMAGE}:v2"),
            &["Container \"fastapi\": image changed from \"123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:latest\" to \"123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:v2\"."],
        ),
        (
            "cpu and memory",
            unchanged,
            |s| {
                s.cpu = Some("1024".into());
                s.memory = Some("2048".into());
            },
            &[
                "Task CPU changed from 512 CPU units to 1024 CPU units.",
                "Task memory changed from 1024 MiB to 2048 MiB.",
            ],
        ),
        (
            "worker and env var",
            unchanged,
            |s| {
                first(s).environment.push(env("LOG_LEVEL", "info"));
                with_worker(s);
            },
            &[
                "Container \"fastapi\": environment variable \"LOG_LEVEL\" was added with value \"info\".",
                "Container \"worker\" was added (image \"123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:worker\").",
            ],
        ),
        (
            "env changed and removed",
            with_env,
            |s| first(s).environment = vec![env("LOG_LEVEL", "debug")],
            &[
                "Container \"fastapi\": environment variable \"DEBUG\" with value \"1\" was removed.",
                "Container \"fastapi\": environment variable \"LOG_LEVEL\" changed from \"info\" to \"debug\".",
            ],
        ),
        (
            "port",
            unchanged,
            |s| first(s).port_mappings[0].container_port = 8080,
            &[
                "Container \"fastapi\": port mapping 8000/tcp was removed.",
                "Container \"fastapi\": port mapping 8080/tcp was added.",
            ],
        ),
        (
            "essential",
            unchanged,
            |s| first(s).essential = Some(false),
            &["Container \"fastapi\": essential changed from true to false."],
        ),
        (
            "tag",
            |s| s.tags = vec![tag("team", "books")],
            |s| s.tags = vec![tag("team", "library")],
            &["Tag \"team\" changed from \"books\" to \"library\"."],
        ),
        (
            "secret",
            |s| first(s).secrets = vec![secret("DB_PASSWORD", "db")],
            |s| first(s).secrets = vec![secret("DB_PASSWORD", "db-v2")],
            &["Container \"fastapi\": secret \"DB_PASSWORD\" changed from \"db\" to \"db-v2\"."],
        ),
        (
            "set and removed settings",
            |s| first(s).memory_reservation = Some(256),
            |s| {
                s.task_role_arn = None;
                s.ephemeral_storage = Some(EphemeralStorage { size_in_gi_b: 40 });
            },
            &[
                "Task role \"arn:aws:iam::123456789012:role/fastapi-task-role\" was removed.",
                "Ephemeral storage was set to 40 GiB.",
                "Container \"fastapi\": memory reservation 256 MiB was removed.",
            ],
        ),
        (
            "container removed",
            with_worker,
            unchanged,
            &["Container \"worker\" was removed (image \"123456789012.dkr.ecr.us-east-1.amazonaws.com/fastapi-books:worker\")."],
        ),
    ];
    for (name, before_change, after_change, expected) in cases {
        assert_eq!(
            summaries(*before_change, *after_change),
            expected.to_vec(),
            "case {name}"
        );
    }
}

#[test]
fn changes_serialize_in_camel_case() {
    let mut after = seed();
    after.cpu = Some("1024".into());
    let changes = diff_task_definitions(&seed(), &after);
    assert_eq!(
        serde_json::to_value(&changes).unwrap(),
        serde_json::json!([{
            "path": "cpu",
            "kind": "changed",
            "before": "512",
            "after": "1024",
            "summary": "Task CPU changed from 512 CPU units to 1024 CPU units."
        }])
    );
    let kinds: Vec<String> = [
        FieldChangeKind::Added,
        FieldChangeKind::Removed,
        FieldChangeKind::Changed,
    ]
    .iter()
    .map(|k| serde_json::to_string(k).unwrap())
    .collect();
    assert_eq!(kinds, ["\"added\"", "\"removed\"", "\"changed\""]);
    let back: Vec<FieldChange> =
        serde_json::from_value(serde_json::to_value(&changes).unwrap()).unwrap();
    assert_eq!(back, changes);
}
