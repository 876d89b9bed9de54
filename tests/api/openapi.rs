//! The OpenAPI document at /openapi.json: it describes every route of api.md,
//! with strict request schemas and the error body on every error status.
//! Also the regressions found by fuzzing with it (.ci/fuzz.sh).

use crate::helpers::TestApp;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Every (method, path) of api.md, transcribed by hand.
const API_MD: &[(&str, &str)] = &[
    // Accounts
    ("POST", "/api/v1/auth/register"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/sso"),
    ("GET", "/api/v1/me"),
    ("PATCH", "/api/v1/me"),
    ("PUT", "/api/v1/me/password"),
    ("GET", "/api/v1/me/export"),
    ("DELETE", "/api/v1/me"),
    // Mail: verification, password reset, unsubscribing
    ("POST", "/api/v1/me/verify-email"),
    ("POST", "/api/v1/auth/verify-email"),
    ("POST", "/api/v1/auth/password-reset"),
    ("POST", "/api/v1/auth/password-reset/confirm"),
    ("GET", "/api/v1/unsubscribe/{token}"),
    ("POST", "/api/v1/unsubscribe/{token}"),
    // Articles and comments
    ("GET", "/api/v1/articles/{key}"),
    ("GET", "/api/v1/articles/{key}/comments"),
    ("POST", "/api/v1/articles/{key}/comments"),
    ("GET", "/api/v1/articles/{key}/events"),
    ("GET", "/api/v1/comments/{id}"),
    ("PATCH", "/api/v1/comments/{id}"),
    ("DELETE", "/api/v1/comments/{id}"),
    ("POST", "/api/v1/comments/{id}/reports"),
    ("PUT", "/api/v1/comments/{id}/reaction"),
    ("DELETE", "/api/v1/comments/{id}/reaction"),
    ("GET", "/api/v1/counts"),
    // Moderation
    ("GET", "/api/v1/mod/queue"),
    ("POST", "/api/v1/mod/comments/{id}/approve"),
    ("POST", "/api/v1/mod/comments/{id}/reject"),
    ("POST", "/api/v1/mod/comments/{id}/delete"),
    ("POST", "/api/v1/mod/comments/{id}/restore"),
    ("POST", "/api/v1/mod/bulk"),
    ("POST", "/api/v1/mod/comments/{id}/feature"),
    ("DELETE", "/api/v1/mod/comments/{id}/feature"),
    ("POST", "/api/v1/mod/users/{id}/notes"),
    ("GET", "/api/v1/mod/users/{id}/notes"),
    ("DELETE", "/api/v1/mod/notes/{id}"),
    ("GET", "/api/v1/mod/users/{id}"),
    ("POST", "/api/v1/mod/users/{id}/ban"),
    ("POST", "/api/v1/mod/users/{id}/unban"),
    ("GET", "/api/v1/mod/log"),
    // Statements of reasons and appeals (DSA)
    ("POST", "/api/v1/comments/{id}/notices"),
    ("GET", "/api/v1/mod/notices"),
    ("GET", "/api/v1/me/statements"),
    ("POST", "/api/v1/me/statements/{id}/appeal"),
    ("GET", "/api/v1/mod/statements"),
    ("GET", "/api/v1/mod/appeals"),
    ("POST", "/api/v1/mod/appeals/{id}/decision"),
    ("GET", "/api/v1/admin/transparency"),
    // Administration
    ("POST", "/api/v1/admin/articles"),
    ("GET", "/api/v1/admin/articles"),
    ("PATCH", "/api/v1/admin/articles/{key}"),
    ("GET", "/api/v1/admin/users"),
    ("PATCH", "/api/v1/admin/users/{id}"),
    ("GET", "/api/v1/admin/settings"),
    ("PATCH", "/api/v1/admin/settings"),
    ("GET", "/api/v1/admin/words"),
    ("POST", "/api/v1/admin/words"),
    ("POST", "/api/v1/admin/words/test"),
    ("DELETE", "/api/v1/admin/words/{id}"),
    ("GET", "/api/v1/admin/stats"),
    ("GET", "/api/v1/admin/webhooks"),
    ("POST", "/api/v1/admin/webhooks"),
    ("PATCH", "/api/v1/admin/webhooks/{id}"),
    ("DELETE", "/api/v1/admin/webhooks/{id}"),
    ("GET", "/api/v1/admin/webhooks/{id}/deliveries"),
    // Localized strings
    ("GET", "/api/v1/i18n/{locale}"),
    // Operations
    ("GET", "/healthz"),
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    ("GET", "/openapi.json"),
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

async fn document(app: &TestApp) -> Value {
    let res = app.get("//openapi.json", None).await;
    assert_eq!(res.header("content-type"), Some("application/json"));
    res.assert_status(200).clone()
}

/// Every operation: (METHOD, path, operation object).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if METHODS.contains(&method.as_str()) {
                ops.push((method.to_uppercase(), path.clone(), op.clone()));
            }
        }
    }
    ops
}

