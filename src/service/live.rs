//! Live threads: which outbox events a thread's readers may learn of, the
//! comment as they may see it, and the replay of what a reconnecting reader
//! missed (`Last-Event-ID`).

use super::ServiceError;
use crate::domain::events::{live_effect, Event, LiveEffect};
use crate::domain::ArticleKey;
use crate::domain::CommentId;
use crate::store::models::CommentWithAuthor;
use crate::store::{self, DbConnection};

/// One public change of a thread.
pub struct LiveChange {
    /// The event's stable id (the outbox's `uid`), sent as the SSE `id:`.
    pub uid: String,
    pub article_key: String,
    /// `Show` or `TakeDown`, never `Nothing`.
    pub effect: LiveEffect,
    /// The comment as it is now (a take-down shows it as a tombstone).
    pub comment: CommentWithAuthor,
    /// Approved comments of the article, now.
    pub comment_count: i64,
}

/// What a new stream starts from.
pub struct Opening {
    pub article_key: String,
    pub comment_count: i64,
    /// The newest outbox row when the stream opened.
    pub baseline: i64,
}

/// Where a replay starts.
pub enum ReplayFrom {
    /// After the event the client names in `Last-Event-ID`.
    Uid(String),
    /// After an outbox row id (the stream's baseline).
    Row(i64),
}

/// What a replay found.
pub enum Replay {
    Changes(Vec<LiveChange>),
    /// Too much happened since (or the id is unknown): reload the thread.
    Reset,
}

/// The article of `key` (404 when unknown, as the thread answers) and the
/// newest outbox row.
pub fn open(conn: &mut DbConnection, key: &ArticleKey) -> Result<Opening, ServiceError> {
    let article = store::articles::get_by_key(conn, key.as_str())?;
    Ok(Opening {
        article_key: article.key,
        comment_count: article.approved_count,
        baseline: store::events::max_id(conn)?,
    })
}

/// The thread a comment's change belongs to (other events have none).
pub fn article_of<'e>(event: &'e Event<'_>) -> Option<&'e str> {
    event.comment_change().map(|c| c.article_key.as_ref())
}

/// What readers of its thread may learn from the event of outbox row `uid`,
/// if anything: the comment is read as it is now, so an approval since
/// undone shows nothing.
pub fn resolve(
    conn: &mut DbConnection,
    uid: &str,
    event: &Event<'_>,
) -> Result<Option<LiveChange>, ServiceError> {
    let Some(change) = event.comment_change() else {
        return Ok(None);
    };
    let Some(comment) = store::comments::find(conn, CommentId(change.comment_id))? else {
        return Ok(None);
    };
    let was_public = change.was_public.unwrap_or(false);
    let effect = live_effect(event.kind(), comment.comment.status, was_public);
    if effect == LiveEffect::Nothing {
        return Ok(None);
    }
    let comment_count =
        store::articles::find_by_key(conn, &comment.article_key)?.map_or(0, |a| a.approved_count);
    Ok(Some(LiveChange {
        uid: uid.to_string(),
        article_key: comment.article_key.clone(),
        effect,
        comment,
        comment_count,
    }))
}

/// The outbox row `id`, resolved (a `NOTIFY` from another instance names it).
pub fn resolve_id(conn: &mut DbConnection, id: i64) -> Result<Option<LiveChange>, ServiceError> {
    let Some(row) = store::events::find(conn, id)? else {
        return Ok(None);
    };
    match super::events::read(&row) {
        Some(event) => resolve(conn, &row.uid, &event),
        None => Ok(None),
    }
}

/// The public changes of `key`'s thread after `from`, looking at no more
/// than `bound` outbox rows: past that, the client reloads the thread.
pub fn replay(
    conn: &mut DbConnection,
    key: &str,
    from: ReplayFrom,
    bound: i64,
) -> Result<Replay, ServiceError> {
    let after = match from {
        ReplayFrom::Row(id) => id,
        ReplayFrom::Uid(uid) => match store::events::id_of_uid(conn, &uid)? {
            Some(id) => id,
            None => return Ok(Replay::Reset),
        },
    };
    let rows = store::events::after(conn, after, bound + 1)?;
    if rows.len() as i64 > bound {
        return Ok(Replay::Reset);
    }
    let mut changes = Vec::new();
    for row in &rows {
        let Some(event) = super::events::read(row) else {
            continue;
        };
        if article_of(&event) != Some(key) {
            continue;
        }
        if let Some(change) = resolve(conn, &row.uid, &event)? {
            changes.push(change);
        }
    }
    Ok(Replay::Changes(changes))
}

/// A `Last-Event-ID` as Tribune writes them (`evt_` and 32 hex digits).
pub fn parse_event_id(raw: &str) -> Option<String> {
    let hex = raw.trim().strip_prefix("evt_")?;
    (hex.len() == 32 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| format!("evt_{}", hex.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::events::{Ban, Closure, CommentChange, Report};
    use crate::domain::{CommentStatus, ReportReason};

    #[test]
    fn event_ids_are_what_the_outbox_writes() {
        let id = format!("evt_{:032x}", 0xabcdu128);
        assert_eq!(parse_event_id(&id), Some(id.clone()));
        assert_eq!(parse_event_id(&format!(" {id}\n")), Some(id));
        assert_eq!(parse_event_id("evt_123"), None);
        assert_eq!(parse_event_id("12"), None);
        assert_eq!(parse_event_id(&format!("evt_{}", "g".repeat(32))), None);
    }

    #[test]
    fn only_comment_changes_belong_to_a_thread() {
        let change = CommentChange {
            actor_id: None,
            article_key: "a1".into(),
            author_id: Some(1),
            body: Some("x".into()),
            comment_id: 3,
            parent_id: None,
            status: CommentStatus::Approved,
            was_public: None,
        };
        assert_eq!(
            article_of(&Event::CommentApproved(change.clone())),
            Some("a1")
        );
        assert_eq!(
            article_of(&Event::CommentDeleted(CommentChange {
                body: None,
                ..change
            })),
            Some("a1")
        );
        let banned = Event::UserBanned(Ban {
            actor_id: 2,
            reason: "r".into(),
            until: None,
            user_id: 3,
        });
        assert_eq!(article_of(&banned), None);
        let closed = Event::ArticleClosed(Closure {
            actor_id: 2,
            article_key: "a1".into(),
        });
        assert_eq!(article_of(&closed), None);
        let reported = Event::CommentReported(Report {
            article_key: "a1".into(),
            author_id: Some(1),
            body: "x".into(),
            comment_id: 3,
            held: false,
            parent_id: None,
            reason: ReportReason::Spam,
            report_id: 4,
            status: CommentStatus::Approved,
        });
        assert_eq!(article_of(&reported), None);
    }
}
