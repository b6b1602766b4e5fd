//! The harness: a real `moto_server` child process on a free loopback port, and the real
//! portal router on another, with its own temporary SQLite file.

use app::{
    backend::{
        auth::{AuthSettings, Caller},
        aws::AwsSettings,
        ops, AppState,
    },
    domain::{accounts::NewUser, permissions::UserRole},
};
use server::{jobs::rollouts::RolloutSettings, Config, LogFormat};
use std::{
    collections::HashMap,
    net::TcpListener,
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

pub const REGION: &str = "us-east-1";
/// moto's default account.
pub const ACCOUNT_ID: &str = "123456789012";

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("no free loopback port")
}

fn moto_server_bin() -> PathBuf {
    if let Ok(path) = std::env::var("MOTO_SERVER") {
        return PathBuf::from(path);
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/moto_server");
    assert!(
        venv.exists(),
        "moto_server not found at {}: run `make test` (it creates the venv) or set MOTO_SERVER",
        venv.display()
    );
    venv
}

/// A running `moto_server`, killed when dropped.
pub struct Moto {
    child: Option<Child>,
    pub port: u16,
}

impl Moto {
    pub async fn start() -> Moto {
        let port = free_port();
        let child = Command::new(moto_server_bin())
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .env("MOTO_ECS_SERVICE_RUNNING", "2")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("could not start moto_server");
        let moto = Moto {
            child: Some(child),
            port,
        };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = http
                .get(format!("{}/moto-api/", moto.endpoint()))
                .send()
                .await
            {
                if r.status().is_success() {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "moto_server did not start on port {port}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        moto
    }

    pub fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops the emulator, as if AWS became unreachable.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SDK configuration for this emulator, to check AWS state independently.
    pub async fn sdk_config(&self) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(REGION))
            .endpoint_url(self.endpoint())
            .credentials_provider(aws_sdk_ecs::config::Credentials::new(
                "testing", "testing", None, None, "test",
            ))
            .load()
            .await
    }

    pub async fn ecs(&self) -> aws_sdk_ecs::Client {
        aws_sdk_ecs::Client::new(&self.sdk_config().await)
    }

    /// An IAM client for this emulator, to check IAM state independently.
    pub async fn iam(&self) -> aws_sdk_iam::Client {
        aws_sdk_iam::Client::new(&self.sdk_config().await)
    }

    pub async fn ec2(&self) -> aws_sdk_ec2::Client {
        aws_sdk_ec2::Client::new(&self.sdk_config().await)
    }

    /// Up to two subnets and the `default` security group of moto's default VPC, as the seed
    /// uses them (their ids change on every reset, so they are looked up).
    pub async fn default_network(&self) -> (Vec<String>, String) {
        let ec2 = self.ec2().await;
        let vpcs = ec2.describe_vpcs().send().await.unwrap();
        let vpc = vpcs
            .vpcs()
            .iter()
            .find(|v| v.is_default() == Some(true))
            .and_then(|v| v.vpc_id())
            .expect("moto has a default VPC")
            .to_string();
        let subnets: Vec<String> = ec2
            .describe_subnets()
            .send()
            .await
            .unwrap()
            .subnets()
            .iter()
            .filter(|s| s.vpc_id() == Some(vpc.as_str()))
            .filter_map(|s| s.subnet_id().map(str::to_string))
            .take(2)
            .collect();
        let group = ec2
            .describe_security_groups()
            .send()
            .await
            .unwrap()
            .security_groups()
            .iter()
            .find(|g| g.vpc_id() == Some(vpc.as_str()) && g.group_name() == Some("default"))
            .and_then(|g| g.group_id())
            .expect("default security group")
            .to_string();
        assert!(!subnets.is_empty());
        (subnets, group)
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Every test user's password.
pub const PASSWORD: &str = "correct horse battery staple";

/// The rollout watcher in tests: a quick look every 200 ms, a one-minute timeout.
pub const TEST_ROLLOUTS: RolloutSettings = RolloutSettings {
    poll_interval: Duration::from_millis(200),
    timeout: Duration::from_secs(60),
};

/// The portal, serving its real router on a free port with a temporary database, with one
/// user per role (`developer`, `manager`, `admin`) and an API token for each.
pub struct TestApp {
    pub base_url: String,
    pub state: AppState,
    pub http: reqwest::Client,
    pub tokens: HashMap<UserRole, String>,
    _dir: tempfile::TempDir,
    /// The rollout watcher; `None` once stopped.
    jobs: Option<server::BackgroundJobs>,
    database_url: String,
}

/// How to start a [`TestApp`]: `TestApp::builder().aws(..).auth(..).spawn().await`. Unless
/// told otherwise: AWS nowhere ([`TestApp::NO_AWS`]), default sessions, a fresh database
/// with the three test users, and the quick [`TEST_ROLLOUTS`] watcher.
pub struct TestAppBuilder {
    aws_endpoint: String,
    auth: AuthSettings,
    test_users: bool,
    rollouts: RolloutSettings,
    /// The database file and API tokens of an earlier portal to start on.
    existing: Option<(String, HashMap<UserRole, String>)>,
}

impl TestAppBuilder {
    /// Where the portal finds AWS (a [`Moto`] endpoint).
    pub fn aws(mut self, endpoint: &str) -> Self {
        self.aws_endpoint = endpoint.to_string();
        self
    }

    /// Session settings (idle timeout, absolute lifetime).
    pub fn auth(mut self, auth: AuthSettings) -> Self {
        self.auth = auth;
        self
    }

    /// Whether the database starts with one user (and API token) per role; without them it
    /// is a first start.
    pub fn test_users(mut self, test_users: bool) -> Self {
        self.test_users = test_users;
        self
    }

    /// The rollout watcher's settings.
    pub fn rollouts(mut self, rollouts: RolloutSettings) -> Self {
        self.rollouts = rollouts;
        self
    }

    /// Starts on `earlier`'s database file (as after a restart), with the same users and
    /// API tokens. Keep `earlier` alive (it owns the file); stop its jobs first.
    pub fn same_database_as(mut self, earlier: &TestApp) -> Self {
        self.existing = Some((earlier.database_url(), earlier.tokens.clone()));
        self
    }

    pub async fn spawn(self) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let (database_url, existing_tokens) = match self.existing {
            Some((url, tokens)) => (url, Some(tokens)),
            None => (dir.path().join("portal.db").display().to_string(), None),
        };
        let with_users = self.test_users && existing_tokens.is_none();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().unwrap();
        let config = Config {
            site_addr: addr,
            site_root: dir.path().join("site").display().to_string(),
            database_url: database_url.clone(),
            aws: AwsSettings {
                endpoint_url: Some(self.aws_endpoint),
                region: Some(REGION.to_string()),
                static_credentials: Some(("testing".into(), "testing".into())),
                // No retries: an unreachable endpoint fails at once.
                max_attempts: Some(1),
            },
            auth: self.auth,
            log_format: LogFormat::Text,
            demo_users: false,
            demo_password: None,
            rollouts: self.rollouts,
        };
        let state = server::build_state(&config).await.expect("state");
        let jobs = server::start_background_jobs(&state, &config);
        let mut tokens = existing_tokens.unwrap_or_default();
        for role in UserRole::ALL.into_iter().filter(|_| with_users) {
            tokens.insert(role, add_test_user(&state, role).await);
        }
        let router = server::router(state.clone());
        tokio::spawn(async move {
            server::serve_router(listener, router, std::future::pending())
                .await
                .expect("serve");
        });
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        TestApp {
            base_url: format!("http://{addr}"),
            state,
            http,
            tokens,
            _dir: dir,
            jobs: Some(jobs),
            database_url,
        }
    }
}

/// Adds the user named after `role` (with [`PASSWORD`]); answers a new API token of theirs.
async fn add_test_user(state: &AppState, role: UserRole) -> String {
    let new_user = NewUser {
        username: role.as_str().to_string(),
        display_name: format!("Test {role}"),
        role,
        password: PASSWORD.to_string(),
    };
    let user = ops::accounts::add_user_unchecked(&state.db, &Caller::Operator, new_user)
        .await
        .expect("test user");
    ops::accounts::create_token_for(
        &state.db,
        &Caller::Operator,
        user.id,
        &user.username,
        "tests",
        None,
    )
    .await
    .expect("test token")
    .token
}

impl TestApp {
    /// Where AWS is not: for tests that never reach AWS.
    pub const NO_AWS: &'static str = "http://127.0.0.1:9";

    pub fn builder() -> TestAppBuilder {
        TestAppBuilder {
            aws_endpoint: TestApp::NO_AWS.to_string(),
            auth: AuthSettings::default(),
            test_users: true,
            rollouts: TEST_ROLLOUTS,
            existing: None,
        }
    }

    /// The usual portal: test users, default settings, AWS at `aws_endpoint`.
    pub async fn spawn(aws_endpoint: &str) -> TestApp {
        TestApp::builder().aws(aws_endpoint).spawn().await
    }

    /// Stops the background jobs (the rollout watcher), as when the process is killed.
    pub fn stop_background_jobs(&mut self) {
        self.jobs.take();
    }

    pub fn token(&self, role: UserRole) -> &str {
        &self.tokens[&role]
    }

    /// A browser-like client (cookie jar, same-origin `Origin` header on every request)
    /// signed in as `username`.
    pub async fn browser_signed_in(&self, username: &str) -> reqwest::Client {
        let client = self.browser();
        self.sign_in(&client, username).await;
        client
    }

    /// The HTML of a page, fetched with `client` (its cookies decide who is asking).
    pub async fn page_html(&self, client: &reqwest::Client, path: &str) -> String {
        client
            .get(self.url(path))
            .send()
            .await
            .expect("page request")
            .text()
            .await
            .expect("page body")
    }

    /// Signs in without a cookie jar and answers the `Set-Cookie` header of the session,
    /// for tests that replay or strip the cookie by hand.
    pub async fn sign_in_set_cookie(&self, username: &str) -> String {
        let response = self.sign_in(&self.browser(), username).await;
        response.headers()["set-cookie"]
            .to_str()
            .expect("cookie")
            .to_string()
    }

    /// Signs `client` in as `username` with [`PASSWORD`]; fails the test if refused.
    async fn sign_in(&self, client: &reqwest::Client, username: &str) -> reqwest::Response {
        let response = client
            .post(self.url("/api/sign_in"))
            .header("Accept", "application/json")
            .form(&[
                ("username", username),
                ("password", PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("sign in");
        assert!(
            response.status().is_success(),
            "sign-in failed: {}",
            response.status()
        );
        response
    }

    /// A browser-like client that is not signed in.
    pub fn browser(&self) -> reqwest::Client {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("Origin", self.base_url.parse().unwrap());
        reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub fn database_url(&self) -> String {
        self.database_url.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// Calls a server function the way the browser's JavaScript does, as the developer
    /// (with the developer's API token).
    pub async fn call(&self, endpoint: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(&format!("/api/{endpoint}")))
            .header("Accept", "application/json")
            .bearer_auth(self.token(UserRole::Developer))
            .form(form)
            .send()
            .await
            .expect("server function call")
    }

    /// (kind, target, actor, status, request_json, error) for every history row, oldest first.
    pub async fn history_rows(
        &self,
    ) -> Vec<(String, String, String, String, String, Option<String>)> {
        sqlx::query_as(
            "SELECT kind, target, actor, status, request_json, error FROM history ORDER BY id",
        )
        .fetch_all(&self.state.db)
        .await
        .expect("history query")
    }

    /// Calls `/api/v1` as `role` with its bearer token, as automation does: the status and
    /// the JSON body (`Null` when there is none).
    pub async fn api(
        &self,
        role: UserRole,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let mut request = self
            .http
            .request(method, self.url(path))
            .bearer_auth(self.token(role));
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    /// Polls `GET /api/v1/rollouts/{id}` as a CI pipeline would, until the rollout is decided.
    pub async fn wait_for_rollout(&self, id: i64) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let path = format!("/api/v1/rollouts/{id}");
            let (status, rollout) = self
                .api(UserRole::Developer, reqwest::Method::GET, &path, None)
                .await;
            assert_eq!(status, reqwest::StatusCode::OK, "{rollout}");
            if rollout["status"] != "in_progress" {
                return rollout;
            }
            assert!(
                Instant::now() < deadline,
                "rollout {id} never settled: {rollout}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
