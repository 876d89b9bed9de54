//! The rules behind the routes. Every write and every read of more than one
//! step is one call here: a handler extracts typed input, calls one
//! function, and shapes the answer. Functions over a connection run inside
//! the caller's transaction (`Db::read`/`Db::write`); `async` ones take the
//! shared state when a rule needs more than the database (hashing, caches).
//! No HTTP here, and no SQL: queries live in `store`.

pub mod accounts;
pub mod appeals;
pub mod articles;
pub mod bans;
pub mod comments;
pub mod decisions;
pub mod dsa_mail;
mod error;
pub mod events;
pub mod identities;
pub mod letters;
pub mod live;
pub mod mail;
pub mod notes;
pub mod notices;
pub mod oidc;
pub mod queue;
pub mod reactions;
pub mod recovery;
pub mod reports;
pub mod retention;
pub mod settings;
pub mod sso;
pub mod statements;
pub mod stats;
pub mod threads;
pub mod transparency;
pub mod webhooks;
pub mod words;

pub use error::{Conflict, ServiceError};
