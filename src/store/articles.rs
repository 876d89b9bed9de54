//! Articles, named by the site's key.

use super::models::{ArticleRow, NewArticle};
use super::schema::{articles, comments};
use super::{on_backend, DbConnection};
use super::{StoreError, Taken};
use crate::domain::cursor::Cursor;
use crate::domain::ArticleId;
use crate::domain::{CommentId, UserId};
use crate::domain::{CommentStatus, ModerationMode};
use diesel::prelude::*;
use std::collections::HashMap;

pub fn find_by_key(conn: &mut DbConnection, key: &str) -> Result<Option<ArticleRow>, StoreError> {
    // Built in each arm: `as_select` is typed by the backend.
    Ok(on_backend!(conn, |c| articles::table
        .filter(articles::key.eq(key))
        .select(ArticleRow::as_select())
        .first(c))
    .optional()?)
}

pub fn get_by_key(conn: &mut DbConnection, key: &str) -> Result<ArticleRow, StoreError> {
    find_by_key(conn, key)?.ok_or(StoreError::NotFound)
}

pub fn get(conn: &mut DbConnection, id: ArticleId) -> Result<ArticleRow, StoreError> {
    Ok(articles::table
        .find(id)
        .select(ArticleRow::as_select())
        .first(conn)?)
}

pub fn insert(conn: &mut DbConnection, new: NewArticle<'_>) -> Result<ArticleRow, StoreError> {
    if find_by_key(conn, new.key)?.is_some() {
        return Err(StoreError::Taken(Taken::Article));
    }
    let id = super::insert_returning_id!(
        conn,
        diesel::insert_into(articles::table).values(&new),
        articles::id
    )
    .map_err(|e| StoreError::unique_as(e, Taken::Article))?;
    get(conn, ArticleId(id))
}

/// What an admin may change; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = articles)]
pub struct ArticleChanges {
    pub title: Option<String>,
    pub url: Option<Option<String>>,
    pub comments_open: Option<bool>,
    pub moderation: Option<Option<ModerationMode>>,
}

pub fn update(
    conn: &mut DbConnection,
    id: ArticleId,
    changes: &ArticleChanges,
) -> Result<ArticleRow, StoreError> {
    let nothing = changes.title.is_none()
        && changes.url.is_none()
        && changes.comments_open.is_none()
        && changes.moderation.is_none();
    if !nothing {
        diesel::update(articles::table.find(id))
            .set(changes)
            .execute(conn)?;
        touch(conn, id)?;
    }
    get(conn, id)
}

/// Articles in creation order; the cursor names the last id shown.
pub fn list(
    conn: &mut DbConnection,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<ArticleRow>, StoreError> {
    let mut query = articles::table
        .select(ArticleRow::as_select())
        .order(articles::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(c) = after {
        query = query.filter(articles::id.gt(c.id));
    }
    Ok(query.load(conn)?)
}

/// Approved comments per key; unknown keys are simply absent.
pub fn approved_counts(
    conn: &mut DbConnection,
    keys: &[String],
) -> Result<HashMap<String, i64>, StoreError> {
    let rows: Vec<(String, i64)> = articles::table
        .filter(articles::key.eq_any(keys))
        .select((articles::key, articles::approved_count))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

pub fn count(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(articles::table.count().get_result(conn)?)
}

/// Marks an article's thread as changed: every cached page of it is stale.
/// On PostgreSQL this also takes the article's row lock, so writes to one
/// thread queue here and `recount` then sees every earlier one committed.
pub fn touch(conn: &mut DbConnection, article_id: ArticleId) -> Result<(), StoreError> {
    diesel::update(articles::table.find(article_id))
        .set(articles::version.eq(articles::version + 1))
        .execute(conn)?;
    Ok(())
}

/// `touch` and count for a new comment in one statement: an increment is
/// applied to the row as it is when locked, so concurrent inserts add up.
pub fn touch_after_insert(
    conn: &mut DbConnection,
    article_id: ArticleId,
    approved: bool,
) -> Result<(), StoreError> {
    super::counters::touch_article(conn, article_id, approved)
}

/// Counts the article's approved comments again (call after `touch`).
pub fn recount(conn: &mut DbConnection, article_id: ArticleId) -> Result<(), StoreError> {
    let approved: i64 = comments::table
        .filter(comments::article_id.eq(article_id))
        .filter(comments::status.eq(CommentStatus::Approved))
        .count()
        .get_result(conn)?;
    diesel::update(articles::table.find(article_id))
        .set(articles::approved_count.eq(approved))
        .execute(conn)?;
    Ok(())
}

/// The article a comment belongs to.
pub fn of_comment(conn: &mut DbConnection, comment_id: CommentId) -> Result<i64, StoreError> {
    Ok(comments::table
        .find(comment_id)
        .select(comments::article_id)
        .first(conn)?)
}

/// Marks every thread an author wrote in as changed (their name shows there).
pub fn touch_for_author(conn: &mut DbConnection, author_id: UserId) -> Result<(), StoreError> {
    let article_ids = comments::table
        .filter(comments::author_id.eq(author_id))
        .select(comments::article_id);
    diesel::update(articles::table.filter(articles::id.eq_any(article_ids)))
        .set(articles::version.eq(articles::version + 1))
        .execute(conn)?;
    Ok(())
}

/// Marks every thread as changed (a site-wide setting they show changed).
pub fn touch_all(conn: &mut DbConnection) -> Result<(), StoreError> {
    diesel::update(articles::table)
        .set(articles::version.eq(articles::version + 1))
        .execute(conn)?;
    Ok(())
}

/// (id, version) of the article with this key.
pub fn version_by_key(
    conn: &mut DbConnection,
    key: &str,
) -> Result<Option<(i64, i64)>, StoreError> {
    Ok(articles::table
        .filter(articles::key.eq(key))
        .select((articles::id, articles::version))
        .first(conn)
        .optional()?)
}

/// Titles of the articles given, by id.
pub fn titles(conn: &mut DbConnection, ids: &[i64]) -> Result<HashMap<i64, String>, StoreError> {
    let rows: Vec<(i64, String)> = articles::table
        .filter(articles::id.eq_any(ids))
        .select((articles::id, articles::title))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
