//! Sign-in, sessions, tokens and authorization against the real router and database.

use crate::helpers::{TestApp, PASSWORD};
use app::{
    backend::{auth::AuthSettings, ops},
    domain::permissions::{Operation, UserRole},
};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::{collections::BTreeMap, time::Duration};

const NO_AWS: &str = TestApp::NO_AWS;

/// Who may call an endpoint.
#[derive(Clone, Copy, Debug)]
enum Rule {
    /// Anyone; the answer does not depend on the caller's role.
    Public,
    /// Signed-in users whose role allows the operation.
    Requires(Operation),
}

/// Every server function, with its rule and a well-formed request body (so the answer is
/// about authorization, not about missing arguments). A server function missing here
/// fails the matrix test: add its rule when you add the function.
type Form = Vec<(&'static str, &'static str)>;

fn server_function_rules() -> BTreeMap<&'static str, (Rule, Form)> {
    use Operation::*;
    use Rule::*;
    BTreeMap::from([
        ("/api/current_user", (Public, vec![])),
        // A valid sign-in: failed ones would throttle this test's own sign-ins.
        (
            "/api/sign_in",
            (
                Public,
                vec![
                    ("username", "developer"),
                    ("password", PASSWORD),
                    ("next", "/"),
                ],
            ),
        ),
        ("/api/sign_out", (Public, vec![])),
        ("/api/setup_link_status", (Public, vec![("secret", "nope")])),
        (
            "/api/setup_first_admin",
            (
                Public,
                vec![
                    ("secret", "nope"),
                    ("username", "root"),
                    ("display_name", "Root"),
                    ("password", PASSWORD),
                    ("password_confirmation", PASSWORD),
                ],
            ),
        ),
        ("/api/aws_environment", (Requires(ViewOwnAccount), vec![])),
        ("/api/list_clusters", (Requires(ViewClusters), vec![])),
        (
            "/api/create_cluster",
            (Requires(CreateCluster), vec![("cluster_name", "not valid")]),
        ),
        (
            "/api/recent_history",
            (Requires(ViewHistory), vec![("limit", "1")]),
        ),
        (
            "/api/search_history",
            (Requires(ViewHistory), vec![("query", "kind=rollout")]),
        ),
        (
            "/api/history_entry",
            (Requires(ViewHistory), vec![("id", "999999")]),
        ),
        ("/api/history_dashboard", (Requires(ViewDashboard), vec![])),
        (
            "/api/list_task_definition_families",
            (Requires(ViewTaskDefinitions), vec![]),
        ),
        (
            "/api/list_task_definition_revisions",
            (Requires(ViewTaskDefinitions), vec![("family", "matrix")]),
        ),
        (
            "/api/describe_task_definition",
            (
                Requires(ViewTaskDefinitions),
                vec![("family", "matrix"), ("revision", "1")],
            ),
        ),
        (
            "/api/compare_task_definitions",
            (
                Requires(ViewTaskDefinitions),
                vec![("family", "matrix"), ("a", "1"), ("b", "2")],
            ),
        ),
        (
            "/api/register_task_definition_json",
            (Requires(RegisterTaskDefinition), vec![("json", "{}")]),
        ),
        (
            "/api/deregister_task_definition",
            (
                Requires(DeregisterTaskDefinition),
                vec![("family", "matrix"), ("revision", "1"), ("confirm", "")],
            ),
        ),
        (
            "/api/task_definition_form",
            (Requires(ViewTaskDefinitions), vec![("from", "")]),
        ),
        (
            "/api/register_task_definition_form",
            (
                Requires(RegisterTaskDefinition),
                vec![("fields[family]", "not valid")],
            ),
        ),
        // ---- services and rollouts ----
        (
            "/api/list_cluster_services",
            (Requires(ViewClusters), vec![("cluster", "matrix")]),
        ),
        (
            "/api/service_page",
            (
                Requires(ViewClusters),
                vec![("cluster", "matrix"), ("service", "matrix")],
            ),
        ),
        ("/api/rollout", (Requires(ViewClusters), vec![("id", "1")])),
        (
            "/api/service_form",
            (Requires(ViewClusters), vec![("cluster", "")]),
        ),
        (
            "/api/service_form_revisions",
            (Requires(ViewTaskDefinitions), vec![("family", "matrix")]),
        ),
        (
            "/api/create_service_form",
            (
                Requires(CreateService),
                vec![("fields[serviceName]", "not valid")],
            ),
        ),
        (
            "/api/deploy_revision",
            (
                Requires(DeployService),
                vec![
                    ("cluster", "matrix"),
                    ("service", "matrix"),
                    ("task_definition", "no-revision"),
                ],
            ),
        ),
        (
            "/api/scale_service",
            (
                Requires(DeployService),
                vec![
                    ("cluster", "matrix"),
                    ("service", "matrix"),
                    ("desired_count", "-1"),
                ],
            ),
        ),
        (
            "/api/force_new_deployment",
            (
                Requires(DeployService),
                vec![("cluster", "matrix"), ("service", "matrix")],
            ),
        ),
        (
            "/api/roll_back_service",
            (
                Requires(DeployService),
                vec![("cluster", "matrix"), ("service", "matrix")],
            ),
        ),
        (
            "/api/delete_service",
            (
                Requires(DeleteService),
                vec![
                    ("cluster", "matrix"),
                    ("service", "matrix"),
                    ("confirm", ""),
                ],
            ),
        ),
        ("/api/list_users", (Requires(ManageUsers), vec![])),
        (
            "/api/add_user",
            (
                Requires(ManageUsers),
                vec![
                    ("username", "Not Valid"),
                    ("display_name", "x"),
                    ("role", "developer"),
                    ("password", "short"),
                ],
            ),
        ),
        (
            "/api/change_user_role",
            (
                Requires(ManageUsers),
                vec![("user_id", "999999"), ("role", "developer")],
            ),
        ),
        (
            "/api/set_user_disabled",
            (
                Requires(ManageUsers),
                vec![("user_id", "999999"), ("disabled", "true")],
            ),
        ),
        (
            "/api/reset_user_password",
            (
                Requires(ManageUsers),
                vec![("user_id", "999999"), ("password", PASSWORD)],
            ),
        ),
        (
            "/api/audit_log",
            (Requires(ViewAudit), vec![("action", "")]),
        ),
        ("/api/list_api_tokens", (Requires(ManageOwnTokens), vec![])),
        (
            "/api/create_api_token",
            (
                Requires(ManageOwnTokens),
                vec![("name", ""), ("expires_in_days", "")],
            ),
        ),
        (
            "/api/take_new_api_token",
            (Requires(ManageOwnTokens), vec![]),
        ),
        (
            "/api/revoke_api_token",
            (Requires(ManageOwnTokens), vec![("token_id", "999999")]),
        ),
        ("/api/list_iam_roles", (Requires(ViewRoles), vec![])),
        (
            "/api/describe_iam_role",
            (Requires(ViewRoles), vec![("name", "matrix")]),
        ),
        (
            "/api/list_change_requests",
            (Requires(ViewRoles), vec![("status", ""), ("mine", "")]),
        ),
        (
            "/api/get_change_request",
            (Requires(ViewRoles), vec![("id", "999999")]),
        ),
        (
            "/api/approve_change_request",
            (
                Requires(ApproveIamChange),
                vec![("id", "999999"), ("comment", ""), ("confirm_drift", "")],
            ),
        ),
        (
            "/api/reject_change_request",
            (
                Requires(ApproveIamChange),
                vec![("id", "999999"), ("comment", "matrix")],
            ),
        ),
        (
            "/api/withdraw_change_request",
            (Requires(RequestIamChange), vec![("id", "999999")]),
        ),
        (
            "/api/retry_change_request",
            (Requires(ApproveIamChange), vec![("id", "999999")]),
        ),
        (
            "/api/change_request_form",
            (Requires(RequestIamChange), vec![("generate", "")]),
        ),
        (
            "/api/submit_change_request",
            (
                Requires(RequestIamChange),
                vec![("fields[kind]", "create-role")],
            ),
        ),
    ])
}

