//! Caches that pay for a page when it changes, not when it is read. Each entry
//! carries the version it was built from, a version that every write bumps in
//! the database, so an instance never serves what another instance changed.

use crate::store::comments::Queue;
use crate::text::WordList;
use bytes::Bytes;
use quick_cache::sync::Cache;
use quick_cache::{DefaultHashBuilder, OptionsBuilder, Weighter};
use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A serialized page as the cache keeps it. A thread page also says where
/// each comment's object closes (the comment's id and the offset of its `}`),
/// so a signed-in reader's own marks can be written into the page every
/// reader shares instead of building a page of their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub body: Bytes,
    pub ends: Arc<[(i64, usize)]>,
}

/// What `Page::unmarked` writes into each comment; a reader's mark turns
/// its last five bytes into `MARKED`, so the page keeps its length and a
/// reader's copy is written in one pass, with no parsing.
pub const UNMARKED: &[u8] = b",\"reacted\":false";
pub const MARKED: &[u8; 5] = b" true";

impl Page {
    /// A page with nothing to add per reader (the widget's HTML).
    pub fn plain(body: Bytes) -> Page {
        Page {
            body,
            ends: Arc::new([]),
        }
    }

    /// The page as signed-in readers get it before their own marks: every
    /// comment says `"reacted":false`, and `ends` gives where each `false`
    /// starts. One copy per version of the page, kept in the cache.
    pub fn unmarked(&self) -> Page {
        let mut body = Vec::with_capacity(self.body.len() + self.ends.len() * UNMARKED.len());
        let mut ends = Vec::with_capacity(self.ends.len());
        let mut from = 0;
        for &(id, end) in self.ends.iter() {
            body.extend_from_slice(&self.body[from..end]);
            body.extend_from_slice(UNMARKED);
            ends.push((id, body.len() - MARKED.len()));
            from = end;
        }
        body.extend_from_slice(&self.body[from..]);
        Page {
            body: body.into(),
            ends: ends.into(),
        }
    }

    /// A reader's copy of this (`unmarked`) page with `MARKED` written at
    /// each of `marks` (in order): one buffer the page's length, one pass.
    pub fn marked(&self, marks: &[usize]) -> Bytes {
        let mut out = Vec::with_capacity(self.body.len());
        let mut from = 0;
        for &at in marks {
            out.extend_from_slice(&self.body[from..at]);
            out.extend_from_slice(MARKED);
            from = at + MARKED.len();
        }
        out.extend_from_slice(&self.body[from..]);
        out.into()
    }
}

/// Serialized thread pages as anonymous readers see them (signed-in readers
/// get the same page with their marks added), keyed by article and query,
/// within a budget of bytes. Past the budget the cache drops the pages read
/// least (quick_cache's S3-FIFO: a crawler's one-off pages go first, the hot
/// threads stay).
pub struct PageCache {
    pages: Option<Cache<String, (i64, Page), PageWeight>>,
    /// Pages larger than this are built for their reader and not kept.
    largest_page: u64,
    max_bytes: u64,
    hits: AtomicU64,
    misses: AtomicU64,
    /// Locks taken to build a missing page, chosen by the key's hash.
    builders: Vec<tokio::sync::Mutex<()>>,
    /// Articles' ids and versions by key, as the last read found them: a
    /// page is served with no query while nothing has been written since.
    pub versions: Memo<(i64, i64)>,
    /// Articles' approved counts by key (`/counts`), likewise.
    pub counts: Memo<i64>,
    /// Whether a reader has a comment waiting in an article, by
    /// `reader|article key`, trusted while `Db::change_epoch` has not moved.
    pub pending: Memo<bool>,
    /// A signed-in reader's marks on a page (where `MARKED` goes in its
    /// `unmarked` form), by `reader|page key`, with the article's version
    /// they were read at: a reader's reaction moves that version.
    marks: Cache<String, (i64, Arc<[usize]>)>,
    /// Readers' own copies of pages (`Page::marked`), by `reader|page key`
    /// with the version they were made from, within a quarter of the
    /// budget: a reader reading a page again at the same version (a reload,
    /// the next visit) is served it with no copy. Under 64 connections the
    /// copy of a 227 KB page held a signed-in reader to 0.72× of an
    /// anonymous one (bench R1S, 2026-12-06).
    marked: Option<Cache<String, (i64, Bytes), MarkedWeight>>,
    largest_marked: u64,
}

