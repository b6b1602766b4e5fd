use super::*;
use crate::domain::task_definitions::tests::seed;
use crate::domain::task_definitions::{
    EphemeralStorage, KeyValuePair, LogConfiguration, PortMapping, RuntimePlatform, Secret, Tag,
};

type Mutate = fn(&mut TaskDefinitionSpec);
type Case = (
    &'static str,
    Mutate,
    &'static [(&'static str, &'static str)],
);

/// Applies each case's change to the seed and compares every (field, message) reported.
fn check(cases: &[Case]) {
    for (name, mutate, expected) in cases {
        let mut spec = seed();
        mutate(&mut spec);
        let got: Vec<(String, String)> = spec
            .validate()
            .into_iter()
            .map(|e| (e.field, e.message))
            .collect();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(f, m)| (f.to_string(), m.to_string()))
            .collect();
        assert_eq!(got, expected, "case {name}");
        for (_, message) in &got {
            assert!(
                message.ends_with('.') && message.starts_with(|c: char| c.is_uppercase()),
                "not a sentence: {message}"
            );
        }
    }
}

fn first(spec: &mut TaskDefinitionSpec) -> &mut ContainerDefinition {
    &mut spec.container_definitions[0]
}

/// A second, minimal container.
fn sidecar(name: &str) -> ContainerDefinition {
    ContainerDefinition {
        name: name.into(),
        image: "nginx".into(),
        ..Default::default()
    }
}

fn port(container_port: i32) -> PortMapping {
    PortMapping {
        container_port,
        ..Default::default()
    }
}

fn env(name: &str) -> KeyValuePair {
    KeyValuePair {
        name: name.into(),
        value: "v".into(),
    }
}

fn secret(name: &str, value_from: &str) -> Secret {
    Secret {
        name: name.into(),
        value_from: value_from.into(),
    }
}

#[test]
fn family() {
    check(&[
        ("valid", |s| s.family = "my_family-2".into(), &[]),
        (
            "empty",
            |s| s.family.clear(),
            &[("family", "Family is required.")],
        ),
        (
            "space",
            |s| s.family = "my family".into(),
            &[(
                "family",
                "Family may contain only letters, digits, hyphens and underscores (found a space).",
            )],
        ),
        (
            "too long",
            |s| s.family = "f".repeat(256),
            &[("family", "Family is 256 characters long; the limit is 255.")],
        ),
    ]);
    let mut spec = seed();
    spec.family = "bad/name".into();
    assert_eq!(spec.validate()[0].rejected.as_deref(), Some("bad/name"));
}

#[test]
fn container_names() {
    check(&[
        (
            "empty",
            |s| first(s).name.clear(),
            &[("containerDefinitions[0].name", "Container name is required.")],
        ),
        (
            "invalid",
            |s| first(s).name = "web.app".into(),
            &[(
                "containerDefinitions[0].name",
                "Container name may contain only letters, digits, hyphens and underscores (found '.').",
            )],
        ),
        (
            "duplicate",
            |s| s.container_definitions.push(sidecar("fastapi")),
            &[(
                "containerDefinitions[1].name",
                "Container name \"fastapi\" is already used by another container in this task.",
            )],
        ),
        ("distinct", |s| s.container_definitions.push(sidecar("fastapi-2")), &[]),
    ]);
}

#[test]
fn container_count_and_essential() {
    check(&[
        (
            "none",
            |s| s.container_definitions.clear(),
            &[("containerDefinitions", "Add at least one container.")],
        ),
        (
            "ten",
            |s| (1..10).for_each(|i| s.container_definitions.push(sidecar(&format!("c{i}")))),
            &[],
        ),
        (
            "eleven",
            |s| (1..11).for_each(|i| s.container_definitions.push(sidecar(&format!("c{i}")))),
            &[("containerDefinitions", "A task can have at most 10 containers; this one has 11.")],
        ),
        (
            "none essential",
            |s| {
                first(s).essential = Some(false);
                s.container_definitions.push(ContainerDefinition {
                    essential: Some(false),
                    ..sidecar("side")
                });
            },
            &[(
                "containerDefinitions",
                "At least one container must be essential; ECS stops the task when an essential container stops.",
            )],
        ),
        (
            "missing essential counts as true",
            |s| {
                first(s).essential = Some(false);
                s.container_definitions.push(sidecar("side"));
            },
            &[],
        ),
        ("explicitly essential", |s| first(s).essential = Some(true), &[]),
    ]);
}

