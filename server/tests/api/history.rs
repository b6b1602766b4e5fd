//! Deployment history: keyset pages, filters, the append-only triggers, export, the
//! dashboard, related entries and the task definition diff of a rollout, and the backup
//! command, against the real router and a real SQLite file.

use crate::helpers::{Moto, TestApp};
use app::{
    backend::db,
    domain::{
        history::{HistoryKind, HistoryStatus},
        permissions::UserRole,
    },
};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Records a finished row the way `ops::history::record` does.
async fn record(
    app: &TestApp,
    kind: HistoryKind,
    target: &str,
    actor: &str,
    request: Value,
    outcome: Result<Value, &str>,
) -> i64 {
    let id = db::history::insert_pending(&app.state.db, kind, target, actor, &request)
        .await
        .unwrap();
    let (status, response, error) = match &outcome {
        Ok(response) => (HistoryStatus::Succeeded, Some(response), None),
        Err(error) => (HistoryStatus::Failed, None, Some(*error)),
    };
    assert!(
        db::history::complete(&app.state.db, id, status, response, error, 42)
            .await
            .unwrap()
    );
    id
}

/// A rollout row per the history contract.
async fn rollout(
    app: &TestApp,
    service: &str,
    rollout_id: i64,
    from: Option<&str>,
    to: &str,
    ok: bool,
) -> i64 {
    let (cluster, name) = service.split_once('/').unwrap();
    let request = json!({"rolloutId": rollout_id, "cluster": cluster, "service": name,
        "trigger": "deploy", "fromTaskDefinition": from, "toTaskDefinition": to, "desiredCount": 2});
    let id = db::history::insert_pending(
        &app.state.db,
        HistoryKind::Rollout,
        service,
        "developer",
        &request,
    )
    .await
    .unwrap();
    let now = time_now();
    let response = json!({"rolloutId": rollout_id,
        "outcome": if ok { "completed" } else { "failed" },
        "reason": if ok { "" } else { "tasks failed to start" }, "finishedAt": now});
    let (status, error) = if ok {
        (HistoryStatus::Succeeded, None)
    } else {
        (HistoryStatus::Failed, Some("tasks failed to start"))
    };
    db::history::complete(&app.state.db, id, status, Some(&response), error, 60_000)
        .await
        .unwrap();
    id
}

fn time_now() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap()
}

async fn get(app: &TestApp, role: UserRole, path: &str) -> reqwest::Response {
    app.http
        .get(app.url(path))
        .bearer_auth(app.token(role))
        .send()
        .await
        .unwrap()
}

