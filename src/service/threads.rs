//! Reading threads: a page of an article's comments as a viewer sees it.
//! Every reader is served the same page, built once and kept in the page
//! cache while the article's version (bumped by every write that changes what
//! the thread shows, a reaction included) has not moved. A signed-in reader
//! gets that shared page in its `unmarked` form (kept beside it) with their
//! own marks written over it; the marks are read once per version of the
//! page, and their copy is kept for their next read within a small budget
//! (`PageCache::marked`). Only a reader with a comment waiting
//! in the article's queue, which they alone see, gets a page built for them.

use super::articles::ArticleWithMode;
use super::ServiceError;
use crate::cache::Page;
use crate::cache::PageCache;
use crate::domain::cursor::Cursor;
use crate::domain::cursor::Page as PageAt;
use crate::domain::ArticleId;
use crate::domain::UserId;
use crate::domain::{ArticleKey, Failure};
use crate::store::models::CommentWithAuthor;
use crate::store::Db;
use crate::store::{self, DbConnection};
use bytes::Bytes;
use std::collections::HashMap;
use std::sync::Arc;

pub use crate::store::comments::{Order, Selection};

/// What one page of a thread shows, before it is serialized.
pub struct ThreadRows {
    pub article: ArticleWithMode,
    pub rows: Vec<CommentWithAuthor>,
    pub next_cursor: Option<String>,
    /// Whose page it is: `None` for the page every reader shares.
    pub viewer: Option<i64>,
}

/// A page as served: for a signed-in viewer, their own copy with their
/// marks written in (`Page::marked`).
pub struct Served {
    pub body: Bytes,
}

/// Who reads a page: a signed-in reader, with the change epoch read before
/// their session was looked up (`service::accounts::Session`).
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub id: i64,
    pub epoch: Option<u64>,
}

/// A page of the thread of `key`, serialized by `render` (which must fill
/// `Page::ends`: the viewer's marks are read for those comments).
pub async fn page<R>(
    db: &Db,
    pages: &PageCache,
    key: ArticleKey,
    viewer: Option<Viewer>,
    order: (Order, Selection),
    page: PageAt,
    render: R,
) -> Result<Served, ServiceError>
where
    R: FnOnce(ThreadRows) -> Result<Page, Failure> + Send + 'static,
{
    // Read before the version and the reader's queue, so a write in between
    // moves them (see `Memo`): for a signed-in reader, before their session.
    let own_epoch = viewer.and_then(|v| v.epoch);
    // On SQLite nothing announces another process's writes, so there is no
    // shared epoch; but a signed-in reader's request has read the file's
    // change epoch, which every commit moves, and it serves for the
    // version too: their page costs no query at all.
    let epoch = db.shared_epoch().or(own_epoch);
    let viewer = viewer.map(|v| v.id);
    let pending_key = viewer.map(|reader| format!("{reader}|{}", key.as_str()));
    let known_pending = match &pending_key {
        Some(k) => pages.pending.get(k, own_epoch),
        None => Some(false),
    };
    let known = pages.versions.get(key.as_str(), epoch);
    let (article_id, version, own_pending) = match (known, known_pending) {
        (Some((id, version)), Some(own_pending)) => (id, version, own_pending),
        _ => {
            let memo_key = key.clone();
            let ask = viewer.filter(|_| known_pending.is_none());
            let (id, version, own_pending) = db
                .read_quick(move |conn| -> Result<_, ServiceError> {
                    let Some((id, version)) = store::articles::version_by_key(conn, key.as_str())?
                    else {
                        return Ok(None);
                    };
                    let own_pending = match ask {
                        Some(reader) => {
                            store::comments::has_pending_in(conn, ArticleId(id), UserId(reader))?
                        }
                        None => known_pending.unwrap_or(false),
                    };
                    Ok(Some((id, version, own_pending)))
                })
                .await?
                .ok_or(ServiceError::NotFound)?;
            pages.versions.put(memo_key.as_str(), epoch, (id, version));
            if let (Some(k), None) = (&pending_key, known_pending) {
                pages.pending.put(k, own_epoch, own_pending);
            }
            (id, version, own_pending)
        }
    };
    if own_pending {
        let build = move |conn: &mut DbConnection| -> Result<_, ServiceError> {
            Ok(render(rows(conn, article_id, viewer, order, page)?)?)
        };
        let built = db.read(build).await?.unmarked();
        let body = match viewer {
            Some(reader) => built.marked(&marks_on(db, reader, &built).await?),
            None => built.body,
        };
        return Ok(Served { body });
    }
    let cursor = page.after.map(Cursor::encode).unwrap_or_default();
    let cache_key = format!("{article_id}|{order:?}|{}|{cursor}", page.limit);
    let build = move |conn: &mut DbConnection| -> Result<_, ServiceError> {
        Ok(render(rows(conn, article_id, None, order, page)?)?)
    };
    let signed_key = viewer.map(|_| cache_key.clone());
    let built = pages
        .get_or_build(cache_key, version, || db.read(build))
        .await?;
    let (Some(reader), Some(cache_key)) = (viewer, signed_key) else {
        return Ok(Served { body: built.body });
    };
    let marks_key = format!("{reader}|{cache_key}");
    if let Some(body) = pages.marked(&marks_key, version) {
        return Ok(Served { body });
    }
    // Signed-in readers share the page's unmarked form, filed beside it.
    let unmarked = pages.unmarked(&cache_key, version, &built);
    let marks = match pages.marks(&marks_key, version) {
        Some(marks) => marks,
        None => {
            let marks = marks_on(db, reader, &unmarked).await?;
            pages.put_marks(marks_key.clone(), version, marks.clone());
            marks
        }
    };
    let body = unmarked.marked(&marks);
    pages.put_marked(marks_key, version, body.clone());
    Ok(Served { body })
}

