//! What each event says: one serde type per event type, written by the
//! producer into the outbox and read back by every consumer (webhooks, live
//! threads, the mail planner). The stored text is what receivers get, so
//! the fields are declared in the order they are written (alphabetical, as
//! the JSON maps the outbox first wrote them had it) and nothing is renamed.

use super::EventType;
use crate::domain::{CommentStatus, ReportReason};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// An event: its type is the variant, its data the payload. Serialized, it
/// is the data alone (the type is stored beside it, in its own column).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Event<'a> {
    CommentCreated(CommentChange<'a>),
    CommentApproved(CommentChange<'a>),
    CommentRejected(CommentChange<'a>),
    CommentDeleted(CommentChange<'a>),
    CommentEdited(CommentChange<'a>),
    CommentReported(Report<'a>),
    UserBanned(Ban<'a>),
    UserUnbanned(Unban<'a>),
    ArticleClosed(Closure<'a>),
}

/// A comment was posted, decided on, edited or deleted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentChange<'a> {
    /// Who caused it, when that was not the author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<i64>,
    #[serde(borrow)]
    pub article_key: Cow<'a, str>,
    pub author_id: Option<i64>,
    /// `None` once deleted: what was removed is not sent on.
    pub body: Option<Cow<'a, str>>,
    pub comment_id: i64,
    pub parent_id: Option<i64>,
    /// Where the comment stands after the change.
    pub status: CommentStatus,
    /// Whether it was approved before the change (changes, not posts), so
    /// live threads know to take it down.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub was_public: Option<bool>,
}

/// A reader reported a comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report<'a> {
    #[serde(borrow)]
    pub article_key: Cow<'a, str>,
    pub author_id: Option<i64>,
    pub body: Cow<'a, str>,
    pub comment_id: i64,
    /// The reports reached the threshold: the comment went back to the queue.
    pub held: bool,
    pub parent_id: Option<i64>,
    pub reason: ReportReason,
    pub report_id: i64,
    /// Where the comment stood when reported (before any hold).
    pub status: CommentStatus,
}

/// An account was banned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ban<'a> {
    pub actor_id: i64,
    #[serde(borrow)]
    pub reason: Cow<'a, str>,
    /// Until when (UTC milliseconds, written RFC 3339 to the second); `None`: for good.
    #[serde(with = "rfc3339")]
    pub until: Option<i64>,
    pub user_id: i64,
}

/// A ban was lifted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unban<'a> {
    pub actor_id: i64,
    pub reason: Option<Cow<'a, str>>,
    pub user_id: i64,
}

/// An article's comments were closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure<'a> {
    pub actor_id: i64,
    #[serde(borrow)]
    pub article_key: Cow<'a, str>,
}

/// Why stored event data could not be read back.
#[derive(Debug, thiserror::Error)]
pub enum UnreadableEvent {
    #[error("unknown event type")]
    UnknownType,
    #[error("data not of its type: {0}")]
    Data(#[from] serde_json::Error),
}

impl<'a> Event<'a> {
    pub fn kind(&self) -> EventType {
        match self {
            Event::CommentCreated(_) => EventType::CommentCreated,
            Event::CommentApproved(_) => EventType::CommentApproved,
            Event::CommentRejected(_) => EventType::CommentRejected,
            Event::CommentDeleted(_) => EventType::CommentDeleted,
            Event::CommentEdited(_) => EventType::CommentEdited,
            Event::CommentReported(_) => EventType::CommentReported,
            Event::UserBanned(_) => EventType::UserBanned,
            Event::UserUnbanned(_) => EventType::UserUnbanned,
            Event::ArticleClosed(_) => EventType::ArticleClosed,
        }
    }

    /// A comment's change as an event of `kind`; `None` when `kind` is not
    /// about a comment's change.
    pub fn comment(kind: EventType, change: CommentChange<'a>) -> Option<Event<'a>> {
        Some(match kind {
            EventType::CommentCreated => Event::CommentCreated(change),
            EventType::CommentApproved => Event::CommentApproved(change),
            EventType::CommentRejected => Event::CommentRejected(change),
            EventType::CommentDeleted => Event::CommentDeleted(change),
            EventType::CommentEdited => Event::CommentEdited(change),
            EventType::CommentReported
            | EventType::UserBanned
            | EventType::UserUnbanned
            | EventType::ArticleClosed => return None,
        })
    }

    /// The comment change this event tells of, if it is one (a report is not).
    pub fn comment_change(&self) -> Option<&CommentChange<'a>> {
        match self {
            Event::CommentCreated(c)
            | Event::CommentApproved(c)
            | Event::CommentRejected(c)
            | Event::CommentDeleted(c)
            | Event::CommentEdited(c) => Some(c),
            Event::CommentReported(_)
            | Event::UserBanned(_)
            | Event::UserUnbanned(_)
            | Event::ArticleClosed(_) => None,
        }
    }

    /// Reads back an event stored as `kind` (its type's name) and `data`.
    pub fn read(kind: &str, data: &'a str) -> Result<Event<'a>, UnreadableEvent> {
        use serde_json::from_str;
        let kind = EventType::parse(kind).ok_or(UnreadableEvent::UnknownType)?;
        Ok(match kind {
            EventType::CommentCreated => Event::CommentCreated(from_str(data)?),
            EventType::CommentApproved => Event::CommentApproved(from_str(data)?),
            EventType::CommentRejected => Event::CommentRejected(from_str(data)?),
            EventType::CommentDeleted => Event::CommentDeleted(from_str(data)?),
            EventType::CommentEdited => Event::CommentEdited(from_str(data)?),
            EventType::CommentReported => Event::CommentReported(from_str(data)?),
            EventType::UserBanned => Event::UserBanned(from_str(data)?),
            EventType::UserUnbanned => Event::UserUnbanned(from_str(data)?),
            EventType::ArticleClosed => Event::ArticleClosed(from_str(data)?),
        })
    }
}

/// An optional time in UTC milliseconds, written as RFC 3339 (`null` for none).
mod rfc3339 {
    use crate::domain::time;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(ms: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
        match ms {
            Some(ms) => s.serialize_str(&time::format(*ms)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        match Option::<std::borrow::Cow<'de, str>>::deserialize(d)? {
            Some(text) => time::parse(&text)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("not an RFC 3339 time")),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(
        actor_id: Option<i64>,
        status: CommentStatus,
        was_public: Option<bool>,
    ) -> CommentChange<'static> {
        CommentChange {
            actor_id,
            article_key: "a-é\"1".into(),
            author_id: Some(5),
            body: Some("Un \"avis\" <b>numéro</b> 1\n\u{1F600}".into()),
            comment_id: 7,
            parent_id: Some(2),
            status,
            was_public,
        }
    }

    /// One event of each type, and the text the outbox wrote for it before
    /// the events were typed (a `serde_json::Value`, printed).
    fn examples() -> Vec<(Event<'static>, String)> {
        let body = "Un \"avis\" <b>numéro</b> 1\n\u{1F600}";
        let comment = |status: &str| {
            json!({
                "comment_id": 7,
                "article_key": "a-é\"1",
                "parent_id": 2,
                "author_id": 5,
                "status": status,
                "body": body,
            })
        };
        let created = CommentChange {
            author_id: None,
            parent_id: None,
            ..change(None, CommentStatus::Pending, None)
        };
        let mut created_then = comment("pending");
        created_then["author_id"] = json!(null);
        created_then["parent_id"] = json!(null);
        let mut approved_then = comment("approved");
        approved_then["actor_id"] = json!(9);
        approved_then["was_public"] = json!(false);
        let mut rejected_then = comment("rejected");
        rejected_then["actor_id"] = json!(9);
        rejected_then["was_public"] = json!(true);
        let mut deleted_then = comment("deleted");
        deleted_then["body"] = json!(null);
        deleted_then["was_public"] = json!(true);
        let mut edited_then = comment("approved");
        edited_then["was_public"] = json!(true);
        let mut reported_then = comment("approved");
        reported_then["report_id"] = json!(11);
        reported_then["reason"] = json!("off_topic");
        reported_then["held"] = json!(true);
        let until = crate::domain::time::parse("2026-11-29T08:30:00Z");
        vec![
            (Event::CommentCreated(created), created_then.to_string()),
            (
                Event::CommentApproved(change(Some(9), CommentStatus::Approved, Some(false))),
                approved_then.to_string(),
            ),
            (
                Event::CommentRejected(change(Some(9), CommentStatus::Rejected, Some(true))),
                rejected_then.to_string(),
            ),
            (
                Event::CommentDeleted(CommentChange {
                    body: None,
                    ..change(None, CommentStatus::Deleted, Some(true))
                }),
                deleted_then.to_string(),
            ),
            (
                Event::CommentEdited(change(None, CommentStatus::Approved, Some(true))),
                edited_then.to_string(),
            ),
            (
                Event::CommentReported(Report {
                    article_key: "a-é\"1".into(),
                    author_id: Some(5),
                    body: body.into(),
                    comment_id: 7,
                    held: true,
                    parent_id: Some(2),
                    reason: ReportReason::OffTopic,
                    report_id: 11,
                    status: CommentStatus::Approved,
                }),
                reported_then.to_string(),
            ),
            (
                Event::UserBanned(Ban {
                    actor_id: 1,
                    reason: "spam, again".into(),
                    until,
                    user_id: 4,
                }),
                json!({
                    "user_id": 4,
                    "actor_id": 1,
                    "until": until.map(crate::domain::time::format),
                    "reason": "spam, again",
                })
                .to_string(),
            ),
            (
                Event::UserUnbanned(Unban {
                    actor_id: 1,
                    reason: None,
                    user_id: 4,
                }),
                json!({"user_id": 4, "actor_id": 1, "reason": Option::<&str>::None}).to_string(),
            ),
            (
                Event::ArticleClosed(Closure {
                    actor_id: 1,
                    article_key: "a-1".into(),
                }),
                json!({"article_key": "a-1", "actor_id": 1}).to_string(),
            ),
        ]
    }

    #[test]
    fn every_event_type_round_trips_as_the_text_it_had() {
        let examples = examples();
        let kinds: Vec<EventType> = examples.iter().map(|(e, _)| e.kind()).collect();
        assert_eq!(kinds, EventType::ALL, "one example per type, in order");
        for (event, then) in &examples {
            let text = serde_json::to_string(event).unwrap();
            assert_eq!(&text, then, "{:?}", event.kind());
            let back = Event::read(event.kind().as_str(), &text).unwrap();
            assert_eq!(&back, event);
            assert_eq!(serde_json::to_string(&back).unwrap(), text);
        }
    }

    #[test]
    fn a_ban_for_good_is_until_null_and_an_unban_may_say_why() {
        let ban = Event::UserBanned(Ban {
            actor_id: 1,
            reason: "r".into(),
            until: None,
            user_id: 4,
        });
        let text = serde_json::to_string(&ban).unwrap();
        assert_eq!(
            text,
            r#"{"actor_id":1,"reason":"r","until":null,"user_id":4}"#
        );
        assert_eq!(
            Event::read(EventType::UserBanned.as_str(), &text).unwrap(),
            ban
        );
        let unban = Event::UserUnbanned(Unban {
            actor_id: 1,
            reason: Some("appeal".into()),
            user_id: 4,
        });
        let text = serde_json::to_string(&unban).unwrap();
        assert_eq!(text, r#"{"actor_id":1,"reason":"appeal","user_id":4}"#);
        assert_eq!(
            Event::read(EventType::UserUnbanned.as_str(), &text).unwrap(),
            unban
        );
    }

    #[test]
    fn data_of_another_shape_or_type_is_unreadable_not_guessed() {
        let created = serde_json::to_string(&examples()[0].0).unwrap();
        assert!(matches!(
            Event::read("comment.nope", &created),
            Err(UnreadableEvent::UnknownType)
        ));
        for (kind, data) in [
            (EventType::UserBanned.as_str(), created.as_str()),
            (
                EventType::CommentCreated.as_str(),
                r#"{"comment_id": 9, "status": "approved"}"#,
            ),
            (EventType::CommentCreated.as_str(), "not json"),
            (
                EventType::ArticleClosed.as_str(),
                r#"{"article_key": "a", "actor_id": "1"}"#,
            ),
        ] {
            assert!(
                matches!(Event::read(kind, data), Err(UnreadableEvent::Data(_))),
                "{kind} {data}"
            );
        }
        // Only comment changes have a comment change; a report does not.
        let (reported, _) = &examples()[5];
        assert!(reported.comment_change().is_none());
        assert_eq!(
            examples()[0].0.comment_change().map(|c| c.comment_id),
            Some(7)
        );
    }
}
