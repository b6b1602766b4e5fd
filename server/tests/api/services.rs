//! Services and rollouts through `/api/v1`, as a CI pipeline would use them, checked against
//! moto (started with MOTO_ECS_SERVICE_RUNNING=2) through the SDK and against the history.

use crate::{
    fixtures::seed_task_definition,
    helpers::{Moto, TestApp, TEST_ROLLOUTS},
};
use app::domain::permissions::UserRole;
use serde_json::{json, Value};
use server::jobs::rollouts::RolloutSettings;
use std::time::Duration;

const CLUSTER: &str = "fastapi-cluster";
const SERVICE: &str = "fastapi-books";

/// The seed's task definition, with the image tag as given and without its awslogs
/// configuration (no log group is needed).
fn task_definition(tag: &str) -> Value {
    let mut definition = seed_task_definition(tag);
    if let Some(container) = definition["containerDefinitions"][0].as_object_mut() {
        container.remove("logConfiguration");
    }
    definition
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let (status, body) = app
        .api(UserRole::Developer, method, path, body.as_ref())
        .await;
    (status.as_u16(), body)
}

async fn post(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    send(app, reqwest::Method::POST, path, Some(body)).await
}

fn service_request(subnets: &[String], group: &str, desired: i32) -> Value {
    json!({
        "cluster": CLUSTER,
        "serviceName": SERVICE,
        "taskDefinition": "fastapi-books:1",
        "desiredCount": desired,
        "launchType": "FARGATE",
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": subnets,
            "securityGroups": [group],
            "assignPublicIp": "ENABLED"
        }}
    })
}

/// The seed up to `create-service`: the task definition and the cluster.
async fn register_and_create_cluster(app: &TestApp) {
    let (status, body) = post(app, "/api/v1/task-definitions", task_definition("1.0")).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = post(app, "/api/v1/clusters", json!({"clusterName": CLUSTER})).await;
    assert_eq!(status, 201, "{body}");
}

/// The seed's service created through the API; answers its first rollout's id.
async fn create_seed_service(app: &TestApp, moto: &Moto) -> i64 {
    register_and_create_cluster(app).await;
    let (subnets, group) = moto.default_network().await;
    let (status, body) = post(
        app,
        "/api/v1/services",
        service_request(&subnets, &group, 2),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(
        body["serviceArn"],
        "arn:aws:ecs:us-east-1:123456789012:service/fastapi-cluster/fastapi-books"
    );
    body["rolloutId"].as_i64().expect("rolloutId")
}

async fn service_task_definition(moto: &Moto) -> (String, i32, String) {
    let described = moto
        .ecs()
        .await
        .describe_services()
        .cluster(CLUSTER)
        .services(SERVICE)
        .send()
        .await
        .unwrap();
    let service = &described.services()[0];
    (
        service.task_definition().unwrap_or_default().to_string(),
        service.desired_count(),
        service.status().unwrap_or_default().to_string(),
    )
}

/// (kind, status, request, response, error) of history rows of one kind, oldest first.
async fn history_of(
    app: &TestApp,
    kind: &str,
) -> Vec<(String, Value, Option<Value>, Option<String>)> {
    let rows: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT status, request_json, response_json, error FROM history WHERE kind = ? ORDER BY id",
    )
    .bind(kind)
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(status, request, response, error)| {
            (
                status,
                serde_json::from_str(&request).unwrap(),
                response.map(|r| serde_json::from_str(&r).unwrap()),
                error,
            )
        })
        .collect()
}

