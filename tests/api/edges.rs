//! Cross-cutting conventions: routing errors, body limits and parsing,
//! common headers, language negotiation, the widget strings, operations.

use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};

/// The headers every answer carries, whatever its status.
#[track_caller]
fn assert_common_headers(res: &Resp) {
    assert_eq!(
        res.header("x-content-type-options"),
        Some("nosniff"),
        "{:?}",
        res.headers
    );
    let id = res.header("x-request-id").unwrap_or("");
    assert!(!id.is_empty(), "X-Request-Id missing: {:?}", res.headers);
    let lang = res.header("content-language").unwrap_or("");
    assert!(
        ["fr", "ar", "en"].contains(&lang),
        "Content-Language: {:?}",
        res.headers
    );
}

// ---------------------------------------------------------------------------
// Routing
// ---------------------------------------------------------------------------

/// Who is calling is checked before the query: without a token, a listing
/// with a cursor that does not decode is 401, not 400; a reader gets 403.
#[tokio::test]
async fn listings_check_the_caller_before_their_query() {
    let (app, cast) = TestApp::with_cast().await;
    for path in [
        "/admin/articles?limit=1&cursor=0",
        "/admin/users?limit=1&cursor=0",
        "/mod/log?limit=1&cursor=0",
        "/mod/queue?limit=1&cursor=0",
        "/mod/log?limit=0",
    ] {
        app.get(path, None)
            .await
            .assert_error(401, "unauthenticated");
        cast.reader.get(path).await.assert_error(403, "forbidden");
    }
    cast.admin
        .get("/admin/articles?limit=1&cursor=0")
        .await
        .assert_error(400, "invalid_cursor");
    cast.moderator
        .get("/mod/log?limit=0")
        .await
        .assert_error(422, "validation_failed");
}

#[tokio::test]
async fn unknown_routes_answer_a_json_404() {
    let app = TestApp::spawn().await;
    for path in [
        "/nothing/here",
        "/articles",
        "/articles/a1/comments/extra",
        "//nothing",
        "//api/v2/articles/a1",
    ] {
        let res = app.get(path, None).await;
        res.assert_error(404, "not_found");
        assert_common_headers(&res);
        assert_eq!(res.header("content-language"), Some("fr"));
    }
    let res = app.post("/nothing", None, json!({})).await;
    res.assert_error(404, "not_found");
}

async fn assert_405(app: &TestApp, token: &str, cases: &[(Method, &str)]) {
    for (method, path) in cases {
        let res = app.send(method.clone(), path, Some(token), None).await;
        assert_eq!(res.status.as_u16(), 405, "{method} {path}: {}", res.body);
        res.assert_error(405, "method_not_allowed");
        assert_common_headers(&res);
    }
}

#[tokio::test]
async fn wrong_method_answers_405() {
    let (app, cast) = TestApp::with_cast().await;
    let cases = [
        (Method::PUT, "/articles/a1/comments"),
        (Method::DELETE, "/articles/a1/comments"),
        (Method::PUT, "/comments/1"),
        (Method::POST, "/comments/1"),
        (Method::DELETE, "/admin/articles"),
        (Method::PUT, "/me"),
    ];
    assert_405(&app, &cast.admin.token, &cases).await;
}

/// actix's `Scope::route` / `App::route` move the method guard onto the
/// resource itself, so a path registered that way does not match another
/// method at all and falls through to the default 404 service. Paths
/// registered with `web::resource(..).route(..)` answer 405 correctly.
#[tokio::test]
async fn wrong_method_answers_405_on_single_method_routes_too() {
    let (app, cast) = TestApp::with_cast().await;
    let cases = [
        (Method::PUT, "/articles/a1"),
        (Method::DELETE, "/articles/a1"),
        (Method::POST, "/counts"),
        (Method::GET, "/auth/login"),
        (Method::GET, "/admin/articles/a1"),
        (Method::DELETE, "/admin/users/1"),
        (Method::POST, "/i18n/fr"),
        (Method::POST, "//healthz"),
        (Method::POST, "//readyz"),
    ];
    assert_405(&app, &cast.admin.token, &cases).await;
}

