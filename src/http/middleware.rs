//! The middlewares every request passes: metrics, the per-address limit, and
//! the answer's finish (errors in the caller's language, common headers).

use crate::error::{self, ApiError};
use crate::i18n::Locale;
use crate::state::AppState;
use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpRequest};

/// The signed-in caller's account language, left by the auth extractor.
#[derive(Debug, Clone, Copy)]
pub struct CallerLocale(pub Locale);

/// Counts every answer by route, method and status, and how long it took.
pub async fn record_metrics<B: actix_web::body::MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let res = next.call(req).await?;
    if let Some(state) = res.request().app_data::<web::Data<AppState>>() {
        let route = res.request().match_pattern();
        state.metrics.record(
            route.as_deref().unwrap_or("unmatched"),
            method.as_str(),
            res.status().as_u16(),
            started.elapsed(),
        );
    }
    Ok(res)
}

/// The per-address limit on every request (health checks aside).
pub async fn limit_requests(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !matches!(req.path(), "/healthz" | "/readyz" | "/metrics") {
        if let Some(state) = req.app_data::<web::Data<AppState>>() {
            if let Err(e) = state.limits.request(req.request()).await {
                return Ok(req.error_response(ApiError::from(e)));
            }
        }
    }
    next.call(req).await
}

/// The language of the answer: `Accept-Language`, else the caller's
/// account locale, else the configured default.
fn answer_locale(asked: Option<Locale>, req: &HttpRequest, default: Locale) -> Locale {
    asked
        .or_else(|| req.extensions().get::<CallerLocale>().map(|c| c.0))
        .unwrap_or(default)
}

/// Writes every error, whatever layer raised it, as the one JSON shape in the
/// caller's language, logs internal causes, and adds the common headers.
pub async fn finish_response(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let asked = super::locale::accepted(req.headers());
    let default = req
        .app_data::<web::Data<AppState>>()
        .map_or(Locale::Fr, |s| s.default_locale);
    let request_id = req
        .extensions()
        .get::<tracing_actix_web::RequestId>()
        .map(|id| id.to_string());
    // Handlers' and extractors' errors arrive here as responses carrying
    // their error; the request must not be cloned before routing (actix needs
    // to own it), so a rare `Err` from an inner layer goes up unchanged.
    let res = next.call(req).await?;
    let locale = answer_locale(asked, res.request(), default);
    let status = res.status();
    // A page that answers an error with its own HTML (`web`) keeps it.
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let mut res = if (status.is_client_error() || status.is_server_error()) && !is_page {
        let api_error = res
            .response()
            .error()
            .and_then(|e| e.as_error::<ApiError>())
            .cloned()
            .unwrap_or_else(|| error::from_status(status));
        api_error.log_failure();
        // The one place an error's body is written (`error_response` leaves it out).
        let mut localized = api_error.to_response(locale);
        // A 405 says which methods the path takes; CORS headers (added
        // inside) let the calling site read the error.
        for (name, value) in res.headers() {
            if name == header::ALLOW
                || name == header::VARY
                || name.as_str().starts_with("access-control-")
            {
                localized.headers_mut().append(name.clone(), value.clone());
            }
        }
        res.into_response(localized)
    } else {
        res
    };
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let headers = res.headers_mut();
    // Pages set their own policy and language (`web`); everything else gets these.
    if !is_json && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'"),
        );
    }
    if !headers.contains_key(header::CONTENT_LANGUAGE) {
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(locale.as_str()),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        headers.insert(header::HeaderName::from_static("x-request-id"), id);
    }
    Ok(res)
}
