//! What `tribune import` writes: the source-id map, replies waiting for their
//! parent, imported accounts, comments in bulk, and the counters made exact
//! again at the end. The rules (what maps to what) live in `crate::import`.

use super::schema::{articles, comments, import_map, import_pending};
use super::{Db, DbConnection};

mod accounts;
mod counters;
pub mod indexes;
pub mod session;

use crate::domain::{CommentStatus, Failure};
use crate::store::StoreError;
pub use accounts::{
    insert_user, is_imported, skeleton_taken, skeletons_taken, users_by_email, ImportedUser,
};
pub use counters::{recount_articles, recount_users, recount_users_by_scan, touch_articles};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use std::collections::HashMap;

diesel::alias!(comments as replies: ImportRepliesAlias);

/// The job connection's page cache on SQLite, in KiB.
const JOB_CACHE_KIB: u32 = 32768;

/// Rows per statement: far below SQLite's 32,766 bound parameters.
const CHUNK: usize = 500;

/// The map's note on comments imported as deleted, which are dropped at the
/// end of an import when no reply hangs under them.
pub const NOTE_DELETED: &str = "deleted";
/// The map's note once such a comment was dropped.
pub const NOTE_DROPPED: &str = "deleted without replies";

impl Db {
    /// A connection of its own for a long command-line job (import, export).
    /// On SQLite its page cache is 32 MiB: an import into a site that has
    /// comments updates five indexes of `comments` and the source-id map's,
    /// and they should stay in memory. Its temporary files (the sorts that
    /// build deferred indexes, `indexes`) go to disk, not to memory:
    /// a sort of a million rows would otherwise hold them all at once.
    pub fn job_connection(&self) -> Result<DbConnection, StoreError> {
        let mut conn = self
            .manager
            .open()
            .map_err(|e| Failure::caused("opening the import's connection", e))?;
        if let DbConnection::Sqlite(c) = &mut conn {
            for pragma in [
                format!("PRAGMA cache_size = -{JOB_CACHE_KIB}"),
                "PRAGMA temp_store = FILE".to_string(),
            ] {
                c.batch_execute(&pragma)?;
            }
        }
        Ok(conn)
    }
}

/// Takes SQLite's write lock at the start of a batch's transaction, so that
/// what the batch reads (the next free ids) cannot change before it writes.
/// A no-op on PostgreSQL, whose ids come from sequences.
pub fn lock_for_writing(conn: &mut DbConnection) -> Result<(), StoreError> {
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute("DELETE FROM import_pending WHERE source = ''")?;
    }
    Ok(())
}

/// What these source ids of one kind became here (`None`: read, not imported).
pub fn lookup(
    conn: &mut DbConnection,
    source: &str,
    kind: &str,
    ids: &[&str],
) -> Result<HashMap<String, Option<i64>>, StoreError> {
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(String, Option<i64>)> = import_map::table
            .filter(import_map::source.eq(source))
            .filter(import_map::kind.eq(kind))
            .filter(import_map::source_id.eq_any(chunk))
            .select((import_map::source_id, import_map::target_id))
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

/// Whether the map holds any id of this source and kind.
pub fn any_mapped(conn: &mut DbConnection, source: &str, kind: &str) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        import_map::table
            .filter(import_map::source.eq(source))
            .filter(import_map::kind.eq(kind)),
    ))
    .get_result(conn)?)
}

/// The highest comment id (`None`: no comment). On SQLite, inside a batch's
/// transaction, it tells whether anyone else wrote since the last batch.
pub fn max_comment_id(conn: &mut DbConnection) -> Result<Option<i64>, StoreError> {
    Ok(comments::table
        .select(diesel::dsl::max(comments::id))
        .first(conn)?)
}

/// The parents replies of this source wait for.
pub fn awaited_parents(conn: &mut DbConnection, source: &str) -> Result<Vec<String>, StoreError> {
    Ok(import_pending::table
        .filter(import_pending::source.eq(source))
        .select(import_pending::parent_source_id)
        .load(conn)?)
}

