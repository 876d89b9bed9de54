//! Articles and their threads, as readers see them.

use super::views::{ArticleKeyList, ArticleKeyPath, ArticleView, CommentView};
use crate::auth::{ActiveUser, MaybeUser};
use crate::cache::Page as CachedPage;
use crate::domain::fields::next_cursor_schema;
use crate::domain::{ArticleKey, CommentBody, CommentId, Failure, FieldError, MsgArg};
use crate::error::ApiError;
use crate::http::{query_map, JsonBody, Page, PageParams};
use crate::service::articles as article_service;
use crate::service::comments::{self as comment_service, NewPost};
use crate::service::threads::{self, Order, Selection, ThreadRows};
use crate::service::ServiceError;
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

/// A page of a thread (written by `thread_json`, field by field).
#[derive(ToSchema)]
pub struct ThreadPage {
    pub article: ArticleView,
    pub comments: Vec<CommentView>,
    /// `null` on the last page.
    #[schema(required = true, schema_with = next_cursor_schema)]
    pub next_cursor: Option<String>,
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
    let reader = viewer.0.as_ref().map(|u| threads::Viewer {
        id: u.id(),
        epoch: u.epoch,
    });
    let served = threads::page(
        &app.db,
        &app.pages,
        key,
        reader,
        (order, selection),
        page,
        thread_json,
    )
    .await?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .body(served.body))
}

/// A thread page serialized as `ThreadPage`, recording where each comment's
/// object closes. It carries no `reacted`: marks are the caller's own, and
/// are written in by `CachedPage::unmarked` and `Marked`.
fn thread_json(t: ThreadRows) -> Result<CachedPage, Failure> {
    let failed = |e: serde_json::Error| Failure::caused("serializing a thread", e);
    let (article, default_mode, count) = &t.article;
    let mut out = Vec::with_capacity(256 + t.rows.len() * 1024);
    out.extend_from_slice(b"{\"article\":");
    serde_json::to_writer(&mut out, &ArticleView::new(article, *default_mode, *count))
        .map_err(failed)?;
    out.extend_from_slice(b",\"comments\":[");
    let mut ends = Vec::with_capacity(t.rows.len());
    for (i, c) in t.rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &CommentView::in_thread(c, t.viewer)).map_err(failed)?;
        ends.push((c.comment.id, out.len() - 1));
    }
    out.extend_from_slice(b"],\"next_cursor\":");
    serde_json::to_writer(&mut out, &t.next_cursor).map_err(failed)?;
    out.push(b'}');
    Ok(CachedPage {
        body: Bytes::from(out),
        ends: ends.into(),
    })
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
            Some(id) => Some(CommentId::positive(id).ok_or(ServiceError::NotFound)?),
            None => None,
        },
    };
    let comment =
        comment_service::post(&app.db, &app.words, &app.config, author.0.user, post).await?;
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
        let too_many = FieldError::new("articles", "validation-too-many");
        return Err(too_many.with("max", MsgArg::Num(100)).into());
    }
    let keys = keys
        .iter()
        .map(|k| ArticleKey::parse(k))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| ApiError::field("articles", "validation-invalid-key"))?;
    let found = threads::counts(&app.db, &app.pages, keys).await?;
    let counts: serde_json::Map<String, serde_json::Value> = found
        .into_iter()
        .map(|(k, n)| (k.into_string(), serde_json::Value::from(n)))
        .collect();
    Ok(HttpResponse::Ok().json(Counts { counts }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_written_into_each_comment_of_the_shared_page() {
        let body = r#"{"article":{"key":"a"},"comments":[{"id":4,"body":"}"},{"id":9,"n":{}}],"next_cursor":null}"#;
        let close = |from: &str| body.find(from).map(|i| i + from.len() - 1);
        let page = CachedPage {
            body: Bytes::from(body),
            ends: vec![(4, close(r#""}"}"#).unwrap()), (9, close("{}}").unwrap())].into(),
        };
        let unmarked = page.unmarked();
        let served = |marked: &[usize]| {
            let marks: Vec<usize> = marked.iter().map(|&i| unmarked.ends[i].1).collect();
            let bytes = unmarked.marked(&marks);
            assert_eq!(bytes.len(), unmarked.body.len());
            let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(value["next_cursor"], serde_json::Value::Null);
            let marks: Vec<_> = value["comments"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["reacted"].as_bool())
                .collect();
            (value, marks)
        };
        let (value, marks) = served(&[1]);
        assert_eq!(
            value["comments"],
            serde_json::json!([
                {"id": 4, "body": "}", "reacted": false},
                {"id": 9, "n": {}, "reacted": true},
            ])
        );
        assert_eq!(marks, [Some(false), Some(true)]);
        assert_eq!(served(&[0]).1, [Some(true), Some(false)]);
        assert_eq!(served(&[0, 1]).1, [Some(true), Some(true)]);
        assert_eq!(served(&[]).1, [Some(false), Some(false)]);
    }
}
