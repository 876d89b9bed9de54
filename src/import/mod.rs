//! `tribune import` and `tribune export`: moving a site's comments in from
//! Disqus, WordPress or Isso (or another Tribune), and out again.
//!
//! A source is read as a stream of items (threads, users, comments); a
//! reading thread turns them into rows ready to store (bodies sanitized and
//! rendered like the write path's), and this thread writes them in large
//! batches, one transaction each, recording every source id in `import_map`
//! so that a second run, or a run after a crash, adds nothing twice.

pub mod command;
pub mod disqus;
mod engine;
pub mod export;
pub mod html;
pub mod isso;
pub use crate::text::names;
mod progress;
pub mod tribune;
pub mod wordpress;
mod xml;

pub use engine::run;

use crate::domain::{CommentStatus, Failure};
use crate::store::StoreError;
use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

/// The formats `tribune import` reads (`--format`, named as in `as_str`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Disqus,
    Wordpress,
    Isso,
    Tribune,
}

impl Format {
    /// Also the `source` column of `import_map`: ids are mapped per format.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Disqus => "disqus",
            Format::Wordpress => "wordpress",
            Format::Isso => "isso",
            Format::Tribune => "tribune",
        }
    }
}

/// How a thread becomes an article key (`--key-from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum KeyFrom {
    /// The source's identifier, or the URL's path when it has none.
    #[default]
    Identifier,
    /// Host, path and query of the URL.
    Url,
    /// Path and query of the URL.
    Path,
}

/// Where a comment stood in its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    Valid,
    Pending,
    Spam,
    Deleted,
}

impl Class {
    pub fn parse(s: &str) -> Option<Class> {
        match s {
            "valid" => Some(Class::Valid),
            "pending" => Some(Class::Pending),
            "spam" => Some(Class::Spam),
            "deleted" => Some(Class::Deleted),
            _ => None,
        }
    }
}

/// What a class becomes here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mapped {
    Status(CommentStatus),
    /// Not imported.
    Skip,
}

/// spam → rejected; deleted → deleted (kept only as a tombstone above live
/// replies); pending → pending; valid → approved. `--as-status` overrides.
#[derive(Debug, Clone)]
pub struct StatusMap(BTreeMap<Class, Mapped>);

impl Default for StatusMap {
    fn default() -> Self {
        StatusMap(BTreeMap::from([
            (Class::Valid, Mapped::Status(CommentStatus::Approved)),
            (Class::Pending, Mapped::Status(CommentStatus::Pending)),
            (Class::Spam, Mapped::Status(CommentStatus::Rejected)),
            (Class::Deleted, Mapped::Status(CommentStatus::Deleted)),
        ]))
    }
}

impl StatusMap {
    /// Applies one `--as-status CLASS=STATUS` (STATUS: approved, pending,
    /// rejected, deleted, or skip).
    pub fn set(&mut self, spec: &str) -> Result<(), String> {
        let usage = || {
            format!(
                "--as-status {spec}: expected CLASS=STATUS with CLASS one of valid, pending, spam, \
                 deleted and STATUS one of approved, pending, rejected, deleted, skip"
            )
        };
        let (class, status) = spec.split_once('=').ok_or_else(usage)?;
        let class = Class::parse(class.trim()).ok_or_else(usage)?;
        let status = match status.trim() {
            "skip" => Mapped::Skip,
            s => Mapped::Status(CommentStatus::parse(s).ok_or_else(usage)?),
        };
        self.0.insert(class, status);
        Ok(())
    }

    pub fn get(&self, class: Class) -> Mapped {
        self.0.get(&class).copied().unwrap_or(Mapped::Skip)
    }
}

/// Everything `tribune import` was asked.
#[derive(Debug, Clone)]
pub struct Options {
    pub format: Format,
    pub path: PathBuf,
    pub dry_run: bool,
    pub key_from: KeyFrom,
    /// `--rewrite-url OLD=NEW`: URL prefixes replaced, in order, first match wins.
    pub rewrites: Vec<(String, String)>,
    pub statuses: StatusMap,
    /// Comments per transaction.
    pub batch_size: usize,
    /// Draw a progress bar (on a terminal).
    pub progress: bool,
    /// Locale of the accounts made (the site's default).
    pub locale: String,
    /// `--strict`: stop at the first record that cannot be placed, instead
    /// of skipping and counting it.
    pub strict: bool,
}

