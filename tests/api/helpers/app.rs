//! A running Tribune on a fresh database, stopped when the test ends.

use super::request::{Api, Body, Resp};
use super::users::Cast;
use reqwest::Method;
use serde_json::Value;
use std::net::TcpListener;
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use tribune::app::{self, AppState};
use tribune::config::Config;
use tribune::domain::time::TestClock;
use tribune::store::Db;

/// A running Tribune on its own database.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: Db,
    pub config: Config,
    /// The server's clock for expiry: `clock.advance(…)` instead of a sleep.
    pub clock: Arc<TestClock>,
    api: Api,
    server: Option<Server>,
    _dir: tempfile::TempDir,
}

/// The server's own thread, and how to stop it.
struct Server {
    handle: actix_web::dev::ServerHandle,
    thread: JoinHandle<()>,
}

impl Server {
    /// Runs the app on its own thread and runtime, so that stopping it needs
    /// nothing from the test's runtime (which is blocked while a test ends).
    fn start(config: Config, db: Db, listener: TcpListener, clock: Arc<TestClock>) -> Server {
        let (started, handle) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let state = AppState::with_clock(config, db, clock).expect("state");
                let server = app::server(state, listener).expect("server");
                started.send(server.handle()).expect("test waits");
                server.await.expect("server ran");
            })
        });
        let handle = handle.recv().expect("server started");
        Server { handle, thread }
    }

    /// Stops accepting, lets the workers finish and waits until they have
    /// dropped the state (and with it their database pools).
    fn stop(self) {
        // The command is sent now; its future only waits for the answer.
        drop(self.handle.stop(true));
        if self.thread.join().is_err() && !std::thread::panicking() {
            panic!("the server's thread panicked");
        }
    }
}

