//! Articles as admins manage them.

use crate::api::views::{ArticleKeyPath, ArticleView};
use crate::auth::Admin;
use crate::domain::fields::next_cursor_schema;
use crate::domain::{ArticleKey, ArticleUrl, Invalid, ModerationMode, Problems, Title};
use crate::error::ApiError;
use crate::http::{page_of, JsonBody, PageParams};
use crate::service::articles::{self as service, ArticleChanges, ArticleDraft};
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

/// Tells an absent field (`None`) from an explicit `null` (`Some(None)`).
fn nullable<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewArticleRequest {
    #[schema(schema_with = ArticleKey::schema)]
    key: String,
    #[schema(schema_with = Title::schema)]
    title: String,
    /// An absolute http(s) URL; default `null`.
    #[schema(schema_with = ArticleUrl::optional_schema)]
    url: Option<String>,
    /// Default `true`.
    comments_open: Option<bool>,
    /// Default `null`: the site default.
    moderation: Option<ModerationMode>,
}

impl TryFrom<NewArticleRequest> for ArticleDraft {
    type Error = Invalid;

    fn try_from(body: NewArticleRequest) -> Result<ArticleDraft, Invalid> {
        let mut problems = Problems::new();
        let key = problems.check(ArticleKey::parse(&body.key));
        let title = problems.check(Title::parse(&body.title));
        let url = problems.check_some(body.url.as_deref(), ArticleUrl::parse);
        problems.finish_with(|| {
            Some(ArticleDraft {
                key: key?,
                title: title?,
                url,
                comments_open: body.comments_open.unwrap_or(true),
                moderation: body.moderation,
            })
        })
    }
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    request_body = NewArticleRequest,
    responses(
        (status = 201, description = "The article", body = ArticleView),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 409, description = "conflict: the key exists"),
    ),
)]
#[post("/admin/articles")]
pub async fn create_article(
    admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let draft = ArticleDraft::try_from(body.parse::<NewArticleRequest>()?)?;
    let actor = admin.0.id();
    let (article, default_mode, count) = app
        .db
        .write(move |conn| service::create(conn, actor, &draft))
        .await?;
    Ok(HttpResponse::Created().json(ArticleView::new(&article, default_mode, count)))
}

#[derive(Serialize, ToSchema)]
pub struct ArticlesPage {
    articles: Vec<ArticleView>,
    #[schema(required = true, schema_with = next_cursor_schema)]
    next_cursor: Option<String>,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "A page of articles", body = ArticlesPage),
        (status = 400, description = "invalid_cursor"),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 422, description = "`limit` out of bounds"),
    ),
)]
#[get("/admin/articles")]
pub async fn list_articles(
    req: HttpRequest,
    _admin: Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let page = page_of(&req)?;
    let (rows, default_mode, next_cursor) =
        app.db.read(move |conn| service::list(conn, page)).await?;
    let articles = rows
        .iter()
        .map(|a| ArticleView::new(a, default_mode, a.approved_count))
        .collect();
    Ok(HttpResponse::Ok().json(ArticlesPage {
        articles,
        next_cursor,
    }))
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticleRequest {
    #[schema(schema_with = Title::optional_schema)]
    title: Option<String>,
    /// An absolute http(s) URL, or `null` for none.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(schema_with = ArticleUrl::optional_schema)]
    url: Option<Option<String>>,
    comments_open: Option<bool>,
    /// `null`: follow the site default.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<ModerationMode>)]
    moderation: Option<Option<ModerationMode>>,
}

impl TryFrom<UpdateArticleRequest> for ArticleChanges {
    type Error = Invalid;

    fn try_from(body: UpdateArticleRequest) -> Result<ArticleChanges, Invalid> {
        let mut problems = Problems::new();
        let title = problems.check_some(body.title.as_deref(), Title::parse);
        let url = match body.url {
            Some(Some(u)) => problems.check(ArticleUrl::parse(&u)).map(Some),
            Some(None) => Some(None),
            None => None,
        };
        problems.finish()?;
        Ok(ArticleChanges {
            title,
            url,
            comments_open: body.comments_open,
            moderation: body.moderation,
        })
    }
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(ArticleKeyPath),
    request_body = UpdateArticleRequest,
    responses(
        (status = 200, description = "The article", body = ArticleView),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 404, description = "No such article"),
    ),
)]
#[patch("/admin/articles/{key}")]
pub async fn update_article(
    key: web::Path<ArticleKey>,
    admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    let changes = ArticleChanges::try_from(body.parse::<UpdateArticleRequest>()?)?;
    let actor = admin.0.id();
    let (article, default_mode, count) = app
        .db
        .write(move |conn| service::update(conn, actor, &key, &changes))
        .await?;
    Ok(HttpResponse::Ok().json(ArticleView::new(&article, default_mode, count)))
}
