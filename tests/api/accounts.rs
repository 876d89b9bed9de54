//! Accounts: register, login, logout, me, password, export, erasure.

use crate::helpers::*;
use reqwest::Method;
use serde_json::json;

fn registration(name: &str) -> serde_json::Value {
    json!({"username": name, "email": format!("{name}@example.com"), "password": PASSWORD})
}

#[tokio::test]
async fn register_returns_the_account_and_a_token() {
    let app = TestApp::spawn().await;
    let res = app
        .send_with(
            Method::POST,
            "/auth/register",
            None,
            Some(json!({"username": "Nadia", "email": "Nadia@Example.com", "password": PASSWORD, "display_name": "Nadia B."})),
            &[("Accept-Language", "ar")],
        )
        .await;
    let body = res.assert_status(201);
    let user = &body["user"];
    assert_eq!(user["username"], "Nadia");
    assert_eq!(user["display_name"], "Nadia B.");
    assert_eq!(user["email"], "nadia@example.com");
    assert_eq!(user["role"], "reader");
    assert_eq!(
        user["locale"], "ar",
        "locale follows Accept-Language when not given"
    );
    assert_eq!(user["status"], "active");
    assert_eq!(user["banned_until"], serde_json::Value::Null);
    assert!(user["created_at"].as_str().unwrap().ends_with('Z'));
    let token = body["token"].as_str().unwrap();
    assert!(token.len() >= 43, "256-bit token: {token}");
    assert!(body["expires_at"].as_str().unwrap().ends_with('Z'));
    let me = app.get("/me", Some(token)).await;
    assert_eq!(me.assert_status(200)["username"], "Nadia");
}

#[tokio::test]
async fn a_session_ends_when_its_lifetime_has_passed() {
    let app = TestApp::spawn_with(|c| c.auth.token_lifetime_days = 1).await;
    let nadia = app.register("nadia").await;
    nadia.get("/me").await.assert_status(200);

    app.clock.advance(std::time::Duration::from_secs(23 * 3600));
    nadia.get("/me").await.assert_status(200);
    app.clock.advance(std::time::Duration::from_secs(3600));
    nadia.get("/me").await.assert_error(401, "unauthenticated");
}

#[tokio::test]
async fn usernames_collide_by_case_and_confusable_skeleton() {
    let app = TestApp::spawn().await;
    app.register("papa").await;
    // The last one is written in Cyrillic letters only (р and а).
    for name in ["PAPA", "Papa", "\u{440}\u{430}\u{440}\u{430}"] {
        let mut body = registration("x");
        body["username"] = json!(name);
        body["email"] = json!(format!("{}@example.org", name.len()));
        app.post("/auth/register", None, body)
            .await
            .assert_error(409, "username_taken");
    }
    let mut body = registration("someone");
    body["email"] = json!("PAPA@example.com");
    app.post("/auth/register", None, body)
        .await
        .assert_error(409, "email_taken");
}

#[tokio::test]
async fn registration_checks_every_field() {
    let app = TestApp::spawn().await;
    let cases = [
        (
            json!({"username": "ab", "email": "a@example.com", "password": PASSWORD}),
            "username",
        ),
        (
            json!({"username": &"a".repeat(33), "email": "a@example.com", "password": PASSWORD}),
            "username",
        ),
        (
            json!({"username": "bad name", "email": "a@example.com", "password": PASSWORD}),
            "username",
        ),
        (
            json!({"username": "pаypal", "email": "a@example.com", "password": PASSWORD}),
            "username",
        ),
        (
            json!({"username": "nadia", "email": "not-an-email", "password": PASSWORD}),
            "email",
        ),
        (
            json!({"username": "nadia", "email": "a@example.com", "password": "short"}),
            "password",
        ),
        (
            json!({"username": "nadia", "email": "a@example.com", "password": "x".repeat(129)}),
            "password",
        ),
        (
            json!({"username": "nadia", "email": "a@example.com", "password": PASSWORD, "display_name": "N\u{202E}adia"}),
            "display_name",
        ),
        (
            json!({"username": "nadia", "email": "a@example.com", "password": PASSWORD, "display_name": ""}),
            "display_name",
        ),
        (
            json!({"username": "nadia", "email": "a@example.com", "password": PASSWORD, "locale": "de"}),
            "locale",
        ),
        (
            json!({"username": "nadia", "email": "a@example.com", "password": PASSWORD, "role": "admin"}),
            "role",
        ),
        (
            json!({"email": "a@example.com", "password": PASSWORD}),
            "username",
        ),
        (
            json!({"username": 5, "email": "a@example.com", "password": PASSWORD}),
            "username",
        ),
    ];
    for (body, field) in cases {
        app.post("/auth/register", None, body)
            .await
            .assert_field_error(field);
    }
    // A Latin name with one Cyrillic letter is refused as mixed-script.
    let mut body = registration("x");
    body["username"] = json!("\u{430}dmin");
    app.post("/auth/register", None, body)
        .await
        .assert_field_error("username");
    // Arabic names of one script with digits and underscore are fine.
    let mut body = registration("x");
    body["username"] = json!("قارئ_42");
    app.post("/auth/register", None, body)
        .await
        .assert_status(201);
}