async fn get_json(app: &TestApp, role: UserRole, path: &str) -> Value {
    let response = get(app, role, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.json().await.unwrap()
}

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn pages_return_every_row_exactly_once_while_new_rows_arrive() {
    let app = TestApp::spawn(TestApp::NO_AWS).await;
    let mut expected = BTreeSet::new();
    for n in 0..103 {
        expected.insert(
            record(
                &app,
                HistoryKind::ClusterCreate,
                &format!("c{n}"),
                "developer",
                json!({"clusterName": format!("c{n}")}),
                Ok(json!({})),
            )
            .await,
        );
    }
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    let mut path = "/api/v1/history?limit=20".to_string();
    loop {
        let page = get_json(&app, UserRole::Manager, &path).await;
        seen.extend(ids(&page));
        pages.push(page.clone());
        // New actions happen between page fetches: they are newer, so never on later pages.
        record(
            &app,
            HistoryKind::ClusterCreate,
            "late",
            "admin",
            json!({}),
            Err("denied"),
        )
        .await;
        match page["nextCursor"].as_str() {
            Some(cursor) => path = format!("/api/v1/history?limit=20&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(pages.len(), 6);
    assert_eq!(seen.len(), 103, "no row twice");
    assert_eq!(seen.iter().copied().collect::<BTreeSet<_>>(), expected);
    assert!(seen.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert!(pages[0]["prevCursor"].is_null());
    assert_eq!(ids(&pages[5]).len(), 3);

    // Back from the last page: the same pages again.
    let cursor = pages[5]["prevCursor"].as_str().unwrap();
    let back = get_json(
        &app,
        UserRole::Developer,
        &format!("/api/v1/history?limit=20&cursor={cursor}"),
    )
    .await;
    assert_eq!(ids(&back), ids(&pages[4]));

    // A damaged cursor is a field error.
    let response = get(
        &app,
        UserRole::Manager,
        "/api/v1/history?cursor=AAAAAAAAAAAAAAAAAA",
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "cursor");
}

#[tokio::test]
async fn filters_combine_and_bad_values_are_field_errors() {
    let app = TestApp::spawn(TestApp::NO_AWS).await;
    let web_ok = rollout(&app, "prod/web", 1, Some("web:1"), "web:2", true).await;
    let web_failed = rollout(&app, "prod/web", 2, Some("web:2"), "web:3", false).await;
    let api_failed = rollout(&app, "prod/api", 3, None, "api:1", false).await;
    let stage_failed = rollout(&app, "stage/web", 4, None, "web:3", false).await;
    let deploy = record(
        &app,
        HistoryKind::ServiceDeploy,
        "prod/web",
        "admin",
        json!({"taskDefinition": "web:3"}),
        Ok(json!({"rolloutId": 2})),
    )
    .await;
    let register = record(
        &app,
        HistoryKind::TaskDefinitionRegister,
        "web",
        "developer",
        json!({"family": "web", "containerDefinitions": [{"name": "app", "image": "nginx:1.27"}]}),
        Ok(json!({"family": "web", "revision": 3})),
    )
    .await;
    let deregister = record(
        &app,
        HistoryKind::TaskDefinitionDeregister,
        "web:1",
        "admin",
        json!({"taskDefinition": "web:1"}),
        Ok(json!({})),
    )
    .await;
    let cluster = record(
        &app,
        HistoryKind::ClusterCreate,
        "prod_2",
        "developer",
        json!({"clusterName": "prod_2"}),
        Err("Access denied"),
    )
    .await;

    let today = &time_now()[..10];
    let cases: Vec<(String, Vec<i64>)> = vec![
        (
            "kind=rollout".into(),
            vec![stage_failed, api_failed, web_failed, web_ok],
        ),
        (
            "kind=rollout&status=failed".into(),
            vec![stage_failed, api_failed, web_failed],
        ),
        (
            "kind=rollout&status=failed&cluster=prod".into(),
            vec![api_failed, web_failed],
        ),
        (
            "service=web&cluster=prod".into(),
            vec![deploy, web_failed, web_ok],
        ),
        (
            "service=prod%2Fweb&kind=rollout".into(),
            vec![web_failed, web_ok],
        ),
        (
            "service=web&status=failed".into(),
            vec![stage_failed, web_failed],
        ),
        ("family=web".into(), vec![deregister, register]),
        ("actor=admin".into(), vec![deregister, deploy]),
        ("actor=admin&kind=service.deploy".into(), vec![deploy]),
        ("q=nginx%3A1.27".into(), vec![register]),
        ("q=access+denied".into(), vec![cluster]),
        ("q=prod_".into(), vec![cluster]), // `_` is a character, not a wildcard
        ("q=100%25".into(), vec![]),
        (
            format!("since={today}&until={today}&kind=task_definition.register"),
            vec![register],
        ),
        ("until=2020-01-01".into(), vec![]),
        ("since=2999-01-01".into(), vec![]),
        ("cluster=nowhere".into(), vec![]),
    ];
    for (query, expected) in cases {
        let page = get_json(
            &app,
            UserRole::Developer,
            &format!("/api/v1/history?{query}"),
        )
        .await;
        assert_eq!(ids(&page), expected, "{query}");
    }

    let response = get(
        &app,
        UserRole::Manager,
        "/api/v1/history?kind=deploy&since=2026-02-30&until=2026-01-01&limit=9999",
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["kind", "since", "limit"]);
}

#[tokio::test]
async fn triggers_reject_deleting_history_and_changing_finished_rows() {
    let app = TestApp::spawn(TestApp::NO_AWS).await;
    let finished = rollout(&app, "prod/web", 1, None, "web:1", true).await;
    let pending = db::history::insert_pending(
        &app.state.db,
        HistoryKind::Rollout,
        "prod/api",
        "developer",
        &json!({"rolloutId": 2}),
    )
    .await
    .unwrap();
    // Raw SQL on the database file, as someone at the machine could.
    let raw = sqlx::SqlitePool::connect(&format!("sqlite:{}", app.database_url()))
        .await
        .unwrap();
    let refused = [
        format!("DELETE FROM history WHERE id = {finished}"),
        format!("DELETE FROM history WHERE id = {pending}"),
        "DELETE FROM history".to_string(),
        format!("UPDATE history SET status = 'failed' WHERE id = {finished}"),
        format!("UPDATE history SET error = 'rewritten' WHERE id = {finished}"),
        format!("UPDATE history SET response_json = '{{}}' WHERE id = {finished}"),
        format!("UPDATE history SET service = 'other' WHERE id = {finished}"),
        format!("UPDATE history SET cluster = 'other' WHERE id = {pending}"),
        format!("UPDATE history SET family = 'x' WHERE id = {pending}"),
        format!("UPDATE history SET actor = 'someone' WHERE id = {pending}"),
    ];
    for sql in refused {
        let err = sqlx::query(&sql).execute(&raw).await.expect_err(&sql);
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    // A pending row may be finished, once.
    sqlx::query(&format!(
        "UPDATE history SET status = 'succeeded' WHERE id = {pending}"
    ))
    .execute(&raw)
    .await
    .unwrap();
    let rows: Vec<(String, String, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT target, status, cluster, service FROM history ORDER BY id")
            .fetch_all(&raw)
            .await
            .unwrap();
    assert_eq!(
        rows,
        [
            (
                "prod/web".to_string(),
                "succeeded".to_string(),
                Some("prod".to_string()),
                Some("web".to_string())
            ),
            (
                "prod/api".to_string(),
                "succeeded".to_string(),
                Some("prod".to_string()),
                Some("api".to_string())
            ),
        ]
    );
}

#[tokio::test]
async fn export_streams_what_the_query_shows_as_csv_and_json() {
    let app = TestApp::spawn(TestApp::NO_AWS).await;
    for n in 0..30 {
        rollout(
            &app,
            if n % 3 == 0 { "prod/api" } else { "prod/web" },
            n,
            None,
            "web:1",
            n % 4 != 0,
        )
        .await;
    }
    record(
        &app,
        HistoryKind::ClusterCreate,
        "with,comma",
        "developer",
        json!({"clusterName": "say \"hi\"\nthere"}),
        Err("bad, \"really\""),
    )
    .await;

    let filter = "kind=rollout&service=web&status=succeeded";
    let mut shown = Vec::new();
    let mut path = format!("/api/v1/history?{filter}&limit=7");
    loop {
        let page = get_json(&app, UserRole::Manager, &path).await;
        shown.extend(ids(&page));
        match page["nextCursor"].as_str() {
            Some(c) => path = format!("/api/v1/history?{filter}&limit=7&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(shown.len(), 15);

    let response = get(
        &app,
        UserRole::Developer,
        &format!("/api/v1/history/export?format=json&{filter}&limit=1"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/json");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"ecs-portal-history-"),
        "{disposition}"
    );
    assert!(disposition.ends_with(".json\""), "{disposition}");
    let exported: Vec<Value> = response.json().await.unwrap();
    assert_eq!(
        exported
            .iter()
            .map(|e| e["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        shown
    );
    assert_eq!(exported[0]["request"]["toTaskDefinition"], "web:1");
    assert_eq!(exported[0]["actor"], "developer");

    let response = get(
        &app,
        UserRole::Manager,
        &format!("/api/v1/history/export?format=csv&{filter}"),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    let csv = response.text().await.unwrap();
    let lines: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines[0],
        "id,started_at,kind,target,actor,status,duration_ms,error,request,response"
    );
    assert_eq!(lines.len(), 16);
    let csv_ids: Vec<i64> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(csv_ids, shown);

    // Everything, with quoting: the row with commas, quotes and a line break stays one record.
    let csv = get(&app, UserRole::Admin, "/api/v1/history/export")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains(",\"bad, \"\"really\"\"\","), "{csv}");
    assert!(csv.contains("with,comma") && csv.contains("\"with,comma\""));

    let response = get(&app, UserRole::Manager, "/api/v1/history/export?format=xml").await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = app
        .browser()
        .get(app.url("/api/v1/history/export"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn managers_read_history_and_the_dashboard_developers_only_history() {
    let app = TestApp::spawn(TestApp::NO_AWS).await;
    record(
        &app,
        HistoryKind::TaskDefinitionRegister,
        "web",
        "developer",
        json!({"family": "web"}),
        Ok(json!({"family": "web", "revision": 2})),
    )
    .await;
    rollout(&app, "prod/web", 1, Some("web:1"), "web:2", false).await;
    let restored = rollout(&app, "prod/web", 2, Some("web:1"), "web:2", true).await;

    let manager = app.browser_signed_in("manager").await;
    let html = app.page_html(&manager, "/history?kind=rollout").await;
    assert!(html.contains("data-testid=\"history\""), "{html}");
    assert!(html.contains(&format!("href=\"/history/{restored}\"")));
    assert!(
        html.contains("href=\"/api/v1/history/export?format=csv&amp;kind=rollout\""),
        "{html}"
    );
    assert!(!html.contains("Register task definition</td>"));

    let html = app
        .page_html(&manager, &format!("/history/{restored}"))
        .await;
    assert!(html.contains("data-testid=\"entry-request\""));
    assert!(
        html.contains("&quot;toTaskDefinition&quot;: &quot;web:2&quot;")
            || html.contains("\"toTaskDefinition\": \"web:2\""),
        "{html}"
    );

    let html = app.page_html(&manager, "/dashboard").await;
    assert!(html.contains("data-testid=\"chart-30\""), "{html}");
    assert!(html.contains("data-testid=\"chart-90\""));
    assert_eq!(
        html.matches("<svg xmlns=\"http://www.w3.org/2000/svg\"")
            .count(),
        2
    );
    assert!(html.contains("2 deployments over 30 days, 1 failed."));
    assert!(html.contains(">50%<"), "failure rate");
    assert!(
        html.contains("href=\"/dashboard\""),
        "nav link for a manager"
    );

    let dashboards: Value = app
        .http
        .post(app.url("/api/history_dashboard"))
        .header("Accept", "application/json")
        .bearer_auth(app.token(UserRole::Admin))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(dashboards[0]["days"], 30);
    assert_eq!(dashboards[0]["deployments"], 2);
    assert_eq!(dashboards[0]["restoredIncidents"], 1);
    assert_eq!(dashboards[0]["leadTimeSamples"], 1);
    assert_eq!(dashboards[0]["services"][0]["service"], "prod/web");

    let developer = app.browser_signed_in("developer").await;
    let html = app.page_html(&developer, "/history").await;
    assert!(html.contains("data-testid=\"history\""));
    assert!(
        !html.contains("href=\"/dashboard\""),
        "no dashboard link for a developer"
    );
    let html = app.page_html(&developer, "/dashboard").await;
    assert!(html.contains("data-testid=\"dashboard-error\""));
    assert!(
        html.contains("does not allow you to view the deployment dashboard"),
        "{html}"
    );
    let response = app.call("history_dashboard", &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_rollout_shows_the_action_that_started_it_and_its_task_definition_diff() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    for image in ["nginx:1.26", "nginx:1.27"] {
        let body = json!({"family": "history-web", "requiresCompatibilities": ["FARGATE"],
            "networkMode": "awsvpc", "cpu": "256", "memory": "512",
            "containerDefinitions": [{"name": "web", "image": image, "essential": true}]});
        let response = app
            .http
            .post(app.url("/api/v1/task-definitions"))
            .bearer_auth(app.token(UserRole::Developer))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let deploy = record(
        &app,
        HistoryKind::ServiceDeploy,
        "prod/web",
        "developer",
        json!({"taskDefinition": "history-web:2"}),
        Ok(json!({"rolloutId": 7})),
    )
    .await;
    let rollout_row = rollout(
        &app,
        "prod/web",
        7,
        Some("history-web:1"),
        "history-web:2",
        true,
    )
    .await;
    let other = rollout(
        &app,
        "prod/web",
        8,
        Some("history-web:2"),
        "history-web:1",
        true,
    )
    .await;

    let detail = get_json(
        &app,
        UserRole::Manager,
        &format!("/api/v1/history/{rollout_row}"),
    )
    .await;
    assert_eq!(detail["entry"]["id"], rollout_row);
    let related: Vec<i64> = detail["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(related, [deploy]);
    let changes = detail["rolloutDiff"]["changes"].as_array().unwrap();
    assert!(
        changes.iter().any(|c| c["path"] == "containers[web].image"
            && c["before"] == "nginx:1.26"
            && c["after"] == "nginx:1.27"),
        "{changes:?}"
    );

    let detail = get_json(
        &app,
        UserRole::Developer,
        &format!("/api/v1/history/{deploy}"),
    )
    .await;
    let related: Vec<i64> = detail["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(related, [rollout_row], "not rollout {other}");
    assert!(detail["rolloutDiff"].is_null());

    // The steps of one IAM change request belong together.
    let steps = [
        (HistoryKind::ChangeRequestCreate, 11),
        (HistoryKind::ChangeRequestCreate, 12),
        (HistoryKind::ChangeRequestApprove, 11),
        (HistoryKind::ChangeRequestApply, 11),
    ];
    let mut step_ids = Vec::new();
    for (kind, request_id) in steps {
        step_ids.push(
            record(
                &app,
                kind,
                "app-task-role",
                "admin",
                json!({"changeRequestId": request_id}),
                Ok(json!({})),
            )
            .await,
        );
    }
    let detail = get_json(
        &app,
        UserRole::Manager,
        &format!("/api/v1/history/{}", step_ids[2]),
    )
    .await;
    let related: Vec<i64> = detail["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(related, [step_ids[0], step_ids[3]]);

    let manager = app.browser_signed_in("manager").await;
    let html = app
        .page_html(&manager, &format!("/history/{rollout_row}"))
        .await;
    assert!(html.contains("data-testid=\"rollout-diff\""));
    assert!(html.contains("data-testid=\"changes\""));
    assert!(html.contains("nginx:1.27"));

    let response = get(&app, UserRole::Manager, "/api/v1/history/999999").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn backup_writes_a_copy_that_opens_with_every_row_and_never_overwrites() {
    let app = TestApp::spawn(TestApp::NO_AWS).await;
    for n in 0..25 {
        record(
            &app,
            HistoryKind::ClusterCreate,
            &format!("c{n}"),
            "developer",
            json!({}),
            Ok(json!({})),
        )
        .await;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("copy.db");
    let run = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_ecs-portal"))
            .arg("backup")
            .arg(&file)
            .env("DATABASE_URL", app.database_url())
            .output()
            .unwrap()
    };
    // The server keeps running (and writing) meanwhile.
    let output = run();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let size = std::fs::metadata(&file).unwrap().len();
    assert!(
        stdout.contains("copy.db") && stdout.contains(&format!("({size} bytes)")),
        "{stdout}"
    );

    let copy = sqlx::SqlitePool::connect(&format!("sqlite:{}", file.display()))
        .await
        .unwrap();
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM history")
        .fetch_one(&copy)
        .await
        .unwrap();
    assert_eq!(count, 25);
    let err = sqlx::query("DELETE FROM history")
        .execute(&copy)
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("append-only"),
        "the copy keeps its triggers"
    );

    let again = run();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}
