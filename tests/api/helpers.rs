//! Starting the app and talking to it.
#![allow(dead_code)]

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::net::TcpListener;
use tribune::app::{self, AppState};
use tribune::config::Config;
use tribune::domain::{DisplayName, Email, Role, Username};
use tribune::i18n::Locale;
use tribune::service::accounts::{self, NewAccount};
use tribune::store::Db;

pub const PASSWORD: &str = "a long password";

/// A running Tribune on its own database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub config: Config,
    _dir: tempfile::TempDir,
}

/// An account signed in through the API.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub token: String,
}

/// An answer: status, headers and the JSON body (Null when empty).
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected answer: {}",
            self.body
        );
        &self.body
    }

    /// The error shape of api.md with this status and code.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected answer: {}",
            self.body
        );
        assert_eq!(self.body["error"]["code"], code, "body: {}", self.body);
        let message = self.body["error"]["message"].as_str().unwrap_or("");
        assert!(
            !message.is_empty(),
            "an error needs a message: {}",
            self.body
        );
        assert_eq!(
            self.body["error"].get("fields").is_some(),
            code == "validation_failed",
            "fields only with validation_failed: {}",
            self.body
        );
    }

    /// A 422 naming this field.
    #[track_caller]
    pub fn assert_field_error(&self, field: &str) {
        self.assert_error(422, "validation_failed");
        assert!(
            self.body["error"]["fields"][field].is_array(),
            "expected a problem with `{field}`: {}",
            self.body
        );
    }
}

/// The database tests run on: a fresh SQLite file, or a fresh PostgreSQL
/// database when TRIBUNE_TEST_DATABASE_URL names a server.
fn fresh_database_url(dir: &tempfile::TempDir) -> String {
    match std::env::var("TRIBUNE_TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => fresh_postgres(&server),
        _ => format!("sqlite://{}", dir.path().join("tribune.db").display()),
    }
}

fn fresh_postgres(server: &str) -> String {
    use diesel::{Connection, PgConnection, RunQueryDsl};
    let name = format!("tribune_test_{}", rand_suffix());
    let mut admin = PgConnection::establish(server).expect("test PostgreSQL server reachable");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .expect("create test database");
    let base = server.trim_end_matches('/');
    let base = match base.rfind('/') {
        Some(i) if base[..i].ends_with('/') => base.to_string(),
        Some(i) => base[..i].to_string(),
        None => base.to_string(),
    };
    format!("{base}/{name}")
}