#[tokio::test]
async fn the_seed_service_is_created_through_the_api_and_its_rollout_completes() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let (subnets, group) = moto.default_network().await;
    let rollout_id = create_seed_service(&app, &moto).await;

    let rollout = app.wait_for_rollout(rollout_id).await;
    assert_eq!(rollout["status"], "completed", "{rollout}");
    assert_eq!(rollout["progress"], 100);
    assert_eq!(rollout["trigger"], "create");
    assert_eq!(rollout["fromTaskDefinition"], Value::Null);
    assert_eq!(rollout["toTaskDefinition"], "fastapi-books:1");
    assert_eq!(rollout["desiredCount"], 2);
    assert_eq!(rollout["actor"], "developer");
    assert!(rollout["finishedAt"].is_string());

    // What ECS holds, read through the SDK.
    let described = moto
        .ecs()
        .await
        .describe_services()
        .cluster(CLUSTER)
        .services(SERVICE)
        .send()
        .await
        .unwrap();
    let service = &described.services()[0];
    assert_eq!(service.desired_count(), 2);
    assert_eq!(service.launch_type().map(|l| l.as_str()), Some("FARGATE"));
    let vpc = service
        .network_configuration()
        .and_then(|n| n.awsvpc_configuration())
        .expect("awsvpc configuration");
    assert_eq!(vpc.subnets(), subnets.as_slice());
    assert_eq!(vpc.security_groups(), [group]);
    assert_eq!(vpc.assign_public_ip().map(|a| a.as_str()), Some("ENABLED"));

    // One service.create row carrying the rollout id, one rollout row completed by the watcher.
    let created = history_of(&app, "service.create").await;
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].0, "succeeded");
    assert_eq!(created[0].1["serviceName"], SERVICE);
    // The circuit breaker with rollback is on by default (moto does not echo it back).
    assert_eq!(
        created[0].1["deploymentConfiguration"],
        json!({"deploymentCircuitBreaker": {"enable": true, "rollback": true},
               "minimumHealthyPercent": 100, "maximumPercent": 200})
    );
    assert_eq!(created[0].2.as_ref().unwrap()["rolloutId"], rollout_id);
    let rollouts = history_of(&app, "rollout").await;
    assert_eq!(rollouts.len(), 1);
    let (status, request, response, error) = &rollouts[0];
    assert_eq!(status, "succeeded");
    assert_eq!(
        request,
        &json!({
            "rolloutId": rollout_id, "cluster": CLUSTER, "service": SERVICE, "trigger": "create",
            "fromTaskDefinition": null, "toTaskDefinition": "fastapi-books:1", "desiredCount": 2
        })
    );
    let response = response.as_ref().unwrap();
    assert_eq!(response["rolloutId"], rollout_id);
    assert_eq!(response["outcome"], "completed");
    assert_eq!(response["finishedAt"], rollout["finishedAt"]);
    assert_eq!(error, &None);

    // The cluster's service list shows it with its counts.
    let (status, list) = send(
        &app,
        reqwest::Method::GET,
        "/api/v1/clusters/fastapi-cluster/services",
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(list[0]["name"], SERVICE);
    assert_eq!(list[0]["desiredCount"], 2);
    assert_eq!(list[0]["runningCount"], 2);
}

