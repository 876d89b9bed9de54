//! What moderators read: the queue, with what each item needs to be
//! decided, and the moderation log.

use super::ServiceError;
use crate::cache::QueueTotals;
use crate::domain::cursor::Cursor;
use crate::domain::cursor::Page;
use crate::domain::Failure;
use crate::domain::{ArticleKey, ReportReason};
pub use crate::store::comments::Queue;
use crate::store::models::{CommentWithAuthor, LogRow, UserRow};
use crate::store::Db;
use crate::store::{self, DbConnection};
use std::collections::HashMap;

/// Which page of which queue.
pub struct QueueQuery {
    pub which: Queue,
    pub article: Option<ArticleKey>,
    pub page: Page,
}

/// A page of a queue: its items, where the next starts, and the queue's size.
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    pub next_cursor: Option<String>,
    pub total: i64,
}

/// A page of a queue. Whole queues are counted once per committed write
/// (SQLite), not once per page: a moderator paging through a long queue
/// does not count it each time.
pub async fn page(db: &Db, totals: &QueueTotals, q: QueueQuery) -> Result<QueuePage, ServiceError> {
    let QueueQuery {
        which,
        article,
        page,
    } = q;
    let epoch = db.write_epoch().filter(|_| article.is_none());
    let known_total = epoch.and_then(|e| totals.get(which, e));
    let (items, total) = db
        .read(move |conn| -> Result<_, ServiceError> {
            let article_id = match article {
                Some(key) => match store::articles::find_by_key(conn, key.as_str())? {
                    Some(a) => Some(a.id),
                    None => return Ok((Vec::new(), 0)),
                },
                None => None,
            };
            let total = match known_total {
                Some(total) => total,
                None => store::comments::queue_total(conn, which, article_id)?,
            };
            let rows = store::comments::queue(conn, which, article_id, page.after, page.fetch())?;
            Ok((queue_items(conn, rows)?, total))
        })
        .await?;
    if let (Some(epoch), None) = (epoch, known_total) {
        totals.put(which, epoch, total);
    }
    let (items, next_cursor) = page.finish(items, |i| Cursor {
        key: i.comment.comment.created_at,
        id: i.comment.comment.id,
    });
    Ok(QueuePage {
        items,
        next_cursor,
        total,
    })
}

/// A queue row with what a moderator needs to decide.
pub struct QueueItem {
    pub comment: CommentWithAuthor,
    pub article_title: String,
    /// The author's account, with the counts kept on it.
    pub author: Option<UserRow>,
    pub reports: HashMap<ReportReason, i64>,
    /// (reason, note) of open reports that carry a note, newest first.
    pub report_notes: Vec<(ReportReason, String)>,
    /// Moderators' notes on the author (`service::notes`), counted.
    pub author_notes: i64,
}

/// Report notes shown per queue item, and read per page at most.
const NOTES_PER_ITEM: usize = 5;
const NOTES_PER_PAGE: i64 = 250;

/// Adds to a page of the queue the article titles, authors' standing and
/// open reports, with one query each for the whole page.
fn queue_items(
    conn: &mut DbConnection,
    rows: Vec<CommentWithAuthor>,
) -> Result<Vec<QueueItem>, ServiceError> {
    let ids: Vec<i64> = rows.iter().map(|c| c.comment.id).collect();
    let author_ids: Vec<i64> = rows.iter().filter_map(|c| c.comment.author_id).collect();
    let mut reports: HashMap<i64, HashMap<ReportReason, i64>> = HashMap::new();
    for (comment_id, reason, n) in store::reports::open_by_reason(conn, &ids)? {
        reports.entry(comment_id).or_default().insert(reason, n);
    }
    // Only pages with reports pay for their notes.
    let reported: Vec<i64> = reports.keys().copied().collect();
    let mut notes: HashMap<i64, Vec<(ReportReason, String)>> = HashMap::new();
    if !reported.is_empty() {
        for (comment_id, reason, note) in
            store::reports::open_notes(conn, &reported, NOTES_PER_PAGE)?
        {
            let kept = notes.entry(comment_id).or_default();
            if kept.len() < NOTES_PER_ITEM {
                kept.push((reason, note));
            }
        }
    }
    let article_ids: Vec<i64> = rows.iter().map(|c| c.comment.article_id).collect();
    let titles: HashMap<i64, String> = store::articles::titles(conn, &article_ids)?;
    let authors: HashMap<i64, UserRow> = store::users::find_many(conn, &author_ids)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let note_counts = store::notes::counts(conn, &author_ids)?;
    let mut items = Vec::with_capacity(rows.len());
    for c in rows {
        let author = c.comment.author_id.and_then(|id| authors.get(&id).cloned());
        items.push(QueueItem {
            reports: reports.remove(&c.comment.id).unwrap_or_default(),
            report_notes: notes.remove(&c.comment.id).unwrap_or_default(),
            author_notes: c
                .comment
                .author_id
                .and_then(|id| note_counts.get(&id).copied())
                .unwrap_or(0),
            article_title: titles
                .get(&c.comment.article_id)
                .cloned()
                .unwrap_or_default(),
            author,
            comment: c,
        });
    }
    Ok(items)
}

/// A page of the moderation log: entries with their actors.
pub struct LogPage {
    pub entries: Vec<(LogRow, UserRow)>,
    pub next_cursor: Option<String>,
}

/// A page of the moderation log, newest first, each entry with its actor
/// (one query for the page's actors).
pub fn log_page(conn: &mut DbConnection, page: Page) -> Result<LogPage, ServiceError> {
    let rows = store::log::list(conn, page.after, page.fetch())?;
    let (rows, next) = page.finish(rows, |row| Cursor { key: 0, id: row.id });
    let actor_ids: Vec<i64> = rows.iter().map(|r| r.actor_id).collect();
    let actors: HashMap<i64, UserRow> = store::users::find_many(conn, &actor_ids)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    // Erasure keeps the account's row, so every actor is found; a miss
    // would be a broken database, not the caller's mistake.
    let entries = rows
        .into_iter()
        .map(|row| match actors.get(&row.actor_id) {
            Some(actor) => Ok((row, actor.clone())),
            None => Err(Failure::new(format!("log entry {} without actor", row.id)).into()),
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    Ok(LogPage {
        entries,
        next_cursor: next,
    })
}