/// Readers' marks on pages remembered at most.
const MARKS_ENTRIES: usize = 16_384;

/// Builders of different pages rarely share a lock with this many.
const BUILDER_LOCKS: usize = 64;
/// The cache's independent parts; each holds an equal share of the budget.
const SHARDS: usize = 8;
/// What an entry costs beyond its key and page: the entry, the map slot, the
/// `Bytes` header and its allocation's rounding, roughly.
const ENTRY_OVERHEAD: u64 = 96;

#[derive(Clone)]
struct PageWeight;

impl Weighter<String, (i64, Page)> for PageWeight {
    fn weight(&self, key: &String, page: &(i64, Page)) -> u64 {
        page_weight(key, &page.1)
    }
}

#[derive(Clone)]
struct MarkedWeight;

impl Weighter<String, (i64, Bytes)> for MarkedWeight {
    fn weight(&self, key: &String, page: &(i64, Bytes)) -> u64 {
        (key.len() + page.1.len()) as u64 + ENTRY_OVERHEAD
    }
}

/// The marked copies' independent parts (few: each must hold a whole page).
const MARKED_SHARDS: usize = 2;

fn page_weight(key: &str, page: &Page) -> u64 {
    let ends = std::mem::size_of_val::<[(i64, usize)]>(&page.ends);
    (key.len() + page.body.len() + ends) as u64 + ENTRY_OVERHEAD
}

/// What `/metrics` shows of the page cache.
pub struct PageCacheStats {
    pub bytes: u64,
    pub max_bytes: u64,
    pub pages: usize,
    pub hits: u64,
    pub misses: u64,
}

impl PageCache {
    /// A cache of at most `max_bytes`; 0 keeps nothing.
    pub fn new(max_bytes: u64) -> PageCache {
        let pages = (max_bytes > 0).then(|| {
            let options = OptionsBuilder::new()
                // An estimate only, used to size the shards' tables: pages of a
                // popular thread run to tens of kilobytes.
                .estimated_items_capacity((max_bytes / 16_384).max(16) as usize)
                .weight_capacity(max_bytes)
                .shards(SHARDS)
                .build()
                .expect("every option is set");
            Cache::with_options(
                options,
                PageWeight,
                DefaultHashBuilder::default(),
                Default::default(),
            )
        });
        let marked_bytes = max_bytes / 4;
        let marked = (marked_bytes > 0).then(|| {
            let options = OptionsBuilder::new()
                .estimated_items_capacity(16)
                .weight_capacity(marked_bytes)
                .shards(MARKED_SHARDS)
                .build()
                .expect("every option is set");
            Cache::with_options(
                options,
                MarkedWeight,
                DefaultHashBuilder::default(),
                Default::default(),
            )
        });
        PageCache {
            pages,
            marked,
            largest_marked: marked_bytes / MARKED_SHARDS as u64,
            // Well inside one shard's share, so a kept page never empties a shard.
            largest_page: max_bytes / (2 * SHARDS as u64),
            max_bytes,
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
            builders: (0..BUILDER_LOCKS)
                .map(|_| tokio::sync::Mutex::new(()))
                .collect(),
            versions: Memo::new(MEMO_ENTRIES),
            counts: Memo::new(MEMO_ENTRIES),
            pending: Memo::new(MEMO_ENTRIES),
            marks: Cache::new(MARKS_ENTRIES),
        }
    }

    /// `page` (of `key`, built from `version`) in its `unmarked` form, filed
    /// beside it. Not counted as a hit or a miss: it is the same page.
    pub fn unmarked(&self, key: &str, version: i64, page: &Page) -> Page {
        let key = format!("{key}|unmarked");
        let Some(pages) = &self.pages else {
            return page.unmarked();
        };
        if let Some((built_from, unmarked)) = pages.get(&key) {
            if built_from == version {
                return unmarked;
            }
        }
        let unmarked = page.unmarked();
        if page_weight(&key, &unmarked) <= self.largest_page {
            pages.insert(key, (version, unmarked.clone()));
        } else {
            pages.remove(&key);
        }
        unmarked
    }

