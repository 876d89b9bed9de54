//! Rate limits and bounded work: floods slow the flooder, not everyone else.

use crate::helpers::*;
use reqwest::Method;
use serde_json::json;
use std::time::{Duration, Instant};

async fn limited(adjust: impl FnOnce(&mut tribune::config::Config)) -> TestApp {
    TestApp::spawn_with(|c| {
        c.rate_limit.enabled = true;
        adjust(c);
    })
    .await
}

fn login_body(login: &str, password: &str) -> serde_json::Value {
    json!({"login": login, "password": password})
}

#[tokio::test]
async fn failed_logins_on_one_account_are_limited_and_others_are_not() {
    let app = limited(|c| c.rate_limit.login_per_account_per_15_minutes = 5).await;
    let _nadia = app.register("nadia").await;
    app.register("karim").await;
    for _ in 0..5 {
        app.post("/auth/login", None, login_body("nadia", "wrong password"))
            .await
            .assert_error(401, "invalid_credentials");
    }
    let res = app
        .send_with(
            Method::POST,
            "/auth/login",
            None,
            Some(login_body("NADIA", PASSWORD)),
            &[("Accept-Language", "ar")],
        )
        .await;
    res.assert_error(429, "rate_limited");
    let wait: u64 = res.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=15 * 60).contains(&wait), "Retry-After {wait}");
    assert_eq!(res.header("content-language"), Some("ar"));
    // Another account from the same address signs in as usual.
    app.post("/auth/login", None, login_body("karim", PASSWORD))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn a_forged_forwarded_header_does_not_reset_the_address_limit() {
    let app = limited(|c| c.rate_limit.login_per_address_per_minute = 3).await;
    for i in 0..3 {
        app.post(
            "/auth/login",
            None,
            login_body(&format!("user{i}"), "whatever pass"),
        )
        .await
        .assert_error(401, "invalid_credentials");
    }
    let forged = app
        .send_with(
            Method::POST,
            "/auth/login",
            None,
            Some(login_body("user9", "whatever pass")),
            &[
                ("X-Forwarded-For", "203.0.113.9"),
                ("X-Real-IP", "203.0.113.10"),
            ],
        )
        .await;
    forged.assert_error(429, "rate_limited");
}

#[tokio::test]
async fn a_trusted_proxy_is_believed_about_the_client_address() {
    let app = limited(|c| {
        c.rate_limit.login_per_address_per_minute = 2;
        c.server.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    for client in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        for _ in 0..2 {
            app.send_with(
                Method::POST,
                "/auth/login",
                None,
                Some(login_body("someone", "whatever pass")),
                &[("X-Forwarded-For", client)],
            )
            .await
            .assert_error(401, "invalid_credentials");
        }
    }
    app.send_with(
        Method::POST,
        "/auth/login",
        None,
        Some(login_body("someone", "whatever pass")),
        &[("X-Forwarded-For", "203.0.113.1")],
    )
    .await
    .assert_error(429, "rate_limited");
}

#[tokio::test]
async fn posting_is_limited_per_account() {
    let app = limited(|c| c.rate_limit.posts_per_account_per_minute = 3).await;
    let cast = app.cast().await;
    for i in 0..3 {
        cast.reader
            .comment_id("a1", &format!("commentaire {i}"))
            .await;
    }
    let res = cast.reader.comment("a1", "un de trop").await;
    res.assert_error(429, "rate_limited");
    assert!(res.header("retry-after").is_some());
    cast.other.comment_id("a1", "moi je peux").await;
}

#[tokio::test]
async fn registration_is_limited_per_address() {
    let app = limited(|c| c.rate_limit.register_per_address_per_hour = 2).await;
    app.register("first").await;
    app.register("second").await;
    app.post(
        "/auth/register",
        None,
        json!({"username": "third", "email": "third@example.com", "password": PASSWORD}),
    )
    .await
    .assert_error(429, "rate_limited");
}

#[tokio::test]
async fn every_request_is_limited_per_address_but_health_checks_are_not() {
    let app = limited(|c| c.rate_limit.requests_per_address_per_second = 5).await;
    let started = Instant::now();
    let mut answers = Vec::new();
    for _ in 0..20 {
        answers.push(app.get("/i18n/fr", None).await);
    }
    let elapsed = started.elapsed();
    // A burst of five passes; past it, every refusal is the API's 429.
    for res in &answers[..5] {
        assert_eq!(res.assert_status(200)["locale"], "fr");
    }
    let refused: Vec<&Resp> = answers.iter().filter(|r| r.status != 200).collect();
    assert!(!refused.is_empty(), "20 requests at once, none refused");
    for res in &refused {
        res.assert_error(429, "rate_limited");
        let wait: u64 = res
            .header("retry-after")
            .expect("Retry-After")
            .parse()
            .unwrap();
        assert_eq!(wait, 1, "a request a fifth of a second later passes");
    }
    // Five a second refill: no more passed than the burst and the refill allow.
    let passed = (answers.len() - refused.len()) as u128;
    assert!(
        passed <= 5 + elapsed.as_millis() * 5 / 1000 + 1,
        "{passed} passed in {elapsed:?}"
    );
    for _ in 0..20 {
        app.get("//healthz", None).await.assert_status(200);
    }
}

#[tokio::test]
async fn limits_can_be_turned_off() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit.enabled = false;
        c.rate_limit.login_per_account_per_15_minutes = 1;
        c.rate_limit.requests_per_address_per_second = 1;
    })
    .await;
    for _ in 0..10 {
        app.post("/auth/login", None, login_body("nadia", "wrong password"))
            .await
            .assert_error(401, "invalid_credentials");
    }
}

/// Hashing runs on a bounded pool: while logins pile up, reads still answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reads_keep_answering_during_a_login_flood() {
    let app = TestApp::spawn_with(|c| {
        c.auth.argon2_memory_kib = 8192;
        c.auth.argon2_iterations = 2;
        c.auth.hashing_threads = 1;
    })
    .await;
    let cast = app.cast().await;
    cast.reader
        .comment_id("a1", "à lire pendant la tempête")
        .await;
    let mut flood = tokio::task::JoinSet::new();
    for i in 0..24 {
        let client = app.client.clone();
        let url = app.url("/auth/login");
        flood.spawn(async move {
            let body = json!({"login": format!("nobody{i}"), "password": "wrong password"});
            client
                .post(url)
                .json(&body)
                .send()
                .await
                .map(|r| r.status().as_u16())
        });
    }
    // Real time: a head start for the flood to fill the hashing pool; the
    // logins queued there are not visible from outside.
    tokio::time::sleep(Duration::from_millis(100)).await;
    for _ in 0..5 {
        let started = Instant::now();
        let thread = app.thread("a1", None).await;
        assert_eq!(thread.len(), 1);
        // A read takes milliseconds; ten times a generous margin.
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "read took {:?}",
            started.elapsed()
        );
    }
    while let Some(done) = flood.join_next().await {
        assert_eq!(done.unwrap().unwrap(), 401);
    }
}