/// Where the reader's marks go in `page` (an `unmarked` one): the comments
/// of it they reacted to, read from the database.
async fn marks_on(db: &Db, reader: i64, page: &Page) -> Result<Arc<[usize]>, ServiceError> {
    let ids: Vec<i64> = page.ends.iter().map(|&(id, _)| id).collect();
    let marks =
        move |conn: &mut DbConnection| store::reactions::reacted_among(conn, UserId(reader), &ids);
    let reacted = db.read_quick(marks).await?;
    Ok(page
        .ends
        .iter()
        .filter(|(id, _)| reacted.contains(id))
        .map(|&(_, at)| at)
        .collect())
}

/// The rows of one page as `viewer` sees it (`None`: as every reader does).
fn rows(
    conn: &mut DbConnection,
    article_id: i64,
    viewer: Option<i64>,
    order: (Order, Selection),
    page: PageAt,
) -> Result<ThreadRows, ServiceError> {
    let article = store::articles::get(conn, ArticleId(article_id))?;
    let rows = store::comments::thread(
        conn,
        ArticleId(article.id),
        viewer,
        order,
        page.after,
        page.fetch(),
    )?;
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
    db: &Db,
    pages: &PageCache,
    keys: Vec<ArticleKey>,
) -> Result<Vec<(ArticleKey, i64)>, ServiceError> {
    let epoch = db.shared_epoch();
    let known: Option<Vec<(ArticleKey, i64)>> = keys
        .iter()
        .map(|k| Some((k.clone(), pages.counts.get(k.as_str(), epoch)?)))
        .collect();
    if let Some(known) = known {
        return Ok(known);
    }
    let found = db
        .read_quick(move |conn| approved_counts(conn, &keys))
        .await?;
    for (key, count) in &found {
        pages.counts.put(key.as_str(), epoch, *count);
    }
    Ok(found)
}

/// Approved comments of each article named; an unknown key counts 0.
fn approved_counts(
    conn: &mut DbConnection,
    keys: &[ArticleKey],
) -> Result<Vec<(ArticleKey, i64)>, ServiceError> {
    let wanted: Vec<String> = keys.iter().map(|k| k.as_str().to_string()).collect();
    let found: HashMap<String, i64> = store::articles::approved_counts(conn, &wanted)?;
    Ok(keys
        .iter()
        .map(|k| (k.clone(), found.get(k.as_str()).copied().unwrap_or(0)))
        .collect())
}
