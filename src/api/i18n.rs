//! The strings a comment widget shows, per language.

use crate::error::ApiError;
use crate::i18n::{self, Locale};
use actix_web::{web, HttpResponse};
use serde_json::json;

/// GET /api/v1/i18n/{locale}
pub async fn strings(locale: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let locale = Locale::parse(&locale).ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(json!({
        "locale": locale.as_str(),
        "dir": locale.dir(),
        "strings": i18n::widget_strings(locale),
    })))
}
