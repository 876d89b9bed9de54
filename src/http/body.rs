//! The JSON body reader: a size limit, syntax errors as 400, shape errors as
//! 422 naming the field.

use crate::error::{ApiError, FieldError, MsgArg};
use crate::service::ServiceError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use std::time::Duration;

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
        let state = req.app_data::<web::Data<AppState>>();
        let limit = state.map_or(65536, |s| s.config.server.body_limit);
        let deadline =
            Duration::from_secs(state.map_or(10, |s| s.config.server.body_timeout_seconds));
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let has_body = declared
            .map_or(req.headers().contains_key(header::TRANSFER_ENCODING), |n| {
                n > 0
            });
        // A body that trickles in holds its connection: one address may
        // send only so many at once.
        let place = match state {
            Some(s) if has_body => s.limits.body_read(req).map(Some).ok_or(()),
            _ => Ok(None),
        };
        let mut payload = payload.take();
        Box::pin(async move {
            let bytes = if declared.is_some_and(|n| n > limit) {
                Err(ApiError::PayloadTooLarge)
            } else {
                match place {
                    Err(()) => Err(ServiceError::RateLimited {
                        retry_after: deadline.as_secs().max(1),
                    }
                    .into()),
                    Ok(_place) => {
                        // The whole body within the deadline, however it is sliced.
                        tokio::time::timeout(deadline, read(&mut payload, limit))
                            .await
                            .unwrap_or(Err(ApiError::RequestTimeout))
                    }
                }
            };
            Ok(JsonBody {
                bytes,
                content_type,
            })
        })
    }
}

/// The body, up to `limit` bytes.
async fn read(payload: &mut Payload, limit: usize) -> Result<web::Bytes, ApiError> {
    let mut buf = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ApiError::MalformedJson)?;
        if buf.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
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
        return Err(FieldError::new("$", "validation-invalid-type").into());
    }
    integral_numbers(&mut value);
    let value = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        ApiError::from(data_problem(&path, &e.into_inner().to_string()))
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
            ApiError::Service(ServiceError::Validation(f)) => {
                f.iter().map(|p| (p.field.clone(), p.key)).collect()
            }
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
}
