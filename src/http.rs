//! The HTTP edge shared by every route: the JSON body reader, query and path
//! parsing, and the middleware that writes errors in the caller's language.

use crate::domain::cursor::Cursor;
use crate::error::{self, ApiError, FieldError, MsgArg};
use crate::i18n::{self, Locale};
use crate::state::AppState;
use actix_web::body::BoxBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// The signed-in caller's account language, left by the auth extractor.
#[derive(Debug, Clone, Copy)]
pub struct CallerLocale(pub Locale);

/// A request body read up to the configured limit. Problems are kept, not
/// raised, so that authentication answers first (401 whatever the body).
pub struct JsonBody {
    bytes: Result<web::Bytes, ApiError>,
    content_type: ContentType,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ContentType {
    Missing,
    Json,
    Other,
}

impl FromRequest for JsonBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type = match req.mime_type() {
            Ok(None) => ContentType::Missing,
            Ok(Some(m)) if m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON) => {
                ContentType::Json
            }
            _ => ContentType::Other,
        };
        let limit = req
            .app_data::<web::Data<AppState>>()
            .map_or(65536, |s| s.config.server.body_limit);
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let mut payload = payload.take();
        Box::pin(async move {
            if declared.is_some_and(|n| n > limit) {
                return Ok(JsonBody {
                    bytes: Err(ApiError::PayloadTooLarge),
                    content_type,
                });
            }
            let mut buf = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let Ok(chunk) = chunk else {
                    let bytes = Err(ApiError::MalformedJson);
                    return Ok(JsonBody {
                        bytes,
                        content_type,
                    });
                };
                if buf.len() + chunk.len() > limit {
                    let bytes = Err(ApiError::PayloadTooLarge);
                    return Ok(JsonBody {
                        bytes,
                        content_type,
                    });
                }
                buf.extend_from_slice(&chunk);
            }
            Ok(JsonBody {
                bytes: Ok(buf.freeze()),
                content_type,
            })
        })
    }
}

impl JsonBody {
    /// The body as `T`. An absent body reads as `{}`: where every field is
    /// optional that is the whole request, elsewhere the 422 names what is missing.
    pub fn parse<T: DeserializeOwned>(self) -> Result<T, ApiError> {
        let bytes = self.bytes?;
        // JSON's whitespace only: a form feed is no JSON at all.
        if bytes
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            return decode(b"{}");
        }
        if self.content_type != ContentType::Json {
            return Err(ApiError::UnsupportedMediaType);
        }
        decode(&bytes)
    }
}

/// Syntax problems are 400; well-formed JSON of the wrong shape is 422 naming the field.
fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if nesting_depth(bytes) > MAX_NESTING {
        return Err(ApiError::MalformedJson);
    }
    // Two steps: syntax first (400), then shape (422) — decoding straight
    // into the type would call some shape errors (a number for an enum) syntax.
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| ApiError::MalformedJson)?;
    // Every request body is an object; serde would also fill a struct from an array.
    if !value.is_object() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "$",
            "validation-invalid-type",
        )]));
    }
    integral_numbers(&mut value);
    let value = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        ApiError::Validation(vec![data_problem(&path, &e.into_inner().to_string())])
    })?;
    Ok(value)
}

/// JSON does not tell `3` from `3.0`: a number with no fraction is an integer
/// (as JSON Schema says), so integer fields take it.
fn integral_numbers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64() {
                if f.fract() == 0.0 && (-9.2e18..9.2e18).contains(&f) {
                    *value = Value::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        Value::Object(map) => map.values_mut().for_each(integral_numbers),
        _ => {}
    }
}

/// No request body of the API nests deeper than this.
const MAX_NESTING: usize = 16;

/// How deep arrays and objects nest, ignoring brackets inside strings.
fn nesting_depth(bytes: &[u8]) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