/// Every `/api/v1` route (method, path) with its rule and a JSON body.
fn api_v1_rules() -> BTreeMap<(&'static str, &'static str), (Rule, Option<Value>)> {
    use Operation::*;
    use Rule::*;
    BTreeMap::from([
        (("GET", "/api/v1/me"), (Requires(ViewOwnAccount), None)),
        (("GET", "/api/v1/clusters"), (Requires(ViewClusters), None)),
        (
            ("POST", "/api/v1/clusters"),
            (
                Requires(CreateCluster),
                Some(serde_json::json!({"clusterName": "not valid"})),
            ),
        ),
        (
            ("GET", "/api/v1/task-definitions"),
            (Requires(ViewTaskDefinitions), None),
        ),
        (
            ("POST", "/api/v1/task-definitions"),
            (
                Requires(RegisterTaskDefinition),
                Some(serde_json::json!({"family": "not valid"})),
            ),
        ),
        (
            ("GET", "/api/v1/task-definitions/{family}"),
            (Requires(ViewTaskDefinitions), None),
        ),
        (
            ("GET", "/api/v1/task-definitions/{family}/{revision}"),
            (Requires(ViewTaskDefinitions), None),
        ),
        (
            ("DELETE", "/api/v1/task-definitions/{family}/{revision}"),
            (Requires(DeregisterTaskDefinition), None),
        ),
        (
            ("GET", "/api/v1/change-requests"),
            (Requires(ViewRoles), None),
        ),
        (
            ("POST", "/api/v1/change-requests"),
            (
                Requires(RequestIamChange),
                Some(serde_json::json!({"kind": "create-role", "roleName": "not valid"})),
            ),
        ),
        (
            ("GET", "/api/v1/change-requests/{id}"),
            (Requires(ViewRoles), None),
        ),
        (
            ("POST", "/api/v1/change-requests/{id}/approve"),
            (
                Requires(ApproveIamChange),
                Some(serde_json::json!({"comment": "matrix"})),
            ),
        ),
        (
            ("POST", "/api/v1/change-requests/{id}/reject"),
            (
                Requires(ApproveIamChange),
                Some(serde_json::json!({"comment": "matrix"})),
            ),
        ),
        (
            ("POST", "/api/v1/change-requests/{id}/withdraw"),
            (Requires(RequestIamChange), None),
        ),
        (
            ("POST", "/api/v1/change-requests/{id}/retry"),
            (Requires(ApproveIamChange), None),
        ),
        (("GET", "/api/v1/roles"), (Requires(ViewRoles), None)),
        (("GET", "/api/v1/roles/{name}"), (Requires(ViewRoles), None)),
        // ---- services and rollouts ----
        (
            ("POST", "/api/v1/services"),
            (
                Requires(CreateService),
                Some(serde_json::json!({"cluster": "not valid"})),
            ),
        ),
        (
            ("GET", "/api/v1/clusters/{cluster}/services"),
            (Requires(ViewClusters), None),
        ),
        (
            ("POST", "/api/v1/services/{cluster}/{service}/deployments"),
            (
                Requires(DeployService),
                Some(serde_json::json!({"taskDefinition": "no-revision"})),
            ),
        ),
        (
            ("POST", "/api/v1/services/{cluster}/{service}/scale"),
            (
                Requires(DeployService),
                Some(serde_json::json!({"desiredCount": -1})),
            ),
        ),
        (
            (
                "POST",
                "/api/v1/services/{cluster}/{service}/force-deployment",
            ),
            (Requires(DeployService), None),
        ),
        (
            ("POST", "/api/v1/services/{cluster}/{service}/rollback"),
            (Requires(DeployService), None),
        ),
        (
            ("DELETE", "/api/v1/services/{cluster}/{service}"),
            (Requires(DeleteService), None),
        ),
        (
            ("GET", "/api/v1/rollouts/{id}"),
            (Requires(ViewClusters), None),
        ),
        (("GET", "/api/v1/history"), (Requires(ViewHistory), None)),
        (
            ("GET", "/api/v1/history/{id}"),
            (Requires(ViewHistory), None),
        ),
        (
            ("GET", "/api/v1/history/export"),
            (Requires(ExportHistory), None),
        ),
    ])
}

