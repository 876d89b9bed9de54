//! Live threads: the in-process hub that fans a thread's public changes out
//! to its Server-Sent Events streams (`GET /api/v1/articles/{key}/events`).
//!
//! One broadcast channel per article someone watches, each holding at most
//! `CHANNEL_FRAMES` frames: a stream that falls behind is ended (its browser
//! reconnects with `Last-Event-ID` and is replayed what it missed), so a slow
//! reader never makes the server buffer without bound. Frames are rendered
//! once per change, whatever the number of readers. Changes reach the hub
//! only once committed: on SQLite from the writer thread's commit signal
//! (then the outbox is read past the last row seen), on PostgreSQL through
//! `LISTEN tribune_live` (see `pump`), which also carries other instances'
//! (after a reconnection, the outbox is read for what committed meanwhile).

mod pump;
mod reactions;

use crate::api::views::CommentView;
use crate::domain::events::{CountMoved, LiveEffect};
use crate::service::live::{self as rules, LiveChange, Opening, Replay, ReplayFrom};
use crate::service::ServiceError;
use crate::store::Db;
use actix_web::web::Bytes;
use std::collections::{HashMap, HashSet, VecDeque};
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;

/// Frames a watched article's channel keeps for its slowest stream.
const CHANNEL_FRAMES: usize = 64;
/// Outbox rows the SQLite pump reads at a time.
const TAIL_BATCH: i64 = 256;
/// PostgreSQL: how far below its cursor a catch-up after a reconnection
/// reads again. Sequence ids are taken before commit, so a row committed
/// late (during the outage) can lie below rows already published.
const REWIND: i64 = 256;
/// Outbox rows remembered as already published or passed over, so a
/// catch-up that reads them again sends nothing twice.
const SEEN_MAX: usize = 4096;

/// What the live streams of one instance share.
pub struct Hub {
    db: Db,
    topics: Mutex<HashMap<String, broadcast::Sender<Bytes>>>,
    clients: AtomicUsize,
    max_clients: usize,
    per_address: Mutex<HashMap<IpAddr, u32>>,
    /// 0: no per-address cap (rate limits off).
    max_per_address: u32,
    /// The last outbox row published; `None` while nobody listens.
    cursor: Mutex<Option<i64>>,
    /// The outbox rows published or passed over lately.
    seen: Mutex<Seen>,
    pub heartbeat: Duration,
    replay_max: i64,
    /// Reaction counts sent lately, per comment (`reactions`).
    reactions: reactions::Throttle,
}

/// A stream's place under the caps; given back when the stream ends.
pub struct Ticket {
    hub: Arc<Hub>,
    address: IpAddr,
}

impl Drop for Ticket {
    fn drop(&mut self) {
        self.hub.clients.fetch_sub(1, Ordering::AcqRel);
        if let Ok(mut map) = self.hub.per_address.lock() {
            if let Some(n) = map.get_mut(&self.address) {
                *n -= 1;
                if *n == 0 {
                    map.remove(&self.address);
                }
            }
        }
    }
}

/// A stream's subscription to one article; the channel goes with its last reader.
pub struct Subscription {
    hub: Arc<Hub>,
    key: String,
    rx: Option<broadcast::Receiver<Bytes>>,
    /// The events the opening replayed. A change committed before the
    /// replay read it can reach the hub after the stream joined: it is not
    /// sent twice. Forgotten at the first other change, which was committed
    /// after them (so none of them comes later).
    replayed: HashSet<String>,
}

impl Subscription {
    /// The next frame; `None` when the stream fell behind or the hub stopped.
    pub async fn next(&mut self) -> Option<Bytes> {
        loop {
            let frame = self.rx.as_mut()?.recv().await.ok()?;
            if self.replayed.is_empty() {
                return Some(frame);
            }
            if frame_id(&frame).is_some_and(|id| self.replayed.contains(id)) {
                continue;
            }
            self.replayed.clear();
            return Some(frame);
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        drop(self.rx.take());
        if let Ok(mut topics) = self.hub.topics.lock() {
            if topics
                .get(&self.key)
                .is_some_and(|tx| tx.receiver_count() == 0)
            {
                topics.remove(&self.key);
            }
        }
    }
}

impl Hub {
    pub fn new(db: Db, config: &crate::config::Config) -> Arc<Hub> {
        let max_per_address = if config.rate_limit.enabled {
            config.rate_limit.live_streams_per_address
        } else {
            0
        };
        Arc::new(Hub {
            db,
            topics: Mutex::new(HashMap::new()),
            clients: AtomicUsize::new(0),
            max_clients: config.server.max_live_clients,
            per_address: Mutex::new(HashMap::new()),
            max_per_address,
            cursor: Mutex::new(None),
            seen: Mutex::new(Seen::default()),
            heartbeat: Duration::from_millis(config.server.live_heartbeat_ms),
            replay_max: config.server.live_replay_max,
            reactions: reactions::Throttle::default(),
        })
    }

