//! The event stream's vocabulary: event types, what each event says
//! (`payload`), webhook endpoint URLs, and which addresses a webhook may reach.

use super::{CommentStatus, FieldError};
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

mod payload;
pub use payload::{Ban, Closure, CommentChange, Event, Report, Unban, UnreadableEvent};

/// What happened. Receivers see these names in `type` and `Tribune-Event`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
pub enum EventType {
    #[serde(rename = "comment.created")]
    CommentCreated,
    #[serde(rename = "comment.approved")]
    CommentApproved,
    #[serde(rename = "comment.rejected")]
    CommentRejected,
    #[serde(rename = "comment.deleted")]
    CommentDeleted,
    #[serde(rename = "comment.edited")]
    CommentEdited,
    #[serde(rename = "comment.reported")]
    CommentReported,
    #[serde(rename = "user.banned")]
    UserBanned,
    #[serde(rename = "user.unbanned")]
    UserUnbanned,
    #[serde(rename = "article.closed")]
    ArticleClosed,
}

impl EventType {
    pub const ALL: &'static [EventType] = &[
        EventType::CommentCreated,
        EventType::CommentApproved,
        EventType::CommentRejected,
        EventType::CommentDeleted,
        EventType::CommentEdited,
        EventType::CommentReported,
        EventType::UserBanned,
        EventType::UserUnbanned,
        EventType::ArticleClosed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::CommentCreated => "comment.created",
            EventType::CommentApproved => "comment.approved",
            EventType::CommentRejected => "comment.rejected",
            EventType::CommentDeleted => "comment.deleted",
            EventType::CommentEdited => "comment.edited",
            EventType::CommentReported => "comment.reported",
            EventType::UserBanned => "user.banned",
            EventType::UserUnbanned => "user.unbanned",
            EventType::ArticleClosed => "article.closed",
        }
    }

    pub fn parse(s: &str) -> Option<EventType> {
        EventType::ALL.iter().copied().find(|t| t.as_str() == s)
    }

    pub fn choices() -> String {
        EventType::ALL
            .iter()
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What a comment's event does to a live thread (`GET …/events`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEffect {
    /// The comment is public now: show it (new) or update it (edited).
    Show,
    /// It was public and is no longer: readers replace it by a tombstone.
    TakeDown,
    /// Nothing readers may know of: pending, rejected, reports, bans.
    Nothing,
}

/// The live effect of an event of `kind` on a comment whose status is now
/// `status`; `was_public`: it was approved before the change.
pub fn live_effect(kind: EventType, status: CommentStatus, was_public: bool) -> LiveEffect {
    use EventType::*;
    match kind {
        CommentCreated | CommentApproved | CommentEdited if status == CommentStatus::Approved => {
            LiveEffect::Show
        }
        CommentEdited | CommentRejected | CommentDeleted if was_public => LiveEffect::TakeDown,
        _ => LiveEffect::Nothing,
    }
}

/// A comment's reaction count as instances tell each other on PostgreSQL
/// (`NOTIFY tribune_live`, beside the outbox rows' ids): not an outbox
/// event, so nothing replays it. Written `reactions COMMENT COUNT KEY`; an
/// outbox notification starts with a number, so neither is taken for the
/// other, and an instance that does not know this form passes it over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountMoved {
    pub comment_id: i64,
    pub reactions: i64,
    pub article_key: String,
}

impl CountMoved {
    const TAG: &'static str = "reactions ";

    pub fn payload(&self) -> String {
        let CountMoved {
            comment_id,
            reactions,
            article_key,
        } = self;
        format!("{}{comment_id} {reactions} {article_key}", Self::TAG)
    }

    pub fn parse(payload: &str) -> Option<CountMoved> {
        let mut parts = payload.strip_prefix(Self::TAG)?.splitn(3, ' ');
        Some(CountMoved {
            comment_id: parts.next()?.parse().ok()?,
            reactions: parts.next()?.parse().ok()?,
            article_key: parts.next().filter(|k| !k.is_empty())?.to_string(),
        })
    }
}