    /// A reader's marks on a page (`reader|page key`) read at this version.
    pub fn marks(&self, key: &str, version: i64) -> Option<Arc<[usize]>> {
        let (read_at, marks) = self.marks.get(key)?;
        (read_at == version).then_some(marks)
    }

    /// Files a reader's marks; `version` must have been read before them.
    pub fn put_marks(&self, key: String, version: i64, marks: Arc<[usize]>) {
        self.marks.insert(key, (version, marks));
    }

    /// A reader's copy of a page (`reader|page key`) made from this version.
    pub fn marked(&self, key: &str, version: i64) -> Option<Bytes> {
        let (made_from, body) = self.marked.as_ref()?.get(key)?;
        (made_from == version).then_some(body)
    }

    /// Files a reader's copy of a page; `version` must have been read before
    /// their marks were.
    pub fn put_marked(&self, key: String, version: i64, body: Bytes) {
        let Some(marked) = &self.marked else { return };
        if (key.len() + body.len()) as u64 + ENTRY_OVERHEAD > self.largest_marked {
            marked.remove(&key);
            return;
        }
        marked.insert(key, (version, body));
    }

    /// The page of `key` built from `version`: from the cache, or made by
    /// `build` and filed. The readers who miss a page together wait for one
    /// build instead of each building it (a popular thread is read by many
    /// at the moment a comment changes it). `version` must have been read
    /// before the page is built: a write in between then leaves a stale
    /// entry that the next read replaces.
    pub async fn get_or_build<F, Fut, E>(
        &self,
        key: String,
        version: i64,
        build: F,
    ) -> Result<Page, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Page, E>>,
    {
        if let Some(page) = self.get(&key, version) {
            return Ok(page);
        }
        let _building = self.building(&key).await;
        // Another reader may have built it while this one waited.
        if let Some(page) = self.get(&key, version) {
            return Ok(page);
        }
        let page = build().await?;
        self.put(key, version, page.clone());
        Ok(page)
    }

    /// Held while a missing page is built.
    async fn building(&self, key: &str) -> tokio::sync::MutexGuard<'_, ()> {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        self.builders[(hasher.finish() % BUILDER_LOCKS as u64) as usize]
            .lock()
            .await
    }

    /// The page, if it was built from this version of the article.
    fn get(&self, key: &str, version: i64) -> Option<Page> {
        let (built_from, page) = self.pages.as_ref()?.get(key)?;
        (built_from == version).then(|| {
            self.hits.fetch_add(1, Ordering::Relaxed);
            page
        })
    }

    /// Files a page that was just built (every build follows a miss): it
    /// replaces the page of an older version in place.
    fn put(&self, key: String, version: i64, page: Page) {
        self.misses.fetch_add(1, Ordering::Relaxed);
        let Some(pages) = &self.pages else { return };
        if page_weight(&key, &page) > self.largest_page {
            // Not kept, and no older version left behind either.
            pages.remove(&key);
            return;
        }
        pages.insert(key, (version, page));
    }

    pub fn stats(&self) -> PageCacheStats {
        PageCacheStats {
            bytes: self.pages.as_ref().map_or(0, |p| p.weight()),
            max_bytes: self.max_bytes,
            pages: self.pages.as_ref().map_or(0, |p| p.len()),
            hits: self.hits.load(Ordering::Relaxed),
            misses: self.misses.load(Ordering::Relaxed),
        }
    }
}

/// What a read learned (of an article, a session), trusted without asking
/// the database again while no write has committed since, and for at most
/// `MEMO_LIFETIME`, which bounds what an unannounced write (a bulk import)
/// takes to show. The epoch is `Db::shared_epoch` (on PostgreSQL, this
/// instance's writes and the other instances' ones as their `NOTIFY`
/// arrives; on SQLite nothing is trusted) or `Db::change_epoch` (every
/// commit, known at once on SQLite too).
pub struct Memo<V> {
    entries: Cache<String, (u64, Instant, V)>,
}

/// How long a memo is trusted at most, writes or not.
const MEMO_LIFETIME: Duration = Duration::from_secs(1);
/// Articles remembered at most (a crawler's visit to every article does not
/// grow it past this).
const MEMO_ENTRIES: usize = 65_536;

impl<V: Clone> Memo<V> {
    /// A memo of at most `entries` keys.
    pub fn new(entries: usize) -> Memo<V> {
        Memo {
            entries: Cache::new(entries),
        }
    }

