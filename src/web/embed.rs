//! `GET /embed/{key}`: the thread as HTML, readable before any script runs.
//! Anonymous readers all get the same page, so it is cached behind the
//! article's version like the JSON thread; the script then signs the reader
//! in and adds what is theirs.

use super::{assets, content_security_policy, html, Strings};
use crate::api::views::Badge;
use crate::cache::Page;
use crate::domain::time;
use crate::domain::{ArticleKey, ArticleUrl, Title};
use crate::error::ApiError;
use crate::http::RequestLocale;
use crate::i18n::Locale;
use crate::service::articles::{self as article_service, FirstPage, FirstUse};
use crate::service::ServiceError;
use crate::state::AppState;
use crate::store::models::CommentWithAuthor;
use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use std::collections::HashMap;

/// Comments in the first page (and in each "load more").
pub const EMBED_PAGE_SIZE: i64 = 50;

/// The key of the demo article, created on first use while `server.demo` is on.
pub const DEMO_KEY: &str = "tribune-demo";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Theme {
    Auto,
    Light,
    Dark,
}

impl Theme {
    fn from_query(value: Option<&str>) -> Theme {
        match value {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::Auto,
        }
    }

    fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::Auto => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }
}

/// One comment as the page shows it.
struct CommentItem {
    id: i64,
    author_id: Option<i64>,
    author: Option<String>,
    badges: Vec<BadgeItem>,
    html: String,
    dir: String,
    status: &'static str,
    created_at: String,
    created_text: String,
    edited: bool,
    depth: i32,
    reactions: i64,
    featured: bool,
}

/// A badge beside an author's name; staff's is written in the page's language.
struct BadgeItem {
    staff: bool,
    label: String,
}

/// The thread as a walk of the tree: open a comment (and its replies' list), close it.
enum Step {
    Open(CommentItem),
    Close,
}

#[derive(Template)]
#[template(path = "embed.html")]
struct EmbedPage<'a> {
    s: Strings,
    key: &'a str,
    title: String,
    theme: Option<&'static str>,
    count_text: String,
    open: bool,
    empty: bool,
    steps: Vec<Step>,
    /// comment.html drawn blank for widget.js to copy: a comment's every
    /// part (a name, both kinds of badge, the edited mark), and a deleted one.
    blank: CommentItem,
    deleted: CommentItem,
    next_cursor: Option<String>,
    edit_window: i64,
    max_depth: i32,
    max_length: usize,
    /// `server.embed_origins`, space-separated: the only senders of messages.
    origins: String,
    /// The site's sign-in: on, readers only through it, its sign-in page.
    sso: bool,
    sso_only: bool,
    login_url: String,
    /// The site's sign-out page, where signing out of the widget leads.
    logout_url: String,
    /// OpenID providers' buttons: (id, label).
    oidc: Vec<(String, String)>,
    css: String,
    js: String,
}

#[derive(Template)]
#[template(path = "embed_missing.html")]
struct MissingPage {
    s: Strings,
    css: String,
}

pub async fn page(
    req: HttpRequest,
    key: web::Path<String>,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let key = ArticleKey::parse(&key).map_err(|_| ServiceError::NotFound)?;
    let locale = RequestLocale::of(&req).page();
    let query = crate::http::query_map(&req);
    let theme = Theme::from_query(query.get("theme").map(String::as_str));
    let csp = content_security_policy(&frame_ancestors(&app.config.server.embed_origins));
    let Some((article_id, version)) =
        find_or_create(&app, &key, &query, app.limits.client_key(&req)).await?
    else {
        let page = MissingPage {
            s: Strings(locale),
            css: assets::url("widget.css"),
        };
        let mut res = html(render(&page)?, locale, &csp);
        *res.status_mut() = StatusCode::NOT_FOUND;
        return Ok(res);
    };
    let cache_key = format!("embed:{article_id}|{locale}|{theme:?}");
    let build = || async {
        let first = app
            .db
            .read(move |conn| article_service::first_page(conn, article_id, EMBED_PAGE_SIZE))
            .await?;
        let page = embed_page(&app, key.as_str(), locale, theme, first);
        Ok::<_, ApiError>(Page::plain(Bytes::from(render(&page)?)))
    };
    let page = app.pages.get_or_build(cache_key, version, build).await?;
    Ok(html(page.body, locale, &csp))
}

/// `frame-ancestors`: the configured sites, or any.
fn frame_ancestors(origins: &[String]) -> String {
    if origins.is_empty() {
        "*".to_string()
    } else {
        origins.join(" ")
    }
}

/// The article's (id, version); a missing one is created on first use when
/// the admin setting allows it (titled from the query) or when it is the demo.
async fn find_or_create(
    app: &web::Data<AppState>,
    key: &ArticleKey,
    query: &HashMap<String, String>,
    address: std::net::IpAddr,
) -> Result<Option<(i64, i64)>, ApiError> {
    // A title or URL the API would refuse is left out, not an error: the
    // page must show whatever the host page wrote.
    let first_use = FirstUse {
        title: query.get("title").and_then(|t| Title::parse(t).ok()),
        url: query.get("url").and_then(|u| ArticleUrl::parse(u).ok()),
        demo: app.config.server.demo && key.as_str() == DEMO_KEY,
        address,
    };
    Ok(
        article_service::find_for_page(&app.db, &app.limits, &app.config, key.clone(), first_use)
            .await?,
    )
}

