//! Cross-origin access: the public reads (counts, an article, a thread, the
//! catalogs) for any site, with `*` and no credentials; every other route
//! only for `server.cors_origins`; a refused preflight in the error shape.

use crate::helpers::*;
use reqwest::Method;

const SITE: &str = "https://journal.example";

/// The public reads of an app whose cast made article `a1`.
const PUBLIC: [&str; 4] = [
    "/counts?articles=a1",
    "/articles/a1",
    "/articles/a1/comments",
    "/i18n/ar",
];

async fn from_site(
    app: &TestApp,
    method: Method,
    path: &str,
    origin: Option<&str>,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut req = app.client.request(method, app.url(path));
    if let Some(origin) = origin {
        req = req.header("Origin", origin);
    }
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.expect("request sent")
}

fn header<'a>(res: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    res.headers().get(name).and_then(|v| v.to_str().ok())
}

#[track_caller]
fn assert_open_to_all(res: &reqwest::Response, what: &str) {
    assert_eq!(
        header(res, "access-control-allow-origin"),
        Some("*"),
        "{what}"
    );
    assert_eq!(
        header(res, "access-control-allow-credentials"),
        None,
        "{what}"
    );
}

#[tokio::test]
async fn public_reads_answer_any_site_with_a_star_and_no_credentials() {
    // The default configuration: no site listed.
    let (app, cast) = TestApp::with_cast().await;
    assert!(app.config.server.cors_origins.is_empty());
    cast.reader.comment_id("a1", "Un commentaire").await;
    for path in PUBLIC {
        for origin in [Some("https://news.example"), Some("null"), None] {
            for method in [Method::GET, Method::HEAD] {
                let res = from_site(&app, method.clone(), path, origin, &[]).await;
                assert_eq!(res.status(), 200, "{method} {path} from {origin:?}");
                assert_open_to_all(&res, &format!("{method} {path} from {origin:?}"));
            }
        }
        // Whoever asks: a signed-in reader's request is answered the same way.
        let auth = format!("Bearer {}", cast.reader.token);
        let res = from_site(
            &app,
            Method::GET,
            path,
            Some("https://news.example"),
            &[("Authorization", auth.as_str())],
        )
        .await;
        assert_eq!(res.status(), 200, "{path} as a reader");
        assert_open_to_all(&res, path);
    }
    // The answer the page reads: the counts themselves.
    let counts: serde_json::Value = from_site(
        &app,
        Method::GET,
        "/counts?articles=a1",
        Some("https://news.example"),
        &[],
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(counts["counts"]["a1"], 1, "{counts}");
    // Their errors are readable too.
    let missing = from_site(
        &app,
        Method::GET,
        "/articles/nothing-here",
        Some("https://news.example"),
        &[],
    )
    .await;
    assert_eq!(missing.status(), 404);
    assert_open_to_all(&missing, "a 404 of a public read");
}

#[tokio::test]
async fn a_preflight_for_a_public_read_is_granted_to_any_site() {
    let app = TestApp::spawn().await;
    for path in PUBLIC {
        for method in ["GET", "HEAD"] {
            let res = from_site(
                &app,
                Method::OPTIONS,
                path,
                Some("https://news.example"),
                &[
                    ("Access-Control-Request-Method", method),
                    ("Access-Control-Request-Headers", "accept-language"),
                ],
            )
            .await;
            assert!(
                res.status().is_success(),
                "{method} {path}: {}",
                res.status()
            );
            assert_open_to_all(&res, &format!("preflight of {method} {path}"));
            let methods = header(&res, "access-control-allow-methods").unwrap_or("");
            assert!(methods.contains(method), "{methods}");
        }
    }
}

#[tokio::test]
async fn every_other_route_stays_for_the_listed_sites_only() {
    let (app, cast) = TestApp::with_cast().await;
    let comment = cast.reader.comment_id("a1", "Un commentaire").await;
    let auth = format!("Bearer {}", cast.reader.token);
    let comment_path = format!("/comments/{comment}");
    for (path, token) in [
        ("/me", Some(auth.as_str())),
        (comment_path.as_str(), None),
        ("/articles/a1/events", None),
        ("//openapi.json", None),
    ] {
        let headers: Vec<(&str, &str)> = token.map(|t| ("Authorization", t)).into_iter().collect();
        let method = if path.ends_with("/events") {
            Method::HEAD
        } else {
            Method::GET
        };
        let res = from_site(&app, method, path, Some("https://news.example"), &headers).await;
        assert!(res.status().is_success(), "{path}: {}", res.status());
        assert_eq!(header(&res, "access-control-allow-origin"), None, "{path}");
    }
    // Writing to a public read's path is not a public read.
    let res = from_site(
        &app,
        Method::OPTIONS,
        "/articles/a1/comments",
        Some("https://news.example"),
        &[("Access-Control-Request-Method", "POST")],
    )
    .await;
    assert_eq!(res.status(), 403);
    assert_eq!(header(&res, "access-control-allow-origin"), None);
}

#[tokio::test]
async fn a_refused_preflight_answers_the_error_shape_in_the_callers_language() {
    let app = TestApp::spawn().await;
    let mut messages = Vec::new();
    for lang in ["fr", "ar", "en"] {
        let res = app
            .send_with(
                Method::OPTIONS,
                "/articles/a1/comments",
                None,
                None,
                &[
                    ("Origin", "https://evil.example"),
                    ("Access-Control-Request-Method", "POST"),
                    ("Accept-Language", lang),
                ],
            )
            .await;
        res.assert_error(403, "forbidden");
        assert_eq!(res.header("content-language"), Some(lang));
        assert!(res.header("x-request-id").is_some());
        assert_eq!(res.header("access-control-allow-origin"), None);
        messages.push(res.body["error"]["message"].as_str().unwrap().to_string());
    }
    messages.dedup();
    assert_eq!(messages.len(), 3, "one message per language: {messages:?}");
    // A listed site asking for a header it may not send is refused the same way.
    let app = TestApp::spawn_with(|c| c.server.cors_origins = vec![SITE.into()]).await;
    let res = app
        .send_with(
            Method::OPTIONS,
            "/articles/a1/comments",
            None,
            None,
            &[
                ("Origin", SITE),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "x-made-up"),
            ],
        )
        .await;
    res.assert_error(403, "forbidden");
}

