//! Operations: metrics, health, security headers, CORS.

use crate::helpers::*;

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    app.comment_id(&cast.reader, "a1", "un").await;
    app.get("/comments/999", None)
        .await
        .assert_error(404, "not_found");
    let res = app.client.get(app.url("//metrics")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let text = res.text().await.unwrap();
    assert!(text.contains(
        "tribune_http_requests_total{route=\"/api/v1/articles/{key}/comments\",method=\"POST\",status=\"201\"} 1"
    ), "{text}");
    assert!(text.contains(
        "tribune_http_requests_total{route=\"/api/v1/comments/{id}\",method=\"GET\",status=\"404\"} 1"
    ), "{text}");
    assert!(
        text.contains("tribune_http_request_duration_seconds_bucket{route=\"/api/v1/auth/login\"")
    );
    assert!(text.contains("tribune_comments{status=\"approved\"} 1"));
    assert!(text.contains("tribune_queue_length 0"));
    assert!(text.contains("tribune_pool_connections{pool=\"read\"}"));
    // Nothing is being written while the metrics are read.
    assert!(text.contains("tribune_writes_waiting 0"), "{text}");
}

#[tokio::test]
async fn json_answers_carry_nosniff_and_a_request_id() {
    let app = TestApp::spawn().await;
    let ok = app.get("/i18n/fr", None).await;
    ok.assert_status(200);
    let err = app.get("/nowhere", None).await;
    err.assert_error(404, "not_found");
    for res in [&ok, &err] {
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"));
        assert!(res.header("x-request-id").is_some_and(|id| id.len() >= 8));
    }
    assert_ne!(ok.header("x-request-id"), err.header("x-request-id"));
}

#[tokio::test]
async fn cors_allows_only_the_configured_sites_and_no_credentials() {
    let app =
        TestApp::spawn_with(|c| c.server.cors_origins = vec!["https://journal.example".into()])
            .await;
    let allowed = app
        .client
        .get(app.url("/i18n/ar"))
        .header("Origin", "https://journal.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://journal.example"
    );
    assert!(allowed
        .headers()
        .get("access-control-allow-credentials")
        .is_none());
    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/articles/a1/comments"))
        .header("Origin", "https://journal.example")
        .header("Access-Control-Request-Method", "POST")
        .header(
            "Access-Control-Request-Headers",
            "authorization, content-type",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let other = app
        .client
        .get(app.url("/i18n/ar"))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}
