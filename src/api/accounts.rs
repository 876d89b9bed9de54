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
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    username: String,
    email: String,
    password: String,
    display_name: Option<String>,
    locale: Option<String>,
}

/// POST /api/v1/auth/register
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
    Ok(HttpResponse::Created().json(json!({
        "user": MeView::new(&user, now_ms()),
        "token": token,
        "expires_at": time::format(expires_at),
    })))
}

fn requested_locale(req: &HttpRequest) -> Option<Locale> {
    req.headers()
        .get("Accept-Language")
        .and_then(|v| v.to_str().ok())
        .and_then(i18n::negotiate)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    login: String,
    password: String,
}

/// POST /api/v1/auth/login
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
    Ok(HttpResponse::Ok().json(json!({
        "user": MeView::new(&user, now_ms()),
        "token": token,
        "expires_at": time::format(expires_at),
    })))
}

/// POST /api/v1/auth/logout
pub async fn logout(
    caller: CurrentUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    app.db
        .write(move |conn| crate::store::sessions::revoke(conn, &caller.token_hash))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// GET /api/v1/me
pub async fn me(caller: CurrentUser) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(MeView::new(&caller.user, now_ms())))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    display_name: Option<String>,
    locale: Option<String>,
}

/// PATCH /api/v1/me
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    current_password: String,
    new_password: String,
}

/// PUT /api/v1/me/password — every other session is revoked.
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

/// GET /api/v1/me/export — everything Tribune holds of the caller.
pub async fn export(
    caller: CurrentUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = caller.id();
    let (comments, reports) = app.db.read(move |conn| service::export(conn, id)).await?;
    let comments: Vec<CommentView> = comments.iter().map(CommentView::full).collect();
    let reports: Vec<_> = reports
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "comment_id": r.comment_id,
                "reason": r.reason,
                "note": r.note,
                "created_at": time::format(r.created_at),
                "resolved_at": r.resolved_at.map(time::format),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({
        "user": MeView::new(&caller.user, now_ms()),
        "comments": comments,
        "reports": reports,
    })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EraseRequest {
    password: String,
}

/// DELETE /api/v1/me — erasure; comments stay without their author.
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
