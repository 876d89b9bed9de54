//! Black-box tests: each test starts the real app on a random port with a
//! fresh database and talks HTTP to it. One binary, one file per resource.

mod helpers;

mod accounts;
mod administration;
mod articles;
mod cache;
mod comments;
mod cors;
mod dsa_appeals;
mod dsa_notices;
mod dsa_statements;
mod dsa_transparency;
mod edges;
mod events_contract;
mod filters;
mod head;
mod instances;
mod live;
mod mail;
mod moderation;
mod notes;
mod oidc;
mod openapi;
mod ops;
mod pages;
mod picks;
mod ratelimit;
mod reactions;
mod remembered;
mod reports;
mod retention;
mod security;
mod shared_limits;
mod sso;
mod stored;
mod webhooks;
