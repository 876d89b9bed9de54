//! Administration: articles and roles.

use super::views::{ArticleView, MeView};
use crate::app::AppState;
use crate::auth::Admin;
use crate::domain::cursor::Cursor;
use crate::domain::{input, time, ModerationMode, Role, Settings};
use crate::error::ApiError;
use crate::http::{path_id, query_map, JsonBody, Page};
use crate::moderation::WordMatch;
use crate::service::admin as admin_service;
use crate::service::{accounts as account_service, articles as service};
use crate::store::{self, articles::ArticleChanges, now_ms};
use crate::text::WordKind;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
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
    #[schema(pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    key: String,
    #[schema(
        min_length = 1,
        max_length = 300,
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
    )]
    title: String,
    /// An absolute http(s) URL; default `null`.
    #[schema(format = "uri", max_length = 2048)]
    url: Option<String>,
    /// Default `true`.
    comments_open: Option<bool>,
    /// Default `null`: the site default.
    moderation: Option<ModerationMode>,
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

#[derive(Serialize, ToSchema)]
pub struct ArticlesPage {
    articles: Vec<ArticleView>,
    #[schema(required = true, pattern = r"^[A-Za-z0-9_-]+$")]
    next_cursor: Option<String>,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "Default 50"), ("cursor" = Option<String>, Query, pattern = r"^[A-Za-z0-9_-]+$", description = "`next_cursor` of the previous page")),
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
    let page = Page::from_query(&query_map(&req))?;
    let rows = app
        .db
        .read(move |conn| {
            let rows = store::articles::list(conn, page.after, page.fetch())?;
            let settings = store::settings::load(conn)?;
            Ok(rows
                .iter()
                .map(|a| {
                    let view = ArticleView::new(a, settings.default_moderation, a.approved_count);
                    (view, a.id)
                })
                .collect::<Vec<_>>())
        })
        .await?;
    let (rows, next_cursor) = page.finish(rows, |(_, id)| Cursor { key: 0, id: *id });
    let articles: Vec<ArticleView> = rows.into_iter().map(|(view, _)| view).collect();
    Ok(HttpResponse::Ok().json(ArticlesPage {
        articles,
        next_cursor,
    }))
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateArticleRequest {
    #[schema(
        min_length = 1,
        max_length = 300,
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
    )]
    title: Option<String>,
    /// An absolute http(s) URL, or `null` for none.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, format = "uri", max_length = 2048)]
    url: Option<Option<String>>,
    comments_open: Option<bool>,
    /// `null`: follow the site default.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<ModerationMode>)]
    moderation: Option<Option<ModerationMode>>,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(("key" = String, Path, pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", description = "The article's key")),
    request_body = UpdateArticleRequest,
    responses(
        (status = 200, description = "The article", body = ArticleView),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 404, description = "No such article"),
    ),
)]
#[patch("/admin/articles/{key}")]
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRequest {
    role: Role,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The account's id")),
    request_body = RoleRequest,
    responses(
        (status = 200, description = "The account", body = MeView),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 404, description = "No such account"),
        (status = 409, description = "conflict: it would leave no admin"),
    ),
)]
#[patch("/admin/users/{id}")]
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

#[derive(Serialize, ToSchema)]
pub struct UsersPage {
    users: Vec<MeView>,
    #[schema(required = true, pattern = r"^[A-Za-z0-9_-]+$")]
    next_cursor: Option<String>,
}

/// Search by name or email fragment, filter by role.
#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, max_length = 100, description = "A fragment of the username, display name or email"),
        ("role" = inline(Option<Role>), Query),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "Default 50"),
        ("cursor" = Option<String>, Query, pattern = r"^[A-Za-z0-9_-]+$", description = "`next_cursor` of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of accounts", body = UsersPage),
        (status = 400, description = "invalid_cursor"),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 422, description = "`q`, `role` or `limit` out of bounds"),
    ),
)]
#[get("/admin/users")]
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
    Ok(HttpResponse::Ok().json(UsersPage { users, next_cursor }))
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The settings", body = Settings),
        (status = 403, description = "forbidden (not an admin) or banned"),
    ),
)]
#[get("/admin/settings")]
pub async fn get_settings(
    _admin: Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let settings = app.db.read(store::settings::load).await?;
    Ok(HttpResponse::Ok().json(settings))
}

