//! The one writer of an instance: a thread that owns the writing connection
//! and commits the writes waiting in its queue together (group commit), on
//! SQLite and on PostgreSQL alike.
//!
//! Each write runs in its own savepoint, so one that fails is rolled back
//! alone; the batch commits once, and nobody hears "done" before that commit.
//! Under load this turns many small commits (each writing its pages to the
//! WAL, each a flush on PostgreSQL) into one, and no request thread waits on
//! a connection lock.
//!
//! On PostgreSQL several instances write to one database. Each batch first
//! takes one transaction-scoped advisory lock, so the instances' batches run
//! one after the other as SQLite's do: two batches that update the same
//! articles' counters in different orders would otherwise deadlock, and the
//! write PostgreSQL picks to undo would fail for its reader.
//!
//! Checkpoints (copying the WAL back into the database file, and syncing it)
//! run on a thread of their own, a moment after writes: left to SQLite, every
//! thousandth page written made one commit of the writer pay for all of them,
//! a sixth of its time under a stream of posts. The writer checkpoints only
//! every 4,096 pages, when most of them are copied already.

use super::{DbConnection, FromStore, Manager, StoreError};
use crate::domain::Failure;
use diesel::connection::SimpleConnection;
use diesel::Connection;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// The advisory lock every PostgreSQL batch holds until it commits (an
/// arbitrary number, the same in every instance: "TRIBUNE" in ASCII).
const BATCH_LOCK: i64 = 0x0054_5249_4255_4e45;
/// How long the checkpointer lets pages gather after a commit before it
/// copies them back: a page written many times in that spell is copied once.
const CHECKPOINT_AFTER: Duration = Duration::from_millis(200);
/// The writer still checkpoints by itself past this many WAL pages (16 MiB,
/// SQLite's default is 1,000). The checkpointer has copied most of them by
/// then, so that costs the writer little; but only the writer's own
/// checkpoint, which no commit can slip into, lets the next write start the
/// WAL over: under a steady stream of writes it is what bounds the file.
const WRITER_CHECKPOINT_PAGES: u32 = 4096;
/// The checkpointer's page cache, in KiB: a checkpoint copies pages from the
/// WAL to the file without keeping them.
const CHECKPOINTER_CACHE_KIB: u32 = 256;

/// Most writes committed together; bounds how long the first one waits.
const MAX_BATCH: usize = 64;
/// Most writes queued or running at once. Each holds its request's data
/// (a comment, its HTML), so the queue's memory is bounded by this; a write
/// beyond it waits for a slot, as a read waits for a pooled connection.
const MAX_WAITING: usize = 1024;

/// Why a batch did not commit.
enum Failed {
    /// The database went away: the writes answer 503, as a read would.
    Outage,
    /// Anything else (a panic, a refused commit): a bug to log, 500.
    Error(Failure),
}

/// Tells a write's caller how it ended, once the batch's fate is known:
/// `None` when the batch committed, else why it did not.
type Reply = Box<dyn FnOnce(Option<&Failed>) + Send>;
/// A write to run inside the batch's transaction.
type Job = Box<dyn FnOnce(&mut DbConnection) -> Ran + Send>;

/// What running one write left behind.
struct Ran {
    reply: Reply,
    /// It panicked: the connection's transaction state is unknown, so the
    /// batch is abandoned and the connection replaced.
    panicked: bool,
}

/// The handle the pools keep; the thread stops when the last handle is dropped.
#[derive(Clone)]
pub struct Writer {
    jobs: Sender<Job>,
    /// Writes sent and not yet answered (the queue and the batch running).
    waiting: Arc<AtomicUsize>,
    /// Batches ended (committed or not), counted before their callers hear back.
    batches: Arc<AtomicU64>,
    /// `MAX_WAITING` slots; a write holds one until it has run.
    slots: Arc<Semaphore>,
    /// How long a write waits for a slot before answering 503.
    slot_timeout: Duration,
    /// Told after every batch (one atomic store): live threads read the
    /// outbox past what they have seen, and only while someone listens.
    commits: Arc<tokio::sync::Notify>,
}