#[test]
fn fargate_launch_type_and_network_mode() {
    const NEEDS_FARGATE: &str =
        "The portal deploys to Fargate only, so requiresCompatibilities must include FARGATE.";
    check(&[
        ("both launch types", |s| s.requires_compatibilities.push("EC2".into()), &[]),
        (
            "no compatibilities",
            |s| s.requires_compatibilities.clear(),
            &[("requiresCompatibilities", NEEDS_FARGATE)],
        ),
        (
            "EC2 only",
            |s| s.requires_compatibilities = vec!["EC2".into()],
            &[("requiresCompatibilities", NEEDS_FARGATE)],
        ),
        (
            "lowercase",
            |s| s.requires_compatibilities = vec!["fargate".into()],
            &[("requiresCompatibilities", NEEDS_FARGATE)],
        ),
        (
            "unknown extra",
            |s| s.requires_compatibilities.push("LAMBDA".into()),
            &[(
                "requiresCompatibilities",
                "Requires compatibilities may list only EC2, FARGATE, EXTERNAL or MANAGED_INSTANCES (found \"LAMBDA\").",
            )],
        ),
        (
            "no network mode",
            |s| s.network_mode = None,
            &[("networkMode", "Fargate requires the awsvpc network mode; set networkMode to awsvpc.")],
        ),
        (
            "bridge",
            |s| s.network_mode = Some("bridge".into()),
            &[(
                "networkMode",
                "Network mode \"bridge\" is not supported on Fargate; Fargate requires awsvpc.",
            )],
        ),
    ]);
}

#[test]
fn task_cpu_and_memory() {
    check(&[
        (
            "no cpu",
            |s| s.cpu = None,
            &[(
                "cpu",
                "Fargate tasks need a CPU size; choose one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units.",
            )],
        ),
        (
            "vCPU words",
            |s| s.cpu = Some("1 vCPU".into()),
            &[("cpu", "CPU must be a whole number of CPU units such as 1024 (1 vCPU), not \"1 vCPU\".")],
        ),
        (
            "empty cpu",
            |s| s.cpu = Some(String::new()),
            &[("cpu", "CPU must be a whole number of CPU units such as 1024 (1 vCPU), not \"\".")],
        ),
        (
            "negative cpu",
            |s| s.cpu = Some("-512".into()),
            &[("cpu", "CPU must be a whole number of CPU units such as 1024 (1 vCPU), not \"-512\".")],
        ),
        (
            "not a Fargate cpu",
            |s| s.cpu = Some("300".into()),
            &[("cpu", "CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units (found 300).")],
        ),
        (
            "huge cpu",
            |s| s.cpu = Some("99999999999".into()),
            &[(
                "cpu",
                "CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units (found 99999999999).",
            )],
        ),
        (
            "no memory",
            |s| s.memory = None,
            &[(
                "memory",
                "Fargate tasks need a memory size; with 512 CPU units choose one of 1024, 2048, 3072, 4096 MiB.",
            )],
        ),
        (
            "no memory, no cpu",
            |s| {
                s.memory = None;
                s.cpu = None;
            },
            &[
                (
                    "cpu",
                    "Fargate tasks need a CPU size; choose one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units.",
                ),
                ("memory", "Fargate tasks need a memory size in MiB, such as 2048."),
            ],
        ),
        (
            "GB words",
            |s| s.memory = Some("2 GB".into()),
            &[("memory", "Memory must be a whole number of MiB such as 2048 (2 GB), not \"2 GB\".")],
        ),
        (
            "invalid pair",
            |s| s.memory = Some("512".into()),
            &[("memory", "With 512 CPU units, memory must be one of 1024, 2048, 3072, 4096 MiB.")],
        ),
        (
            "huge memory",
            |s| s.memory = Some("99999999999".into()),
            &[("memory", "With 512 CPU units, memory must be one of 1024, 2048, 3072, 4096 MiB.")],
        ),
        (
            "256 with 4096",
            |s| {
                s.cpu = Some("256".into());
                s.memory = Some("4096".into());
            },
            &[("memory", "With 256 CPU units, memory must be one of 512, 1024, 2048 MiB.")],
        ),
        (
            "memory not judged without a valid cpu",
            |s| {
                s.cpu = Some("300".into());
                s.memory = Some("7".into());
            },
            &[("cpu", "CPU must be one of 256, 512, 1024, 2048, 4096, 8192, 16384 CPU units (found 300).")],
        ),
    ]);
}