impl Options {
    pub fn new(format: Format, path: PathBuf) -> Options {
        Options {
            format,
            path,
            dry_run: false,
            key_from: KeyFrom::default(),
            rewrites: Vec::new(),
            statuses: StatusMap::default(),
            batch_size: 5000,
            progress: false,
            locale: "fr".into(),
            strict: false,
        }
    }

    /// Parses one `--rewrite-url OLD=NEW`.
    pub fn add_rewrite(&mut self, spec: &str) -> Result<(), String> {
        match spec.split_once('=') {
            Some((old, new)) if !old.is_empty() => {
                self.rewrites.push((old.to_string(), new.to_string()));
                Ok(())
            }
            _ => Err(format!(
                "--rewrite-url {spec}: expected OLD=NEW, e.g. http://old.example=https://new.example"
            )),
        }
    }
}

/// A page comments hang under, as the source describes it.
#[derive(Debug, Clone, Default)]
pub struct ThreadRec {
    pub id: String,
    pub identifier: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub created_at: Option<i64>,
    pub closed: bool,
}

/// Who wrote a comment, as the source knows them.
#[derive(Debug, Clone, Default)]
pub struct AuthorRec {
    pub name: Option<String>,
    pub email: Option<String>,
    /// A user record of the same source (Tribune's own format).
    pub user: Option<String>,
    /// The source's own id of a registered author (Disqus's username,
    /// WordPress's user id); `None` for anonymous authors.
    pub account: Option<String>,
}

/// A comment's text as the source stores it.
#[derive(Debug, Clone)]
pub enum Body {
    /// Disqus: HTML.
    Html(String),
    /// WordPress: HTML where line breaks count (it adds `<p>` and `<br>` when showing).
    HtmlWithBreaks(String),
    /// Isso and Tribune: Markdown, as stored here.
    Markdown(String),
}

#[derive(Debug, Clone)]
pub struct CommentRec {
    pub id: String,
    pub thread: String,
    pub parent: Option<String>,
    pub author: AuthorRec,
    pub body: Body,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub class: Class,
    /// Not a comment at all (a WordPress pingback, say): why it is skipped.
    pub not_a_comment: Option<&'static str>,
}

/// An account of a Tribune export.
#[derive(Debug, Clone)]
pub struct UserRec {
    pub id: String,
    pub username: String,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub enum Item {
    Thread(ThreadRec),
    User(UserRec),
    Comment(CommentRec),
    /// A record that cannot be placed (no id to key it by): skipped and
    /// counted, or the end of the import with `--strict`.
    Skipped(Skip),
}

/// A record the source could not place: why, where, and how many comments
/// went with it.
#[derive(Debug, Clone)]
pub struct Skip {
    pub why: &'static str,
    /// Line and column; empty past the first `SKIPS_SHOWN` of a source
    /// (finding a line reads the file again from its start).
    pub at: String,
    pub comments: u64,
}

/// How many skipped records the summary shows with their position.
pub const SKIPS_SHOWN: usize = 20;

/// A source: the next item, and how far into the input it is.
pub trait Source: Send {
    fn next_item(&mut self) -> Result<Option<Item>, ImportError>;
    /// (done, total) in the unit the source counts in (bytes, rows).
    fn progress(&self) -> (u64, u64);
}

/// Why an import stopped.
#[derive(Debug)]
pub enum ImportError {
    /// The input is not what it should be; `at` names the line and column, or the table.
    Input {
        at: String,
        message: String,
    },
    Io(String),
    /// The store failed; written with its whole chain of causes.
    Database(StoreError),
}

impl ImportError {
    pub fn input(at: impl Into<String>, message: impl Into<String>) -> ImportError {
        ImportError::Input {
            at: at.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Input { at, message } => write!(f, "{at}: {message}"),
            ImportError::Io(m) => write!(f, "{m}"),
            ImportError::Database(e) => write!(f, "{}", Failure::chain(e)),
        }
    }
}

impl From<StoreError> for ImportError {
    fn from(e: StoreError) -> Self {
        ImportError::Database(e)
    }
}

impl From<diesel::result::Error> for ImportError {
    fn from(e: diesel::result::Error) -> Self {
        ImportError::Database(e.into())
    }
}

/// A name an account got that is not the name its author had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renamed {
    pub original: String,
    pub username: String,
    pub why: &'static str,
}

