//! The durable event stream: every change that matters records one event in
//! the transaction of the change (a transactional outbox), with a delivery
//! row for each webhook endpoint subscribed to its type. Deliveries are made
//! later, off the request path (`service::webhooks::deliver_due`).

use crate::domain::events::{live_effect, EventType, LiveEffect};
use crate::error::ApiError;
use crate::store::models::{CommentRow, CommentWithAuthor, NewEvent};
use crate::store::{self, now_ms, DbConnection};
use serde_json::{json, Value};

/// A fresh stable id, the one receivers deduplicate on: the time in
/// milliseconds, then 80 random bits. Ids that grow with time land at the end
/// of the unique index on them, on a page every event of the moment shares;
/// random ones would each write a page of their own at every commit.
fn new_uid(now_ms: i64) -> String {
    let random = rand::random::<u128>() & ((1u128 << 80) - 1);
    format!("evt_{:032x}", ((now_ms.max(0) as u128) << 80) | random)
}

/// Writes the event and the deliveries it owes; call inside the change's transaction.
pub fn record(conn: &mut DbConnection, kind: EventType, data: Value) -> Result<(), ApiError> {
    record_returning_id(conn, kind, data).map(|_| ())
}

/// `record`, giving the event's row id.
fn record_returning_id(
    conn: &mut DbConnection,
    kind: EventType,
    data: Value,
) -> Result<i64, ApiError> {
    record_text(conn, kind, &data.to_string())
}

/// `record` with the data already written as JSON.
fn record_text(conn: &mut DbConnection, kind: EventType, data: &str) -> Result<i64, ApiError> {
    let now = now_ms();
    let uid = new_uid(now);
    let event_id = store::events::insert(
        conn,
        NewEvent {
            uid: &uid,
            kind: kind.as_str(),
            data,
            created_at: now,
        },
    )?;
    let subscribers: Vec<i64> = store::webhooks::enabled_subscriptions(conn)?
        .into_iter()
        .filter(|(_, events)| events.split(',').any(|e| e == kind.as_str()))
        .map(|(id, _)| id)
        .collect();
    store::webhooks::insert_deliveries(conn, event_id, &subscribers, now)?;
    Ok(event_id)
}

/// A comment as events describe it.
pub fn comment_data(c: &CommentRow, article_key: &str) -> Value {
    json!({
        "comment_id": c.id,
        "article_key": article_key,
        "parent_id": c.parent_id,
        "author_id": c.author_id,
        "status": c.status,
        "body": c.body,
    })
}

/// A comment's event, with who caused it when that was not its author.
pub fn record_comment(
    conn: &mut DbConnection,
    kind: EventType,
    c: &CommentWithAuthor,
    actor_id: Option<i64>,
) -> Result<(), ApiError> {
    record_comment_event(conn, kind, c, actor_id, None)
}

/// A change to a comment readers may have seen: `was_public` says whether
/// it was approved before, so live threads know to take it down (and never
/// mention a comment they were not shown).
pub fn record_comment_change(
    conn: &mut DbConnection,
    kind: EventType,
    c: &CommentWithAuthor,
    actor_id: Option<i64>,
    was_public: bool,
) -> Result<(), ApiError> {
    record_comment_event(conn, kind, c, actor_id, Some(was_public))
}

fn record_comment_event(
    conn: &mut DbConnection,
    kind: EventType,
    c: &CommentWithAuthor,
    actor_id: Option<i64>,
    was_public: Option<bool>,
) -> Result<(), ApiError> {
    let comment = &c.comment;
    let data = CommentEvent {
        actor_id,
        article_key: &c.article_key,
        author_id: comment.author_id,
        // What was removed is not sent on.
        body: (kind != EventType::CommentDeleted).then_some(comment.body.as_str()),
        comment_id: comment.id,
        parent_id: comment.parent_id,
        status: comment.status.as_str(),
        was_public,
    };
    let data = serde_json::to_string(&data).map_err(|e| ApiError::internal(e.to_string()))?;
    let event_id = record_text(conn, kind, &data)?;
    let effect = live_effect(kind, comment.status, was_public.unwrap_or(false));
    if effect != LiveEffect::Nothing {
        // Live threads of every instance (PostgreSQL), told at commit.
        store::events::notify_live_event(conn, event_id, &c.article_key)?;
    }
    Ok(())
}

/// A comment's event data, written straight to JSON (no `Value` built
/// first): the same text `comment_data` gives, keys in the same
/// (alphabetical) order, the optional ones left out when absent.
#[derive(serde::Serialize)]
struct CommentEvent<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    actor_id: Option<i64>,
    article_key: &'a str,
    author_id: Option<i64>,
    body: Option<&'a str>,
    comment_id: i64,
    parent_id: Option<i64>,
    status: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    was_public: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::{comment_data, new_uid, CommentEvent};
    use crate::store::models::CommentRow;
    use serde_json::{json, Value};

    /// The event data as it was written before (a `Value`, printed): the
    /// struct must give the same text, byte for byte.
    #[test]
    fn a_comment_event_is_the_text_its_value_gave() {
        let row = |parent_id, author_id| CommentRow {
            id: 7,
            article_id: 3,
            parent_id,
            author_id,
            body: "Un \"avis\" <b>numéro</b> 1\n\u{1F600}".into(),
            html: String::new(),
            dir: "ltr".into(),
            status: crate::domain::CommentStatus::Approved,
            deleted_by: None,
            reasons: Default::default(),
            depth: 1,
            dup_key: String::new(),
            created_at: 0,
            edited_at: None,
            word_matches: "[]".into(),
            reactions: 0,
            featured_at: None,
            featured_by: None,
        };
        for (parent, author) in [(None, Some(5)), (Some(2), None)] {
            let c = row(parent, author);
            for deleted in [false, true] {
                for actor_id in [None, Some(9)] {
                    for was_public in [None, Some(true), Some(false)] {
                        let mut value = comment_data(&c, "a-é\"1");
                        if deleted {
                            value["body"] = Value::Null;
                        }
                        if let Some(actor) = actor_id {
                            value["actor_id"] = json!(actor);
                        }
                        if let Some(was_public) = was_public {
                            value["was_public"] = json!(was_public);
                        }
                        let direct = CommentEvent {
                            actor_id,
                            article_key: "a-é\"1",
                            author_id: c.author_id,
                            body: (!deleted).then_some(c.body.as_str()),
                            comment_id: c.id,
                            parent_id: c.parent_id,
                            status: c.status.as_str(),
                            was_public,
                        };
                        assert_eq!(serde_json::to_string(&direct).unwrap(), value.to_string());
                    }
                }
            }
        }
    }

    #[test]
    fn event_ids_grow_with_time_and_differ_within_a_millisecond() {
        let (a, b, later) = (
            new_uid(1_700_000_000_000),
            new_uid(1_700_000_000_000),
            new_uid(1_700_000_000_001),
        );
        assert_ne!(a, b);
        assert!(a < later && b < later, "{a} {b} {later}");
        for id in [&a, &b, &later] {
            let hex = id.strip_prefix("evt_").unwrap();
            assert_eq!(hex.len(), 32);
            assert!(hex.chars().all(|c| c.is_ascii_hexdigit()));
        }
    }
}
