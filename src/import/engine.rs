//! The import itself: a reading thread prepares rows, this thread writes them
//! in batches (one transaction each) and keeps the source-id map.

use super::progress::Progress;
use super::{
    html, names, AuthorRec, Body, Class, CommentRec, Format, ImportError, Item, KeyFrom, Mapped,
    Options, Renamed, Report, Source, ThreadRec, UserRec,
};
use crate::domain::{input, CommentStatus, DeletedBy};
use crate::store::import::{self as store, ImportedComment, MapRow};
use crate::store::{Db, DbConnection};
use crate::text;
use diesel::Connection;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::Arc;
use std::time::Instant;

/// A comment's text in stored form, with what is derived from it.
struct Rendered {
    body: String,
    html: String,
    dir: &'static str,
    dup_key: String,
}

enum Prepared {
    Thread(ThreadRec),
    User(UserRec),
    Comment(Box<CommentRec>, Result<Rendered, &'static str>),
}

type Batch = Result<Vec<Prepared>, ImportError>;

/// Imports `opts.path`. On failure the report still tells what was written
/// before the failing batch.
pub fn run(db: &Db, opts: &Options) -> Result<Report, Box<(ImportError, Report)>> {
    let started = Instant::now();
    let source = open(opts).map_err(|e| Box::new((e, Report::default())))?;
    let mut conn = db
        .job_connection()
        .map_err(|e| Box::new((ImportError::Database(e), Report::default())))?;
    let read = Arc::new(AtomicU64::new(0));
    let total = Arc::new(AtomicU64::new(source.progress().1));
    let batches = spawn_reader(source, opts.batch_size, read.clone(), total.clone())
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
/// threads as there are cores; at most two batches wait at each step, so
/// memory stays bounded whatever the input's size.
fn spawn_reader(
    mut source: Box<dyn Source>,
    batch_size: usize,
    read: Arc<AtomicU64>,
    total: Arc<AtomicU64>,
) -> Result<Receiver<Batch>, ImportError> {
    let (raw_tx, raw_rx) = sync_channel::<Result<Vec<Item>, ImportError>>(2);
    let (tx, rx) = sync_channel::<Batch>(2);
    let spawn_error = |e: std::io::Error| ImportError::Io(format!("cannot start a thread: {e}"));
    std::thread::Builder::new()
        .name("tribune-import-reader".into())
        .spawn(move || {
            let mut batch = Vec::with_capacity(batch_size);
            let mut comments = 0;
            loop {
                let item = match source.next_item() {
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
    std::thread::Builder::new()
        .name("tribune-import-render".into())
        .spawn(move || {
            for batch in raw_rx {
                let prepared = batch.and_then(|items| prepare_all(items, workers));
                if tx.send(prepared).is_err() {
                    return;
                }
            }
        })
        .map_err(spawn_error)?;
    Ok(rx)
}

/// Prepares a batch's comments on `workers` threads, keeping their order.
fn prepare_all(items: Vec<Item>, workers: usize) -> Result<Vec<Prepared>, ImportError> {
    let one = |item: Item| match item {
        Item::Thread(t) => Prepared::Thread(t),
        Item::User(u) => Prepared::User(u),
        Item::Comment(c) => {
            let rendered = prepare(&c);
            Prepared::Comment(Box::new(c), rendered)
        }
    };
    if workers <= 1 || items.len() < 64 {
        return Ok(items.into_iter().map(one).collect());
    }
    let size = items.len().div_ceil(workers);
    let mut chunks: Vec<Vec<Item>> = Vec::with_capacity(workers);
    let mut items = items.into_iter();
    loop {
        let chunk: Vec<Item> = items.by_ref().take(size).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(one).collect::<Vec<_>>()))
            .collect();
        let mut all = Vec::new();
        for h in handles {
            // A bug while rendering stops the import rather than losing comments.
            all.extend(h.join().map_err(|_| {
                ImportError::Io(
                    "preparing a comment failed (a bug): nothing of this batch was written".into(),
                )
            })?);
        }
        Ok(all)
    })
}

/// Turns a source's text into Tribune's stored form and renders it the way
/// the write path does.
fn prepare(c: &CommentRec) -> Result<Rendered, &'static str> {
    if let Some(why) = c.not_a_comment {
        return Err(why);
    }
    let markdown = match &c.body {
        Body::Html(h) => html::to_markdown(h, false),
        Body::HtmlWithBreaks(h) => html::to_markdown(h, true),
        Body::Markdown(m) => m.clone(),
    };
    let body = text::normalize_body(&markdown);
    if body.is_empty() && c.class != Class::Deleted {
        return Err("empty text");
    }
    Ok(Rendered {
        html: text::render_html(&body),
        dir: text::direction(&body).as_str(),
        dup_key: text::duplicate_key(&body),
        body,
    })
}

struct Writer<'a> {
    opts: &'a Options,
    source: &'static str,
    /// Threads read whose article is not made yet (made with their first comment).
    threads: HashMap<String, ThreadRec>,
    /// Thread source id → article id.
    articles: HashMap<String, i64>,
    /// "e:<email>", "n:<name>", "u:<user id>" → account id.
    authors: HashMap<String, i64>,
    report: Report,
}

/// How the map knows an author, and their name as the source gives it.
fn author_key(a: &AuthorRec) -> Option<(AuthorKey, Option<String>)> {
    let email = a.email.as_deref().and_then(|e| input::email(e).ok());
    let name = a
        .name
        .as_deref()
        .map(text::normalize_line)
        .filter(|n| !n.is_empty());
    let key = if let Some(u) = &a.user {
        AuthorKey::User(u.clone())
    } else if let Some(e) = email {
        AuthorKey::Email(e)
    } else if let Some(n) = &name {
        AuthorKey::Name(n.clone())
    } else {
        return None;
    };
    Some((key, name))
}

/// Where a comment's author comes from, as the map keys it.
enum AuthorKey {
    Email(String),
    Name(String),
    User(String),
}

impl AuthorKey {
    fn kind(&self) -> &'static str {
        match self {
            AuthorKey::Email(_) => "email",
            AuthorKey::Name(_) => "name",
            AuthorKey::User(_) => "user",
        }
    }

