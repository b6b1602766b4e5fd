//! IAM change requests through `/api/v1` against moto: nothing reaches IAM before an admin
//! other than the requester approves, and then exactly the stored payload, exactly once.

use crate::{
    fixtures::{seed_policy, seed_trust},
    helpers::{Moto, TestApp},
};
use app::domain::{iam::trust::percent_decode, permissions::UserRole};
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn post(app: &TestApp, role: UserRole, path: &str, body: Value) -> (StatusCode, Value) {
    let response = app
        .http
        .post(app.url(path))
        .bearer_auth(app.token(role))
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn request(app: &TestApp, role: UserRole, body: Value) -> i64 {
    let (status, created) = post(app, role, "/api/v1/change-requests", body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "pending");
    created["id"].as_i64().expect("id")
}

async fn approve(app: &TestApp, role: UserRole, id: i64, body: Value) -> (StatusCode, Value) {
    post(
        app,
        role,
        &format!("/api/v1/change-requests/{id}/approve"),
        body,
    )
    .await
}

/// The decoded JSON of a document IAM returned.
fn decoded(raw: &str) -> Value {
    serde_json::from_str(&percent_decode(raw)).expect("IAM document is JSON")
}

async fn role_exists(iam: &aws_sdk_iam::Client, name: &str) -> bool {
    iam.get_role().role_name(name).send().await.is_ok()
}

/// History rows of one kind for one change request.
async fn history_for(
    app: &TestApp,
    kind: &str,
    id: i64,
) -> Vec<(String, String, String, Option<String>)> {
    app.history_rows()
        .await
        .into_iter()
        .filter(|r| r.0 == kind)
        .filter(|r| serde_json::from_str::<Value>(&r.4).unwrap()["changeRequestId"] == id)
        .map(|(_, target, actor, status, _, error)| (target, actor, status, error))
        .collect()
}

#[tokio::test]
async fn the_seed_role_and_policy_exist_only_after_another_admin_approves() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let iam = moto.iam().await;

    let role_id = request(
        &app,
        UserRole::Developer,
        json!({"kind": "create-role", "roleName": "fastapi-task-role", "reason": "books API",
               "description": "fastapi-books task role", "assumeRolePolicyDocument": seed_trust()}),
    )
    .await;
    let (_, created) = post(
        &app,
        UserRole::Developer,
        "/api/v1/change-requests",
        json!({"kind": "put-role-policy", "roleName": "fastapi-task-role", "reason": "books table",
               "policyName": "allow-dynamodb", "policyDocument": seed_policy()}),
    )
    .await;
    let policy_id = created["id"].as_i64().unwrap();
    assert_eq!(created["findings"][0]["code"], "role-not-found");
    assert!(
        !role_exists(&iam, "fastapi-task-role").await,
        "nothing executes at request time"
    );

    let pending: Vec<Value> = app
        .http
        .get(app.url("/api/v1/change-requests?status=pending"))
        .bearer_auth(app.token(UserRole::Manager))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pending.len(), 2);
    let detail = &pending[1];
    assert_eq!(detail["id"], role_id);
    assert_eq!(detail["requestedBy"], "developer");
    assert_eq!(detail["before"], Value::Null);
    assert_eq!(detail["highestSeverity"], "warning");
    assert_eq!(
        detail["findings"][0]["code"],
        "missing-confused-deputy-condition"
    );
    assert_eq!(detail["payloadSha256"].as_str().unwrap().len(), 64);
    assert!(detail["diff"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["change"] == "added"));

    let (status, approved) =
        approve(&app, UserRole::Admin, role_id, json!({"comment": "ok"})).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "applied");
    assert_eq!(approved["reviewedBy"], "admin");
    let (status, approved) = approve(&app, UserRole::Admin, policy_id, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "applied");

    let role = iam
        .get_role()
        .role_name("fastapi-task-role")
        .send()
        .await
        .unwrap();
    let role = role.role().unwrap();
    assert_eq!(
        decoded(role.assume_role_policy_document().unwrap()),
        seed_trust()
    );
    assert_eq!(role.description(), Some("fastapi-books task role"));
    let policy = iam
        .get_role_policy()
        .role_name("fastapi-task-role")
        .policy_name("allow-dynamodb")
        .send()
        .await
        .unwrap();
    assert_eq!(decoded(policy.policy_document()), seed_policy());

    // Every step is in history with its actor.
    for (id, kinds) in
        [(role_id, ()), (policy_id, ())].map(|(id, _)| (id, ["create", "approve", "apply"]))
    {
        for kind in kinds {
            let rows = history_for(&app, &format!("change_request.{kind}"), id).await;
            let actor = if kind == "create" {
                "developer"
            } else {
                "admin"
            };
            assert_eq!(
                rows,
                vec![(
                    "fastapi-task-role".to_string(),
                    actor.to_string(),
                    "succeeded".to_string(),
                    None
                )],
                "{kind} {id}"
            );
        }
    }

    // The role page's data: the policy, decoded, and the portal's version 1 of it.
    let role: Value = app
        .http
        .get(app.url("/api/v1/roles/fastapi-task-role"))
        .bearer_auth(app.token(UserRole::Developer))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(role["trustsEcsTasks"], true);
    assert_eq!(role["inlinePolicies"][0]["document"], seed_policy());
    assert_eq!(role["policyVersions"][0]["version"], 1);
    assert_eq!(role["policyVersions"][0]["appliedBy"], "admin");
    assert_eq!(role["policyVersions"][0]["changeRequestId"], policy_id);
    assert_eq!(role["changeRequests"].as_array().unwrap().len(), 2);
    let roles: Value = app
        .http
        .get(app.url("/api/v1/roles"))
        .bearer_auth(app.token(UserRole::Manager))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(roles
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == "fastapi-task-role" && r["trustsEcsTasks"] == true));

    // A second version without Scan, then a delete: the portal keeps all three, and the
    // role page shows what changed between two of them.
    let mut without_scan = seed_policy();
    without_scan["Statement"][0]["Action"] = json!(["dynamodb:GetItem", "dynamodb:Query"]);
    let second = request(
        &app,
        UserRole::Developer,
        json!({"kind": "put-role-policy", "roleName": "fastapi-task-role", "reason": "read only",
               "policyName": "allow-dynamodb", "policyDocument": without_scan}),
    )
    .await;
    let (_, detail) = get(&app, &format!("/api/v1/change-requests/{second}")).await;
    assert_eq!(
        detail["before"],
        seed_policy(),
        "the before is IAM's decoded document"
    );
    assert_eq!(
        approve(&app, UserRole::Admin, second, json!({})).await.1["status"],
        "applied"
    );
    let deletion = request(
        &app,
        UserRole::Developer,
        json!({"kind": "delete-role-policy", "roleName": "fastapi-task-role", "reason": "gone",
               "policyName": "allow-dynamodb"}),
    )
    .await;
    assert_eq!(
        approve(&app, UserRole::Admin, deletion, json!({})).await.1["status"],
        "applied"
    );
    let (_, role) = get(&app, "/api/v1/roles/fastapi-task-role").await;
    assert_eq!(role["inlinePolicies"], json!([]));
    let versions: Vec<(i64, Value)> = role["policyVersions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["version"].as_i64().unwrap(), v["document"].clone()))
        .collect();
    assert_eq!(
        versions,
        vec![(1, seed_policy()), (2, without_scan), (3, Value::Null)]
    );
    let browser = app.browser_signed_in("manager").await;
    let html = app
        .page_html(
            &browser,
            "/roles/fastapi-task-role?policy=allow-dynamodb&a=1&b=2",
        )
        .await;
    assert!(
        html.contains("Changes from version 1 to version 2"),
        "{html}"
    );
    assert!(
        html.contains(r#"<span class="diff-removed">-         "dynamodb:Scan""#),
        "{html}"
    );
    assert!(html.contains("version 3") && html.contains("(deleted)"));
}

#[tokio::test]
async fn a_rejected_request_never_reaches_iam() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let id = request(
        &app,
        UserRole::Developer,
        json!({"kind": "create-role", "roleName": "rejected-role", "reason": "try",
               "assumeRolePolicyDocument": seed_trust()}),
    )
    .await;
    let reject = format!("/api/v1/change-requests/{id}/reject");
    let (status, body) = post(&app, UserRole::Admin, &reject, json!({})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is required: {body}"
    );
    assert_eq!(body["errors"][0]["field"], "comment");
    let (status, body) = post(
        &app,
        UserRole::Admin,
        &reject,
        json!({"comment": "use the shared role"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "rejected");
    assert_eq!(body["reviewComment"], "use the shared role");
    let (status, _) = approve(&app, UserRole::Admin, id, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(!role_exists(&moto.iam().await, "rejected-role").await);
    assert!(history_for(&app, "change_request.apply", id)
        .await
        .is_empty());
    assert_eq!(
        history_for(&app, "change_request.reject", id).await[0].1,
        "admin"
    );
}

#[tokio::test]
async fn only_another_admin_approves_and_only_the_requester_withdraws() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let body = json!({"kind": "create-role", "roleName": "admins-role", "reason": "mine",
                      "assumeRolePolicyDocument": seed_trust()});
    let id = request(&app, UserRole::Admin, body.clone()).await;
    for role in [UserRole::Admin, UserRole::Manager, UserRole::Developer] {
        let (status, answer) = approve(&app, role, id, json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}: {answer}");
    }
    let (status, _) = post(&app, UserRole::Manager, "/api/v1/change-requests", body).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a manager cannot request");
    let withdraw = format!("/api/v1/change-requests/{id}/withdraw");
    let (status, _) = post(&app, UserRole::Developer, &withdraw, json!({})).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the requester withdraws"
    );
    let (status, answer) = post(&app, UserRole::Admin, &withdraw, json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["status"], "withdrawn");
    let (status, _) = post(&app, UserRole::Admin, &withdraw, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(!role_exists(&moto.iam().await, "admins-role").await);
    assert_eq!(
        history_for(&app, "change_request.withdraw", id).await[0].1,
        "admin"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_approvals_execute_once() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let id = request(
        &app,
        UserRole::Developer,
        json!({"kind": "create-execution-role", "roleName": "race-execution-role", "reason": "race",
               "assumeRolePolicyDocument": seed_trust()}),
    )
    .await;
    // 50 approvals at once, on a multi-threaded runtime, each its own HTTP request.
    let mut calls = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (http, url, token) = (
            app.http.clone(),
            app.url(&format!("/api/v1/change-requests/{id}/approve")),
            app.token(UserRole::Admin).to_string(),
        );
        calls.spawn(async move {
            let response = http
                .post(url)
                .bearer_auth(token)
                .json(&json!({"comment": "go"}))
                .send()
                .await
                .expect("approve");
            let status = response.status();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        });
    }
    let answers = calls.join_all().await;
    let applied = answers
        .iter()
        .filter(|(s, b)| *s == StatusCode::OK && b["status"] == "applied")
        .count();
    let conflicts = answers
        .iter()
        .filter(|(s, _)| *s == StatusCode::CONFLICT)
        .count();
    assert_eq!((applied, conflicts), (1, 49), "{answers:?}");

    let apply_rows = history_for(&app, "change_request.apply", id).await;
    assert_eq!(apply_rows.len(), 1, "exactly one execution: {apply_rows:?}");
    assert_eq!(apply_rows[0].2, "succeeded");
    assert_eq!(
        history_for(&app, "change_request.approve", id).await.len(),
        1
    );
    let (_, detail) = get(&app, &format!("/api/v1/change-requests/{id}")).await;
    assert_eq!(detail["attempts"], 1);
    let attached = moto
        .iam()
        .await
        .list_attached_role_policies()
        .role_name("race-execution-role")
        .send()
        .await
        .unwrap();
    let arns: Vec<&str> = attached
        .attached_policies()
        .iter()
        .filter_map(|p| p.policy_arn())
        .collect();
    assert_eq!(
        arns,
        ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"]
    );
}

async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let response = app
        .http
        .get(app.url(path))
        .bearer_auth(app.token(UserRole::Developer))
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_linter_warns_on_wildcards_and_errors_block_approval() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let iam = moto.iam().await;
    iam.create_role()
        .role_name("lint-role")
        .assume_role_policy_document(seed_trust().to_string())
        .send()
        .await
        .unwrap();
    let put = |name: &str, document: Value| {
        json!({"kind": "put-role-policy", "roleName": "lint-role", "reason": "lint",
               "policyName": name, "policyDocument": document})
    };

    let everything = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]});
    let (status, created) = post(
        &app,
        UserRole::Developer,
        "/api/v1/change-requests",
        put("everything", everything),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let findings = created["findings"].as_array().unwrap();
    assert!(
        findings.iter().any(|f| f["code"] == "wildcard-action"
            && f["severity"] == "warning"
            && f["path"] == "Statement[0].Action"),
        "{created}"
    );

    let (status, refused) = post(
        &app,
        UserRole::Developer,
        "/api/v1/change-requests",
        put(
            "broken",
            json!("{\"Version\": \"2012-10-17\", \"Statement\": ["),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused["errors"][0]["field"], "policyDocument");
    assert!(
        refused["error"]
            .as_str()
            .unwrap()
            .contains("not valid JSON"),
        "{refused}"
    );

    let wrong_effect = json!({"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]});
    let id = request(&app, UserRole::Developer, put("wrong-effect", wrong_effect)).await;
    let (status, answer) = approve(&app, UserRole::Admin, id, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("errors"));
    assert!(iam
        .get_role_policy()
        .role_name("lint-role")
        .policy_name("wrong-effect")
        .send()
        .await
        .is_err());
}

#[tokio::test]
async fn a_failed_apply_records_the_aws_error_and_can_be_retried() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let iam = moto.iam().await;
    iam.create_role()
        .role_name("retry-role")
        .assume_role_policy_document(seed_trust().to_string())
        .send()
        .await
        .unwrap();
    let arn = "arn:aws:iam::123456789012:policy/books-read";
    let id = request(
        &app,
        UserRole::Developer,
        json!({"kind": "attach-role-policy", "roleName": "retry-role", "reason": "books", "policyArn": arn}),
    )
    .await;
    let (status, failed) = approve(&app, UserRole::Admin, id, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{failed}");
    assert_eq!(failed["status"], "failed");
    let error = failed["error"].as_str().unwrap();
    assert!(error.contains("AWS"), "{error}");
    let rows = history_for(&app, "change_request.apply", id).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].2.as_str(), rows[0].3.as_deref()),
        ("failed", Some(error))
    );

    let retry = format!("/api/v1/change-requests/{id}/retry");
    let (status, _) = post(&app, UserRole::Developer, &retry, json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only admins retry");
    iam.create_policy()
        .policy_name("books-read")
        .policy_document(json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}).to_string())
        .send()
        .await
        .unwrap();
    let (status, applied) = post(&app, UserRole::Admin, &retry, json!({})).await;
    assert_eq!(status, StatusCode::OK, "{applied}");
    assert_eq!(applied["status"], "applied");
    assert_eq!(applied["attempts"], 2);
    assert_eq!(applied["error"], Value::Null);
    let attached = iam
        .list_attached_role_policies()
        .role_name("retry-role")
        .send()
        .await
        .unwrap();
    assert_eq!(attached.attached_policies()[0].policy_arn(), Some(arn));
    let (status, _) = post(&app, UserRole::Admin, &retry, json!({})).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an applied request is not retried"
    );
}

