//! Storage: the backend enum, the pools, migrations, and one module of queries
//! per table. Nothing outside this module writes SQL.

pub mod appeals;
pub mod articles;
pub mod backup;
pub mod ban_records;
pub mod changes;
pub mod comments;
mod counters;
mod error;
pub mod events;
pub mod export;
pub mod import;
mod lease;
pub mod log;
pub mod mails;
pub mod models;
pub mod notes;
pub mod notices;
pub mod oidc;
pub mod reactions;
pub mod reports;
pub mod retention;
pub mod schema;
pub mod sessions;
pub mod settings;
pub mod sso;
pub mod statements;
pub mod tokens;
mod types;
pub mod users;
pub mod webhooks;
pub mod words;
mod writer;

use crate::config::DatabaseConfig;
use crate::domain::Failure;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection, Pool, PooledConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection type for both backends; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(diesel::SqliteConnection),
    Postgres(diesel::PgConnection),
}

/// Which database a URL names, decided by its scheme (diesel's own guess hides errors).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Sqlite(String),
    Postgres(String),
}

impl Target {
    pub fn parse(url: &str) -> Result<Target, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err("database.url: sqlite:// needs a file path".into());
            }
            Ok(Target::Sqlite(path.to_string()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Target::Postgres(url.to_string()))
        } else {
            Err(format!(
                "database.url must start with sqlite:// or postgres:// (got `{}`)",
                url.split("://").next().unwrap_or("")
            ))
        }
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, Target::Sqlite(_))
    }
}

/// Opens connections for r2d2, with SQLite's per-connection pragmas.
#[derive(Debug, Clone)]
pub struct Manager {
    target: Target,
    synchronous_full: bool,
    connect_timeout: u64,
    /// SQLite's page cache, per connection, in KiB.
    cache_kib: u32,
}

impl Manager {
    fn open(&self) -> ConnectionResult<DbConnection> {
        match &self.target {
            Target::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(path)?;
                let sync = if self.synchronous_full {
                    "FULL"
                } else {
                    "NORMAL"
                };
                // busy_timeout first, so the pragmas after it wait out a lock
                // instead of failing; one statement per call, as SQLite's
                // prepare runs only the first statement of a string.
                for pragma in [
                    "PRAGMA busy_timeout = 10000".to_string(),
                    format!("PRAGMA synchronous = {sync}"),
                    "PRAGMA foreign_keys = ON".to_string(),
                    // Negative: a size in KiB rather than in pages.
                    format!("PRAGMA cache_size = -{}", self.cache_kib),
                    "PRAGMA temp_store = MEMORY".to_string(),
                ] {
                    conn.batch_execute(&pragma)
                        .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
                }
                Ok(DbConnection::Sqlite(conn))
            }
            Target::Postgres(url) => {
                let url = with_connect_timeout(url, self.connect_timeout);
                Ok(DbConnection::Postgres(diesel::PgConnection::establish(
                    &url,
                )?))
            }
        }
    }
}

