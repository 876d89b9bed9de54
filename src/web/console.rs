//! `GET /console/`: the moderator's desk. The page is a shell in the reader's
//! language; its script works over the REST API with a moderator's token.

use super::{assets, content_security_policy, html, Strings};
use crate::error::ApiError;
use crate::http::RequestLocale;
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

#[derive(Template)]
#[template(path = "console.html")]
struct Console {
    s: Strings,
    css: String,
    js: String,
    /// OpenID providers' buttons: (id, label).
    oidc: Vec<(String, String)>,
}

pub async fn page(req: HttpRequest, app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let locale = RequestLocale::of(&req).page();
    let page = Console {
        s: Strings(locale),
        css: assets::url("console.css"),
        js: assets::url("console.js"),
        oidc: super::oidc_buttons(&app, locale),
    };
    let body = page
        .render()
        .map_err(|e| ApiError::failed("rendering a page", e))?;
    // Nobody frames the desk: a framed desk could be clickjacked into approving.
    Ok(html(body, locale, &content_security_policy("'none'")))
}

pub async fn redirect(req: HttpRequest) -> HttpResponse {
    let query = req.query_string();
    let target = if query.is_empty() {
        "/console/".to_string()
    } else {
        format!("/console/?{query}")
    };
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, target))
        .finish()
}
