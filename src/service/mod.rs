//! The rules behind the routes, as functions over one database connection
//! (each call runs inside the caller's transaction). No HTTP here.

pub mod accounts;
pub mod admin;
pub mod articles;
pub mod comments;
pub mod moderation;
