//! What an attacker from outside tries: stalled bodies, look-alike names
//! against the sign-in limit, guessing a password with a stolen session,
//! old reset links, impersonating names, escaping a ban, planted URLs.

use crate::helpers::*;
use reqwest::Method;
use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn login_body(login: &str, password: &str) -> serde_json::Value {
    json!({"login": login, "password": password})
}

/// A sign-in that declares a body it never finishes sending.
fn stalled_body(address: &str) -> TcpStream {
    let host = address.trim_start_matches("http://");
    let mut socket = TcpStream::connect(host).expect("connect");
    let head = format!(
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{{"
    );
    socket.write_all(head.as_bytes()).expect("send head");
    socket
}

/// What the server answers on `socket`, up to when it closes it.
fn answer(mut socket: TcpStream, wait: Duration) -> String {
    socket.set_read_timeout(Some(wait)).unwrap();
    let mut text = Vec::new();
    let _ = socket.read_to_end(&mut text);
    String::from_utf8_lossy(&text).into_owned()
}

#[tokio::test]
async fn a_body_that_never_arrives_is_answered_408_and_its_connection_closed() {
    let app = TestApp::spawn_with(|c| c.server.body_timeout_seconds = 1).await;
    let address = app.address.clone();
    let started = Instant::now();
    let text = tokio::task::spawn_blocking(move || {
        answer(stalled_body(&address), Duration::from_secs(20))
    })
    .await
    .unwrap();
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("\"code\":\"request_timeout\""), "{text}");
    // Read to the end: the server closed the connection, within ten times the deadline.
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn slow_bodies_from_one_address_do_not_stop_everyone_else() {
    let app = TestApp::spawn_with(|c| {
        c.server.workers = 1;
        c.server.max_connections = 8;
        c.server.body_timeout_seconds = 2;
        c.server.body_reads_per_address = 4;
        c.rate_limit.enabled = true;
        c.rate_limit.requests_per_address_per_second = 1000;
    })
    .await;
    // Three times as many stalled bodies as the server has connections.
    let address = app.address.clone();
    let sockets = tokio::task::spawn_blocking(move || {
        (0..24).map(|_| stalled_body(&address)).collect::<Vec<_>>()
    })
    .await
    .unwrap();
    // Without a deadline and a bound, these waited as long as the stalled
    // sockets stayed open (for ever); with them, at most about the deadline.
    let answered = tokio::time::timeout(Duration::from_secs(20), async {
        app.get("//healthz", None).await.assert_status(200);
        app.get("/articles/a1", None)
            .await
            .assert_error(404, "not_found");
    })
    .await;
    assert!(answered.is_ok(), "a normal client was not answered in 20 s");
    // Past the bound, a stalled body is refused at once, not read.
    let answers = tokio::task::spawn_blocking(move || {
        sockets
            .into_iter()
            .map(|s| answer(s, Duration::from_secs(30)))
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let refused = answers
        .iter()
        .filter(|a| a.starts_with("HTTP/1.1 429"))
        .count();
    let timed_out = answers
        .iter()
        .filter(|a| a.starts_with("HTTP/1.1 408"))
        .count();
    assert!(refused >= 1, "none refused: {answers:?}");
    assert_eq!(refused + timed_out, 24, "{answers:?}");
}

#[tokio::test]
async fn every_spelling_of_an_account_shares_one_sign_in_limit() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit.enabled = true;
        c.rate_limit.login_per_account_per_15_minutes = 5;
        c.rate_limit.login_per_address_per_minute = 1000;
    })
    .await;
    app.register("reader5").await;
    app.register("karim").await;
    let spellings = [
        "reader5",
        "READER5",
        "re\u{200b}ader5",
        "r\u{0435}ader5",
        "\u{ff52}eader5",
        "reader5@example.com",
    ];
    for login in &spellings[..5] {
        app.post("/auth/login", None, login_body(login, "wrong password"))
            .await
            .assert_error(401, "invalid_credentials");
    }
    for login in spellings {
        app.post("/auth/login", None, login_body(login, PASSWORD))
            .await
            .assert_error(429, "rate_limited");
    }
    // Another account, and a name no account has, count on their own.
    app.post("/auth/login", None, login_body("karim", PASSWORD))
        .await
        .assert_status(200);
    app.post("/auth/login", None, login_body("nobody9", "wrong password"))
        .await
        .assert_error(401, "invalid_credentials");
}

#[tokio::test]
async fn guessing_ones_own_password_with_a_session_is_limited() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit.enabled = true;
        c.rate_limit.login_per_account_per_15_minutes = 5;
    })
    .await;
    let reader = app.register("nadia").await;
    let other = app.register("karim").await;
    for i in 0..5 {
        reader
            .send(
                Method::PUT,
                "/me/password",
                Some(json!({"current_password": format!("guess {i} guess"), "new_password": "a new long password"})),
            )
            .await
            .assert_error(422, "validation_failed");
    }
    reader
        .send(
            Method::PUT,
            "/me/password",
            Some(json!({"current_password": PASSWORD, "new_password": "a new long password"})),
        )
        .await
        .assert_error(429, "rate_limited");
    // Erasure checks the password the same way, under the same count.
    reader
        .send(Method::DELETE, "/me", Some(json!({"password": PASSWORD})))
        .await
        .assert_error(429, "rate_limited");
    // Someone else's count is their own.
    other
        .send(
            Method::PUT,
            "/me/password",
            Some(json!({"current_password": PASSWORD, "new_password": "a new long password"})),
        )
        .await
        .assert_status(204);
}

