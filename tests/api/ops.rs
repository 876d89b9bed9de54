//! Operations: metrics, health, security headers, CORS.

use crate::helpers::*;

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let (app, cast) = TestApp::with_cast().await;
    cast.reader.comment_id("a1", "un").await;
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
    // No worker owes anything, no stream is open.
    assert!(
        text.contains("tribune_webhook_deliveries_pending 0\n"),
        "{text}"
    );
    assert!(text.contains("tribune_live_clients 0\n"), "{text}");
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
        .get(app.url("/me"))
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
    // The catalogs are a public read (tests/api/cors.rs); an account is not.
    let other = app
        .client
        .get(app.url("/me"))
        .header("Origin", "https://evil.example")
        .send()
        .await
        .unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

/// Reads `name`'s value from the Prometheus text.
fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("{name} missing from:\n{text}"))
}

#[tokio::test]
async fn metrics_show_the_page_cache_in_bytes_and_its_hits() {
    let app = TestApp::spawn_with(|c| c.cache.thread_pages_max_bytes = 1 << 20).await;
    let cast = app.cast().await;
    cast.reader.comment_id("a1", "un commentaire").await;
    let scrape = || async {
        let res = app.client.get(app.url("//metrics")).send().await.unwrap();
        res.text().await.unwrap()
    };
    let before = scrape().await;
    assert_eq!(metric(&before, "tribune_page_cache_max_bytes"), 1 << 20);
    assert_eq!(metric(&before, "tribune_page_cache_bytes"), 0);

    let first = app.get("/articles/a1/comments", None).await;
    first.assert_status(200);
    let second = app.get("/articles/a1/comments", None).await;
    second.assert_status(200);
    assert_eq!(first.body, second.body);

    let after = scrape().await;
    let page_len = first.body.to_string().len() as u64;
    let bytes = metric(&after, "tribune_page_cache_bytes");
    assert!(
        bytes >= page_len && bytes < page_len + 1024,
        "{bytes} bytes kept for a page of {page_len}"
    );
    assert_eq!(metric(&after, "tribune_page_cache_pages"), 1);
    assert_eq!(metric(&after, "tribune_page_cache_misses_total"), 1);
    assert_eq!(metric(&after, "tribune_page_cache_hits_total"), 1);
}

#[tokio::test]
async fn methods_a_client_makes_up_do_not_create_metric_series() {
    let app = TestApp::spawn().await;
    for method in ["BREW", "PROPFIND", "XYZZY"] {
        let res = app
            .client
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                app.url("/articles/a1/comments"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 405, "{method}");
    }
    let text = app
        .client
        .get(app.url("//metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for made_up in ["BREW", "PROPFIND", "XYZZY"] {
        assert!(!text.contains(made_up), "{made_up} in:\n{text}");
    }
    assert!(
        text.contains("method=\"other\",status=\"405\"} 3"),
        "{text}"
    );
}