// ---------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------

/// A JSON comment request of exactly `size` bytes.
fn comment_json_of_size(size: usize) -> Vec<u8> {
    let frame = br#"{"body": ""}"#.len();
    let body = format!(r#"{{"body": "{}"}}"#, "a".repeat(size - frame));
    assert_eq!(body.len(), size);
    body.into_bytes()
}

#[tokio::test]
async fn bodies_over_64_kib_are_refused_with_413() {
    let (app, cast) = TestApp::with_cast().await;
    let token = Some(cast.reader.token.as_str());
    // Exactly at the limit, the body is read (and the comment is too long).
    let res = app
        .send_raw(
            Method::POST,
            "/articles/a1/comments",
            token,
            Some("application/json"),
            comment_json_of_size(65_536),
            &[],
        )
        .await;
    res.assert_field_error("body");
    // One byte more is too large.
    let res = app
        .send_raw(
            Method::POST,
            "/articles/a1/comments",
            token,
            Some("application/json"),
            comment_json_of_size(65_537),
            &[],
        )
        .await;
    res.assert_error(413, "payload_too_large");
    assert_common_headers(&res);
    let res = app
        .send_raw(
            Method::POST,
            "/articles/a1/comments",
            token,
            Some("application/json"),
            comment_json_of_size(200_000),
            &[],
        )
        .await;
    res.assert_error(413, "payload_too_large");
    // On other routes too.
    let huge = format!(r#"{{"key": "big", "title": "{}"}}"#, "t".repeat(70_000));
    cast.admin
        .send_raw(
            Method::POST,
            "/admin/articles",
            Some("application/json"),
            huge.into_bytes(),
        )
        .await
        .assert_error(413, "payload_too_large");
    assert!(app.thread("a1", None).await.is_empty());
}

/// Sends a chunked request body (no Content-Length) over a raw connection and
/// returns the status and JSON body of the answer.
async fn post_chunked(app: &TestApp, path: &str, token: &str, body: &[u8]) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.address.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&host)
        .await
        .expect("connect");
    let head = format!(
        "POST /api/v1{path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    for chunk in body.chunks(8192) {
        // The server may answer and stop reading before the last chunk.
        if stream
            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await
            .is_err()
            || stream.write_all(chunk).await.is_err()
            || stream.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw).await;
    let text = String::from_utf8_lossy(&raw).to_string();
    let status: u16 = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let (headers, rest) = text.split_once("\r\n\r\n").expect("end of headers");
    let json_text = if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        // One chunk is enough for an error body: "<size>\r\n<json>\r\n0\r\n\r\n".
        rest.split("\r\n").nth(1).unwrap_or("").to_string()
    } else {
        rest.to_string()
    };
    let body = serde_json::from_str(&json_text).unwrap_or(Value::Null);
    (status, body)
}

#[tokio::test]
async fn chunked_bodies_over_64_kib_are_refused_with_413_too() {
    let (app, cast) = TestApp::with_cast().await;
    let (status, body) = post_chunked(
        &app,
        "/articles/a1/comments",
        &cast.reader.token,
        &comment_json_of_size(100_000),
    )
    .await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "payload_too_large");
    // A small chunked body is read as usual.
    let (status, body) = post_chunked(
        &app,
        "/articles/a1/comments",
        &cast.reader.token,
        br#"{"body": "en morceaux"}"#,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["body"], "en morceaux");
}

