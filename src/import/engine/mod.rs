//! The import itself: a reading thread prepares rows, this thread writes them
//! in batches (one transaction each) and keeps the source-id map.

use super::progress::Progress;
use super::{
    html, names, AuthorRec, Body, Class, CommentRec, Format, ImportError, Item, KeyFrom, Mapped,
    Options, Renamed, Report, Skip, Source, ThreadRec, UserRec,
};
use crate::domain::Failure;
use crate::domain::{ArticleKey, ArticleUrl, CommentStatus, DeletedBy, Email, Title};
use crate::store::import::indexes as import_indexes;
use crate::store::import::{self as store, ImportedComment, MapRow};
use crate::store::{Db, DbConnection, StoreError};
use crate::text;
use diesel::Connection;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Arc;
use std::time::Instant;

enum Prepared {
    Thread(ThreadRec),
    User(UserRec),
    Comment(Box<CommentRec>, Result<Rendered, &'static str>),
    Skipped(Skip),
}

type Batch = Result<Vec<Prepared>, ImportError>;

/// Imports `opts.path`. On failure the report still tells what was written
/// before the failing batch.
pub fn run(db: &Db, opts: &Options) -> Result<Report, Box<(ImportError, Report)>> {
    let started = Instant::now();
    let source = open(opts).map_err(|e| Box::new((e, Report::default())))?;
    let mut conn = db
        .job_connection()
        .map_err(|e| Box::new((e.into(), Report::default())))?;
    let read = Arc::new(AtomicU64::new(0));
    let total = Arc::new(AtomicU64::new(source.progress().1));
    let batches = spawn_reader(
        source,
        opts.batch_size,
        opts.strict,
        read.clone(),
        total.clone(),
    )
    .map_err(|e| Box::new((e, Report::default())))?;
    let progress = Progress::new(opts.progress, total.load(Ordering::Relaxed));
    let mut writer = Writer::new(opts);
    writer.report.dry_run = opts.dry_run;

    let outcome = if opts.dry_run {
        // Everything in one transaction, rolled back: the report is exact
        // (names taken, parents found) and nothing stays.
        let mut failure = None;
        let _ = conn.transaction::<(), diesel::result::Error, _>(|c| {
            let result = writer.write_all(c, &batches, &progress, &read, &total, true);
            failure = result.err();
            Err(diesel::result::Error::RollbackTransaction)
        });
        match failure {
            None => Ok(()),
            Some(e) => Err(e),
        }
    } else {
        writer.write_all(&mut conn, &batches, &progress, &read, &total, false)
    };
    progress.finish();
    writer.report.seconds = started.elapsed().as_secs_f64();
    match outcome {
        Ok(()) => Ok(writer.report),
        Err(e) => Err(Box::new((e, writer.report))),
    }
}

fn open(opts: &Options) -> Result<Box<dyn Source>, ImportError> {
    Ok(match opts.format {
        Format::Disqus => Box::new(super::disqus::DisqusSource::open(&opts.path)?),
        Format::Wordpress => Box::new(super::wordpress::WordpressSource::open(&opts.path)?),
        Format::Isso => Box::new(super::isso::IssoSource::open(&opts.path)?),
        Format::Tribune => Box::new(super::tribune::TribuneSource::open(&opts.path)?),
    })
}

/// Reads on its own thread, and prepares (converts, renders) on as many
/// threads as there are cores; at most one batch waits at each step, so
/// memory stays bounded whatever the input's size.
fn spawn_reader(
    mut source: Box<dyn Source>,
    batch_size: usize,
    strict: bool,
    read: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
) -> Result<Receiver<Batch>, ImportError> {
    let (raw_tx, raw_rx) = sync_channel::<Result<Vec<Item>, ImportError>>(1);
    let (tx, rx) = sync_channel::<Batch>(1);
    let spawn_error = |e: std::io::Error| ImportError::Io(format!("cannot start a thread: {e}"));
    std::thread::Builder::new()
        .name("tribune-import-reader".into())
        .spawn(move || {
            let mut batch = Vec::with_capacity(batch_size);
            let mut comments = 0;
            loop {
                let item = match source.next_item() {
                    // --strict: the first record that cannot be placed ends
                    // the import, like an input error.
                    Ok(Some(Item::Skipped(skip))) if strict => {
                        let _ = raw_tx.send(Err(ImportError::input(skip.at, skip.why)));
                        return;
                    }
                    Ok(Some(item)) => item,
                    Ok(None) => break,
                    Err(e) => {
                        // The batch the error fell in is not written.
                        let _ = raw_tx.send(Err(e));
                        return;
                    }
                };
                let (done, all) = source.progress();
                read.store(done, Ordering::Relaxed);
                total.store(all, Ordering::Relaxed);
                if matches!(item, Item::Comment(_)) {
                    comments += 1;
                }
                batch.push(item);
                if comments >= batch_size || batch.len() >= batch_size * 4 {
                    comments = 0;
                    if raw_tx.send(Ok(std::mem::take(&mut batch))).is_err() {
                        return;
                    }
                }
            }
            if !batch.is_empty() {
                let _ = raw_tx.send(Ok(batch));
            }
        })
        .map_err(spawn_error)?;
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let pool = Preparers::start(workers).map_err(spawn_error)?;
    std::thread::Builder::new()
        .name("tribune-import-render".into())
        .spawn(move || {
            for batch in raw_rx {
                let prepared = batch.and_then(|items| pool.prepare_all(items));
                // Nothing after an error is written (and the preparers may hold
                // a part of the failed batch).
                let failed = prepared.is_err();
                if tx.send(prepared).is_err() || failed {
                    return;
                }
            }
        })
        .map_err(spawn_error)?;
    Ok(rx)
}

struct Writer<'a> {
    opts: &'a Options,
    source: &'static str,
    /// Threads read whose article is not made yet (made with their first comment).
    threads: HashMap<String, ThreadRec>,
    /// Thread source id → article id.
    articles: HashMap<String, i64>,
    /// Authors by e-mail, name or user id → account id.
    authors: authors::Known,
    /// The first batch looked at the indexes (see `store::import::indexes`).
    indexes_checked: bool,
    /// The first batch found no comment (and deferred the indexes).
    into_empty_site: bool,
    /// What this run mapped, on SQLite (made by the first batch).
    written: Option<written::Written>,
    report: Report,
}