impl Writer {
    /// `instance` names this process in the notice each PostgreSQL batch
    /// sends (`changes::announcement`).
    pub fn start(manager: Manager, slot_timeout: Duration, instance: u64) -> Writer {
        let (jobs, queue) = mpsc::channel();
        let waiting = Arc::new(AtomicUsize::new(0));
        let batches = Arc::new(AtomicU64::new(0));
        let commits = Arc::new(tokio::sync::Notify::new());
        let (writer_waiting, writer_batches, writer_commits) =
            (waiting.clone(), batches.clone(), commits.clone());
        // SQLite's checkpointer, told after each commit; holds one kick, so
        // commits never wait on it. PostgreSQL checkpoints by itself.
        let kick = manager.target.is_sqlite().then(|| {
            let (kick, kicks) = mpsc::sync_channel(1);
            let checkpointing = Manager {
                cache_kib: CHECKPOINTER_CACHE_KIB,
                ..manager.clone()
            };
            std::thread::Builder::new()
                .name("tribune-checkpoint".into())
                .spawn(move || checkpoint_after_commits(&checkpointing, &kicks))
                .expect("the checkpoint thread starts");
            kick
        });
        std::thread::Builder::new()
            .name("tribune-writer".into())
            .spawn(move || {
                run(
                    &manager,
                    &super::changes::announcement(instance),
                    &queue,
                    &writer_waiting,
                    &writer_batches,
                    &writer_commits,
                    &kick,
                )
            })
            .expect("the writer thread starts");
        Writer {
            jobs,
            waiting,
            batches,
            slots: Arc::new(Semaphore::new(MAX_WAITING)),
            slot_timeout,
            commits,
        }
    }

    /// Runs `f` in its own savepoint of the next batch; answers after the commit.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: FromStore,
    {
        let slot = tokio::time::timeout(self.slot_timeout, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| StoreError::Unavailable)?
            .map_err(|_| StoreError::Unavailable)?;
        let (tx, rx) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |conn| {
            // The slot is free once the write has run (or is dropped unrun).
            let _slot = slot;
            let result = catch_unwind(AssertUnwindSafe(|| super::in_transaction(conn, f)));
            let panicked = result.is_err();
            let result = result
                .unwrap_or_else(|_| Err(StoreError::from(Failure::new("a write panicked")).into()));
            let reply: Reply = Box::new(move |failure: Option<&Failed>| {
                let answer = match failure {
                    None => result,
                    Some(Failed::Outage) => Err(StoreError::Unavailable.into()),
                    Some(Failed::Error(cause)) => Err(StoreError::from(cause.clone()).into()),
                };
                // The caller may have gone (client disconnected): nothing to tell.
                let _ = tx.send(answer);
            });
            Ran { reply, panicked }
        });
        self.waiting.fetch_add(1, Ordering::Relaxed);
        if self.jobs.send(job).is_err() {
            self.waiting.fetch_sub(1, Ordering::Relaxed);
            return Err(StoreError::Unavailable.into());
        }
        rx.await.unwrap_or(Err(StoreError::Unavailable.into()))
    }

    /// Writes queued or running now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Relaxed)
    }

    /// Moves after every batch, before its callers hear back: what was read
    /// while this did not move is still what the database holds.
    pub fn batches(&self) -> u64 {
        self.batches.load(Ordering::Acquire)
    }

    /// Notified after each batch has ended.
    pub fn commits(&self) -> Arc<tokio::sync::Notify> {
        self.commits.clone()
    }
}

/// After this long without a write, the writer gives its page cache back:
/// it holds megabytes of index pages only while posts keep coming.
const IDLE_SHRINK: Duration = Duration::from_secs(1);
/// After this long without a batch, a PostgreSQL connection is checked
/// before the next one.
const IDLE_CHECK: Duration = Duration::from_millis(500);