#[test]
fn every_fargate_size_through_validate() {
    for &cpu in FARGATE_CPU_OPTIONS {
        let allowed = fargate_memory_options(cpu);
        let mut spec = seed();
        spec.cpu = Some(cpu.to_string());
        for memory in &allowed {
            spec.memory = Some(memory.to_string());
            assert_eq!(spec.validate(), vec![], "{cpu}/{memory}");
        }
        let (min, max) = (allowed[0], allowed[allowed.len() - 1]);
        for memory in [min - 512, max + 1024, min + 1] {
            spec.memory = Some(memory.to_string());
            let errors = spec.validate();
            assert_eq!(errors.len(), 1, "{cpu}/{memory}: {errors:?}");
            assert_eq!(errors[0].field, "memory");
            assert!(
                errors[0].message.starts_with(&format!(
                    "With {cpu} CPU units, memory must be one of {min}, "
                )),
                "{}",
                errors[0].message
            );
            assert_eq!(errors[0].rejected, Some(memory.to_string()));
        }
    }
}

#[test]
fn port_mappings() {
    check(&[
        ("udp", |s| first(s).port_mappings[0].protocol = Some("udp".into()), &[]),
        ("matching host port", |s| first(s).port_mappings[0].host_port = Some(8000), &[]),
        (
            "port zero",
            |s| first(s).port_mappings[0].container_port = 0,
            &[(
                "containerDefinitions[0].portMappings[0].containerPort",
                "Container \"fastapi\": container port must be between 1 and 65535 (found 0).",
            )],
        ),
        (
            "port too high",
            |s| first(s).port_mappings.push(port(65536)),
            &[(
                "containerDefinitions[0].portMappings[1].containerPort",
                "Container \"fastapi\": container port must be between 1 and 65535 (found 65536).",
            )],
        ),
        ("highest port", |s| first(s).port_mappings.push(port(65535)), &[]),
        (
            "protocol",
            |s| first(s).port_mappings[0].protocol = Some("http".into()),
            &[(
                "containerDefinitions[0].portMappings[0].protocol",
                "Container \"fastapi\": protocol \"http\" is not supported; use tcp or udp.",
            )],
        ),
        (
            "uppercase protocol",
            |s| first(s).port_mappings[0].protocol = Some("TCP".into()),
            &[(
                "containerDefinitions[0].portMappings[0].protocol",
                "Container \"fastapi\": protocol \"TCP\" is not supported; use tcp or udp.",
            )],
        ),
        (
            "different host port",
            |s| first(s).port_mappings[0].host_port = Some(80),
            &[(
                "containerDefinitions[0].portMappings[0].hostPort",
                "Container \"fastapi\": host port 80 must equal the container port 8000 in awsvpc mode, or be left out.",
            )],
        ),
        (
            "same port twice in one container",
            |s| {
                first(s).port_mappings.push(port(9000));
                first(s).port_mappings.push(PortMapping { protocol: Some("tcp".into()), ..port(8000) });
            },
            &[(
                "containerDefinitions[0].portMappings[2].containerPort",
                "Container \"fastapi\": port 8000/tcp is mapped more than once.",
            )],
        ),
        (
            "same port, tcp and udp",
            |s| first(s).port_mappings.push(PortMapping { protocol: Some("udp".into()), ..port(8000) }),
            &[],
        ),
        (
            "same port in another container",
            |s| {
                s.container_definitions.push(ContainerDefinition { port_mappings: vec![port(8000)], ..sidecar("web") })
            },
            &[(
                "containerDefinitions[1].portMappings[0].containerPort",
                "Container \"web\": port 8000/tcp is already used by container \"fastapi\".",
            )],
        ),
        (
            "unnamed containers are numbered",
            |s| {
                s.container_definitions.push(ContainerDefinition { port_mappings: vec![port(8000)], ..sidecar("") })
            },
            &[
                ("containerDefinitions[1].name", "Container name is required."),
                (
                    "containerDefinitions[1].portMappings[0].containerPort",
                    "Container 2: port 8000/tcp is already used by container \"fastapi\".",
                ),
            ],
        ),
    ]);
}