/// The event types an endpoint subscribes to: at least one, no repeats.
pub fn parse_event_types(raw: &[String]) -> Result<Vec<EventType>, FieldError> {
    if raw.is_empty() {
        return Err(FieldError::new("events", "validation-events-empty"));
    }
    let mut types = Vec::new();
    for name in raw {
        let t = EventType::parse(name)
            .ok_or_else(|| FieldError::invalid_choice("events", EventType::choices()))?;
        if !types.contains(&t) {
            types.push(t);
        }
    }
    Ok(types)
}

/// A webhook endpoint: an absolute http(s) URL with a host, no credentials,
/// at most 2,048 bytes. Where the host points is checked when it is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(url::Url);

impl WebhookUrl {
    pub fn parse(raw: &str) -> Result<WebhookUrl, FieldError> {
        let raw = raw.trim();
        let bad = || FieldError::new("url", "validation-invalid-format");
        if raw.len() > 2048 {
            return Err(bad());
        }
        let url = url::Url::parse(raw).map_err(|_| bad())?;
        let ok = matches!(url.scheme(), "http" | "https")
            && url.host().is_some()
            && url.username().is_empty()
            && url.password().is_none();
        if ok {
            Ok(WebhookUrl(url))
        } else {
            Err(bad())
        }
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn url(&self) -> &url::Url {
        &self.0
    }

    /// The host and port to resolve (the port defaults by scheme).
    pub fn host_and_port(&self) -> (String, u16) {
        let host = match self.0.host() {
            Some(url::Host::Ipv6(ip)) => ip.to_string(),
            Some(h) => h.to_string(),
            None => String::new(),
        };
        (host, self.0.port_or_known_default().unwrap_or(80))
    }
}

/// Whether a webhook may be sent to `ip` when private addresses are not
/// allowed: no loopback, private, link-local (cloud metadata lives there),
/// shared, unspecified, multicast, documentation or broadcast address.
pub fn is_public_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || o[0] == 0
                // 100.64.0.0/10, carrier-grade NAT
                || (o[0] == 100 && (o[1] & 0xc0) == 64)
                // 192.0.0.0/24, protocol assignments
                || (o[0] == 192 && o[1] == 0 && o[2] == 0)
                // 198.18.0.0/15, benchmarking
                || (o[0] == 198 && (o[1] & 0xfe) == 18)
                || o[0] >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_address(IpAddr::V4(v4));
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // fc00::/7, unique local (AWS metadata's fd00:ec2::254 among them)
                || (s[0] & 0xfe00) == 0xfc00
                // fe80::/10, link-local
                || (s[0] & 0xffc0) == 0xfe80
                // 64:ff9b::/96 and ::/96 embed IPv4 addresses
                || (s[0] == 0x64 && s[1] == 0xff9b)
                || (s[0..6] == [0, 0, 0, 0, 0, 0])
                // 2001:db8::/32, documentation
                || (s[0] == 0x2001 && s[1] == 0xdb8)
                // ::ffff:0:0/96, IPv4-translated (SIIT): another IPv4 in disguise
                || (s[0..4] == [0, 0, 0, 0] && s[4] == 0xffff && s[5] == 0)
                // 2002::/16, 6to4, and 2001::/32, Teredo: tunnels that reach
                // whatever IPv4 address they embed (loopback included)
                || s[0] == 0x2002
                || (s[0] == 0x2001 && s[1] == 0)
                // fec0::/10, site-local (deprecated, still routed inside some networks)
                || (s[0] & 0xffc0) == 0xfec0
                // 100::/64, discard-only
                || s[0..4] == [0x100, 0, 0, 0]
                // 2001:10::/28 and 2001:20::/28, ORCHID; 2001:2::/48, benchmarking
                || (s[0] == 0x2001 && (s[1] & 0xfff0) == 0x10)
                || (s[0] == 0x2001 && (s[1] & 0xfff0) == 0x20)
                || (s[0] == 0x2001 && s[1] == 2 && s[2] == 0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_types_round_trip() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(*t));
            assert_eq!(
                serde_json::to_value(t).unwrap(),
                serde_json::json!(t.as_str())
            );
        }
        assert!(parse_event_types(&[]).is_err());
        assert!(parse_event_types(&["comment.nope".into()]).is_err());
        assert_eq!(
            parse_event_types(&["user.banned".into(), "user.banned".into()]).unwrap(),
            vec![EventType::UserBanned]
        );
    }

    #[test]
    fn live_threads_see_only_what_readers_may_see() {
        use CommentStatus::*;
        use EventType::*;
        assert_eq!(
            live_effect(CommentCreated, Approved, false),
            LiveEffect::Show
        );
        assert_eq!(
            live_effect(CommentCreated, Pending, false),
            LiveEffect::Nothing
        );
        assert_eq!(
            live_effect(CommentCreated, Rejected, false),
            LiveEffect::Nothing
        );
        assert_eq!(
            live_effect(CommentApproved, Approved, false),
            LiveEffect::Show
        );
        assert_eq!(live_effect(CommentEdited, Approved, true), LiveEffect::Show);
        // Edited into the queue: taken down if it was shown, else unheard of.
        assert_eq!(
            live_effect(CommentEdited, Pending, true),
            LiveEffect::TakeDown
        );
        assert_eq!(
            live_effect(CommentEdited, Pending, false),
            LiveEffect::Nothing
        );
        assert_eq!(
            live_effect(CommentRejected, Rejected, true),
            LiveEffect::TakeDown
        );
        assert_eq!(
            live_effect(CommentRejected, Rejected, false),
            LiveEffect::Nothing
        );
        assert_eq!(
            live_effect(CommentDeleted, Deleted, true),
            LiveEffect::TakeDown
        );
        assert_eq!(
            live_effect(CommentDeleted, Deleted, false),
            LiveEffect::Nothing
        );
        // An approval the comment no longer holds shows nothing.
        assert_eq!(
            live_effect(CommentApproved, Rejected, false),
            LiveEffect::Nothing
        );
        for kind in [CommentReported, UserBanned, UserUnbanned, ArticleClosed] {
            assert_eq!(live_effect(kind, Approved, true), LiveEffect::Nothing);
        }
    }

    #[test]
    fn webhook_urls_are_http_with_a_host() {
        assert!(WebhookUrl::parse("https://hooks.example/x").is_ok());
        assert!(WebhookUrl::parse("ftp://hooks.example/x").is_err());
        assert!(WebhookUrl::parse("not a url").is_err());
        assert!(WebhookUrl::parse("https://user:pw@hooks.example/").is_err());
        let u = WebhookUrl::parse("http://[::1]:9000/h").unwrap();
        assert_eq!(u.host_and_port(), ("::1".to_string(), 9000));
    }

    #[test]
    fn private_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "2002:7f00:1::",
            "fec0::1",
            "::ffff:0:7f00:1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "100::1",
        ] {
            assert!(!is_public_address(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "2606:4700::1111", "8.8.8.8"] {
            assert!(is_public_address(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn a_count_crosses_instances_and_is_never_taken_for_an_outbox_row() {
        let moved = CountMoved {
            comment_id: 7,
            reactions: 3,
            article_key: "a-1".into(),
        };
        assert_eq!(moved.payload(), "reactions 7 3 a-1");
        assert_eq!(CountMoved::parse(&moved.payload()), Some(moved));
        assert_eq!(CountMoved::parse("42 a-1"), None);
        assert_eq!(CountMoved::parse("reactions 7 x a-1"), None);
        assert_eq!(CountMoved::parse("reactions 7 3 "), None);
        // What an outbox notification's reader does with it: no number first.
        assert!("reactions 7 3 a-1"
            .split_once(' ')
            .is_some_and(|(id, _)| id.parse::<i64>().is_err()));
    }
}
