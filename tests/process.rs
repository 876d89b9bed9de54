//! The real `tribune` binary as an operator runs it: the command line, logs,
//! graceful shutdown on SIGTERM, and no acknowledged comment lost to SIGKILL.

#[path = "support/database.rs"]
mod database;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "a long password";

struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The database of the test whose folder is `dir`, made on first use: a
/// SQLite file there, or a fresh PostgreSQL database when
/// TRIBUNE_TEST_DATABASE_URL names a server (`.ci/run` runs these tests
/// so too). Every command and restart of one test uses the same.
fn database_url(dir: &Path) -> String {
    let kept = dir.join("database-url");
    if let Ok(url) = std::fs::read_to_string(&kept) {
        return url;
    }
    let url = database::fresh_database_url(dir);
    std::fs::write(&kept, &url).unwrap();
    url
}

fn tribune(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tribune"));
    cmd.current_dir(dir)
        .env("TRIBUNE_DATABASE__URL", database_url(dir))
        .env("TRIBUNE_RATE_LIMIT__ENABLED", "false")
        .env("TRIBUNE_AUTH__ARGON2_MEMORY_KIB", "64")
        .env("TRIBUNE_AUTH__ARGON2_ITERATIONS", "1")
        .env_remove("RUST_LOG");
    cmd
}