/// Light settings for tests: cheap Argon2, no rate limits, a fresh database.
pub fn test_config(dir: &tempfile::TempDir) -> Config {
    let mut config = Config::defaults();
    config.database.url = super::database::fresh_database_url(dir.path());
    config.server.bind = "127.0.0.1:0".into();
    config.server.workers = 2;
    // Clients close their connections after each answer; a stop waits
    // this long at most for one still open.
    config.server.shutdown_timeout = 2;
    config.auth.argon2_memory_kib = 64;
    config.auth.argon2_iterations = 1;
    config.rate_limit.enabled = false;
    // Live streams notice a client that left when they next write: soon.
    config.server.live_heartbeat_ms = 500;
    // Tests that deliver webhooks turn the worker on, to local receivers.
    config.webhooks.deliver = false;
    config.webhooks.allow_private = true;
    // Mails stay queued in the outbox where tests read them; tests that send
    // turn the worker on.
    config.mail.deliver = false;
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
        Self::start(config, dir, Arc::default())
    }

    /// A fresh app with the standard cast (see [`TestApp::cast`]).
    pub async fn with_cast() -> (TestApp, Cast) {
        let app = Self::spawn().await;
        let cast = app.cast().await;
        (app, cast)
    }

    /// Another server on the same database (several instances, one
    /// database), on the same clock.
    pub async fn sibling(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::start(self.config.clone(), dir, self.clock.clone())
    }

    /// A fresh app whose settings may name its own address (its port is
    /// chosen before it starts): `adjust` gets the config and the address.
    pub async fn spawn_at(adjust: impl FnOnce(&mut Config, &str)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = test_config(&dir);
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
        let address = format!("http://{}", listener.local_addr().unwrap());
        adjust(&mut config, &address);
        Self::start_on(config, dir, listener, Arc::default())
    }

    fn start(config: Config, dir: tempfile::TempDir, clock: Arc<TestClock>) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind port 0");
        Self::start_on(config, dir, listener, clock)
    }

    fn start_on(
        config: Config,
        dir: tempfile::TempDir,
        listener: TcpListener,
        clock: Arc<TestClock>,
    ) -> TestApp {
        let db = Db::open(&config.database).expect("open test database");
        let address = format!("http://{}", listener.local_addr().unwrap());
        let server = Server::start(config.clone(), db.clone(), listener, clock.clone());
        let api = Api::new(address.clone());
        TestApp {
            address,
            client: api.client.clone(),
            db,
            config,
            clock,
            api,
            server: Some(server),
            _dir: dir,
        }
    }

    pub fn api(&self) -> &Api {
        &self.api
    }

    /// `path` under /api/v1, unless it starts with `//`.
    pub fn url(&self, path: &str) -> String {
        self.api.url(path)
    }

    /// A JSON request (or none) to `path`.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Resp {
        self.api.send(method, path, token, body.into(), &[]).await
    }

    /// A JSON request (or none) with extra headers.
    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        self.api
            .send(method, path, token, body.into(), headers)
            .await
    }

    /// A request with a raw body, a content type and extra headers.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: Option<&str>,
        bytes: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let body = Body::raw(content_type, bytes);
        self.api.send(method, path, token, body, headers).await
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

    /// PostgreSQL: ends the `LISTEN` connections on this test's database
    /// (its instances' ones), as a database restart or a failover would;
    /// gives how many were ended once one was found.
    pub async fn end_listen_connection(&self) -> i64 {
        use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
        #[derive(QueryableByName)]
        struct Ended {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = PgConnection::establish(&self.config.database.url).expect("PostgreSQL");
        for _ in 0..100 {
            // Waits (up to 5 s) until each backend is gone.
            let ended: Ended = diesel::sql_query(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) AS n \
                 FROM pg_stat_activity \
                 WHERE datname = current_database() AND query LIKE 'LISTEN%' \
                 AND pid <> pg_backend_pid()",
            )
            .get_result(&mut conn)
            .expect("terminate");
            if ended.n > 0 {
                return ended.n;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        0
    }

    /// PostgreSQL: waits until `n` connections on this test's database
    /// listen for live changes (each instance opens its own beside its
    /// server); they connect within milliseconds, so 10 s is a generous bound.
    pub async fn wait_for_listeners(&self, n: i64) {
        use diesel::{Connection, PgConnection, QueryableByName, RunQueryDsl};
        #[derive(QueryableByName)]
        struct Listening {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut conn = PgConnection::establish(&self.config.database.url).expect("PostgreSQL");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            // Idle after its `LISTEN`: the listener is in place.
            let listening: Listening = diesel::sql_query(
                "SELECT count(*) AS n FROM pg_stat_activity \
                 WHERE datname = current_database() AND query LIKE 'LISTEN%' \
                 AND state = 'idle' AND pid <> pg_backend_pid()",
            )
            .get_result(&mut conn)
            .expect("listeners");
            if listening.n >= n {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{} of {n} instances listen",
                listening.n
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
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

    /// Writes straight to the database, as another process would. On
    /// PostgreSQL the server hears of it by the `NOTIFY` that follows the
    /// commit, a moment later, and trusts what it remembers (sessions,
    /// versions) until then: this waits until it has heard.
    pub fn write_outside<T>(
        &self,
        f: impl FnOnce(&mut tribune::store::DbConnection) -> Result<T, tribune::store::StoreError>,
    ) -> Result<T, tribune::store::StoreError> {
        let before = self.db.write_epoch();
        let done = self.db.write_now(f)?;
        if self.db.is_postgres() {
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
            // `None`: the server trusts nothing it remembers until it listens again.
            while self.db.write_epoch().is_some() && self.db.write_epoch() == before {
                assert!(
                    std::time::Instant::now() < deadline,
                    "the server never heard of a write made outside it"
                );
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
        }
        Ok(done)
    }

    /// Changes the site settings straight in the database (for tests that
    /// must not depend on the admin settings route).
    pub fn set_settings(&self, change: impl FnOnce(&mut tribune::domain::Settings)) {
        self.write_outside(|conn| {
            let mut settings = tribune::store::settings::load(conn)?;
            change(&mut settings);
            tribune::store::settings::save(conn, &settings)
        })
        .expect("settings saved");
    }

    /// Moves the end of `user_id`'s suspension to a second ago, as if the
    /// time had passed.
    pub fn end_suspension(&self, user_id: i64) {
        use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
        use tribune::store::schema::users;
        let past = chrono::Utc::now().timestamp_millis() - 1000;
        self.write_outside(|conn| {
            diesel::update(users::table.find(user_id))
                .set(users::banned_until.eq(Some(past)))
                .execute(conn)?;
            Ok(())
        })
        .expect("suspension ended");
    }

    /// Moves comment `id`'s creation `ms` milliseconds back in time.
    pub fn age_comment(&self, id: i64, ms: i64) {
        use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
        use tribune::store::schema::comments;
        self.write_outside(|conn| {
            diesel::update(comments::table.find(id))
                .set(comments::created_at.eq(comments::created_at - ms))
                .execute(conn)?;
            Ok(())
        })
        .expect("comment aged");
    }
}

impl Drop for TestApp {
    /// Stops the server before the pools and the temporary folder go: no
    /// worker thread may still hold a database connection when the process
    /// exits (libpq's cleanup at exit crashed under live connections once).
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            server.stop();
        }
    }
}
