//! Articles as admins manage them and readers see them.

use crate::domain::{ModerationMode, Settings};
use crate::error::ApiError;
use crate::store::articles::ArticleChanges;
use crate::store::models::{ArticleRow, NewArticle};
use crate::store::{self, now_ms, DbConnection};

pub struct ArticleDraft {
    pub key: String,
    pub title: String,
    pub url: Option<String>,
    pub comments_open: bool,
    pub moderation: Option<ModerationMode>,
}

/// An article with what its view needs: (row, site settings, approved count).
pub fn view(
    conn: &mut DbConnection,
    article: ArticleRow,
) -> Result<(ArticleRow, Settings, i64), ApiError> {
    let settings = store::settings::load(conn)?;
    let count = article.approved_count;
    Ok((article, settings, count))
}

pub fn create(
    conn: &mut DbConnection,
    actor_id: i64,
    d: &ArticleDraft,
) -> Result<ArticleRow, ApiError> {
    let article = store::articles::insert(
        conn,
        NewArticle {
            key: &d.key,
            title: &d.title,
            url: d.url.as_deref(),
            comments_open: d.comments_open,
            moderation: d.moderation.map(ModerationMode::as_str),
            created_at: now_ms(),
        },
    )?;
    log_article(conn, actor_id, "article_create", &article.key)?;
    Ok(article)
}

pub fn update(
    conn: &mut DbConnection,
    actor_id: i64,
    key: &str,
    changes: &ArticleChanges,
) -> Result<ArticleRow, ApiError> {
    let article = store::articles::get_by_key(conn, key)?;
    let article = store::articles::update(conn, article.id, changes)?;
    log_article(conn, actor_id, "article_update", &article.key)?;
    Ok(article)
}

fn log_article(
    conn: &mut DbConnection,
    actor_id: i64,
    action: &str,
    key: &str,
) -> Result<(), ApiError> {
    store::log::append(
        conn,
        store::log::Entry {
            actor_id,
            action,
            target_type: "article",
            target_id: Some(key.to_string()),
            reason: None,
        },
    )
}
