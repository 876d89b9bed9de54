//! Articles as admins manage them and readers see them.

use super::ServiceError;
use crate::config::Config;
use crate::domain::cursor::Cursor;
use crate::domain::cursor::Page;
use crate::domain::events::{Closure, Event};
use crate::domain::ArticleId;
use crate::domain::{ArticleKey, ArticleUrl, LogAction, ModerationMode, Settings, Title};
use crate::ratelimit::RateLimits;
use crate::store::models::{ArticleRow, CommentWithAuthor, NewArticle};
use crate::store::{self, now_ms, Db, DbConnection};
use std::borrow::Cow;

/// A new article, every field checked.
pub struct ArticleDraft {
    pub key: ArticleKey,
    pub title: Title,
    pub url: Option<ArticleUrl>,
    pub comments_open: bool,
    pub moderation: Option<ModerationMode>,
}

/// What an admin changes; `None` leaves a field, `Some(None)` clears it.
pub struct ArticleChanges {
    pub title: Option<Title>,
    pub url: Option<Option<ArticleUrl>>,
    pub comments_open: Option<bool>,
    pub moderation: Option<Option<ModerationMode>>,
}

/// An article with what its view needs: (row, the mode in force by default,
/// approved count).
pub type ArticleWithMode = (ArticleRow, ModerationMode, i64);

fn with_mode(
    conn: &mut DbConnection,
    article: ArticleRow,
) -> Result<ArticleWithMode, ServiceError> {
    let settings = store::settings::load(conn)?;
    let count = article.approved_count;
    Ok((article, settings.default_moderation, count))
}

/// The article with this key, as readers see it.
pub fn by_key(conn: &mut DbConnection, key: &ArticleKey) -> Result<ArticleWithMode, ServiceError> {
    let article = store::articles::get_by_key(conn, key.as_str())?;
    with_mode(conn, article)
}

/// A page of articles, oldest first, with the site's default mode.
pub fn list(
    conn: &mut DbConnection,
    page: Page,
) -> Result<(Vec<ArticleRow>, ModerationMode, Option<String>), ServiceError> {
    let rows = store::articles::list(conn, page.after, page.fetch())?;
    let settings = store::settings::load(conn)?;
    let (rows, next) = page.finish(rows, |a| Cursor { key: 0, id: a.id });
    Ok((rows, settings.default_moderation, next))
}

pub fn create(
    conn: &mut DbConnection,
    actor_id: i64,
    d: &ArticleDraft,
) -> Result<ArticleWithMode, ServiceError> {
    let article = store::articles::insert(
        conn,
        NewArticle {
            key: d.key.as_str(),
            title: d.title.as_str(),
            url: d.url.as_ref().map(ArticleUrl::as_str),
            comments_open: d.comments_open,
            moderation: d.moderation,
            created_at: now_ms(),
        },
    )?;
    log_article(conn, actor_id, LogAction::ArticleCreate, &article.key)?;
    with_mode(conn, article)
}

pub fn update(
    conn: &mut DbConnection,
    actor_id: i64,
    key: &ArticleKey,
    changes: &ArticleChanges,
) -> Result<ArticleWithMode, ServiceError> {
    let article = store::articles::get_by_key(conn, key.as_str())?;
    let stored = store::articles::ArticleChanges {
        title: changes.title.as_ref().map(|t| t.as_str().to_string()),
        url: changes
            .url
            .as_ref()
            .map(|u| u.as_ref().map(|u| u.as_str().to_string())),
        comments_open: changes.comments_open,
        moderation: changes.moderation,
    };
    let was_open = article.comments_open;
    let article = store::articles::update(conn, ArticleId(article.id), &stored)?;
    log_article(conn, actor_id, LogAction::ArticleUpdate, &article.key)?;
    if was_open && !article.comments_open {
        let closed = Event::ArticleClosed(Closure {
            actor_id,
            article_key: Cow::Borrowed(&article.key),
        });
        super::events::record(conn, &closed)?;
    }
    with_mode(conn, article)
}