#[test]
fn container_images() {
    check(&[
        ("docker hub", |s| first(s).image = "nginx".into(), &[]),
        (
            "empty",
            |s| first(s).image.clear(),
            &[(
                "containerDefinitions[0].image",
                "Container \"fastapi\": image is required.",
            )],
        ),
        (
            "uppercase",
            |s| first(s).image = "Nginx:latest".into(),
            &[(
                "containerDefinitions[0].image",
                "Container \"fastapi\": image repository \"Nginx\" must be lowercase.",
            )],
        ),
        (
            "space",
            |s| first(s).image = "nginx latest".into(),
            &[(
                "containerDefinitions[0].image",
                "Container \"fastapi\": image reference must not contain spaces.",
            )],
        ),
    ]);
}

#[test]
fn environment_and_secrets() {
    check(&[
        (
            "valid names",
            |s| first(s).environment = vec![env("_X"), env("a1"), env("PORT")],
            &[],
        ),
        (
            "empty name",
            |s| first(s).environment = vec![env("A"), env("")],
            &[("containerDefinitions[0].environment[1].name", "Container \"fastapi\": environment variable name is required.")],
        ),
        (
            "dash",
            |s| first(s).environment = vec![env("MY-VAR")],
            &[(
                "containerDefinitions[0].environment[0].name",
                "Container \"fastapi\": environment variable name \"MY-VAR\" may contain only letters, digits and underscores, and must not start with a digit.",
            )],
        ),
        (
            "leading digit",
            |s| first(s).environment = vec![env("1X")],
            &[(
                "containerDefinitions[0].environment[0].name",
                "Container \"fastapi\": environment variable name \"1X\" may contain only letters, digits and underscores, and must not start with a digit.",
            )],
        ),
        (
            "duplicate",
            |s| first(s).environment = vec![env("A"), env("B"), env("A")],
            &[(
                "containerDefinitions[0].environment[2].name",
                "Container \"fastapi\": environment variable \"A\" is set more than once.",
            )],
        ),
        (
            "same name in two containers",
            |s| {
                first(s).environment = vec![env("A")];
                s.container_definitions.push(ContainerDefinition { environment: vec![env("A")], ..sidecar("side") });
            },
            &[],
        ),
        (
            "secret name",
            |s| first(s).secrets = vec![secret("db password", "db-password")],
            &[(
                "containerDefinitions[0].secrets[0].name",
                "Container \"fastapi\": secret name \"db password\" may contain only letters, digits and underscores, and must not start with a digit.",
            )],
        ),
        (
            "secret shadows a variable",
            |s| {
                first(s).environment = vec![env("DB")];
                first(s).secrets = vec![secret("DB", "db")];
            },
            &[(
                "containerDefinitions[0].secrets[0].name",
                "Container \"fastapi\": \"DB\" is already set as an environment variable.",
            )],
        ),
        (
            "secret twice",
            |s| first(s).secrets = vec![secret("DB", "db"), secret("DB", "db2")],
            &[(
                "containerDefinitions[0].secrets[1].name",
                "Container \"fastapi\": secret \"DB\" is set more than once.",
            )],
        ),
        (
            "empty valueFrom",
            |s| first(s).secrets = vec![secret("DB", "")],
            &[(
                "containerDefinitions[0].secrets[0].valueFrom",
                "Container \"fastapi\": secret \"DB\" needs valueFrom: a Secrets Manager secret ARN, an SSM parameter ARN or a parameter name.",
            )],
        ),
        (
            "S3 valueFrom",
            |s| first(s).secrets = vec![secret("DB", "arn:aws:s3:::bucket/key")],
            &[(
                "containerDefinitions[0].secrets[0].valueFrom",
                "Container \"fastapi\": secret \"DB\" must come from a Secrets Manager secret ARN (arn:aws:secretsmanager:...:secret:...), an SSM parameter ARN (arn:aws:ssm:...:parameter/...) or a parameter name.",
            )],
        ),
        (
            "unnamed secret",
            |s| first(s).secrets = vec![secret("", "")],
            &[
                ("containerDefinitions[0].secrets[0].name", "Container \"fastapi\": secret name is required."),
                (
                    "containerDefinitions[0].secrets[0].valueFrom",
                    "Container \"fastapi\": secret 1 needs valueFrom: a Secrets Manager secret ARN, an SSM parameter ARN or a parameter name.",
                ),
            ],
        ),
    ]);
}

