//! The OpenAPI document: schemas shared by every route, the rules that add
//! what every operation of a kind can answer, and the route table the
//! default service reads to tell 405 from 404.

use crate::error::ErrorCode;
use crate::i18n::Locale;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

/// Every error, from every layer.
#[derive(ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(ToSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// In the negotiated language.
    pub message: String,
    /// Only with `validation_failed`: the problems of each field.
    #[schema(required = false)]
    pub fields: HashMap<String, Vec<String>>,
}

/// The languages, as `Locale` in the document.
impl utoipa::PartialSchema for Locale {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .enum_values(Some(Locale::ALL.iter().map(|l| l.as_str())))
            .into()
    }
}

impl ToSchema for Locale {
    fn name() -> std::borrow::Cow<'static, str> {
        "Locale".into()
    }
}

/// Description and schema of each status the rules add.
fn error_description(status: &str) -> &'static str {
    match status {
        "400" => "Malformed JSON, or a cursor that cannot be decoded",
        "401" => "No token, or an unknown, expired or revoked one",
        "403" => "Not allowed",
        "404" => "Not found, or not visible to the caller",
        "409" => "Conflicts with the current state",
        "413" => "Body over the configured limit",
        "415" => "Body that is not JSON",
        "422" => "A field is missing, of the wrong type, out of bounds, or unknown",
        "429" => "Rate limited; see Retry-After",
        "500" => "Internal error (logged with the request id)",
        "503" => "The database cannot be reached",
        _ => "Error",
    }
}

