//! Articles and their threads, as readers see them.

use super::views::{ArticleView, CommentView};
use crate::app::AppState;
use crate::auth::{CurrentUser, MaybeUser};
use crate::domain::cursor::Cursor;
use crate::domain::input;
use crate::error::{ApiError, FieldError, MsgArg};
use crate::http::{query_map, JsonBody, Page};
use crate::service::{articles as article_service, comments as comment_service};
use crate::store::{self, comments::Order, DbConnection};
use actix_web::http::header::ContentType;
use actix_web::web::Bytes;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An article key from the path; a malformed key names nothing (404).
fn key_from_path(raw: &str) -> Result<String, ApiError> {
    input::is_article_key(raw)
        .then(|| raw.to_string())
        .ok_or(ApiError::NotFound)
}

#[utoipa::path(
    tag = "articles",
    params(("key" = String, Path, pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", description = "The article's key")),
    responses(
        (status = 200, description = "The article", body = ArticleView),
        (status = 404, description = "No such article"),
    ),
)]
#[get("/articles/{key}")]
pub async fn get_article(
    key: web::Path<String>,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let key = key_from_path(&key)?;
    let (article, settings, count) = app
        .db
        .read(move |conn| {
            let article = store::articles::get_by_key(conn, &key)?;
            article_service::view(conn, article)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ArticleView::new(
        &article,
        settings.default_moderation,
        count,
    )))
}

/// A page of a thread.
#[derive(Serialize, ToSchema)]
pub struct ThreadPage {
    article: ArticleView,
    comments: Vec<CommentView>,
    /// `null` on the last page.
    #[schema(required = true, pattern = r"^[A-Za-z0-9_-]+$")]
    next_cursor: Option<String>,
}

/// Approved comments, tombstones of hidden ones that have visible replies,
/// and the caller's own pending comments; by creation time then id.
#[utoipa::path(
    tag = "articles",
    security((), ("bearer" = [])),
    params(
        ("key" = String, Path, pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", description = "The article's key"),
        ("sort" = inline(Option<SortOrder>), Query, description = "Default `oldest`"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "Default 50"),
        ("cursor" = Option<String>, Query, pattern = r"^[A-Za-z0-9_-]+$", description = "`next_cursor` of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of the thread", body = ThreadPage),
        (status = 400, description = "invalid_cursor"),
        (status = 404, description = "No such article"),
        (status = 422, description = "`limit` or `sort` out of bounds"),
    ),
)]
#[get("/articles/{key}/comments")]
pub async fn list_comments(
    req: HttpRequest,
    key: web::Path<String>,
    viewer: MaybeUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let key = key_from_path(&key)?;
    let query = query_map(&req);
    let order = match query.get("sort").map(String::as_str) {
        None | Some("oldest") => Order::Oldest,
        Some("newest") => Order::Newest,
        Some(_) => {
            return Err(ApiError::Validation(vec![input::invalid_choice(
                "sort",
                "oldest, newest".into(),
            )]))
        }
    };
    let page = Page::from_query(&query)?;
    let viewer_id = viewer.id();
    // Anonymous readers all see the same page: it is served from the cache
    // while the article's version (bumped by every write) has not moved.
    let cache_key = viewer_id.is_none().then(|| {
        let cursor = query.get("cursor").map_or("", String::as_str);
        format!("{order:?}|{}|{cursor}", page.limit)
    });
    let (article_id, version) = app
        .db
        .read_quick(move |conn| store::articles::version_by_key(conn, &key))
        .await?
        .ok_or(ApiError::NotFound)?;
    let cache_key = cache_key.map(|k| format!("{article_id}|{k}"));
    let json = |page| {
        HttpResponse::Ok()
            .content_type(ContentType::json())
            .body(page)
    };
    if let Some(page) = cache_key.as_ref().and_then(|k| app.pages.get(k, version)) {
        return Ok(json(page));
    }
    let _building = match &cache_key {
        Some(k) => {
            let guard = app.pages.building(k).await;
            // Another reader may have built it while this one waited.
            if let Some(page) = app.pages.get(k, version) {
                return Ok(json(page));
            }
            Some(guard)
        }
        None => None,
    };
    let state = app.clone();
    let body = app
        .db
        .read(move |conn| {
            let body = thread_page(conn, article_id, viewer_id, order, page)?;
            if let Some(k) = cache_key {
                // Filed under the version read before the page: a write in
                // between leaves a stale entry that the next read replaces.
                state.pages.put(k, version, body.clone());
            }
            Ok(body)
        })
        .await?;
    Ok(json(body))
}

