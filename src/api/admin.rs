//! Administration: articles and roles.

use super::views::{ArticleView, MeView};
use crate::app::AppState;
use crate::auth::Admin;
use crate::domain::cursor::Cursor;
use crate::domain::{input, time, ModerationMode, Role};
use crate::error::ApiError;
use crate::http::{path_id, query_map, JsonBody, Page};
use crate::service::admin as admin_service;
use crate::service::{accounts as account_service, articles as service};
use crate::store::{self, articles::ArticleChanges, now_ms};
use crate::text::WordKind;
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
    let body: UpdateArticleRequest = body.parse()?;
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

/// GET /api/v1/admin/users — search by name or email fragment, filter by role.
pub async fn list_users(
    req: HttpRequest,
    _admin: Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let query = query_map(&req);
    let role = match query.get("role") {
        None => None,
        Some(r) => Some(Role::parse(r).ok_or_else(|| {
            ApiError::Validation(vec![input::invalid_choice("role", Role::choices())])
        })?),
    };
    let search = query
        .get("q")
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty());
    if search.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(ApiError::field("q", "validation-too-long"));
    }
    let page = Page::from_query(&query)?;
    let rows = app
        .db
        .read(move |conn| {
            store::users::list(conn, search.as_deref(), role, page.after, page.fetch())
        })
        .await?;
    let (rows, next_cursor) = page.finish(rows, |u| Cursor { key: 0, id: u.id });
    let now = now_ms();
    let users: Vec<MeView> = rows.iter().map(|u| MeView::new(u, now)).collect();
    Ok(HttpResponse::Ok().json(json!({ "users": users, "next_cursor": next_cursor })))
}

/// GET /api/v1/admin/settings
pub async fn get_settings(
    _admin: Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let settings = app.db.read(store::settings::load).await?;
    Ok(HttpResponse::Ok().json(settings))
}

/// PATCH /api/v1/admin/settings
pub async fn update_settings(
    admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let patch: admin_service::SettingsPatch = body.parse()?;
    let actor = admin.0.id();
    let settings = app
        .db
        .write(move |conn| admin_service::update_settings(conn, actor, &patch))
        .await?;
    Ok(HttpResponse::Ok().json(settings))
}

fn word_json(w: &crate::store::models::WordRow) -> serde_json::Value {
    json!({"id": w.id, "pattern": w.pattern, "kind": w.kind, "created_at": time::format(w.created_at)})
}

/// GET /api/v1/admin/words
pub async fn list_words(_admin: Admin, app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let words = app.db.read(store::words::all).await?;
    let words: Vec<_> = words.iter().map(word_json).collect();
    Ok(HttpResponse::Ok().json(json!({ "words": words })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewWordRequest {
    pattern: String,
    kind: WordKindField,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum WordKindField {
    Banned,
    Suspect,
}

/// POST /api/v1/admin/words
pub async fn add_word(
    admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request: NewWordRequest = body.parse()?;
    let kind = match request.kind {
        WordKindField::Banned => WordKind::Banned,
        WordKindField::Suspect => WordKind::Suspect,
    };
    let actor = admin.0.id();
    let word = app
        .db
        .write(move |conn| admin_service::add_word(conn, actor, &request.pattern, kind))
        .await?;
    Ok(HttpResponse::Created().json(word_json(&word)))
}

/// DELETE /api/v1/admin/words/{id}
pub async fn remove_word(
    id: web::Path<String>,
    admin: Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id)?;
    let actor = admin.0.id();
    app.db
        .write(move |conn| admin_service::remove_word(conn, actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// GET /api/v1/admin/stats
pub async fn stats(_admin: Admin, app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let s = app.db.read(admin_service::stats).await?;
    let comments: serde_json::Map<String, serde_json::Value> = s
        .comments
        .iter()
        .map(|(status, n)| (status.as_str().to_string(), json!(n)))
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "comments": comments,
        "users": {"total": s.users_total, "banned": s.users_banned},
        "articles": s.articles,
        "last_24h": {"comments": s.comments_24h, "reports": s.reports_24h},
    })))
}