/// `None` is bound as NULL, so the statement is the same for every row.
#[derive(Debug, Insertable)]
#[diesel(table_name = import_map, treat_none_as_default_value = false)]
pub struct MapRow {
    pub source: &'static str,
    pub kind: &'static str,
    pub source_id: String,
    pub target_id: Option<i64>,
    pub note: Option<&'static str>,
}

/// Rows per statement on SQLite, where the statement of a fixed number of
/// rows is prepared once and kept by diesel (a statement of any number of
/// rows would be built and prepared again each time).
const PREPARED_ROWS: usize = 32;

/// On SQLite through statements prepared once (`PREPARED_ROWS` rows, then one
/// at a time for the rest). On PostgreSQL, whose every statement is a round
/// trip, as many rows as one statement takes.
pub fn record(conn: &mut DbConnection, rows: &[MapRow]) -> Result<(), StoreError> {
    match conn {
        DbConnection::Sqlite(c) => {
            let mut chunks = rows.chunks_exact(PREPARED_ROWS);
            for chunk in &mut chunks {
                let chunk: &[MapRow; PREPARED_ROWS] = chunk.try_into().expect("an exact chunk");
                diesel::insert_into(import_map::table)
                    .values(chunk)
                    .execute(c)?;
            }
            for row in chunks.remainder() {
                diesel::insert_into(import_map::table)
                    .values(row)
                    .execute(c)?;
            }
        }
        DbConnection::Postgres(c) => {
            for chunk in rows.chunks(CHUNK) {
                diesel::insert_into(import_map::table)
                    .values(chunk)
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// Ids for `n` new comments, taken inside the batch's transaction.
pub fn reserve_comment_ids(conn: &mut DbConnection, n: usize) -> Result<Vec<i64>, StoreError> {
    if n == 0 {
        return Ok(Vec::new());
    }
    match conn {
        // The batch holds the write lock (`lock_for_writing`): nobody else
        // inserts until it commits, and INTEGER PRIMARY KEY takes any free id.
        DbConnection::Sqlite(c) => {
            let max: Option<i64> = comments::table
                .select(diesel::dsl::max(comments::id))
                .first(c)?;
            let first = max.unwrap_or(0) + 1;
            Ok((first..first + n as i64).collect())
        }
        DbConnection::Postgres(c) => {
            #[derive(QueryableByName)]
            struct Id {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                id: i64,
            }
            let ids: Vec<Id> = diesel::sql_query(
                "SELECT nextval(pg_get_serial_sequence('comments', 'id')) AS id \
                 FROM generate_series(1, $1)",
            )
            .bind::<diesel::sql_types::BigInt, _>(n as i64)
            .load(c)?;
            Ok(ids.into_iter().map(|i| i.id).collect())
        }
    }
}

/// A comment as an import writes it: id chosen, counters left to `recount_*`.
#[derive(Debug, Insertable)]
#[diesel(table_name = comments, treat_none_as_default_value = false)]
pub struct ImportedComment {
    pub id: i64,
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: Option<i64>,
    pub body: String,
    pub html: String,
    pub dir: &'static str,
    pub status: &'static str,
    pub deleted_by: Option<&'static str>,
    pub reasons: &'static str,
    pub depth: i32,
    pub dup_key: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub word_matches: &'static str,
}

/// Like `record`: statements prepared once on SQLite, as many rows as one
/// statement takes on PostgreSQL.
pub fn insert_comments(
    conn: &mut DbConnection,
    rows: &[ImportedComment],
) -> Result<(), StoreError> {
    match conn {
        DbConnection::Sqlite(c) => {
            let mut chunks = rows.chunks_exact(PREPARED_ROWS);
            for chunk in &mut chunks {
                let chunk: &[ImportedComment; PREPARED_ROWS] =
                    chunk.try_into().expect("an exact chunk");
                diesel::insert_into(comments::table)
                    .values(chunk)
                    .execute(c)?;
            }
            for row in chunks.remainder() {
                diesel::insert_into(comments::table)
                    .values(row)
                    .execute(c)?;
            }
        }
        DbConnection::Postgres(c) => {
            for chunk in rows.chunks(CHUNK / 2) {
                diesel::insert_into(comments::table)
                    .values(chunk)
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// The depth and the article of these comments.
pub fn depths(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, (i32, i64)>, StoreError> {
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(i64, i32, i64)> = comments::table
            .filter(comments::id.eq_any(chunk))
            .select((comments::id, comments::depth, comments::article_id))
            .load(conn)?;
        found.extend(rows.into_iter().map(|(id, d, a)| (id, (d, a))));
    }
    Ok(found)
}

/// Remembers replies whose parent has not been read yet.
pub fn wait_for_parents(
    conn: &mut DbConnection,
    source: &str,
    rows: &[(String, i64)],
) -> Result<(), StoreError> {
    #[derive(Insertable)]
    #[diesel(table_name = import_pending)]
    struct Pending<'a> {
        source: &'a str,
        parent_source_id: &'a str,
        child_id: i64,
    }
    let rows: Vec<Pending> = rows
        .iter()
        .map(|(parent, child)| Pending {
            source,
            parent_source_id: parent,
            child_id: *child,
        })
        .collect();
    for chunk in rows.chunks(CHUNK) {
        let insert = diesel::insert_into(import_pending::table).values(chunk);
        match conn {
            DbConnection::Sqlite(c) => insert.execute(c)?,
            DbConnection::Postgres(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// Replies that were waiting for one of these parents: (parent source id, reply id).
pub fn waiting_for(
    conn: &mut DbConnection,
    source: &str,
    parents: &[&str],
) -> Result<Vec<(String, i64)>, StoreError> {
    let mut found = Vec::new();
    for chunk in parents.chunks(CHUNK) {
        let rows: Vec<(String, i64)> = import_pending::table
            .filter(import_pending::source.eq(source))
            .filter(import_pending::parent_source_id.eq_any(chunk))
            .select((import_pending::parent_source_id, import_pending::child_id))
            .load(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

/// Hangs a reply read earlier under its parent, and moves the depth of the
/// replies already under it by as much. False (and left where it is) when the
/// parent is in another thread, or is the reply itself or one of its replies
/// (a broken input's cycle).
pub fn link(
    conn: &mut DbConnection,
    source: &str,
    parent_source_id: &str,
    child: i64,
    parent: i64,
    parent_depth: i32,
    parent_article: i64,
) -> Result<bool, StoreError> {
    let forget = |conn: &mut DbConnection| {
        diesel::delete(
            import_pending::table
                .filter(import_pending::source.eq(source))
                .filter(import_pending::parent_source_id.eq(parent_source_id))
                .filter(import_pending::child_id.eq(child)),
        )
        .execute(conn)
    };
    let (old, article): (i32, i64) = comments::table
        .find(child)
        .select((comments::depth, comments::article_id))
        .first(conn)?;
    if article != parent_article {
        forget(conn)?;
        return Ok(false);
    }
    let mut up = Some(parent);
    let mut seen = std::collections::HashSet::new();
    while let Some(id) = up {
        if id == child || !seen.insert(id) {
            forget(conn)?;
            return Ok(false);
        }
        up = comments::table
            .find(id)
            .select(comments::parent_id)
            .first::<Option<i64>>(conn)
            .optional()?
            .flatten();
    }
    let depth = parent_depth + 1;
    diesel::update(comments::table.find(child))
        .set((comments::parent_id.eq(parent), comments::depth.eq(depth)))
        .execute(conn)?;
    let shift = depth - old;
    let mut level = vec![child];
    while shift != 0 && !level.is_empty() {
        let mut next = Vec::new();
        for chunk in level.chunks(CHUNK) {
            let ids: Vec<i64> = comments::table
                .filter(comments::parent_id.eq_any(chunk))
                .select(comments::id)
                .load(conn)?;
            next.extend(ids);
        }
        for chunk in next.chunks(CHUNK) {
            diesel::update(comments::table.filter(comments::id.eq_any(chunk)))
                .set(comments::depth.eq(comments::depth + shift))
                .execute(conn)?;
        }
        level = next;
    }
    forget(conn)?;
    Ok(true)
}

/// Replies still waiting for a parent that never came (they stay at the top).
pub fn count_waiting(conn: &mut DbConnection, source: &str) -> Result<i64, StoreError> {
    Ok(import_pending::table
        .filter(import_pending::source.eq(source))
        .count()
        .get_result(conn)?)
}

/// Drops the comments this source imported as deleted that no reply hangs
/// under (a tombstone shows only above replies), and notes it in the map so
/// a re-run does not bring them back. Repeats for chains of them.
pub fn drop_deleted_leaves(conn: &mut DbConnection, source: &str) -> Result<usize, StoreError> {
    let mut dropped = 0;
    loop {
        let has_reply = diesel::dsl::exists(
            replies.filter(
                replies
                    .field(comments::parent_id)
                    .eq(comments::id.nullable()),
            ),
        );
        // From the few deleted comments (the queue index) to their map rows
        // (the target index), not through the whole map.
        let imported_as_deleted = diesel::dsl::exists(
            import_map::table
                .filter(import_map::kind.eq("comment"))
                .filter(import_map::target_id.eq(comments::id.nullable()))
                .filter(import_map::source.eq(source))
                .filter(import_map::note.eq(NOTE_DELETED)),
        );
        let ids: Vec<i64> = comments::table
            .filter(comments::status.eq(CommentStatus::Deleted.as_str()))
            .filter(imported_as_deleted)
            .filter(diesel::dsl::not(has_reply))
            .select(comments::id)
            .load(conn)?;
        if ids.is_empty() {
            return Ok(dropped);
        }
        for chunk in ids.chunks(CHUNK) {
            diesel::update(
                import_map::table
                    .filter(import_map::source.eq(source))
                    .filter(import_map::kind.eq("comment"))
                    .filter(import_map::target_id.eq_any(chunk)),
            )
            .set((
                import_map::target_id.eq(None::<i64>),
                import_map::note.eq(NOTE_DROPPED),
            ))
            .execute(conn)?;
            diesel::delete(import_pending::table.filter(import_pending::child_id.eq_any(chunk)))
                .execute(conn)?;
            diesel::delete(comments::table.filter(comments::id.eq_any(chunk))).execute(conn)?;
        }
        dropped += ids.len();
    }
}

/// The ids this source's rows of these kinds point to.
pub fn targets(
    conn: &mut DbConnection,
    source: &str,
    kinds: &[&str],
) -> Result<Vec<i64>, StoreError> {
    let mut ids: Vec<i64> = import_map::table
        .filter(import_map::source.eq(source))
        .filter(import_map::kind.eq_any(kinds))
        .filter(import_map::target_id.is_not_null())
        .select(import_map::target_id.assume_not_null())
        .load(conn)?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

pub struct NewArticleRow<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub url: Option<&'a str>,
    pub comments_open: bool,
    pub created_at: i64,
}

/// The article with this key, or a new one: (id, created).
pub fn article_for(
    conn: &mut DbConnection,
    new: &NewArticleRow<'_>,
) -> Result<(i64, bool), StoreError> {
    let existing: Option<i64> = articles::table
        .filter(articles::key.eq(new.key))
        .select(articles::id)
        .first(conn)
        .optional()?;
    if let Some(id) = existing {
        return Ok((id, false));
    }
    let row = super::models::NewArticle {
        key: new.key,
        title: new.title,
        url: new.url,
        comments_open: new.comments_open,
        moderation: None,
        created_at: new.created_at,
    };
    let id = super::insert_returning_id!(
        conn,
        diesel::insert_into(articles::table).values(&row),
        articles::id
    )?;
    Ok((id, true))
}
