//! Accounts: registration, sign-in and out, one's own profile, export and erasure.

use super::views::{CommentView, MeView};
use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::{input, time};
use crate::error::{ApiError, FieldError};
use crate::http::JsonBody;
use crate::i18n::{self, Locale};
use crate::service::accounts as service;
use crate::store::now_ms;
use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Usernames: letters of one script, ASCII digits, `_ - .`, unique
/// case-insensitively and by confusable skeleton. Lengths count the stored
/// form (NFC, trimmed).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(min_length = 3, max_length = 32)]
    username: String,
    #[schema(format = Email, max_length = 254)]
    email: String,
    #[schema(min_length = 10, max_length = 128)]
    password: String,
    /// Defaults to the username.
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
    )]
    display_name: Option<String>,
    /// Defaults to the negotiated language.
    #[schema(value_type = Option<super::docs::LocaleName>)]
    locale: Option<String>,
}

/// A new session: the account and its bearer token.
#[derive(Serialize, ToSchema)]
pub struct Session {
    user: MeView,
    token: String,
    #[schema(format = DateTime)]
    expires_at: String,
}

#[utoipa::path(
    tag = "accounts",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = Session),
        (status = 409, description = "username_taken or email_taken"),
    ),
)]
#[post("/auth/register")]
pub async fn register(
    req: HttpRequest,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    app.limits.register(&req)?;
    let body: RegisterRequest = body.parse()?;
    let mut problems = input::Problems::new();
    let username = problems.check(input::username(&body.username));
    let email = problems.check(input::email(&body.email));
    problems.check(input::password("password", &body.password));
    let display_name = match &body.display_name {
        Some(name) => problems.check(input::display_name(name)),
        None => username.clone(),
    };
    let locale = match &body.locale {
        Some(l) => problems.check(input::locale(l)),
        None => Some(requested_locale(&req).unwrap_or(app.default_locale)),
    };
    problems.finish()?;
    let account = service::NewAccount {
        username: username.expect("checked"),
        email: email.expect("checked"),
        display_name: display_name.expect("checked"),
        locale: locale.expect("checked"),
        password_hash: app.hasher.hash(body.password).await?,
    };
    let lifetime = app.token_lifetime_ms();
    let (user, token, expires_at) = app
        .db
        .write(move |conn| service::register(conn, account, lifetime))
        .await?;
    Ok(HttpResponse::Created().json(Session {
        user: MeView::new(&user, now_ms()),
        token,
        expires_at: time::format(expires_at),
    }))
}

fn requested_locale(req: &HttpRequest) -> Option<Locale> {
    req.headers()
        .get("Accept-Language")
        .and_then(|v| v.to_str().ok())
        .and_then(i18n::negotiate)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Username or email.
    login: String,
    password: String,
}

/// Same answer, in the same time, for an unknown user and a wrong password.
#[utoipa::path(
    tag = "accounts",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = Session),
        (status = 401, description = "invalid_credentials"),
    ),
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body: LoginRequest = body.parse()?;
    app.limits.login(&req, &body.login)?;
    if body.password.len() > 1024 || body.login.len() > 1024 {
        return Err(ApiError::InvalidCredentials);
    }
    let login = body.login.clone();
    let user = app
        .db
        .read(move |conn| service::find_for_login(conn, &login))
        .await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    if !app.hasher.verify(body.password, stored).await? {
        return Err(ApiError::InvalidCredentials);
    }
    let user = user.ok_or(ApiError::InvalidCredentials)?;
    let lifetime = app.token_lifetime_ms();
    let user_id = user.id;
    let (token, expires_at) = app
        .db
        .write(move |conn| service::open_session(conn, user_id, lifetime))
        .await?;
    Ok(HttpResponse::Ok().json(Session {
        user: MeView::new(&user, now_ms()),
        token,
        expires_at: time::format(expires_at),
    }))
}

/// Revokes the token used.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses((status = 204, description = "Signed out")),
)]
#[post("/auth/logout")]
pub async fn logout(
    caller: CurrentUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    app.db
        .write(move |conn| crate::store::sessions::revoke(conn, &caller.token_hash))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses((status = 200, description = "One's own account", body = MeView)),
)]
#[get("/me")]
pub async fn me(caller: CurrentUser) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(MeView::new(&caller.user, now_ms())))
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
    )]
    display_name: Option<String>,
    #[schema(value_type = Option<super::docs::LocaleName>)]
    locale: Option<String>,
}

