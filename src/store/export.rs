//! Reading everything back for `tribune export`, in id order, a page at a time.

use super::schema::{articles, comments, imported_users, users};
use super::DbConnection;
use crate::store::StoreError;
use diesel::prelude::*;

/// One page of rows by id, for streaming a whole table out.
pub fn articles_after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<super::models::ArticleRow>, StoreError> {
    Ok(articles::table
        .filter(articles::id.gt(after))
        .order(articles::id.asc())
        .limit(limit)
        .select(super::models::ArticleRow::as_select())
        .load(conn)?)
}

pub fn users_after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<(super::models::UserRow, bool)>, StoreError> {
    Ok(users::table
        .left_join(imported_users::table)
        .filter(users::id.gt(after))
        .order(users::id.asc())
        .limit(limit)
        .select((
            super::models::UserRow::as_select(),
            imported_users::user_id.nullable().is_not_null(),
        ))
        .load(conn)?)
}

pub fn comments_after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> Result<Vec<super::models::CommentRow>, StoreError> {
    Ok(comments::table
        .filter(comments::id.gt(after))
        .order(comments::id.asc())
        .limit(limit)
        .select(super::models::CommentRow::as_select())
        .load(conn)?)
}

/// (articles, users, comments) now.
pub fn totals(conn: &mut DbConnection) -> Result<(i64, i64, i64), StoreError> {
    Ok((
        articles::table.count().get_result(conn)?,
        users::table.count().get_result(conn)?,
        comments::table.count().get_result(conn)?,
    ))
}