#[tokio::test]
async fn deploy_revision_two_scale_roll_back_and_delete() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let first = create_seed_service(&app, &moto).await;
    assert_eq!(app.wait_for_rollout(first).await["status"], "completed");

    // Nothing completed before the current revision: nothing to roll back to.
    let (status, body) = post(
        &app,
        "/api/v1/services/fastapi-cluster/fastapi-books/rollback",
        json!({}),
    )
    .await;
    assert_eq!(status, 409, "{body}");

    let (status, body) = post(&app, "/api/v1/task-definitions", task_definition("2.0")).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = post(
        &app,
        "/api/v1/services/fastapi-cluster/fastapi-books/deployments",
        json!({"taskDefinition": "fastapi-books:2"}),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let deployed = app
        .wait_for_rollout(body["rolloutId"].as_i64().unwrap())
        .await;
    assert_eq!(deployed["status"], "completed", "{deployed}");
    assert_eq!(deployed["trigger"], "deploy");
    assert_eq!(deployed["fromTaskDefinition"], "fastapi-books:1");
    assert_eq!(deployed["toTaskDefinition"], "fastapi-books:2");
    assert!(service_task_definition(&moto)
        .await
        .0
        .ends_with("fastapi-books:2"));

    // A revision that does not exist is refused before ECS is asked.
    let (status, body) = post(
        &app,
        "/api/v1/services/fastapi-cluster/fastapi-books/deployments",
        json!({"taskDefinition": "fastapi-books:9"}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["field"], "taskDefinition");

    let (status, body) = post(
        &app,
        "/api/v1/services/fastapi-cluster/fastapi-books/scale",
        json!({"desiredCount": 3}),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let scaled = app
        .wait_for_rollout(body["rolloutId"].as_i64().unwrap())
        .await;
    assert_eq!(scaled["status"], "completed", "{scaled}");
    assert_eq!(scaled["trigger"], "scale");
    assert_eq!(scaled["desiredCount"], 3);
    assert_eq!(service_task_definition(&moto).await.1, 3);

    // One click back to the last revision whose rollout completed.
    let (status, body) = post(
        &app,
        "/api/v1/services/fastapi-cluster/fastapi-books/rollback",
        json!({}),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    let rolled_back = app
        .wait_for_rollout(body["rolloutId"].as_i64().unwrap())
        .await;
    assert_eq!(rolled_back["status"], "completed", "{rolled_back}");
    assert_eq!(rolled_back["trigger"], "rollback");
    assert_eq!(rolled_back["fromTaskDefinition"], "fastapi-books:2");
    assert_eq!(rolled_back["toTaskDefinition"], "fastapi-books:1");
    assert!(service_task_definition(&moto)
        .await
        .0
        .ends_with("fastapi-books:1"));

    for kind in ["service.deploy", "service.scale", "service.rollback"] {
        let rows = history_of(&app, kind).await;
        let succeeded: Vec<_> = rows.iter().filter(|r| r.0 == "succeeded").collect();
        assert_eq!(succeeded.len(), 1, "{kind}: {rows:?}");
        assert!(
            succeeded[0].2.as_ref().unwrap()["rolloutId"].is_i64(),
            "{kind}"
        );
    }
    let rollout_rows = history_of(&app, "rollout").await;
    let triggers: Vec<&str> = rollout_rows
        .iter()
        .map(|r| r.1["trigger"].as_str().unwrap())
        .collect();
    assert_eq!(triggers, ["create", "deploy", "scale", "rollback"]);
    assert!(
        rollout_rows.iter().all(|r| r.0 == "succeeded"),
        "{rollout_rows:?}"
    );

    // Delete: refused without the confirmation, then scaled to 0 and deleted.
    let (status, body) = send(
        &app,
        reqwest::Method::DELETE,
        "/api/v1/services/fastapi-cluster/fastapi-books",
        None,
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["errors"][0]["field"], "confirm");
    let (status, body) = send(
        &app,
        reqwest::Method::DELETE,
        "/api/v1/services/fastapi-cluster/fastapi-books?confirm=fastapi-books",
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, desired, aws_status) = service_task_definition(&moto).await;
    assert_eq!((desired, aws_status.as_str()), (0, "INACTIVE"));
    assert_eq!(history_of(&app, "service.delete").await[0].0, "succeeded");
}

#[tokio::test]
async fn a_duplicate_service_name_is_refused_and_the_original_is_kept() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let (subnets, group) = moto.default_network().await;
    create_seed_service(&app, &moto).await;

    let (status, body) = post(
        &app,
        "/api/v1/services",
        service_request(&subnets, &group, 1),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(
        body["error"],
        "A service named fastapi-books already exists in the cluster fastapi-cluster."
    );
    assert_eq!(body["errors"][0]["field"], "serviceName");
    // moto would have replaced it: the original's desired count is untouched.
    assert_eq!(service_task_definition(&moto).await.1, 2);
    let created = history_of(&app, "service.create").await;
    assert_eq!(created.len(), 2);
    assert_eq!(created[1].0, "failed");
    assert_eq!(history_of(&app, "rollout").await.len(), 1);
}

#[tokio::test]
async fn an_unknown_subnet_is_a_clear_error_and_a_failed_row() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    register_and_create_cluster(&app).await;
    let (_, group) = moto.default_network().await;

    let unknown = "subnet-0000000000000dead".to_string();
    let (status, body) = post(
        &app,
        "/api/v1/services",
        service_request(&[unknown], &group, 2),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["errors"][0],
        json!({
            "field": "networkConfiguration.awsvpcConfiguration.subnets[0]",
            "message": "Subnet subnet-0000000000000dead does not exist in this account and region."
        })
    );
    let created = history_of(&app, "service.create").await;
    assert_eq!(created.len(), 1);
    let (status, request, _, error) = &created[0];
    assert_eq!(status, "failed");
    assert_eq!(
        request["networkConfiguration"]["awsvpcConfiguration"]["subnets"][0],
        "subnet-0000000000000dead"
    );
    assert_eq!(
        error.as_deref(),
        Some("Subnet subnet-0000000000000dead does not exist in this account and region.")
    );
    assert!(history_of(&app, "rollout").await.is_empty());
    let listed = moto
        .ecs()
        .await
        .list_services()
        .cluster(CLUSTER)
        .send()
        .await
        .unwrap();
    assert!(listed.service_arns().is_empty());

    // A malformed id never reaches AWS or history.
    let (status, body) = post(
        &app,
        "/api/v1/services",
        service_request(&["subnet-nope".to_string()], &group, 2),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(history_of(&app, "service.create").await.len(), 1);
}

/// A portal whose watcher looks once at start, then not for an hour: rollouts stay open.
async fn sleepy_portal(moto: &Moto) -> TestApp {
    let sleepy = RolloutSettings {
        poll_interval: Duration::from_secs(3600),
        ..TEST_ROLLOUTS
    };
    TestApp::builder()
        .aws(&moto.endpoint())
        .rollouts(sleepy)
        .spawn()
        .await
}

/// `first`'s process dies (its watcher stops); a new portal starts on the same database,
/// with the quick watcher. Keep `first` alive: it owns the database file.
async fn restart(first: &mut TestApp, moto: &Moto) -> TestApp {
    first.stop_background_jobs();
    TestApp::builder()
        .aws(&moto.endpoint())
        .same_database_as(first)
        .spawn()
        .await
}

#[tokio::test]
async fn a_rollout_in_progress_resumes_after_the_portal_restarts() {
    let moto = Moto::start().await;
    let mut first = sleepy_portal(&moto).await;
    let rollout_id = create_seed_service(&first, &moto).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, rollout) = send(
        &first,
        reqwest::Method::GET,
        &format!("/api/v1/rollouts/{rollout_id}"),
        None,
    )
    .await;
    assert_eq!(rollout["status"], "in_progress", "{rollout}");

    // The process dies; a new one starts on the same database.
    let second = restart(&mut first, &moto).await;
    let rollout = second.wait_for_rollout(rollout_id).await;
    assert_eq!(rollout["status"], "completed", "{rollout}");

    // The start-up sweep left the rollout's row to the watcher, which completed it.
    let rows = history_of(&second, "rollout").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].0, "succeeded", "{rows:?}");
    assert_eq!(rows[0].2.as_ref().unwrap()["outcome"], "completed");
}