/// The settings to change; absent ones stay.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsRequest {
    default_moderation: Option<ModerationMode>,
    #[schema(minimum = 0, maximum = 10080)]
    edit_window_minutes: Option<i64>,
    #[schema(minimum = 1, maximum = 1000)]
    report_threshold: Option<i64>,
    #[schema(minimum = 0, maximum = 1000)]
    trusted_after: Option<i64>,
    #[schema(minimum = 0, maximum = 100)]
    max_links: Option<i64>,
    auto_create_articles: Option<bool>,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    request_body = SettingsRequest,
    responses(
        (status = 200, description = "The settings", body = Settings),
        (status = 403, description = "forbidden (not an admin) or banned"),
    ),
)]
#[patch("/admin/settings")]
pub async fn update_settings(
    admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request: SettingsRequest = body.parse()?;
    let patch = admin_service::SettingsPatch {
        default_moderation: request.default_moderation,
        edit_window_minutes: request.edit_window_minutes,
        report_threshold: request.report_threshold,
        trusted_after: request.trusted_after,
        max_links: request.max_links,
        auto_create_articles: request.auto_create_articles,
    };
    let actor = admin.0.id();
    let settings = app
        .db
        .write(move |conn| admin_service::update_settings(conn, actor, &patch))
        .await?;
    Ok(HttpResponse::Ok().json(settings))
}

#[derive(Serialize, ToSchema)]
pub struct Word {
    id: i64,
    pattern: String,
    #[schema(value_type = WordKindField)]
    kind: String,
    #[schema(format = DateTime)]
    created_at: String,
}

fn word_view(w: &crate::store::models::WordRow) -> Word {
    Word {
        id: w.id,
        pattern: w.pattern.clone(),
        kind: w.kind.clone(),
        created_at: time::format(w.created_at),
    }
}

#[derive(Serialize, ToSchema)]
pub struct WordList {
    words: Vec<Word>,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The word lists", body = WordList),
        (status = 403, description = "forbidden (not an admin) or banned"),
    ),
)]
#[get("/admin/words")]
pub async fn list_words(_admin: Admin, app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let words = app.db.read(store::words::all).await?;
    let words: Vec<Word> = words.iter().map(word_view).collect();
    Ok(HttpResponse::Ok().json(WordList { words }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWordRequest {
    /// One word, at most 100 characters; a final `*` matches it as a prefix.
    #[schema(min_length = 1, max_length = 100)]
    pattern: String,
    kind: WordKindField,
}

#[derive(Deserialize, Clone, Copy, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = WordKind)]
pub enum WordKindField {
    Banned,
    Suspect,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    request_body = NewWordRequest,
    responses(
        (status = 201, description = "The word", body = Word),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 409, description = "conflict: the same folded pattern of the same kind exists"),
    ),
)]
#[post("/admin/words")]
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
    warm_word_lists(&app).await;
    Ok(HttpResponse::Created().json(word_view(&word)))
}

/// Compiles the changed lists now, on a reading connection, so that the
/// next comment does not compile them inside the single writer (with a
/// thousand entries it takes a good part of a second). A failure here only
/// leaves the work to the next comment.
async fn warm_word_lists(app: &web::Data<AppState>) {
    let cache = app.words.clone();
    let _ = app
        .db
        .read(move |conn| store::words::compiled(conn, &cache))
        .await;
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WordTestRequest {
    /// The text to try, as a comment would be written: 1 to 5,000 characters
    /// once normalized (NFC, controls removed, trimmed).
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
    )]
    text: String,
}