    fn id(&self) -> &str {
        match self {
            AuthorKey::Email(s) | AuthorKey::Name(s) | AuthorKey::User(s) => s,
        }
    }

    fn cache_key(&self) -> String {
        format!("{}:{}", self.kind(), self.id())
    }
}

impl<'a> Writer<'a> {
    fn new(opts: &'a Options) -> Writer<'a> {
        Writer {
            opts,
            source: opts.format.as_str(),
            threads: HashMap::new(),
            articles: HashMap::new(),
            authors: HashMap::new(),
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
            } else {
                conn.transaction(|c| self.write_batch(c, batch))?;
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
        let ids: Vec<&str> = comments.iter().map(|(c, _)| c.id.as_str()).collect();
        let done = store::lookup(conn, self.source, "comment", &ids)?;
        // Parents stored by an earlier batch or run (those of this batch are
        // placed below, or linked once they are).
        let parents: Vec<&str> = comments
            .iter()
            .filter_map(|(c, _)| c.parent.as_deref())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let earlier = store::lookup(conn, self.source, "comment", &parents)?;
        let earlier_ids: Vec<i64> = earlier.values().flatten().copied().collect();
        let earlier_depths = store::depths(conn, &earlier_ids)?;

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
        let authors: Vec<(&AuthorRec, i64)> = keep
            .iter()
            .map(|(c, _, _, _)| (&c.author, c.created_at))
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
            let author = self.author(conn, &c.author, c.created_at)?;
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
                return Err(ImportError::Database(
                    "fewer ids reserved than needed".into(),
                ));
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

        // Replies read before these comments: hang them under them now.
        let arrived: Vec<&str> = placed.keys().map(String::as_str).collect();
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

    /// The article of a comment's thread, made with its first comment.
    fn article(
        &mut self,
        conn: &mut DbConnection,
        c: &CommentRec,
    ) -> Result<Option<i64>, ImportError> {
        if let Some(&id) = self.articles.get(&c.thread) {
            return Ok(Some(id));
        }
        if let Some(Some(id)) =
            store::lookup(conn, self.source, "thread", &[&c.thread])?.remove(&c.thread)
        {
            self.articles.insert(c.thread.clone(), id);
            return Ok(Some(id));
        }
        let Some(thread) = self.threads.get(&c.thread) else {
            return Ok(None);
        };
        let url = thread
            .url
            .as_deref()
            .map(|u| rewrite(u, &self.opts.rewrites));
        let key = article_key(thread, url.as_deref(), self.opts.key_from);
        let title = thread
            .title
            .as_deref()
            .and_then(|t| input::title(t).ok())
            .unwrap_or_else(|| key.clone());
        let url = url.and_then(|u| input::article_url(&u).ok());
        let (id, created) = store::article_for(
            conn,
            &store::NewArticleRow {
                key: &key,
                title: &title,
                url: url.as_deref(),
                comments_open: !thread.closed,
                created_at: thread.created_at.unwrap_or(c.created_at),
            },
        )?;
        if created {
            self.report.articles_created += 1;
        } else {
            self.report.articles_matched += 1;
        }
        store::record(
            conn,
            &[MapRow {
                source: self.source,
                kind: "thread",
                source_id: c.thread.clone(),
                target_id: Some(id),
                note: None,
            }],
        )?;
        self.articles.insert(c.thread.clone(), id);
        Ok(Some(id))
    }

    /// The account of a comment's author: found by e-mail, by the same source
    /// user, or by name within this source; made when there is none.
    fn author(
        &mut self,
        conn: &mut DbConnection,
        a: &AuthorRec,
        when: i64,
    ) -> Result<Option<i64>, ImportError> {
        let Some((key, name)) = author_key(a) else {
            return Ok(None);
        };
        let cache_key = key.cache_key();
        if let Some(&id) = self.authors.get(&cache_key) {
            return Ok(Some(id));
        }
        if let Some(Some(id)) =
            store::lookup(conn, self.source, key.kind(), &[key.id()])?.remove(key.id())
        {
            self.report.users_matched += 1;
            self.authors.insert(cache_key, id);
            return Ok(Some(id));
        }
        let id = match &key {
            // A user record of the same export that was not read: nobody.
            AuthorKey::User(_) => return Ok(None),
            AuthorKey::Email(e) => match store::users_by_email(conn, &[e])?.get(e) {
                Some(&id) => {
                    self.report.users_matched += 1;
                    id
                }
                None => self.new_user(conn, name.as_deref(), None, Some(e), when)?,
            },
            AuthorKey::Name(n) => self.new_user(conn, Some(n), None, None, when)?,
        };
        store::record(
            conn,
            &[MapRow {
                source: self.source,
                kind: key.kind(),
                source_id: key.id().to_string(),
                target_id: Some(id),
                note: None,
            }],
        )?;
        self.authors.insert(cache_key, id);
        Ok(Some(id))
    }

    /// Finds in a few statements the accounts of a batch's authors that
    /// earlier batches or runs made, or that have their e-mail, and makes the
    /// others, so that `author` then only reads the cache.
    fn prefetch_authors(
        &mut self,
        conn: &mut DbConnection,
        authors: &[(&AuthorRec, i64)],
    ) -> Result<(), ImportError> {
        let mut wanted: Vec<(AuthorKey, Option<String>, i64)> = Vec::new();
        let mut seen = HashSet::new();
        for (a, when) in authors {
            if let Some((key, name)) = author_key(a) {
                let cache_key = key.cache_key();
                if !self.authors.contains_key(&cache_key) && seen.insert(cache_key) {
                    wanted.push((key, name, *when));
                }
            }
        }
        if wanted.is_empty() {
            return Ok(());
        }
        for kind in ["email", "name", "user"] {
            let ids: Vec<&str> = wanted
                .iter()
                .filter(|(k, _, _)| k.kind() == kind)
                .map(|(k, _, _)| k.id())
                .collect();
            if ids.is_empty() {
                continue;
            }
            for (id, target) in store::lookup(conn, self.source, kind, &ids)? {
                if let Some(target) = target {
                    self.report.users_matched += 1;
                    self.authors.insert(format!("{kind}:{id}"), target);
                }
            }
        }
        wanted.retain(|(k, _, _)| {
            !matches!(k, AuthorKey::User(_)) && !self.authors.contains_key(&k.cache_key())
        });
        let emails: Vec<&str> = wanted
            .iter()
            .filter_map(|(k, _, _)| match k {
                AuthorKey::Email(e) => Some(e.as_str()),
                _ => None,
            })
            .collect();
        let existing = store::users_by_email(conn, &emails)?;
        let mut map = Vec::new();
        // The names most new accounts will get, checked in one statement.
        let bases: Vec<String> = wanted
            .iter()
            .filter(|(k, _, _)| !matches!(k, AuthorKey::Email(e) if existing.contains_key(e)))
            .map(|(_, name, _)| {
                text::username_skeleton(&names::base_username(name.as_deref().unwrap_or("")).0)
            })
            .collect();
        let bases: Vec<&str> = bases.iter().map(String::as_str).collect();
        let mut taken = store::skeletons_taken(conn, &bases)?;
        for (key, name, when) in &wanted {
            let id = match key {
                AuthorKey::Email(e) if existing.contains_key(e) => {
                    self.report.users_matched += 1;
                    existing[e]
                }
                AuthorKey::Email(e) => self.new_user_checked(
                    conn,
                    name.as_deref(),
                    None,
                    Some(e),
                    *when,
                    Some(&mut taken),
                )?,
                _ => self.new_user_checked(
                    conn,
                    name.as_deref(),
                    None,
                    None,
                    *when,
                    Some(&mut taken),
                )?,
            };
            map.push(MapRow {
                source: self.source,
                kind: key.kind(),
                source_id: key.id().to_string(),
                target_id: Some(id),
                note: None,
            });
            self.authors.insert(key.cache_key(), id);
        }
        store::record(conn, &map)?;
        Ok(())
    }

    /// An account of a Tribune export.
    fn user_record(&mut self, conn: &mut DbConnection, u: &UserRec) -> Result<(), ImportError> {
        let key = AuthorKey::User(u.id.clone());
        if let Some(Some(id)) = store::lookup(conn, self.source, "user", &[&u.id])?.remove(&u.id) {
            self.authors.insert(key.cache_key(), id);
            return Ok(());
        }
        let email = u.email.as_deref().and_then(|e| input::email(e).ok());
        let existing = match &email {
            Some(e) => store::users_by_email(conn, &[e])?.get(e).copied(),
            None => None,
        };
        let id = match existing {
            Some(id) => {
                self.report.users_matched += 1;
                id
            }
            None => {
                let display = u.display_name.as_deref().unwrap_or(&u.username);
                self.new_user(
                    conn,
                    Some(display),
                    Some(&u.username),
                    email.as_deref(),
                    u.created_at,
                )?
            }
        };
        store::record(
            conn,
            &[MapRow {
                source: self.source,
                kind: "user",
                source_id: u.id.clone(),
                target_id: Some(id),
                note: None,
            }],
        )?;
        self.authors.insert(key.cache_key(), id);
        Ok(())
    }

    fn new_user(
        &mut self,
        conn: &mut DbConnection,
        display: Option<&str>,
        username: Option<&str>,
        email: Option<&str>,
        when: i64,
    ) -> Result<i64, ImportError> {
        self.new_user_checked(conn, display, username, email, when, None)
    }

    /// `bulk`: the skeletons of the batch's base names that are taken (read
    /// in one statement) and those given since; the base name is then not
    /// looked up again, and the new account's skeleton is added.
    fn new_user_checked(
        &mut self,
        conn: &mut DbConnection,
        display: Option<&str>,
        username: Option<&str>,
        email: Option<&str>,
        when: i64,
        bulk: Option<&mut HashSet<String>>,
    ) -> Result<i64, ImportError> {
        let original = username.or(display).unwrap_or("");
        let (base, refused) = names::base_username(original);
        let mut n = 1;
        let (username, skeleton) = loop {
            let candidate = names::variant(&base, n);
            let skeleton = text::username_skeleton(&candidate);
            let taken = match bulk.as_deref() {
                Some(set) if set.contains(&skeleton) => true,
                Some(_) if n == 1 => false,
                _ => store::skeleton_taken(conn, &skeleton)?,
            };
            if !taken {
                break (candidate, skeleton);
            }
            n += 1;
        };
        if let Some(set) = bulk {
            set.insert(skeleton.clone());
        }
        if username != original {
            self.report.renamed.push(Renamed {
                original: original.to_string(),
                username: username.clone(),
                why: match refused {
                    Some(why) => why,
                    None => "already taken",
                },
            });
        }
        let display = names::display_name(display.unwrap_or(&username), &username);
        let id = store::insert_user(
            conn,
            &store::ImportedUser {
                username: &username,
                skeleton: &skeleton,
                email,
                display_name: &display,
                original_name: Some(original),
                locale: &self.opts.locale,
                created_at: when,
                source: self.source,
            },
        )?;
        self.report.users_created += 1;
        Ok(id)
    }

    /// Settles what the batches left: tombstones without replies (once the
    /// whole input was read), replies whose parent never came, counters.
    fn finish(&mut self, conn: &mut DbConnection, complete: bool) -> Result<(), ImportError> {
        store::lock_for_writing(conn)?;
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
        let users = store::targets(conn, self.source, &["email", "name", "user"])?;
        store::recount_users(conn, &users)?;
        Ok(())
    }
}

/// Applies the first `--rewrite-url` whose OLD starts the URL.
pub fn rewrite(url: &str, rewrites: &[(String, String)]) -> String {
    for (old, new) in rewrites {
        if let Some(rest) = url.strip_prefix(old.as_str()) {
            return format!("{new}{rest}");
        }
    }
    url.to_string()
}

/// The article key of a thread: its identifier (by default), or the URL's
/// host and path, or its path; the query string is kept (`?p=12` names a
/// page on many sites), tracking parameters and the fragment are not.
pub fn article_key(thread: &ThreadRec, url: Option<&str>, from: KeyFrom) -> String {
    let identifier = thread
        .identifier
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let raw = match (from, identifier) {
        (KeyFrom::Identifier, Some(id)) => id.to_string(),
        _ => match url.map(|u| url_part(u, from == KeyFrom::Url)) {
            Some(part) if !part.is_empty() => part,
            _ => identifier
                .map(str::to_string)
                .unwrap_or_else(|| format!("thread-{}", thread.id)),
        },
    };
    key_of(&raw)
}

fn url_part(raw: &str, with_host: bool) -> String {
    let parsed = url::Url::parse(raw).or_else(|_| url::Url::parse("http://h/")?.join(raw));
    let Ok(u) = parsed else {
        return raw.to_string();
    };
    let mut out = String::new();
    if with_host {
        out.push_str(u.host_str().unwrap_or(""));
    }
    out.push_str(&percent_decode(u.path()));
    let query: Vec<String> = u
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("utm_") && k != "fbclid")
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query.join("&"));
    }
    out
}