/// Follows a local `$ref`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("local reference");
            resolve(doc, doc.pointer(pointer).expect("reference resolves"))
        }
        None => schema,
    }
}

fn collect_refs(value: &Value, refs: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                refs.insert(r.clone());
            }
            map.values().for_each(|v| collect_refs(v, refs));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}

#[tokio::test]
async fn openapi_json_is_an_openapi_3_document() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let version = doc["openapi"].as_str().expect("openapi version");
    assert!(version.starts_with("3."), "{version}");
    assert_eq!(doc["info"]["title"], "Tribune");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    // No reference points nowhere.
    let mut refs = BTreeSet::new();
    collect_refs(&doc, &mut refs);
    for r in refs {
        let pointer = r.strip_prefix('#').expect("local reference");
        assert!(doc.pointer(pointer).is_some(), "dangling reference {r}");
    }
}

#[tokio::test]
async fn openapi_describes_exactly_the_routes_of_api_md() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect();
    let expected: BTreeSet<(String, String)> = API_MD
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    let missing: Vec<_> = expected.difference(&documented).collect();
    let extra: Vec<_> = documented.difference(&expected).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, not in api.md {extra:?}"
    );
}

#[tokio::test]
async fn request_bodies_refuse_unknown_fields() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let mut bodies = 0;
    for (method, path, op) in operations(&doc) {
        let Some(body) = op.get("requestBody") else {
            continue;
        };
        bodies += 1;
        let schema = &body["content"]["application/json"]["schema"];
        assert!(schema.is_object(), "{method} {path}: a JSON body");
        let schema = resolve(&doc, schema);
        assert_eq!(schema["type"], "object", "{method} {path}");
        assert_eq!(
            schema["additionalProperties"],
            json!(false),
            "{method} {path}: unknown fields must be refused"
        );
        // A body whose fields are all optional may be omitted.
        let required = schema["required"].as_array().is_some_and(|r| !r.is_empty());
        assert_eq!(body["required"], json!(required), "{method} {path}");
    }
    assert_eq!(bodies, 31);
}

