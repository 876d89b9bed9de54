//! The site's figures for its admins.

use super::ServiceError;
use crate::domain::CommentStatus;
use crate::metrics::Backlog;
use crate::store::{self, now_ms, DbConnection};

/// The figures of GET /admin/stats.
pub struct Stats {
    pub comments: [(CommentStatus, i64); 4],
    pub users_total: i64,
    pub users_banned: i64,
    pub articles: i64,
    pub comments_24h: i64,
    pub reports_24h: i64,
}

pub fn stats(conn: &mut DbConnection) -> Result<Stats, ServiceError> {
    let now = now_ms();
    let day_ago = now - 24 * 60 * 60 * 1000;
    let mut count = |s| store::comments::count_by_status(conn, s);
    let comments = [
        (CommentStatus::Approved, count(CommentStatus::Approved)?),
        (CommentStatus::Pending, count(CommentStatus::Pending)?),
        (CommentStatus::Rejected, count(CommentStatus::Rejected)?),
        (CommentStatus::Deleted, count(CommentStatus::Deleted)?),
    ];
    let (users_total, users_banned) = store::users::counts(conn, now)?;
    Ok(Stats {
        comments,
        users_total,
        users_banned,
        articles: store::articles::count(conn)?,
        comments_24h: store::comments::count_since(conn, day_ago)?,
        reports_24h: store::reports::count_since(conn, day_ago)?,
    })
}

/// Comments of each status, by the status's name (for the metrics).
pub fn comments_by_status(
    conn: &mut DbConnection,
) -> Result<Vec<(CommentStatus, i64)>, ServiceError> {
    CommentStatus::ALL
        .iter()
        .map(|s| Ok((*s, store::comments::count_by_status(conn, *s)?)))
        .collect()
}

/// What the mail and webhook workers still owe (for the metrics).
pub fn backlog(conn: &mut DbConnection) -> Result<Backlog, ServiceError> {
    let (webhook_deliveries, webhooks_disabled) = store::webhooks::backlog(conn)?;
    Ok(Backlog {
        webhook_deliveries,
        webhooks_disabled,
        mails: store::mails::backlog(conn)?,
    })
}
