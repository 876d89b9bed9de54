//! Tribune: the comment backend of a French and Arabic news site.
//! `main.rs` is the command line; tests start the same app through `app::server`.

pub mod alloc;
pub mod api;
pub mod app;
pub mod auth;
pub mod backup;
pub mod cache;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod error;
pub mod http;
pub mod i18n;
pub mod import;
pub mod live;
pub mod mailer;
pub mod metrics;
pub mod ratelimit;
pub mod retention;
pub mod screening;
pub mod service;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod text;
pub mod web;
pub mod worker;