fn error_content() -> Value {
    json!({"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}})
}

/// The document as served: the generated paths and schemas, plus what every
/// operation of a kind answers — every `/api/v1` route can be rate limited
/// or fail inside (429, 500, 503), a route that reads a JSON body answers
/// 400/413/415/422 for bad bodies, and a signed-in route 401 — and the error
/// body on every error status.
pub fn finish(doc: utoipa::openapi::OpenApi) -> Value {
    let mut doc = serde_json::to_value(doc).expect("the OpenAPI document serializes");
    doc["info"] = json!({
        "title": "Tribune",
        "version": env!("CARGO_PKG_VERSION"),
        "description": "Comment backend for French and Arabic news sites. Errors share one body: \
            {\"error\": {\"code\", \"message\", \"fields\"?}}; `fields` only with validation_failed.",
        "license": {"name": "MIT OR Apache-2.0", "identifier": "MIT OR Apache-2.0"},
    });
    let components = doc["components"]
        .as_object_mut()
        .expect("components collected from the handlers");
    components.insert(
        "securitySchemes".into(),
        json!({"bearer": {"type": "http", "scheme": "bearer",
            "description": "An opaque session token from /auth/register or /auth/login"}}),
    );
    // The error body is referenced by the rules below, not by a handler.
    let mut errors = vec![(
        ErrorBody::name().into_owned(),
        <ErrorBody as utoipa::PartialSchema>::schema(),
    )];
    <ErrorBody as ToSchema>::schemas(&mut errors);
    for (name, schema) in errors {
        doc["components"]["schemas"][name] =
            serde_json::to_value(schema).expect("a schema serializes");
    }
    let schemas = doc["components"]["schemas"].clone();
    let paths = doc["paths"].as_object_mut().expect("paths");
    for (path, item) in paths.iter_mut() {
        let api = path.starts_with("/api/v1/");
        for (_, op) in item.as_object_mut().expect("path item").iter_mut() {
            finish_operation(op, api, &schemas);
        }
    }
    // A stream's schema is one event's, which utoipa cannot write.
    for item in paths.values_mut() {
        for op in item.as_object_mut().expect("path item").values_mut() {
            let stream = op.pointer_mut("/responses/200/content/text~1event-stream");
            if let Some(stream) = stream {
                stream["schema"] = super::live::event_schema();
            }
        }
    }
    bound_int64(&mut doc["components"]);
    bound_int64(&mut doc["paths"]);
    doc
}

fn finish_operation(op: &mut Value, api: bool, schemas: &Value) {
    let mut added: Vec<&str> = Vec::new();
    if api {
        added.extend(["429", "500", "503"]);
    }
    if let Some(body) = op.get_mut("requestBody") {
        added.extend(["400", "413", "415", "422"]);
        // Where every field is optional the body may be omitted.
        let schema = body
            .pointer("/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .and_then(|name| schemas.get(name));
        let needs_fields = schema
            .and_then(|s| s.get("required"))
            .and_then(Value::as_array)
            .is_some_and(|r| !r.is_empty());
        body["required"] = json!(needs_fields);
    }
    let signed_in = op
        .get("security")
        .and_then(Value::as_array)
        .is_some_and(|reqs| {
            !reqs
                .iter()
                .any(|r| r.as_object().is_some_and(Map::is_empty))
        });
    if signed_in {
        added.push("401");
    }
    let responses = op["responses"].as_object_mut().expect("responses");
    for status in added {
        responses
            .entry(status)
            .or_insert_with(|| json!({"description": error_description(status)}));
    }
    for (status, response) in responses.iter_mut() {
        // A page's own error (an unknown mail link) is HTML, as documented.
        let page = response.pointer("/content/text~1html").is_some();
        if (status.starts_with('4') || status.starts_with('5')) && !page {
            response["content"] = error_content();
        }
    }
}

/// `int64` means a signed 64-bit integer: say so, so that generated numbers stay in range.
fn bound_int64(value: &mut Value) {
    match value {
        Value::Object(map) => {
            let is_int64 = map.get("format").and_then(Value::as_str) == Some("int64");
            if is_int64 {
                map.entry("minimum").or_insert(json!(i64::MIN));
                map.entry("maximum").or_insert(json!(i64::MAX));
            }
            map.values_mut().for_each(bound_int64);
        }
        Value::Array(items) => items.iter_mut().for_each(bound_int64),
        _ => {}
    }
}

/// The served document and, for each documented path template, its methods.
pub struct ApiDoc {
    pub json: String,
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl ApiDoc {
    pub fn new(doc: &Value) -> ApiDoc {
        let routes = doc["paths"]
            .as_object()
            .map(|paths| {
                paths
                    .iter()
                    .map(|(path, item)| {
                        let segments = path.split('/').map(str::to_string).collect();
                        let methods = item
                            .as_object()
                            .map(|ops| ops.keys().map(|m| m.to_uppercase()).collect())
                            .unwrap_or_default();
                        (segments, methods)
                    })
                    .collect()
            })
            .unwrap_or_default();
        ApiDoc {
            json: doc.to_string(),
            routes,
        }
    }

    /// The methods documented for a request path, `None` when no template
    /// matches it. A path written out in full wins over a template, as in
    /// routing: `/admin/words/test` is not `/admin/words/{id}`.
    pub fn methods_of(&self, path: &str) -> Option<Vec<&str>> {
        let segments: Vec<&str> = path.split('/').collect();
        let exact: Vec<&str> = self
            .routes
            .iter()
            .filter(|(template, _)| template.iter().eq(segments.iter()))
            .flat_map(|(_, methods)| methods.iter().map(String::as_str))
            .collect();
        if !exact.is_empty() {
            return Some(exact);
        }
        let mut found: Option<Vec<&str>> = None;
        for (template, methods) in &self.routes {
            if fills(template.iter().map(String::as_str), &segments) {
                found
                    .get_or_insert_with(Vec::new)
                    .extend(methods.iter().map(String::as_str));
            }
        }
        found
    }
}

/// True when the path's segments fill the template's: the same ones, a
/// `{param}` standing for any non-empty segment.
fn fills<'a>(template: impl ExactSizeIterator<Item = &'a str>, segments: &[&str]) -> bool {
    template.len() == segments.len()
        && template.zip(segments).all(|(t, s)| {
            if t.starts_with('{') && t.ends_with('}') {
                !s.is_empty()
            } else {
                t == *s
            }
        })
}

/// True when a request path is one of a path template's (`/api/v1/i18n/{locale}`).
pub fn matches_template(template: &str, path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').collect();
    fills(
        template.split('/').collect::<Vec<_>>().into_iter(),
        &segments,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_whole_segments() {
        let doc = json!({"paths": {
            "/api/v1/comments/{id}": {"get": {}, "patch": {}},
            "/api/v1/comments/{id}/reports": {"post": {}},
        }});
        let routes = ApiDoc::new(&doc);
        assert_eq!(
            routes.methods_of("/api/v1/comments/7"),
            Some(vec!["GET", "PATCH"])
        );
        assert_eq!(
            routes.methods_of("/api/v1/comments/x/reports"),
            Some(vec!["POST"])
        );
        let doc = json!({"paths": {
            "/api/v1/admin/words/{id}": {"delete": {}},
            "/api/v1/admin/words/test": {"post": {}},
        }});
        let routes = ApiDoc::new(&doc);
        assert_eq!(
            routes.methods_of("/api/v1/admin/words/test"),
            Some(vec!["POST"])
        );
        assert_eq!(
            routes.methods_of("/api/v1/admin/words/3"),
            Some(vec!["DELETE"])
        );
        assert_eq!(routes.methods_of("/api/v1/comments/"), None);
        assert_eq!(routes.methods_of("/api/v1/comments/7/other"), None);
        assert!(matches_template("/api/v1/i18n/{locale}", "/api/v1/i18n/fr"));
        assert!(!matches_template("/api/v1/i18n/{locale}", "/api/v1/i18n/"));
        assert!(!matches_template(
            "/api/v1/i18n/{locale}",
            "/api/v1/i18n/fr/x"
        ));
    }
}