/// `checkpoint` kicks SQLite's checkpointer after each commit.
fn run(
    manager: &Manager,
    announce: &str,
    queue: &Receiver<Job>,
    waiting: &AtomicUsize,
    batches: &AtomicU64,
    commits: &tokio::sync::Notify,
    checkpoint: &Option<SyncSender<()>>,
) {
    let mut conn: Option<DbConnection> = None;
    let mut cache_filled = false;
    let mut last_batch = Instant::now();
    loop {
        let first = match queue.recv_timeout(IDLE_SHRINK) {
            Ok(job) => job,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if let (true, Some(c @ DbConnection::Sqlite(_))) = (cache_filled, conn.as_mut()) {
                    // Best effort: a failure only keeps the cache.
                    let _ = c.batch_execute("PRAGMA shrink_memory");
                    crate::alloc::give_back_free_memory();
                    cache_filled = false;
                }
                continue;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        cache_filled = true;
        let mut batch = vec![first];
        batch.extend(queue.try_iter().take(MAX_BATCH - 1));
        if conn.as_mut().is_some_and(|c| !still_there(c, last_batch)) {
            conn = None;
        }
        if conn.is_none() {
            conn = open_writing(manager);
        }
        last_batch = Instant::now();
        match conn.as_mut() {
            Some(c) => {
                let committed = commit_batch(c, batch, announce, waiting, batches);
                commits.notify_one();
                if let Some(checkpoint) = checkpoint {
                    // Full: a checkpoint is coming anyway.
                    let _ = checkpoint.try_send(());
                }
                if !committed {
                    // Start the next batch on a fresh connection.
                    conn = None;
                }
            }
            None => {
                waiting.fetch_sub(batch.len(), Ordering::Relaxed);
                // Dropping the jobs drops their senders: their callers answer 503.
                drop(batch);
            }
        }
    }
}

/// A PostgreSQL connection can drop out while it idles (a restart, a
/// failover): one that has idled is asked first, as the reading pool asks
/// each connection it lends, so the first writes after an outage do not
/// fail on it. Under a stream of writes this costs nothing.
fn still_there(conn: &mut DbConnection, last_batch: Instant) -> bool {
    matches!(conn, DbConnection::Sqlite(_))
        || last_batch.elapsed() < IDLE_CHECK
        || conn.batch_execute("SELECT 1").is_ok()
}

fn open_writing(manager: &Manager) -> Option<DbConnection> {
    let mut conn = manager
        .open()
        .inspect_err(|e| tracing::error!(error = %e, "cannot open the writing connection"))
        .ok()?;
    if !matches!(conn, DbConnection::Sqlite(_)) {
        return Some(conn);
    }
    let pragma = format!("PRAGMA wal_autocheckpoint = {WRITER_CHECKPOINT_PAGES}");
    if let Err(e) = conn.batch_execute(&pragma) {
        tracing::error!(error = %e, "cannot set up the writing connection");
        return None;
    }
    Some(conn)
}

/// The checkpointer: after each kick, lets pages gather a moment, then copies
/// what the WAL holds into the database file without waiting for readers or
/// the writer (PASSIVE). Ends with the writer, which holds the other end.
fn checkpoint_after_commits(manager: &Manager, kicks: &Receiver<()>) {
    let mut conn: Option<DbConnection> = None;
    while kicks.recv().is_ok() {
        std::thread::sleep(CHECKPOINT_AFTER);
        if conn.is_none() {
            conn = manager
                .open()
                .inspect_err(|e| tracing::warn!(error = %e, "checkpointer: cannot connect"))
                .ok();
        }
        if let Some(c) = conn.as_mut() {
            if let Err(e) = c.batch_execute("PRAGMA wal_checkpoint(PASSIVE)") {
                // The writer's own checkpoints take over meanwhile.
                tracing::warn!(error = %e, "checkpointer: checkpoint failed");
                conn = None;
            }
        }
    }
}

/// Runs the batch in one transaction and answers every caller; false when the
/// connection should not be used again.
fn commit_batch(
    c: &mut DbConnection,
    batch: Vec<Job>,
    announce: &str,
    waiting: &AtomicUsize,
    batches: &AtomicU64,
) -> bool {
    let count = batch.len();
    let mut replies = Vec::with_capacity(count);
    let mut panicked = false;
    let outcome = c.transaction::<_, diesel::result::Error, _>(|c| {
        if let DbConnection::Postgres(_) = c {
            c.batch_execute(&format!("SELECT pg_advisory_xact_lock({BATCH_LOCK})"))?;
        }
        for job in batch {
            let ran = job(c);
            replies.push(ran.reply);
            if ran.panicked {
                // The jobs left are dropped: their callers answer 503.
                panicked = true;
                return Err(diesel::result::Error::RollbackTransaction);
            }
        }
        if let DbConnection::Postgres(_) = c {
            // Delivered with the commit, to every instance that listens:
            // what their caches checked before this is to be checked again.
            c.batch_execute(announce)?;
        }
        Ok(())
    });
    let failure = match (outcome, panicked) {
        (Ok(()), false) => None,
        (_, true) => Some(Failed::Error(Failure::new("a write panicked"))),
        (Err(e), false) if c.batch_execute("SELECT 1").is_err() => {
            tracing::warn!(cause = %e, writes = replies.len(), "database unavailable: a batch of writes was not committed");
            Some(Failed::Outage)
        }
        (Err(e), false) => Some(Failed::Error(Failure::caused("the commit", e))),
    };
    if let Some(Failed::Error(cause)) = &failure {
        tracing::error!(cause = %Failure::chain(cause), writes = replies.len(), "a batch of writes was not committed");
    }
    // Counted down before anyone hears back, so a caller never sees its own
    // finished write as waiting.
    waiting.fetch_sub(count, Ordering::Relaxed);
    batches.fetch_add(1, Ordering::Release);
    for reply in replies {
        reply(failure.as_ref());
    }
    failure.is_none()
}

#[cfg(test)]
mod tests {
    use super::StoreError;
    use crate::config::DatabaseConfig;
    use crate::store::{words, Db};
    use crate::text::WordKind;

    fn open(dir: &tempfile::TempDir) -> Db {
        Db::open(&DatabaseConfig {
            url: format!("sqlite://{}/t.db", dir.path().display()),
            pool_size: 2,
            connect_timeout: 2,
            synchronous: crate::config::Synchronous::Normal,
            sqlite_cache_kib: 2048,
            sqlite_writer_cache_kib: 2048,
        })
        .expect("database opens")
    }

    /// Writes `word-<i>`; odd ones fail after writing, or panic when asked.
    async fn write(db: Db, i: usize, panic_at: Option<usize>) -> Result<(), StoreError> {
        db.write(move |conn| {
            let word = format!("word{i}");
            words::insert(conn, &word, &word, WordKind::Suspect, 0)?;
            if panic_at == Some(i) {
                panic!("a bug in one write");
            }
            if i % 2 == 1 {
                return Err(StoreError::NotFound);
            }
            Ok(())
        })
        .await
    }

    async fn stored(db: &Db) -> Vec<String> {
        db.read(|conn| {
            Ok::<_, StoreError>(words::all(conn)?.into_iter().map(|w| w.pattern).collect())
        })
        .await
        .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_failed_write_is_undone_alone_and_the_others_commit() {
        let dir = tempfile::tempdir().unwrap();
        let db = open(&dir);
        let tasks: Vec<_> = (0..200)
            .map(|i| tokio::spawn(write(db.clone(), i, None)))
            .collect();
        for (i, task) in tasks.into_iter().enumerate() {
            let result = task.await.unwrap();
            assert_eq!(result.is_ok(), i % 2 == 0, "write {i}: {result:?}");
        }
        let mut words = stored(&db).await;
        words.sort();
        let mut expected: Vec<String> = (0..200).step_by(2).map(|i| format!("word{i}")).collect();
        expected.sort();
        assert_eq!(words, expected);
        assert_eq!(db.writes_waiting(), 0);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_panicking_write_loses_no_acknowledged_write_and_the_writer_goes_on() {
        let dir = tempfile::tempdir().unwrap();
        let db = open(&dir);
        let tasks: Vec<_> = (0..100)
            .map(|i| tokio::spawn(write(db.clone(), i * 2, Some(50))))
            .collect();
        let mut acknowledged = Vec::new();
        for (i, task) in tasks.into_iter().enumerate() {
            match task.await.unwrap() {
                Ok(()) => acknowledged.push(format!("word{}", i * 2)),
                Err(e) => assert!(
                    matches!(e, StoreError::Failed(_) | StoreError::Unavailable),
                    "{e:?}"
                ),
            }
        }
        let words = stored(&db).await;
        assert!(!words.contains(&"word50".to_string()));
        for word in &acknowledged {
            assert!(words.contains(word), "{word} acknowledged but not stored");
        }
        // The writer still works after the panic.
        write(db.clone(), 1000, None).await.unwrap();
        assert!(stored(&db).await.contains(&"word1000".to_string()));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_checkpointer_copies_writes_into_the_database_file() {
        let dir = tempfile::tempdir().unwrap();
        let db = open(&dir);
        let file = dir.path().join("t.db");
        let size = || std::fs::metadata(&file).unwrap().len();
        let before = size();
        // About 1 MiB in the WAL: far below the writer's own threshold
        // (16 MiB), so only the checkpointer brings it into the file.
        for i in 0..10 {
            db.write(move |conn| {
                for j in 0..100 {
                    let word = format!("{i}-{j}-{}", "x".repeat(1000));
                    words::insert(conn, &word, &word, WordKind::Suspect, 0)?;
                }
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while size() < before + 1_000_000 {
            assert!(
                std::time::Instant::now() < deadline,
                "the file grew from {before} to {} bytes only",
                size()
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert_eq!(stored(&db).await.len(), 1000);
    }
}