#[test]
fn secret_sources() {
    let cases = [
        (
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
            true,
        ),
        (
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password::",
            true,
        ),
        ("arn:aws:ssm:us-east-1:123456789012:parameter/app/db", true),
        ("arn:aws-cn:ssm:cn-north-1:123456789012:parameter/x", true),
        (
            "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:x",
            true,
        ),
        ("db-password", true),
        ("/app/db/password", true),
        ("app.db_password", true),
        ("", false),
        ("arn:aws:s3:::bucket/key", false),
        ("arn:aws:ssm:us-east-1:123456789012:document/x", false),
        ("arn:aws:ssm:us-east-1:123456789012:parameter/", false),
        (
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:",
            false,
        ),
        ("arn:aws:secretsmanager:us-east-1:1234:secret:x", false),
        ("arn:aws:secretsmanager::123456789012:secret:x", false),
        (
            "arn:other:secretsmanager:us-east-1:123456789012:secret:x",
            false,
        ),
        ("arn:aws:secretsmanager", false),
        ("my secret", false),
        ("db:password", false),
        ("///", false),
    ];
    for (value, valid) in cases {
        assert_eq!(is_valid_secret_source(value), valid, "{value:?}");
    }
}

#[test]
fn container_cpu_and_memory() {
    check(&[
        (
            "fits",
            |s| {
                let c = first(s);
                c.cpu = Some(256);
                c.memory = Some(512);
                c.memory_reservation = Some(256);
                s.container_definitions.push(ContainerDefinition {
                    cpu: Some(256),
                    memory_reservation: Some(512),
                    ..sidecar("side")
                });
            },
            &[],
        ),
        ("zero cpu reserves nothing", |s| first(s).cpu = Some(0), &[]),
        (
            "negative cpu",
            |s| first(s).cpu = Some(-1),
            &[("containerDefinitions[0].cpu", "Container \"fastapi\": CPU units must be 0 or more (found -1).")],
        ),
        (
            "zero memory",
            |s| first(s).memory = Some(0),
            &[(
                "containerDefinitions[0].memory",
                "Container \"fastapi\": memory must be a positive number of MiB (found 0).",
            )],
        ),
        (
            "zero reservation",
            |s| first(s).memory_reservation = Some(0),
            &[(
                "containerDefinitions[0].memoryReservation",
                "Container \"fastapi\": memory reservation must be a positive number of MiB (found 0).",
            )],
        ),
        (
            "memory over the task",
            |s| first(s).memory = Some(2048),
            &[(
                "containerDefinitions[0].memory",
                "Container \"fastapi\": memory limit of 2048 MiB is more than the task's 1024 MiB.",
            )],
        ),
        (
            "reservation over the limit",
            |s| {
                first(s).memory = Some(256);
                first(s).memory_reservation = Some(512);
            },
            &[(
                "containerDefinitions[0].memoryReservation",
                "Container \"fastapi\": memory reservation (512 MiB) must not exceed its memory limit (256 MiB).",
            )],
        ),
        (
            "cpu sum over the task",
            |s| {
                first(s).cpu = Some(256);
                s.container_definitions.push(ContainerDefinition { cpu: Some(512), ..sidecar("side") });
            },
            &[(
                "cpu",
                "The containers reserve 768 CPU units in total, more than the task's 512; raise the task CPU or lower the containers' CPU.",
            )],
        ),
        (
            "memory sum over the task",
            |s| {
                first(s).memory = Some(512);
                first(s).memory_reservation = Some(128);
                s.container_definitions.push(ContainerDefinition { memory_reservation: Some(768), ..sidecar("side") });
            },
            &[(
                "memory",
                "The containers need 1280 MiB in total, more than the task's 1024 MiB; raise the task memory or lower the containers' memory.",
            )],
        ),
        (
            "no sum error when one container is already over",
            |s| {
                first(s).memory = Some(2048);
                s.container_definitions.push(ContainerDefinition { memory: Some(512), ..sidecar("side") });
            },
            &[(
                "containerDefinitions[0].memory",
                "Container \"fastapi\": memory limit of 2048 MiB is more than the task's 1024 MiB.",
            )],
        ),
    ]);
}