    /// Starts the thread that feeds the hub (commits on SQLite, `LISTEN`
    /// on PostgreSQL); it ends once the hub is dropped.
    pub fn start(self: &Arc<Hub>) -> std::io::Result<()> {
        pump::start(self)
    }

    /// A reaction count this instance committed. On SQLite it goes to the
    /// streams here; on PostgreSQL it comes back to every instance, this one
    /// included, through `LISTEN` (`on_notify`), so it is not sent twice.
    pub fn reacted(self: &Arc<Hub>, key: &str, comment_id: i64, count: i64) {
        if !self.db.is_postgres() {
            self.reactions(key, comment_id, count);
        }
    }

    /// A comment's new reaction count, for the streams of its article here:
    /// throttled per comment (see `reactions`).
    fn reactions(self: &Arc<Hub>, key: &str, comment_id: i64, count: i64) {
        let now = std::time::Instant::now();
        match self.reactions.offer(key, comment_id, count, now) {
            reactions::Decision::Now => self.send(key, reactions::frame(comment_id, count).into()),
            reactions::Decision::Folded => {}
            reactions::Decision::Later(wait) => {
                let hub = Arc::downgrade(self);
                // Not actix's spawn: on PostgreSQL this runs on the pump's
                // runtime, which has no local task set.
                tokio::spawn(async move {
                    tokio::time::sleep(wait).await;
                    let Some(hub) = hub.upgrade() else { return };
                    if let Some((key, count)) =
                        hub.reactions.take(comment_id, std::time::Instant::now())
                    {
                        hub.send(&key, reactions::frame(comment_id, count).into());
                    }
                });
            }
        }
    }

    /// Streams open now.
    pub fn clients(&self) -> usize {
        self.clients.load(Ordering::Acquire)
    }

    /// A place for one more stream from `address`: 503 when the instance
    /// is full, 429 when the address holds its share.
    pub fn admit(self: &Arc<Hub>, address: IpAddr) -> Result<Ticket, ServiceError> {
        let before = self.clients.fetch_add(1, Ordering::AcqRel);
        let ticket = Ticket {
            hub: self.clone(),
            address,
        };
        {
            let mut map = self
                .per_address
                .lock()
                .map_err(|_| ServiceError::LiveFull)?;
            *map.entry(address).or_insert(0) += 1;
            if self.max_per_address > 0 && map[&address] > self.max_per_address {
                drop(map);
                return Err(ServiceError::RateLimited { retry_after: 60 });
            }
        }
        if before >= self.max_clients {
            return Err(ServiceError::LiveFull);
        }
        Ok(ticket)
    }

    /// Subscribes to `key`'s changes, then sends what happened after `from`
    /// (the client's `Last-Event-ID`, else the outbox as it was when the
    /// stream opened, so nothing falls between the two): the opening frames.
    pub async fn subscribe(
        self: &Arc<Hub>,
        opening: &Opening,
        last_event: Option<String>,
    ) -> Result<(Subscription, Bytes), ServiceError> {
        let key = opening.article_key.clone();
        let mut subscription = self.join(&key)?;
        self.activate(opening.baseline);
        let from = match last_event {
            Some(uid) => ReplayFrom::Uid(uid),
            None => ReplayFrom::Row(opening.baseline),
        };
        let bound = self.replay_max;
        let replay_key = key.clone();
        let replay = self
            .db
            .read(move |conn| rules::replay(conn, &replay_key, from, bound))
            .await?;
        let mut first = String::from("retry: 3000\n\n");
        let mut count = opening.comment_count;
        match replay {
            Replay::Reset => first.push_str("event: reset\ndata: {}\n\n"),
            Replay::Changes(changes) => {
                subscription.replayed = changes.iter().map(|c| c.uid.clone()).collect();
                for change in &changes {
                    first.push_str(&change_frame(change));
                    count = change.comment_count;
                }
            }
        }
        first.push_str(&count_frame(&key, count));
        Ok((subscription, Bytes::from(first)))
    }

