//! Task definitions through `/api/v1`, checked against moto through the SDK.

use crate::{
    fixtures::{ECS_TASKS_TRUST, SEED_TASK_DEFINITION},
    helpers::{Moto, TestApp},
};
use app::domain::{
    permissions::UserRole,
    task_definitions::{diff_task_definitions, TaskDefinitionSpec},
};
use serde_json::{json, Value};

async fn post(app: &TestApp, role: UserRole, body: &str) -> reqwest::Response {
    app.http
        .post(app.url("/api/v1/task-definitions"))
        .bearer_auth(app.token(role))
        .header("Content-Type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_seed_registers_through_the_api_and_ecs_stores_it_field_for_field() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;

    let response = post(&app, UserRole::Developer, SEED_TASK_DEFINITION).await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["family"], "fastapi-books");
    assert_eq!(created["revision"], 1);
    assert!(created["taskDefinitionArn"]
        .as_str()
        .unwrap()
        .ends_with("task-definition/fastapi-books:1"));

    // What ECS stores, read back through the SDK, against the seed.
    let seed: Value = serde_json::from_str(SEED_TASK_DEFINITION).unwrap();
    let ecs = moto.ecs().await;
    let td = ecs
        .describe_task_definition()
        .task_definition("fastapi-books:1")
        .send()
        .await
        .unwrap();
    let td = td.task_definition().unwrap();
    assert_eq!(td.family(), seed["family"].as_str());
    assert_eq!(td.task_role_arn(), seed["taskRoleArn"].as_str());
    assert_eq!(td.execution_role_arn(), seed["executionRoleArn"].as_str());
    assert_eq!(td.network_mode().map(|m| m.as_str()), Some("awsvpc"));
    assert_eq!(
        td.requires_compatibilities()
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>(),
        ["FARGATE"]
    );
    assert_eq!(td.cpu(), Some("512"));
    assert_eq!(td.memory(), Some("1024"));
    assert_eq!(td.container_definitions().len(), 1);
    let container = &td.container_definitions()[0];
    let seed_container = &seed["containerDefinitions"][0];
    assert_eq!(container.name(), seed_container["name"].as_str());
    assert_eq!(container.image(), seed_container["image"].as_str());
    assert_eq!(container.port_mappings().len(), 1);
    assert_eq!(container.port_mappings()[0].container_port(), Some(8000));
    let logs = container.log_configuration().unwrap();
    assert_eq!(logs.log_driver().as_str(), "awslogs");
    let options = logs.options().unwrap();
    for (key, value) in seed_container["logConfiguration"]["options"]
        .as_object()
        .unwrap()
    {
        assert_eq!(
            options.get(key).map(String::as_str),
            value.as_str(),
            "{key}"
        );
    }
    assert_eq!(options.len(), 3);

    // The portal reads it back in the same shape it was given.
    let detail: Value = app
        .http
        .get(app.url("/api/v1/task-definitions/fastapi-books/1"))
        .bearer_auth(app.token(UserRole::Manager))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(detail["status"], "ACTIVE");
    // ECS adds `essential: true` (its default); nothing else may differ.
    let stored: TaskDefinitionSpec = serde_json::from_value(detail["spec"].clone()).unwrap();
    let asked: TaskDefinitionSpec = serde_json::from_str(SEED_TASK_DEFINITION).unwrap();
    assert_eq!(diff_task_definitions(&asked, &stored), vec![], "round trip");

    let history = app.history_rows().await;
    assert_eq!(history.len(), 1);
    assert_eq!(
        (
            history[0].0.as_str(),
            history[0].1.as_str(),
            history[0].3.as_str()
        ),
        ("task_definition.register", "fastapi-books", "succeeded")
    );
}

#[tokio::test]
async fn an_invalid_cpu_memory_pair_is_422_and_nothing_reaches_ecs() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let bad = SEED_TASK_DEFINITION.replace(r#""memory": "1024""#, r#""memory": "512""#);
    let response = post(&app, UserRole::Developer, &bad).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "memory", "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("1024, 2048, 3072, 4096"),
        "{body}"
    );

    let unknown =
        SEED_TASK_DEFINITION.replace(r#""cpu": "512""#, r#""cpu": "512", "pidMode": "task""#);
    let response = post(&app, UserRole::Developer, &unknown).await;
    assert_eq!(response.status(), 422);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "pidMode", "{body}");

    let families = moto
        .ecs()
        .await
        .list_task_definition_families()
        .send()
        .await
        .unwrap();
    assert!(families.families().is_empty());
    assert!(app.history_rows().await.is_empty());

    // A manager may read but not register.
    assert_eq!(
        post(&app, UserRole::Manager, SEED_TASK_DEFINITION)
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn revisions_are_listed_and_deregistered_once() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    assert_eq!(
        post(&app, UserRole::Developer, SEED_TASK_DEFINITION)
            .await
            .status(),
        201
    );
    assert_eq!(
        post(
            &app,
            UserRole::Developer,
            &SEED_TASK_DEFINITION.replace(":latest", ":v2")
        )
        .await
        .status(),
        201
    );

    let get = |path: &str| {
        let request = app
            .http
            .get(app.url(path))
            .bearer_auth(app.token(UserRole::Developer));
        async move { request.send().await.unwrap() }
    };
    let families: Value = get("/api/v1/task-definitions").await.json().await.unwrap();
    assert_eq!(families, json!(["fastapi-books"]));
    let revisions: Value = get("/api/v1/task-definitions/fastapi-books")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        revisions
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["revision"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [2, 1]
    );
    assert_eq!(get("/api/v1/task-definitions/nope").await.status(), 404);
    assert_eq!(
        get("/api/v1/task-definitions/fastapi-books/9")
            .await
            .status(),
        404
    );

    let delete = || {
        app.http
            .delete(app.url("/api/v1/task-definitions/fastapi-books/1"))
            .bearer_auth(app.token(UserRole::Developer))
            .send()
    };
    let first = delete().await.unwrap();
    assert_eq!(first.status(), 200);
    let body: Value = first.json().await.unwrap();
    assert_eq!(body["status"], "INACTIVE");
    let ecs = moto.ecs().await;
    let td = ecs
        .describe_task_definition()
        .task_definition("fastapi-books:1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        td.task_definition().unwrap().status().map(|s| s.as_str()),
        Some("INACTIVE")
    );
    assert_eq!(delete().await.unwrap().status(), 409);

    let kinds: Vec<String> = app
        .history_rows()
        .await
        .into_iter()
        .map(|r| format!("{} {} {}", r.0, r.1, r.3))
        .collect();
    assert_eq!(
        kinds,
        [
            "task_definition.register fastapi-books succeeded",
            "task_definition.register fastapi-books succeeded",
            "task_definition.deregister fastapi-books:1 succeeded",
        ]
    );
}