/// libpq waits forever by default; an outage must answer 503 within seconds.
fn with_connect_timeout(url: &str, seconds: u64) -> String {
    if url.contains("connect_timeout=") {
        return url.to_string();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}connect_timeout={}", seconds.max(1))
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConnection, r2d2::Error> {
        self.open().map_err(r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

pub type Conn = PooledConnection<Manager>;

/// The reading pool and the writer. Every write goes to the writer thread
/// and its one connection: concurrent posts queue and commit together
/// (SQLite allows one writer at a time anyway; on PostgreSQL a batch costs
/// one commit instead of one per post).
#[derive(Clone)]
pub struct Db {
    reader: Pool<Manager>,
    writer: writer::Writer,
    changes: std::sync::Arc<changes::Changes>,
    /// SQLite: a connection that never writes, kept to ask the file whether
    /// anyone committed since (`change_epoch`).
    watch: std::sync::Arc<std::sync::Mutex<Option<diesel::SqliteConnection>>>,
    manager: Manager,
    pub target: Target,
}

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("{0}")]
    Url(String),
    #[error("cannot create the folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("cannot open the database: {0}")]
    Connect(String),
    #[error("cannot migrate the database: {0}")]
    Migrate(String),
}

impl Db {
    /// Opens the database named by the configuration and brings its schema up to date.
    pub fn open(config: &DatabaseConfig) -> Result<Db, OpenError> {
        let target = Target::parse(&config.url).map_err(OpenError::Url)?;
        if let Target::Sqlite(path) = &target {
            if let Some(dir) = std::path::Path::new(path).parent() {
                if !dir.as_os_str().is_empty() && !dir.exists() {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| OpenError::Folder(dir.display().to_string(), e))?;
                }
            }
        }
        let manager = Manager {
            target: target.clone(),
            synchronous_full: config.synchronous == crate::config::Synchronous::Full,
            connect_timeout: config.connect_timeout,
            cache_kib: config.sqlite_cache_kib,
        };
        migrate(&manager)?;
        let timeout = Duration::from_secs(config.connect_timeout.max(1));
        // Built unchecked so a database that is down at start or later answers
        // 503 and recovers without a restart.
        // A SQLite connection cannot drop out, so skip the check query on every
        // checkout there; a PostgreSQL one can (restarts, failovers).
        let check = !target.is_sqlite();
        let reader = Pool::builder()
            .max_size(config.pool_size)
            .min_idle(Some(0))
            .test_on_check_out(check)
            .connection_timeout(timeout)
            .build_unchecked(manager.clone());
        // SQLite's writer walks every index of the tables it inserts into;
        // with those pages evicted each insert reads them back from the OS.
        let writing = Manager {
            cache_kib: config.sqlite_writer_cache_kib,
            ..manager.clone()
        };
        let instance = rand::random::<u64>();
        Ok(Db {
            reader,
            writer: writer::Writer::start(writing, timeout, instance),
            changes: std::sync::Arc::new(changes::Changes::new(instance)),
            watch: Default::default(),
            manager,
            target,
        })
    }

    /// Runs `f` on a reading connection, off the async workers. `f` ends
    /// with its caller's error (`E`), which the store's own errors fit in.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: FromStore,
    {
        let pool = self.reader.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|_| StoreError::Unavailable)?;
            let result = f(&mut conn);
            outage_or(&mut conn, result)
        })
        .await
        .map_err(|e| StoreError::from(Failure::caused("a blocking read", e)))?
    }

    /// Like `read`, for lookups that take microseconds on SQLite (one row by an
    /// index): there they run on the calling thread when a connection is idle,
    /// which saves two thread switches per request. A PostgreSQL query waits
    /// on the network, so it always goes to a blocking thread.
    pub async fn read_quick<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: FromStore,
    {
        if self.target.is_sqlite() {
            if let Some(mut conn) = self.reader.try_get() {
                return f(&mut conn);
            }
        }
        self.read(f).await
    }

    /// Runs `f` in a savepoint of the writer thread's next batch; answers
    /// once that batch has committed.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: FromStore,
    {
        self.writer.write(f).await
    }

    /// Like `write`, with `prepare` run first on a blocking thread: CPU work
    /// (rendering, folding) then runs in parallel while the writer only writes.
    /// What was prepared comes back to be freed here, not on the writer.
    pub async fn write_prepared<P, T, E, F>(
        &self,
        prepare: impl FnOnce() -> P + Send + 'static,
        f: F,
    ) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection, &P) -> Result<T, E> + Send + 'static,
        P: Send + 'static,
        T: Send + 'static,
        E: FromStore,
    {
        let prepared = tokio::task::spawn_blocking(prepare)
            .await
            .map_err(|e| StoreError::from(Failure::caused("preparing a write", e)))?;
        let (result, _prepared) = self
            .write(move |conn| Ok::<_, E>((f(conn, &prepared)?, prepared)))
            .await?;
        Ok(result)
    }

    /// `write_prepared` with `prepared` made already (on the calling thread,
    /// when that costs less than a hop to a blocking thread and back).
    pub async fn write_with<P, T, E, F>(&self, prepared: P, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection, &P) -> Result<T, E> + Send + 'static,
        P: Send + 'static,
        T: Send + 'static,
        E: FromStore,
    {
        let (result, _prepared) = self
            .write(move |conn| Ok::<_, E>((f(conn, &prepared)?, prepared)))
            .await?;
        Ok(result)
    }

    /// The synchronous form of `write`, for the command line (its own connection).
    pub fn write_now<T, E: FromStore>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.manager.open().map_err(|_| StoreError::Unavailable)?;
        in_transaction(&mut conn, |conn| {
            let done = f(conn)?;
            if let DbConnection::Postgres(_) = conn {
                // Running servers are told, as by their own writers.
                conn.batch_execute(&changes::announcement(rand::random()))
                    .map_err(StoreError::from)?;
            }
            Ok(done)
        })
    }

    /// (open, idle) connections of the read pool and of the writer (its
    /// thread's one connection).
    pub fn pool_state(&self) -> ((u32, u32), (u32, u32)) {
        let r = self.reader.state();
        let w = (1, u32::from(self.writer.waiting() == 0));
        ((r.connections, r.idle_connections), w)
    }

    /// Writes queued for the writer thread or running.
    pub fn writes_waiting(&self) -> usize {
        self.writer.waiting()
    }

    /// A number that moves whenever a write commits (`changes.rs`): what was
    /// read while it did not move is still what the database holds. On
    /// PostgreSQL it counts the other instances' writes too, and is `None`
    /// while they could go unheard.
    pub fn write_epoch(&self) -> Option<u64> {
        let own = self.writer.batches();
        if self.target.is_sqlite() {
            Some(own)
        } else {
            self.changes.epoch(own)
        }
    }

    /// An epoch that every write to the database moves, whoever makes it:
    /// on PostgreSQL, where every instance's writer and every command
    /// announce their commits, while the listener hears them; `None` on
    /// SQLite, where another process may write the file unannounced (and
    /// asking the file costs microseconds anyway).
    pub fn shared_epoch(&self) -> Option<u64> {
        match self.target {
            Target::Postgres(_) => self.write_epoch(),
            Target::Sqlite(_) => None,
        }
    }

    /// An epoch that every commit moves, whoever makes it, known at once:
    /// on SQLite the file's `data_version` as a connection that never writes
    /// sees it (it moves with each commit of any other connection: this
    /// process's writer, another instance or a command on the same file);
    /// on PostgreSQL `write_epoch`. `None` when the watching connection
    /// is away, and then nothing may be trusted. The request threads take
    /// turns on that connection (a `PRAGMA` costs microseconds): giving up
    /// when another thread held it made every busy moment a miss, and a
    /// signed-in page under load cost four times what it did before.
    pub fn change_epoch(&self) -> Option<u64> {
        use diesel::prelude::*;
        if !self.target.is_sqlite() {
            return self.write_epoch();
        }
        let mut watch = self.watch.lock().ok()?;
        if watch.is_none() {
            if let Ok(DbConnection::Sqlite(conn)) = self.manager.open() {
                *watch = Some(conn);
            }
        }
        let asked = pragma_data_version::table
            .select(pragma_data_version::data_version)
            .get_result::<i64>(watch.as_mut()?);
        match asked {
            Ok(v) => Some(v as u64),
            Err(_) => {
                *watch = None;
                None
            }
        }
    }

    /// What the live threads' listener tells of other instances' writes
    /// (PostgreSQL): a notification's payload (true when it was about writes),
    /// and whether it is connected.
    pub fn changes(&self) -> &changes::Changes {
        &self.changes
    }

    /// On SQLite, notified after each batch of writes commits (what live
    /// threads wait on); `None` on PostgreSQL, where `LISTEN` does that.
    pub fn commits(&self) -> Option<std::sync::Arc<tokio::sync::Notify>> {
        self.target.is_sqlite().then(|| self.writer.commits())
    }

    /// Whether the database is PostgreSQL, which several instances share.
    pub fn is_postgres(&self) -> bool {
        !self.target.is_sqlite()
    }

    /// The URL of a PostgreSQL database (for the live threads' `LISTEN`).
    pub fn postgres_url(&self) -> Option<String> {
        match &self.target {
            Target::Postgres(url) => Some(with_connect_timeout(url, self.manager.connect_timeout)),
            Target::Sqlite(_) => None,
        }
    }

    /// Whether the database answers now (for /readyz).
    pub async fn ping(&self) -> bool {
        self.read(|conn| {
            conn.batch_execute("SELECT 1")?;
            Ok::<_, StoreError>(())
        })
        .await
        .is_ok()
    }
}