#[derive(Clone, Copy, Debug)]
enum Identity {
    Anonymous,
    Session(UserRole),
    Bearer(UserRole),
}

async fn client_for(app: &TestApp, identity: Identity) -> (Client, Option<String>) {
    match identity {
        Identity::Anonymous => (app.browser(), None),
        Identity::Session(role) => (app.browser_signed_in(role.as_str()).await, None),
        Identity::Bearer(role) => (app.http.clone(), Some(app.token(role).to_string())),
    }
}

fn expected_denial(rule: Rule, identity: Identity) -> Option<StatusCode> {
    match (rule, identity) {
        (Rule::Public, _) => None,
        (Rule::Requires(_), Identity::Anonymous) => Some(StatusCode::UNAUTHORIZED),
        (Rule::Requires(op), Identity::Session(role) | Identity::Bearer(role)) => {
            (!role.can(op)).then_some(StatusCode::FORBIDDEN)
        }
    }
}

#[tokio::test]
async fn every_endpoint_times_every_identity_is_authorized_by_the_permission_table() {
    let app = TestApp::spawn(NO_AWS).await;
    let fn_rules = server_function_rules();
    let registered: Vec<String> = server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_string())
        .collect();
    for path in &registered {
        assert!(
            fn_rules.contains_key(path.as_str()),
            "server function {path} has no rule in this test: add one"
        );
    }
    let (_, doc) = server::api_v1::router_and_doc();
    let mut api_routes = Vec::new();
    for (path, item) in &doc.paths.paths {
        for (method, op) in [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
            ("PATCH", &item.patch),
        ] {
            if op.is_some() {
                api_routes.push((method, path.clone()));
            }
        }
    }
    let api_rules = api_v1_rules();
    for (method, path) in &api_routes {
        assert!(
            api_rules.contains_key(&(*method, path.as_str())),
            "{method} {path} has no rule in this test: add one"
        );
    }

    let identities = [
        Identity::Anonymous,
        Identity::Session(UserRole::Developer),
        Identity::Session(UserRole::Manager),
        Identity::Session(UserRole::Admin),
        Identity::Bearer(UserRole::Developer),
        Identity::Bearer(UserRole::Manager),
        Identity::Bearer(UserRole::Admin),
    ];
    let mut cells = 0;
    let mut failures = Vec::new();
    for path in &registered {
        let (rule, form) = &fn_rules[path.as_str()];
        let mut public_status = None;
        for identity in identities {
            let (client, bearer) = client_for(&app, identity).await;
            let mut request = client
                .post(app.url(path))
                .header("Accept", "application/json")
                .form(form);
            if let Some(token) = bearer {
                request = request.bearer_auth(token);
            }
            let status = request.send().await.unwrap().status();
            cells += 1;
            match expected_denial(*rule, identity) {
                Some(expected) if status != expected => failures.push(format!("{path} as {identity:?}: {status}, expected {expected}")),
                None if matches!(rule, Rule::Requires(_))
                    && matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) =>
                {
                    failures.push(format!("{path} as {identity:?}: {status}, expected it allowed"))
                }
                None if matches!(rule, Rule::Public) => match public_status {
                    None => public_status = Some(status),
                    Some(first) if first != status => failures.push(format!("{path} as {identity:?}: {status}, but {first} for anonymous (public endpoints must not depend on the role)")),
                    _ => {}
                },
                _ => {}
            }
        }
    }
    for (method, path) in &api_routes {
        let (rule, body) = &api_rules[&(*method, path.as_str())];
        for identity in identities {
            let (client, bearer) = client_for(&app, identity).await;
            let concrete = path
                .replace("{family}", "matrix")
                .replace("{revision}", "1")
                .replace("{id}", "999999")
                .replace("{name}", "matrix")
                .replace("{cluster}", "matrix")
                .replace("{service}", "matrix");
            let mut request = client.request(method.parse().unwrap(), app.url(&concrete));
            if let Some(body) = body {
                request = request.json(body);
            }
            if let Some(token) = bearer {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.unwrap();
            let status = response.status();
            cells += 1;
            // A browser session may only change things with POST.
            let cookie_non_post =
                matches!(identity, Identity::Session(_)) && !matches!(*method, "GET" | "POST");
            let denial = if cookie_non_post {
                Some(StatusCode::FORBIDDEN)
            } else {
                expected_denial(*rule, identity)
            };
            match denial {
                Some(expected) => {
                    if status != expected {
                        failures.push(format!(
                            "{method} {path} as {identity:?}: {status}, expected {expected}"
                        ));
                    }
                    let body: Value = response.json().await.unwrap_or_default();
                    if !body["error"].is_string() || !body["errors"].is_array() {
                        failures.push(format!(
                            "{method} {path} as {identity:?}: error body {body}"
                        ));
                    }
                }
                None if matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) => {
                    failures.push(format!(
                        "{method} {path} as {identity:?}: {status}, expected it allowed"
                    ))
                }
                None => {}
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cells} cells wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(cells >= 150, "only {cells} cells");

    // Each denial left an audit row.
    let denied: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit WHERE action = 'denied'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(denied.0 >= 20, "{denied:?}");
}

#[tokio::test]
async fn pages_need_a_signed_in_user_except_sign_in_and_healthz() {
    let app = TestApp::spawn(NO_AWS).await;
    let anonymous = app.browser();
    for page in ["/", "/clusters", "/admin/users", "/account/tokens"] {
        let response = anonymous.get(app.url(page)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{page}");
        assert_eq!(
            response.headers()["location"],
            format!("/signin?next={page}").as_str()
        );
    }
    assert_eq!(
        anonymous
            .get(app.url("/signin"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        anonymous
            .get(app.url("/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let doc: Value = anonymous
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/v1/me"]["get"].is_object());

    // A developer sees no admin navigation, and the admin page itself refuses them.
    let developer = app.browser_signed_in("developer").await;
    let home = app.page_html(&developer, "/").await;
    assert!(home.contains("Clusters") && !home.contains("/admin/users"));
    let admin_page = app.page_html(&developer, "/admin/users").await;
    assert!(
        admin_page.contains("does not allow you to manage users"),
        "{admin_page}"
    );
    let admin = app.browser_signed_in("admin").await;
    let home = app.page_html(&admin, "/").await;
    assert!(home.contains("/admin/users"));
}

#[tokio::test]
async fn five_failures_per_username_or_address_throttle_sign_in_with_retry_after() {
    let app = TestApp::spawn(NO_AWS).await;
    let sign_in = |username: &'static str, password: &'static str| {
        let client = app.browser();
        let url = app.url("/api/sign_in");
        async move {
            client
                .post(url)
                .header("Accept", "application/json")
                .form(&[
                    ("username", username),
                    ("password", password),
                    ("next", "/"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    // Unknown user and wrong password get the same answer.
    let unknown: Value = sign_in("nobody", "whatever password")
        .await
        .json()
        .await
        .unwrap();
    let wrong: Value = sign_in("developer", "wrong password!")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unknown["message"], wrong["message"]);
    for _ in 0..3 {
        assert_eq!(sign_in("developer", "wrong password!").await.status(), 401);
    }
    // Five failures from this address: even the right password now waits.
    let throttled = sign_in("developer", PASSWORD).await;
    assert_eq!(throttled.status(), 429);
    let retry_after: i64 = throttled.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    let body: Value = throttled.json().await.unwrap();
    assert!(body["message"]
        .as_str()
        .unwrap()
        .starts_with("Too many failed sign-ins"));
    let audit: (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit WHERE action = 'sign_in_throttled'")
            .fetch_one(&app.state.db)
            .await
            .unwrap();
    assert_eq!(audit.0, 1);
}

async fn me_status(app: &TestApp, client: &Client) -> StatusCode {
    client
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn idle_sessions_expire() {
    let auth = AuthSettings {
        idle_timeout: Duration::from_secs(2),
        ..AuthSettings::default()
    };
    let app = TestApp::builder().auth(auth).spawn().await;
    let browser = app.browser_signed_in("developer").await;
    let me: Value = browser
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        me,
        serde_json::json!({"username": "developer", "role": "developer"})
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(me_status(&app, &browser).await, 401);
}

#[tokio::test]
async fn active_sessions_outlive_the_idle_timeout() {
    let auth = AuthSettings {
        idle_timeout: Duration::from_secs(2),
        ..AuthSettings::default()
    };
    let app = TestApp::builder().auth(auth).spawn().await;
    let browser = app.browser_signed_in("developer").await;
    // A request every 0.8 s for 4 s: twice the idle timeout, never idle for it.
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(me_status(&app, &browser).await, 200);
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(me_status(&app, &browser).await, 401);
}

#[tokio::test]
async fn sessions_end_after_their_absolute_lifetime_even_when_active() {
    let auth = AuthSettings {
        max_lifetime: Duration::from_secs(2),
        ..AuthSettings::default()
    };
    let app = TestApp::builder().auth(auth).spawn().await;
    let browser = app.browser_signed_in("developer").await;
    assert_eq!(me_status(&app, &browser).await, 200);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(me_status(&app, &browser).await, 200);
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(me_status(&app, &browser).await, 401);
}

#[tokio::test]
async fn sign_out_invalidates_the_session_on_the_server() {
    let app = TestApp::spawn(NO_AWS).await;
    let set_cookie = app.sign_in_set_cookie("developer").await;
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let with_cookie = |method: reqwest::Method, path: &str| {
        app.http
            .request(method, app.url(path))
            .header("Cookie", &cookie)
            .header("Origin", &app.base_url)
            .header("Accept", "application/json")
    };
    assert_eq!(
        with_cookie(reqwest::Method::GET, "/api/v1/me")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        with_cookie(reqwest::Method::POST, "/api/sign_out")
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    // The same cookie, replayed: the server no longer knows the session.
    assert_eq!(
        with_cookie(reqwest::Method::GET, "/api/v1/me")
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

#[tokio::test]
async fn cross_site_posts_with_a_cookie_are_refused_but_bearer_tokens_are_exempt() {
    let app = TestApp::spawn(NO_AWS).await;
    let browser = app.browser_signed_in("developer").await;
    let evil = browser
        .post(app.url("/api/recent_history"))
        .header("Origin", "http://evil.example")
        .header("Accept", "application/json")
        .form(&[("limit", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);

    // The session cookie alone, with neither Origin nor Referer: refused too.
    let set_cookie = app.sign_in_set_cookie("developer").await;
    let cookie = set_cookie.split(';').next().unwrap().to_string();
    let bare = app
        .http
        .post(app.url("/api/recent_history"))
        .header("Cookie", &cookie)
        .header("Accept", "application/json")
        .form(&[("limit", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 403);
    // ... and with `Origin: null` (a sandboxed frame or a redirect chain).
    let null_origin = app
        .http
        .post(app.url("/api/recent_history"))
        .header("Cookie", &cookie)
        .header("Origin", "null")
        .form(&[("limit", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(null_origin.status(), 403);
    // The same cookie from this site is fine: the refusals were about the origin.
    let same_site = app
        .http
        .post(app.url("/api/recent_history"))
        .header("Cookie", &cookie)
        .header("Origin", &app.base_url)
        .header("Accept", "application/json")
        .form(&[("limit", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(same_site.status(), 200);

    // A same-origin Referer is enough.
    let referer_ok = browser
        .post(app.url("/api/recent_history"))
        .header("Accept", "application/json")
        .form(&[("limit", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(referer_ok.status(), 200);

    // Cookie-authenticated changes must be POSTs.
    let put = browser
        .put(app.url("/api/v1/clusters"))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 403);

    // A bearer token is not sent by browsers on their own: no origin check.
    let bearer = app
        .http
        .post(app.url("/api/recent_history"))
        .header("Origin", "http://evil.example")
        .header("Accept", "application/json")
        .bearer_auth(app.token(UserRole::Developer))
        .form(&[("limit", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), 200);

    let denied: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit WHERE action = 'denied'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert!(denied.0 >= 3);
}

#[tokio::test]
async fn tokens_are_shown_once_work_until_revoked_and_record_their_use() {
    let app = TestApp::spawn(NO_AWS).await;
    let browser = app.browser_signed_in("manager").await;
    let created: Value = browser
        .post(app.url("/api/create_api_token"))
        .header("Accept", "application/json")
        .form(&[("name", "ci"), ("expires_in_days", "30")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = created["token"].as_str().unwrap().to_string();
    assert!(token.starts_with("ecsp_"));
    assert!(created["summary"]["expiresAt"].is_string());

    let me = |token: String| {
        let http = app.http.clone();
        let url = app.url("/api/v1/me");
        async move { http.get(url).bearer_auth(token).send().await.unwrap() }
    };
    let answer: Value = me(token.clone()).await.json().await.unwrap();
    assert_eq!(
        answer,
        serde_json::json!({"username": "manager", "role": "manager"})
    );

    // The list shows it, with its last use, and never the token itself.
    let list: Value = browser
        .post(app.url("/api/list_api_tokens"))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "ci")
        .unwrap()
        .clone();
    assert!(listed["lastUsedAt"].is_string());
    assert!(!list.to_string().contains(&token));
    let stored: (String,) = sqlx::query_as("SELECT token_hash FROM api_tokens WHERE name = 'ci'")
        .fetch_one(&app.state.db)
        .await
        .unwrap();
    assert_ne!(stored.0, token);

    let revoke = browser
        .post(app.url("/api/revoke_api_token"))
        .header("Accept", "application/json")
        .form(&[("token_id", listed["id"].to_string().as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(revoke.status(), 200);
    let after = me(token).await;
    assert_eq!(after.status(), 401);
    let body: Value = after.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("not valid"));
}

#[tokio::test]
async fn a_disabled_user_can_neither_sign_in_nor_use_sessions_or_tokens_and_the_last_admin_stays() {
    let app = TestApp::spawn(NO_AWS).await;
    let developer = app.browser_signed_in("developer").await;
    let admin = app.browser_signed_in("admin").await;
    let users: Value = admin
        .post(app.url("/api/list_users"))
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id_of = |name: &str| {
        users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["username"] == name)
            .unwrap()["id"]
            .to_string()
    };

    let disable = admin
        .post(app.url("/api/set_user_disabled"))
        .header("Accept", "application/json")
        .form(&[
            ("user_id", id_of("developer").as_str()),
            ("disabled", "true"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(disable.status(), 200);
    assert_eq!(me_status(&app, &developer).await, 401);
    let token = app
        .http
        .get(app.url("/api/v1/me"))
        .bearer_auth(app.token(UserRole::Developer))
        .send()
        .await
        .unwrap();
    assert_eq!(token.status(), 401);
    let sign_in = app
        .browser()
        .post(app.url("/api/sign_in"))
        .header("Accept", "application/json")
        .form(&[
            ("username", "developer"),
            ("password", PASSWORD),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in.status(), 401);

    // The only admin cannot demote or disable themselves.
    let admin_id = id_of("admin");
    for (path, form) in [
        (
            "/api/change_user_role",
            vec![("user_id", admin_id.as_str()), ("role", "manager")],
        ),
        (
            "/api/set_user_disabled",
            vec![("user_id", admin_id.as_str()), ("disabled", "true")],
        ),
    ] {
        let response = admin
            .post(app.url(path))
            .header("Accept", "application/json")
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 409, "{path}");
    }
    // With a second admin, the first may step down.
    let promote = admin
        .post(app.url("/api/change_user_role"))
        .header("Accept", "application/json")
        .form(&[("user_id", id_of("manager").as_str()), ("role", "admin")])
        .send()
        .await
        .unwrap();
    assert_eq!(promote.status(), 200);
    let step_down = admin
        .post(app.url("/api/change_user_role"))
        .header("Accept", "application/json")
        .form(&[("user_id", admin_id.as_str()), ("role", "developer")])
        .send()
        .await
        .unwrap();
    assert_eq!(step_down.status(), 200);
    let actions: Vec<(String,)> = sqlx::query_as(
        "SELECT action FROM audit WHERE action IN ('user_disabled', 'role_changed') ORDER BY id",
    )
    .fetch_all(&app.state.db)
    .await
    .unwrap();
    assert_eq!(actions.len(), 3);
}

#[tokio::test]
async fn the_first_admin_setup_link_works_once() {
    let app = TestApp::builder().test_users(false).spawn().await;
    let secret = ops::accounts::create_setup_secret(&app.state.db)
        .await
        .unwrap()
        .expect("no users yet");
    let browser = app.browser();
    let page = browser
        .get(app.url(&format!("/setup?token={secret}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Create admin"), "{page}");

    let setup = |secret: String, username: &'static str| {
        let client = app.browser();
        let url = app.url("/api/setup_first_admin");
        async move {
            let response = client
                .post(url)
                .header("Accept", "application/json")
                .form(&[
                    ("secret", secret.as_str()),
                    ("username", username),
                    ("display_name", "Root"),
                    ("password", PASSWORD),
                    ("password_confirmation", PASSWORD),
                ])
                .send()
                .await
                .unwrap();
            (client, response)
        }
    };
    let (admin, first) = setup(secret.clone(), "root").await;
    assert_eq!(first.status(), 200);
    let me: Value = admin
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me, serde_json::json!({"username": "root", "role": "admin"}));

    let (_, second) = setup(secret.clone(), "intruder").await;
    assert_eq!(second.status(), 403);
    let page = browser
        .get(app.url(&format!("/setup?token={secret}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("already been used"));
    assert!(ops::accounts::create_setup_secret(&app.state.db)
        .await
        .unwrap()
        .is_none());
}

#[tokio::test]
async fn the_cli_adds_users_and_creates_tokens_that_the_api_accepts() {
    let app = TestApp::spawn(NO_AWS).await;
    let cli = |args: &[&str], stdin: Option<&str>| {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ecs-portal"))
            .args(args)
            .env("DATABASE_URL", app.database_url())
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        if let Some(input) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        drop(child.stdin.take());
        child.wait_with_output().unwrap()
    };
    let added = cli(
        &[
            "users",
            "add",
            "ci-bot",
            "--role",
            "developer",
            "--password-stdin",
        ],
        Some("a long enough password\n"),
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let short = cli(
        &[
            "users",
            "add",
            "weak",
            "--role",
            "developer",
            "--password-stdin",
        ],
        Some("short\n"),
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));

    let listed = String::from_utf8(cli(&["users", "list"], None).stdout).unwrap();
    assert!(
        listed
            .lines()
            .any(|l| l.starts_with("ci-bot") && l.contains("developer")),
        "{listed}"
    );

    let created = cli(
        &[
            "tokens",
            "create",
            "--user",
            "ci-bot",
            "--name",
            "pipeline",
            "--expires-days",
            "7",
        ],
        None,
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let stdout = String::from_utf8(created.stdout).unwrap();
    let token = stdout.trim();
    assert_eq!(
        stdout.lines().count(),
        1,
        "only the token on stdout: {stdout:?}"
    );
    let me: Value = app
        .http
        .get(app.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        me,
        serde_json::json!({"username": "ci-bot", "role": "developer"})
    );
}