#[test]
fn ephemeral_storage() {
    const RANGE: &str = "Ephemeral storage must be between 21 and 200 GiB";
    for (size, valid) in [
        (21, true),
        (200, true),
        (100, true),
        (20, false),
        (201, false),
        (0, false),
    ] {
        let mut spec = seed();
        spec.ephemeral_storage = Some(EphemeralStorage { size_in_gi_b: size });
        let errors = spec.validate();
        if valid {
            assert_eq!(errors, vec![], "{size}");
        } else {
            assert_eq!(errors.len(), 1, "{size}");
            assert_eq!(errors[0].field, "ephemeralStorage.sizeInGiB");
            assert_eq!(
                errors[0].message,
                format!("{RANGE} (found {size}); leave it out for the default 20 GiB.")
            );
        }
    }
}

#[test]
fn role_arns() {
    let long_name = format!("arn:aws:iam::123456789012:role/{}", "r".repeat(64));
    let too_long_name = format!("arn:aws:iam::123456789012:role/{}", "r".repeat(65));
    let shape = "Task role must be an IAM role ARN such as arn:aws:iam::123456789012:role/fastapi-task-role.";
    let bad_name = |name: &str| {
        format!("Task role ARN ends in role name \"{name}\", but role names are 1-64 letters, digits or _+=,.@- characters.")
    };
    let cases: Vec<(&str, Result<(), String>)> = vec![
        ("arn:aws:iam::123456789012:role/x", Ok(())),
        ("arn:aws-cn:iam::123456789012:role/service-role/x", Ok(())),
        ("arn:aws-us-gov:iam::123456789012:role/a/b/c+=,.@_-", Ok(())),
        (&long_name, Ok(())),
        (
            "",
            Err("Task role ARN is empty; enter an IAM role ARN such as arn:aws:iam::123456789012:role/fastapi-task-role, or leave it out.".into()),
        ),
        ("fastapi-task-role", Err(shape.into())),
        ("arn:aws:iam::123456789012:user/bob", Err(shape.into())),
        ("arn:aws:sts::123456789012:role/x", Err(shape.into())),
        ("arn:aws:iam:us-east-1:123456789012:role/x", Err(shape.into())),
        ("arn:aws:iam::123456789012", Err(shape.into())),
        (
            "arn:azure:iam::123456789012:role/x",
            Err("Task role ARN has an unknown partition \"azure\"; use aws, aws-cn or aws-us-gov.".into()),
        ),
        (
            "arn:aws:iam::12345:role/x",
            Err("Task role ARN must contain a 12-digit AWS account ID (found \"12345\").".into()),
        ),
        ("arn:aws:iam::123456789012:role/", Err(bad_name(""))),
        ("arn:aws:iam::123456789012:role/has space", Err(bad_name("has space"))),
        (&too_long_name, Err(bad_name(&"r".repeat(65)))),
        (
            "arn:aws:iam::123456789012:role//x",
            Err("Task role ARN has an invalid role path \"//\".".into()),
        ),
    ];
    for (arn, expected) in cases {
        assert_eq!(
            validate_role_arn("Task role", "fastapi-task-role", arn),
            expected,
            "{arn:?}"
        );
    }
    check(&[
        (
            "task role",
            |s| s.task_role_arn = Some("fastapi-task-role".into()),
            &[(
                "taskRoleArn",
                "Task role must be an IAM role ARN such as arn:aws:iam::123456789012:role/fastapi-task-role.",
            )],
        ),
        (
            "execution role",
            |s| s.execution_role_arn = Some("arn:aws:iam::123456789012:role/a b".into()),
            &[(
                "executionRoleArn",
                "Task execution role ARN ends in role name \"a b\", but role names are 1-64 letters, digits or _+=,.@- characters.",
            )],
        ),
        (
            "roles are optional",
            |s| {
                s.task_role_arn = None;
                s.execution_role_arn = None;
            },
            &[],
        ),
    ]);
}

