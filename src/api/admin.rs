//! Administration: articles and roles.

use super::views::{ArticleView, MeView};
use crate::app::AppState;
use crate::auth::Admin;
use crate::domain::cursor::Cursor;
use crate::domain::{input, ModerationMode, Role};
use crate::error::ApiError;
use crate::http::{path_id, query_map, JsonBody, Page};
use crate::service::{accounts as account_service, articles as service};
use crate::store::{self, articles::ArticleChanges, now_ms};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Deserializer};
use serde_json::json;

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
fn nullable<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewArticleRequest {
    key: String,
    title: String,
    url: Option<String>,
    comments_open: Option<bool>,
    moderation: Option<ModerationMode>,
}

/// POST /api/v1/admin/articles
pub async fn create_article(
    admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body: NewArticleRequest = body.parse()?;
    let mut problems = input::Problems::new();
    let key = problems.check(input::article_key(&body.key));
    let title = problems.check(input::title(&body.title));
    let url = match &body.url {
        Some(u) => problems.check(input::article_url(u)).map(Some),
        None => Some(None),
    };
    problems.finish()?;
    let draft = service::ArticleDraft {
        key: key.expect("checked"),
        title: title.expect("checked"),
        url: url.expect("checked"),
        comments_open: body.comments_open.unwrap_or(true),
        moderation: body.moderation,
    };
    let actor = admin.0.id();
    let (article, settings, count) = app
        .db
        .write(move |conn| {
            let article = service::create(conn, actor, &draft)?;
            service::view(conn, article)
        })
        .await?;
    Ok(HttpResponse::Created().json(ArticleView::new(
        &article,
        settings.default_moderation,
        count,
    )))
}

/// GET /api/v1/admin/articles
pub async fn list_articles(
    req: HttpRequest,
    _admin: Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let page = Page::from_query(&query_map(&req))?;
    let rows = app
        .db
        .read(move |conn| {
            let rows = store::articles::list(conn, page.after, page.fetch())?;
            let settings = store::settings::load(conn)?;
            rows.into_iter()
                .map(|a| {
                    let count = store::articles::approved_count(conn, a.id)?;
                    Ok((
                        ArticleView::new(&a, settings.default_moderation, count),
                        a.id,
                    ))
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    let (rows, next_cursor) = page.finish(rows, |(_, id)| Cursor { key: 0, id: *id });
    let articles: Vec<ArticleView> = rows.into_iter().map(|(view, _)| view).collect();
    Ok(HttpResponse::Ok().json(json!({ "articles": articles, "next_cursor": next_cursor })))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticleRequest {
    title: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    url: Option<Option<String>>,
    comments_open: Option<bool>,
    #[serde(default, deserialize_with = "nullable")]
    moderation: Option<Option<ModerationMode>>,
}

/// PATCH /api/v1/admin/articles/{key}
pub async fn update_article(
    key: web::Path<String>,
    admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    if !input::is_article_key(&key) {
        return Err(ApiError::NotFound);
    }
    let body: UpdateArticleRequest = body.parse_or_empty()?;
    let mut problems = input::Problems::new();
    let title = body
        .title
        .as_deref()
        .and_then(|t| problems.check(input::title(t)));
    let url = match body.url {
        Some(Some(u)) => problems
            .check(input::article_url(&u))
            .map(|u| Some(Some(u)))
            .unwrap_or(None),
        Some(None) => Some(None),
        None => None,
    };
    problems.finish()?;
    let changes = ArticleChanges {
        title,
        url,
        comments_open: body.comments_open,
        moderation: body.moderation.map(|m| m.map(|m| m.as_str().to_string())),
    };
    let actor = admin.0.id();
    let (article, settings, count) = app
        .db
        .write(move |conn| {
            let article = service::update(conn, actor, &key, &changes)?;
            service::view(conn, article)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ArticleView::new(
        &article,
        settings.default_moderation,
        count,
    )))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleRequest {
    role: Role,
}

/// PATCH /api/v1/admin/users/{id}
pub async fn update_user(
    id: web::Path<String>,
    admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id)?;
    let body: RoleRequest = body.parse()?;
    let actor = admin.0.id();
    let user = app
        .db
        .write(move |conn| account_service::change_role(conn, actor, id, body.role))
        .await?;
    Ok(HttpResponse::Ok().json(MeView::new(&user, now_ms())))
}
