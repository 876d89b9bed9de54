//! What `tribune import` writes: the source-id map, replies waiting for their
//! parent, imported accounts, comments in bulk, and the counters made exact
//! again at the end. The rules (what maps to what) live in `crate::import`.

use super::schema::{articles, comments, import_map, import_pending, imported_users, users};
use super::{Db, DbConnection};
use crate::domain::CommentStatus;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::QueryResult;
use std::collections::HashMap;

diesel::alias!(comments as replies: ImportRepliesAlias);

/// Rows per statement: far below SQLite's 32,766 bound parameters.
const CHUNK: usize = 500;

/// The map's note on comments imported as deleted, which are dropped at the
/// end of an import when no reply hangs under them.
pub const NOTE_DELETED: &str = "deleted";
/// The map's note once such a comment was dropped.
pub const NOTE_DROPPED: &str = "deleted without replies";

impl Db {
    /// A connection of its own for a long command-line job (import, export).
    /// On SQLite its page cache is 32 MiB: an import updates five indexes of
    /// `comments` and the source-id map's, and they should stay in memory.
    pub fn job_connection(&self) -> Result<DbConnection, String> {
        let mut conn = self.manager.open().map_err(|e| e.to_string())?;
        if let DbConnection::Sqlite(c) = &mut conn {
            c.batch_execute("PRAGMA cache_size = -32768")
                .map_err(|e| e.to_string())?;
        }
        Ok(conn)
    }
}