#[tokio::test]
async fn drift_since_the_request_needs_the_approvers_confirmation() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let iam = moto.iam().await;
    iam.create_role()
        .role_name("drift-role")
        .assume_role_policy_document(seed_trust().to_string())
        .send()
        .await
        .unwrap();
    let put_directly = |doc: Value| {
        iam.put_role_policy()
            .role_name("drift-role")
            .policy_name("p")
            .policy_document(doc.to_string())
            .send()
    };
    let v1 = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::one/*"}]});
    put_directly(v1.clone()).await.unwrap();
    let v2 = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::two/*"}]});
    let id = request(
        &app,
        UserRole::Developer,
        json!({"kind": "put-role-policy", "roleName": "drift-role", "reason": "move",
               "policyName": "p", "policyDocument": v2.clone()}),
    )
    .await;
    let (_, detail) = get(&app, &format!("/api/v1/change-requests/{id}")).await;
    assert_eq!(detail["before"], v1);

    // Someone changes the policy outside the portal.
    let v3 = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::three/*"}]});
    put_directly(v3).await.unwrap();
    let (status, drift) = approve(&app, UserRole::Admin, id, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{drift}");
    assert_eq!(drift["errors"][0]["field"], "confirmDrift");
    assert!(
        drift["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("three"),
        "{drift}"
    );
    let (status, applied) = approve(&app, UserRole::Admin, id, json!({"confirmDrift": true})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(applied["status"], "applied");
    let policy = iam
        .get_role_policy()
        .role_name("drift-role")
        .policy_name("p")
        .send()
        .await
        .unwrap();
    assert_eq!(decoded(policy.policy_document()), v2);
}

#[tokio::test]
async fn plain_form_posts_open_the_request_with_its_outcome() {
    let moto = Moto::start().await;
    let app = TestApp::spawn(&moto.endpoint()).await;
    let developer = app.browser_signed_in("developer").await;
    let referer = app.url("/approvals/new");
    let post_form = |client: &reqwest::Client, endpoint: &str, form: Vec<(&str, String)>| {
        client
            .post(app.url(&format!("/api/{endpoint}")))
            .header("Accept", "text/html")
            .header("Referer", &referer)
            .form(&form)
            .send()
    };
    let form = |role: &str, reason: &str| {
        vec![
            ("fields[kind]", "create-role".to_string()),
            ("fields[role_name]", role.to_string()),
            ("fields[reason]", reason.to_string()),
            ("fields[trust_policy]", seed_trust().to_string()),
            // Used by other kinds only: ignored for create-role.
            ("fields[policy_document]", "{not json".to_string()),
        ]
    };

    // Refused: back to the form with everything typed and every problem.
    let refused = post_form(&developer, "submit_change_request", form("bad name", ""))
        .await
        .unwrap();
    assert_eq!(refused.status(), 302);
    let location = refused.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/approvals/new?"), "{location}");
    let html = app.page_html(&developer, &location).await;
    assert!(
        html.contains("Role name may contain only letters"),
        "{location}"
    );
    assert!(html.contains("Say why this change is needed"));
    assert!(html.contains("bad name"), "what was typed is kept");

    // Accepted: the request's page.
    let created = post_form(
        &developer,
        "submit_change_request",
        form("plain-role", "no js"),
    )
    .await
    .unwrap();
    assert_eq!(created.status(), 302);
    let location = created.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = location
        .strip_prefix("/approvals/")
        .unwrap()
        .parse()
        .unwrap();
    let html = app.page_html(&developer, &location).await;
    assert!(html.contains("plain-role") && html.contains("pending"));

    // An approval without JavaScript lands on the same page, now applied.
    let admin = app.browser_signed_in("admin").await;
    let approved = post_form(
        &admin,
        "approve_change_request",
        vec![
            ("id", id.to_string()),
            ("comment", "fine".into()),
            ("confirm_drift", String::new()),
        ],
    )
    .await
    .unwrap();
    assert_eq!(approved.status(), 302);
    assert_eq!(
        approved.headers()["location"],
        format!("/approvals/{id}").as_str()
    );
    assert!(app
        .page_html(&admin, &format!("/approvals/{id}"))
        .await
        .contains("applied"));
    assert!(role_exists(&moto.iam().await, "plain-role").await);

    // The requester's own approval comes back with the refusal in words.
    let own = request(
        &app,
        UserRole::Developer,
        json!({"kind": "create-role", "roleName": "own-role", "reason": "mine",
               "assumeRolePolicyDocument": seed_trust()}),
    )
    .await;
    let refused = post_form(
        &developer,
        "approve_change_request",
        vec![("id", own.to_string())],
    )
    .await
    .unwrap();
    let location = refused.headers()["location"].to_str().unwrap().to_string();
    assert!(
        location.starts_with(&format!("/approvals/{own}?error=")),
        "{location}"
    );
    assert!(app
        .page_html(&developer, &location)
        .await
        .contains("does not allow you to approve IAM changes"));
}
