//! Mail as an outbox: mails are rows, queued in the transaction that owes
//! them (a verification at registration, a reset link) or derived by the
//! worker from the event stream (reply notifications, moderators' queue
//! digests), then sent off the request path by `crate::mailer`, with
//! retries. Also the signed one-click unsubscribe links.

use super::letters::{self, Letter};
use super::ServiceError;
use crate::config::{Config, MailConfig};
use crate::domain::events::Event;
use crate::domain::{retry, CommentStatus};
use crate::domain::{CommentId, UserId};
use crate::i18n::Locale;
use crate::store::mails::{Cursor, FAILED, PENDING};
use crate::store::models::{EventRow, MailRow, NewMail, UserRow};
use crate::store::{self, now_ms, Db, DbConnection};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::Arc;

/// What a mail is for; mails carrying a token are emptied once sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Verify,
    Reset,
    Reply,
    Digest,
    /// To a notifier: their notice received, then decided (DSA Art. 16).
    Notice,
    /// A statement of reasons, to its author (DSA Art. 17).
    Statement,
    /// An appeal's outcome, to its author (DSA Art. 20).
    Appeal,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Verify => "verify",
            Kind::Reset => "reset",
            Kind::Reply => "reply",
            Kind::Digest => "digest",
            Kind::Notice => "notice",
            Kind::Statement => "statement",
            Kind::Appeal => "appeal",
        }
    }

    /// Whether the mail carries a one-time token (kept out of the database once sent).
    pub fn carries_token(kind: &str) -> bool {
        kind == Kind::Verify.as_str() || kind == Kind::Reset.as_str()
    }
}

/// Events read per pass over the stream.
const SCAN_BATCH: i64 = 500;
/// On PostgreSQL an event id may commit after a later one; a gap in the ids
/// younger than this is waited for, an older one is a rolled-back write.
const GAP_WAIT_MS: i64 = 10_000;

/// `base` + `path`, with exactly one slash between them.
pub fn link(public_url: &str, path: &str) -> String {
    format!("{}{}", public_url.trim_end_matches('/'), path)
}

/// A mail to `user` (who has an address), queued unless `dedup_key` was.
pub fn enqueue(
    conn: &mut DbConnection,
    kind: Kind,
    dedup_key: &str,
    user: &UserRow,
    letter: &Letter,
    unsubscribe_url: Option<&str>,
) -> Result<bool, ServiceError> {
    let Some(email) = user.email.as_deref() else {
        return Ok(false);
    };
    let now = now_ms();
    Ok(store::mails::enqueue(
        conn,
        NewMail {
            dedup_key,
            kind: kind.as_str(),
            user_id: Some(user.id),
            recipient: email,
            subject: &letter.subject,
            text_body: &letter.text,
            html_body: &letter.html,
            unsubscribe_url,
            state: PENDING,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        },
    )?)
}

/// A mail to an address that may have no account (a notifier), queued
/// unless `dedup_key` was.
pub fn enqueue_to(
    conn: &mut DbConnection,
    kind: Kind,
    dedup_key: &str,
    user_id: Option<i64>,
    email: &str,
    letter: &Letter,
) -> Result<bool, ServiceError> {
    let now = now_ms();
    Ok(store::mails::enqueue(
        conn,
        NewMail {
            dedup_key,
            kind: kind.as_str(),
            user_id,
            recipient: email,
            subject: &letter.subject,
            text_body: &letter.text,
            html_body: &letter.html,
            unsubscribe_url: None,
            state: PENDING,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        },
    )?)
}

/// Which mails an unsubscribe link stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topic {
    Replies,
    Queue,
}

impl Topic {
    fn letter(self) -> &'static str {
        match self {
            Topic::Replies => "r",
            Topic::Queue => "q",
        }
    }
}

fn signature(secret: &str, user_id: i64, topic: Topic) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("unsubscribe:{user_id}:{}", topic.letter()).as_bytes());
    crate::text::hex(&mac.finalize().into_bytes()[..16])
}