/// What the word lists alone would do with a text.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WordTestOutcome {
    /// No entry matched.
    Pass,
    /// A suspect word: the comment would wait in the queue.
    Hold,
    /// A banned word: the comment would be rejected.
    Reject,
}

#[derive(Serialize, ToSchema)]
pub struct WordTestResult {
    outcome: WordTestOutcome,
    /// Every entry matched, banned ones first, as the queue shows them.
    matches: Vec<WordMatch>,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    request_body = WordTestRequest,
    responses(
        (status = 200, description = "What the current lists make of the text; nothing is posted", body = WordTestResult),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 422, description = "validation_failed: empty or too long"),
    ),
)]
#[post("/admin/words/test")]
pub async fn test_words(
    _admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request: WordTestRequest = body.parse()?;
    let text = input::filter_test_text(&request.text, app.config.comments.max_length)
        .map_err(|e| ApiError::Validation(vec![e]))?;
    // Read as a posted comment is: as written and as shown.
    let written = crate::service::comments::Written::new(text);
    let cache = app.words.clone();
    let words = app
        .db
        .read(move |conn| store::words::compiled(conn, &cache))
        .await?;
    let matches = crate::moderation::word_matches(&words, &written.folded);
    let outcome = if matches.iter().any(|m| m.kind == "banned_word") {
        WordTestOutcome::Reject
    } else if matches.is_empty() {
        WordTestOutcome::Pass
    } else {
        WordTestOutcome::Hold
    };
    Ok(HttpResponse::Ok().json(WordTestResult { outcome, matches }))
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The word's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 404, description = "No such word"),
    ),
)]
#[delete("/admin/words/{id}")]
pub async fn remove_word(
    id: web::Path<String>,
    admin: Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if id.as_str() == "test" {
        // The dry run's path, not a word id: only POST is there.
        use actix_web::ResponseError;
        let mut res = ApiError::MethodNotAllowed.error_response();
        res.headers_mut().insert(
            actix_web::http::header::ALLOW,
            actix_web::http::header::HeaderValue::from_static("POST"),
        );
        return Ok(res);
    }
    let id = path_id(&id)?;
    let actor = admin.0.id();
    app.db
        .write(move |conn| admin_service::remove_word(conn, actor, id))
        .await?;
    warm_word_lists(&app).await;
    Ok(HttpResponse::NoContent().finish())
}

/// Comments by status.
#[derive(Serialize, ToSchema)]
pub struct CommentCounts {
    approved: i64,
    pending: i64,
    rejected: i64,
    deleted: i64,
}

#[derive(Serialize, ToSchema)]
pub struct UserCounts {
    total: i64,
    banned: i64,
}

#[derive(Serialize, ToSchema)]
pub struct LastDay {
    comments: i64,
    reports: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Stats {
    comments: CommentCounts,
    users: UserCounts,
    articles: i64,
    last_24h: LastDay,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Counts", body = Stats),
        (status = 403, description = "forbidden (not an admin) or banned"),
    ),
)]
#[get("/admin/stats")]
pub async fn stats(_admin: Admin, app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    use crate::domain::CommentStatus;
    let s = app.db.read(admin_service::stats).await?;
    let count = |wanted: CommentStatus| {
        s.comments
            .iter()
            .find(|(status, _)| *status == wanted)
            .map_or(0, |(_, n)| *n)
    };
    Ok(HttpResponse::Ok().json(Stats {
        comments: CommentCounts {
            approved: count(CommentStatus::Approved),
            pending: count(CommentStatus::Pending),
            rejected: count(CommentStatus::Rejected),
            deleted: count(CommentStatus::Deleted),
        },
        users: UserCounts {
            total: s.users_total,
            banned: s.users_banned,
        },
        articles: s.articles,
        last_24h: LastDay {
            comments: s.comments_24h,
            reports: s.reports_24h,
        },
    }))
}