#[tokio::test]
async fn validation_messages_follow_accept_language() {
    let app = TestApp::spawn().await;
    let bad = json!({"username": "ab", "email": "a@example.com", "password": PASSWORD});
    let fr = app.post("/auth/register", None, bad.clone()).await;
    assert_eq!(fr.header("content-language"), Some("fr"));
    let ar = app
        .send_with(
            Method::POST,
            "/auth/register",
            None,
            Some(bad.clone()),
            &[("Accept-Language", "ar-MA, fr;q=0.5")],
        )
        .await;
    ar.assert_field_error("username");
    assert_eq!(ar.header("content-language"), Some("ar"));
    assert_ne!(fr.body["error"]["message"], ar.body["error"]["message"]);
    let en = app
        .send_with(
            Method::POST,
            "/auth/register",
            None,
            Some(bad),
            &[("Accept-Language", "de, en;q=0.3")],
        )
        .await;
    assert_eq!(en.header("content-language"), Some("en"));
}

#[tokio::test]
async fn login_by_username_or_email_and_same_answer_for_unknown_users() {
    let app = TestApp::spawn().await;
    let nadia = app.register("nadia").await;
    for login in ["nadia", "NADIA", "nadia@example.com", "Nadia@Example.com"] {
        let res = app
            .post(
                "/auth/login",
                None,
                json!({"login": login, "password": PASSWORD}),
            )
            .await;
        let body = res.assert_status(200);
        assert_eq!(body["user"]["id"], nadia.id);
        assert!(body["token"].as_str().unwrap() != nadia.token);
    }
    let wrong = app
        .post(
            "/auth/login",
            None,
            json!({"login": "nadia", "password": "wrong password"}),
        )
        .await;
    wrong.assert_error(401, "invalid_credentials");
    let unknown = app
        .post(
            "/auth/login",
            None,
            json!({"login": "nobody", "password": PASSWORD}),
        )
        .await;
    unknown.assert_error(401, "invalid_credentials");
    assert_eq!(
        wrong.body["error"]["message"],
        unknown.body["error"]["message"]
    );
    app.post("/auth/login", None, json!({"login": "nadia"}))
        .await
        .assert_field_error("password");
}

#[tokio::test]
async fn logout_revokes_the_token() {
    let app = TestApp::spawn().await;
    let nadia = app.register("nadia").await;
    let res = nadia.send(Method::POST, "/auth/logout", None).await;
    res.assert_status(204);
    nadia.get("/me").await.assert_error(401, "unauthenticated");
    nadia
        .send(Method::POST, "/auth/logout", None)
        .await
        .assert_error(401, "unauthenticated");
}

/// A request without a valid token: method, path, token, content type, body.
type Unauthenticated = (
    Method,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    &'static [u8],
);

#[tokio::test]
async fn signed_in_routes_answer_401_without_a_valid_token_whatever_the_body() {
    let app = TestApp::spawn().await;
    let json = Some("application/json");
    let cases: [Unauthenticated; 7] = [
        (Method::GET, "/me", None, None, b""),
        (Method::GET, "/me", Some("not-a-token"), None, b""),
        (Method::PATCH, "/me", None, json, b"{not json"),
        (
            Method::PUT,
            "/me/password",
            Some("nope"),
            Some("text/plain"),
            b"x",
        ),
        (Method::GET, "/me/export", None, None, b""),
        (Method::DELETE, "/me", None, None, b""),
        (
            Method::POST,
            "/articles/a1/comments",
            None,
            json,
            br#"{"body": "x"}"#,
        ),
    ];
    for (method, path, token, content_type, body) in cases {
        app.send_raw(method, path, token, content_type, body.to_vec(), &[])
            .await
            .assert_error(401, "unauthenticated");
    }
}