#[tokio::test]
async fn display_names_cannot_be_invisible_or_pass_for_someone_else() {
    let (app, cast) = TestApp::with_cast().await;
    app.register("root_admin").await;
    for name in [
        "root_admin",
        "ROOT_ADMIN",
        "r\u{043e}\u{043e}t_admin",
        "root_admin\u{200b}",
        "\u{200b}",
        "\u{3164}",
        "chef",
        "modo",
    ] {
        cast.reader
            .patch("/me", json!({"display_name": name}))
            .await
            .assert_field_error("display_name");
    }
    // The same at registration.
    app.post(
        "/auth/register",
        None,
        json!({"username": "mallory", "email": "mallory@example.com", "password": PASSWORD, "display_name": "Chef"}),
    )
    .await
    .assert_field_error("display_name");
    // Readers may share a name, and keep their own.
    cast.other
        .patch("/me", json!({"display_name": "Mohamed"}))
        .await
        .assert_status(200);
    let me = cast
        .reader
        .patch("/me", json!({"display_name": "Mohamed"}))
        .await;
    assert_eq!(me.assert_status(200)["display_name"], "Mohamed");
    let me = cast
        .reader
        .patch("/me", json!({"display_name": "NADIA"}))
        .await;
    assert_eq!(me.assert_status(200)["display_name"], "NADIA");
    // A moderator's display name is theirs alone too.
    cast.moderator
        .patch("/me", json!({"display_name": "La Rédaction"}))
        .await
        .assert_status(200);
    cast.other
        .patch("/me", json!({"display_name": "la rédaction"}))
        .await
        .assert_field_error("display_name");
}

#[tokio::test]
async fn erasing_a_banned_account_does_not_escape_the_ban() {
    let (app, cast) = TestApp::with_cast().await;
    let troll = app.register("troll").await;
    cast.moderator
        .ban(troll.id, json!({"reason": "insultes"}))
        .await
        .assert_status(200);
    troll
        .send(Method::DELETE, "/me", Some(json!({"password": PASSWORD})))
        .await
        .assert_status(204);
    // The address alone, or the name in another spelling, is enough.
    for (username, email) in [
        ("nouveau", "troll@example.com"),
        ("TROLL", "autre@example.com"),
    ] {
        let res = app
            .post(
                "/auth/register",
                None,
                json!({"username": username, "email": email, "password": PASSWORD}),
            )
            .await;
        let token = res.assert_status(201)["token"]
            .as_str()
            .unwrap()
            .to_string();
        app.post(
            "/articles/a1/comments",
            Some(&token),
            json!({"body": "je suis revenu"}),
        )
        .await
        .assert_error(403, "banned");
    }
    // Someone else is not touched, and a reader erased while not banned leaves nothing.
    cast.other
        .send(Method::DELETE, "/me", Some(json!({"password": PASSWORD})))
        .await
        .assert_status(204);
    let back = app.register("karim").await;
    back.post("/articles/a1/comments", json!({"body": "bonjour"}))
        .await
        .assert_status(201);
}

#[tokio::test]
async fn only_so_many_articles_are_created_from_one_address() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit.enabled = true;
        c.rate_limit.articles_created_per_address_per_hour = 3;
    })
    .await;
    app.set_settings(|s| s.auto_create_articles = true);
    for i in 0..3 {
        assert_eq!(page_status(&app, &format!("/embed/made-{i}")).await, 200);
    }
    assert_eq!(page_status(&app, "/embed/made-9").await, 404);
    app.get("/articles/made-9", None)
        .await
        .assert_error(404, "not_found");
    // Existing articles are served as ever.
    assert_eq!(page_status(&app, "/embed/made-0").await, 200);
}

#[tokio::test]
async fn a_bogus_unsubscribe_link_writes_nothing() {
    let app = TestApp::spawn().await;
    let before = secret_of(&app);
    assert_eq!(
        page_status(&app, "/api/v1/unsubscribe/1.r.bogus").await,
        404
    );
    let res = app.post("/unsubscribe/1.r.bogus", None, json!({})).await;
    res.assert_error(404, "not_found");
    // The signing secret is made when a first link is, not by a stranger's guess.
    assert_eq!(secret_of(&app), before);
    assert_eq!(before, "");
}

fn secret_of(app: &TestApp) -> String {
    use diesel::{QueryDsl, RunQueryDsl};
    use tribune::store::schema::mail_state;
    app.db
        .write_now(|conn| {
            Ok::<_, tribune::store::StoreError>(
                mail_state::table
                    .find(1_i64)
                    .select(mail_state::secret)
                    .first::<String>(conn)?,
            )
        })
        .expect("secret")
}

/// The status of a page (HTML, not JSON) at `path` from the site's root.
async fn page_status(app: &TestApp, path: &str) -> u16 {
    let res = app
        .client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("answer");
    res.status().as_u16()
}

#[tokio::test]
async fn ipv6_callers_are_limited_by_their_network_not_each_address() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit.enabled = true;
        c.rate_limit.login_per_address_per_minute = 3;
        c.server.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    let attempt = |address: String| {
        let app = &app;
        async move {
            app.send_with(
                Method::POST,
                "/auth/login",
                None,
                Some(login_body("someone", "whatever pass")),
                &[("X-Forwarded-For", address.as_str())],
            )
            .await
        }
    };
    // One /64 holds 2^64 addresses: a new one each time changes nothing.
    for i in 1..=3 {
        attempt(format!("2001:db8:1:2::{i:x}"))
            .await
            .assert_error(401, "invalid_credentials");
    }
    attempt("2001:db8:1:2:ffff::9".into())
        .await
        .assert_error(429, "rate_limited");
    // The next network counts on its own.
    attempt("2001:db8:1:3::1".into())
        .await
        .assert_error(401, "invalid_credentials");
}