/// Takes SQLite's write lock at the start of a batch's transaction, so that
/// what the batch reads (the next free ids) cannot change before it writes.
/// A no-op on PostgreSQL, whose ids come from sequences.
pub fn lock_for_writing(conn: &mut DbConnection) -> QueryResult<()> {
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
) -> QueryResult<HashMap<String, Option<i64>>> {
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

#[derive(Debug, Insertable)]
#[diesel(table_name = import_map)]
pub struct MapRow {
    pub source: &'static str,
    pub kind: &'static str,
    pub source_id: String,
    pub target_id: Option<i64>,
    pub note: Option<&'static str>,
}

pub fn record(conn: &mut DbConnection, rows: &[MapRow]) -> QueryResult<()> {
    for chunk in rows.chunks(CHUNK) {
        let insert = diesel::insert_into(import_map::table).values(chunk);
        match conn {
            DbConnection::Sqlite(c) => insert.execute(c)?,
            DbConnection::Postgres(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// Ids for `n` new comments, taken inside the batch's transaction.
pub fn reserve_comment_ids(conn: &mut DbConnection, n: usize) -> QueryResult<Vec<i64>> {
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
#[diesel(table_name = comments)]
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

pub fn insert_comments(conn: &mut DbConnection, rows: &[ImportedComment]) -> QueryResult<()> {
    for chunk in rows.chunks(CHUNK / 2) {
        let insert = diesel::insert_into(comments::table).values(chunk);
        match conn {
            DbConnection::Sqlite(c) => insert.execute(c)?,
            DbConnection::Postgres(c) => insert.execute(c)?,
        };
    }
    Ok(())
}

/// The depth and the article of these comments.
pub fn depths(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<HashMap<i64, (i32, i64)>> {
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
) -> QueryResult<()> {
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
) -> QueryResult<Vec<(String, i64)>> {
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
) -> QueryResult<bool> {
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
pub fn count_waiting(conn: &mut DbConnection, source: &str) -> QueryResult<i64> {
    import_pending::table
        .filter(import_pending::source.eq(source))
        .count()
        .get_result(conn)
}

/// Drops the comments this source imported as deleted that no reply hangs
/// under (a tombstone shows only above replies), and notes it in the map so
/// a re-run does not bring them back. Repeats for chains of them.
pub fn drop_deleted_leaves(conn: &mut DbConnection, source: &str) -> QueryResult<usize> {
    let mut dropped = 0;
    loop {
        let has_reply = diesel::dsl::exists(
            replies.filter(
                replies
                    .field(comments::parent_id)
                    .eq(comments::id.nullable()),
            ),
        );
        let ids: Vec<i64> = import_map::table
            .inner_join(comments::table.on(comments::id.nullable().eq(import_map::target_id)))
            .filter(import_map::source.eq(source))
            .filter(import_map::kind.eq("comment"))
            .filter(import_map::note.eq(NOTE_DELETED))
            .filter(comments::status.eq(CommentStatus::Deleted.as_str()))
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
pub fn targets(conn: &mut DbConnection, source: &str, kinds: &[&str]) -> QueryResult<Vec<i64>> {
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

/// Counts the approved comments of these articles again, and marks their
/// threads as changed so every cached page of them is dropped.
pub fn recount_articles(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<()> {
    for chunk in ids.chunks(CHUNK) {
        let approved = comments::table
            .filter(comments::article_id.eq(articles::id))
            .filter(comments::status.eq(CommentStatus::Approved.as_str()))
            .count()
            .single_value()
            .assume_not_null();
        diesel::update(articles::table.filter(articles::id.eq_any(chunk)))
            .set((
                articles::approved_count.eq(approved),
                articles::version.eq(articles::version + 1),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks these articles' threads as changed (a batch added comments).
pub fn touch_articles(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<()> {
    for chunk in ids.chunks(CHUNK) {
        diesel::update(articles::table.filter(articles::id.eq_any(chunk)))
            .set(articles::version.eq(articles::version + 1))
            .execute(conn)?;
    }
    Ok(())
}

/// Counts these authors' approved and rejected comments again.
pub fn recount_users(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<()> {
    for chunk in ids.chunks(CHUNK) {
        let count = |status: CommentStatus| {
            comments::table
                .filter(comments::author_id.eq(users::id.nullable()))
                .filter(comments::status.eq(status.as_str()))
                .count()
                .single_value()
                .assume_not_null()
        };
        diesel::update(users::table.filter(users::id.eq_any(chunk)))
            .set((
                users::approved_count.eq(count(CommentStatus::Approved)),
                users::rejected_count.eq(count(CommentStatus::Rejected)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A new account for someone who commented elsewhere: no password (the
/// stored hash `!` matches none), marked imported.
pub struct ImportedUser<'a> {
    pub username: &'a str,
    pub skeleton: &'a str,
    pub email: Option<&'a str>,
    pub display_name: &'a str,
    pub original_name: Option<&'a str>,
    pub locale: &'a str,
    pub created_at: i64,
    pub source: &'a str,
}

pub fn insert_user(conn: &mut DbConnection, user: &ImportedUser<'_>) -> QueryResult<i64> {
    let new = super::models::NewUser {
        username: user.username,
        username_skeleton: user.skeleton,
        email: user.email,
        password_hash: "!",
        display_name: Some(user.display_name),
        role: "reader",
        locale: user.locale,
        created_at: user.created_at,
    };
    let id = super::insert_returning_id!(
        conn,
        diesel::insert_into(users::table).values(&new),
        users::id
    )?;
    diesel::insert_into(imported_users::table)
        .values((
            imported_users::user_id.eq(id),
            imported_users::source.eq(user.source),
            imported_users::original_name.eq(user.original_name),
            imported_users::created_at.eq(super::now_ms()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Whether an account already holds this name's skeleton.
pub fn skeleton_taken(conn: &mut DbConnection, skeleton: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::username_skeleton.eq(skeleton)),
    ))
    .get_result(conn)
}

/// Which of these skeletons an account holds.
pub fn skeletons_taken(
    conn: &mut DbConnection,
    skeletons: &[&str],
) -> QueryResult<std::collections::HashSet<String>> {
    let mut taken = std::collections::HashSet::new();
    for chunk in skeletons.chunks(CHUNK) {
        let rows: Vec<String> = users::table
            .filter(users::username_skeleton.eq_any(chunk))
            .select(users::username_skeleton)
            .load(conn)?;
        taken.extend(rows);
    }
    Ok(taken)
}

/// Accounts by e-mail (stored lower-cased).
pub fn users_by_email(
    conn: &mut DbConnection,
    emails: &[&str],
) -> QueryResult<HashMap<String, i64>> {
    let mut found = HashMap::with_capacity(emails.len());
    for chunk in emails.chunks(CHUNK) {
        let rows: Vec<(Option<String>, i64)> = users::table
            .filter(users::email.eq_any(chunk))
            .select((users::email, users::id))
            .load(conn)?;
        found.extend(rows.into_iter().filter_map(|(e, id)| Some((e?, id))));
    }
    Ok(found)
}

/// Whether an account was made by an import.
pub fn is_imported(conn: &mut DbConnection, user_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        imported_users::table.filter(imported_users::user_id.eq(user_id)),
    ))
    .get_result(conn)
}

pub struct NewArticleRow<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub url: Option<&'a str>,
    pub comments_open: bool,
    pub created_at: i64,
}

/// The article with this key, or a new one: (id, created).
pub fn article_for(conn: &mut DbConnection, new: &NewArticleRow<'_>) -> QueryResult<(i64, bool)> {
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