#[test]
fn runtime_platform() {
    fn platform(os: Option<&str>, arch: Option<&str>) -> Option<RuntimePlatform> {
        Some(RuntimePlatform {
            operating_system_family: os.map(str::to_string),
            cpu_architecture: arch.map(str::to_string),
        })
    }
    check(&[
        ("linux arm", |s| s.runtime_platform = platform(Some("LINUX"), Some("ARM64")), &[]),
        ("x86", |s| s.runtime_platform = platform(None, Some("X86_64")), &[]),
        ("empty", |s| s.runtime_platform = platform(None, None), &[]),
        (
            "windows",
            |s| s.runtime_platform = platform(Some("WINDOWS_SERVER_2022_CORE"), None),
            &[(
                "runtimePlatform.operatingSystemFamily",
                "The portal runs Linux tasks only; operating system family must be LINUX (found \"WINDOWS_SERVER_2022_CORE\").",
            )],
        ),
        (
            "lowercase arch",
            |s| s.runtime_platform = platform(Some("LINUX"), Some("arm64")),
            &[(
                "runtimePlatform.cpuArchitecture",
                "CPU architecture must be X86_64 or ARM64 (found \"arm64\").",
            )],
        ),
    ]);
}

#[test]
fn health_checks() {
    fn with(s: &mut TaskDefinitionSpec, command: &[&str], change: fn(&mut HealthCheck)) {
        let mut check = HealthCheck {
            command: command.iter().map(|c| c.to_string()).collect(),
            ..Default::default()
        };
        change(&mut check);
        first(s).health_check = Some(check);
    }
    const CMD: &[&str] = &[
        "CMD-SHELL",
        "curl -f http://localhost:8000/health || exit 1",
    ];
    check(&[
        (
            "valid",
            |s| {
                with(s, CMD, |h| {
                    h.interval = Some(30);
                    h.timeout = Some(5);
                    h.retries = Some(3);
                    h.start_period = Some(0);
                })
            },
            &[],
        ),
        (
            "limits",
            |s| {
                with(s, &["CMD", "true"], |h| {
                    h.interval = Some(300);
                    h.timeout = Some(2);
                    h.retries = Some(10);
                    h.start_period = Some(300);
                })
            },
            &[],
        ),
        (
            "no command",
            |s| with(s, &[], |_| {}),
            &[(
                "containerDefinitions[0].healthCheck.command",
                "Container \"fastapi\": health check command is required; start it with CMD or CMD-SHELL.",
            )],
        ),
        (
            "no CMD",
            |s| with(s, &["curl", "-f", "http://localhost"], |_| {}),
            &[(
                "containerDefinitions[0].healthCheck.command",
                "Container \"fastapi\": health check command must start with CMD or CMD-SHELL (found \"curl\").",
            )],
        ),
        (
            "nothing after CMD-SHELL",
            |s| with(s, &["CMD-SHELL"], |_| {}),
            &[(
                "containerDefinitions[0].healthCheck.command",
                "Container \"fastapi\": health check command needs something to run after CMD-SHELL.",
            )],
        ),
        (
            "too low",
            |s| {
                with(s, CMD, |h| {
                    h.interval = Some(4);
                    h.timeout = Some(1);
                    h.retries = Some(0);
                    h.start_period = Some(-1);
                })
            },
            &[
                (
                    "containerDefinitions[0].healthCheck.interval",
                    "Container \"fastapi\": health check interval must be between 5 and 300 seconds (found 4).",
                ),
                (
                    "containerDefinitions[0].healthCheck.timeout",
                    "Container \"fastapi\": health check timeout must be between 2 and 120 seconds (found 1).",
                ),
                (
                    "containerDefinitions[0].healthCheck.retries",
                    "Container \"fastapi\": health check retries must be between 1 and 10 (found 0).",
                ),
                (
                    "containerDefinitions[0].healthCheck.startPeriod",
                    "Container \"fastapi\": health check start period must be between 0 and 300 seconds (found -1).",
                ),
            ],
        ),
        (
            "too high",
            |s| {
                with(s, CMD, |h| {
                    h.interval = Some(301);
                    h.timeout = Some(121);
                    h.retries = Some(11);
                    h.start_period = Some(301);
                })
            },
            &[
                (
                    "containerDefinitions[0].healthCheck.interval",
                    "Container \"fastapi\": health check interval must be between 5 and 300 seconds (found 301).",
                ),
                (
                    "containerDefinitions[0].healthCheck.timeout",
                    "Container \"fastapi\": health check timeout must be between 2 and 120 seconds (found 121).",
                ),
                (
                    "containerDefinitions[0].healthCheck.retries",
                    "Container \"fastapi\": health check retries must be between 1 and 10 (found 11).",
                ),
                (
                    "containerDefinitions[0].healthCheck.startPeriod",
                    "Container \"fastapi\": health check start period must be between 0 and 300 seconds (found 301).",
                ),
            ],
        ),
    ]);
}