impl Server {
    async fn start(dir: &Path, env: &[(&str, &str)]) -> Server {
        let port = free_port();
        let log = dir.join(format!("log-{port}.txt"));
        let file = std::fs::File::create(&log).unwrap();
        let mut cmd = tribune(dir);
        cmd.env("TRIBUNE_SERVER__BIND", format!("127.0.0.1:{port}"))
            .stdout(file.try_clone().unwrap())
            .stderr(file);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().expect("start tribune");
        let server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            // Bounded, so a port some other process answers on cannot hang the test.
            let probe = reqwest::Client::builder()
                .timeout(Duration::from_secs(2))
                .build()
                .unwrap()
                .get(format!("{}/healthz", server.base))
                .send();
            if let Ok(res) = probe.await {
                if res.status() == 200 {
                    return server;
                }
            }
            assert!(
                Instant::now() < deadline,
                "tribune did not start: {}",
                server.log_text()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The log once `ready` holds for it. Lines reach the file within
    /// milliseconds; the deadline is ten times a generous margin.
    async fn log_until(&self, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let log = self.log_text();
            if ready(&log) {
                return log;
            }
            assert!(Instant::now() < deadline, "the log never got there:\n{log}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn create_admin(dir: &Path, name: &str) {
    let out = tribune(dir)
        .args([
            "create-admin",
            "--username",
            name,
            "--email",
            &format!("{name}@example.com"),
        ])
        .env("TRIBUNE_ADMIN_PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn post(
    client: &reqwest::Client,
    url: String,
    token: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut req = client.post(url).json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("request");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn create_article(server: &Server, admin: &str, key: &str) {
    let (status, body) = post(
        &reqwest::Client::new(),
        server.url("/admin/articles"),
        Some(admin),
        json!({"key": key, "title": "T"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
}

/// Registers reader `name` with `password`; returns the session token.
async fn register(server: &Server, name: &str, password: &str) -> String {
    let (status, body) = post(
        &reqwest::Client::new(),
        server.url("/auth/register"),
        None,
        json!({"username": name, "email": format!("{name}@example.com"), "password": password}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["token"].as_str().unwrap().to_string()
}

async fn sign_in(server: &Server, login: &str) -> String {
    let (status, body) = post(
        &reqwest::Client::new(),
        server.url("/auth/login"),
        None,
        json!({"login": login, "password": PASSWORD}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    body["token"].as_str().unwrap().to_string()
}

#[test]
fn help_names_every_command() {
    let out = Command::new(env!("CARGO_BIN_EXE_tribune"))
        .arg("--help")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for word in [
        "serve",
        "migrate",
        "create-admin",
        "words",
        "dsa",
        "backup",
        "restore",
    ] {
        assert!(text.contains(word), "{text}");
    }
}

/// The migrations the repository holds for the backend of `url`.
fn migrations_for(url: &str) -> usize {
    let backend = if url.starts_with("sqlite://") {
        "sqlite"
    } else {
        "postgres"
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(dir).unwrap().count()
}

/// How many migrations the database at `url` records as run (it must exist).
fn applied_migrations(url: &str) -> usize {
    use diesel::{Connection, PgConnection, RunQueryDsl, SqliteConnection};
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let query = diesel::sql_query("SELECT COUNT(*) AS n FROM __diesel_schema_migrations");
    let count: Count = match url.strip_prefix("sqlite://") {
        Some(file) => {
            assert!(Path::new(file).exists(), "no database file at {file}");
            query.get_result(&mut SqliteConnection::establish(file).unwrap())
        }
        None => query.get_result(&mut PgConnection::establish(url).unwrap()),
    }
    .unwrap();
    count.n as usize
}

#[test]
fn migrate_creates_the_database_and_create_admin_refuses_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = tribune(dir.path()).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = database_url(dir.path());
    assert_eq!(applied_migrations(&url), migrations_for(&url));
    let out = tribune(dir.path())
        .args([
            "create-admin",
            "--username",
            "x",
            "--email",
            "x@example.com",
        ])
        .env("TRIBUNE_ADMIN_PASSWORD", PASSWORD)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = tribune(dir.path())
        .args([
            "create-admin",
            "--username",
            "chef",
            "--email",
            "chef@example.com",
        ])
        .env_remove("TRIBUNE_ADMIN_PASSWORD")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "no password and no terminal must fail"
    );
    let out = tribune(dir.path())
        .arg("migrate")
        .env("TRIBUNE_DATABASE__URL", "mysql://nope")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("sqlite://"));
}

#[test]
fn load_starter_adds_the_starter_list_once_and_needs_an_admin() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = tribune(dir.path()).args(args).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.success(), text)
    };
    let (ok, text) = run(&["words", "load-starter"]);
    assert!(!ok, "no admin yet: {text}");
    assert!(text.contains("create-admin"), "{text}");
    create_admin(dir.path(), "chef");
    let (ok, text) = run(&["words", "load-starter", "--admin", "nobody"]);
    assert!(!ok, "{text}");
    let (ok, text) = run(&["words", "load-starter"]);
    assert!(ok, "{text}");
    let added: usize = text
        .split("starter list: ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{text}"));
    assert!(added >= 60, "{text}");
    let (ok, text) = run(&["words", "load-starter", "--admin", "chef"]);
    assert!(ok, "{text}");
    assert!(
        text.contains(&format!("0 words added, {added} already listed")),
        "{text}"
    );
}

#[tokio::test]
async fn logs_carry_request_ids_and_never_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[("RUST_LOG", "debug")]).await;
    assert!(
        server.log_text().contains("create-admin"),
        "first start says how to make an admin"
    );
    create_admin(dir.path(), "chef");
    let client = reqwest::Client::new();
    let secret = "correct horse battery staple";
    let first_token = register(&server, "nadia", secret).await;
    let (_, body) = post(
        &client,
        server.url("/auth/login"),
        None,
        json!({"login": "nadia", "password": secret}),
    )
    .await;
    let token = body["token"].as_str().unwrap().to_string();
    let admin = sign_in(&server, "chef").await;
    create_article(&server, &admin, "a1").await;
    let (status, _) = post(
        &client,
        server.url("/articles/a1/comments"),
        Some(&token),
        json!({"body": "bonjour"}),
    )
    .await;
    assert_eq!(status, 201);
    let log = server
        .log_until(|log| log.contains("/api/v1/articles/a1/comments"))
        .await;
    for secret in [secret, PASSWORD, &first_token, &token, &admin] {
        let leak = log.lines().find(|l| l.contains(secret));
        assert!(leak.is_none(), "a secret reached the log: {leak:?}");
    }
    let request_lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("/api/v1/articles/a1/comments"))
        .collect();
    assert!(!request_lines.is_empty(), "{log}");
    assert!(
        request_lines.iter().all(|l| l.contains("request_id")),
        "{log}"
    );
}

#[tokio::test]
async fn tokens_in_links_never_reach_the_access_log() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]).await;
    let client = reqwest::Client::new();
    let reset = "resetTOKENabcdefghijklmnopqrstuvwxyz0123456";
    let unsubscribe = "unsubTOKENabcdefghijklmnopqrstuvwxyz012345";
    for url in [
        format!(
            "{}/account/reset-password?token={reset}&lang=ar",
            server.base
        ),
        format!("{}/account/verify-email?token={reset}", server.base),
        server.url(&format!("/unsubscribe/{unsubscribe}")),
    ] {
        client.get(&url).send().await.unwrap();
    }
    let log = server
        .log_until(|log| log.contains("/api/v1/unsubscribe/"))
        .await;
    assert!(
        log.contains("/account/reset-password?token=…&lang=ar"),
        "{log}"
    );
    for secret in [reset, unsubscribe] {
        let leak = log.lines().find(|l| l.contains(secret));
        assert!(leak.is_none(), "a token reached the log: {leak:?}");
    }
}

#[tokio::test]
async fn json_logs_are_one_object_per_line() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[("TRIBUNE_LOG__FORMAT", "json")]).await;
    reqwest::get(server.url("/i18n/fr")).await.unwrap();
    let log = server
        .log_until(|log| log.contains("/api/v1/i18n/fr") && log.ends_with('\n'))
        .await;
    let lines: Vec<&str> = log.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(lines.len() >= 2, "{log}");
    for line in lines {
        serde_json::from_str::<Value>(line).unwrap_or_else(|_| panic!("not JSON: {line}"));
    }
}

