//! What the tests share: a running Tribune on its own database (`TestApp`),
//! requests and answers (`request`), signed-in clients with one method per
//! thing a role does (`users`), and readers for moderation pages.
#![allow(dead_code)]

mod app;
#[path = "../../support/database.rs"]
mod database;
mod moderation;
mod request;
mod sse;
mod users;

pub use app::*;
pub use moderation::*;
pub use request::*;
pub use sse::*;
pub use users::{Cast, User};

/// The PostgreSQL server of a test that means something only there (several
/// instances on one database, `LISTEN/NOTIFY`). Such tests are `#[ignore]`d
/// and named `on_postgres_…`; `.ci/run` runs them against its server. Run
/// without one, they fail instead of passing having checked nothing.
pub fn postgres_server() -> String {
    match std::env::var("TRIBUNE_TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => url,
        _ => panic!("this test needs PostgreSQL: TRIBUNE_TEST_DATABASE_URL=postgres://…"),
    }
}

/// Every test account's password.
pub const PASSWORD: &str = "a long password";
