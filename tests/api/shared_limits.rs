//! Limits shared by the instances through Redis (`rate_limit.redis_url`):
//! a flood split across two instances is refused at one instance's limit.
//! The tests that need a Redis server are ignored by `cargo test` (a fresh
//! machine has none) and run by `.ci/run`, which starts Debian's
//! redis-server and sets TRIBUNE_TEST_REDIS_URL.

use crate::helpers::*;
use serde_json::json;

fn login_body(login: &str) -> serde_json::Value {
    json!({"login": login, "password": "wrong password"})
}

fn redis_url() -> String {
    std::env::var("TRIBUNE_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/0".into())
}

/// Two instances on one database and one Redis, with `login` sign-ins a
/// minute per address; each test its own keys.
async fn two_instances(redis_url: String, per_minute: u32) -> (TestApp, TestApp) {
    let prefix = format!("tribune-test-{}:", rand_suffix());
    let app = TestApp::spawn_with(|c| {
        c.rate_limit.enabled = true;
        c.rate_limit.login_per_address_per_minute = per_minute;
        c.rate_limit.redis_url = redis_url;
        c.rate_limit.redis_prefix = prefix;
    })
    .await;
    let sibling = app.sibling().await;
    (app, sibling)
}

fn rand_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{nanos:x}-{}", std::process::id())
}

async fn metric(app: &TestApp, name: &str) -> String {
    let text = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find(|l| l.starts_with(name))
        .unwrap_or_default()
        .to_string()
}

#[tokio::test]
#[ignore = "needs a Redis server: .ci/run starts one"]
async fn a_flood_split_across_instances_is_refused_at_one_instances_limit() {
    let (one, two) = two_instances(redis_url(), 6).await;
    // Six tries in all, alternating instances: each instance alone would
    // have allowed six of its own.
    for i in 0..6 {
        let app = if i % 2 == 0 { &one } else { &two };
        app.post("/auth/login", None, login_body("nadia"))
            .await
            .assert_error(401, "invalid_credentials");
    }
    for app in [&one, &two] {
        let res = app.post("/auth/login", None, login_body("nadia")).await;
        res.assert_error(429, "rate_limited");
        let wait: u64 = res.header("retry-after").unwrap().parse().unwrap();
        assert!((1..=10).contains(&wait), "Retry-After {wait}");
    }
    assert_eq!(
        metric(&one, "tribune_rate_limits_redis_up").await,
        "tribune_rate_limits_redis_up 1"
    );
}

#[tokio::test]
async fn without_redis_each_instance_counts_alone_and_says_so() {
    // Nothing listens there: the instances fall back to their own counters.
    let (one, two) = two_instances("redis://127.0.0.1:1/0".into(), 3).await;
    for app in [&one, &two] {
        for _ in 0..3 {
            app.post("/auth/login", None, login_body("nadia"))
                .await
                .assert_error(401, "invalid_credentials");
        }
        // Still limited: falling back never lets everything through.
        app.post("/auth/login", None, login_body("nadia"))
            .await
            .assert_error(429, "rate_limited");
        // Nor refuses everyone.
        app.get("//healthz", None).await;
        app.get("/articles/nope", None)
            .await
            .assert_error(404, "not_found");
        assert_eq!(
            metric(app, "tribune_rate_limits_redis_up").await,
            "tribune_rate_limits_redis_up 0"
        );
    }
}