#[tokio::test]
async fn sigterm_lets_requests_in_flight_finish_and_refuses_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    // Slow hashing keeps a sign-in in flight long enough to stop the server under it.
    let slow = [
        ("TRIBUNE_AUTH__ARGON2_MEMORY_KIB", "65536"),
        ("TRIBUNE_AUTH__ARGON2_ITERATIONS", "12"),
    ];
    let server = Server::start(dir.path(), &slow).await;
    register(&server, "nadia", PASSWORD).await;
    let url = server.url("/auth/login");
    let in_flight = tokio::spawn(async move {
        post(
            &reqwest::Client::new(),
            url,
            None,
            json!({"login": "nadia", "password": PASSWORD}),
        )
        .await
    });
    // Real time: a head start for the sign-in to reach the server. Nothing
    // outside shows a request being hashed, and hashing takes far longer.
    tokio::time::sleep(Duration::from_millis(150)).await;
    server.terminate();
    let (status, body) = in_flight.await.unwrap();
    assert_eq!(status, 200, "the request in flight finishes: {body}");
    // The listener closes within milliseconds; ten times a generous margin.
    let deadline = Instant::now() + Duration::from_secs(3);
    loop {
        let probe = reqwest::Client::new()
            .get(format!("{}/healthz", server.base))
            .timeout(Duration::from_secs(5))
            .send()
            .await;
        if probe.is_err() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "new requests are refused after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Posts from several clients, SIGKILLs the server mid-stream, restarts it and
/// checks that every acknowledged comment is there, word for word; 20 rounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_acknowledged_comment_is_lost_to_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path(), &[]).await;
    create_admin(dir.path(), "chef");
    let admin = sign_in(&server, "chef").await;
    let client = reqwest::Client::new();
    create_article(&server, &admin, "a1").await;
    let mut acknowledged: Vec<(i64, String)> = Vec::new();
    for round in 0..20 {
        let mut writers = tokio::task::JoinSet::new();
        for w in 0..8 {
            let url = server.url("/articles/a1/comments");
            let token = admin.clone();
            writers.spawn(async move {
                // A request cut by the kill must end, not wait forever:
                // unanswered means not acknowledged.
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(30))
                    .build()
                    .unwrap();
                let mut mine = Vec::new();
                for n in 0.. {
                    let text = format!("round {round} writer {w} comment {n} — تعليق");
                    let res = client
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&json!({"body": text}))
                        .send()
                        .await;
                    let Ok(res) = res else { break };
                    if res.status() != 201 {
                        break;
                    }
                    let Ok(body) = res.json::<Value>().await else {
                        break;
                    };
                    mine.push((body["id"].as_i64().unwrap(), text));
                }
                mine
            });
        }
        // Real time, and the test: the kill lands at a different moment of
        // the stream each round.
        tokio::time::sleep(Duration::from_millis(100 + (round % 5) * 40)).await;
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        while let Some(done) = writers.join_next().await {
            acknowledged.extend(done.unwrap());
        }
        server = Server::start(dir.path(), &[]).await;
    }
    assert!(
        acknowledged.len() > 100,
        "only {} comments were acknowledged",
        acknowledged.len()
    );
    for (id, text) in &acknowledged {
        let res = client
            .get(server.url(&format!("/comments/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "comment {id} lost");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["body"], *text);
    }
    drop(server);
    // PostgreSQL checks every foreign key as it writes, and has no
    // integrity_check: what is left to check is SQLite's file.
    let url = database_url(dir.path());
    let Some(file) = url.strip_prefix("sqlite://") else {
        return;
    };
    use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let mut conn = SqliteConnection::establish(file).unwrap();
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .unwrap();
    assert_eq!(check.len(), 1);
    assert_eq!(check[0].integrity_check, "ok");
    let broken = diesel::sql_query("PRAGMA foreign_key_check")
        .execute(&mut conn)
        .unwrap();
    assert_eq!(broken, 0);
}

/// A receiver that records each request's body and answers 200.
async fn receiver_on(port: u16) -> std::sync::Arc<std::sync::Mutex<Vec<Value>>> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    let store = got.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if buf.len() >= end + 4 + length {
                        let body = &buf[end + 4..end + 4 + length];
                        store
                            .lock()
                            .unwrap()
                            .push(serde_json::from_slice(body).unwrap_or(Value::Null));
                        let _ = stream
                            .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .await;
                        return;
                    }
                }
            });
        }
    });
    got
}

