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

/// (id, version) of the article with this key: what a cached page is filed under.
pub fn version_by_key(conn: &mut DbConnection, key: &str) -> Result<Option<(i64, i64)>, ApiError> {
    store::articles::version_by_key(conn, key)
}

/// An article created by a page on its first use (the widget under a new
/// article when `auto_create_articles` is on, or the demo): no person acted,
/// so nothing is logged. An article created meanwhile by another request is kept.
pub fn create_on_first_use(
    conn: &mut DbConnection,
    key: &str,
    title: &str,
    url: Option<&str>,
) -> Result<(i64, i64), ApiError> {
    if let Some(found) = store::articles::version_by_key(conn, key)? {
        return Ok(found);
    }
    store::articles::insert(
        conn,
        NewArticle {
            key,
            title,
            url,
            comments_open: true,
            moderation: None,
            created_at: now_ms(),
        },
    )?;
    store::articles::version_by_key(conn, key)?.ok_or(ApiError::NotFound)
}

/// The first page of a thread as an anonymous reader sees it, with the
/// article's view and the site settings.
pub fn first_page(
    conn: &mut DbConnection,
    article_id: i64,
    limit: i64,
) -> Result<FirstPage, ApiError> {
    let article = store::articles::get(conn, article_id)?;
    let mut rows = store::comments::thread(
        conn,
        article.id,
        None,
        store::comments::Order::Oldest,
        None,
        limit + 1,
    )?;
    let next = (rows.len() as i64 > limit).then(|| {
        rows.truncate(limit as usize);
        rows.last().map(|c| {
            crate::domain::cursor::Cursor {
                key: c.comment.created_at,
                id: c.comment.id,
            }
            .encode()
        })
    });
    let (article, settings, count) = view(conn, article)?;
    Ok(FirstPage {
        article,
        settings,
        count,
        rows,
        next_cursor: next.flatten(),
    })
}

pub struct FirstPage {
    pub article: ArticleRow,
    pub settings: Settings,
    pub count: i64,
    pub rows: Vec<crate::store::models::CommentWithAuthor>,
    pub next_cursor: Option<String>,
}

/// The site settings in force.
pub fn settings(conn: &mut DbConnection) -> Result<Settings, ApiError> {
    store::settings::load(conn)
}