#[tokio::test]
async fn bad_utf8_and_deep_nesting_are_malformed_json() {
    let (app, cast) = TestApp::with_cast().await;
    let token = Some(cast.reader.token.as_str());
    let bad_utf8 = [&b"{\"body\": \"caf"[..], &[0xC3, 0x28], b"\"}"].concat();
    let lone_surrogate = br#"{"body": "\ud800"}"#.to_vec();
    let deep = format!(r#"{{"body": {}"x"{}}}"#, "[".repeat(1000), "]".repeat(1000));
    let deep_objects = format!(
        r#"{{"body": {}1{}}}"#,
        r#"{"a": "#.repeat(1000),
        "}".repeat(1000)
    );
    for body in [
        bad_utf8,
        lone_surrogate,
        deep.into_bytes(),
        deep_objects.into_bytes(),
    ] {
        let res = app
            .send_raw(
                Method::POST,
                "/articles/a1/comments",
                token,
                Some("application/json"),
                body,
                &[],
            )
            .await;
        res.assert_error(400, "malformed_json");
        assert_common_headers(&res);
    }
    // Moderate nesting is a type problem, not a syntax one.
    app.post("/articles/a1/comments", token, json!({"body": [[["x"]]]}))
        .await
        .assert_field_error("body");
    assert!(app.thread("a1", None).await.is_empty());
}

// ---------------------------------------------------------------------------
// Common headers
// ---------------------------------------------------------------------------

#[tokio::test]
async fn every_answer_carries_the_common_headers() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "bonjour").await;
    let answers = vec![
        app.get("/articles/a1", None).await,
        app.get("/articles/a1/comments", None).await,
        app.get(&format!("/comments/{id}"), None).await,
        app.get("/counts?articles=a1", None).await,
        app.get("/i18n/ar", None).await,
        app.get("//healthz", None).await,
        app.get("//readyz", None).await,
        cast.other.comment("a1", "salut").await,
        cast.reader.delete(&format!("/comments/{id}")).await,
        app.get("/articles/nope", None).await,
        app.get("/me", None).await,
        cast.reader.get("/admin/articles").await,
        cast.reader.comment("a1", "").await,
        cast.admin.get("/admin/articles?cursor=zzz").await,
        cast.reader
            .send_raw(
                Method::POST,
                "/articles/a1/comments",
                Some("text/plain"),
                b"x".to_vec(),
            )
            .await,
        app.send(Method::PUT, "/articles/a1/comments", None, None)
            .await,
    ];
    let mut ids = std::collections::HashSet::new();
    for res in &answers {
        assert_common_headers(res);
        ids.insert(res.header("x-request-id").unwrap().to_string());
    }
    assert_eq!(ids.len(), answers.len(), "each request gets its own id");
    let statuses: Vec<u16> = answers.iter().map(|r| r.status.as_u16()).collect();
    assert_eq!(
        statuses,
        vec![200, 200, 200, 200, 200, 200, 200, 201, 204, 404, 401, 403, 422, 400, 415, 405]
    );
}

// ---------------------------------------------------------------------------
// Language
// ---------------------------------------------------------------------------

async fn not_found_in(app: &TestApp, accept_language: &str) -> Resp {
    let res = app
        .send_with(
            Method::GET,
            "/articles/nope",
            None,
            None,
            &[("Accept-Language", accept_language)],
        )
        .await;
    res.assert_error(404, "not_found");
    res
}

#[tokio::test]
async fn errors_speak_the_negotiated_language() {
    let app = TestApp::spawn().await;
    let fr = "La ressource demandée est introuvable.";
    let ar = "المورد المطلوب غير موجود.";
    let en = "The requested resource was not found.";

    let res = app.get("/articles/nope", None).await;
    assert_eq!(res.body["error"]["message"], fr);
    assert_eq!(res.header("content-language"), Some("fr"));

    let cases = [
        ("ar", ar, "ar"),
        ("ar-MA", ar, "ar"),
        ("fr;q=0.1, ar;q=0.9", ar, "ar"),
        ("ar;q=0.5, fr;q=0.8", fr, "fr"),
        ("de", fr, "fr"),
        ("de-DE, es;q=0.8", fr, "fr"),
        ("*", fr, "fr"),
        ("en", en, "en"),
        ("en-GB, ar;q=0.5", en, "en"),
        ("de, en;q=0.3", en, "en"),
        ("ar;q=0, en;q=0.1", en, "en"),
        ("fr", fr, "fr"),
        ("ar;q=2", fr, "fr"),
        ("ar;q=abc, en;q=0.5", en, "en"),
    ];
    for (header, message, lang) in cases {
        let res = not_found_in(&app, header).await;
        assert_eq!(
            res.body["error"]["message"], message,
            "Accept-Language: {header}"
        );
        assert_eq!(
            res.header("content-language"),
            Some(lang),
            "Accept-Language: {header}"
        );
    }
}