/// An admin (its token), the article `a1`, and a webhook of
/// `comment.created` to `127.0.0.1:port`.
async fn article_and_webhook(
    server: &Server,
    dir: &Path,
    client: &reqwest::Client,
    port: u16,
) -> String {
    create_admin(dir, "chef");
    let admin = sign_in(server, "chef").await;
    post(
        client,
        server.url("/admin/articles"),
        Some(&admin),
        json!({"key": "a1", "title": "T"}),
    )
    .await;
    let (status, _) = post(
        client,
        server.url("/admin/webhooks"),
        Some(&admin),
        json!({"url": format!("http://127.0.0.1:{port}/hook"), "events": ["comment.created"]}),
    )
    .await;
    assert_eq!(status, 201);
    admin
}

/// Events acknowledged while their webhook's receiver was down, then a
/// SIGKILL: after the restart every one is delivered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_deliveries_pending_at_sigkill_are_made_after_the_restart() {
    let dir = tempfile::tempdir().unwrap();
    let env = [
        ("TRIBUNE_WEBHOOKS__ALLOW_PRIVATE", "true"),
        ("TRIBUNE_WEBHOOKS__POLL_MS", "50"),
        ("TRIBUNE_WEBHOOKS__RETRY_BASE_MS", "100"),
        ("TRIBUNE_WEBHOOKS__RETRY_MAX_MS", "200"),
        ("TRIBUNE_WEBHOOKS__TIMEOUT_SECONDS", "1"),
    ];
    let mut server = Server::start(dir.path(), &env).await;
    let client = reqwest::Client::new();
    let port = free_port();
    let admin = article_and_webhook(&server, dir.path(), &client, port).await;
    let mut posted = Vec::new();
    for n in 0..5 {
        let (status, body) = post(
            &client,
            server.url("/articles/a1/comments"),
            Some(&admin),
            json!({"body": format!("commentaire {n}")}),
        )
        .await;
        assert_eq!(status, 201);
        posted.push(body["id"].as_i64().unwrap());
    }
    // Real time: the worker tries (and fails) against the closed port, so
    // the kill finds deliveries between retries. No count of failed
    // attempts is exposed to wait on.
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.child.kill().unwrap();
    server.child.wait().unwrap();

    let got = receiver_on(port).await;
    let _server = Server::start(dir.path(), &env).await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mut ids: Vec<i64> = got
            .lock()
            .unwrap()
            .iter()
            .filter_map(|b| b["data"]["comment_id"].as_i64())
            .collect();
        ids.sort();
        ids.dedup();
        if ids == posted {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "delivered: {ids:?}, posted: {posted:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A proxy in the environment would resolve webhook endpoints out of reach
/// of the address check: deliveries ignore it and go straight to the endpoint.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_ignore_a_proxy_from_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    let proxy_port = free_port();
    let proxied = receiver_on(proxy_port).await;
    let proxy = format!("http://127.0.0.1:{proxy_port}");
    let env = [
        ("TRIBUNE_WEBHOOKS__ALLOW_PRIVATE", "true"),
        ("TRIBUNE_WEBHOOKS__POLL_MS", "50"),
        ("HTTP_PROXY", proxy.as_str()),
        ("HTTPS_PROXY", proxy.as_str()),
        ("http_proxy", proxy.as_str()),
        ("ALL_PROXY", proxy.as_str()),
    ];
    let server = Server::start(dir.path(), &env).await;
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let port = free_port();
    let got = receiver_on(port).await;
    let admin = article_and_webhook(&server, dir.path(), &client, port).await;
    let (status, _) = post(
        &client,
        server.url("/articles/a1/comments"),
        Some(&admin),
        json!({"body": "bonjour"}),
    )
    .await;
    assert_eq!(status, 201);
    let deadline = Instant::now() + Duration::from_secs(20);
    while got.lock().unwrap().is_empty() {
        assert!(
            Instant::now() < deadline,
            "no delivery; the proxy saw {:?}",
            proxied.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(
        proxied.lock().unwrap().is_empty(),
        "a delivery went through the proxy"
    );
}

/// The rows of `PRAGMA integrity_check` on the SQLite file `file`, and its
/// comments by id.
fn check_sqlite_copy(file: &Path) -> (Vec<String>, std::collections::HashMap<i64, String>) {
    use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};
    #[derive(QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
        #[diesel(sql_type = diesel::sql_types::Text)]
        body: String,
    }
    let mut conn = SqliteConnection::establish(&file.to_string_lossy()).unwrap();
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .unwrap();
    let rows: Vec<Row> = diesel::sql_query("SELECT id, body FROM comments")
        .load(&mut conn)
        .unwrap();
    (
        check.into_iter().map(|c| c.integrity_check).collect(),
        rows.into_iter().map(|r| (r.id, r.body)).collect(),
    )
}