#[tokio::test]
async fn a_listed_site_keeps_its_access_and_public_reads_stay_open_to_it() {
    let (app, cast) = {
        let app = TestApp::spawn_with(|c| c.server.cors_origins = vec![SITE.into()]).await;
        let cast = app.cast().await;
        (app, cast)
    };
    let auth = format!("Bearer {}", cast.reader.token);
    let me = from_site(
        &app,
        Method::GET,
        "/me",
        Some(SITE),
        &[("Authorization", auth.as_str())],
    )
    .await;
    assert_eq!(me.status(), 200);
    assert_eq!(header(&me, "access-control-allow-origin"), Some(SITE));
    // Its errors stay readable by it, in the error shape.
    let denied = from_site(&app, Method::GET, "/me", Some(SITE), &[]).await;
    assert_eq!(denied.status(), 401);
    assert_eq!(header(&denied, "access-control-allow-origin"), Some(SITE));
    let body: serde_json::Value = denied.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthenticated");
    let preflight = from_site(
        &app,
        Method::OPTIONS,
        "/articles/a1/comments",
        Some(SITE),
        &[
            ("Access-Control-Request-Method", "POST"),
            (
                "Access-Control-Request-Headers",
                "authorization, content-type",
            ),
        ],
    )
    .await;
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(
        header(&preflight, "access-control-allow-origin"),
        Some(SITE)
    );
    for path in PUBLIC {
        let res = from_site(&app, Method::GET, path, Some(SITE), &[]).await;
        assert_open_to_all(&res, path);
    }
}

#[tokio::test]
async fn the_public_reads_are_anonymous_gets_of_the_document() {
    let app = TestApp::spawn().await;
    let doc = app.get("//openapi.json", None).await;
    let doc = doc.assert_status(200);
    for path in [
        "/api/v1/counts",
        "/api/v1/articles/{key}",
        "/api/v1/articles/{key}/comments",
        "/api/v1/i18n/{locale}",
    ] {
        let get = &doc["paths"][path]["get"];
        assert!(get.is_object(), "GET {path} is documented");
        // No security, or a security that may be empty: anyone may call it.
        let anonymous = match get.get("security").and_then(|s| s.as_array()) {
            None => true,
            Some(reqs) => reqs
                .iter()
                .any(|r| r.as_object().is_some_and(|o| o.is_empty())),
        };
        assert!(anonymous, "GET {path} needs no token");
    }
}
