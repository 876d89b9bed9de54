//! Sign-in with an OpenID Connect provider, as pages: the start redirects to
//! the provider; the callback hands the session to the window that opened
//! the sign-in (the widget's or the console's popup) or, with none, goes
//! back to `return`. Errors are a short page in the reader's language with
//! the error's stable code. Tokens never go into a URL, and nothing of them
//! is logged.

use super::account::{problem_text, Notice};
use super::{assets, content_security_policy, html, Strings};
use crate::api::accounts::Session;
use crate::error::ApiError;
use crate::http::RequestLocale;
use crate::i18n::Locale;
use crate::service::oidc::{self, CallbackParams};
use crate::service::ServiceError;
use crate::state::AppState;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

/// The page that hands the session over (`oidc.js` reads `data-session`).
#[derive(Template)]
#[template(path = "oidc_done.html")]
struct Done {
    s: Strings,
    css: String,
    js: String,
    title: String,
    text: String,
    /// `{"session": …, "return": …}` as JSON (escaped as an attribute).
    session: String,
}

fn query(req: &HttpRequest, name: &str) -> Option<String> {
    url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// An error as a page: its message, its code, its status.
fn failed(locale: Locale, e: &ApiError) -> HttpResponse {
    e.log_failure();
    let page = Notice::new(locale, "oidc-page-title")
        .say_text(problem_text(locale, e))
        .code(e.code())
        .answer(e.status_code());
    let mut res = page.unwrap_or_else(|e| e.to_response(locale));
    if let ApiError::Service(ServiceError::RateLimited { retry_after }) = e {
        if let Ok(v) = header::HeaderValue::from_str(&retry_after.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    no_store(&mut res);
    res
}

/// The starting browser's secret: sent back only to the callback, by the
/// browser that started, on the provider's top-level redirect.
const BROWSER_COOKIE: &str = "tribune_oidc";

fn browser_cookie(app: &AppState, value: String, max_age_seconds: i64) -> Cookie<'static> {
    let secure = app.config.server.public_url.starts_with("https://");
    Cookie::build(BROWSER_COOKIE, value)
        .path("/auth/oidc/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::seconds(max_age_seconds))
        .finish()
}

/// Nothing of a sign-in is kept by a cache, or sent on as a referrer.
fn no_store(res: &mut HttpResponse) {
    let headers = res.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
}

/// `GET /auth/oidc/{id}/start?return=…`: 302 to the provider.
pub async fn start(
    req: HttpRequest,
    id: web::Path<String>,
    app: web::Data<AppState>,
) -> HttpResponse {
    let locale = RequestLocale::of(&req).page();
    let wanted = query(&req, "return").unwrap_or_default();
    let outcome = async {
        if app.config.oidc.provider(&id).is_none() {
            return Err(ServiceError::NotFound);
        }
        app.limits.login_address(&req).await?;
        oidc::start(
            &app.db,
            &app.oidc,
            app.clock.as_ref(),
            &app.config,
            &id,
            &wanted,
        )
        .await
    }
    .await;
    match outcome {
        Ok(started) => {
            let lifetime = oidc::LOGIN_LIFETIME_MS / 1000;
            let mut res = HttpResponse::Found()
                .insert_header((header::LOCATION, started.location))
                .cookie(browser_cookie(&app, started.browser_secret, lifetime))
                .finish();
            no_store(&mut res);
            res
        }
        Err(e) => failed(locale, &e.into()),
    }
}

/// `GET /auth/oidc/{id}/callback?code=…&state=…`: the session, handed over.
pub async fn callback(
    req: HttpRequest,
    id: web::Path<String>,
    app: web::Data<AppState>,
) -> HttpResponse {
    let locale = RequestLocale::of(&req).page();
    let params = CallbackParams {
        code: query(&req, "code"),
        state: query(&req, "state"),
        error: query(&req, "error"),
        iss: query(&req, "iss"),
        browser: req.cookie(BROWSER_COOKIE).map(|c| c.value().to_string()),
    };
    let outcome = async {
        if app.config.oidc.provider(&id).is_none() {
            return Err(ServiceError::NotFound);
        }
        app.limits.login_address(&req).await?;
        oidc::finish(
            &app.db,
            &app.oidc,
            app.clock.as_ref(),
            &app.config,
            &id,
            params,
        )
        .await
    }
    .await;
    let signed_in = match outcome {
        Ok(signed_in) => signed_in,
        Err(e) => {
            let mut res = failed(locale, &e.into());
            let _ = res.add_cookie(&browser_cookie(&app, String::new(), 0));
            return res;
        }
    };
    let session = Session::new(&signed_in.user, signed_in.token, signed_in.expires_at);
    let data = serde_json::json!({ "session": session, "return": signed_in.return_to });
    let s = Strings(locale);
    let page = Done {
        css: assets::url("console.css"),
        js: assets::url("oidc.js"),
        title: s.t("oidc-page-title"),
        text: s.t("oidc-page-done"),
        session: data.to_string(),
        s,
    };
    match page.render() {
        Ok(body) => {
            let mut res = html(body, locale, &content_security_policy("'none'"));
            *res.status_mut() = StatusCode::OK;
            let _ = res.add_cookie(&browser_cookie(&app, String::new(), 0));
            no_store(&mut res);
            res
        }
        Err(e) => failed(locale, &ApiError::failed("rendering a page", e)),
    }
}