mod authors;
mod keys;
mod render;
mod threads;
mod written;

use render::{Preparers, Rendered};

pub use keys::{article_key, rewrite};

impl<'a> Writer<'a> {
    fn new(opts: &'a Options) -> Writer<'a> {
        Writer {
            opts,
            source: opts.format.as_str(),
            threads: HashMap::new(),
            articles: HashMap::new(),
            authors: authors::Known::default(),
            indexes_checked: false,
            into_empty_site: false,
            written: None,
            report: Report::default(),
        }
    }

    fn write_all(
        &mut self,
        conn: &mut DbConnection,
        batches: &Receiver<Batch>,
        progress: &Progress,
        read: &AtomicU64,
        total: &AtomicU64,
        in_transaction: bool,
    ) -> Result<(), ImportError> {
        let mut failure = None;
        if !in_transaction {
            store::session::begin_bulk(conn)?;
        }
        for batch in batches.iter() {
            let batch = match batch {
                Ok(b) => b,
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            };
            if in_transaction {
                self.write_batch(conn, batch)?;
            } else if let Err(e) = conn.transaction(|c| self.write_batch(c, batch)) {
                // The database failed: still leave it with all its indexes.
                let _ = store::session::end_bulk(conn);
                let _ = conn.transaction(import_indexes::restore_indexes);
                return Err(e);
            }
            progress.update(
                read.load(Ordering::Relaxed),
                total.load(Ordering::Relaxed),
                self.report.comments_read,
                self.report.comments_created,
            );
        }
        // Counters are made exact for what was written, even when the input
        // failed part way; tombstones are settled only once every reply was read.
        let complete = failure.is_none();
        if in_transaction {
            self.finish(conn, complete)?;
        } else {
            store::session::end_bulk(conn)?;
            conn.transaction(|c| self.finish(c, complete))?;
        }
        match failure {
            None => Ok(()),
            Some(e) => Err(e),
        }
    }

    fn write_batch(
        &mut self,
        conn: &mut DbConnection,
        batch: Vec<Prepared>,
    ) -> Result<(), ImportError> {
        store::lock_for_writing(conn)?;
        if !self.indexes_checked {
            // Into an empty site: the read-side indexes are built at the end.
            self.into_empty_site = import_indexes::defer_indexes(conn)?;
            self.indexes_checked = true;
            self.written = self.what_was_written(conn)?;
        }
        if let Some(w) = &mut self.written {
            w.check(store::max_comment_id(conn)?);
        }
        let mut comments = Vec::new();
        for item in batch {
            match item {
                Prepared::Thread(t) => {
                    self.report.threads_read += 1;
                    self.threads.insert(t.id.clone(), t);
                }
                Prepared::User(u) => {
                    self.user_record(conn, &u)?;
                }
                Prepared::Skipped(skip) => self.report.skip_record(&skip),
                Prepared::Comment(c, r) => {
                    self.report.comments_read += 1;
                    comments.push((c, r));
                }
            }
        }
        if comments.is_empty() {
            return Ok(());
        }

        // What earlier runs (or earlier batches) already did.
        let ids: Vec<&str> = comments
            .iter()
            .map(|(c, _)| c.id.as_str())
            .filter(|id| self.written.as_ref().is_none_or(|w| w.may_be_mapped(id)))
            .collect();
        let done = store::lookup(conn, self.source, "comment", &ids)?;

        // Decide first, so the ids can be taken in one go.
        let mut keep = Vec::with_capacity(comments.len());
        let mut seen = HashSet::new();
        for (c, r) in comments {
            if done.contains_key(&c.id) || !seen.insert(c.id.clone()) {
                self.report.already_imported += 1;
                continue;
            }
            let rendered = match r {
                Ok(r) => r,
                Err(why) => {
                    self.report.skip(why);
                    continue;
                }
            };
            let status = match self.opts.statuses.get(c.class) {
                Mapped::Skip => {
                    self.report.skip("status mapped to skip (--as-status)");
                    continue;
                }
                Mapped::Status(s) => s,
            };
            let Some(article) = self.article(conn, &c)? else {
                self.report.skip("thread not in the input");
                continue;
            };
            keep.push((c, rendered, status, article));
        }
        // Parents stored by an earlier batch or run. Those this batch keeps
        // are not: they are placed below, or linked once they are.
        let kept: HashSet<&str> = keep.iter().map(|(c, ..)| c.id.as_str()).collect();
        let parents: Vec<&str> = keep
            .iter()
            .filter_map(|(c, ..)| c.parent.as_deref())
            .filter(|p| !kept.contains(p))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let earlier = store::lookup(conn, self.source, "comment", &parents)?;
        drop(kept);
        let earlier_ids: Vec<i64> = earlier.values().flatten().copied().collect();
        let earlier_depths = store::depths(conn, &earlier_ids)?;
        let authors: Vec<(&authors::Author, i64)> = keep
            .iter()
            .map(|(c, r, _, _)| (&r.author, c.created_at))
            .collect();
        self.prefetch_authors(conn, &authors)?;
        let new_ids = store::reserve_comment_ids(conn, keep.len())?;

        let mut rows = Vec::with_capacity(keep.len());
        let mut map = Vec::with_capacity(keep.len());
        let mut waiting = Vec::new();
        let mut placed: HashMap<String, (i64, i32, i64)> = HashMap::with_capacity(keep.len());
        let mut touched = HashSet::new();
        let mut id_iter = new_ids.into_iter();
        for (c, r, status, article) in keep {
            let author = self.author(conn, &r.author, c.created_at)?;
            let (parent_id, depth) = match c.parent.as_deref() {
                None => (None, 1),
                Some(p) => match placed.get(p) {
                    Some(&(pid, d, a)) if a == article => (Some(pid), d + 1),
                    Some(_) => {
                        self.report.replies_unlinked += 1;
                        (None, 1)
                    }
                    None => match earlier.get(p) {
                        Some(Some(pid)) => match earlier_depths.get(pid) {
                            Some(&(d, a)) if a == article => (Some(*pid), d + 1),
                            _ => {
                                self.report.replies_unlinked += 1;
                                (None, 1)
                            }
                        },
                        Some(None) => {
                            self.report.parent_missing += 1;
                            (None, 1)
                        }
                        // Not read yet: linked when it arrives.
                        None => (None, 1),
                    },
                },
            };
            let Some(id) = id_iter.next() else {
                return Err(
                    StoreError::from(Failure::new("fewer ids reserved than needed")).into(),
                );
            };
            if parent_id.is_none() {
                if let Some(p) = &c.parent {
                    if !earlier.contains_key(p.as_str()) && !placed.contains_key(p.as_str()) {
                        waiting.push((p.clone(), id));
                    }
                }
            }
            placed.insert(c.id.clone(), (id, depth, article));
            touched.insert(article);
            *self.report.by_status.entry(status.as_str()).or_default() += 1;
            map.push(MapRow {
                source: self.source,
                kind: "comment",
                source_id: c.id.clone(),
                target_id: Some(id),
                note: (status == CommentStatus::Deleted).then_some(store::NOTE_DELETED),
            });
            rows.push(ImportedComment {
                id,
                article_id: article,
                parent_id,
                author_id: author,
                body: r.body,
                html: r.html,
                dir: r.dir,
                status: status.as_str(),
                deleted_by: (status == CommentStatus::Deleted)
                    .then_some(DeletedBy::Moderator.as_str()),
                reasons: "",
                depth,
                dup_key: r.dup_key,
                created_at: c.created_at,
                edited_at: c.edited_at,
                word_matches: "[]",
            });
        }
        store::insert_comments(conn, &rows)?;
        store::record(conn, &map)?;
        store::wait_for_parents(conn, self.source, &waiting)?;
        self.report.comments_created += rows.len() as u64;
        if let Some(w) = &mut self.written {
            map.iter().for_each(|m| w.mapped(&m.source_id));
            waiting.iter().for_each(|(parent, _)| w.awaits(parent));
            if let Some(last) = rows.last() {
                w.committed(Some(last.id));
            }
        }

        // Replies read before these comments: hang them under them now.
        let arrived: Vec<&str> = placed
            .keys()
            .map(String::as_str)
            .filter(|id| self.written.as_ref().is_none_or(|w| w.may_be_awaited(id)))
            .collect();
        for (parent_sid, child) in store::waiting_for(conn, self.source, &arrived)? {
            if let Some(&(parent, depth, article)) = placed.get(&parent_sid) {
                if !store::link(
                    conn,
                    self.source,
                    &parent_sid,
                    child,
                    parent,
                    depth,
                    article,
                )? {
                    self.report.replies_unlinked += 1;
                }
            }
        }
        let touched: Vec<i64> = touched.into_iter().collect();
        store::touch_articles(conn, &touched)?;
        Ok(())
    }

    /// Settles what the batches left: tombstones without replies (once the
    /// whole input was read), replies whose parent never came, counters.
    fn finish(&mut self, conn: &mut DbConnection, complete: bool) -> Result<(), ImportError> {
        store::lock_for_writing(conn)?;
        // Before the recounts, which read them.
        import_indexes::restore_indexes(conn)?;
        if complete {
            let dropped = store::drop_deleted_leaves(conn, self.source)? as u64;
            if dropped > 0 {
                *self
                    .report
                    .skipped
                    .entry("deleted without replies".into())
                    .or_default() += dropped;
                self.report.comments_created = self.report.comments_created.saturating_sub(dropped);
                if let Some(n) = self.report.by_status.get_mut("deleted") {
                    *n = n.saturating_sub(dropped);
                }
            }
        }
        self.report.parent_missing += store::count_waiting(conn, self.source)? as u64;
        let articles = store::targets(conn, self.source, &["thread"])?;
        store::recount_articles(conn, &articles)?;
        let users = store::targets(conn, self.source, authors::KINDS)?;
        if self.into_empty_site {
            store::recount_users_by_scan(conn, &users)?;
        } else {
            store::recount_users(conn, &users)?;
        }
        Ok(())
    }
}