fn rand_suffix() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Light settings for tests: cheap Argon2, no rate limits, a fresh database.
pub fn test_config(dir: &tempfile::TempDir) -> Config {
    let mut config = Config::defaults();
    config.database.url = fresh_database_url(dir);
    config.server.bind = "127.0.0.1:0".into();
    config.server.workers = 2;
    config.auth.argon2_memory_kib = 64;
    config.auth.argon2_iterations = 1;
    config.rate_limit.enabled = false;
    // Tests that deliver webhooks turn the worker on, to local receivers.
    config.webhooks.deliver = false;
    config.webhooks.allow_private = true;
    config
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = test_config(&dir);
        adjust(&mut config);
        Self::start(config, dir)
    }

    /// Another server on the same database (several instances, one database).
    pub async fn sibling(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::start(self.config.clone(), dir)
    }

    fn start(config: Config, dir: tempfile::TempDir) -> TestApp {
        let db = Db::open(&config.database).expect("open test database");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
        let address = format!("http://{}", listener.local_addr().unwrap());
        let state = AppState::new(config.clone(), db.clone()).expect("state");
        let server = app::server(state, listener).expect("server");
        tokio::spawn(server);
        TestApp {
            address,
            client: reqwest::Client::new(),
            db,
            config,
            _dir: dir,
        }
    }

    /// A request to `path` (under /api/v1 unless it starts with `//`).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        self.send_with(method, path, token, body, &[]).await
    }

    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let url = self.url(path);
        let mut req = self.client.request(method, url);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let res = req.send().await.expect("request sent");
        Self::read(res).await
    }

    /// A request with a raw body and content type.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) -> Resp {
        let mut req = self.client.request(method, self.url(path)).body(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(ct) = content_type {
            req = req.header("Content-Type", ct);
        }
        Self::read(req.send().await.expect("request sent")).await
    }

    pub fn url(&self, path: &str) -> String {
        match path.strip_prefix("//") {
            Some(ops) => format!("{}/{ops}", self.address),
            None => format!("{}/api/v1{path}", self.address),
        }
    }

    async fn read(res: reqwest::Response) -> Resp {
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                panic!("not JSON ({status}): {}", String::from_utf8_lossy(&bytes))
            })
        };
        Resp {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.send(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.send(Method::POST, path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.send(Method::PATCH, path, token, Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Resp {
        self.send(Method::DELETE, path, token, None).await
    }

    /// Registers a reader named `name` (email `<name>@example.com`).
    pub async fn register(&self, name: &str) -> User {
        let res = self
            .post(
                "/auth/register",
                None,
                json!({"username": name, "email": format!("{name}@example.com"), "password": PASSWORD}),
            )
            .await;
        let body = res.assert_status(201);
        User {
            id: body["user"]["id"].as_i64().unwrap(),
            username: name.to_string(),
            token: body["token"].as_str().unwrap().to_string(),
        }
    }

    /// An admin created as `tribune create-admin` does, then signed in over HTTP.
    pub async fn admin(&self) -> User {
        self.admin_named("chef").await
    }

    pub async fn admin_named(&self, name: &str) -> User {
        let hasher = tribune::auth::Hasher::new(&self.config.auth).unwrap();
        let account = NewAccount {
            username: Username::parse(name).expect("a valid username"),
            email: Email::parse(&format!("{name}@example.com")).expect("a valid email"),
            display_name: DisplayName::parse(name).expect("a valid name"),
            locale: Locale::Fr,
            password_hash: hasher.hash_now(PASSWORD).unwrap(),
        };
        let user = self
            .db
            .write_now(|conn| accounts::create(conn, &account, Role::Admin))
            .expect("create admin");
        self.login(name, user.id).await
    }

    pub async fn login(&self, name: &str, id: i64) -> User {
        let res = self
            .post(
                "/auth/login",
                None,
                json!({"login": name, "password": PASSWORD}),
            )
            .await;
        let body = res.assert_status(200);
        User {
            id,
            username: name.to_string(),
            token: body["token"].as_str().unwrap().to_string(),
        }
    }

    /// A reader promoted to moderator by `admin`.
    pub async fn moderator(&self, admin: &User, name: &str) -> User {
        let user = self.register(name).await;
        self.patch(
            &format!("/admin/users/{}", user.id),
            Some(&admin.token),
            json!({"role": "moderator"}),
        )
        .await
        .assert_status(200);
        user
    }

    pub async fn create_article(&self, admin: &User, key: &str, extra: Value) -> Value {
        let mut body = json!({"key": key, "title": format!("Article {key}")});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        self.post("/admin/articles", Some(&admin.token), body)
            .await
            .assert_status(201)
            .clone()
    }

    /// Posts a comment and returns the answer.
    pub async fn comment(&self, user: &User, key: &str, text: &str) -> Resp {
        self.post(
            &format!("/articles/{key}/comments"),
            Some(&user.token),
            json!({"body": text}),
        )
        .await
    }

    pub async fn reply(&self, user: &User, key: &str, parent: i64, text: &str) -> Resp {
        self.post(
            &format!("/articles/{key}/comments"),
            Some(&user.token),
            json!({"body": text, "parent_id": parent}),
        )
        .await
    }

    /// Posts a comment that must be accepted; returns its id.
    pub async fn comment_id(&self, user: &User, key: &str, text: &str) -> i64 {
        self.comment(user, key, text).await.assert_status(201)["id"]
            .as_i64()
            .unwrap()
    }

    /// The thread as `token` sees it.
    pub async fn thread(&self, key: &str, token: Option<&str>) -> Vec<Value> {
        self.get(&format!("/articles/{key}/comments?limit=200"), token)
            .await
            .assert_status(200)["comments"]
            .as_array()
            .unwrap()
            .clone()
    }

    /// The standard cast: an admin, a moderator, two readers and an article.
    pub async fn cast(&self) -> Cast {
        let admin = self.admin().await;
        let moderator = self.moderator(&admin, "modo").await;
        let reader = self.register("nadia").await;
        let other = self.register("karim").await;
        self.create_article(&admin, "a1", json!({})).await;
        Cast {
            admin,
            moderator,
            reader,
            other,
        }
    }
}

pub struct Cast {
    pub admin: User,
    pub moderator: User,
    pub reader: User,
    pub other: User,
}

impl TestApp {
    /// Changes the site settings straight in the database (for tests that
    /// must not depend on the admin settings route).
    pub fn set_settings(&self, change: impl FnOnce(&mut tribune::domain::Settings)) {
        self.db
            .write_now(|conn| {
                let mut settings = tribune::store::settings::load(conn)?;
                change(&mut settings);
                tribune::store::settings::save(conn, &settings)
            })
            .expect("settings saved");
    }
}

/// The ids of a list of comments, in order.
pub fn ids_of(comments: &[Value]) -> Vec<i64> {
    comments
        .iter()
        .map(|c| c["id"].as_i64().expect("comment id"))
        .collect()
}

impl TestApp {
    /// A request with a raw body, a content type and extra headers.
    pub async fn send_raw_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self.client.request(method, self.url(path)).body(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(ct) = content_type {
            req = req.header("Content-Type", ct);
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        Self::read(req.send().await.expect("request sent")).await
    }
}