#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated account", body = MeView),
        (status = 403, description = "banned"),
    ),
)]
#[patch("/me")]
pub async fn update_me(
    caller: CurrentUser,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    caller.ensure_not_banned()?;
    let body: UpdateMeRequest = body.parse()?;
    let mut problems = input::Problems::new();
    let display_name = body
        .display_name
        .as_deref()
        .and_then(|n| problems.check(input::display_name(n)));
    let locale = body
        .locale
        .as_deref()
        .and_then(|l| problems.check(input::locale(l)));
    problems.finish()?;
    let id = caller.id();
    let user = app
        .db
        .write(move |conn| {
            crate::store::users::update_profile(
                conn,
                id,
                display_name.as_deref(),
                locale.map(Locale::as_str),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(MeView::new(&user, now_ms())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    current_password: String,
    #[schema(min_length = 10, max_length = 128)]
    new_password: String,
}

/// Every other session is revoked. A wrong current password is a 422 on `current_password`.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses((status = 204, description = "Password changed")),
)]
#[put("/me/password")]
pub async fn change_password(
    caller: CurrentUser,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body: ChangePasswordRequest = body.parse()?;
    input::password("new_password", &body.new_password).map_err(one)?;
    check_password(&app, &caller, body.current_password, "current_password").await?;
    let hash = app.hasher.hash(body.new_password).await?;
    app.db
        .write(move |conn| {
            crate::store::users::set_password_hash(conn, caller.id(), &hash)?;
            crate::store::sessions::revoke_others(conn, caller.id(), &caller.token_hash)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

fn one(problem: FieldError) -> ApiError {
    ApiError::Validation(vec![problem])
}

async fn check_password(
    app: &AppState,
    caller: &CurrentUser,
    password: String,
    field: &str,
) -> Result<(), ApiError> {
    let ok = password.len() <= 1024
        && app
            .hasher
            .verify(password, Some(caller.user.password_hash.clone()))
            .await?;
    if ok {
        Ok(())
    } else {
        Err(one(FieldError::new(field, "validation-wrong-password")))
    }
}

/// A report as its author sees it in an export.
#[derive(Serialize, ToSchema)]
pub struct ExportedReport {
    id: i64,
    comment_id: i64,
    #[schema(value_type = crate::domain::ReportReason)]
    reason: String,
    #[schema(required = true)]
    note: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(required = true, format = DateTime)]
    resolved_at: Option<String>,
}

/// Everything Tribune holds of an account.
#[derive(Serialize, ToSchema)]
pub struct Export {
    user: MeView,
    /// Every comment, whatever its status.
    comments: Vec<CommentView>,
    reports: Vec<ExportedReport>,
}

/// Everything Tribune holds of the caller.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller's data", body = Export)),
)]
#[get("/me/export")]
pub async fn export(
    caller: CurrentUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = caller.id();
    let (comments, reports) = app.db.read(move |conn| service::export(conn, id)).await?;
    let comments: Vec<CommentView> = comments.iter().map(CommentView::full).collect();
    let reports: Vec<ExportedReport> = reports
        .iter()
        .map(|r| ExportedReport {
            id: r.id,
            comment_id: r.comment_id,
            reason: r.reason.clone(),
            note: r.note.clone(),
            created_at: time::format(r.created_at),
            resolved_at: r.resolved_at.map(time::format),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Export {
        user: MeView::new(&caller.user, now_ms()),
        comments,
        reports,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EraseRequest {
    password: String,
}

/// Erasure: comments stay without their author. A wrong password is a 422 on `password`.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = EraseRequest,
    responses(
        (status = 204, description = "Account erased, sessions revoked"),
        (status = 409, description = "conflict: the last admin cannot erase itself"),
    ),
)]
#[delete("/me")]
pub async fn erase(
    caller: CurrentUser,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body: EraseRequest = body.parse()?;
    check_password(&app, &caller, body.password, "password").await?;
    let id = caller.id();
    app.db.write(move |conn| service::erase(conn, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