/// A query that failed because the database went away is an outage (503),
/// not a bug (500): after an unexpected error, ask the connection once more.
fn outage_or<T, E: FromStore>(conn: &mut DbConnection, result: Result<T, E>) -> Result<T, E> {
    match result {
        Err(e) if e.is_failure() && conn.batch_execute("SELECT 1").is_err() => {
            tracing::warn!(cause = %Failure::chain(&e), "database unavailable");
            Err(StoreError::Unavailable.into())
        }
        other => other,
    }
}

/// Runs `f` in a transaction (a savepoint when one is open already) with
/// the caller's error: diesel's own errors become the store's.
pub(crate) fn in_transaction<T, E: FromStore>(
    conn: &mut DbConnection,
    f: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E> {
    /// The caller's error, or diesel's from opening or ending the transaction.
    enum Ended<E> {
        Caller(E),
        Diesel(diesel::result::Error),
    }
    impl<E> From<diesel::result::Error> for Ended<E> {
        fn from(e: diesel::result::Error) -> Self {
            Ended::Diesel(e)
        }
    }
    conn.transaction(|conn| f(conn).map_err(Ended::Caller))
        .map_err(|ended| match ended {
            Ended::Caller(e) => e,
            Ended::Diesel(e) => StoreError::from(e).into(),
        })
}

/// Runs the embedded migrations of the backend on a plain connection.
fn migrate(manager: &Manager) -> Result<(), OpenError> {
    let conn = manager
        .open()
        .map_err(|e| OpenError::Connect(e.to_string()))?;
    let result = match conn {
        DbConnection::Sqlite(mut c) => {
            // WAL is a property of the file: set once, here.
            c.batch_execute("PRAGMA journal_mode = WAL")
                .map_err(|e| OpenError::Migrate(e.to_string()))?;
            c.run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|_| ())
                // An import killed while it had deferred indexes left them out.
                .and_then(|()| import::indexes::restore_sqlite_indexes(&mut c).map_err(Into::into))
        }
        DbConnection::Postgres(mut c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| OpenError::Migrate(e.to_string()))
}

/// Runs an `INSERT` and gives the new row's id. diesel's multi-backend
/// connection cannot carry `RETURNING` (each backend supports it through its
/// own query type), so the same query is built per backend here.
macro_rules! insert_returning_id {
    ($conn:expr, $insert:expr, $id:expr) => {{
        use diesel::RunQueryDsl;
        match $conn {
            $crate::store::DbConnection::Sqlite(c) => $insert.returning($id).get_result::<i64>(c),
            $crate::store::DbConnection::Postgres(c) => $insert.returning($id).get_result::<i64>(c),
        }
    }};
}
pub(crate) use insert_returning_id;

/// Runs a query on the connection's own backend, bound to `$c`. Through the
/// enum, diesel's MultiConnection serializes every query to dispatch it,
/// writing its SQL text again at each run (a sixth of a post's instructions
/// in bench/RESULTS-instructions.md); on the backend's connection a query
/// with a fixed shape is found in the statement cache by its type alone.
/// For the statements that run for every post or every delivery.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {{
        use diesel::RunQueryDsl;
        match $conn {
            $crate::store::DbConnection::Sqlite($c) => $body,
            $crate::store::DbConnection::Postgres($c) => $body,
        }
    }};
}
pub(crate) use on_backend;

