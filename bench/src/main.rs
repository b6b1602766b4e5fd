//! `make bench`: the history benchmark. Not a test: it measures and writes
//! `bench/RESULTS.md`.
//!
//! 1. Seeds 10k and 1M realistic history rows (one transaction, 500-row INSERTs) into fresh
//!    databases migrated by the portal's own migrations.
//! 2. Query and render latency of the server-rendered `/history` page (page 1, page 500 of
//!    20-row pages, a filtered page) against a release `ecs-portal serve` on each database,
//!    signed in with a session cookie; and the query alone, in process.
//! 3. Throughput of `/history` (50 rows) under `wrk` against a minimal axum handler in this
//!    process serving the same 50 rows as JSON from the same database.
//! 4. Peak RSS (VmHWM) of the server process during 3, and the time and peak RSS of
//!    exporting 1M rows as CSV and as JSON.
//!
//! Configuration (environment): `PORTAL_BIN` (release `ecs-portal`), `MOTO_SERVER`
//! (optional: the AWS emulator, so the page header works as in the sandbox),
//! `BENCH_ROWS` (default `10000,1000000`), `BENCH_SECONDS` (wrk duration, default 10),
//! `BENCH_OUT` (default `bench/RESULTS.md`).

use app::{
    backend::db,
    domain::history::{
        cursor::Cursor,
        filter::{HistoryPage, HistoryQuery},
        subject::subject,
        time::Date,
    },
};
use sqlx::{QueryBuilder, SqlitePool};
use std::{
    fmt::Write as _,
    io::{Read, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

type Error = Box<dyn std::error::Error + Send + Sync>;

const PASSWORD: &str = "bench-password-not-secret";
const CLUSTERS: usize = 20;
const SERVICES: [&str; 10] = [
    "web", "api", "worker", "billing", "search", "auth", "cart", "mail", "feed", "admin",
];
const ACTORS: usize = 50;
const DAY_MS: i64 = 86_400_000;
/// Requests per latency measurement (after 20 warm-up requests).
const SAMPLES: usize = 200;

#[tokio::main]
async fn main() {
    if let Err(err) = run().await {
        eprintln!("bench: {err}");
        std::process::exit(1);
    }
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| default.to_string())
}

async fn run() -> Result<(), Error> {
    let portal = PathBuf::from(env_or("PORTAL_BIN", "target/release/ecs-portal"));
    if !portal.exists() {
        return Err(format!(
            "{} is missing: build it with cargo build --release",
            portal.display()
        )
        .into());
    }
    let sizes: Vec<usize> = env_or("BENCH_ROWS", "10000,1000000")
        .split(',')
        .map(|s| s.trim().parse())
        .collect::<Result<_, _>>()?;
    let seconds: u64 = env_or("BENCH_SECONDS", "10").parse()?;
    let out = PathBuf::from(env_or("BENCH_OUT", "bench/RESULTS.md"));
    let work = std::env::temp_dir().join(format!("ecs-portal-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let moto = std::env::var("MOTO_SERVER")
        .ok()
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .map(Moto::start)
        .transpose()?;
    let aws_endpoint = moto.as_ref().map_or("http://127.0.0.1:9".to_string(), |m| {
        format!("http://{}", m.addr)
    });

    let mut report = Report::default();
    for &rows in &sizes {
        let database = work.join(format!("history-{rows}.db"));
        let seeded = Instant::now();
        let pool = seed(&database, rows).await?;
        let seed_secs = seeded.elapsed().as_secs_f64();
        let size_mb = std::fs::metadata(&database)?.len() as f64 / 1e6;
        eprintln!("bench: seeded {rows} rows in {seed_secs:.1} s ({size_mb:.0} MB)");

        let server = Portal::start(&portal, &database, &aws_endpoint, &work)?;
        let cookie = server.sign_in()?;
        let newest = rows as i64;
        let pages = [
            (
                "page 1 (50 rows)",
                "/history".to_string(),
                HistoryQuery::default(),
            ),
            (
                "page 500 (20-row pages)",
                format!(
                    "/history?limit=20&cursor={}",
                    Cursor::Older(newest - 9_979).encode()
                ),
                HistoryQuery::from_query_string(&format!(
                    "limit=20&cursor={}",
                    Cursor::Older(newest - 9_979).encode()
                ))
                .map_err(|e| format!("{e:?}"))?,
            ),
            (
                "filtered: cluster-07/api (50 rows)",
                "/history?cluster=cluster-07&service=api".to_string(),
                HistoryQuery::from_query_string("cluster=cluster-07&service=api")
                    .map_err(|e| format!("{e:?}"))?,
            ),
        ];
        let mut measured = Vec::new();
        for (name, path, query) in &pages {
            let page = latency(server.addr, path, &cookie)?;
            let sql = query_latency(&pool, query).await?;
            eprintln!(
                "bench: {rows} rows, {name}: page p50 {:.2} ms, query p50 {:.3} ms",
                page.p50, sql.p50
            );
            measured.push(PageLatency {
                name: name.to_string(),
                page,
                query: sql,
            });
        }
        let mut text_search = Vec::new();
        for q in ["q=cluster-07%2Fapi", "q=no-such-text-anywhere"] {
            let query = HistoryQuery::from_query_string(q).map_err(|e| format!("{e:?}"))?;
            let started = Instant::now();
            let rows = db::history::search(&pool, &query).await?;
            text_search.push((
                q.to_string(),
                started.elapsed().as_secs_f64() * 1e3,
                rows.len(),
            ));
        }
        drop(server);

        let mut load = None;
        let mut exports = Vec::new();
        if rows == *sizes.iter().max().unwrap_or(&rows) {
            // Throughput and the server's peak memory, from a fresh server process.
            let server = Portal::start(&portal, &database, &aws_endpoint, &work)?;
            let cookie = server.sign_in()?;
            let baseline = Baseline::start(pool.clone()).await?;
            let page = wrk(server.addr, "/history", Some(&cookie), seconds)?;
            let json = wrk(baseline, "/rows", None, seconds)?;
            let peak_rss_mb = server.peak_rss_mb()?;
            eprintln!("bench: /history {page:.0} req/s, baseline {json:.0} req/s, server peak RSS {peak_rss_mb:.1} MB");
            load = Some(Load {
                rows,
                page,
                json,
                peak_rss_mb,
            });
            drop(server);
            for format in ["csv", "json"] {
                let server = Portal::start(&portal, &database, &aws_endpoint, &work)?;
                let cookie = server.sign_in()?;
                let started = Instant::now();
                let response = request(
                    server.addr,
                    "GET",
                    &format!("/api/v1/history/export?format={format}"),
                    &[("Cookie", cookie.as_str())],
                    "",
                )?;
                let secs = started.elapsed().as_secs_f64();
                if response.status != 200 {
                    return Err(format!("export {format}: HTTP {}", response.status).into());
                }
                let peak = server.peak_rss_mb()?;
                eprintln!("bench: export {format} of {rows} rows: {secs:.1} s, {:.0} MB, peak RSS {peak:.1} MB", response.body_bytes as f64 / 1e6);
                exports.push(Export {
                    format,
                    rows,
                    secs,
                    mb: response.body_bytes as f64 / 1e6,
                    peak_rss_mb: peak,
                });
            }
        }
        report.sizes.push(SizeReport {
            rows,
            seed_secs,
            size_mb,
            pages: measured,
            text_search,
            load,
            exports,
        });
        pool.close().await;
    }
    drop(moto);
    let _ = std::fs::remove_dir_all(&work);
    let text = report.markdown(moto_used(&aws_endpoint));
    std::fs::write(&out, &text)?;
    println!("{text}");
    eprintln!("bench: wrote {}", out.display());
    Ok(())
}

fn moto_used(endpoint: &str) -> bool {
    !endpoint.ends_with(":9")
}

// ---- seeding ---------------------------------------------------------------------------

/// xorshift64*: deterministic "random" rows.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn rfc3339(ms: i64) -> String {
    let day = Date::from_epoch_ms(ms);
    let rest = ms - day.start_epoch_ms();
    format!(
        "{day}T{:02}:{:02}:{:02}.{:03}Z",
        rest / 3_600_000,
        rest / 60_000 % 60,
        rest / 1000 % 60,
        rest % 1000
    )
}

struct Row {
    kind: &'static str,
    target: String,
    actor: String,
    status: &'static str,
    started_at: String,
    finished_at: String,
    duration_ms: i64,
    request: String,
    response: Option<String>,
    error: Option<String>,
}

/// Row `i` of `n`, spread evenly over the last 365 days: mostly rollouts and service
/// actions on 20 clusters × 10 services, registrations, IAM change request steps.
fn fake_row(i: usize, n: usize, now_ms: i64) -> Row {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (i as u64 + 1).wrapping_mul(0xbf58_476d_1ce4_e5b9));
    let started = now_ms - 365 * DAY_MS + (i as i64) * (365 * DAY_MS / n.max(1) as i64);
    let duration_ms = 200 + rng.below(120_000) as i64;
    let cluster = format!("cluster-{:02}", rng.below(CLUSTERS));
    let service = SERVICES[rng.below(SERVICES.len())];
    let family = format!("{service}-task");
    let revision = 1 + rng.below(300);
    let failed = rng.below(100) < 8;
    let actor = format!("user-{:02}", rng.below(ACTORS));
    let roll = rng.below(100);
    let td = |r: usize| format!("{family}:{r}");
    let (kind, target, request, response) = match roll {
        0..=39 => (
            "rollout",
            format!("{cluster}/{service}"),
            serde_json::json!({"rolloutId": i, "cluster": cluster, "service": service, "trigger": "deploy",
                "fromTaskDefinition": td(revision), "toTaskDefinition": td(revision + 1), "desiredCount": 2}),
            serde_json::json!({"rolloutId": i, "outcome": if failed { "failed" } else { "completed" },
                "reason": if failed { "2 tasks stopped: essential container exited" } else { "" },
                "finishedAt": rfc3339(started + duration_ms)}),
        ),
        40..=59 | 91..=99 => (
            if roll < 60 {
                "service.deploy"
            } else {
                "service.force_deployment"
            },
            format!("{cluster}/{service}"),
            serde_json::json!({"cluster": cluster, "service": service, "taskDefinition": td(revision + 1)}),
            serde_json::json!({"serviceArn": format!("arn:aws:ecs:us-east-1:123456789012:service/{cluster}/{service}"), "rolloutId": i}),
        ),
        60..=68 => (
            ["service.scale", "service.create", "service.rollback"][roll % 3],
            format!("{cluster}/{service}"),
            serde_json::json!({"cluster": cluster, "service": service, "desiredCount": 1 + rng.below(6)}),
            serde_json::json!({"rolloutId": i}),
        ),
        69..=78 => (
            "task_definition.register",
            family.clone(),
            serde_json::json!({"family": family, "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
                "cpu": "256", "memory": "512", "containerDefinitions": [{"name": service,
                "image": format!("123456789012.dkr.ecr.us-east-1.amazonaws.com/{service}:1.{revision}"),
                "essential": true, "portMappings": [{"containerPort": 8000, "protocol": "tcp"}],
                "environment": [{"name": "LOG_LEVEL", "value": "info"}]}]}),
            serde_json::json!({"taskDefinitionArn": format!("arn:aws:ecs:us-east-1:123456789012:task-definition/{family}:{revision}"),
                "family": family, "revision": revision}),
        ),
        79..=80 => (
            "task_definition.deregister",
            td(revision),
            serde_json::json!({"taskDefinition": td(revision)}),
            serde_json::json!({"revision": revision, "status": "INACTIVE"}),
        ),
        81..=88 => (
            [
                "change_request.create",
                "change_request.approve",
                "change_request.apply",
                "change_request.reject",
            ][roll % 4],
            format!("{service}-task-role"),
            serde_json::json!({"changeRequestId": i / 4, "role": format!("{service}-task-role")}),
            serde_json::json!({"changeRequestId": i / 4}),
        ),
        _ => (
            "cluster.create",
            cluster.clone(),
            serde_json::json!({"clusterName": cluster}),
            serde_json::json!({"name": cluster, "status": "ACTIVE"}),
        ),
    };
    Row {
        kind,
        target,
        actor,
        status: if failed { "failed" } else { "succeeded" },
        started_at: rfc3339(started),
        finished_at: rfc3339(started + duration_ms),
        duration_ms,
        request: request.to_string(),
        response: (!failed || kind == "rollout").then(|| response.to_string()),
        error: failed.then(|| {
            "AccessDeniedException: not authorized to perform ecs:UpdateService".to_string()
        }),
    }
}

async fn seed(database: &Path, rows: usize) -> Result<SqlitePool, Error> {
    let _ = std::fs::remove_file(database);
    let pool = db::connect(&database.display().to_string()).await?;
    db::migrate(&pool).await?;
    let now_ms = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis() as i64;
    let mut tx = pool.begin().await?;
    for start in (0..rows).step_by(500) {
        let mut qb = QueryBuilder::new(
            "INSERT INTO history (kind, target, actor, status, started_at, finished_at, duration_ms, \
             request_json, response_json, error, cluster, service, family) ",
        );
        qb.push_values(start..(start + 500).min(rows), |mut b, i| {
            let row = fake_row(i, rows, now_ms);
            let about = subject(row.kind, &row.target);
            b.push_bind(row.kind)
                .push_bind(row.target)
                .push_bind(row.actor)
                .push_bind(row.status)
                .push_bind(row.started_at)
                .push_bind(row.finished_at)
                .push_bind(row.duration_ms)
                .push_bind(row.request)
                .push_bind(row.response)
                .push_bind(row.error)
                .push_bind(about.cluster)
                .push_bind(about.service)
                .push_bind(about.family);
        });
        qb.build().execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(pool)
}

// ---- processes ------------------------------------------------------------------------

fn free_addr() -> Result<SocketAddr, Error> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

fn wait_for(addr: SocketAddr, path: &str, child: &mut Child) -> Result<(), Error> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(r) = request(addr, "GET", path, &[], "") {
            if r.status < 500 {
                return Ok(());
            }
        }
        if let Some(status) = child.try_wait()? {
            return Err(format!("process exited early: {status}").into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("nothing answered on {addr}").into())
}

struct Moto {
    child: Child,
    addr: SocketAddr,
}

impl Moto {
    fn start(bin: PathBuf) -> Result<Moto, Error> {
        let addr = free_addr()?;
        let mut child = Command::new(bin)
            .args(["-H", "127.0.0.1", "-p", &addr.port().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        wait_for(addr, "/moto-api/", &mut child)?;
        Ok(Moto { child, addr })
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A release `ecs-portal serve` on a database, with the sandbox demo users.
struct Portal {
    child: Child,
    addr: SocketAddr,
}

impl Portal {
    fn start(bin: &Path, database: &Path, aws: &str, work: &Path) -> Result<Portal, Error> {
        let addr = free_addr()?;
        let mut child = Command::new(bin)
            .args(["serve", "--demo-users"])
            .env("DATABASE_URL", database)
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("LEPTOS_SITE_ROOT", work.join("site"))
            .env("AWS_ENDPOINT_URL", aws)
            .env("AWS_ACCESS_KEY_ID", "bench")
            .env("AWS_SECRET_ACCESS_KEY", "bench")
            .env("AWS_REGION", "us-east-1")
            .env("DEMO_PASSWORD", PASSWORD)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        wait_for(addr, "/healthz", &mut child)?;
        Ok(Portal { child, addr })
    }

    /// Signs in as the manager and answers the session cookie (`name=value`).
    fn sign_in(&self) -> Result<String, Error> {
        let origin = format!("http://{}", self.addr);
        let response = request(
            self.addr,
            "POST",
            "/api/sign_in",
            &[
                ("Accept", "application/json"),
                ("Origin", origin.as_str()),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            &format!("username=manager&password={PASSWORD}&next=/"),
        )?;
        response
            .headers
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(name, _)| name.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, value)| value.trim().split(';').next())
            .find(|c| c.starts_with("ecs_portal_session="))
            .map(str::to_string)
            .ok_or_else(|| {
                format!(
                    "sign-in answered {} without a session cookie",
                    response.status
                )
                .into()
            })
    }

    /// The process's peak resident memory so far (VmHWM), in MB.
    fn peak_rss_mb(&self) -> Result<f64, Error> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))?;
        let kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .ok_or("no VmHWM in /proc/<pid>/status")?;
        Ok(kb / 1024.0)
    }
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The baseline: a minimal axum handler serving the newest 50 rows as JSON, with the
/// portal's own query on the same database.
struct Baseline;

impl Baseline {
    async fn start(pool: SqlitePool) -> Result<SocketAddr, Error> {
        use axum::{routing::get, Json, Router};
        let router = Router::new().route(
            "/rows",
            get(move || {
                let pool = pool.clone();
                async move {
                    let query = HistoryQuery::default();
                    let rows = db::history::search(&pool, &query).await.unwrap_or_default();
                    Json(HistoryPage::assemble(rows, &query).items)
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Ok(addr)
    }
}

// ---- measuring ------------------------------------------------------------------------

struct Response {
    status: u16,
    headers: String,
    body_bytes: usize,
}

/// One HTTP/1.1 request on a fresh connection; the body is read to the end and counted
/// (not kept), so exports of any size can be measured.
fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Response, Error> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(600)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        let _ = write!(head, "{name}: {value}\r\n");
    }
    if !body.is_empty() {
        let _ = write!(head, "Content-Length: {}\r\n", body.len());
    }
    head.push_str("\r\n");
    head.push_str(body);
    stream.write_all(head.as_bytes())?;
    let mut buffer = vec![0u8; 64 * 1024];
    let mut header_bytes = Vec::new();
    let mut body_bytes = 0;
    let mut in_body = false;
    loop {
        let n = stream.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        if in_body {
            body_bytes += n;
            continue;
        }
        header_bytes.extend_from_slice(&buffer[..n]);
        if let Some(end) = header_bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            body_bytes = header_bytes.len() - end - 4;
            header_bytes.truncate(end);
            in_body = true;
        }
    }
    let headers = String::from_utf8_lossy(&header_bytes).into_owned();
    let status = headers
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no HTTP status line")?;
    Ok(Response {
        status,
        headers,
        body_bytes,
    })
}

#[derive(Clone, Copy)]
struct Latency {
    p50: f64,
    p95: f64,
}

fn summarize(mut samples: Vec<f64>) -> Latency {
    samples.sort_by(f64::total_cmp);
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Latency {
        p50: at(0.5),
        p95: at(0.95),
    }
}

/// Sequential requests for a page as the signed-in manager: milliseconds to the last byte.
fn latency(addr: SocketAddr, path: &str, cookie: &str) -> Result<Latency, Error> {
    let mut samples = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES + 20 {
        let started = Instant::now();
        let response = request(addr, "GET", path, &[("Cookie", cookie)], "")?;
        if response.status != 200 {
            return Err(format!("GET {path}: HTTP {}", response.status).into());
        }
        if i >= 20 {
            samples.push(started.elapsed().as_secs_f64() * 1e3);
        }
    }
    Ok(summarize(samples))
}

/// The page's query alone (keyset search), in process.
async fn query_latency(pool: &SqlitePool, query: &HistoryQuery) -> Result<Latency, Error> {
    let mut samples = Vec::with_capacity(SAMPLES);
    for i in 0..SAMPLES + 20 {
        let started = Instant::now();
        let rows = db::history::search(pool, query).await?;
        if rows.is_empty() {
            return Err("a measured query found no rows".into());
        }
        if i >= 20 {
            samples.push(started.elapsed().as_secs_f64() * 1e3);
        }
    }
    Ok(summarize(samples))
}

/// Requests per second under `wrk` (2 threads, 16 connections).
fn wrk(addr: SocketAddr, path: &str, cookie: Option<&str>, seconds: u64) -> Result<f64, Error> {
    let mut command = Command::new("wrk");
    command.args(["-t2", "-c16", &format!("-d{seconds}s")]);
    if let Some(cookie) = cookie {
        command.args(["-H", &format!("Cookie: {cookie}")]);
    }
    let output = command.arg(format!("http://{addr}{path}")).output()?;
    let text = String::from_utf8_lossy(&output.stdout);
    if text.contains("Non-2xx") {
        return Err(format!("wrk saw errors on {path}:\n{text}").into());
    }
    text.lines()
        .find_map(|l| l.trim().strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("no Requests/sec in wrk output:\n{text}").into())
}

// ---- report ---------------------------------------------------------------------------

struct PageLatency {
    name: String,
    page: Latency,
    query: Latency,
}

struct Load {
    rows: usize,
    page: f64,
    json: f64,
    peak_rss_mb: f64,
}

struct Export {
    format: &'static str,
    rows: usize,
    secs: f64,
    mb: f64,
    peak_rss_mb: f64,
}

struct SizeReport {
    rows: usize,
    seed_secs: f64,
    size_mb: f64,
    pages: Vec<PageLatency>,
    text_search: Vec<(String, f64, usize)>,
    load: Option<Load>,
    exports: Vec<Export>,
}

#[derive(Default)]
struct Report {
    sizes: Vec<SizeReport>,
}

fn shell(command: &str) -> String {
    Command::new("sh")
        .args(["-c", command])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn met(ok: bool) -> &'static str {
    if ok {
        "**met**"
    } else {
        "**not met**"
    }
}

impl Report {
    fn markdown(&self, with_moto: bool) -> String {
        let mut md = String::new();
        let _ = writeln!(md, "# History benchmark results\n");
        let _ = writeln!(md, "- Date: {}", shell("date -u '+%Y-%m-%d %H:%M UTC'"));
        let _ = writeln!(
            md,
            "- Commit: {}",
            shell("git rev-parse --short HEAD 2>/dev/null")
        );
        let _ = writeln!(
            md,
            "- Machine: {}; {} ({} CPUs); {}",
            shell("uname -srm"),
            shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"),
            shell("nproc"),
            shell("free -m | awk '/Mem:/ {print $2 \" MB RAM\"}'")
        );
        let _ = writeln!(md, "- Build: release (`cargo build --release -p server -p bench`); server = `ecs-portal serve` as a child process, SQLite file (WAL), {}.", if with_moto { "AWS emulator (moto) for the page header" } else { "no AWS endpoint" });
        let _ = writeln!(md, "- Load generator: {}; the machine is shared (2 cores, other builds running), so absolute figures are noisy; ratios are measured in the same run.\n", shell("wrk --version 2>&1 | head -1"));
        let _ = writeln!(md, "Rows are realistic: 40% rollouts, 30% service actions, 10% registrations, IAM change request steps, cluster creations; 20 clusters × 10 services, 50 users, spread over 365 days; 8% failed.\n");

        let _ = writeln!(
            md,
            "## Seeding\n\n| rows | time | database size |\n| ---: | ---: | ---: |"
        );
        for s in &self.sizes {
            let _ = writeln!(
                md,
                "| {} | {:.1} s | {:.0} MB |",
                s.rows, s.seed_secs, s.size_mb
            );
        }

        let _ = writeln!(md, "\n## (1) Query + render latency of `/history` (signed in, {SAMPLES} sequential requests, new connection each)\n");
        let _ = writeln!(md, "| page | rows | page p50 | page p95 | query alone p50 |\n| --- | ---: | ---: | ---: | ---: |");
        for s in &self.sizes {
            for p in &s.pages {
                let _ = writeln!(
                    md,
                    "| {} | {} | {:.2} ms | {:.2} ms | {:.3} ms |",
                    p.name, s.rows, p.page.p50, p.page.p95, p.query.p50
                );
            }
        }
        if let (Some(small), Some(large)) = (self.sizes.first(), self.sizes.last()) {
            if small.rows != large.rows {
                let _ = writeln!(md, "\nTarget: p50 at {} rows / p50 at {} rows ≤ 1.2.\n\n| page | ratio (page) | ratio (query alone) | target |\n| --- | ---: | ---: | --- |", large.rows, small.rows);
                for (a, b) in small.pages.iter().zip(&large.pages) {
                    let ratio = b.page.p50 / a.page.p50;
                    let _ = writeln!(
                        md,
                        "| {} | {:.2} | {:.2} | {} |",
                        a.name,
                        ratio,
                        b.query.p50 / a.query.p50,
                        met(ratio <= 1.2)
                    );
                }
            }
        }
        let _ = writeln!(md, "\nFree text (`q`, a LIKE over target, actor, error and request: not indexed, bounded by the page size), one query in process:\n\n| rows | query | time | rows found |\n| ---: | --- | ---: | ---: |");
        for s in &self.sizes {
            for (q, ms, n) in &s.text_search {
                let _ = writeln!(md, "| {} | `{q}` | {ms:.1} ms | {n} |", s.rows);
            }
        }
        for s in &self.sizes {
            if let Some(load) = &s.load {
                let ratio = load.page / load.json;
                let _ = writeln!(
                    md,
                    "\n## (2) Throughput at {} rows (wrk, 2 threads, 16 connections)\n",
                    load.rows
                );
                let _ = writeln!(md, "| endpoint | requests/s |\n| --- | ---: |\n| `/history` (server-rendered page, 50 rows, session cookie) | {:.0} |\n| baseline: minimal axum handler, same 50 rows as JSON, same database | {:.0} |", load.page, load.json);
                let _ = writeln!(
                    md,
                    "\nRatio {:.2}; target ≥ 0.5: {}.",
                    ratio,
                    met(ratio >= 0.5)
                );
                let _ = writeln!(md, "\n## (3) Peak RSS of the server during (2)\n\n{:.1} MB (VmHWM of the `ecs-portal` process, started fresh for the run); target ≤ 60 MB: {}.", load.peak_rss_mb, met(load.peak_rss_mb <= 60.0));
            }
            if !s.exports.is_empty() {
                let _ = writeln!(md, "\n## (4) Export of {} rows (`/api/v1/history/export`, streamed; fresh server per format)\n\n| format | time | size | server peak RSS |\n| --- | ---: | ---: | ---: |", s.rows);
                for e in &s.exports {
                    let _ = writeln!(
                        md,
                        "| {} | {:.1} s | {:.0} MB | {:.1} MB |",
                        e.format, e.secs, e.mb, e.peak_rss_mb
                    );
                }
                let _ = writeln!(md, "\n({} rows each.)", s.exports[0].rows);
            }
        }
        md
    }
}