#[tokio::test]
async fn every_operation_documents_its_errors_with_the_error_body() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let error = &doc["components"]["schemas"]["Error"];
    assert_eq!(error["required"], json!(["error"]));
    let detail = resolve(&doc, &error["properties"]["error"]);
    assert_eq!(detail["required"], json!(["code", "message"]));
    let codes = resolve(&doc, &detail["properties"]["code"]);
    for code in [
        "validation_failed",
        "not_found",
        "method_not_allowed",
        "rate_limited",
    ] {
        assert!(
            codes["enum"].as_array().unwrap().contains(&json!(code)),
            "{code}"
        );
    }

    for (method, path, op) in operations(&doc) {
        let responses = op["responses"].as_object().expect("responses");
        let statuses: BTreeSet<&str> = responses.keys().map(String::as_str).collect();
        assert!(
            statuses.iter().any(|s| s.starts_with('2')),
            "{method} {path}: a success status"
        );
        for (status, response) in responses {
            // The one page under /api/v1 (a mail's unsubscribe link) answers
            // an unknown link with a page too.
            let page = method == "GET" && path == "/api/v1/unsubscribe/{token}" && status == "404";
            if page {
                assert!(
                    response["content"]["text/html"].is_object(),
                    "{method} {path} {status}: an HTML page"
                );
            } else if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"],
                    "#/components/schemas/Error",
                    "{method} {path} {status}: the error body"
                );
            }
        }
        let mut expected: Vec<&str> = Vec::new();
        if path.starts_with("/api/v1/") {
            expected.extend(["429", "500", "503"]);
        }
        if op.get("requestBody").is_some() {
            expected.extend(["400", "413", "415", "422"]);
        }
        let signed_in = op["security"]
            .as_array()
            .is_some_and(|s| !s.contains(&json!({})));
        if signed_in {
            expected.push("401");
        }
        if path.contains('{') {
            expected.push("404");
        }
        if path.starts_with("/api/v1/mod/") || path.starts_with("/api/v1/admin/") {
            expected.push("403");
            assert!(signed_in, "{method} {path}: staff routes need a token");
        }
        if op["parameters"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["name"] == "cursor"))
        {
            expected.extend(["400", "422"]);
        }
        for status in expected {
            assert!(
                statuses.contains(status),
                "{method} {path}: status {status} undocumented"
            );
        }
    }
}

#[tokio::test]
async fn request_schemas_carry_the_servers_limits() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let schema = |name: &str| {
        resolve(
            &doc,
            &json!({ "$ref": format!("#/components/schemas/{name}") }),
        )
        .clone()
    };
    let register = schema("RegisterRequest");
    let props = &register["properties"];
    assert_eq!(props["username"]["minLength"], 3);
    assert_eq!(props["username"]["maxLength"], 32);
    assert_eq!(props["password"]["minLength"], 10);
    assert_eq!(props["password"]["maxLength"], 128);
    assert_eq!(props["display_name"]["minLength"], 1);
    assert_eq!(props["display_name"]["maxLength"], 64);
    assert_eq!(props["email"]["maxLength"], 254);
    assert_eq!(
        register["required"],
        json!(["username", "email", "password"])
    );

    let comment = schema("NewCommentRequest");
    assert_eq!(comment["properties"]["body"]["minLength"], 1);
    assert_eq!(comment["properties"]["body"]["maxLength"], 5000);
    assert_eq!(
        schema("NewArticleRequest")["properties"]["title"]["maxLength"],
        300
    );
    assert_eq!(
        schema("NewArticleRequest")["properties"]["key"]["pattern"],
        "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
    );
    assert_eq!(
        schema("ReportRequest")["properties"]["note"]["maxLength"],
        1000
    );
    assert_eq!(
        schema("ReasonRequest")["properties"]["reason"]["maxLength"],
        500
    );
    let bulk = schema("BulkRequest");
    assert_eq!(bulk["properties"]["ids"]["minItems"], 1);
    assert_eq!(bulk["properties"]["ids"]["maxItems"], 100);
    assert_eq!(
        resolve(&doc, &bulk["properties"]["action"])["enum"],
        json!(["approve", "reject", "delete"])
    );
    assert_eq!(
        resolve(&doc, &schema("ReportRequest")["properties"]["reason"])["enum"],
        json!(["abusive", "off_topic", "spam", "other"])
    );

    let list = &doc["paths"]["/api/v1/articles/{key}/comments"]["get"]["parameters"];
    let param = |name: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("parameter {name}"))
            .clone()
    };
    assert_eq!(param("limit")["schema"]["minimum"], 1);
    assert_eq!(param("limit")["schema"]["maximum"], 200);
    assert_eq!(
        param("sort")["schema"]["enum"],
        json!(["oldest", "newest", "top"])
    );
    assert_eq!(
        param("key")["schema"]["pattern"],
        "^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
    );

    // Nullable where the server writes null.
    let me = schema("Me");
    assert_eq!(
        me["properties"]["banned_until"]["type"],
        json!(["string", "null"])
    );
    assert!(me["required"]
        .as_array()
        .unwrap()
        .contains(&json!("banned_until")));
}

