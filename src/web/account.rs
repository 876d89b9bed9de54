//! The pages links in mails open: confirming an address, choosing a new
//! password, unsubscribing. A GET only shows a form (mail scanners follow
//! links; a one-time token must survive that); the form's POST does it.

use super::{assets, content_security_policy, html, Strings};
use crate::domain::Password;
use crate::error::ApiError;
use crate::http::RequestLocale;
use crate::i18n::Locale;
use crate::service::recovery;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

/// A short page: a title, a few paragraphs, and maybe a form.
#[derive(Template)]
#[template(path = "notice.html")]
pub struct Notice {
    s: Strings,
    css: String,
    title: String,
    paragraphs: Vec<String>,
    /// Where the form posts; empty: no form.
    action: String,
    hidden: Vec<(&'static str, String)>,
    /// The new password's label; empty: no password field.
    password_label: String,
    submit: String,
    /// An error's stable code, shown and marked for machines; empty: none.
    code: String,
}

impl Notice {
    pub fn new(locale: Locale, title_key: &str) -> Notice {
        let s = Strings(locale);
        Notice {
            title: s.t(title_key),
            s,
            css: assets::url("console.css"),
            paragraphs: Vec::new(),
            action: String::new(),
            hidden: Vec::new(),
            password_label: String::new(),
            submit: String::new(),
            code: String::new(),
        }
    }

    pub fn say(mut self, key: &str) -> Notice {
        self.paragraphs.push(self.s.t(key));
        self
    }

    pub fn say_text(mut self, text: String) -> Notice {
        self.paragraphs.push(text);
        self
    }

    pub fn form(
        mut self,
        action: String,
        hidden: Vec<(&'static str, String)>,
        submit_key: &str,
    ) -> Notice {
        self.action = action;
        self.hidden = hidden;
        self.submit = self.s.t(submit_key);
        self
    }

    /// The error's stable code, under its message.
    pub fn code(mut self, code: &str) -> Notice {
        let line = crate::i18n::message(
            self.s.0,
            "oidc-page-code",
            &[("code", crate::i18n::Arg::Str(code))],
        );
        self.paragraphs.push(line);
        self.code = code.to_string();
        self
    }

    pub fn with_password(mut self, label_key: &str) -> Notice {
        self.password_label = self.s.t(label_key);
        self
    }

    /// The page, with `status` (an error page keeps its HTML).
    pub fn answer(self, status: StatusCode) -> Result<HttpResponse, ApiError> {
        let locale = self.s.0;
        let body = self
            .render()
            .map_err(|e| ApiError::failed("rendering a page", e))?;
        let mut res = html(body, locale, &content_security_policy("'none'"));
        *res.status_mut() = status;
        Ok(res)
    }
}

/// The first value of `name` in a query string or a form body.
fn field(encoded: &[u8], name: &str) -> String {
    url::form_urlencoded::parse(encoded)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// A refused token or password, as the page says it: the fields' messages,
/// or the error's own.
pub fn problem_text(locale: Locale, e: &ApiError) -> String {
    let body = e.body(locale);
    let fields: Vec<String> = body["error"]["fields"]
        .as_object()
        .map(|f| {
            f.values()
                .filter_map(|v| v.as_array())
                .flatten()
                .filter_map(|m| m.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if fields.is_empty() {
        body["error"]["message"].as_str().unwrap_or("").to_string()
    } else {
        fields.join(" ")
    }
}

fn failed(locale: Locale, title_key: &str, e: &ApiError) -> Result<HttpResponse, ApiError> {
    e.log_failure();
    Notice::new(locale, title_key)
        .say_text(problem_text(locale, e))
        .answer(e.status_code())
}

/// A page reached from a mailed link: what it is for, and a form that sends
/// the link's token back (so that following the link alone changes nothing).
struct TokenPage {
    /// Where the form posts, without the language.
    path: &'static str,
    title: &'static str,
    intro: &'static str,
    submit: &'static str,
    /// The label of a password field, when the form asks for one.
    password: Option<&'static str>,
}

fn token_page(req: &HttpRequest, page: TokenPage) -> Result<HttpResponse, ApiError> {
    let locale = RequestLocale::of(req).page();
    let token = field(req.query_string().as_bytes(), "token");
    let mut notice = Notice::new(locale, page.title).say(page.intro).form(
        format!("{}?lang={}", page.path, locale.as_str()),
        vec![("token", token)],
        page.submit,
    );
    if let Some(label) = page.password {
        notice = notice.with_password(label);
    }
    notice.answer(StatusCode::OK)
}

/// `GET /account/verify-email?token=`: a button that confirms.
pub async fn verify_page(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let page = TokenPage {
        path: "/account/verify-email",
        title: "verify-page-title",
        intro: "verify-page-intro",
        submit: "verify-page-submit",
        password: None,
    };
    token_page(&req, page)
}

/// `POST /account/verify-email` (the form): the same as the API's route.
pub async fn verify_submit(
    req: HttpRequest,
    form: web::Bytes,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let locale = RequestLocale::of(&req).page();
    let token = field(&form, "token");
    let now = app.clock.now_ms();
    match app
        .db
        .write(move |conn| recovery::verify_email(conn, &token, now))
        .await
    {
        Ok(()) => Notice::new(locale, "verify-page-title")
            .say("verify-page-done")
            .answer(StatusCode::OK),
        Err(e) => failed(locale, "verify-page-title", &e.into()),
    }
}

/// `GET /account/reset-password?token=`: the new password's form.
pub async fn reset_page(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let page = TokenPage {
        path: "/account/reset-password",
        title: "reset-page-title",
        intro: "reset-page-intro",
        submit: "reset-page-submit",
        password: Some("reset-page-password"),
    };
    token_page(&req, page)
}

/// `POST /account/reset-password` (the form): the same as the API's route.
pub async fn reset_submit(
    req: HttpRequest,
    form: web::Bytes,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let locale = RequestLocale::of(&req).page();
    let token = field(&form, "token");
    let outcome = match Password::parse("password", field(&form, "password")) {
        Ok(password) => {
            recovery::confirm_reset(&app.db, &app.hasher, &app.clock, token, password).await
        }
        Err(problem) => Err(problem.into()),
    };
    match outcome {
        Ok(()) => Notice::new(locale, "reset-page-title")
            .say("reset-page-done")
            .answer(StatusCode::OK),
        Err(e) => failed(locale, "reset-page-title", &e.into()),
    }
}