/// Runs `tribune ARGS` in `dir` to its end, off the async workers.
async fn run_tribune(dir: &Path, args: &[&str]) -> std::process::Output {
    let mut cmd = tribune(dir);
    cmd.args(args).stdin(Stdio::null());
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

/// Posts in a stream from four clients, takes `tribune backup` in the
/// middle, then restores the copy (refused while the server runs, and
/// without --force) and serves every comment acknowledged before the
/// backup began. On PostgreSQL, the command says to use pg_dump and
/// copies nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_mid_stream_restores_every_comment_acknowledged_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.db");
    let copy_arg = copy.to_str().unwrap().to_string();
    let url = database_url(dir.path());
    let Some(file) = url.strip_prefix("sqlite://").map(PathBuf::from) else {
        let out = run_tribune(dir.path(), &["backup", &copy_arg]).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{stderr}");
        assert!(
            stderr.contains("nothing was backed up") && stderr.contains("pg_dump --format=custom"),
            "{stderr}"
        );
        assert!(!copy.exists());
        let out = run_tribune(dir.path(), &["restore", &copy_arg]).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{stderr}");
        assert!(stderr.contains("pg_restore"), "{stderr}");
        return;
    };
    let mut server = Server::start(dir.path(), &[]).await;
    create_admin(dir.path(), "chef");
    let admin = sign_in(&server, "chef").await;
    create_article(&server, &admin, "a1").await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = tokio::task::JoinSet::new();
    for w in 0..4 {
        let url = server.url("/articles/a1/comments");
        let token = admin.clone();
        let stop = stop.clone();
        writers.spawn(async move {
            let client = reqwest::Client::new();
            let mut mine = Vec::new();
            for n in 0.. {
                if stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let text = format!("writer {w} comment {n} — نسخة");
                let res = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"body": text}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 201);
                let body: Value = res.json().await.unwrap();
                // Acknowledged now: answered 201.
                mine.push((Instant::now(), body["id"].as_i64().unwrap(), text));
            }
            mine
        });
    }
    // Real time, and the test: the database grows under writes before and
    // while it is copied.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let began = Instant::now();
    let out = run_tribune(dir.path(), &["backup", &copy_arg]).await;
    let ended = Instant::now();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("integrity_check: ok"), "{stdout}");
    // Real time: writes go on after the copy, which must not hold them up.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    while let Some(done) = writers.join_next().await {
        acknowledged.extend(done.unwrap());
    }
    let before: Vec<&(Instant, i64, String)> = acknowledged
        .iter()
        .filter(|(at, _, _)| *at < began)
        .collect();
    let after = acknowledged.iter().filter(|(at, _, _)| *at > ended).count();
    assert!(
        before.len() > 10 && after > 0,
        "the backup ran mid-stream: {} comments before it, {after} after",
        before.len()
    );
    let (check, rows) = check_sqlite_copy(&copy);
    assert_eq!(check, ["ok"]);
    for (_, id, text) in &before {
        assert_eq!(rows.get(id), Some(text), "comment {id} is not in the copy");
    }

    // A second backup never overwrites the first.
    let out = run_tribune(dir.path(), &["backup", &copy_arg]).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists"));

    // Refused while the server holds the database, even with --force.
    let out = run_tribune(dir.path(), &["restore", &copy_arg, "--force"]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("a server is running"), "{stderr}");
    let res = reqwest::get(server.url(&format!("/comments/{}", acknowledged.last().unwrap().1)))
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "the database was left as it was");

    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let out = run_tribune(dir.path(), &["restore", &copy_arg]).await;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    let out = run_tribune(dir.path(), &["restore", &copy_arg, "--force"]).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(file.exists());
    server = Server::start(dir.path(), &[]).await;
    let client = reqwest::Client::new();
    for (_, id, text) in &before {
        let res = client
            .get(server.url(&format!("/comments/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "comment {id} not restored");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["body"], *text);
    }
    // What came after the copy is gone with the database it was in.
    let newest = acknowledged.iter().map(|(_, id, _)| *id).max().unwrap();
    if !rows.contains_key(&newest) {
        let res = client
            .get(server.url(&format!("/comments/{newest}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 404);
    }
}

/// `tribune restore` checks the copy before touching anything: a file that
/// is not a database, a damaged one, and one made by a newer Tribune (a
/// migration this binary does not know) are refused with the reason.
#[test]
fn restore_refuses_copies_it_cannot_trust() {
    let dir = tempfile::tempdir().unwrap();
    let url = database_url(dir.path());
    let Some(file) = url.strip_prefix("sqlite://").map(PathBuf::from) else {
        return restore_on_postgres_names_pg_restore(dir.path());
    };
    let out = tribune(dir.path()).arg("migrate").output().unwrap();
    assert!(out.status.success());
    let good = dir.path().join("good.db");
    let out = tribune(dir.path())
        .args(["backup", good.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let original = std::fs::read(&file).unwrap();

    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, "these are not the pages of a database").unwrap();
    let newer = dir.path().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    {
        use diesel::{Connection, RunQueryDsl, SqliteConnection};
        let mut conn = SqliteConnection::establish(newer.to_str().unwrap()).unwrap();
        diesel::sql_query(
            "INSERT INTO __diesel_schema_migrations (version) VALUES ('29990101000000')",
        )
        .execute(&mut conn)
        .unwrap();
    }
    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&good).unwrap();
    // Page 2 onwards: the header stays readable, the b-trees do not.
    let page = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
    for b in &mut bytes[page..page * 3] {
        *b = 0x5a;
    }
    std::fs::write(&damaged, bytes).unwrap();
    let missing = dir.path().join("missing.db");
    for (copy, reason) in [
        (&garbage, "not a database"),
        (&newer, "newer Tribune"),
        (&damaged, "integrity"),
        (&missing, "no such file"),
    ] {
        let out = tribune(dir.path())
            .args(["restore", copy.to_str().unwrap(), "--force"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{}: {stderr}", copy.display());
        assert!(
            stderr.contains(reason) && stderr.contains("nothing was restored"),
            "{}: {stderr}",
            copy.display()
        );
        assert_eq!(std::fs::read(&file).unwrap(), original, "left as it was");
    }
}

fn restore_on_postgres_names_pg_restore(dir: &Path) {
    let out = tribune(dir)
        .args(["restore", "copy.dump", "--force"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("nothing was restored") && stderr.contains("pg_restore --clean"),
        "{stderr}"
    );
}

/// The scrape's value of the metric `name` (no labels).
async fn metric(server: &Server, name: &str) -> Option<f64> {
    let text = reqwest::get(format!("{}/metrics", server.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

/// Scheduled backups: one is due at start when the folder has none newer
/// than the interval; it is written whole (a temporary file left by a
/// killed copy is removed), only the newest `keep` stay, and /metrics
/// shows its time and size. A backup that fails is an error in the log,
/// and /readyz stays up.
#[tokio::test]
async fn scheduled_backups_keep_the_newest_and_show_in_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let old = [
        "tribune-20200101T000000Z.db",
        "tribune-20210101T000000Z.db",
        "tribune-20220101T000000Z.db",
    ];
    for name in old {
        std::fs::write(backups.join(name), "an old copy").unwrap();
    }
    std::fs::write(backups.join(".tribune-20230101T000000Z.db.partial"), "cut").unwrap();
    std::fs::write(backups.join("notes.txt"), "not a backup").unwrap();
    let env = [
        ("TRIBUNE_BACKUP__DIR", backups.to_str().unwrap()),
        ("TRIBUNE_BACKUP__KEEP", "2"),
        ("TRIBUNE_BACKUP__INTERVAL_HOURS", "1"),
    ];
    let server = Server::start(dir.path(), &env).await;
    if !database_url(dir.path()).starts_with("sqlite://") {
        let log = server
            .log_until(|l| l.contains("no scheduled backups"))
            .await;
        assert!(log.contains("pg_dump"), "{log}");
        let res = reqwest::get(format!("{}/readyz", server.base))
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        return;
    }
    // A copy of a fresh database takes milliseconds; ten times a generous margin.
    let deadline = Instant::now() + Duration::from_secs(30);
    let names = loop {
        let mut names: Vec<String> = std::fs::read_dir(&backups)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        if names.len() == 3 && !names.iter().any(|n| n.contains("2021")) {
            break names;
        }
        assert!(Instant::now() < deadline, "backups: {names:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(names[0], "notes.txt");
    assert_eq!(names[1], old[2]);
    let new = &names[2];
    assert!(
        new.starts_with("tribune-2") && new.ends_with("Z.db") && new.len() == old[0].len(),
        "{names:?}"
    );
    let (check, _) = check_sqlite_copy(&backups.join(new));
    assert_eq!(check, ["ok"]);
    let size = std::fs::metadata(backups.join(new)).unwrap().len();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    let time = metric(&server, "tribune_backup_last_success_timestamp_seconds")
        .await
        .unwrap();
    assert!((now - 60.0..=now).contains(&time), "{time} vs {now}");
    assert_eq!(
        metric(&server, "tribune_backup_last_size_bytes").await,
        Some(size as f64)
    );
    assert_eq!(
        metric(&server, "tribune_backup_failures_total").await,
        Some(0.0)
    );
    drop(server);

    // The next start finds a copy newer than the interval: none is due.
    let server = Server::start(dir.path(), &env).await;
    // Real time: that nothing happens can only be seen by waiting a while.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(std::fs::read_dir(&backups).unwrap().count(), 3);
    assert_eq!(
        metric(&server, "tribune_backup_last_size_bytes").await,
        Some(size as f64)
    );
    drop(server);

    // A folder that cannot be made: the backup fails, the server serves.
    let blocked = dir.path().join("a-file");
    std::fs::write(&blocked, "in the way").unwrap();
    let target = blocked.join("backups");
    let server = Server::start(
        dir.path(),
        &[("TRIBUNE_BACKUP__DIR", target.to_str().unwrap())],
    )
    .await;
    let log = server.log_until(|l| l.contains("backup failed")).await;
    let line = log.lines().find(|l| l.contains("backup failed")).unwrap();
    assert!(line.contains("ERROR"), "{line}");
    let res = reqwest::get(format!("{}/readyz", server.base))
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        metric(&server, "tribune_backup_failures_total").await,
        Some(1.0)
    );
}
/// `tribune COMMAND` with one more variable, its exit status and stderr;
/// bounded, so a server that starts anyway cannot hang the test.
fn run_with(dir: &Path, command: &str, variable: &str) -> (Option<i32>, String) {
    let port = free_port();
    let mut child = tribune(dir)
        .arg(command)
        .env("TRIBUNE_SERVER__BIND", format!("127.0.0.1:{port}"))
        .env(variable, "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start tribune");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("tribune {command} with {variable} kept running");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    (status, stderr)
}

#[test]
fn a_mistyped_setting_variable_stops_serve_and_migrate_naming_the_closest() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["serve", "migrate"] {
        for typo in ["TRIBUNE_SERVER__BINDD", "TRIBUNE_SERVR__BIND"] {
            let (status, stderr) = run_with(dir.path(), command, typo);
            assert_eq!(status, Some(1), "{command} with {typo}: {stderr}");
            assert_eq!(
                stderr.trim_end(),
                format!(
                    "tribune: configuration: {typo} names no setting; \
                     did you mean TRIBUNE_SERVER__BIND (server.bind)?"
                ),
                "{command} with {typo}"
            );
        }
        let (status, stderr) = run_with(dir.path(), command, "TRIBUNE_NOTHING__LIKE_IT");
        assert_eq!(status, Some(1), "{command}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("TRIBUNE_NOTHING__LIKE_IT names no setting"),
            "{stderr}"
        );
    }
    // Nothing was made from the mistaken start.
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "only the test's own note of its database"
    );
}

#[test]
fn variables_that_are_not_settings_do_not_stop_migrate() {
    let dir = tempfile::tempdir().unwrap();
    for variable in [
        "TRIBUNE_ADMIN_PASSWORD",
        "TRIBUNE_BIN",
        "TRIBUNE_CI_POSTGRES_URL",
        "TRIBUNE_ISSO_DB",
        "TRIBUNE_MAIL_DATABASE_URL",
        "TRIBUNE_TEST_DATABASE_URL",
    ] {
        let (status, stderr) = run_with(dir.path(), "migrate", variable);
        assert_eq!(status, Some(0), "migrate with {variable}: {stderr}");
    }
}

/// `tribune dsa export-statements`: the statements since a day as JSON
/// lines in the DSA Transparency Database's schema, on standard output or
/// in a file; a bad date is refused.
#[tokio::test]
async fn dsa_export_statements_writes_transparency_database_lines() {
    let dir = tempfile::tempdir().unwrap();
    create_admin(dir.path(), "chef");
    let server = Server::start(dir.path(), &[]).await;
    let admin = sign_in(&server, "chef").await;
    create_article(&server, &admin, "a1").await;
    let reader = register(&server, "nadia", PASSWORD).await;
    let client = reqwest::Client::new();
    let (status, comment) = post(
        &client,
        server.url("/articles/a1/comments"),
        Some(&reader),
        json!({"body": "Achetez mes montres"}),
    )
    .await;
    assert_eq!(status, 201, "{comment}");
    let id = comment["id"].as_i64().unwrap();
    let (status, body) = post(
        &client,
        server.url(&format!("/mod/comments/{id}/reject")),
        Some(&admin),
        json!({"reason": "publicité", "ground": {"type": "rule", "rule": "spam"}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    drop(server);

    let out = run_tribune(
        dir.path(),
        &["dsa", "export-statements", "--since", "2020-01-01"],
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    let s = &lines[0];
    let today = &chrono::Utc::now().format("%Y-%m-%d").to_string();
    for (field, value) in [
        (
            "decision_visibility",
            json!(["DECISION_VISIBILITY_CONTENT_REMOVED"]),
        ),
        (
            "decision_ground",
            json!("DECISION_GROUND_INCOMPATIBLE_CONTENT"),
        ),
        ("incompatible_content_ground", json!("spam")),
        ("incompatible_content_illegal", json!("No")),
        (
            "category",
            json!("STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE"),
        ),
        ("content_type", json!(["CONTENT_TYPE_TEXT"])),
        ("content_date", json!(today)),
        ("application_date", json!(today)),
        ("decision_facts", json!("publicité")),
        ("source_type", json!("SOURCE_VOLUNTARY")),
        ("automated_detection", json!("No")),
        (
            "automated_decision",
            json!("AUTOMATED_DECISION_NOT_AUTOMATED"),
        ),
    ] {
        assert_eq!(s[field], value, "{field} in {s}");
    }
    assert_eq!(s["territorial_scope"].as_array().unwrap().len(), 30);
    let puid = s["puid"].as_str().unwrap();
    assert!(puid
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));

    // To a file, the same line; nothing since tomorrow.
    let file = dir.path().join("statements.jsonl");
    let out = run_tribune(
        dir.path(),
        &[
            "dsa",
            "export-statements",
            "--since",
            "2020-01-01",
            "--out",
            file.to_str().unwrap(),
        ],
    )
    .await;
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    let out = run_tribune(
        dir.path(),
        &["dsa", "export-statements", "--since", "2999-01-01"],
    )
    .await;
    assert!(out.status.success());
    assert!(out.stdout.is_empty());

    let out = run_tribune(dir.path(), &["dsa", "export-statements", "--since", "hier"]).await;
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("YYYY-MM-DD"));
}

/// Every item of a paged listing (its array `list`), following `next_cursor`.
async fn all_pages(server: &Server, token: &str, path: &str, list: &str) -> Vec<Value> {
    let client = reqwest::Client::new();
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let sep = if path.contains('?') { '&' } else { '?' };
        let mut url = server.url(&format!("{path}{sep}limit=200"));
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let page: Value = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        items.extend(page[list].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return items,
        }
    }
}

/// Rejections from several moderators' clients, SIGKILLed mid-burst and
/// restarted, 5 rounds: every rejected comment has its statement of reasons
/// (DSA Art. 17) and every statement its rejection, acknowledged or not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_decision_is_left_without_its_statement_by_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(dir.path(), &[]).await;
    create_admin(dir.path(), "chef");
    let admin = sign_in(&server, "chef").await;
    create_article(&server, &admin, "a1").await;
    let reader = register(&server, "nadia", PASSWORD).await;
    let client = reqwest::Client::new();
    let mut ids = Vec::new();
    for n in 0..600 {
        let (status, body) = post(
            &client,
            server.url("/articles/a1/comments"),
            Some(&reader),
            json!({"body": format!("commentaire {n}")}),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        ids.push(body["id"].as_i64().unwrap());
    }
    let queue = std::sync::Arc::new(std::sync::Mutex::new(ids));
    let mut acknowledged = Vec::new();
    for round in 0..5 {
        let mut deciders = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let base = server.url("/mod/comments");
            let token = admin.clone();
            let queue = queue.clone();
            deciders.spawn(async move {
                let client = reqwest::Client::builder()
                    .timeout(Duration::from_secs(30))
                    .build()
                    .unwrap();
                let mut done = Vec::new();
                loop {
                    let Some(id) = queue.lock().unwrap().pop() else {
                        break;
                    };
                    let res = client
                        .post(format!("{base}/{id}/reject"))
                        .bearer_auth(&token)
                        .json(
                            &json!({"reason": "burst", "ground": {"type": "rule", "rule": "spam"}}),
                        )
                        .send()
                        .await;
                    match res {
                        Ok(r) if r.status() == 200 => done.push(id),
                        _ => break,
                    }
                }
                done
            });
        }
        // Real time, and the test: the kill lands at a different moment of
        // the decisions each round.
        tokio::time::sleep(Duration::from_millis(150 + round * 60)).await;
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        while let Some(done) = deciders.join_next().await {
            acknowledged.extend(done.unwrap());
        }
        server = Server::start(dir.path(), &[]).await;
    }
    assert!(
        acknowledged.len() > 20,
        "only {} rejections were acknowledged",
        acknowledged.len()
    );
    let admin = sign_in(&server, "chef").await;
    let rejected: std::collections::BTreeSet<i64> =
        all_pages(&server, &admin, "/mod/queue?status=rejected", "items")
            .await
            .iter()
            .map(|i| i["comment"]["id"].as_i64().unwrap())
            .collect();
    let explained: Vec<i64> = all_pages(&server, &admin, "/mod/statements", "statements")
        .await
        .iter()
        .map(|s| s["comment"]["id"].as_i64().unwrap())
        .collect();
    let explained_set: std::collections::BTreeSet<i64> = explained.iter().copied().collect();
    assert_eq!(
        explained.len(),
        explained_set.len(),
        "one statement per decision"
    );
    assert_eq!(rejected, explained_set, "decisions and statements differ");
    for id in &acknowledged {
        assert!(rejected.contains(id), "acknowledged rejection {id} lost");
    }
}
