//! Reading threads: a page of an article's comments as a viewer sees it.
//! Anonymous readers all see the same page, so theirs is built once and
//! served from the page cache while the article's version (bumped by every
//! write that changes what the thread shows) has not moved.

use super::articles::ArticleWithMode;
use crate::domain::cursor::Cursor;
use crate::domain::cursor::Page;
use crate::domain::ArticleKey;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::models::CommentWithAuthor;
use crate::store::{self, DbConnection};
use actix_web::web::Bytes;
use std::collections::{HashMap, HashSet};

pub use crate::store::comments::{Order, Selection};

/// What one page of a thread shows, before it is serialized.
pub struct ThreadRows {
    pub article: ArticleWithMode,
    pub rows: Vec<CommentWithAuthor>,
    pub next_cursor: Option<String>,
    /// The comments of this page the signed-in viewer reacted to (empty
    /// for anonymous readers, whose pages are cached and shared).
    pub reacted: HashSet<i64>,
}

/// A page of the thread of `key`, serialized by `render`. For anonymous
/// readers the serialized page is cached; one build per miss, however
/// many readers wait for it.
pub async fn page<R>(
    app: &AppState,
    key: ArticleKey,
    viewer_id: Option<i64>,
    order: (Order, Selection),
    page: Page,
    render: R,
) -> Result<Bytes, ApiError>
where
    R: FnOnce(ThreadRows) -> Result<Bytes, ApiError> + Send + 'static,
{
    let (article_id, version) = app
        .db
        .read_quick(move |conn| store::articles::version_by_key(conn, key.as_str()))
        .await?
        .ok_or(ApiError::NotFound)?;
    let cache_key = viewer_id.is_none().then(|| {
        let cursor = page.after.map(Cursor::encode).unwrap_or_default();
        format!("{article_id}|{order:?}|{}|{cursor}", page.limit)
    });
    if let Some(page) = cache_key.as_ref().and_then(|k| app.pages.get(k, version)) {
        return Ok(page);
    }
    let _building = match &cache_key {
        Some(k) => {
            let guard = app.pages.building(k).await;
            // Another reader may have built it while this one waited.
            if let Some(page) = app.pages.get(k, version) {
                return Ok(page);
            }
            Some(guard)
        }
        None => None,
    };
    let body = app
        .db
        .read(move |conn| render(rows(conn, article_id, viewer_id, order, page)?))
        .await?;
    if let Some(k) = cache_key {
        // Filed under the version read before the page: a write in between
        // leaves a stale entry that the next read replaces.
        app.pages.put(k, version, body.clone());
    }
    Ok(body)
}

/// The rows of one page as `viewer_id` sees them.
fn rows(
    conn: &mut DbConnection,
    article_id: i64,
    viewer_id: Option<i64>,
    order: (Order, Selection),
    page: Page,
) -> Result<ThreadRows, ApiError> {
    let article = store::articles::get(conn, article_id)?;
    let rows =
        store::comments::thread(conn, article.id, viewer_id, order, page.after, page.fetch())?;
    let settings = store::settings::load(conn)?;
    let (rows, next_cursor) = page.finish(rows, |c| order.0.cursor_of(&c.comment));
    // Signed-in pages are never cached, so the viewer's own marks are read
    // here, in one query for the page.
    let reacted = match viewer_id {
        Some(viewer) => {
            let ids: Vec<i64> = rows.iter().map(|c| c.comment.id).collect();
            store::reactions::reacted_among(conn, viewer, &ids)?
        }
        None => HashSet::new(),
    };
    let count = article.approved_count;
    Ok(ThreadRows {
        article: (article, settings.default_moderation, count),
        rows,
        next_cursor,
        reacted,
    })
}

/// Approved comments of each article named; an unknown key counts 0.
pub fn approved_counts(
    conn: &mut DbConnection,
    keys: &[ArticleKey],
) -> Result<Vec<(ArticleKey, i64)>, ApiError> {
    let wanted: Vec<String> = keys.iter().map(|k| k.as_str().to_string()).collect();
    let found: HashMap<String, i64> = store::articles::approved_counts(conn, &wanted)?;
    Ok(keys
        .iter()
        .map(|k| (k.clone(), found.get(k.as_str()).copied().unwrap_or(0)))
        .collect())
}