    /// A receiver of `key`'s channel (made with its first reader).
    fn join(self: &Arc<Hub>, key: &str) -> Result<Subscription, ServiceError> {
        let rx = {
            let mut topics = self.topics.lock().map_err(|_| ServiceError::LiveFull)?;
            topics
                .entry(key.to_string())
                .or_insert_with(|| broadcast::channel(CHANNEL_FRAMES).0)
                .subscribe()
        };
        Ok(Subscription {
            hub: self.clone(),
            key: key.to_string(),
            rx: Some(rx),
            replayed: HashSet::new(),
        })
    }

    /// Someone listens from `baseline` on, unless the pump already follows.
    fn activate(&self, baseline: i64) {
        if let Ok(mut cursor) = self.cursor.lock() {
            if cursor.is_none() {
                *cursor = Some(baseline);
            }
        }
    }

    /// Articles someone watches now.
    fn watched(&self) -> HashSet<String> {
        self.topics
            .lock()
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn is_watched(&self, key: &str) -> bool {
        self.topics.lock().is_ok_and(|t| t.contains_key(key))
    }

    /// Sends a change to its article's streams.
    fn publish(&self, change: &LiveChange) {
        self.send(&change.article_key, Bytes::from(change_frame(change)));
    }

    /// Sends a rendered frame to `key`'s streams.
    fn send(&self, key: &str, frame: Bytes) {
        if let Ok(topics) = self.topics.lock() {
            if let Some(tx) = topics.get(key) {
                // No receiver left: nothing to do.
                let _ = tx.send(frame);
            }
        }
    }

    /// Whether outbox row `id` is new to this hub (then it is remembered).
    fn first_time(&self, id: i64) -> bool {
        self.seen.lock().is_ok_and(|mut seen| seen.first_time(id))
    }

    /// SQLite, after a commit (and PostgreSQL, once `LISTEN` runs again):
    /// publishes the outbox rows past the cursor that concern watched
    /// articles, but none already published. Reads nothing while nobody
    /// listens.
    async fn catch_up(&self) -> Result<(), ServiceError> {
        loop {
            let from = {
                let Ok(mut cursor) = self.cursor.lock() else {
                    return Ok(());
                };
                if self.watched().is_empty() {
                    *cursor = None;
                    return Ok(());
                }
                match *cursor {
                    Some(c) => c,
                    None => return Ok(()),
                }
            };
            let watched = self.watched();
            let (changes, last, read) = self
                .db
                .read(move |conn| -> Result<_, ServiceError> {
                    let rows = crate::store::events::after(conn, from, TAIL_BATCH)?;
                    let last = rows.last().map_or(from, |r| r.id);
                    let mut changes = Vec::new();
                    for row in &rows {
                        let Some(event) = crate::service::events::read(row) else {
                            continue;
                        };
                        let watched_row =
                            rules::article_of(&event).is_some_and(|k| watched.contains(k));
                        if watched_row {
                            if let Some(change) = rules::resolve(conn, &row.uid, &event)? {
                                changes.push((row.id, change));
                            }
                        }
                    }
                    Ok((changes, last, rows.len() as i64))
                })
                .await?;
            for (id, change) in &changes {
                if self.first_time(*id) {
                    self.publish(change);
                }
            }
            if let Ok(mut cursor) = self.cursor.lock() {
                if let Some(c) = cursor.as_mut() {
                    *c = (*c).max(last);
                }
            }
            if read < TAIL_BATCH {
                return Ok(());
            }
        }
    }

    /// PostgreSQL, once `LISTEN` runs (again): publishes what was committed
    /// while no connection listened. After a reconnection it reads again
    /// from a little below the cursor, for rows that committed late.
    async fn resume(&self, reconnected: bool) -> Result<(), ServiceError> {
        if reconnected {
            if let Ok(mut cursor) = self.cursor.lock() {
                if let Some(c) = cursor.as_mut() {
                    *c = c.saturating_sub(REWIND).max(0);
                }
            }
        }
        self.catch_up().await
    }

    /// PostgreSQL: `NOTIFY tribune_live, '<row id> <article key>'` arrived.
    async fn on_notify(self: &Arc<Hub>, payload: &str) -> Result<(), ServiceError> {
        if let Some(moved) = CountMoved::parse(payload) {
            if self.is_watched(&moved.article_key) {
                self.reactions(&moved.article_key, moved.comment_id, moved.reactions);
            }
            return Ok(());
        }
        let Some((id, key)) = payload.split_once(' ') else {
            return Ok(());
        };
        let Ok(id) = id.parse::<i64>() else {
            return Ok(());
        };
        if let Ok(mut cursor) = self.cursor.lock() {
            if let Some(c) = cursor.as_mut() {
                *c = (*c).max(id);
            }
        }
        // Noted even when unwatched: a later catch-up must not send it.
        if !self.first_time(id) || !self.is_watched(key) {
            return Ok(());
        }
        let change = self
            .db
            .read(move |conn| rules::resolve_id(conn, id))
            .await?;
        if let Some(change) = change {
            self.publish(&change);
        }
        Ok(())
    }
}

/// Outbox row ids, the newest `SEEN_MAX` of those noted.
#[derive(Default)]
struct Seen {
    ids: HashSet<i64>,
    order: VecDeque<i64>,
}

impl Seen {
    /// Notes `id`; false when it was noted already.
    fn first_time(&mut self, id: i64) -> bool {
        if !self.ids.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > SEEN_MAX {
            if let Some(oldest) = self.order.pop_front() {
                self.ids.remove(&oldest);
            }
        }
        true
    }
}

/// The `id:` a change frame starts with.
fn frame_id(frame: &[u8]) -> Option<&str> {
    let rest = frame.strip_prefix(b"id: ")?;
    let end = rest.iter().position(|&b| b == b'\n')?;
    std::str::from_utf8(&rest[..end]).ok()
}

/// One change as SSE: the comment as readers see it (a tombstone when it
/// was taken down), then the article's count.
fn change_frame(change: &LiveChange) -> String {
    let (event, view) = match change.effect {
        LiveEffect::TakeDown => ("tombstone", CommentView::tombstone(&change.comment)),
        _ => ("comment", CommentView::in_thread(&change.comment, None)),
    };
    let data = serde_json::to_string(&view).unwrap_or_else(|_| "{}".into());
    let mut frame = format!("id: {}\nevent: {event}\ndata: {data}\n\n", change.uid);
    frame.push_str(&count_frame(&change.article_key, change.comment_count));
    frame
}

/// The article's count of approved comments, as SSE (no `id:`: it keeps
/// the last event's).
fn count_frame(key: &str, count: i64) -> String {
    let data = serde_json::json!({"article": key, "comment_count": count});
    format!("event: count\ndata: {data}\n\n")
}

/// The heartbeat: an SSE comment line.
pub const HEARTBEAT: &[u8] = b": heartbeat\n\n";

/// The stream a client reads: the opening frames, then every change of the
/// article, a heartbeat after each `heartbeat` of silence; it ends when the
/// client falls behind (it reconnects and is replayed what it missed).
pub fn stream(
    ticket: Ticket,
    subscription: Subscription,
    first: Bytes,
    heartbeat: Duration,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    struct State {
        first: Option<Bytes>,
        subscription: Subscription,
        _ticket: Ticket,
        heartbeat: Duration,
    }
    let state = State {
        first: Some(first),
        subscription,
        _ticket: ticket,
        heartbeat,
    };
    futures_util::stream::unfold(state, |mut s| async move {
        if let Some(first) = s.first.take() {
            return Some((Ok(first), s));
        }
        match tokio::time::timeout(s.heartbeat, s.subscription.next()).await {
            Err(_) => Some((Ok(Bytes::from_static(HEARTBEAT)), s)),
            Ok(Some(frame)) => Some((Ok(frame), s)),
            Ok(None) => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub(dir: &tempfile::TempDir) -> Arc<Hub> {
        let mut config = crate::config::Config::defaults();
        config.database.url = format!("sqlite://{}", dir.path().join("t.db").display());
        let db = Db::open(&config.database).expect("a test database");
        Hub::new(db, &config)
    }

    #[tokio::test]
    async fn a_stream_that_falls_behind_is_ended_not_buffered_for() {
        let dir = tempfile::tempdir().unwrap();
        let hub = hub(&dir);
        let mut slow = hub.join("a1").unwrap();
        let mut quick = hub.join("a1").unwrap();
        hub.send("a1", Bytes::from_static(b"one"));
        assert_eq!(quick.next().await.as_deref(), Some(&b"one"[..]));
        assert_eq!(slow.next().await.as_deref(), Some(&b"one"[..]));
        // More than the channel keeps, while `slow` reads nothing.
        for _ in 0..CHANNEL_FRAMES + 1 {
            hub.send("a1", Bytes::from_static(b"more"));
            quick
                .next()
                .await
                .expect("a reader that keeps up gets every frame");
        }
        assert_eq!(slow.next().await, None, "the slow stream ends");
        // Other articles hear nothing; the channel goes with its last reader.
        let mut other = hub.join("a2").unwrap();
        hub.send("a1", Bytes::from_static(b"not for a2"));
        let nothing = tokio::time::timeout(Duration::from_millis(50), other.next()).await;
        assert!(nothing.is_err());
        drop((slow, quick, other));
        assert!(hub.watched().is_empty());
    }

    #[test]
    fn the_caps_count_streams_and_give_places_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = crate::config::Config::defaults();
        config.database.url = format!("sqlite://{}", dir.path().join("t.db").display());
        config.server.max_live_clients = 2;
        config.rate_limit.live_streams_per_address = 1;
        let hub = Hub::new(Db::open(&config.database).unwrap(), &config);
        let (a, b, c): (IpAddr, IpAddr, IpAddr) = (
            "10.0.0.1".parse().unwrap(),
            "10.0.0.2".parse().unwrap(),
            "10.0.0.3".parse().unwrap(),
        );
        let first = hub.admit(a).unwrap();
        assert!(matches!(
            hub.admit(a),
            Err(ServiceError::RateLimited { .. })
        ));
        let _second = hub.admit(b).unwrap();
        assert!(matches!(hub.admit(c), Err(ServiceError::LiveFull)));
        assert_eq!(hub.clients(), 2);
        drop(first);
        assert_eq!(hub.clients(), 1);
        let _again = hub.admit(a).unwrap();
    }

    #[test]
    fn an_outbox_row_is_published_once_and_only_the_newest_are_remembered() {
        let mut seen = Seen::default();
        assert!(seen.first_time(7));
        assert!(!seen.first_time(7));
        // Out of order, as PostgreSQL may commit them.
        assert!(seen.first_time(5));
        for id in 100..100 + SEEN_MAX as i64 {
            seen.first_time(id);
        }
        assert_eq!(seen.order.len(), SEEN_MAX);
        assert!(seen.first_time(7), "forgotten once far behind");
        assert!(!seen.first_time(100 + SEEN_MAX as i64 - 1));
    }

    #[tokio::test]
    async fn a_change_already_replayed_is_not_sent_again() {
        let dir = tempfile::tempdir().unwrap();
        let hub = hub(&dir);
        let mut sub = hub.join("a1").unwrap();
        sub.replayed = ["evt_1".to_string()].into();
        hub.send("a1", Bytes::from_static(b"id: evt_1\nevent: comment\n\n"));
        hub.send("a1", Bytes::from_static(b"id: evt_2\nevent: comment\n\n"));
        hub.send("a1", Bytes::from_static(b"id: evt_1\nevent: comment\n\n"));
        assert_eq!(frame_id(&sub.next().await.unwrap()), Some("evt_2"));
        // Past the first new change, frames pass as they come.
        assert_eq!(frame_id(&sub.next().await.unwrap()), Some("evt_1"));
        assert_eq!(frame_id(b"event: count\n\n"), None);
    }

    #[test]
    fn a_count_frame_is_one_sse_event() {
        let frame = count_frame("a1", 3);
        assert_eq!(
            frame,
            "event: count\ndata: {\"article\":\"a1\",\"comment_count\":3}\n\n"
        );
    }
}
