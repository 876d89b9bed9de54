//! HEAD on every GET route: the same status and headers as GET, no body
//! (RFC 9110), for pages, the API and the operations routes alike.

use crate::helpers::*;
use reqwest::Method;
use std::time::Duration;

/// An answer read to its end: status, headers, body bytes.
struct Raw {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

async fn call(app: &TestApp, method: Method, url: &str, token: Option<&str>) -> Raw {
    let mut req = app
        .client
        .request(method, url)
        .header("Accept-Language", "ar");
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    let res = req.send().await.expect("request sent");
    Raw {
        status: res.status().as_u16(),
        headers: res.headers().clone(),
        body: res.bytes().await.expect("body").to_vec(),
    }
}

#[tokio::test]
async fn head_answers_every_get_route_like_get_without_a_body() {
    let (app, cast) = TestApp::with_cast().await;
    let comment = cast.reader.comment_id("a1", "Un commentaire").await;
    let reader = cast.reader.token.as_str();
    let routes: Vec<(String, Option<&str>)> = vec![
        ("/".into(), None),
        ("/demo".into(), None),
        ("/embed/a1?title=Article".into(), None),
        ("/embed.js".into(), None),
        ("/console/".into(), None),
        ("/healthz".into(), None),
        ("/openapi.json".into(), None),
        ("/api/v1/counts?articles=a1".into(), None),
        ("/api/v1/articles/a1".into(), None),
        ("/api/v1/articles/a1/comments".into(), None),
        (format!("/api/v1/comments/{comment}"), None),
        ("/api/v1/i18n/fr".into(), None),
        ("/api/v1/me".into(), Some(reader)),
        // Errors too: the same status and error headers, no body.
        ("/api/v1/me".into(), None),
        ("/api/v1/articles/nothing-here".into(), None),
        ("/nowhere".into(), None),
    ];
    for (path, token) in routes {
        let url = format!("{}{path}", app.address);
        let get = call(&app, Method::GET, &url, token).await;
        let head = call(&app, Method::HEAD, &url, token).await;
        assert_eq!(head.status, get.status, "HEAD {path}");
        assert!(head.body.is_empty(), "HEAD {path} sent a body");
        for name in ["content-type", "content-language", "cache-control", "allow"] {
            assert_eq!(head.header(name), get.header(name), "{name} of HEAD {path}");
        }
        assert_eq!(
            head.header("content-length"),
            Some(get.body.len().to_string().as_str()),
            "Content-Length of HEAD {path}"
        );
        assert!(head.header("x-request-id").is_some(), "HEAD {path}");
    }
}

#[tokio::test]
async fn head_on_the_live_stream_answers_its_headers_and_ends() {
    let (app, _cast) = TestApp::with_cast().await;
    let url = app.url("/articles/a1/events");
    // GET never ends: HEAD must, well before the stream's first heartbeat.
    let head = tokio::time::timeout(
        Duration::from_secs(10),
        call(&app, Method::HEAD, &url, None),
    )
    .await
    .expect("HEAD on a live stream ends");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("text/event-stream"));
    assert!(head.body.is_empty());
    let missing = call(
        &app,
        Method::HEAD,
        &app.url("/articles/nothing/events"),
        None,
    )
    .await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn allow_lists_head_beside_get_and_head_is_refused_where_get_is() {
    let app = TestApp::spawn().await;
    let delete = call(&app, Method::DELETE, &app.url("/counts"), None).await;
    assert_eq!(delete.status, 405);
    assert_eq!(delete.header("allow"), Some("GET, HEAD"));
    // A route without GET takes no HEAD either: 405, saying what it takes.
    let head = call(&app, Method::HEAD, &app.url("/auth/login"), None).await;
    assert_eq!(head.status, 405);
    assert_eq!(head.header("allow"), Some("POST"));
    assert!(head.body.is_empty());
    let get = app.get("/auth/login", None).await;
    get.assert_error(405, "method_not_allowed");
    assert_eq!(get.header("allow"), Some("POST"));
}
