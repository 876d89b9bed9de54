//! Tribune's own format (`tribune export`): JSON lines, a header first, then
//! one record per article, user and comment. Documented in docs/export-format.md.

use super::{AuthorRec, Body, Class, CommentRec, ImportError, Item, Source, ThreadRec, UserRec};
use crate::domain::time;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// The format's name in the header.
pub const FORMAT: &str = "tribune";
/// The version this Tribune writes and the newest it reads.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub format: String,
    pub version: u32,
    pub exported_at: String,
    pub articles: u64,
    pub users: u64,
    pub comments: u64,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Record {
    Article {
        id: i64,
        key: String,
        title: String,
        url: Option<String>,
        comments_open: bool,
        moderation: Option<String>,
        created_at: String,
    },
    User {
        id: i64,
        username: String,
        display_name: Option<String>,
        email: Option<String>,
        role: String,
        locale: String,
        created_at: String,
        imported: bool,
    },
    Comment {
        id: i64,
        article: i64,
        parent: Option<i64>,
        author: Option<i64>,
        body: String,
        status: String,
        deleted_by: Option<String>,
        created_at: String,
        edited_at: Option<String>,
    },
}

/// Milliseconds as RFC 3339 with milliseconds, in UTC.
pub fn stamp(ms: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

pub struct TribuneSource {
    lines: std::io::Lines<BufReader<File>>,
    path: PathBuf,
    line: u64,
    read: u64,
    total: u64,
}

impl TribuneSource {
    pub fn open(path: &Path) -> Result<TribuneSource, ImportError> {
        let file = File::open(path)
            .map_err(|e| ImportError::Io(format!("cannot open {}: {e}", path.display())))?;
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut source = TribuneSource {
            lines: BufReader::new(file).lines(),
            path: path.to_path_buf(),
            line: 0,
            read: 0,
            total,
        };
        let first = source.next_line()?.unwrap_or_default();
        let header: Header = serde_json::from_str(&first).map_err(|e| {
            source.error(
                e.column() as u64,
                format!("not a Tribune export: the first line is not its header ({e})"),
            )
        })?;
        if header.format != FORMAT {
            return Err(source.error(
                1,
                format!("not a Tribune export: format `{}`", header.format),
            ));
        }
        if header.version > VERSION || header.version == 0 {
            return Err(source.error(
                1,
                format!(
                    "export format version {} is not one this Tribune reads (1 to {VERSION})",
                    header.version
                ),
            ));
        }
        Ok(source)
    }

    fn next_line(&mut self) -> Result<Option<String>, ImportError> {
        match self.lines.next() {
            None => Ok(None),
            Some(Ok(l)) => {
                self.line += 1;
                self.read += l.len() as u64 + 1;
                Ok(Some(l))
            }
            Some(Err(e)) => Err(self.error(0, format!("cannot read: {e}"))),
        }
    }

    fn error(&self, column: u64, message: String) -> ImportError {
        ImportError::input(
            format!(
                "{}: line {}, column {column}",
                self.path.display(),
                self.line
            ),
            message,
        )
    }

    fn time(&self, s: &str, what: &str) -> Result<i64, ImportError> {
        time::parse(s).ok_or_else(|| self.error(1, format!("{what} `{s}` is not an RFC 3339 date")))
    }
}

impl Source for TribuneSource {
    fn next_item(&mut self) -> Result<Option<Item>, ImportError> {
        loop {
            let Some(line) = self.next_line()? else {
                return Ok(None);
            };
            if line.trim().is_empty() {
                continue;
            }
            let record: Record = serde_json::from_str(&line)
                .map_err(|e| self.error(e.column() as u64, e.to_string()))?;
            return Ok(Some(match record {
                Record::Article {
                    id,
                    key,
                    title,
                    url,
                    comments_open,
                    created_at,
                    ..
                } => Item::Thread(ThreadRec {
                    id: id.to_string(),
                    identifier: Some(key),
                    url,
                    title: Some(title),
                    created_at: Some(self.time(&created_at, "created_at")?),
                    closed: !comments_open,
                }),
                Record::User {
                    id,
                    username,
                    display_name,
                    email,
                    created_at,
                    ..
                } => Item::User(UserRec {
                    id: id.to_string(),
                    username,
                    display_name,
                    email,
                    created_at: self.time(&created_at, "created_at")?,
                }),
                Record::Comment {
                    id,
                    article,
                    parent,
                    author,
                    body,
                    status,
                    created_at,
                    edited_at,
                    ..
                } => {
                    let class = match status.as_str() {
                        "approved" => Class::Valid,
                        "pending" => Class::Pending,
                        "rejected" => Class::Spam,
                        "deleted" => Class::Deleted,
                        other => {
                            return Err(
                                self.error(1, format!("comment {id}: unknown status `{other}`"))
                            )
                        }
                    };
                    let edited_at = match edited_at {
                        Some(e) => Some(self.time(&e, "edited_at")?),
                        None => None,
                    };
                    Item::Comment(CommentRec {
                        id: id.to_string(),
                        thread: article.to_string(),
                        parent: parent.map(|p| p.to_string()),
                        author: AuthorRec {
                            name: None,
                            email: None,
                            user: author.map(|a| a.to_string()),
                            account: None,
                        },
                        body: Body::Markdown(body),
                        created_at: self.time(&created_at, "created_at")?,
                        edited_at,
                        class,
                        not_a_comment: None,
                    })
                }
            }));
        }
    }

    fn progress(&self) -> (u64, u64) {
        (self.read, self.total)
    }
}