#[tokio::test]
async fn patch_me_changes_name_and_locale() {
    let app = TestApp::spawn().await;
    let nadia = app.register("nadia").await;
    let res = nadia
        .patch("/me", json!({"display_name": "نادية", "locale": "ar"}))
        .await;
    let body = res.assert_status(200);
    assert_eq!(body["display_name"], "نادية");
    assert_eq!(body["locale"], "ar");
    // Without Accept-Language, errors now come in the account's language.
    let err = nadia.patch("/me", json!({"locale": "xx"})).await;
    err.assert_field_error("locale");
    assert_eq!(err.header("content-language"), Some("ar"));
    // An empty body (no content type) reads as {}.
    let res = nadia.send_raw(Method::PATCH, "/me", None, vec![]).await;
    assert_eq!(res.assert_status(200)["display_name"], "نادية");
    nadia
        .patch("/me", json!({"email": "x@example.com"}))
        .await
        .assert_field_error("email");
    nadia
        .send_raw(Method::PATCH, "/me", Some("text/plain"), b"hello".to_vec())
        .await
        .assert_error(415, "unsupported_media_type");
}

#[tokio::test]
async fn password_change_revokes_other_sessions() {
    let app = TestApp::spawn().await;
    let nadia = app.register("nadia").await;
    let other_session = app.login("nadia", nadia.id).await;
    let body = json!({"current_password": PASSWORD, "new_password": "another long password"});
    let res = nadia.send(Method::PUT, "/me/password", Some(body)).await;
    res.assert_status(204);
    nadia.get("/me").await.assert_status(200);
    other_session
        .get("/me")
        .await
        .assert_error(401, "unauthenticated");
    app.post(
        "/auth/login",
        None,
        json!({"login": "nadia", "password": PASSWORD}),
    )
    .await
    .assert_error(401, "invalid_credentials");
    app.post(
        "/auth/login",
        None,
        json!({"login": "nadia", "password": "another long password"}),
    )
    .await
    .assert_status(200);
    let wrong =
        json!({"current_password": "not the password", "new_password": "yet another password"});
    nadia
        .send(Method::PUT, "/me/password", Some(wrong))
        .await
        .assert_field_error("current_password");
    let short = json!({"current_password": "another long password", "new_password": "short"});
    nadia
        .send(Method::PUT, "/me/password", Some(short))
        .await
        .assert_field_error("new_password");
}

#[tokio::test]
async fn export_holds_every_comment_of_every_status() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    cast.reader.comment_id("a1", "publié").await;
    let pending = cast.reader.comment("pre", "en attente").await;
    assert_eq!(pending.assert_status(201)["status"], "pending");
    let res = cast.reader.get("/me/export").await;
    let body = res.assert_status(200);
    assert_eq!(body["user"]["username"], "nadia");
    let statuses: Vec<_> = body["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["status"].clone())
        .collect();
    assert_eq!(statuses, vec![json!("approved"), json!("pending")]);
    assert!(body["reports"].is_array());
}

#[tokio::test]
async fn erasure_keeps_comments_without_author_and_frees_the_name() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "mon avis").await;
    cast.reader
        .send(
            Method::DELETE,
            "/me",
            Some(json!({"password": "wrong password!"})),
        )
        .await
        .assert_field_error("password");
    cast.reader
        .send(Method::DELETE, "/me", Some(json!({"password": PASSWORD})))
        .await
        .assert_status(204);
    cast.reader
        .get("/me")
        .await
        .assert_error(401, "unauthenticated");
    let comment = app.get(&format!("/comments/{id}"), None).await;
    let body = comment.assert_status(200);
    assert_eq!(body["author"], serde_json::Value::Null);
    assert_eq!(body["body"], "mon avis");
    app.post(
        "/auth/login",
        None,
        json!({"login": "nadia", "password": PASSWORD}),
    )
    .await
    .assert_error(401, "invalid_credentials");
    app.register("nadia").await;
}

#[tokio::test]
async fn the_last_admin_cannot_erase_itself() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    admin
        .send(Method::DELETE, "/me", Some(json!({"password": PASSWORD})))
        .await
        .assert_error(409, "conflict");
    let second = app.admin_named("chef2").await;
    second
        .send(Method::DELETE, "/me", Some(json!({"password": PASSWORD})))
        .await
        .assert_status(204);
}
