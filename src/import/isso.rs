//! Isso's SQLite database: `threads(id, uri, title)` and `comments(tid, id,
//! parent, created, modified, mode, text, author, email, website, …)`.
//! mode 1 is accepted, 2 waits for moderation, 4 is deleted (Isso keeps a
//! deleted comment only while it has replies). Times are seconds (REAL).

use super::{AuthorRec, Body, Class, CommentRec, ImportError, Item, Source, ThreadRec};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Double, Integer, Nullable, Text};
use diesel::SqliteConnection;
use std::collections::VecDeque;
use std::io::Read;
use std::path::Path;

pub struct IssoSource {
    conn: SqliteConnection,
    queue: VecDeque<Item>,
    last_id: i64,
    done: u64,
    total: u64,
    finished: bool,
}

#[derive(QueryableByName)]
struct ThreadRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    uri: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    title: Option<String>,
}

#[derive(QueryableByName)]
struct CommentRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    tid: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    parent: Option<i64>,
    #[diesel(sql_type = Nullable<Double>)]
    created: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    modified: Option<f64>,
    #[diesel(sql_type = Nullable<Integer>)]
    mode: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    text: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    author: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    email: Option<String>,
}

#[derive(QueryableByName)]
struct Kind {
    #[diesel(sql_type = Text)]
    kind: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl IssoSource {
    pub fn open(path: &Path) -> Result<IssoSource, ImportError> {
        let shown = path.display().to_string();
        let mut header = [0u8; 16];
        let read = std::fs::File::open(path)
            .and_then(|mut f| f.read(&mut header))
            .map_err(|e| ImportError::Io(format!("cannot open {shown}: {e}")))?;
        if read < 16 || &header != b"SQLite format 3\0" {
            return Err(ImportError::input(
                shown,
                "not an Isso database: the file is not SQLite (its first bytes are not `SQLite format 3`)",
            ));
        }
        let url = format!("file:{}?mode=ro", path.display());
        let mut conn = SqliteConnection::establish(&url)
            .map_err(|e| ImportError::input(&shown, format!("cannot open as SQLite: {e}")))?;
        let table_error = |table: &str, e: diesel::result::Error| {
            ImportError::input(
                format!("{shown}: table `{table}`"),
                format!("not an Isso database: {e}"),
            )
        };
        // A view named `comments` (a recursive one never ends) would be run
        // by every read below: Isso's tables are tables.
        for table in ["threads", "comments"] {
            let kinds: Vec<Kind> = diesel::sql_query(
                "SELECT type AS kind FROM sqlite_master WHERE name = ? COLLATE NOCASE",
            )
            .bind::<Text, _>(table)
            .load(&mut conn)
            .map_err(|e| table_error(table, e))?;
            match kinds.first().map(|k| k.kind.as_str()) {
                Some("table") => {}
                Some(other) => {
                    return Err(ImportError::input(
                        format!("{shown}: table `{table}`"),
                        format!("not an Isso database: `{table}` is a {other}, not a table"),
                    ))
                }
                None => {
                    return Err(ImportError::input(
                        format!("{shown}: table `{table}`"),
                        format!("not an Isso database: no table `{table}`"),
                    ))
                }
            }
        }
        let threads: Vec<ThreadRow> =
            diesel::sql_query("SELECT id, uri, title FROM threads ORDER BY id")
                .load(&mut conn)
                .map_err(|e| table_error("threads", e))?;
        let total: Count = diesel::sql_query("SELECT COUNT(*) AS n FROM comments")
            .get_result(&mut conn)
            .map_err(|e| table_error("comments", e))?;
        // Every column read later, checked now, before anything is written.
        diesel::sql_query(COMMENTS.replace("LIMIT 2000", "LIMIT 1"))
            .bind::<BigInt, _>(i64::MIN)
            .load::<CommentRow>(&mut conn)
            .map_err(|e| table_error("comments", e))?;
        let queue = threads
            .into_iter()
            .map(|t| {
                Item::Thread(ThreadRec {
                    id: t.id.to_string(),
                    identifier: None,
                    url: t.uri,
                    title: t.title,
                    created_at: None,
                    closed: false,
                })
            })
            .collect();
        Ok(IssoSource {
            conn,
            queue,
            last_id: i64::MIN,
            done: 0,
            total: total.n as u64,
            finished: false,
        })
    }

    fn page(&mut self) -> Result<(), ImportError> {
        let rows: Vec<CommentRow> = diesel::sql_query(COMMENTS)
            .bind::<BigInt, _>(self.last_id)
            .load(&mut self.conn)
            .map_err(|e| ImportError::input("table `comments`", e.to_string()))?;
        if rows.is_empty() {
            self.finished = true;
        }
        for r in rows {
            self.last_id = r.id;
            let Some(tid) = r.tid else {
                return Err(ImportError::input(
                    "table `comments`",
                    format!("comment {}: no thread (tid is NULL)", r.id),
                ));
            };
            let Some(created) = r.created else {
                return Err(ImportError::input(
                    "table `comments`",
                    format!("comment {}: no creation time", r.id),
                ));
            };
            let class = match r.mode {
                Some(1) => Class::Valid,
                Some(4) => Class::Deleted,
                _ => Class::Pending,
            };
            self.queue.push_back(Item::Comment(CommentRec {
                id: r.id.to_string(),
                thread: tid.to_string(),
                parent: r.parent.map(|p| p.to_string()),
                author: AuthorRec {
                    name: r.author,
                    email: r.email,
                    user: None,
                    account: None,
                },
                body: Body::Markdown(r.text.unwrap_or_default()),
                created_at: seconds_to_ms(created),
                edited_at: r.modified.map(seconds_to_ms),
                class,
                not_a_comment: None,
            }));
        }
        Ok(())
    }
}

const COMMENTS: &str = "SELECT id, tid, parent, created, modified, mode, text, author, email \
     FROM comments WHERE id > ? ORDER BY id LIMIT 2000";

fn seconds_to_ms(s: f64) -> i64 {
    (s * 1000.0).round() as i64
}

impl Source for IssoSource {
    fn next_item(&mut self) -> Result<Option<Item>, ImportError> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                if matches!(item, Item::Comment(_)) {
                    self.done += 1;
                }
                return Ok(Some(item));
            }
            if self.finished {
                return Ok(None);
            }
            self.page()?;
        }
    }

    fn progress(&self) -> (u64, u64) {
        (self.done, self.total)
    }
}