#[tokio::test]
async fn successful_answers_and_field_messages_follow_the_language_too() {
    let (app, cast) = TestApp::with_cast().await;
    let res = app
        .send_with(
            Method::GET,
            "/articles/a1",
            None,
            None,
            &[("Accept-Language", "ar")],
        )
        .await;
    res.assert_status(200);
    assert_eq!(res.header("content-language"), Some("ar"));

    let res = cast.reader.comment_in("ar", "a1", "  ").await;
    res.assert_field_error("body");
    assert_eq!(
        res.body["error"]["fields"]["body"][0],
        "لا يمكن أن يكون التعليق فارغًا."
    );
    assert_eq!(res.header("content-language"), Some("ar"));

    let res = app
        .send_raw(
            Method::POST,
            "/articles/a1/comments",
            Some(&cast.reader.token),
            Some("application/json"),
            b"{".to_vec(),
            &[("Accept-Language", "en")],
        )
        .await;
    res.assert_error(400, "malformed_json");
    assert_eq!(
        res.body["error"]["message"],
        "The request body is not valid JSON."
    );
    assert_eq!(res.header("content-language"), Some("en"));

    // 405 from the router is localized as well.
    let res = app
        .send_with(
            Method::PUT,
            "/articles/a1/comments",
            None,
            None,
            &[("Accept-Language", "ar")],
        )
        .await;
    res.assert_error(405, "method_not_allowed");
    assert_eq!(
        res.body["error"]["message"],
        "هذه الطريقة غير مسموح بها لهذا العنوان."
    );
}

#[tokio::test]
async fn signed_in_callers_without_accept_language_get_their_account_locale() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.reader
        .patch("/me", json!({"locale": "ar"}))
        .await
        .assert_status(200);
    let res = cast.reader.comment("a1", "").await;
    res.assert_field_error("body");
    assert_eq!(res.header("content-language"), Some("ar"));
    assert_eq!(
        res.body["error"]["fields"]["body"][0],
        "لا يمكن أن يكون التعليق فارغًا."
    );
    // Accept-Language still wins over the account.
    let res = cast.reader.comment_in("fr", "a1", "").await;
    assert_eq!(res.header("content-language"), Some("fr"));
    assert_eq!(
        res.body["error"]["fields"]["body"][0],
        "Le commentaire ne peut pas être vide."
    );
}

// ---------------------------------------------------------------------------
// GET /i18n/{locale}
// ---------------------------------------------------------------------------

/// GET /i18n/{locale}'s strings, once its locale and direction are checked.
async fn widget_strings(app: &TestApp, locale: &str, dir: &str) -> Value {
    let res = app.get(&format!("/i18n/{locale}"), None).await;
    let body = res.assert_status(200);
    assert_eq!(body["locale"], locale);
    assert_eq!(body["dir"], dir);
    body["strings"].clone()
}

#[tokio::test]
async fn french_widget_strings() {
    let app = TestApp::spawn().await;
    let s = widget_strings(&app, "fr", "ltr").await;
    for (key, text) in [
        ("comments-title", "Commentaires"),
        ("comment-post", "Poster commentaire"),
        ("comments-empty", "Pas de commentaires"),
        (
            "comments-notice",
            "Tout commentaire injurieux et sans rapport avec l'article sera supprimé.",
        ),
    ] {
        assert_eq!(s[key], text, "{key}");
    }
    assert_eq!(
        s["comment-count"],
        json!({"=0": "Pas de commentaires", "one": "{ $count } commentaire", "other": "{ $count } commentaires"})
    );
}

