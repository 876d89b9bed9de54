//! Administration, one file per resource: articles, accounts, settings,
//! word lists, figures. Every route here takes the `Admin` extractor.

pub mod articles;
pub mod settings;
pub mod stats;
pub mod users;
pub mod webhooks;
pub mod words;
