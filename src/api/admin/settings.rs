//! The site settings.

use crate::auth::Admin;
use crate::domain::Settings;
use crate::error::ApiError;
use crate::http::JsonBody;
use crate::service::settings::{self as service, SettingsPatch};
use crate::state::AppState;
use actix_web::{get, patch, web, HttpResponse};

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
    let settings = app.db.read(service::current).await?;
    Ok(HttpResponse::Ok().json(settings))
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    request_body = SettingsPatch,
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
    let patch: SettingsPatch = body.parse()?;
    let actor = admin.0.id();
    let settings = app
        .db
        .write(move |conn| service::update_settings(conn, actor, &patch))
        .await?;
    Ok(HttpResponse::Ok().json(settings))
}
