//! Reading threads: a page of an article's comments as a viewer sees it.
//! Every reader is served the same page, built once and kept in the page
//! cache while the article's version (bumped by every write that changes what
//! the thread shows, a reaction included) has not moved. A signed-in reader
//! gets that shared page plus one small query for their own marks on its
//! comments; only a reader with a comment waiting in the article's queue,
//! which they alone see, gets a page built for them.

use super::articles::ArticleWithMode;
use crate::cache::Page;
use crate::domain::cursor::Cursor;
use crate::domain::cursor::Page as PageAt;
use crate::domain::ArticleKey;
use crate::error::ApiError;
use crate::state::AppState;
use crate::store::models::CommentWithAuthor;
use crate::store::{self, DbConnection};
use std::collections::{HashMap, HashSet};

pub use crate::store::comments::{Order, Selection};

/// What one page of a thread shows, before it is serialized.
pub struct ThreadRows {
    pub article: ArticleWithMode,
    pub rows: Vec<CommentWithAuthor>,
    pub next_cursor: Option<String>,
    /// Whose page it is: `None` for the page every reader shares.
    pub viewer: Option<i64>,
}

/// A page as served: the serialized page, and for a signed-in viewer the
/// comments of it they marked (to be written into it, see `Page::ends`).
pub struct Served {
    pub page: Page,
    pub reacted: Option<HashSet<i64>>,
}

/// A page of the thread of `key`, serialized by `render` (which must fill
/// `Page::ends`: the viewer's marks are read for those comments).
pub async fn page<R>(
    app: &AppState,
    key: ArticleKey,
    viewer: Option<i64>,
    order: (Order, Selection),
    page: PageAt,
    render: R,
) -> Result<Served, ApiError>
where
    R: FnOnce(ThreadRows) -> Result<Page, ApiError> + Send + 'static,
{
    // Read before the version, so a write in between moves it (see `Memo`).
    let epoch = app.db.shared_epoch();
    let known = match viewer {
        None => app.pages.versions.get(key.as_str(), epoch),
        Some(_) => None,
    };
    let (article_id, version, own_pending) = match known {
        Some((id, version)) => (id, version, false),
        None => {
            let memo_key = key.clone();
            let (id, version, own_pending) = app
                .db
                .read_quick(move |conn| {
                    let Some((id, version)) = store::articles::version_by_key(conn, key.as_str())?
                    else {
                        return Ok(None);
                    };
                    let own_pending = match viewer {
                        Some(reader) => store::comments::has_pending_in(conn, id, reader)?,
                        None => false,
                    };
                    Ok(Some((id, version, own_pending)))
                })
                .await?
                .ok_or(ApiError::NotFound)?;
            if viewer.is_none() {
                app.pages
                    .versions
                    .put(memo_key.as_str(), epoch, (id, version));
            }
            (id, version, own_pending)
        }
    };
    let built = if own_pending {
        let build =
            move |conn: &mut DbConnection| render(rows(conn, article_id, viewer, order, page)?);
        app.db.read(build).await?
    } else {
        let cursor = page.after.map(Cursor::encode).unwrap_or_default();
        let cache_key = format!("{article_id}|{order:?}|{}|{cursor}", page.limit);
        let build =
            move |conn: &mut DbConnection| render(rows(conn, article_id, None, order, page)?);
        app.pages
            .get_or_build(cache_key, version, || app.db.read(build))
            .await?
    };
    let reacted = match viewer {
        Some(reader) => {
            let ids: Vec<i64> = built.ends.iter().map(|&(id, _)| id).collect();
            let marks =
                move |conn: &mut DbConnection| store::reactions::reacted_among(conn, reader, &ids);
            Some(app.db.read_quick(marks).await?)
        }
        None => None,
    };
    Ok(Served {
        page: built,
        reacted,
    })
}

/// The rows of one page as `viewer` sees it (`None`: as every reader does).
fn rows(
    conn: &mut DbConnection,
    article_id: i64,
    viewer: Option<i64>,
    order: (Order, Selection),
    page: PageAt,
) -> Result<ThreadRows, ApiError> {
    let article = store::articles::get(conn, article_id)?;
    let rows = store::comments::thread(conn, article.id, viewer, order, page.after, page.fetch())?;
    let settings = store::settings::load(conn)?;
    let (rows, next_cursor) = page.finish(rows, |c| order.0.cursor_of(&c.comment));
    let count = article.approved_count;
    Ok(ThreadRows {
        article: (article, settings.default_moderation, count),
        rows,
        next_cursor,
        viewer,
    })
}

/// Approved comments of each article named (an unknown key counts 0), from
/// memory while nothing has been written since they were counted.
pub async fn counts(
    app: &AppState,
    keys: Vec<ArticleKey>,
) -> Result<Vec<(ArticleKey, i64)>, ApiError> {
    let epoch = app.db.shared_epoch();
    let known: Option<Vec<(ArticleKey, i64)>> = keys
        .iter()
        .map(|k| Some((k.clone(), app.pages.counts.get(k.as_str(), epoch)?)))
        .collect();
    if let Some(known) = known {
        return Ok(known);
    }
    let found = app
        .db
        .read_quick(move |conn| approved_counts(conn, &keys))
        .await?;
    for (key, count) in &found {
        app.pages.counts.put(key.as_str(), epoch, *count);
    }
    Ok(found)
}

/// Approved comments of each article named; an unknown key counts 0.
fn approved_counts(
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