#[tokio::test]
async fn the_form_offers_roles_that_trust_ecs_tasks_and_ecr_images_by_tag_and_digest() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let config = moto.sdk_config().await;
    let iam = aws_sdk_iam::Client::new(&config);
    iam.create_role()
        .role_name("fastapi-task-role")
        .assume_role_policy_document(ECS_TASKS_TRUST)
        .send()
        .await
        .unwrap();
    iam.create_role()
        .role_name("ec2-role")
        .assume_role_policy_document(ECS_TASKS_TRUST.replace("ecs-tasks", "ec2"))
        .send()
        .await
        .unwrap();
    let ecr = aws_sdk_ecr::Client::new(&config);
    ecr.create_repository()
        .repository_name("fastapi-books")
        .send()
        .await
        .unwrap();
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 7023, "digest": format!("sha256:{}", "b".repeat(64))},
        "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32654, "digest": format!("sha256:{}", "c".repeat(64))}]
    });
    ecr.put_image()
        .repository_name("fastapi-books")
        .image_manifest(manifest.to_string())
        .image_tag("latest")
        .send()
        .await
        .unwrap();

    let start: Value = app
        .call("task_definition_form", &[("from", "")])
        .await
        .json()
        .await
        .unwrap();
    let roles = start["roles"]["Ok"]
        .as_array()
        .unwrap_or_else(|| panic!("{start}"));
    assert_eq!(roles.len(), 1, "{roles:?}");
    assert_eq!(roles[0]["name"], "fastapi-task-role");
    assert!(roles[0]["arn"]
        .as_str()
        .unwrap()
        .ends_with(":role/fastapi-task-role"));
    let images = start["images"]["Ok"]
        .as_array()
        .unwrap_or_else(|| panic!("{start}"));
    assert_eq!(images.len(), 1, "{images:?}");
    assert_eq!(images[0]["tag"], "latest");
    assert!(images[0]["repositoryUri"]
        .as_str()
        .unwrap()
        .ends_with("/fastapi-books"));
    assert!(images[0]["digest"].as_str().unwrap().starts_with("sha256:"));
    assert!(images[0]["pushedAt"].is_string());
    assert_eq!(start["form"]["cpu"], "512");

    // The page offers them as suggestions for the role and image fields.
    let browser = app.browser_signed_in("developer").await;
    let html = app.page_html(&browser, "/task-definitions/new").await;
    let role_arn = roles[0]["arn"].as_str().unwrap();
    assert!(
        html.contains(&format!(r#"<option value="{role_arn}""#)),
        "role missing from the page"
    );
    let by_tag = format!("{}:latest", images[0]["repositoryUri"].as_str().unwrap());
    assert!(
        html.contains(&format!(r#"<option value="{by_tag}""#)),
        "image tag missing from the page"
    );
    let by_digest = format!(
        "{}@{}",
        images[0]["repositoryUri"].as_str().unwrap(),
        images[0]["digest"].as_str().unwrap()
    );
    assert!(
        html.contains(&format!(r#"<option value="{by_digest}""#)),
        "pinned digest missing from the page"
    );
    assert!(!html.contains("ec2-role"));
}

#[tokio::test]
async fn registering_can_create_the_log_group_once() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let register = || {
        app.http
            .post(app.url("/api/v1/task-definitions?createLogGroups=true"))
            .bearer_auth(app.token(UserRole::Developer))
            .body(SEED_TASK_DEFINITION)
            .send()
    };
    let first: Value = register().await.unwrap().json().await.unwrap();
    assert_eq!(
        first["logGroupsCreated"],
        json!(["/ecs/fastapi-books"]),
        "{first}"
    );
    let logs = aws_sdk_cloudwatchlogs::Client::new(&moto.sdk_config().await);
    let groups = logs
        .describe_log_groups()
        .log_group_name_prefix("/ecs/")
        .send()
        .await
        .unwrap();
    let names: Vec<_> = groups
        .log_groups()
        .iter()
        .filter_map(|g| g.log_group_name())
        .collect();
    assert_eq!(names, ["/ecs/fastapi-books"]);

    // It exists now: registering again leaves it alone.
    let second: Value = register().await.unwrap().json().await.unwrap();
    assert_eq!(second["revision"], 2);
    assert!(second.get("logGroupsCreated").is_none(), "{second}");
}
