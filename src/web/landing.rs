//! `GET /`: what Tribune is and how to embed it; `GET /demo`: an article
//! page that embeds the widget exactly as a site would.

use super::embed::DEMO_KEY;
use super::{assets, content_security_policy, html, Strings};
use crate::error::ApiError;
use crate::http::RequestLocale;
use crate::i18n::Locale;
use crate::service::ServiceError;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing {
    s: Strings,
    css: String,
    snippet: String,
    counts: String,
    demo: bool,
    languages: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "demo.html")]
struct Demo {
    s: Strings,
    css: String,
    key: &'static str,
    languages: Vec<(&'static str, String)>,
}

/// This server's address as the browser reached it.
fn origin(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

fn languages() -> Vec<(&'static str, String)> {
    Locale::ALL
        .iter()
        .map(|l| (l.as_str(), Strings(*l).t("language-name")))
        .collect()
}

pub async fn index(req: HttpRequest, app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let locale = RequestLocale::of(&req).page();
    let origin = origin(&req);
    let page = Landing {
        s: Strings(locale),
        css: assets::url("console.css"),
        snippet: format!(
            "<div data-tribune-article=\"2026-11-29-budget\" data-tribune-lang=\"{lang}\"\n     \
             data-tribune-title=\"Le budget 2027\" data-tribune-url=\"https://site.example/budget\"></div>\n\
             <script src=\"{origin}/embed.js\" async></script>",
            lang = locale.as_str()
        ),
        counts: format!(
            "<span data-tribune-count=\"2026-11-29-budget\"></span>\n\
             <script src=\"{origin}/embed.js\" async></script>"
        ),
        demo: app.config.server.demo,
        languages: languages(),
    };
    let body = page
        .render()
        .map_err(|e| ApiError::failed("rendering a page", e))?;
    Ok(html(body, locale, &content_security_policy("'none'")))
}

pub async fn demo(req: HttpRequest, app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if !app.config.server.demo {
        return Err(ServiceError::NotFound.into());
    }
    let locale = RequestLocale::of(&req).page();
    let page = Demo {
        s: Strings(locale),
        css: assets::url("console.css"),
        key: DEMO_KEY,
        languages: languages(),
    };
    let body = page
        .render()
        .map_err(|e| ApiError::failed("rendering a page", e))?;
    Ok(html(body, locale, &content_security_policy("'none'")))
}