/// A thread page as `viewer` sees it, serialized.
fn thread_page(
    conn: &mut DbConnection,
    article_id: i64,
    viewer_id: Option<i64>,
    order: Order,
    page: Page,
) -> Result<Bytes, ApiError> {
    let article = store::articles::get(conn, article_id)?;
    let rows =
        store::comments::thread(conn, article.id, viewer_id, order, page.after, page.fetch())?;
    let (article, settings, count) = article_service::view(conn, article)?;
    let (rows, next_cursor) = page.finish(rows, |c| Cursor {
        key: c.comment.created_at,
        id: c.comment.id,
    });
    let comments: Vec<CommentView> = rows
        .iter()
        .map(|c| CommentView::in_thread(c, viewer_id))
        .collect();
    let body = ThreadPage {
        article: ArticleView::new(&article, settings.default_moderation, count),
        comments,
        next_cursor,
    };
    serde_json::to_vec(&body)
        .map(Bytes::from)
        .map_err(|e| ApiError::internal(format!("serializing a thread: {e}")))
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum SortOrder {
    Oldest,
    Newest,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommentRequest {
    /// 1 to 5,000 characters once normalized (NFC, controls removed, trimmed).
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
    )]
    body: String,
    /// A visible comment of the same article; threads are at most 8 levels deep.
    #[schema(minimum = 1)]
    parent_id: Option<i64>,
}

/// The new comment is `approved`, `pending` or `rejected` (a banned word:
/// stored, hidden from readers, shown to moderators).
#[utoipa::path(
    tag = "articles",
    security(("bearer" = [])),
    params(("key" = String, Path, pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", description = "The article's key")),
    request_body = NewCommentRequest,
    responses(
        (status = 201, description = "The comment", body = CommentView),
        (status = 403, description = "banned or article_closed"),
        (status = 404, description = "No such article, or no such visible parent"),
    ),
)]
#[post("/articles/{key}/comments")]
pub async fn post_comment(
    key: web::Path<String>,
    author: CurrentUser,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let key = key_from_path(&key)?;
    author.ensure_not_banned()?;
    app.limits.post(author.id())?;
    let request: NewCommentRequest = body.parse()?;
    let text = input::comment_body(&request.body, app.config.comments.max_length)
        .map_err(|e| ApiError::Validation(vec![e]))?;
    if request.parent_id.is_some_and(|id| id <= 0) {
        return Err(ApiError::NotFound);
    }
    let limits = app.config.comments.clone();
    let words = app.words.clone();
    let comment = app
        .db
        .write_prepared(
            move || comment_service::Written::new(text),
            move |conn, written| {
                comment_service::post(
                    conn,
                    &limits,
                    &words,
                    &author.user,
                    &key,
                    &written,
                    request.parent_id,
                )
            },
        )
        .await?;
    Ok(HttpResponse::Created().json(CommentView::full(&comment)))
}

/// Approved comments per article.
#[derive(Serialize, ToSchema)]
pub struct Counts {
    /// Every requested key; an unknown key counts 0.
    #[schema(value_type = std::collections::HashMap<String, i64>)]
    counts: serde_json::Map<String, serde_json::Value>,
}

#[utoipa::path(
    tag = "articles",
    params((
        "articles" = String,
        Query,
        pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}(,[A-Za-z0-9][A-Za-z0-9._-]{0,127}){0,99}$",
        description = "Comma-separated article keys, at most 100"
    )),
    responses(
        (status = 200, description = "Approved comments per key", body = Counts),
        (status = 422, description = "Missing, malformed or more than 100 keys"),
    ),
)]
#[get("/counts")]
pub async fn counts(req: HttpRequest, app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let query = query_map(&req);
    let Some(list) = query.get("articles") else {
        return Err(ApiError::field("articles", "validation-required"));
    };
    let keys: Vec<String> = list.split(',').map(str::to_string).collect();
    if keys.len() > 100 {
        return Err(ApiError::Validation(vec![FieldError::new(
            "articles",
            "validation-too-many",
        )
        .with("max", MsgArg::Num(100))]));
    }
    if !keys.iter().all(|k| input::is_article_key(k)) {
        return Err(ApiError::field("articles", "validation-invalid-key"));
    }
    let wanted = keys.clone();
    let found = app
        .db
        .read_quick(move |conn| store::articles::approved_counts(conn, &wanted))
        .await?;
    let counts: serde_json::Map<String, serde_json::Value> = keys
        .into_iter()
        .map(|k| {
            let n = found.get(&k).copied().unwrap_or(0);
            (k, serde_json::Value::from(n))
        })
        .collect();
    Ok(HttpResponse::Ok().json(Counts { counts }))
}
