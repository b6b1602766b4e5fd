//! Clusters end to end through the server functions' HTTP endpoints, checked against moto
//! through the SDK and against the SQLite history.

use crate::helpers::{self, Moto, TestApp};
use serde_json::Value;

async fn cluster_names(moto: &Moto) -> Vec<String> {
    let ecs = moto.ecs().await;
    let arns = ecs
        .list_clusters()
        .send()
        .await
        .unwrap()
        .cluster_arns()
        .to_vec();
    if arns.is_empty() {
        return vec![];
    }
    let described = ecs
        .describe_clusters()
        .set_clusters(Some(arns))
        .send()
        .await
        .unwrap();
    described
        .clusters()
        .iter()
        .filter(|c| c.status() == Some("ACTIVE"))
        .filter_map(|c| c.cluster_name().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn creating_a_cluster_calls_aws_and_records_one_succeeded_row() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;

    let response = app
        .call("create_cluster", &[("cluster_name", "fastapi-cluster")])
        .await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["name"], "fastapi-cluster");
    assert_eq!(body["status"], "ACTIVE");

    assert_eq!(
        cluster_names(&moto).await,
        vec!["fastapi-cluster".to_string()]
    );

    let rows = app.history_rows().await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    let (kind, target, actor, status, request, error) = &rows[0];
    assert_eq!(kind, "cluster.create");
    assert_eq!(target, "fastapi-cluster");
    assert_eq!(actor, "developer");
    assert_eq!(status, "succeeded");
    assert_eq!(
        serde_json::from_str::<Value>(request).unwrap(),
        serde_json::json!({"clusterName": "fastapi-cluster"})
    );
    assert_eq!(error, &None);

    // The list server function and the recent-history panel see it.
    let list: Value = app.call("list_clusters", &[]).await.json().await.unwrap();
    assert_eq!(list[0]["name"], "fastapi-cluster");
    let recent: Value = app
        .call("recent_history", &[("limit", "10")])
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(recent[0]["target"], "fastapi-cluster");
    assert_eq!(recent[0]["status"], "succeeded");
}

#[tokio::test]
async fn an_invalid_name_is_a_field_error_and_reaches_neither_aws_nor_history() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;

    for bad in ["my cluster", "", "prod.cluster", &"x".repeat(256)] {
        let response = app.call("create_cluster", &[("cluster_name", bad)]).await;
        assert_eq!(response.status(), 422, "{bad:?}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["type"], "validation");
        assert_eq!(body["errors"][0]["field"], "clusterName", "{body}");
        assert!(body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Cluster name"));
    }
    assert!(cluster_names(&moto).await.is_empty());
    assert!(app.history_rows().await.is_empty());
}

#[tokio::test]
async fn a_name_in_use_is_refused_and_recorded_as_failed() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    assert_eq!(
        app.call("create_cluster", &[("cluster_name", "dup")])
            .await
            .status(),
        200
    );

    let response = app.call("create_cluster", &[("cluster_name", "dup")]).await;
    assert_eq!(response.status(), 409);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["message"], "The cluster name is already in use.");
    assert_eq!(body["errors"][0]["field"], "clusterName");

    let statuses: Vec<String> = app.history_rows().await.into_iter().map(|r| r.3).collect();
    assert_eq!(statuses, ["succeeded", "failed"]);
}

#[tokio::test]
async fn aws_unreachable_gives_a_plain_error_and_a_failed_row_with_the_request() {
    let mut moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    moto.stop();

    let response = app
        .call("create_cluster", &[("cluster_name", "orphan")])
        .await;
    assert_eq!(response.status(), 503);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["type"], "awsUnavailable");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains("AWS could not be reached"), "{body}");
    assert!(
        !message.contains("dispatch"),
        "internal details leaked: {body}"
    );

    let rows = app.history_rows().await;
    assert_eq!(rows.len(), 1);
    let (_, target, _, status, request, error) = &rows[0];
    assert_eq!(target, "orphan");
    assert_eq!(status, "failed");
    assert!(request.contains("orphan"));
    assert!(error
        .as_deref()
        .unwrap_or_default()
        .contains("AWS could not be reached"));

    // The pages still render, with the banner.
    let browser = app.browser_signed_in("developer").await;
    let page = browser.get(app.url("/clusters")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("AWS is not available"), "banner missing");
}

#[tokio::test]
async fn plain_form_posts_redirect_back_with_the_error_in_the_url() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let referer = app.url("/clusters");
    let browser = app.browser_signed_in("developer").await;

    let ok = browser
        .post(app.url("/api/create_cluster"))
        .header("Accept", "text/html")
        .header("Referer", &referer)
        .form(&[("cluster_name", "no-js")])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 302);
    // Back to the form (Leptos strips any earlier error from the query string).
    let location = ok.headers()["location"].to_str().unwrap();
    assert_eq!(location.trim_end_matches('?'), referer);
    assert_eq!(cluster_names(&moto).await, vec!["no-js".to_string()]);

    let bad = browser
        .post(app.url("/api/create_cluster"))
        .header("Accept", "text/html")
        .header("Referer", &referer)
        .form(&[("cluster_name", "no js")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 302);
    let location = bad.headers()["location"].to_str().unwrap().to_string();
    assert!(location.contains("__err="), "{location}");

    // Following the redirect renders the error next to the field and keeps what was typed.
    let html = browser
        .get(&location)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("may contain only letters, digits, hyphens and underscores"),
        "{html}"
    );
    assert!(html.contains(r#"value="no js""#), "typed value lost");
}

#[tokio::test]
async fn healthz_and_header_show_account_region_endpoint_and_sandbox() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;

    let health: Value = app
        .http
        .get(app.url("/healthz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["database"]["ok"], true);
    assert_eq!(health["aws"]["ok"], true);
    assert_eq!(health["aws"]["accountId"], helpers::ACCOUNT_ID);
    assert_eq!(health["aws"]["region"], helpers::REGION);
    assert_eq!(health["aws"]["sandbox"], true);

    let browser = app.browser_signed_in("manager").await;
    let html = app.page_html(&browser, "/").await;
    assert!(html.contains(helpers::ACCOUNT_ID));
    assert!(html.contains("badge-sandbox"));
    assert!(html.contains(&moto.endpoint()));
}

#[tokio::test]
async fn history_rows_cannot_be_deleted_or_rewritten() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    assert_eq!(
        app.call("create_cluster", &[("cluster_name", "kept")])
            .await
            .status(),
        200
    );

    let delete = sqlx::query("DELETE FROM history")
        .execute(&app.state.db)
        .await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    let rewrite = sqlx::query("UPDATE history SET status = 'failed'")
        .execute(&app.state.db)
        .await;
    assert!(rewrite.unwrap_err().to_string().contains("append-only"));
    assert_eq!(app.history_rows().await.len(), 1);
}
