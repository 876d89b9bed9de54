//! The database a test's Tribune runs on, shared by the test crates that
//! start one (`#[path]`-included: `tests/support` is not a test of its own).
//!
//! A fresh SQLite file in the test's folder, or, when
//! `TRIBUNE_TEST_DATABASE_URL` names a PostgreSQL server, a fresh database
//! on it (`tribune_test_` and 16 random hex digits; `.ci/run` drops them).

use diesel::{Connection, PgConnection, RunQueryDsl};
use std::path::Path;

/// A fresh database for one test whose folder is `dir`.
pub fn fresh_database_url(dir: &Path) -> String {
    match std::env::var("TRIBUNE_TEST_DATABASE_URL") {
        Ok(server) if server.starts_with("postgres") => fresh_postgres(&server),
        _ => format!("sqlite://{}", dir.join("tribune.db").display()),
    }
}

/// A new, empty database on the PostgreSQL server `server` names.
fn fresh_postgres(server: &str) -> String {
    let name = format!("tribune_test_{:016x}", rand::random::<u64>());
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
