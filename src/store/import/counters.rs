//! The counters an import makes exact again for what it wrote: approved
//! comments per article, approved and rejected ones per author.

use super::CHUNK;
use crate::domain::CommentStatus;
use crate::store::schema::{articles, comments, users};
use crate::store::DbConnection;
use crate::store::StoreError;
use diesel::prelude::*;
use std::collections::HashMap;

/// Counts the approved comments of these articles again, and marks their
/// threads as changed so every cached page of them is dropped.
pub fn recount_articles(conn: &mut DbConnection, ids: &[i64]) -> Result<(), StoreError> {
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
pub fn touch_articles(conn: &mut DbConnection, ids: &[i64]) -> Result<(), StoreError> {
    for chunk in ids.chunks(CHUNK) {
        diesel::update(articles::table.filter(articles::id.eq_any(chunk)))
            .set(articles::version.eq(articles::version + 1))
            .execute(conn)?;
    }
    Ok(())
}

/// Counts these authors' approved and rejected comments again.
pub fn recount_users(conn: &mut DbConnection, ids: &[i64]) -> Result<(), StoreError> {
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

/// Like `recount_users`, from one pass over `comments` instead of two counts
/// per author: for an import into an empty site on SQLite, where every
/// comment is the import's and the counts per author would read each one at
/// a random place (the author index has no status). PostgreSQL recounts per
/// author.
pub fn recount_users_by_scan(conn: &mut DbConnection, ids: &[i64]) -> Result<(), StoreError> {
    let DbConnection::Sqlite(c) = conn else {
        return recount_users(conn, ids);
    };
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        author_id: i64,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        approved: bool,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        rejected: bool,
    }
    // NOT INDEXED: the table in its order, not the author index's. Counted
    // here rather than with GROUP BY, whose sort would hold its rows in
    // memory at the end of the import, when its peak is.
    let rows = diesel::sql_query(format!(
        "SELECT author_id, status = '{approved}' AS approved, status = '{rejected}' AS rejected \
         FROM comments NOT INDEXED WHERE author_id IS NOT NULL",
        approved = CommentStatus::Approved.as_str(),
        rejected = CommentStatus::Rejected.as_str(),
    ));
    let mut counts: HashMap<i64, (i64, i64)> = HashMap::with_capacity(ids.len());
    for row in rows.load_iter::<Row, diesel::connection::DefaultLoadingMode>(c)? {
        let row = row?;
        let count = counts.entry(row.author_id).or_default();
        count.0 += i64::from(row.approved);
        count.1 += i64::from(row.rejected);
    }
    for &id in ids {
        let (approved, rejected) = counts.get(&id).copied().unwrap_or((0, 0));
        diesel::update(users::table.find(id))
            .set((
                users::approved_count.eq(approved),
                users::rejected_count.eq(rejected),
            ))
            .execute(c)?;
    }
    Ok(())
}