/// `<user id>.<r|q>.<32 hex digits of HMAC-SHA256>`: needs no sign-in, and
/// no one can make one for another account without the key.
pub fn unsubscribe_token(secret: &str, user_id: i64, topic: Topic) -> String {
    format!(
        "{user_id}.{}.{}",
        topic.letter(),
        signature(secret, user_id, topic)
    )
}

/// The account and topic a token names, when its signature is right.
pub fn check_unsubscribe_token(secret: &str, token: &str) -> Option<(i64, Topic)> {
    if secret.is_empty() || token.len() > 64 {
        return None;
    }
    let mut parts = token.split('.');
    let (id, topic, sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let user_id: i64 = id.parse().ok().filter(|n| *n > 0)?;
    let topic = match topic {
        "r" => Topic::Replies,
        "q" => Topic::Queue,
        _ => return None,
    };
    let expected = signature(secret, user_id, topic);
    // Compared in constant time.
    let same = expected.len() == sig.len()
        && expected
            .bytes()
            .zip(sig.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    same.then_some((user_id, topic))
}

fn fresh_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    crate::text::hex(&bytes)
}

/// The key that signs unsubscribe links (made on first use, in a write).
pub fn secret(conn: &mut DbConnection) -> Result<String, ServiceError> {
    Ok(store::mails::secret(conn, &fresh_secret())?)
}

fn unsubscribe_url(config: &Config, secret: &str, user_id: i64, topic: Topic) -> String {
    let token = unsubscribe_token(secret, user_id, topic);
    link(
        &config.server.public_url,
        &format!("/api/v1/unsubscribe/{token}"),
    )
}

fn display_name(user: &UserRow) -> &str {
    user.display_name.as_deref().unwrap_or(&user.username)
}

/// What a pass over new events owes: where the cursor moves, when the queue
/// last grew, and the approved replies (id, parent) to consider.
#[derive(Debug, Default)]
pub struct Plan {
    from: i64,
    to: i64,
    queue_changed_at: i64,
    replies: Vec<(i64, i64)>,
    /// A whole batch was read: more events may be waiting.
    more: bool,
}

/// Reads the events the worker has not seen and queues what they owe:
/// reply notifications, and when the queue last grew. The events are read
/// and sorted on a reading connection; the write only moves the cursor
/// (compare-and-set: of two instances reading the same events, one moves
/// it and mails, the other does nothing) and queues the mails. Says
/// whether more events may be waiting: under a steady stream of posts the
/// worker then moves its cursor once per pause, not once per post.
pub async fn scan(db: &Db, config: &Arc<Config>) -> Result<bool, ServiceError> {
    let now = now_ms();
    let Some(plan) = db.read(move |conn| plan(conn, now)).await? else {
        return Ok(false);
    };
    let more = plan.more;
    let config = config.clone();
    let moved = db.write(move |conn| apply(conn, &config, &plan)).await?;
    Ok(moved && more)
}

/// `scan` on one connection (tests, tools).
pub fn scan_events(
    conn: &mut DbConnection,
    config: &Config,
    now: i64,
) -> Result<bool, ServiceError> {
    match plan(conn, now)? {
        Some(plan) => apply(conn, config, &plan),
        None => Ok(false),
    }
}

fn plan(conn: &mut DbConnection, now: i64) -> Result<Option<Plan>, ServiceError> {
    let cursor = store::mails::cursor(conn)?;
    let events = store::events::after(conn, cursor.last_event_id, SCAN_BATCH)?;
    let mut plan = Plan {
        from: cursor.last_event_id,
        to: cursor.last_event_id,
        queue_changed_at: cursor.queue_changed_at,
        replies: Vec::new(),
        more: events.len() as i64 == SCAN_BATCH,
    };
    for event in &events {
        let gap = event.id != plan.to + 1;
        if gap && event.created_at > now - GAP_WAIT_MS {
            break;
        }
        consider(event, &mut plan);
        plan.to = event.id;
    }
    Ok((plan.to > plan.from).then_some(plan))
}

fn apply(conn: &mut DbConnection, config: &Config, plan: &Plan) -> Result<bool, ServiceError> {
    let moved = Cursor {
        last_event_id: plan.to,
        queue_changed_at: plan.queue_changed_at,
    };
    if !store::mails::advance_cursor(conn, plan.from, &moved)? {
        return Ok(false);
    }
    if !plan.replies.is_empty() {
        let secret = secret(conn)?;
        for &(id, parent) in &plan.replies {
            notify_reply(conn, config, &secret, id, parent)?;
        }
    }
    Ok(true)
}

/// What one event means for mail: a reply approved (a mail to the parent's
/// author, maybe), a comment entering the queue (digests owed).
fn consider(row: &EventRow, plan: &mut Plan) {
    let Some(event) = super::events::read(row) else {
        return;
    };
    let enters_queue = match &event {
        Event::CommentCreated(c) | Event::CommentEdited(c) => c.status == CommentStatus::Pending,
        Event::CommentReported(r) => r.held,
        _ => false,
    };
    if enters_queue {
        plan.queue_changed_at = plan.queue_changed_at.max(row.created_at);
    }
    if let Event::CommentCreated(c) | Event::CommentApproved(c) | Event::CommentEdited(c) = &event {
        if let (CommentStatus::Approved, Some(parent)) = (c.status, c.parent_id) {
            plan.replies.push((c.comment_id, parent));
        }
    }
}

/// One mail to the parent's author when a reply to their comment is
/// approved: if they asked for it, their address is verified, the reply is
/// still approved and not their own. Once per reply, however often it is
/// approved again.
fn notify_reply(
    conn: &mut DbConnection,
    config: &Config,
    secret: &str,
    comment_id: i64,
    parent_id: i64,
) -> Result<(), ServiceError> {
    let Some(reply) = store::comments::find(conn, CommentId(comment_id))? else {
        return Ok(());
    };
    if reply.comment.status != CommentStatus::Approved {
        return Ok(());
    }
    let Some(recipient_id) =
        store::comments::find_row(conn, CommentId(parent_id))?.and_then(|p| p.author_id)
    else {
        return Ok(());
    };
    if reply.comment.author_id == Some(recipient_id) {
        return Ok(());
    }
    let Some(user) = store::users::find(conn, UserId(recipient_id))? else {
        return Ok(());
    };
    let wants = user.notify_replies && user.email_verified_at.is_some() && user.erased_at.is_none();
    if !wants || user.email.is_none() {
        return Ok(());
    }
    let article = store::articles::find_by_key(conn, &reply.article_key)?;
    let locale = user.locale;
    let replier = match &reply.author {
        Some(a) => a.display_name.clone().unwrap_or_else(|| a.username.clone()),
        None => crate::i18n::message(locale, "mail-someone", &[]),
    };
    // Only a URL on a declared site goes in a mail: a page may have planted
    // any other (and articles made before origins were checked may hold one).
    let declared = config.article_url_origins();
    let url = article.as_ref().and_then(|a| a.url.clone());
    let thread = match url.filter(|u| crate::domain::fields::is_on_origin(u, &declared)) {
        Some(url) => url,
        None => link(
            &config.server.public_url,
            &format!("/embed/{}?lang={}", reply.article_key, locale.as_str()),
        ),
    };
    let title = article.map_or_else(|| reply.article_key.clone(), |a| a.title);
    let unsubscribe = unsubscribe_url(config, secret, user.id, Topic::Replies);
    let letter = letters::reply(
        locale,
        &letters::Reply {
            recipient: display_name(&user),
            replier: &replier,
            article_title: &title,
            body: &reply.comment.body,
            body_dir: &reply.comment.dir,
            thread_link: &thread,
            unsubscribe_link: &unsubscribe,
        },
    );
    let key = format!("reply:{comment_id}:{}", user.id);
    enqueue(conn, Kind::Reply, &key, &user, &letter, Some(&unsubscribe))?;
    Ok(())
}

/// Queue digests for the moderators who are owed one: the queue grew since
/// their last digest, which is at least `moderator_digest_minutes` old.
pub async fn digests(db: &Db, config: &Arc<Config>) -> Result<usize, ServiceError> {
    let now = now_ms();
    let period = config.mail.moderator_digest_minutes as i64 * 60_000;
    let changed = db.read_quick(store::mails::cursor).await?.queue_changed_at;
    if changed == 0 {
        return Ok(0);
    }
    let waiting = db
        .read(move |conn| store::users::digest_candidates(conn, changed, now - period))
        .await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let config = config.clone();
    db.write(move |conn| send_digests(conn, &config, now, period))
        .await
}

fn send_digests(
    conn: &mut DbConnection,
    config: &Config,
    now: i64,
    period: i64,
) -> Result<usize, ServiceError> {
    // The same lock as the stream: two instances never mail one moderator twice.
    let Some(cursor) = store::mails::lock_cursor(conn)? else {
        return Ok(0);
    };
    let count = store::comments::count_by_status(conn, CommentStatus::Pending)?;
    if count == 0 {
        return Ok(0);
    }
    let secret = secret(conn)?;
    let console = link(&config.server.public_url, "/console/");
    let mut sent = 0;
    for user in store::users::digest_candidates(conn, cursor.queue_changed_at, now - period)? {
        if user.is_banned(now) {
            continue;
        }
        let locale: Locale = user.locale;
        let unsubscribe = unsubscribe_url(config, &secret, user.id, Topic::Queue);
        let console = format!("{console}?lang={}", locale.as_str());
        let letter = letters::digest(locale, display_name(&user), count, &console, &unsubscribe);
        let key = format!("digest:{}:{now}", user.id);
        if enqueue(conn, Kind::Digest, &key, &user, &letter, Some(&unsubscribe))? {
            sent += 1;
        }
        store::users::set_queue_digest_at(conn, UserId(user.id), now)?;
    }
    Ok(sent)
}

/// How long a claimed mail stays with its worker: the SMTP conversation
/// (a few commands, each under the timeout) and a margin.
pub fn lease_ms(config: &MailConfig) -> i64 {
    (config.timeout_seconds as i64 * 3 + 10) * 1000
}

/// Takes due mails; a cheap read first, so an idle instance writes nothing.
pub async fn claim(db: &Db, config: &MailConfig) -> Result<Vec<MailRow>, ServiceError> {
    let now = now_ms();
    if !db
        .read_quick(move |conn| store::mails::any_due(conn, now))
        .await?
    {
        return Ok(Vec::new());
    }
    let (lease, batch) = (lease_ms(config), config.batch);
    Ok(db
        .write(move |conn| store::mails::claim_due(conn, now, now + lease, batch))
        .await?)
}

/// What sending gave.
pub enum Outcome {
    Sent,
    /// Worth trying again later (a 4xx answer, no connection).
    Transient(String),
    /// Will never go (a 5xx answer, a bad address).
    Permanent(String),
}

/// Records what came of an attempt: sent, retried later, or given up.
pub async fn settle(
    db: &Db,
    config: &MailConfig,
    mail: MailRow,
    outcome: Outcome,
) -> Result<(), ServiceError> {
    let config = config.clone();
    let jitter: f64 = rand::random();
    Ok(db
        .write(move |conn| {
            let now = now_ms();
            let attempts = mail.attempts + 1;
            let forget = Kind::carries_token(&mail.kind);
            let (error, give_up) = match outcome {
                Outcome::Sent => {
                    return store::mails::mark_sent(conn, mail.id, attempts, now, forget)
                }
                Outcome::Transient(e) => (e, false),
                Outcome::Permanent(e) => (e, true),
            };
            let next = now
                + retry::backoff_ms(config.retry_base_ms, config.retry_max_ms, attempts, jitter);
            let deadline = mail.created_at + config.retry_for_hours as i64 * 3_600_000;
            let state = if give_up || next > deadline {
                tracing::warn!(mail = mail.id, kind = %mail.kind, error = %error, "mail given up");
                FAILED
            } else {
                PENDING
            };
            store::mails::mark_failed(conn, mail.id, attempts, state, next, &error, forget)
        })
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::events::{Ban, CommentChange, EventType, Report};
    use crate::domain::ReportReason;

    #[test]
    fn unsubscribe_tokens_are_signed_per_account_and_topic() {
        let token = unsubscribe_token("k", 42, Topic::Replies);
        assert!(token.starts_with("42.r."));
        assert_eq!(
            check_unsubscribe_token("k", &token),
            Some((42, Topic::Replies))
        );
        assert_eq!(check_unsubscribe_token("other key", &token), None);
        let forged = token.replacen("42.", "43.", 1);
        assert_eq!(check_unsubscribe_token("k", &forged), None);
        let queue = unsubscribe_token("k", 42, Topic::Queue);
        assert_eq!(
            check_unsubscribe_token("k", &queue),
            Some((42, Topic::Queue))
        );
        for bad in [
            "",
            "42",
            "42.r",
            "42.x.00",
            "-1.r.00",
            "42.r.zz.extra",
            &"9".repeat(80),
        ] {
            assert_eq!(check_unsubscribe_token("k", bad), None, "{bad}");
        }
        assert_eq!(check_unsubscribe_token("", &token), None);
    }

    fn row(id: i64, kind: &str, data: String) -> EventRow {
        EventRow {
            id,
            uid: format!("evt_{id}"),
            kind: kind.into(),
            data,
            created_at: id * 1000,
        }
    }

    fn event(id: i64, event: Event<'_>) -> EventRow {
        row(
            id,
            event.kind().as_str(),
            serde_json::to_string(&event).unwrap(),
        )
    }

    fn comment(status: CommentStatus, parent_id: Option<i64>) -> CommentChange<'static> {
        CommentChange {
            actor_id: None,
            article_key: "a1".into(),
            author_id: Some(1),
            body: Some("x".into()),
            comment_id: 9,
            parent_id,
            status,
            was_public: None,
        }
    }

    #[test]
    fn only_approved_replies_and_growing_queues_matter() {
        use CommentStatus::*;
        let mut plan = Plan::default();
        let banned = Event::UserBanned(Ban {
            actor_id: 2,
            reason: "r".into(),
            until: None,
            user_id: 1,
        });
        let held = Event::CommentReported(Report {
            article_key: "a1".into(),
            author_id: Some(1),
            body: "x".into(),
            comment_id: 9,
            held: true,
            parent_id: None,
            reason: ReportReason::Spam,
            report_id: 3,
            status: Approved,
        });
        for (id, e) in [
            (1, Event::CommentCreated(comment(Approved, None))),
            (2, Event::CommentCreated(comment(Pending, Some(3)))),
            (3, Event::CommentCreated(comment(Approved, Some(4)))),
            (4, Event::CommentApproved(comment(Approved, Some(5)))),
            (5, Event::CommentRejected(comment(Rejected, Some(6)))),
            (6, banned),
            (7, held),
        ] {
            consider(&event(id, e), &mut plan);
        }
        assert_eq!(plan.replies, vec![(9, 4), (9, 5)]);
        assert_eq!(plan.queue_changed_at, 7000);
    }

    #[test]
    fn a_reply_is_told_by_its_fields_not_by_how_its_text_is_written() {
        let mut plan = Plan::default();
        // Keys in another order, spaces, a reply: still a reply.
        let spaced = r#"{ "status" : "approved", "parent_id" : 4, "comment_id" : 9,
            "article_key": "a1", "author_id": null, "body": "\"parent_id\":null" }"#;
        consider(
            &row(1, EventType::CommentCreated.as_str(), spaced.into()),
            &mut plan,
        );
        // What this version cannot read is passed over, not guessed at.
        consider(
            &row(2, EventType::CommentCreated.as_str(), "not json".into()),
            &mut plan,
        );
        consider(&row(3, "comment.nope", spaced.into()), &mut plan);
        assert_eq!(plan.replies, vec![(9, 4)]);
        assert_eq!(plan.queue_changed_at, 0);
    }

    #[test]
    fn links_join_with_one_slash() {
        assert_eq!(
            link("https://c.example/", "/console/"),
            "https://c.example/console/"
        );
        assert_eq!(link("https://c.example/t", "/x"), "https://c.example/t/x");
    }
}
