//! The caller's language, chosen in one place. A request may ask for one
//! (`?lang=` on pages, `Accept-Language` everywhere); what it falls back to
//! depends on the answer: a page or an anonymous answer takes the
//! configured default, a signed-in caller's answer their account's.

use crate::i18n::{self, Locale};
use crate::state::AppState;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use std::future::{ready, Ready};

/// What a request asks for, and the configured default; never fails.
#[derive(Debug, Clone, Copy)]
pub struct RequestLocale {
    query: Option<Locale>,
    header: Option<Locale>,
    default: Locale,
}

impl RequestLocale {
    pub fn of(req: &HttpRequest) -> Self {
        let default = req
            .app_data::<web::Data<AppState>>()
            .map_or(Locale::Fr, |s| s.default_locale);
        let query = url::form_urlencoded::parse(req.query_string().as_bytes())
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Locale::parse(&v));
        RequestLocale {
            query,
            header: accepted(req.headers()),
            default,
        }
    }

    /// A page's language: `?lang=`, else `Accept-Language`, else the default.
    pub fn page(self) -> Locale {
        self.query.or(self.header).unwrap_or(self.default)
    }

    /// An API answer's: `Accept-Language`, else the default (`?lang=` is a
    /// page's parameter, never an API route's).
    pub fn api(self) -> Locale {
        self.header.unwrap_or(self.default)
    }

    /// A signed-in caller's: `Accept-Language`, else their account's.
    pub fn or_account(self, account: Locale) -> Locale {
        self.header.unwrap_or(account)
    }

    /// Only what `Accept-Language` asks for.
    pub fn asked(self) -> Option<Locale> {
        self.header
    }
}

/// `Accept-Language`, negotiated among the catalog's languages.
pub fn accepted(headers: &HeaderMap) -> Option<Locale> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(i18n::negotiate)
}

impl FromRequest for RequestLocale {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(RequestLocale::of(req)))
    }
}