fn log_article(
    conn: &mut DbConnection,
    actor_id: i64,
    action: LogAction,
    key: &str,
) -> Result<(), ServiceError> {
    Ok(store::log::append(
        conn,
        store::log::Entry {
            actor_id,
            action,
            target_id: Some(key.to_string()),
            reason: None,
        },
    )?)
}

/// What a page that names an unknown article may create it with.
pub struct FirstUse {
    pub title: Option<Title>,
    pub url: Option<ArticleUrl>,
    /// Who asked, as the per-address limits count them.
    pub address: std::net::IpAddr,
    /// The demo article exists whatever the settings say.
    pub demo: bool,
}

/// (id, version) of the article a page shows. A missing one is created on
/// first use when `auto_create_articles` is on, or for the demo: no person
/// acted, so nothing is logged. `None`: no such article, and none made.
pub async fn find_for_page(
    db: &Db,
    limits: &RateLimits,
    config: &Config,
    key: ArticleKey,
    first_use: FirstUse,
) -> Result<Option<(i64, i64)>, ServiceError> {
    let wanted = key.clone();
    let found = db
        .read_quick(move |conn| store::articles::version_by_key(conn, wanted.as_str()))
        .await?;
    if found.is_some() {
        return Ok(found);
    }
    let settings = db.read(store::settings::load).await?;
    if !first_use.demo && !settings.auto_create_articles {
        return Ok(None);
    }
    // Anyone may name a key: each address may create only so many.
    if !first_use.demo && limits.article_created(first_use.address).await.is_err() {
        return Ok(None);
    }
    // A URL from a page is believed only on a site the admin declared: it
    // becomes the link in reply mails.
    let origins = config.article_url_origins();
    let mut first_use = first_use;
    first_use.url = first_use.url.filter(|u| u.is_on(&origins));
    let created = db
        .write(move |conn| create_on_first_use(conn, &key, first_use))
        .await?;
    Ok(Some(created))
}

/// Another request may have created it meanwhile: that one is kept.
fn create_on_first_use(
    conn: &mut DbConnection,
    key: &ArticleKey,
    first_use: FirstUse,
) -> Result<(i64, i64), ServiceError> {
    if let Some(found) = store::articles::version_by_key(conn, key.as_str())? {
        return Ok(found);
    }
    let title = first_use.title.as_ref().map_or(key.as_str(), Title::as_str);
    let url = first_use.url.as_ref().map(ArticleUrl::as_str);
    insert_unattended(conn, key.as_str(), title, url)?;
    store::articles::version_by_key(conn, key.as_str())?.ok_or(ServiceError::NotFound)
}

/// An article no person asked for (a page or a first comment named it):
/// open, with the site's moderation, and nothing logged.
pub(crate) fn insert_unattended(
    conn: &mut DbConnection,
    key: &str,
    title: &str,
    url: Option<&str>,
) -> Result<ArticleRow, ServiceError> {
    Ok(store::articles::insert(
        conn,
        NewArticle {
            key,
            title,
            url,
            comments_open: true,
            moderation: None,
            created_at: now_ms(),
        },
    )?)
}

/// The first page of a thread as an anonymous reader sees it, with the
/// article's view and the site settings.
pub fn first_page(
    conn: &mut DbConnection,
    article_id: i64,
    limit: i64,
) -> Result<FirstPage, ServiceError> {
    let article = store::articles::get(conn, ArticleId(article_id))?;
    let mut rows = store::comments::thread(
        conn,
        ArticleId(article.id),
        None,
        (
            store::comments::Order::Oldest,
            store::comments::Selection::All,
        ),
        None,
        limit + 1,
    )?;
    let next = (rows.len() as i64 > limit).then(|| {
        rows.truncate(limit as usize);
        rows.last().map(|c| {
            Cursor {
                key: c.comment.created_at,
                id: c.comment.id,
            }
            .encode()
        })
    });
    let settings = store::settings::load(conn)?;
    Ok(FirstPage {
        count: article.approved_count,
        article,
        settings,
        rows,
        next_cursor: next.flatten(),
    })
}

pub struct FirstPage {
    pub article: ArticleRow,
    pub settings: Settings,
    pub count: i64,
    pub rows: Vec<CommentWithAuthor>,
    pub next_cursor: Option<String>,
}