/// How many of the names changed the summary lists (and the report keeps).
pub const RENAMED_SHOWN: usize = 50;

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub threads_read: u64,
    pub comments_read: u64,
    pub articles_created: u64,
    pub articles_matched: u64,
    pub comments_created: u64,
    pub users_created: u64,
    /// Authors found again: made by an earlier run (or, for a Tribune export,
    /// an account with the same e-mail).
    pub users_matched: u64,
    pub already_imported: u64,
    /// Comments not imported, by reason.
    pub skipped: BTreeMap<String, u64>,
    /// Records that could not be placed: the first `SKIPS_SHOWN`, as
    /// (reason, position), and how many there were in all.
    pub skipped_at: Vec<(String, String)>,
    pub skipped_records: u64,
    /// Replies whose parent was never read: kept at the top of their thread.
    pub parent_missing: u64,
    /// Replies whose parent is in another thread, or is one of their own
    /// replies (a broken input): kept at the top of their thread.
    pub replies_unlinked: u64,
    /// The first `RENAMED_SHOWN` names changed (the summary shows them).
    pub renamed: Vec<Renamed>,
    /// All the names changed.
    pub renamed_count: u64,
    pub by_status: BTreeMap<&'static str, u64>,
    pub seconds: f64,
    pub dry_run: bool,
}

impl Report {
    pub fn skip(&mut self, why: &str) {
        *self.skipped.entry(why.to_string()).or_default() += 1;
    }

    /// A record the source could not place.
    pub fn skip_record(&mut self, skip: &Skip) {
        if skip.comments > 0 {
            *self.skipped.entry(skip.why.to_string()).or_default() += skip.comments;
        }
        self.skipped_records += 1;
        if self.skipped_at.len() < SKIPS_SHOWN {
            self.skipped_at
                .push((skip.why.to_string(), skip.at.clone()));
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if self.dry_run {
            "would be created (dry run: nothing written)"
        } else {
            "created"
        };
        writeln!(
            f,
            "read: {} threads, {} comments in {:.1} s ({:.0} comments/s)",
            self.threads_read,
            self.comments_read,
            self.seconds,
            self.comments_read as f64 / self.seconds.max(1e-3)
        )?;
        writeln!(
            f,
            "{verb}: {} articles, {} comments, {} users",
            self.articles_created, self.comments_created, self.users_created
        )?;
        if !self.by_status.is_empty() {
            let parts: Vec<String> = self
                .by_status
                .iter()
                .map(|(s, n)| format!("{n} {s}"))
                .collect();
            writeln!(f, "comments by status: {}", parts.join(", "))?;
        }
        writeln!(
            f,
            "found again: {} articles with the same key, {} authors (earlier run, or a Tribune export's account with the same e-mail)",
            self.articles_matched, self.users_matched
        )?;
        if self.already_imported > 0 {
            writeln!(
                f,
                "already imported by an earlier run: {} comments",
                self.already_imported
            )?;
        }
        let skipped: u64 = self.skipped.values().sum();
        writeln!(f, "comments skipped: {skipped}")?;
        for (why, n) in &self.skipped {
            writeln!(f, "  {n} {why}")?;
        }
        if self.skipped_records > 0 {
            writeln!(
                f,
                "records that could not be placed (--strict stops at the first): {}",
                self.skipped_records
            )?;
            for (why, at) in &self.skipped_at {
                writeln!(f, "  {at}: {why}")?;
            }
            let shown = self.skipped_at.len() as u64;
            if self.skipped_records > shown {
                writeln!(f, "  … and {} more", self.skipped_records - shown)?;
            }
        }
        if self.parent_missing > 0 {
            writeln!(
                f,
                "replies whose parent is not in the input (kept at the top of their thread): {}",
                self.parent_missing
            )?;
        }
        if self.replies_unlinked > 0 {
            writeln!(
                f,
                "replies whose parent is in another thread or among their own replies \
                 (kept at the top of their thread): {}",
                self.replies_unlinked
            )?;
        }
        writeln!(f, "names changed: {}", self.renamed_count)?;
        for r in self.renamed.iter().take(RENAMED_SHOWN) {
            writeln!(f, "  {:?} → {} ({})", r.original, r.username, r.why)?;
        }
        let shown = self.renamed.len().min(RENAMED_SHOWN) as u64;
        if self.renamed_count > shown {
            writeln!(f, "  … and {} more", self.renamed_count - shown)?;
        }
        Ok(())
    }
}
