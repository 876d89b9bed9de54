//! The counter updates every post makes, as statements diesel keeps
//! prepared. Diesel prepares its `UPDATE` statements anew at each run (they
//! are never cached); these two run with every comment written, so they are
//! written here with a fixed SQL text and a static query id, which lets the
//! statement cache find them by type.

use super::StoreError;
use super::{on_backend, DbConnection};
use crate::domain::ArticleId;
use crate::domain::CommentStatus;
use crate::domain::UserId;
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::BigInt;
use diesel::QueryResult;

/// A new comment under the article: its version moves (caches of its
/// pages go stale) and, when approved, its count grows.
#[derive(QueryId)]
struct TouchArticle {
    article_id: i64,
    approved: i64,
}

impl<DB: Backend> QueryFragment<DB> for TouchArticle
where
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql(
            "UPDATE articles SET version = version + 1, approved_count = approved_count + ",
        );
        out.push_bind_param::<BigInt, _>(&self.approved)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.article_id)?;
        Ok(())
    }
}

impl<Conn> diesel::RunQueryDsl<Conn> for TouchArticle {}

/// An author's counts of approved and rejected comments, moved by deltas.
#[derive(QueryId)]
struct CountAuthor {
    author_id: i64,
    approved: i64,
    rejected: i64,
}

impl<DB: Backend> QueryFragment<DB> for CountAuthor
where
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE users SET approved_count = approved_count + ");
        out.push_bind_param::<BigInt, _>(&self.approved)?;
        out.push_sql(", rejected_count = rejected_count + ");
        out.push_bind_param::<BigInt, _>(&self.rejected)?;
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<BigInt, _>(&self.author_id)?;
        Ok(())
    }
}

impl<Conn> diesel::RunQueryDsl<Conn> for CountAuthor {}

pub fn touch_article(
    conn: &mut DbConnection,
    article_id: ArticleId,
    approved: bool,
) -> Result<(), StoreError> {
    let update = TouchArticle {
        article_id: article_id.get(),
        approved: i64::from(approved),
    };
    on_backend!(conn, |c| update.execute(c))?;
    Ok(())
}

/// Moves an author's comment counts when one of their comments goes from
/// `old` to `new` status (`None`: it did not exist). Increments, so
/// concurrent writers add up.
pub fn count_change(
    conn: &mut DbConnection,
    author_id: UserId,
    old: Option<CommentStatus>,
    new: CommentStatus,
) -> Result<(), StoreError> {
    let delta = |status: CommentStatus| i64::from(new == status) - i64::from(old == Some(status));
    let (approved, rejected) = (
        delta(CommentStatus::Approved),
        delta(CommentStatus::Rejected),
    );
    if approved == 0 && rejected == 0 {
        return Ok(());
    }
    let update = CountAuthor {
        author_id: author_id.get(),
        approved,
        rejected,
    };
    on_backend!(conn, |c| update.execute(c))?;
    Ok(())
}