    /// What was learned of `key` at `epoch`; nothing when the epoch is
    /// unknown (PostgreSQL while its listener is away) or has moved.
    pub fn get(&self, key: &str, epoch: Option<u64>) -> Option<V> {
        let epoch = epoch?;
        let (learned_at, at, value) = self.entries.get(key)?;
        (learned_at == epoch && at.elapsed() < MEMO_LIFETIME).then_some(value)
    }

    /// Files what a read found; `epoch` must have been read before the read.
    pub fn put(&self, key: &str, epoch: Option<u64>, value: V) {
        if let Some(epoch) = epoch {
            self.entries
                .insert(key.to_string(), (epoch, Instant::now(), value));
        }
    }
}

/// The sizes of the whole moderation queues (no article filter), counted
/// again only when a write has committed since (`Db::write_epoch`, SQLite)
/// or a second has passed (another process, the command line, may write to
/// the same file). A moderator paging through a long queue no longer counts
/// it on every page; the count stays exact for what this process wrote.
#[derive(Default)]
pub struct QueueTotals {
    totals: Mutex<HashMap<Queue, Counted>>,
}

#[derive(Clone, Copy)]
struct Counted {
    epoch: u64,
    at: Instant,
    total: i64,
}

/// How long a count is trusted when nothing this process wrote moved.
const QUEUE_TOTAL_LIFETIME: Duration = Duration::from_secs(1);

impl QueueTotals {
    pub fn get(&self, which: Queue, epoch: u64) -> Option<i64> {
        let totals = self.totals.lock().ok()?;
        let counted = totals.get(&which)?;
        (counted.epoch == epoch && counted.at.elapsed() < QUEUE_TOTAL_LIFETIME)
            .then_some(counted.total)
    }

    /// `epoch` must have been read before counting, so that a write that
    /// committed during the count leaves the entry already outdated.
    pub fn put(&self, which: Queue, epoch: u64, total: i64) {
        if let Ok(mut totals) = self.totals.lock() {
            let at = Instant::now();
            totals.insert(which, Counted { epoch, at, total });
        }
    }
}

/// The compiled word lists, rebuilt when the lists' version moves.
#[derive(Default)]
pub struct WordCache {
    compiled: Mutex<Option<(i64, Arc<WordList>)>>,
}

impl WordCache {
    pub fn get(&self, version: i64) -> Option<Arc<WordList>> {
        let compiled = self.compiled.lock().ok()?;
        compiled
            .as_ref()
            .filter(|(v, _)| *v == version)
            .map(|(_, list)| list.clone())
    }

