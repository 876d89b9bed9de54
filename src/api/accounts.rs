//! Accounts: registration, sign-in and out, one's own profile, export and erasure.

use super::views::{CommentView, MeView};
use crate::auth::{ActiveUser, CurrentUser};
use crate::domain::fields::{DisplayName, Email, Password, Username};
use crate::domain::time::{self, now_ms};
use crate::domain::{FieldError, Invalid, Problems};
use crate::error::ApiError;
use crate::http::{JsonBody, RequestLocale};
use crate::i18n::Locale;
use crate::service::accounts::{self as service, ProfileChanges, Registration};
use crate::state::AppState;
use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Usernames: letters of one script, ASCII digits, `_ - .`, unique
/// case-insensitively and by confusable skeleton. Lengths count the stored
/// form (NFC, trimmed).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    #[schema(schema_with = Username::schema)]
    username: String,
    #[schema(schema_with = Email::schema)]
    email: String,
    #[schema(schema_with = Password::schema)]
    password: String,
    #[schema(schema_with = display_name_or_username)]
    display_name: Option<String>,
    /// Defaults to the negotiated language.
    #[schema(value_type = Option<Locale>)]
    locale: Option<String>,
}

impl RegisterRequest {
    /// Every field checked at once; `locale` defaults to `negotiated`.
    fn parse(self, negotiated: Locale) -> Result<Registration, Invalid> {
        let mut problems = Problems::new();
        let username = problems.check(Username::parse(&self.username));
        let email = problems.check(Email::parse(&self.email));
        let password = problems.check(Password::parse("password", self.password));
        let display_name = match &self.display_name {
            Some(name) => problems.check(DisplayName::parse(name)),
            None => username.as_ref().map(DisplayName::from_username),
        };
        let locale = match &self.locale {
            Some(l) => problems.check(locale_field(l)),
            None => Some(negotiated),
        };
        problems.finish_with(|| {
            Some(Registration {
                username: username?,
                email: email?,
                password: password?,
                display_name: display_name?,
                locale: locale?,
            })
        })
    }
}

fn display_name_or_username() -> utoipa::openapi::schema::Object {
    let mut schema = DisplayName::optional_schema();
    schema.description = Some("Defaults to the username.".into());
    schema
}

/// A language an account may choose.
fn locale_field(raw: &str) -> Result<Locale, FieldError> {
    match raw {
        "fr" | "ar" | "en" => Locale::parse(raw).ok_or_else(locale_choices),
        _ => Err(locale_choices()),
    }
}

fn locale_choices() -> FieldError {
    FieldError::invalid_choice("locale", "fr, ar, en".into())
}

/// A new session: the account and its bearer token.
#[derive(Serialize, ToSchema)]
pub struct Session {
    user: MeView,
    token: String,
    #[schema(format = DateTime)]
    expires_at: String,
}

impl Session {
    pub fn new(user: &crate::store::models::UserRow, token: String, expires_at: i64) -> Session {
        Session {
            user: MeView::new(user, now_ms()),
            token,
            expires_at: time::format(expires_at),
        }
    }
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
    app.limits.register(&req).await?;
    let negotiated = RequestLocale::of(&req).api();
    let registration = body.parse::<RegisterRequest>()?.parse(negotiated)?;
    let (user, token, expires_at) =
        service::register(&app.db, &app.hasher, &app.config, registration).await?;
    Ok(HttpResponse::Created().json(Session {
        user: MeView::new(&user, now_ms()),
        token,
        expires_at: time::format(expires_at),
    }))
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
    app.limits.login_address(&req).await?;
    let (user, token, expires_at) = service::login(
        &app.db,
        &app.hasher,
        &app.limits,
        &app.config,
        body.login,
        body.password,
    )
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
        .write(move |conn| service::logout(conn, &caller.token_hash))
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
    #[schema(schema_with = DisplayName::optional_schema)]
    display_name: Option<String>,
    #[schema(value_type = Option<Locale>)]
    locale: Option<String>,
    /// Mail me when a reply to one of my comments is approved (only a
    /// verified address receives them).
    notify_replies: Option<bool>,
    /// Mail me when comments wait in the moderation queue (moderators and
    /// admins; a reader asking for it gets 403).
    notify_queue: Option<bool>,
}

impl TryFrom<UpdateMeRequest> for ProfileChanges {
    type Error = Invalid;

    fn try_from(body: UpdateMeRequest) -> Result<ProfileChanges, Invalid> {
        let mut problems = Problems::new();
        let display_name = problems.check_some(body.display_name.as_deref(), DisplayName::parse);
        let locale = problems.check_some(body.locale.as_deref(), locale_field);
        problems.finish()?;
        Ok(ProfileChanges {
            display_name,
            locale,
            notify_replies: body.notify_replies,
            notify_queue: body.notify_queue,
        })
    }
}

#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, description = "The updated account", body = MeView),
        (status = 403, description = "banned, or forbidden: notify_queue for a reader"),
    ),
)]
#[patch("/me")]
pub async fn update_me(
    caller: ActiveUser,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let changes = ProfileChanges::try_from(body.parse::<UpdateMeRequest>()?)?;
    let user = app
        .db
        .write(move |conn| service::update_profile(conn, &caller.user, &changes))
        .await?;
    Ok(HttpResponse::Ok().json(MeView::new(&user, now_ms())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    current_password: String,
    #[schema(schema_with = Password::schema)]
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
    let new_password = Password::parse("new_password", body.new_password)?;
    service::change_password(
        &app.db,
        &app.hasher,
        &app.limits,
        &caller.user,
        caller.token_hash.clone(),
        body.current_password,
        new_password,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
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
            reason: r.reason.as_str().to_string(),
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
    service::erase(
        &app.db,
        &app.hasher,
        &app.limits,
        &caller.user,
        body.password,
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