fn data_problem(path: &str, message: &str) -> FieldError {
    let named = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').next())
            .map(str::to_string)
    };
    let join = |name: String| {
        if path.is_empty() || path == "." {
            name
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(name) = named("unknown field `") {
        // The path already ends with the unknown field's name.
        let field = if path.is_empty() || path == "." {
            name
        } else {
            path.to_string()
        };
        FieldError::new(field, "validation-unknown-field")
    } else if let Some(name) = named("missing field `") {
        FieldError::new(join(name), "validation-required")
    } else if message.starts_with("unknown variant") {
        FieldError::new(field_or_root(path), "validation-invalid-choice")
            .with("choices", MsgArg::Str(choices_of(message)))
    } else {
        FieldError::new(field_or_root(path), "validation-invalid-type")
    }
}

fn field_or_root(path: &str) -> String {
    if path.is_empty() || path == "." {
        "$".to_string()
    } else {
        path.to_string()
    }
}

/// "unknown variant `x`, expected one of `a`, `b`" → "a, b"
fn choices_of(message: &str) -> String {
    message
        .split_once("expected")
        .map(|(_, rest)| {
            rest.split('`')
                .skip(1)
                .step_by(2)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// The query string as a map (the last value wins); never fails.
pub fn query_map(req: &HttpRequest) -> HashMap<String, String> {
    url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect()
}

/// `limit` (1–200, default 50) and `cursor` of a listing.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub after: Option<Cursor>,
}

impl Page {
    pub fn from_query(query: &HashMap<String, String>) -> Result<Page, ApiError> {
        let limit = match query.get("limit") {
            None => 50,
            Some(text) => match text.parse::<i64>() {
                Ok(n) if (1..=200).contains(&n) => n,
                _ => {
                    return Err(ApiError::Validation(vec![FieldError::new(
                        "limit",
                        "validation-out-of-range",
                    )
                    .with("min", MsgArg::Num(1))
                    .with("max", MsgArg::Num(200))]))
                }
            },
        };
        let after = match query.get("cursor") {
            None => None,
            Some(text) => Some(Cursor::decode(text).ok_or(ApiError::InvalidCursor)?),
        };
        Ok(Page { limit, after })
    }

    /// Fetch one row more than shown, to know whether a next page exists.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// Cuts the extra row and says where the next page starts.
    pub fn finish<T>(
        &self,
        mut rows: Vec<T>,
        key: impl Fn(&T) -> Cursor,
    ) -> (Vec<T>, Option<String>) {
        if rows.len() as i64 > self.limit {
            rows.truncate(self.limit as usize);
            let next = rows.last().map(|r| key(r).encode());
            (rows, next)
        } else {
            (rows, None)
        }
    }
}

/// A path id: a positive integer, else 404 like any unknown thing.
pub fn path_id(raw: &str) -> Result<i64, ApiError> {
    match raw.parse::<i64>() {
        Ok(id) if id > 0 && !raw.starts_with('+') => Ok(id),
        _ => Err(ApiError::NotFound),
    }
}

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
            if let Err(e) = state.limits.request(req.request()) {
                return Ok(req.error_response(e));
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
    let asked = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(i18n::negotiate);
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
        if let ApiError::Internal(cause) = &api_error {
            tracing::error!(cause = %cause, "internal error");
        }
        let mut localized = api_error.to_response(locale);
        // A 405 says which methods the path takes.
        if let Some(allow) = res.headers().get(header::ALLOW) {
            localized.headers_mut().insert(header::ALLOW, allow.clone());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        body: String,
        parent_id: Option<i64>,
    }

    fn codes(result: Result<Sample, ApiError>) -> (String, Vec<(String, &'static str)>) {
        let err = result.unwrap_err();
        let fields = match &err {
            ApiError::Validation(f) => f.iter().map(|p| (p.field.clone(), p.key)).collect(),
            _ => vec![],
        };
        (err.code().to_string(), fields)
    }

    #[test]
    fn syntax_is_400_and_shape_is_422_with_the_field() {
        assert_eq!(codes(decode(b"{\"body\": ")).0, "malformed_json");
        assert_eq!(
            codes(decode(b"{\"body\": \"\\ud800\"}")).0,
            "malformed_json"
        );
        assert_eq!(codes(decode(&[b'{', 0xff, b'}'])).0, "malformed_json");
        let deep = format!("{{\"body\": {}", "[".repeat(1000));
        assert_eq!(codes(decode(deep.as_bytes())).0, "malformed_json");
        assert_eq!(nesting_depth(br#"{"a": "[[[[", "b": [{}]}"#), 3);
        assert_eq!(
            codes(decode(b"{}")),
            (
                "validation_failed".into(),
                vec![("body".into(), "validation-required")]
            )
        );
        assert_eq!(
            codes(decode(b"{\"body\":\"x\",\"role\":\"admin\"}")),
            (
                "validation_failed".into(),
                vec![("role".into(), "validation-unknown-field")]
            )
        );
        assert_eq!(
            codes(decode(b"{\"body\":\"x\",\"parent_id\":\"7\"}")),
            (
                "validation_failed".into(),
                vec![("parent_id".into(), "validation-invalid-type")]
            )
        );
    }

    #[test]
    fn numbers_without_a_fraction_fill_integer_fields() {
        // 2^51 - 1 written with `.0` (found by the fuzzer): parsed exactly,
        // it has no fraction.
        for (json, id) in [
            ("3.0", 3),
            ("-2097152.0", -2_097_152),
            ("2251799813685247.0", 2_251_799_813_685_247),
            ("1e3", 1000),
        ] {
            let body = format!("{{\"body\":\"x\",\"parent_id\":{json}}}");
            let sample: Sample = decode(body.as_bytes()).expect(json);
            assert_eq!(sample.parent_id, Some(id), "{json}");
        }
        assert_eq!(
            codes(decode(b"{\"body\":\"x\",\"parent_id\":2.5}")).1,
            vec![("parent_id".into(), "validation-invalid-type")]
        );
    }

    #[test]
    fn path_ids_are_positive_integers() {
        assert_eq!(path_id("42"), Ok(42));
        for bad in ["0", "-1", "abc", "+3", "1.5", "99999999999999999999"] {
            assert_eq!(path_id(bad), Err(ApiError::NotFound), "{bad}");
        }
    }
}
