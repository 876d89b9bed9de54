//! Articles and their threads, as readers see them.

use super::paging::PageParams;
use super::views::{ArticleKeyList, ArticleKeyPath, ArticleView, CommentView};
use crate::auth::{ActiveUser, MaybeUser};
use crate::domain::fields::next_cursor_schema;
use crate::domain::{ArticleKey, CommentBody, CommentId, FieldError, MsgArg};
use crate::error::ApiError;
use crate::http::{query_map, JsonBody, Page};
use crate::service::articles as article_service;
use crate::service::comments::{self as comment_service, NewPost};
use crate::service::threads::{self, Order, Selection, ThreadRows};
use crate::state::AppState;
use actix_web::http::header::ContentType;
use actix_web::web::Bytes;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[utoipa::path(
    tag = "articles",
    params(ArticleKeyPath),
    responses(
        (status = 200, description = "The article", body = ArticleView),
        (status = 404, description = "No such article"),
    ),
)]
#[get("/articles/{key}")]
pub async fn get_article(
    key: web::Path<ArticleKey>,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let (article, default_mode, count) = app
        .db
        .read(move |conn| article_service::by_key(conn, &key))
        .await?;
    Ok(HttpResponse::Ok().json(ArticleView::new(&article, default_mode, count)))
}

/// A page of a thread.
#[derive(Serialize, ToSchema)]
pub struct ThreadPage {
    article: ArticleView,
    comments: Vec<CommentView>,
    /// `null` on the last page.
    #[schema(required = true, schema_with = next_cursor_schema)]
    next_cursor: Option<String>,
}

/// Approved comments, tombstones of hidden ones that have visible replies,
/// and the caller's own pending comments; by creation time then id, or by
/// reactions then id (`top`). `featured=true` lists the staff picks only.
#[utoipa::path(
    tag = "articles",
    security((), ("bearer" = [])),
    params(
        ArticleKeyPath,
        ("sort" = inline(Option<SortOrder>), Query, description = "Default `oldest`"),
        ("featured" = Option<bool>, Query, description = "`true`: staff picks only"),
        PageParams,
    ),
    responses(
        (status = 200, description = "A page of the thread", body = ThreadPage),
        (status = 400, description = "invalid_cursor"),
        (status = 404, description = "No such article"),
        (status = 422, description = "`limit`, `sort` or `featured` out of bounds"),
    ),
)]
#[get("/articles/{key}/comments")]
pub async fn list_comments(
    req: HttpRequest,
    key: web::Path<ArticleKey>,
    viewer: MaybeUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let query = query_map(&req);
    let order = match query.get("sort").map(String::as_str) {
        None | Some("oldest") => Order::Oldest,
        Some("newest") => Order::Newest,
        Some("top") => Order::Top,
        Some(_) => {
            let choices = "oldest, newest, top".into();
            return Err(FieldError::invalid_choice("sort", choices).into());
        }
    };
    let selection = match query.get("featured").map(String::as_str) {
        None | Some("false") => Selection::All,
        Some("true") => Selection::Featured,
        Some(_) => {
            return Err(FieldError::invalid_choice("featured", "true, false".into()).into());
        }
    };
    let page = Page::from_query(&query)?;
    let viewer_id = viewer.id();
    let render = move |t: ThreadRows| thread_json(t, viewer_id);
    let body = threads::page(&app, key, viewer_id, (order, selection), page, render).await?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(body))
}

/// A thread page as `viewer` sees it, serialized.
fn thread_json(t: ThreadRows, viewer_id: Option<i64>) -> Result<Bytes, ApiError> {
    let (article, default_mode, count) = &t.article;
    let body = ThreadPage {
        article: ArticleView::new(article, *default_mode, *count),
        comments: t
            .rows
            .iter()
            .map(|c| {
                let mut view = CommentView::in_thread(c, viewer_id);
                // Only a signed-in caller's page says what they marked.
                view.reacted = viewer_id.map(|_| t.reacted.contains(&c.comment.id));
                view
            })
            .collect(),
        next_cursor: t.next_cursor,
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
    Top,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCommentRequest {
    /// 1 to 5,000 characters once normalized (NFC, controls removed, trimmed).
    #[schema(schema_with = CommentBody::schema)]
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
    params(ArticleKeyPath),
    request_body = NewCommentRequest,
    responses(
        (status = 201, description = "The comment", body = CommentView),
        (status = 403, description = "banned or article_closed"),
        (status = 404, description = "No such article, or no such visible parent"),
    ),
)]
#[post("/articles/{key}/comments")]
pub async fn post_comment(
    key: web::Path<ArticleKey>,
    author: ActiveUser,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    app.limits.post(author.id()).await?;
    let request: NewCommentRequest = body.parse()?;
    let post = NewPost {
        article: key.into_inner(),
        body: CommentBody::parse(&request.body, app.config.comments.max_length)?,
        // A parent that cannot exist names nothing, like an unknown one.
        parent: match request.parent_id {
            Some(id) => Some(CommentId::positive(id).ok_or(ApiError::NotFound)?),
            None => None,
        },
    };
    let comment = comment_service::post(&app, author.0.user, post).await?;
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
    params(ArticleKeyList),
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
    let keys: Vec<&str> = list.split(',').collect();
    if keys.len() > 100 {
        return Err(ApiError::Validation(vec![FieldError::new(
            "articles",
            "validation-too-many",
        )
        .with("max", MsgArg::Num(100))]));
    }
    let keys = keys
        .iter()
        .map(|k| ArticleKey::parse(k))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| ApiError::field("articles", "validation-invalid-key"))?;
    let found = app
        .db
        .read_quick(move |conn| threads::approved_counts(conn, &keys))
        .await?;
    let counts: serde_json::Map<String, serde_json::Value> = found
        .into_iter()
        .map(|(k, n)| (k.into_string(), serde_json::Value::from(n)))
        .collect();
    Ok(HttpResponse::Ok().json(Counts { counts }))
}