#[tokio::test]
async fn a_service_deleted_under_its_rollout_fails_it_with_the_reason_in_history() {
    let moto = Moto::start().await;
    let mut first = sleepy_portal(&moto).await;
    let rollout_id = create_seed_service(&first, &moto).await;
    // Someone deletes the service outside the portal while the rollout is open.
    let ecs = moto.ecs().await;
    ecs.update_service()
        .cluster(CLUSTER)
        .service(SERVICE)
        .desired_count(0)
        .send()
        .await
        .unwrap();
    ecs.delete_service()
        .cluster(CLUSTER)
        .service(SERVICE)
        .send()
        .await
        .unwrap();
    let second = restart(&mut first, &moto).await;

    let rollout = second.wait_for_rollout(rollout_id).await;
    let reason =
        "The service was deleted while the rollout was in progress (its status is INACTIVE).";
    assert_eq!(rollout["status"], "failed", "{rollout}");
    assert_eq!(rollout["reason"], reason);
    let rows = history_of(&second, "rollout").await;
    assert_eq!(rows[0].0, "failed");
    assert_eq!(rows[0].3.as_deref(), Some(reason));
    let response = rows[0].2.as_ref().unwrap();
    assert_eq!(response["outcome"], "failed");
    assert_eq!(response["reason"], reason);
}

#[tokio::test]
async fn the_service_and_cluster_pages_show_the_rollout() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let rollout_id = create_seed_service(&app, &moto).await;
    app.wait_for_rollout(rollout_id).await;
    let browser = app.browser_signed_in("manager").await;

    let page = app
        .page_html(&browser, "/services/fastapi-cluster/fastapi-books")
        .await;
    assert!(
        page.contains("badge-rollout-completed\">Completed"),
        "{page}"
    );
    assert!(page.contains("fastapi-books:1"));
    assert!(page.contains(&format!("href=\"/rollouts/{rollout_id}\"")));
    // A manager reads the service but is offered no deployment or delete action.
    assert!(!page.contains("Force new deployment"));
    assert!(!page.contains("Delete service"));

    let cluster = app.page_html(&browser, "/clusters/fastapi-cluster").await;
    assert!(
        cluster.contains("href=\"/services/fastapi-cluster/fastapi-books\""),
        "{cluster}"
    );
    assert!(cluster.contains("2 / 2"));
    let rollout = app
        .page_html(&browser, &format!("/rollouts/{rollout_id}"))
        .await;
    assert!(rollout.contains("Completed"));
}
