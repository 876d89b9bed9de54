//! Readers' reactions: one row per (comment, reader), and the count kept on
//! the comment. The row and the count change in one transaction, and the
//! count moves only when a row was really added or removed, so repeats and
//! races never make it drift from the rows.

use super::schema::{comments, reactions};
use super::{on_backend, DbConnection};
use crate::error::ApiError;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use std::collections::HashSet;

/// Adds the reader's reaction; false when it was already there. On
/// PostgreSQL a concurrent insert of the same pair waits on the unique key,
/// then does nothing; on SQLite the single writer runs one at a time.
pub fn add(
    conn: &mut DbConnection,
    comment_id: i64,
    user_id: i64,
    now: i64,
) -> Result<bool, ApiError> {
    let insert = diesel::insert_into(reactions::table)
        .values((
            reactions::comment_id.eq(comment_id),
            reactions::user_id.eq(user_id),
            reactions::created_at.eq(now),
        ))
        .on_conflict_do_nothing();
    let added = on_backend!(conn, |c| insert.execute(c))? == 1;
    if added {
        move_count(conn, comment_id, 1)?;
    }
    Ok(added)
}

/// Removes the reader's reaction; false when there was none.
pub fn remove(conn: &mut DbConnection, comment_id: i64, user_id: i64) -> Result<bool, ApiError> {
    let removed = diesel::delete(reactions::table.find((comment_id, user_id))).execute(conn)? == 1;
    if removed {
        move_count(conn, comment_id, -1)?;
    }
    Ok(removed)
}

/// An increment applied to the row as it is when locked, never a value
/// read earlier, so concurrent changes add up.
fn move_count(conn: &mut DbConnection, comment_id: i64, delta: i64) -> Result<(), ApiError> {
    diesel::update(comments::table.find(comment_id))
        .set(comments::reactions.eq(comments::reactions + delta))
        .execute(conn)?;
    Ok(())
}

/// The comment's count, as stored beside it.
pub fn count(conn: &mut DbConnection, comment_id: i64) -> Result<i64, ApiError> {
    Ok(comments::table
        .find(comment_id)
        .select(comments::reactions)
        .first(conn)?)
}

/// Which of `comment_ids` the reader reacted to: one query per page, read
/// for every signed-in reader's thread page. The statement takes the ids as
/// one value (a JSON array on SQLite, an array on PostgreSQL), so it is
/// prepared once per connection whatever the page's length; an `IN` list
/// of 200 bound values is compiled again on every read.
pub fn reacted_among(
    conn: &mut DbConnection,
    user_id: i64,
    comment_ids: &[i64],
) -> Result<HashSet<i64>, ApiError> {
    if comment_ids.is_empty() {
        return Ok(HashSet::new());
    }
    let ids: Vec<i64> = match conn {
        DbConnection::Sqlite(c) => {
            let list = serde_json::to_string(comment_ids)
                .map_err(|e| ApiError::internal(format!("comment ids as JSON: {e}")))?;
            diesel::sql_query(
                "SELECT comment_id FROM reactions WHERE user_id = ? \
                 AND comment_id IN (SELECT value FROM json_each(?))",
            )
            .bind::<BigInt, _>(user_id)
            .bind::<Text, _>(list)
            .load::<Marked>(c)?
            .into_iter()
            .map(|m| m.comment_id)
            .collect()
        }
        // `= ANY($2)`: one array, kept prepared by diesel.
        DbConnection::Postgres(c) => reactions::table
            .filter(reactions::user_id.eq(user_id))
            .filter(reactions::comment_id.eq_any(comment_ids))
            .select(reactions::comment_id)
            .load(c)?,
    };
    Ok(ids.into_iter().collect())
}

#[derive(QueryableByName)]
struct Marked {
    #[diesel(sql_type = BigInt)]
    comment_id: i64,
}

/// Whether the reader reacted to the comment.
pub fn has_reacted(
    conn: &mut DbConnection,
    comment_id: i64,
    user_id: i64,
) -> Result<bool, ApiError> {
    Ok(diesel::select(diesel::dsl::exists(
        reactions::table.find((comment_id, user_id)),
    ))
    .get_result(conn)?)
}

/// Rows counted again, for checks (tests, repair).
pub fn recount(conn: &mut DbConnection, comment_id: i64) -> Result<i64, ApiError> {
    Ok(reactions::table
        .filter(reactions::comment_id.eq(comment_id))
        .count()
        .get_result(conn)?)
}
