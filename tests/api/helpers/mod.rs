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

/// Every test account's password.
pub const PASSWORD: &str = "a long password";