pub use crate::domain::time::now_ms;
pub use error::{FromStore, StoreError, Taken};

diesel::table! {
    /// SQLite's `PRAGMA data_version` read as a table (an eponymous virtual
    /// table), so that its statement is prepared once and kept: through
    /// `sql_query` it was parsed at each of the two reads a signed-in page
    /// makes, 6,000 instructions each (callgrind, bench R1S).
    pragma_data_version (data_version) {
        data_version -> BigInt,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_scheme_picks_the_backend() {
        assert_eq!(
            Target::parse("sqlite://data/t.db"),
            Ok(Target::Sqlite("data/t.db".into()))
        );
        assert_eq!(
            Target::parse("sqlite:///abs/t.db"),
            Ok(Target::Sqlite("/abs/t.db".into()))
        );
        assert!(matches!(
            Target::parse("postgres://u@h/db"),
            Ok(Target::Postgres(_))
        ));
        assert!(Target::parse("mysql://x").is_err());
        assert!(Target::parse("sqlite://").is_err());
    }

    #[test]
    fn connect_timeout_is_added_once() {
        assert_eq!(
            with_connect_timeout("postgres://h/db", 2),
            "postgres://h/db?connect_timeout=2"
        );
        assert_eq!(
            with_connect_timeout("postgres://h/db?sslmode=disable", 3),
            "postgres://h/db?sslmode=disable&connect_timeout=3"
        );
        assert_eq!(
            with_connect_timeout("postgres://h/db?connect_timeout=9", 3),
            "postgres://h/db?connect_timeout=9"
        );
    }
}