    pub fn put(&self, version: i64, list: Arc<WordList>) {
        if let Ok(mut compiled) = self.compiled.lock() {
            *compiled = Some((version, list));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(len: usize) -> Page {
        Page::plain(Bytes::from(vec![b'x'; len]))
    }

    #[test]
    fn a_page_of_another_version_is_a_miss() {
        let cache = PageCache::new(1 << 20);
        let empty = Page::plain(Bytes::from_static(b"[]"));
        cache.put("1:oldest:50:".into(), 7, empty.clone());
        assert_eq!(cache.get("1:oldest:50:", 7), Some(empty));
        assert_eq!(cache.get("1:oldest:50:", 8), None);
        assert_eq!(cache.get("2:oldest:50:", 7), None);
        let stats = cache.stats();
        assert_eq!((stats.hits, stats.misses, stats.pages), (1, 1, 1));
    }

    #[test]
    fn a_new_version_replaces_the_old_page_in_place() {
        let cache = PageCache::new(1 << 20);
        cache.put("k".into(), 1, page(1000));
        let before = cache.stats().bytes;
        cache.put("k".into(), 2, page(1000));
        assert_eq!(cache.get("k", 1), None);
        assert_eq!(cache.get("k", 2), Some(page(1000)));
        assert_eq!(cache.stats().pages, 1);
        assert_eq!(cache.stats().bytes, before);
    }

    #[test]
    fn a_page_over_its_share_of_the_budget_is_not_kept() {
        let cache = PageCache::new(160_000); // largest page kept: 10,000 bytes
        cache.put("small".into(), 1, page(5_000));
        cache.put("big".into(), 1, page(20_000));
        assert!(cache.get("small", 1).is_some());
        assert_eq!(cache.get("big", 1), None);
        // A page that grew past the limit takes its older version with it.
        cache.put("small".into(), 2, page(20_000));
        assert_eq!(cache.get("small", 1), None);
        assert_eq!(cache.stats().bytes, 0);
    }

    #[test]
    fn eviction_keeps_the_cache_within_its_bytes() {
        let budget = 1 << 20;
        let cache = PageCache::new(budget);
        for i in 0..2_000 {
            cache.put(format!("{i}"), 1, page(4_000));
            assert!(cache.stats().bytes <= budget, "over budget after {i}");
        }
        let stats = cache.stats();
        assert!(stats.bytes > budget / 2, "{} bytes kept", stats.bytes);
        assert!(
            stats.pages < 2_000 && stats.pages > 100,
            "{} pages",
            stats.pages
        );
        // A page read often survives a scan of one-off pages.
        cache.put("hot".into(), 1, page(4_000));
        for i in 0..2_000 {
            assert!(cache.get("hot", 1).is_some(), "hot page evicted at {i}");
            cache.put(format!("scan{i}"), 1, page(4_000));
        }
    }

    #[test]
    fn a_marked_copy_flips_exactly_the_readers_marks() {
        let shared = Page {
            body: Bytes::from_static(b"[{\"id\":1},{\"id\":2},{\"id\":3}]"),
            ends: vec![(1, 8), (2, 17), (3, 26)].into(),
        };
        let unmarked = shared.unmarked();
        let expected: &[u8] = b"[{\"id\":1,\"reacted\":false},{\"id\":2,\"reacted\": true},\
            {\"id\":3,\"reacted\": true}]";
        let marks = [unmarked.ends[1].1, unmarked.ends[2].1];
        assert_eq!(&unmarked.marked(&marks)[..], expected);
        assert_eq!(unmarked.marked(&[]), unmarked.body);
    }

    #[test]
    fn a_readers_copy_is_kept_for_its_version_and_within_a_quarter_of_the_budget() {
        let cache = PageCache::new(160_000); // copies: 40,000 bytes, 20,000 a shard
        cache.put_marked("7|k".into(), 3, Bytes::from(vec![b'x'; 1_000]));
        assert_eq!(cache.marked("7|k", 3).map(|b| b.len()), Some(1_000));
        assert_eq!(cache.marked("7|k", 4), None, "another version");
        assert_eq!(cache.marked("8|k", 3), None, "another reader");
        cache.put_marked("7|k".into(), 4, Bytes::from(vec![b'x'; 30_000]));
        assert_eq!(
            cache.marked("7|k", 3),
            None,
            "a copy too large drops the old one"
        );
        assert_eq!(cache.marked("7|k", 4), None, "and is not kept");
        for reader in 0..100 {
            cache.put_marked(format!("{reader}|k"), 1, Bytes::from(vec![b'x'; 1_000]));
        }
        let kept = (0..100).filter(|r| cache.marked(&format!("{r}|k"), 1).is_some());
        assert!(kept.count() <= 40, "within 40,000 bytes");
    }

    #[test]
    fn a_zero_budget_keeps_nothing() {
        let cache = PageCache::new(0);
        cache.put("k".into(), 1, page(10));
        assert_eq!(cache.get("k", 1), None);
        assert_eq!(cache.stats().misses, 1);
    }

    #[test]
    fn a_queue_total_holds_until_a_write_commits() {
        let totals = QueueTotals::default();
        assert_eq!(totals.get(Queue::Pending, 3), None);
        totals.put(Queue::Pending, 3, 42);
        assert_eq!(totals.get(Queue::Pending, 3), Some(42));
        assert_eq!(totals.get(Queue::Pending, 4), None, "a write committed");
        assert_eq!(totals.get(Queue::Rejected, 3), None);
    }

    #[test]
    fn a_queue_total_is_trusted_for_a_second_at_most() {
        let totals = QueueTotals::default();
        if let Ok(mut t) = totals.totals.lock() {
            let at = Instant::now() - QUEUE_TOTAL_LIFETIME;
            t.insert(
                Queue::Pending,
                Counted {
                    epoch: 1,
                    at,
                    total: 7,
                },
            );
        }
        assert_eq!(totals.get(Queue::Pending, 1), None);
    }
}