#[test]
fn log_drivers() {
    check(&[
        (
            "firelens",
            |s| first(s).log_configuration = Some(LogConfiguration { log_driver: "awsfirelens".into(), ..Default::default() }),
            &[],
        ),
        ("no logging", |s| first(s).log_configuration = None, &[]),
        (
            "json-file",
            |s| first(s).log_configuration = Some(LogConfiguration { log_driver: "json-file".into(), ..Default::default() }),
            &[(
                "containerDefinitions[0].logConfiguration.logDriver",
                "Container \"fastapi\": log driver \"json-file\" is not supported on Fargate; use awslogs, splunk or awsfirelens.",
            )],
        ),
        (
            "empty driver",
            |s| first(s).log_configuration = Some(LogConfiguration::default()),
            &[(
                "containerDefinitions[0].logConfiguration.logDriver",
                "Container \"fastapi\": choose a log driver: awslogs, splunk or awsfirelens.",
            )],
        ),
    ]);
}

#[test]
fn tags() {
    fn tag(key: &str, value: &str) -> Tag {
        Tag {
            key: key.into(),
            value: value.into(),
        }
    }
    check(&[
        (
            "valid",
            |s| s.tags = vec![tag("team", "books"), tag("env", "")],
            &[],
        ),
        (
            "fifty",
            |s| s.tags = (0..50).map(|i| tag(&format!("k{i}"), "v")).collect(),
            &[],
        ),
        (
            "fifty-one",
            |s| s.tags = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect(),
            &[(
                "tags",
                "A task definition can have at most 50 tags; this one has 51.",
            )],
        ),
        (
            "empty key",
            |s| s.tags = vec![tag("", "v")],
            &[("tags[0].key", "Tag key is required.")],
        ),
        (
            "long key",
            |s| s.tags = vec![tag(&"k".repeat(129), "v")],
            &[(
                "tags[0].key",
                "Tag key is 129 characters long; the limit is 128.",
            )],
        ),
        (
            "reserved",
            |s| s.tags = vec![tag("AWS:x", "v")],
            &[(
                "tags[0].key",
                "Tag key \"AWS:x\" starts with \"aws:\", which is reserved for AWS.",
            )],
        ),
        (
            "duplicate",
            |s| s.tags = vec![tag("a", "1"), tag("a", "2")],
            &[("tags[1].key", "Tag key \"a\" is used more than once.")],
        ),
        (
            "long value",
            |s| s.tags = vec![tag("a", &"v".repeat(257))],
            &[(
                "tags[0].value",
                "Tag \"a\" has a value 257 characters long; the limit is 256.",
            )],
        ),
    ]);
}

#[test]
fn reports_every_problem_in_field_order() {
    let mut spec = seed();
    spec.family = String::new();
    spec.network_mode = None;
    spec.cpu = Some("1 vCPU".into());
    first(&mut spec).image = "Bad Image".into();
    first(&mut spec).port_mappings.push(port(0));
    let errors = spec.validate();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "family",
            "networkMode",
            "cpu",
            "containerDefinitions[0].image",
            "containerDefinitions[0].portMappings[1].containerPort"
        ]
    );
    let rejected: Vec<Option<&str>> = errors.iter().map(|e| e.rejected.as_deref()).collect();
    assert_eq!(
        rejected,
        [Some(""), None, Some("1 vCPU"), Some("Bad Image"), Some("0")]
    );
}
