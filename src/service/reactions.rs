//! Readers' one positive reaction ("Pertinent / مفيد / Insightful"): added
//! and removed idempotently, the count kept with the rows.

use super::ServiceError;
use crate::domain::events::CountMoved;
use crate::domain::ArticleId;
use crate::domain::{CommentId, CommentStatus, UserId};
use crate::store::models::UserRow;
use crate::store::{self, now_ms, DbConnection};

/// What a reaction route answers: the count after the change, and whether
/// the caller's reaction is now there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reaction {
    pub reactions: i64,
    pub reacted: bool,
    /// The comment's article when the count moved (live threads are told).
    pub moved_in: Option<String>,
}

/// Adds (`on`) or removes the reader's reaction on a public comment that is
/// not theirs. A repeat changes nothing and answers the same. The article's
/// version moves only when the count did, so cached pages show the new count
/// and a repeat costs no rebuild.
pub fn set(
    conn: &mut DbConnection,
    reader: &UserRow,
    comment_id: CommentId,
    on: bool,
) -> Result<Reaction, ServiceError> {
    let c = store::comments::find_row(conn, comment_id)?.ok_or(ServiceError::NotFound)?;
    if c.author_id == Some(reader.id) {
        return Err(ServiceError::OwnComment);
    }
    // Only public comments can be marked, by anyone (staff included).
    if c.status != CommentStatus::Approved {
        return Err(ServiceError::NotFound);
    }
    let changed = if on {
        store::reactions::add(conn, comment_id, UserId(reader.id), now_ms())?
    } else {
        store::reactions::remove(conn, comment_id, UserId(reader.id))?
    };
    let reactions = store::reactions::count(conn, comment_id)?;
    let moved_in = if changed {
        store::articles::touch(conn, ArticleId(c.article_id))?;
        let article_key = store::articles::get(conn, ArticleId(c.article_id))?.key;
        // Live threads of every instance (PostgreSQL), told at commit; the
        // row lock taken by the count's update orders these as the counts.
        let moved = CountMoved {
            comment_id: comment_id.get(),
            reactions,
            article_key,
        };
        store::events::notify_live(conn, &moved.payload())?;
        Some(moved.article_key)
    } else {
        None
    };
    Ok(Reaction {
        reactions,
        reacted: on,
        moved_in,
    })
}
