//! The durable event stream: every change that matters records one event in
//! the transaction of the change (a transactional outbox), with a delivery
//! row for each webhook endpoint subscribed to its type. Deliveries are made
//! later, off the request path (`service::webhooks::deliver_due`).

use super::ServiceError;
use crate::domain::events::{live_effect, CommentChange, Event, EventType, LiveEffect};
use crate::domain::Failure;
use crate::store::models::{CommentWithAuthor, EventRow, NewEvent};
use crate::store::{self, now_ms, DbConnection};
use std::borrow::Cow;

/// A fresh stable id, the one receivers deduplicate on: the time in
/// milliseconds, then 80 random bits. Ids that grow with time land at the end
/// of the unique index on them, on a page every event of the moment shares;
/// random ones would each write a page of their own at every commit.
fn new_uid(now_ms: i64) -> String {
    let random = rand::random::<u128>() & ((1u128 << 80) - 1);
    format!("evt_{:032x}", ((now_ms.max(0) as u128) << 80) | random)
}

/// Writes the event and the deliveries it owes; call inside the change's transaction.
pub fn record(conn: &mut DbConnection, event: &Event<'_>) -> Result<(), ServiceError> {
    record_returning_id(conn, event).map(|_| ())
}

/// `record`, giving the event's row id.
fn record_returning_id(conn: &mut DbConnection, event: &Event<'_>) -> Result<i64, ServiceError> {
    // Written straight to JSON from the typed value, no `Value` built first.
    let data =
        serde_json::to_string(event).map_err(|e| ServiceError::failed("writing an event", e))?;
    let kind = event.kind();
    let now = now_ms();
    let uid = new_uid(now);
    let event_id = store::events::insert(
        conn,
        NewEvent {
            uid: &uid,
            kind: kind.as_str(),
            data: &data,
            created_at: now,
        },
    )?;
    let subscribers: Vec<i64> = store::webhooks::enabled_subscriptions(conn)?
        .into_iter()
        .filter(|(_, events)| subscribes_to(events, kind))
        .map(|(id, _)| id)
        .collect();
    store::webhooks::insert_deliveries(conn, event_id, &subscribers, now)?;
    Ok(event_id)
}

/// Whether an endpoint's stored list of event types (comma-separated) has `kind`.
fn subscribes_to(events: &str, kind: EventType) -> bool {
    events
        .split(',')
        .filter_map(EventType::parse)
        .any(|e| e == kind)
}

/// An outbox row read back as its typed event. A row this version cannot
/// read is logged and passed over by every consumer, never guessed at.
pub fn read(row: &EventRow) -> Option<Event<'_>> {
    match Event::read(&row.kind, &row.data) {
        Ok(event) => Some(event),
        Err(error) => {
            tracing::warn!(event = row.id, kind = %row.kind, %error, "event passed over");
            None
        }
    }
}

/// A comment as an event of `kind` describes it.
fn comment_change(
    kind: EventType,
    c: &CommentWithAuthor,
    actor_id: Option<i64>,
    was_public: Option<bool>,
) -> CommentChange<'_> {
    let comment = &c.comment;
    CommentChange {
        actor_id,
        article_key: Cow::Borrowed(&c.article_key),
        author_id: comment.author_id,
        // What was removed is not sent on.
        body: (kind != EventType::CommentDeleted).then_some(Cow::Borrowed(&comment.body)),
        comment_id: comment.id,
        parent_id: comment.parent_id,
        status: comment.status,
        was_public,
    }
}

/// A comment's event, with who caused it when that was not its author.
pub fn record_comment(
    conn: &mut DbConnection,
    kind: EventType,
    c: &CommentWithAuthor,
    actor_id: Option<i64>,
) -> Result<(), ServiceError> {
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
) -> Result<(), ServiceError> {
    record_comment_event(conn, kind, c, actor_id, Some(was_public))
}

fn record_comment_event(
    conn: &mut DbConnection,
    kind: EventType,
    c: &CommentWithAuthor,
    actor_id: Option<i64>,
    was_public: Option<bool>,
) -> Result<(), ServiceError> {
    let change = comment_change(kind, c, actor_id, was_public);
    let status = change.status;
    let Some(event) = Event::comment(kind, change) else {
        return Err(Failure::new(format!("{} is not a comment's change", kind.as_str())).into());
    };
    let event_id = record_returning_id(conn, &event)?;
    let effect = live_effect(kind, status, was_public.unwrap_or(false));
    if effect != LiveEffect::Nothing {
        // Live threads of every instance (PostgreSQL), told at commit.
        store::events::notify_live_event(conn, event_id, &c.article_key)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{comment_change, new_uid, subscribes_to, EventType};
    use crate::store::models::{CommentRow, CommentWithAuthor};
    use serde_json::{json, Value};

    /// The event data as it was written before (a `Value`, printed): the
    /// typed event must give the same text, byte for byte.
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
        // A comment as the events described it before they were typed.
        let comment_data = |c: &CommentRow, article_key: &str| {
            json!({
                "comment_id": c.id,
                "article_key": article_key,
                "parent_id": c.parent_id,
                "author_id": c.author_id,
                "status": c.status,
                "body": c.body,
            })
        };
        for (parent, author) in [(None, Some(5)), (Some(2), None)] {
            let c = CommentWithAuthor {
                comment: row(parent, author),
                author: None,
                article_key: "a-é\"1".into(),
            };
            for kind in [EventType::CommentApproved, EventType::CommentDeleted] {
                for actor_id in [None, Some(9)] {
                    for was_public in [None, Some(true), Some(false)] {
                        let mut value = comment_data(&c.comment, &c.article_key);
                        if kind == EventType::CommentDeleted {
                            value["body"] = Value::Null;
                        }
                        if let Some(actor) = actor_id {
                            value["actor_id"] = json!(actor);
                        }
                        if let Some(was_public) = was_public {
                            value["was_public"] = json!(was_public);
                        }
                        let typed = comment_change(kind, &c, actor_id, was_public);
                        assert_eq!(serde_json::to_string(&typed).unwrap(), value.to_string());
                    }
                }
            }
        }
    }

    #[test]
    fn an_endpoint_gets_the_types_it_lists_and_no_other() {
        let list = "comment.created,user.banned";
        assert!(subscribes_to(list, EventType::CommentCreated));
        assert!(subscribes_to(list, EventType::UserBanned));
        assert!(!subscribes_to(list, EventType::UserUnbanned));
        assert!(!subscribes_to(
            "comment.created.x,",
            EventType::CommentCreated
        ));
        assert!(!subscribes_to("", EventType::CommentCreated));
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