#[tokio::test]
async fn a_wrong_method_on_a_documented_path_says_which_methods_it_takes() {
    let app = TestApp::spawn().await;
    let res = app.send(Method::PUT, "/comments/1", None, None).await;
    res.assert_error(405, "method_not_allowed");
    let allow = res.header("allow").expect("Allow header");
    let mut methods: Vec<&str> = allow.split(", ").collect();
    methods.sort();
    // HEAD goes with GET (RFC 9110; tests/api/head.rs).
    assert_eq!(methods, ["DELETE", "GET", "HEAD", "PATCH"]);

    let res = app.send(Method::POST, "//openapi.json", None, None).await;
    res.assert_error(405, "method_not_allowed");
    assert_eq!(res.header("allow"), Some("GET, HEAD"));

    // A path no template matches is a 404, whatever the method.
    let res = app
        .send(Method::PUT, "/comments/1/nothing", None, None)
        .await;
    res.assert_error(404, "not_found");
    assert_eq!(res.header("allow"), None);
}

// ---------------------------------------------------------------------------
// Regressions found by fuzzing
// ---------------------------------------------------------------------------

/// serde fills a struct from an array of its fields: `[null, null]` used to
/// be taken as an empty PATCH /me.
#[tokio::test]
async fn a_body_that_is_not_an_object_is_refused() {
    let app = TestApp::spawn().await;
    let reader = app.register("nadia").await;
    for body in [
        json!([null, null]),
        json!(["Nadia", "ar"]),
        json!("x"),
        json!(3),
    ] {
        let res = reader.send(Method::PATCH, "/me", Some(body.clone())).await;
        res.assert_field_error("$");
    }
    let me = reader.get("/me").await;
    assert_eq!(me.assert_status(200)["display_name"], "nadia");
}

/// A form feed is whitespace to Rust but not to JSON: such a body was read as
/// an omitted one.
#[tokio::test]
async fn a_body_of_non_json_whitespace_is_malformed() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Bonjour").await;
    let path = format!("/mod/comments/{id}/reject");
    let reject = |body: &[u8]| {
        let json = Some("application/json");
        cast.moderator
            .send_raw(Method::POST, &path, json, body.to_vec())
    };
    reject(b"\x0c").await.assert_error(400, "malformed_json");
    // JSON's own whitespace still reads as an omitted body.
    let res = reject(b" \r\n\t").await;
    assert_eq!(res.assert_status(200)["status"], "rejected");
}

/// JSON Schema calls `5.0` an integer; integer fields used to refuse it.
#[tokio::test]
async fn integer_fields_take_numbers_without_a_fraction() {
    let (_app, cast) = TestApp::with_cast().await;
    let res = cast
        .admin
        .patch(
            "/admin/settings",
            json!({"trusted_after": 5.0, "max_links": 1e1}),
        )
        .await;
    let body = res.assert_status(200);
    assert_eq!(body["trusted_after"], 5);
    assert_eq!(body["max_links"], 10);
    let id = cast.reader.comment_id("a1", "Bonjour").await;
    let res = cast
        .moderator
        .post("/mod/bulk", json!({"action": "reject", "ids": [id as f64]}))
        .await;
    assert_eq!(res.assert_status(200)["updated"], json!([id]));
    // A fraction is still no integer.
    cast.admin
        .patch("/admin/settings", json!({"trusted_after": 5.5}))
        .await
        .assert_field_error("trusted_after");
}

/// The unban body's `reason` was read and never checked.
#[tokio::test]
async fn an_unban_reason_is_bounded_like_every_moderation_reason() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.moderator
        .post(
            &format!("/mod/users/{}/ban", cast.reader.id),
            json!({"reason": "spam"}),
        )
        .await
        .assert_status(200);
    let res = cast
        .moderator
        .post(
            &format!("/mod/users/{}/unban", cast.reader.id),
            json!({"reason": "x".repeat(501)}),
        )
        .await;
    res.assert_field_error("reason");
    let res = cast
        .moderator
        .post(
            &format!("/mod/users/{}/unban", cast.reader.id),
            json!({"reason": "erreur"}),
        )
        .await;
    assert_eq!(res.assert_status(200)["status"], "active");
}
