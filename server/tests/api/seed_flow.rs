//! The whole seed flow (`../shared/seed/`) through `/api/v1`, across the three slices that
//! write history: IAM roles approved by an admin, the task definition, the cluster and the
//! service rollout; then a manager answers "who did what, when, with which outcome" from the
//! portal's own history and dashboard.

use crate::{
    fixtures::{seed_policy, seed_task_definition, seed_trust},
    helpers::{Moto, TestApp},
};
use app::domain::{iam::trust::percent_decode, permissions::UserRole};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const ROLE: &str = "fastapi-task-role";

/// A developer requests; an admin (never the requester) approves; answers the final status.
async fn request_and_approve(app: &TestApp, request: Value) -> Value {
    let (status, created) = app
        .api(
            UserRole::Developer,
            Method::POST,
            "/api/v1/change-requests",
            Some(&request),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().expect("id");
    let (status, approved) = app
        .api(
            UserRole::Admin,
            Method::POST,
            &format!("/api/v1/change-requests/{id}/approve"),
            Some(&json!({"comment": "reviewed"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    approved
}

/// `GET /api/v1/history?<query>` as a manager: (kind, actor, status) of each item, newest first.
async fn history(app: &TestApp, query: &str) -> Vec<(String, String, String)> {
    let (status, page) = app
        .api(
            UserRole::Manager,
            Method::GET,
            &format!("/api/v1/history?{query}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| {
            let text = |key: &str| item[key].as_str().unwrap_or_default().to_string();
            (text("kind"), text("actor"), text("status"))
        })
        .collect()
}

fn step(kind: &str, actor: &str, status: &str) -> (String, String, String) {
    (kind.to_string(), actor.to_string(), status.to_string())
}

#[tokio::test]
async fn the_seed_flow_from_request_to_rollout_is_in_history_with_its_actors() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;

    // IAM: the task role with its inline policy, and the execution role; nothing in IAM before
    // an admin approves.
    let role = request_and_approve(
        &app,
        json!({"kind": "create-role", "roleName": ROLE, "reason": "books API",
               "description": "fastapi-books task role", "assumeRolePolicyDocument": seed_trust()}),
    )
    .await;
    assert_eq!(role["status"], "applied", "{role}");
    let policy = request_and_approve(
        &app,
        json!({"kind": "put-role-policy", "roleName": ROLE, "reason": "books table",
               "policyName": "allow-dynamodb", "policyDocument": seed_policy()}),
    )
    .await;
    assert_eq!(policy["status"], "applied", "{policy}");
    let execution = request_and_approve(
        &app,
        json!({"kind": "create-execution-role", "roleName": "ecsTaskExecutionRole",
               "reason": "pull images, write logs", "assumeRolePolicyDocument": seed_trust()}),
    )
    .await;
    assert_eq!(execution["status"], "applied", "{execution}");
    let iam = moto.iam().await;
    let stored = iam
        .get_role_policy()
        .role_name(ROLE)
        .policy_name("allow-dynamodb")
        .send()
        .await
        .expect("the approved policy is in IAM");
    let document: Value = serde_json::from_str(&percent_decode(stored.policy_document())).unwrap();
    assert_eq!(document, seed_policy());

    // ECS: task definition (its log group created), cluster, service; the rollout completes.
    let (status, registered) = app
        .api(
            UserRole::Developer,
            Method::POST,
            "/api/v1/task-definitions?createLogGroups=true",
            Some(&seed_task_definition("1.0")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{registered}");
    let (status, cluster) = app
        .api(
            UserRole::Developer,
            Method::POST,
            "/api/v1/clusters",
            Some(&json!({"clusterName": "fastapi-cluster"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{cluster}");
    let (subnets, group) = moto.default_network().await;
    let service = json!({
        "cluster": "fastapi-cluster",
        "serviceName": "fastapi-books",
        "taskDefinition": "fastapi-books:1",
        "desiredCount": 2,
        "launchType": "FARGATE",
        "networkConfiguration": {"awsvpcConfiguration": {
            "subnets": subnets, "securityGroups": [group], "assignPublicIp": "ENABLED"}}
    });
    let (status, created) = app
        .api(
            UserRole::Developer,
            Method::POST,
            "/api/v1/services",
            Some(&service),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let rollout = app
        .wait_for_rollout(created["rolloutId"].as_i64().unwrap())
        .await;
    assert_eq!(rollout["status"], "completed", "{rollout}");
    assert_eq!(rollout["toTaskDefinition"], "fastapi-books:1", "{rollout}");

    // A manager reads who did what, newest first, by what it touched.
    assert_eq!(
        history(&app, "service=fastapi-books").await,
        vec![
            step("rollout", "developer", "succeeded"),
            step("service.create", "developer", "succeeded"),
        ]
    );
    assert_eq!(
        history(&app, "family=fastapi-books").await,
        vec![step("task_definition.register", "developer", "succeeded")]
    );
    let iam_steps = history(&app, "kind=change_request.apply").await;
    assert_eq!(iam_steps.len(), 3, "{iam_steps:?}");
    assert!(iam_steps
        .iter()
        .all(|s| *s == step("change_request.apply", "admin", "succeeded")));
    assert_eq!(
        history(&app, "actor=admin&kind=change_request.approve")
            .await
            .len(),
        3
    );
    assert_eq!(
        history(&app, "actor=developer&kind=change_request.create")
            .await
            .len(),
        3
    );

    // The rollout's detail names the action that started it.
    let (_, page) = app
        .api(
            UserRole::Manager,
            Method::GET,
            "/api/v1/history?kind=rollout",
            None,
        )
        .await;
    let rollout_row = page["items"][0]["id"].as_i64().expect("rollout row");
    let (status, detail) = app
        .api(
            UserRole::Manager,
            Method::GET,
            &format!("/api/v1/history/{rollout_row}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    let related: Vec<&str> = detail["related"]
        .as_array()
        .expect("related")
        .iter()
        .filter_map(|r| r["kind"].as_str())
        .collect();
    assert!(related.contains(&"service.create"), "{detail}");

    // The dashboard counts the deployment and its lead time (registered → completed).
    let manager = app.browser_signed_in("manager").await;
    let dashboard = app.page_html(&manager, "/dashboard").await;
    assert!(dashboard.contains("<svg"), "the dashboard draws its charts");
    assert!(
        dashboard.contains("(1 revisions)"),
        "one revision has a lead time"
    );
    assert!(dashboard.contains("fastapi-cluster/fastapi-books"));
}