#[tokio::test]
async fn arabic_widget_strings_are_rtl_with_six_plural_forms() {
    let app = TestApp::spawn().await;
    let s = widget_strings(&app, "ar", "rtl").await;
    for (key, text) in [
        ("comments-title", "تعليقات"),
        ("comment-post", "أضف تعليقا"),
        ("comments-empty", "لا توجد تعليقات"),
        (
            "comments-notice",
            "أي تعليق مسيء خارجا عن حدود الأخلاق ولا علاقة له بالمقال سيتم حذفه",
        ),
    ] {
        assert_eq!(s[key], text, "{key}");
    }
    let count = s["comment-count"]
        .as_object()
        .expect("comment-count is an object");
    let mut keys: Vec<&str> = count.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        vec!["=0", "few", "many", "one", "other", "two", "zero"]
    );
    assert_eq!(count["=0"], "لا توجد تعليقات");
    assert_eq!(count["one"], "تعليق واحد");
    assert_eq!(count["two"], "تعليقان");
    assert_eq!(count["few"], "{ $count } تعليقات");
    assert!(count
        .values()
        .all(|v| v.as_str().is_some_and(|t| !t.is_empty())));
}

#[tokio::test]
async fn english_widget_strings_and_unknown_locales() {
    let app = TestApp::spawn().await;
    let res = app.get("/i18n/en", None).await;
    let body = res.assert_status(200);
    assert_eq!(body["locale"], "en");
    assert_eq!(body["dir"], "ltr");
    assert_eq!(body["strings"]["comments-title"], "Comments");
    assert_eq!(body["strings"]["comment-post"], "Post comment");
    assert_eq!(
        body["strings"]["comment-count"],
        json!({"=0": "No comments", "one": "{ $count } comment", "other": "{ $count } comments"})
    );
    for locale in ["de", "fr-FR", "xx", "arabic", "FR", "eN"] {
        let res = app.get(&format!("/i18n/{locale}"), None).await;
        res.assert_error(404, "not_found");
        assert_common_headers(&res);
    }
}

#[tokio::test]
async fn every_language_has_the_same_widget_keys() {
    let app = TestApp::spawn().await;
    let mut tables = Vec::new();
    for locale in ["fr", "ar", "en"] {
        let res = app.get(&format!("/i18n/{locale}"), None).await;
        let strings = res.assert_status(200)["strings"]
            .as_object()
            .unwrap()
            .clone();
        for (key, value) in &strings {
            let ok = match value {
                Value::String(text) => !text.is_empty(),
                Value::Object(forms) => {
                    forms.contains_key("other") && forms.values().all(Value::is_string)
                }
                _ => false,
            };
            assert!(ok, "{locale}: {key} = {value}");
        }
        let mut keys: Vec<String> = strings.keys().cloned().collect();
        keys.sort();
        tables.push((locale, keys));
    }
    assert_eq!(tables[0].1, tables[1].1, "fr and ar keys differ");
    assert_eq!(tables[0].1, tables[2].1, "fr and en keys differ");
}

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

#[tokio::test]
async fn health_and_readiness_answer_200() {
    let app = TestApp::spawn().await;
    let health = app.get("//healthz", None).await;
    health.assert_status(200);
    assert_common_headers(&health);
    let ready = app.get("//readyz", None).await;
    ready.assert_status(200);
    assert_common_headers(&ready);
    // They live outside /api/v1.
    app.get("/healthz", None)
        .await
        .assert_error(404, "not_found");
    app.get("/readyz", None)
        .await
        .assert_error(404, "not_found");
}
