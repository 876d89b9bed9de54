//! Live threads: which outbox events a thread's readers may learn of, the
//! comment as they may see it, and the replay of what a reconnecting reader
//! missed (`Last-Event-ID`).

use crate::domain::events::{live_effect, EventType, LiveEffect};
use crate::domain::ArticleKey;
use crate::domain::CommentId;
use crate::error::ApiError;
use crate::store::models::{CommentWithAuthor, EventRow};
use crate::store::{self, DbConnection};
use serde_json::Value;

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
pub fn open(conn: &mut DbConnection, key: &ArticleKey) -> Result<Opening, ApiError> {
    let article = store::articles::get_by_key(conn, key.as_str())?;
    Ok(Opening {
        article_key: article.key,
        comment_count: article.approved_count,
        baseline: store::events::max_id(conn)?,
    })
}

/// An event's article and data, for comment events (others have no thread).
pub fn article_of(row: &EventRow) -> Option<String> {
    EventType::parse(&row.kind)?;
    let data: Value = serde_json::from_str(&row.data).ok()?;
    data.get("comment_id")?;
    data.get("article_key")?.as_str().map(str::to_string)
}

/// What readers of its thread may learn from `row`, if anything: the comment
/// is read as it is now, so an approval since undone shows nothing.
pub fn resolve(conn: &mut DbConnection, row: &EventRow) -> Result<Option<LiveChange>, ApiError> {
    let Some(kind) = EventType::parse(&row.kind) else {
        return Ok(None);
    };
    let Ok(data) = serde_json::from_str::<Value>(&row.data) else {
        return Ok(None);
    };
    let Some(comment_id) = data.get("comment_id").and_then(Value::as_i64) else {
        return Ok(None);
    };
    let was_public = data
        .get("was_public")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let Some(comment) = store::comments::find(conn, CommentId(comment_id))? else {
        return Ok(None);
    };
    let effect = live_effect(kind, comment.comment.status, was_public);
    if effect == LiveEffect::Nothing {
        return Ok(None);
    }
    let comment_count =
        store::articles::find_by_key(conn, &comment.article_key)?.map_or(0, |a| a.approved_count);
    Ok(Some(LiveChange {
        uid: row.uid.clone(),
        article_key: comment.article_key.clone(),
        effect,
        comment,
        comment_count,
    }))
}

/// The outbox row `id`, resolved (a `NOTIFY` from another instance names it).
pub fn resolve_id(conn: &mut DbConnection, id: i64) -> Result<Option<LiveChange>, ApiError> {
    match store::events::find(conn, id)? {
        Some(row) => resolve(conn, &row),
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
) -> Result<Replay, ApiError> {
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
    for row in rows {
        if article_of(&row).as_deref() != Some(key) {
            continue;
        }
        if let Some(change) = resolve(conn, &row)? {
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
    fn only_comment_events_belong_to_a_thread() {
        let row = |kind: &str, data: &str| EventRow {
            id: 1,
            uid: "evt_x".into(),
            kind: kind.into(),
            data: data.into(),
            created_at: 0,
        };
        let comment = r#"{"comment_id": 3, "article_key": "a1", "status": "approved"}"#;
        assert_eq!(
            article_of(&row("comment.approved", comment)),
            Some("a1".into())
        );
        assert_eq!(article_of(&row("user.banned", r#"{"user_id": 3}"#)), None);
        assert_eq!(
            article_of(&row("article.closed", r#"{"article_key": "a1"}"#)),
            None
        );
        assert_eq!(article_of(&row("comment.nope", comment)), None);
        assert_eq!(article_of(&row("comment.approved", "not json")), None);
    }
}
