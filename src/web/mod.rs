//! Pages for people, beside the JSON API: the reader's widget (`/embed.js`,
//! `/embed/{key}`), the moderator's desk (`/console/`), the landing page and
//! the demo. Handlers render compile-time-checked templates from the same
//! services the API uses; scripts and styles are compiled into the binary.

pub mod account;
pub mod assets;
mod console;
mod embed;
mod landing;
mod oidc;
mod reference;

use crate::i18n::{self, Arg, Locale};
use crate::state::AppState;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{web, HttpResponse};

pub use embed::EMBED_PAGE_SIZE;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(landing::index))
        .route("/demo", web::get().to(landing::demo))
        .route("/api", web::get().to(reference::page))
        .route("/embed.js", web::get().to(assets::loader))
        .route("/assets/{name}", web::get().to(assets::serve))
        .route("/embed/{key}", web::get().to(embed::page))
        .route("/console", web::get().to(console::redirect))
        .route("/console/", web::get().to(console::page))
        .route("/account/verify-email", web::get().to(account::verify_page))
        .route(
            "/account/verify-email",
            web::post().to(account::verify_submit),
        )
        .route(
            "/account/reset-password",
            web::get().to(account::reset_page),
        )
        .route(
            "/account/reset-password",
            web::post().to(account::reset_submit),
        )
        .route("/auth/oidc/{id}/start", web::get().to(oidc::start))
        .route("/auth/oidc/{id}/callback", web::get().to(oidc::callback))
        .route("/favicon.ico", web::get().to(no_icon));
}

/// Browsers ask every page's site for an icon; Tribune has none to show.
async fn no_icon() -> HttpResponse {
    HttpResponse::NoContent()
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .finish()
}

/// One button per OpenID provider: (id, "Sign in with {name}") in `locale`.
pub fn oidc_buttons(app: &AppState, locale: Locale) -> Vec<(String, String)> {
    crate::service::oidc::buttons(&app.config)
        .into_iter()
        .map(|b| {
            let label = i18n::message(locale, "auth-oidc-sign-in", &[("name", Arg::Str(&b.name))]);
            (b.id, label)
        })
        .collect()
}

/// Scripts, styles, fetches and frames from Tribune itself, nothing inline;
/// `frame_ancestors` says who may frame the page.
pub fn content_security_policy(frame_ancestors: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
         connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; \
         object-src 'none'; frame-ancestors {frame_ancestors}"
    )
}

/// An HTML answer with its policy and language (the common layer keeps both).
pub fn html(
    body: impl actix_web::body::MessageBody + 'static,
    locale: Locale,
    csp: &str,
) -> HttpResponse {
    let mut res = HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        // Without `?lang=`, the language comes from the request's header.
        .insert_header((header::VARY, "Accept-Language"))
        .body(body);
    let headers = res.headers_mut();
    if let Ok(value) = HeaderValue::from_str(csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(locale.as_str()),
    );
    res
}

/// Catalog strings for one page's language, as templates call them.
#[derive(Clone, Copy)]
pub struct Strings(pub Locale);

impl Strings {
    pub fn t(&self, key: &str) -> String {
        i18n::message(self.0, key, &[])
    }

    pub fn n(&self, key: &str, count: i64) -> String {
        i18n::message(self.0, key, &[("count", Arg::Num(count))])
    }

    pub fn lang(&self) -> &'static str {
        self.0.as_str()
    }

    pub fn dir(&self) -> &'static str {
        self.0.dir()
    }
}