/// `%D8%A7` back to the characters it encodes (invalid UTF-8 stays encoded).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// A valid article key (`[A-Za-z0-9][A-Za-z0-9._-]{0,127}`) for any text:
/// other characters become `-`; a long one is cut and given a hash.
pub fn key_of(raw: &str) -> String {
    if input::is_article_key(raw) {
        return raw.to_string();
    }
    let mut key = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            c
        } else {
            '-'
        };
        if c == '-' && (key.is_empty() || key.ends_with('-')) {
            continue;
        }
        key.push(c);
    }
    let trimmed = key
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .trim_end_matches('-');
    let mut key = trimmed.to_string();
    if key.is_empty() {
        key = "index".into();
    }
    if key.len() > 128 || key != raw.trim_matches('/') && !raw.is_ascii() {
        // Non-ASCII paths would all fold to the same dashes: keep them apart.
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(raw.as_bytes());
        let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        key.truncate(118);
        let key = key.trim_end_matches('-');
        return format!("{key}-{hash}");
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread(identifier: Option<&str>) -> ThreadRec {
        ThreadRec {
            id: "7".into(),
            identifier: identifier.map(str::to_string),
            ..ThreadRec::default()
        }
    }

    #[test]
    fn keys_from_identifier_url_or_path() {
        let url = Some("https://www.example.com/2013/01/mon-article/?utm_source=x&id=4#c");
        assert_eq!(
            article_key(&thread(Some("article-12")), url, KeyFrom::Identifier),
            "article-12"
        );
        // An empty identifier falls back to the path.
        assert_eq!(
            article_key(&thread(Some("  ")), url, KeyFrom::Identifier),
            "2013-01-mon-article-id-4"
        );
        assert_eq!(
            article_key(&thread(Some("x")), url, KeyFrom::Path),
            "2013-01-mon-article-id-4"
        );
        assert_eq!(
            article_key(&thread(None), url, KeyFrom::Url),
            "www.example.com-2013-01-mon-article-id-4"
        );
        assert_eq!(article_key(&thread(None), None, KeyFrom::Path), "thread-7");
        assert_eq!(
            article_key(&thread(None), Some("/"), KeyFrom::Path),
            "index"
        );
    }

    #[test]
    fn query_strings_tell_pages_apart() {
        let a = article_key(
            &thread(None),
            Some("http://e.com/index.php?p=1"),
            KeyFrom::Path,
        );
        let b = article_key(
            &thread(None),
            Some("http://e.com/index.php?p=2"),
            KeyFrom::Path,
        );
        assert_eq!(a, "index.php-p-1");
        assert_ne!(a, b);
    }

    #[test]
    fn non_ascii_and_long_keys_stay_apart() {
        let a = key_of("/مقال-أول/");
        let b = key_of("/مقال-ثان/");
        assert_ne!(a, b);
        assert!(input::is_article_key(&a), "{a}");
        let long = key_of(&"x/".repeat(200));
        assert!(input::is_article_key(&long), "{long}");
    }

    #[test]
    fn rewrites_apply_the_first_matching_prefix() {
        let r = vec![
            (
                "http://old.example".to_string(),
                "https://new.example".to_string(),
            ),
            ("http://".to_string(), "https://".to_string()),
        ];
        assert_eq!(rewrite("http://old.example/a", &r), "https://new.example/a");
        assert_eq!(rewrite("http://other/a", &r), "https://other/a");
        assert_eq!(rewrite("ftp://x", &r), "ftp://x");
    }
}