fn embed_page<'a>(
    app: &AppState,
    key: &'a str,
    locale: Locale,
    theme: Theme,
    first: FirstPage,
) -> EmbedPage<'a> {
    let s = Strings(locale);
    let FirstPage {
        article,
        settings,
        count,
        rows,
        next_cursor,
    } = first;
    let empty = rows.is_empty();
    let steps = walk(&rows);
    EmbedPage {
        s,
        key,
        title: short_title(&article.title).to_string(),
        theme: theme.attribute(),
        count_text: s.n("comment-count", count),
        open: article.comments_open,
        empty,
        steps,
        blank: CommentItem::blank(),
        deleted: CommentItem {
            status: "deleted",
            author: None,
            badges: Vec::new(),
            edited: false,
            ..CommentItem::blank()
        },
        next_cursor,
        edit_window: settings.edit_window_minutes,
        max_depth: app.config.comments.max_depth,
        max_length: app.config.comments.max_length,
        origins: app.config.server.embed_origins.join(" "),
        sso: app.config.sso.enabled,
        sso_only: app.config.sso.readers_only_through_site(),
        login_url: app.config.sso.login_url().unwrap_or_default().to_string(),
        logout_url: app.config.sso.logout_url().unwrap_or_default().to_string(),
        oidc: super::oidc_buttons(app, s.0),
        css: assets::url("widget.css"),
        js: assets::url("widget.js"),
    }
}

/// Titles are only used in the `<title>`; kept short.
fn short_title(title: &str) -> &str {
    match title.char_indices().nth(120) {
        Some((i, _)) => &title[..i],
        None => title,
    }
}

impl BadgeItem {
    fn of(badge: &Badge) -> BadgeItem {
        match badge {
            Badge::Staff => BadgeItem {
                staff: true,
                label: String::new(),
            },
            Badge::Site { label } => BadgeItem {
                staff: false,
                label: label.clone(),
            },
        }
    }
}

impl CommentItem {
    /// Every part present and empty, for the script to fill in or take out.
    fn blank() -> CommentItem {
        CommentItem {
            id: 0,
            author_id: None,
            author: Some(String::new()),
            badges: vec![
                BadgeItem::of(&Badge::Staff),
                BadgeItem::of(&Badge::Site {
                    label: String::new(),
                }),
            ],
            html: String::new(),
            dir: String::new(),
            status: "approved",
            created_at: String::new(),
            created_text: String::new(),
            edited: true,
            depth: 0,
            reactions: 0,
            featured: false,
        }
    }
}

fn item(c: &CommentWithAuthor) -> CommentItem {
    let view = crate::api::views::CommentView::in_thread(c, None);
    CommentItem {
        id: view.id,
        author_id: view.author.as_ref().map(|a| a.id),
        badges: view
            .author
            .as_ref()
            .map(|a| a.badges.iter().map(BadgeItem::of).collect())
            .unwrap_or_default(),
        author: view.author.map(|a| a.display_name),
        html: view.html,
        dir: view.dir,
        status: view.status,
        created_at: view.created_at,
        created_text: time::format(c.comment.created_at)
            .replace('T', " ")
            .chars()
            .take(16)
            .collect(),
        edited: view.edited_at.is_some(),
        depth: c.comment.depth,
        reactions: view.reactions,
        featured: view.featured,
    }
}

/// Builds the tree of a page: replies under their parent, and a reply whose
/// parent is not on this page at the top, in page order.
fn walk(rows: &[CommentWithAuthor]) -> Vec<Step> {
    let on_page: std::collections::HashSet<i64> = rows.iter().map(|c| c.comment.id).collect();
    let mut children: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
    for (i, c) in rows.iter().enumerate() {
        let parent = c.comment.parent_id.filter(|p| on_page.contains(p));
        children.entry(parent).or_default().push(i);
    }
    let mut steps = Vec::with_capacity(rows.len() * 2);
    // An explicit stack: threads may be deep, and recursion is not needed.
    let mut stack: Vec<(usize, bool)> = children
        .get(&None)
        .map(|v| v.iter().rev().map(|&i| (i, false)).collect())
        .unwrap_or_default();
    while let Some((i, opened)) = stack.pop() {
        if opened {
            steps.push(Step::Close);
            continue;
        }
        steps.push(Step::Open(item(&rows[i])));
        stack.push((i, true));
        if let Some(kids) = children.get(&Some(rows[i].comment.id)) {
            stack.extend(kids.iter().rev().map(|&k| (k, false)));
        }
    }
    steps
}

fn render(page: &impl Template) -> Result<String, ApiError> {
    page.render()
        .map_err(|e| ApiError::failed("rendering a page", e))
}
