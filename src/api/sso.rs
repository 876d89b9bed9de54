//! The site's own sign-in: a token signed by the site, exchanged for a session.

use super::accounts::Session;
use crate::error::ApiError;
use crate::http::JsonBody;
use crate::service::sso as service;
use crate::service::ServiceError;
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SsoRequest {
    /// A compact JWT signed by the site (docs/sso.md).
    #[schema(max_length = 8192)]
    token: String,
}

/// Longer than any token a site needs; refused before any parsing.
const MAX_TOKEN_BYTES: usize = 8192;

/// Exchanges the site's signed token for a session, finding or making the
/// reader's account. 404 while `sso.enabled` is off.
#[utoipa::path(
    tag = "accounts",
    request_body = SsoRequest,
    responses(
        (status = 200, description = "Signed in", body = Session),
        (status = 401, description = "sso_invalid, sso_expired or sso_replayed"),
        (status = 404, description = "not_found: the site's sign-in is off"),
    ),
)]
#[post("/auth/sso")]
pub async fn sign_in(
    req: HttpRequest,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if app.sso.is_none() {
        return Err(ServiceError::NotFound.into());
    }
    app.limits.login_address(&req).await?;
    let body: SsoRequest = body.parse()?;
    if body.token.len() > MAX_TOKEN_BYTES {
        return Err(ServiceError::SsoInvalid.into());
    }
    let (user, token, expires_at) =
        service::sign_in(&app.db, app.sso.as_ref(), &app.config, body.token).await?;
    Ok(HttpResponse::Ok().json(Session::new(&user, token, expires_at)))
}
