//! What mails lead back to: verifying an address, resetting a password,
//! and the one-click unsubscribe link (RFC 8058).

use crate::auth::CurrentUser;
use crate::domain::{Email, Password};
use crate::error::ApiError;
use crate::http::{JsonBody, RequestLocale};
use crate::service::mail::Topic;
use crate::service::recovery as service;
use crate::service::ServiceError;
use crate::state::AppState;
use crate::web::account::Notice;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    /// The token from the link in the mail.
    #[schema(max_length = 128)]
    token: String,
}

/// Marks the address verified. A token that is unknown, expired or already
/// used is a 422 on `token`.
#[utoipa::path(
    tag = "accounts",
    request_body = TokenRequest,
    responses(
        (status = 204, description = "The address is verified"),
        (status = 422, description = "validation_failed: the token is unknown, expired or used"),
    ),
)]
#[post("/auth/verify-email")]
pub async fn verify_email(
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body: TokenRequest = body.parse()?;
    let now = app.clock.now_ms();
    app.db
        .write(move |conn| service::verify_email(conn, &body.token, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mails a new verification link to the caller's address (202), unless it
/// is verified already (204). Counts against the password-reset limits.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 202, description = "A new link is on its way"),
        (status = 204, description = "The address is verified already"),
        (status = 429, description = "rate_limited"),
    ),
)]
#[post("/me/verify-email")]
pub async fn resend_verification(
    req: HttpRequest,
    caller: CurrentUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if caller.user.email_verified_at.is_some() || caller.user.email.is_none() {
        return Ok(HttpResponse::NoContent().finish());
    }
    app.limits
        .reset(&req, caller.user.email.as_deref().unwrap_or(""))
        .await?;
    let config = app.config.clone();
    app.db
        .write(move |conn| service::queue_verification(conn, &config, &caller.user))
        .await?;
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    #[schema(schema_with = Email::schema)]
    email: String,
}

/// Mails a reset link when an account has this address. Always 202 (after
/// the same work either way), so the answer says nothing about accounts.
#[utoipa::path(
    tag = "accounts",
    request_body = ResetRequest,
    responses(
        (status = 202, description = "Accepted: a link is mailed if an account has the address"),
        (status = 429, description = "rate_limited: per client address and per e-mail address"),
    ),
)]
#[post("/auth/password-reset")]
pub async fn password_reset(
    req: HttpRequest,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body: ResetRequest = body.parse()?;
    let email = Email::parse(&body.email)?;
    app.limits.reset(&req, email.as_str()).await?;
    // The lookup and the mail happen after the answer: its timing cannot
    // tell whether the account exists.
    let state = app.clone();
    actix_web::rt::spawn(async move {
        if let Err(e) =
            service::request_reset(&state.db, &state.clock, &state.config, email.into_string())
                .await
        {
            tracing::warn!(error = %e, "a password-reset request could not be recorded");
        }
    });
    Ok(HttpResponse::Accepted().finish())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirmRequest {
    /// The token from the link in the mail.
    #[schema(max_length = 128)]
    token: String,
    #[schema(schema_with = Password::schema)]
    password: String,
}

/// Sets the new password (the usual rules) and revokes every session. A
/// token that is unknown, expired or already used is a 422 on `token`.
#[utoipa::path(
    tag = "accounts",
    request_body = ResetConfirmRequest,
    responses(
        (status = 204, description = "Password set, every session revoked"),
        (status = 422, description = "validation_failed: token or password"),
    ),
)]
#[post("/auth/password-reset/confirm")]
pub async fn password_reset_confirm(
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let body: ResetConfirmRequest = body.parse()?;
    let password = Password::parse("password", body.password)?;
    service::confirm_reset(&app.db, &app.hasher, &app.clock, body.token, password).await?;
    Ok(HttpResponse::NoContent().finish())
}

fn question(topic: Topic) -> &'static str {
    match topic {
        Topic::Replies => "unsubscribe-replies",
        Topic::Queue => "unsubscribe-queue",
    }
}

/// The page an unknown link shows (404).
fn unknown_link(req: &HttpRequest) -> Result<HttpResponse, ApiError> {
    Notice::new(RequestLocale::of(req).page(), "unsubscribe-title")
        .say("unsubscribe-invalid")
        .answer(StatusCode::NOT_FOUND)
}

/// The unsubscribe link opened in a browser: a page that asks to confirm
/// (its button POSTs to the same address). Changes nothing; an unknown link
/// answers 404 with a page saying so.
#[utoipa::path(
    tag = "accounts",
    params(("token" = String, Path, description = "The signed token from the mail")),
    responses(
        (status = 200, description = "An HTML page with a button that unsubscribes", content_type = "text/html"),
        (status = 404, description = "not_found: not a link of this server", content_type = "text/html"),
    ),
)]
#[get("/unsubscribe/{token}")]
pub async fn unsubscribe_page(
    req: HttpRequest,
    token: web::Path<String>,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let token = token.into_inner();
    let check = token.clone();
    let found = app
        .db
        .read(move |conn| service::unsubscribe_target(conn, &check))
        .await;
    let (user, topic) = match found {
        Ok(found) => found,
        Err(ServiceError::NotFound) => return unknown_link(&req),
        Err(e) => return Err(e.into()),
    };
    let locale = RequestLocale::of(&req).or_account(user.locale);
    Notice::new(locale, "unsubscribe-title")
        .say(question(topic))
        .form(
            format!("/api/v1/unsubscribe/{token}"),
            Vec::new(),
            "unsubscribe-submit",
        )
        .answer(StatusCode::OK)
}

/// One-click unsubscribe (RFC 8058): mail clients POST
/// `List-Unsubscribe=One-Click`; any body is accepted and ignored, no
/// sign-in. 204; a browser (one that accepts `text/html`, as the page's
/// form does) gets a page saying it is done.
#[utoipa::path(
    tag = "accounts",
    params(("token" = String, Path, description = "The signed token from the mail")),
    responses(
        (status = 204, description = "Those mails stop"),
        (status = 200, description = "Done, as a page for a browser", content_type = "text/html"),
        (status = 404, description = "not_found: not a link of this server"),
    ),
)]
#[post("/unsubscribe/{token}")]
pub async fn unsubscribe(
    req: HttpRequest,
    token: web::Path<String>,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let token = token.into_inner();
    let browser = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    // A link that is not one of ours is turned away before the writer.
    let check = token.clone();
    let found = app
        .db
        .read(move |conn| service::unsubscribe_target(conn, &check))
        .await;
    let done = match found {
        Ok(_) => {
            app.db
                .write(move |conn| service::unsubscribe(conn, &token))
                .await
        }
        Err(e) => Err(e),
    };
    let (user, _) = match done {
        Ok(done) => done,
        Err(ServiceError::NotFound) if browser => return unknown_link(&req),
        Err(e) => return Err(e.into()),
    };
    if !browser {
        return Ok(HttpResponse::NoContent().finish());
    }
    Notice::new(
        RequestLocale::of(&req).or_account(user.locale),
        "unsubscribe-title",
    )
    .say("unsubscribe-done")
    .answer(StatusCode::OK)
}
