//! Mail: address verification, password reset, reply notifications, queue
//! digests, one-click unsubscribe. The worker is off here: mails stay in the
//! outbox, where the tests read them (tests/mail/ follows them through a
//! real SMTP server).

use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use tribune::store::models::MailRow;

impl TestApp {
    /// Every queued mail, oldest first.
    fn mails(&self) -> Vec<MailRow> {
        self.db
            .write_now(|conn| tribune::store::mails::list(conn, 1000))
            .expect("mails")
    }

    fn mails_of(&self, kind: &str, to: &str) -> Vec<MailRow> {
        self.mails()
            .into_iter()
            .filter(|m| m.kind == kind && m.recipient == to)
            .collect()
    }

    /// Waits (the reset request is recorded after the answer) for `n` mails of `kind`.
    async fn wait_for_mails(&self, kind: &str, to: &str, n: usize) -> Vec<MailRow> {
        for _ in 0..100 {
            let found = self.mails_of(kind, to);
            if found.len() >= n {
                return found;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no {kind} mail to {to}");
    }

    /// What the mail worker does with the event stream, now.
    fn scan_events(&self) {
        let config = self.config.clone();
        self.db
            .write_now(|conn| {
                // Twice: a pass reads at most one batch.
                tribune::service::mail::scan_events(conn, &config, tribune::store::now_ms())?;
                tribune::service::mail::scan_events(conn, &config, tribune::store::now_ms())
            })
            .expect("scan");
    }

    /// Marks an address verified, as following its link does.
    async fn verify(&self, user: &User) {
        let mail = self
            .mails_of("verify", &format!("{}@example.com", user.username))
            .pop()
            .expect("a verification mail");
        let res = self
            .post(
                "/auth/verify-email",
                None,
                json!({"token": token_in(&mail)}),
            )
            .await;
        res.assert_status(204);
    }

    /// Raw GET or POST, for pages (not JSON).
    async fn page(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, String, String) {
        let mut req = self
            .client
            .request(method, self.url(path))
            .body(body.to_string());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().await.expect("answer");
        let status = res.status().as_u16();
        let kind = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        (status, kind, res.text().await.expect("text"))
    }
}

/// The token of the first `token=` link in a mail.
fn token_in(mail: &MailRow) -> String {
    let at = mail.text_body.find("token=").expect("a link with a token") + "token=".len();
    mail.text_body[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// Asks for a password reset of `email` (202) and reads the token its mail carries.
async fn reset_token(app: &TestApp, email: &str) -> String {
    app.post("/auth/password-reset", None, json!({"email": email}))
        .await
        .assert_status(202);
    token_in(&app.wait_for_mails("reset", email, 1).await[0])
}

/// Sets the password of `email`'s account through a reset, as its owner would.
async fn reset_password(app: &TestApp, email: &str, password: &str) {
    let token = reset_token(app, email).await;
    app.post(
        "/auth/password-reset/confirm",
        None,
        json!({"token": token, "password": password}),
    )
    .await
    .assert_status(204);
}

/// The path of a mail's unsubscribe link, under /api/v1.
fn unsubscribe_path(mail: &MailRow) -> String {
    let url = mail
        .unsubscribe_url
        .as_deref()
        .expect("an unsubscribe link");
    let at = url.find("/unsubscribe/").expect("the unsubscribe route");
    url[at..].to_string()
}

async fn opt_in(user: &User) {
    let me = user.patch("/me", json!({"notify_replies": true})).await;
    assert_eq!(me.assert_status(200)["notify_replies"], true);
}

#[actix_web::test]
async fn registration_mails_a_link_that_verifies_the_address_once() {
    let app = TestApp::spawn().await;
    let nadia = app.register("nadia").await;
    assert_eq!(nadia.me().await["email_verified"], false);
    let mails = app.mails_of("verify", "nadia@example.com");
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert!(mail
        .text_body
        .contains("http://127.0.0.1:8080/account/verify-email?token="));
    assert!(mail.html_body.contains("<html lang=\"fr\" dir=\"ltr\">"));
    assert!(mail.unsubscribe_url.is_none());
    let token = token_in(mail);
    // Only the token's hash is stored.
    let stored = app
        .db
        .write_now(tribune::store::tokens::list)
        .expect("tokens");
    assert!(stored
        .iter()
        .all(|t| t.token_hash != token && t.token_hash.len() == 64));

    app.post("/auth/verify-email", None, json!({"token": token}))
        .await
        .assert_status(204);
    assert_eq!(nadia.me().await["email_verified"], true);

    let again = app
        .post("/auth/verify-email", None, json!({"token": token}))
        .await;
    again.assert_field_error("token");
    let unknown = app
        .post("/auth/verify-email", None, json!({"token": "nope"}))
        .await;
    unknown.assert_field_error("token");
    assert_ne!(
        again.body["error"]["fields"]["token"],
        unknown.body["error"]["fields"]["token"]
    );
}

#[actix_web::test]
async fn verify_email_refuses_bad_input_and_expired_tokens() {
    let app = TestApp::spawn_with(|c| c.mail.verify_token_hours = 0).await;
    let karim = app.register("karim").await;
    let token = token_in(&app.mails_of("verify", "karim@example.com")[0]);
    // Expired at once (a lifetime of 0 hours).
    let res = app
        .post("/auth/verify-email", None, json!({"token": token}))
        .await;
    res.assert_field_error("token");
    assert_eq!(karim.me().await["email_verified"], false);

    app.post("/auth/verify-email", None, json!({}))
        .await
        .assert_field_error("token");
    app.post("/auth/verify-email", None, json!({"token": 12}))
        .await
        .assert_field_error("token");
    app.post("/auth/verify-email", None, json!({"token": "x", "user": 1}))
        .await
        .assert_error(422, "validation_failed");
    app.post(
        "/auth/verify-email",
        None,
        json!({"token": "x".repeat(5000)}),
    )
    .await
    .assert_field_error("token");
    app.send_raw(
        Method::POST,
        "/auth/verify-email",
        None,
        Some("application/json"),
        b"{".to_vec(),
        &[],
    )
    .await
    .assert_error(400, "malformed_json");
    app.send_raw(
        Method::POST,
        "/auth/verify-email",
        None,
        Some("text/plain"),
        b"x".to_vec(),
        &[],
    )
    .await
    .assert_error(415, "unsupported_media_type");
    app.get("/auth/verify-email", None)
        .await
        .assert_error(405, "method_not_allowed");
    // Arabic messages for the same refusal.
    let ar = app
        .send_with(
            Method::POST,
            "/auth/verify-email",
            None,
            Some(json!({"token": "nope"})),
            &[("Accept-Language", "ar")],
        )
        .await;
    let text = ar.body["error"]["fields"]["token"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(text.contains("الرابط"), "{text}");
}

#[actix_web::test]
async fn a_reader_asks_for_a_new_verification_link() {
    let app = TestApp::spawn().await;
    let nadia = app.register("nadia").await;
    nadia
        .post("/me/verify-email", json!({}))
        .await
        .assert_status(202);
    assert_eq!(app.mails_of("verify", "nadia@example.com").len(), 2);
    app.verify(&nadia).await;
    nadia
        .post("/me/verify-email", json!({}))
        .await
        .assert_status(204);
    assert_eq!(app.mails_of("verify", "nadia@example.com").len(), 2);
    app.post("/me/verify-email", None, json!({}))
        .await
        .assert_error(401, "unauthenticated");
}

#[actix_web::test]
async fn password_reset_answers_202_whether_or_not_the_account_exists() {
    let app = TestApp::spawn().await;
    app.register("nadia").await;
    let known = app
        .post(
            "/auth/password-reset",
            None,
            json!({"email": "Nadia@Example.com"}),
        )
        .await;
    let unknown = app
        .post(
            "/auth/password-reset",
            None,
            json!({"email": "nobody@example.com"}),
        )
        .await;
    known.assert_status(202);
    unknown.assert_status(202);
    assert_eq!(known.body, unknown.body);
    let mails = app.wait_for_mails("reset", "nadia@example.com", 1).await;
    assert!(mails[0]
        .text_body
        .contains("/account/reset-password?token="));
    // Real time: that no mail is queued for the unknown address (after the
    // answer, as for the known one) can only be seen by waiting a while.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app
        .mails()
        .iter()
        .all(|m| m.recipient != "nobody@example.com"));

    app.post(
        "/auth/password-reset",
        None,
        json!({"email": "not an address"}),
    )
    .await
    .assert_field_error("email");
    app.post("/auth/password-reset", None, json!({}))
        .await
        .assert_field_error("email");
    app.post(
        "/auth/password-reset",
        None,
        json!({"email": "a@b.c", "x": 1}),
    )
    .await
    .assert_error(422, "validation_failed");
}

#[actix_web::test]
async fn a_reset_sets_the_password_once_and_signs_out_everywhere() {
    let (app, cast) = TestApp::with_cast().await;
    let second = app.login("nadia", cast.reader.id).await;
    let token = reset_token(&app, "nadia@example.com").await;

    // A bad password changes nothing and leaves the token usable.
    let short = app
        .post(
            "/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "short"}),
        )
        .await;
    short.assert_field_error("password");
    cast.reader.get("/me").await.assert_status(200);

    let done = app
        .post(
            "/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "a brand new password"}),
        )
        .await;
    done.assert_status(204);
    cast.reader
        .get("/me")
        .await
        .assert_error(401, "unauthenticated");
    second.get("/me").await.assert_error(401, "unauthenticated");
    app.post(
        "/auth/login",
        None,
        json!({"login": "nadia", "password": PASSWORD}),
    )
    .await
    .assert_error(401, "invalid_credentials");
    let signed_in = app
        .post(
            "/auth/login",
            None,
            json!({"login": "nadia", "password": "a brand new password"}),
        )
        .await;
    assert_eq!(signed_in.assert_status(200)["user"]["email_verified"], true);

    let reused = app
        .post(
            "/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "yet another password"}),
        )
        .await;
    reused.assert_field_error("token");
    app.post(
        "/auth/login",
        None,
        json!({"login": "nadia", "password": "a brand new password"}),
    )
    .await
    .assert_status(200);

    for body in [
        json!({"token": "unknown", "password": "a brand new password"}),
        json!({"password": "a brand new password"}),
        json!({"token": token}),
        json!({"token": token, "password": "a brand new password", "extra": true}),
    ] {
        app.post("/auth/password-reset/confirm", None, body)
            .await
            .assert_error(422, "validation_failed");
    }
    // Whoever calls (signed in or not) changes only the token's account.
    cast.other
        .post(
            "/auth/password-reset/confirm",
            json!({"token": "unknown", "password": "a brand new password"}),
        )
        .await
        .assert_field_error("token");
}

#[actix_web::test]
async fn an_expired_reset_link_is_refused() {
    let app = TestApp::spawn_with(|c| c.mail.reset_token_seconds = 1).await;
    let nadia = app.register("nadia").await;
    let token = reset_token(&app, "nadia@example.com").await;
    app.clock.advance(Duration::from_millis(1100));
    let res = app
        .post(
            "/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "a brand new password"}),
        )
        .await;
    res.assert_field_error("token");
    nadia.get("/me").await.assert_status(200);
}

#[actix_web::test]
async fn an_imported_account_without_a_password_is_claimed_by_reset() {
    let app = TestApp::spawn().await;
    app.db
        .write_now(|conn| {
            tribune::store::users::insert(
                conn,
                tribune::store::models::NewUser {
                    username: "elodie",
                    username_skeleton: &tribune::text::username_skeleton("elodie"),
                    email: Some("elodie@example.com"),
                    password_hash: "!",
                    display_name: Some("Élodie"),
                    role: tribune::domain::Role::Reader,
                    locale: tribune::i18n::Locale::Fr,
                    created_at: tribune::store::now_ms(),
                },
            )
        })
        .expect("imported account");
    reset_password(&app, "elodie@example.com", "enfin un mot de passe").await;
    app.post(
        "/auth/login",
        None,
        json!({"login": "elodie", "password": "enfin un mot de passe"}),
    )
    .await
    .assert_status(200);
}

/// What `tribune import` made, not a row typed here: an author of a Disqus
/// export cannot sign in until the owner of the address claims the account.
#[actix_web::test]
async fn an_author_brought_in_by_an_import_claims_the_account_by_reset() {
    use tribune::import::{Format, Options};
    let app = TestApp::spawn().await;
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/import/disqus.xml");
    let db = app.db.clone();
    let report = tokio::task::spawn_blocking(move || {
        tribune::import::run(&db, &Options::new(Format::Disqus, fixture))
    })
    .await
    .expect("the import ran")
    .map_err(|e| e.0.to_string())
    .expect("the import succeeded");
    assert!(report.users_created > 0, "{report}");
    let login = json!({"login": "amina@example.org", "password": "enfin un mot de passe"});
    app.post("/auth/login", None, login.clone())
        .await
        .assert_status(401);

    reset_password(&app, "amina@example.org", "enfin un mot de passe").await;
    let session = app.post("/auth/login", None, login).await;
    let token = session.assert_status(200)["token"]
        .as_str()
        .expect("a token")
        .to_string();
    let me = app.get("/me", Some(&token)).await;
    let me = me.assert_status(200);
    assert_eq!(me["email"], "amina@example.org");
    assert_eq!(me["username"], "أمينة");
}

#[actix_web::test]
async fn password_resets_are_rate_limited_per_address_asked_for() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit.enabled = true;
        c.rate_limit.reset_per_account_per_hour = 2;
        c.rate_limit.reset_per_address_per_hour = 4;
    })
    .await;
    for _ in 0..2 {
        app.post(
            "/auth/password-reset",
            None,
            json!({"email": "x@example.com"}),
        )
        .await
        .assert_status(202);
    }
    let limited = app
        .post(
            "/auth/password-reset",
            None,
            json!({"email": "X@example.com"}),
        )
        .await;
    limited.assert_error(429, "rate_limited");
    assert!(limited.header("retry-after").is_some());
    // Another address asked for goes through, until the client's own limit.
    app.post(
        "/auth/password-reset",
        None,
        json!({"email": "y@example.com"}),
    )
    .await
    .assert_status(202);
    app.post(
        "/auth/password-reset",
        None,
        json!({"email": "z@example.com"}),
    )
    .await
    .assert_error(429, "rate_limited");
}

#[actix_web::test]
async fn notification_choices_by_role() {
    let (app, cast) = TestApp::with_cast().await;
    let me = cast
        .reader
        .patch("/me", json!({"notify_replies": true}))
        .await;
    let me = me.assert_status(200);
    assert_eq!(
        (me["notify_replies"].clone(), me["notify_queue"].clone()),
        (json!(true), json!(false))
    );
    cast.reader
        .patch(
            "/me",
            json!({"notify_queue": true, "notify_replies": false}),
        )
        .await
        .assert_error(403, "forbidden");
    assert_eq!(
        cast.reader.me().await["notify_replies"],
        true,
        "nothing changed"
    );
    cast.reader
        .patch("/me", json!({"notify_queue": false}))
        .await
        .assert_status(200);
    cast.other
        .patch("/me", json!({"notify_replies": "yes"}))
        .await
        .assert_field_error("notify_replies");
    assert_eq!(cast.other.me().await["notify_replies"], false);
    for staff in [&cast.moderator, &cast.admin] {
        let me = staff.patch("/me", json!({"notify_queue": true})).await;
        assert_eq!(me.assert_status(200)["notify_queue"], true);
    }
    app.patch("/me", None, json!({"notify_replies": true}))
        .await
        .assert_error(401, "unauthenticated");
}

#[actix_web::test]
async fn an_approved_reply_mails_the_parent_author_once() {
    let (app, cast) = TestApp::with_cast().await;
    app.verify(&cast.reader).await;
    opt_in(&cast.reader).await;
    let parent = cast.reader.comment_id("a1", "Premier commentaire").await;
    let reply = cast
        .other
        .reply("a1", parent, "Une <b>réponse</b> & plus")
        .await;
    let reply_id = reply.assert_status(201)["id"].as_i64().unwrap();
    // Replying to oneself mails nobody.
    cast.reader
        .reply("a1", parent, "Je me réponds")
        .await
        .assert_status(201);
    app.scan_events();
    let mails = app.mails_of("reply", "nadia@example.com");
    assert_eq!(mails.len(), 1, "{mails:?}");
    let mail = &mails[0];
    assert!(mail.subject.contains("karim"), "{}", mail.subject);
    assert!(mail.text_body.contains("> Une <b>réponse</b> & plus"));
    assert!(mail
        .html_body
        .contains("Une &lt;b&gt;réponse&lt;/b&gt; &amp; plus"));
    assert!(mail.text_body.contains("http://127.0.0.1:8080/embed/a1"));
    assert!(unsubscribe_path(mail).starts_with(&format!("/unsubscribe/{}.r.", cast.reader.id)));

    // Approved again (after a reject) it is not mailed twice.
    cast.moderator.reject(reply_id).await.assert_status(200);
    cast.moderator.approve(reply_id).await.assert_status(200);
    app.scan_events();
    assert_eq!(app.mails_of("reply", "nadia@example.com").len(), 1);
}

#[actix_web::test]
async fn a_held_reply_mails_only_once_approved() {
    let (app, cast) = TestApp::with_cast().await;
    app.verify(&cast.reader).await;
    opt_in(&cast.reader).await;
    cast.admin.create_premoderated("pre").await;
    let nadia_comment = {
        let res = cast.reader.comment("pre", "Mon avis").await;
        res.assert_status(201)["id"].as_i64().unwrap()
    };
    cast.moderator
        .approve(nadia_comment)
        .await
        .assert_status(200);
    let held = cast
        .other
        .reply("pre", nadia_comment, "Réponse en attente")
        .await;
    let held = held.assert_status(201);
    assert_eq!(held["status"], "pending");
    let rejected = cast
        .other
        .reply("pre", nadia_comment, "Réponse refusée")
        .await;
    let rejected_id = rejected.assert_status(201)["id"].as_i64().unwrap();
    cast.moderator.reject(rejected_id).await.assert_status(200);
    app.scan_events();
    assert!(app.mails_of("reply", "nadia@example.com").is_empty());
    cast.moderator
        .approve(held["id"].as_i64().unwrap())
        .await
        .assert_status(200);
    app.scan_events();
    assert_eq!(app.mails_of("reply", "nadia@example.com").len(), 1);
}

#[actix_web::test]
async fn no_reply_mail_without_opt_in_or_a_verified_address() {
    let (app, cast) = TestApp::with_cast().await;
    // nadia opted in but never verified; karim verified but did not opt in.
    opt_in(&cast.reader).await;
    app.verify(&cast.other).await;
    let a = cast.reader.comment_id("a1", "Sans adresse vérifiée").await;
    let b = cast.other.comment_id("a1", "Sans abonnement").await;
    cast.moderator
        .reply("a1", a, "Réponse 1")
        .await
        .assert_status(201);
    cast.moderator
        .reply("a1", b, "Réponse 2")
        .await
        .assert_status(201);
    app.scan_events();
    assert!(app.mails().iter().all(|m| m.kind != "reply"));
}

#[actix_web::test]
async fn one_click_unsubscribe_needs_no_sign_in_and_the_page_changes_nothing() {
    let (app, cast) = TestApp::with_cast().await;
    app.verify(&cast.reader).await;
    opt_in(&cast.reader).await;
    let parent = cast.reader.comment_id("a1", "Bonjour").await;
    cast.other
        .reply("a1", parent, "Salut")
        .await
        .assert_status(201);
    app.scan_events();
    let path = unsubscribe_path(&app.mails_of("reply", "nadia@example.com")[0]);

    // The page: a form that posts to the same address; nothing changes.
    let (status, kind, html) = app
        .page(Method::GET, &path, &[("Accept-Language", "ar")], "")
        .await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(html.contains("dir=\"rtl\""), "{html}");
    assert!(
        html.contains(&format!("action=\"/api/v1{path}\"")),
        "{html}"
    );
    assert_eq!(cast.reader.me().await["notify_replies"], true);

    // What a mail client sends (RFC 8058), with no token.
    let form = "application/x-www-form-urlencoded";
    let (status, _, body) = app
        .page(
            Method::POST,
            &path,
            &[("Content-Type", form)],
            "List-Unsubscribe=One-Click",
        )
        .await;
    assert_eq!((status, body.as_str()), (204, ""));
    assert_eq!(cast.reader.me().await["notify_replies"], false);
    // Again: still fine. A browser's form gets a page.
    let (status, kind, _) = app
        .page(
            Method::POST,
            &path,
            &[("Content-Type", form), ("Accept", "text/html")],
            "",
        )
        .await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"));

    // A token made up or altered: 404, nothing changes.
    opt_in(&cast.reader).await;
    let forged = path.replacen(
        &format!("/{}.", cast.reader.id),
        &format!("/{}.", cast.other.id),
        1,
    );
    for bad in [
        forged.as_str(),
        "/unsubscribe/1.r.00",
        "/unsubscribe/nonsense",
    ] {
        app.post(bad, None, json!({}))
            .await
            .assert_error(404, "not_found");
        let (status, kind, _) = app.page(Method::GET, bad, &[], "").await;
        assert_eq!(status, 404);
        assert!(kind.starts_with("text/html"));
    }
    cast.other
        .post(&forged, json!({}))
        .await
        .assert_error(404, "not_found");
    assert_eq!(cast.reader.me().await["notify_replies"], true);
    assert_eq!(cast.other.me().await["notify_replies"], false);
}

#[actix_web::test]
async fn moderators_who_opt_in_get_one_queue_digest_per_period() {
    let (app, cast) = TestApp::with_cast().await;
    app.verify(&cast.moderator).await;
    cast.moderator
        .patch("/me", json!({"notify_queue": true}))
        .await
        .assert_status(200);
    cast.admin.create_premoderated("pre").await;
    cast.reader
        .comment("pre", "En attente 1")
        .await
        .assert_status(201);
    cast.other
        .comment("pre", "En attente 2")
        .await
        .assert_status(201);
    app.scan_events();
    let config = std::sync::Arc::new(app.config.clone());
    let sent = tribune::service::mail::digests(&app.db, &config)
        .await
        .expect("digests");
    assert_eq!(sent, 1);
    let digests = app.mails_of("digest", "modo@example.com");
    assert_eq!(digests.len(), 1);
    assert!(digests[0].subject.contains('2'), "{}", digests[0].subject);
    assert!(digests[0]
        .text_body
        .contains("http://127.0.0.1:8080/console/"));
    assert!(unsubscribe_path(&digests[0]).contains(".q."));
    // The admin did not opt in; the readers cannot.
    assert!(app.mails_of("digest", "chef@example.com").is_empty());

    // More comments within the period: no second digest yet.
    cast.reader
        .comment("pre", "En attente 3")
        .await
        .assert_status(201);
    app.scan_events();
    let sent = tribune::service::mail::digests(&app.db, &config)
        .await
        .expect("digests");
    assert_eq!(sent, 0);
    assert_eq!(app.mails_of("digest", "modo@example.com").len(), 1);

    // Unsubscribing through the digest's link turns the digest off.
    let path = unsubscribe_path(&digests[0]);
    app.post(&path, None, Value::Null).await.assert_status(204);
    assert_eq!(cast.moderator.me().await["notify_queue"], false);
}

#[actix_web::test]
async fn the_worker_sends_to_the_log_without_smtp_and_forgets_tokens() {
    let app = TestApp::spawn_with(|c| {
        c.mail.deliver = true;
        c.mail.poll_ms = 50;
    })
    .await;
    app.register("nadia").await;
    for _ in 0..100 {
        if app.mails().iter().all(|m| m.state == "sent") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mail = &app.mails_of("verify", "nadia@example.com")[0];
    assert_eq!(mail.state, "sent");
    assert_eq!(mail.attempts, 1);
    assert!(mail.text_body.is_empty() && mail.html_body.is_empty());
}

#[actix_web::test]
async fn the_account_pages_confirm_with_a_form() {
    let app = TestApp::spawn().await;
    let nadia = app.register("nadia").await;
    let token = token_in(&app.mails_of("verify", "nadia@example.com")[0]);
    let path = format!("//account/verify-email?token={token}");
    let (status, kind, html) = app.page(Method::GET, &path, &[], "").await;
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"));
    assert!(html.contains(&format!("value=\"{token}\"")));
    assert_eq!(
        nadia.me().await["email_verified"],
        false,
        "a GET changes nothing"
    );
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let (status, _, _) = app
        .page(
            Method::POST,
            "//account/verify-email",
            &form,
            &format!("token={token}"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(nadia.me().await["email_verified"], true);
    let (status, _, html) = app
        .page(
            Method::POST,
            "//account/verify-email?lang=ar",
            &form,
            &format!("token={token}"),
        )
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("dir=\"rtl\""));
}

#[actix_web::test]
async fn erasing_an_account_removes_its_mails() {
    let app = TestApp::spawn().await;
    let nadia = app.register("nadia").await;
    app.register("karim").await;
    assert_eq!(app.mails_of("verify", "nadia@example.com").len(), 1);
    nadia
        .send(Method::DELETE, "/me", Some(json!({"password": PASSWORD})))
        .await
        .assert_status(204);
    assert!(app
        .mails()
        .iter()
        .all(|m| m.recipient != "nadia@example.com"));
    assert_eq!(app.mails_of("verify", "karim@example.com").len(), 1);
}

#[actix_web::test]
async fn the_mail_routes_answer_every_role_alike() {
    let (app, cast) = TestApp::with_cast().await;
    let callers: Vec<Option<&str>> = vec![
        None,
        Some(&cast.reader.token),
        Some(&cast.other.token),
        Some(&cast.moderator.token),
        Some(&cast.admin.token),
    ];
    for token in callers {
        // The token in the body (or the path) decides, not the caller.
        app.post("/auth/verify-email", token, json!({"token": "unknown"}))
            .await
            .assert_field_error("token");
        let reset = json!({"token": "unknown", "password": "a brand new password"});
        app.post("/auth/password-reset/confirm", token, reset)
            .await
            .assert_field_error("token");
        app.post(
            "/auth/password-reset",
            token,
            json!({"email": "nobody@example.com"}),
        )
        .await
        .assert_status(202);
        app.post(
            "/unsubscribe/1.r.0123456789abcdef0123456789abcdef",
            token,
            json!({}),
        )
        .await
        .assert_error(404, "not_found");
        // Asking for a new verification link needs an account.
        let resend = app.post("/me/verify-email", token, json!({})).await;
        match token {
            None => resend.assert_error(401, "unauthenticated"),
            Some(_) => assert_eq!(resend.status.as_u16(), 202, "{}", resend.body),
        }
    }
    // Real time: that no reset mail is queued (after the answers) can only
    // be seen by waiting a while.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(app.mails().iter().all(|m| m.kind != "reset"));
}

#[actix_web::test]
async fn a_password_change_voids_every_reset_link_sent_before() {
    let (app, cast) = TestApp::with_cast().await;
    let token = reset_token(&app, "nadia@example.com").await;
    cast.reader
        .send(
            Method::PUT,
            "/me/password",
            Some(json!({"current_password": PASSWORD, "new_password": "a new long password"})),
        )
        .await
        .assert_status(204);
    let res = app
        .post(
            "/auth/password-reset/confirm",
            None,
            json!({"token": token, "password": "the attacker's password"}),
        )
        .await;
    res.assert_field_error("token");
    app.post(
        "/auth/login",
        None,
        json!({"login": "nadia", "password": "a new long password"}),
    )
    .await
    .assert_status(200);
}

#[actix_web::test]
async fn a_url_planted_by_a_page_never_reaches_a_mail() {
    let (app, cast) = TestApp::with_cast().await;
    app.set_settings(|s| s.auto_create_articles = true);
    // Anyone may name an unknown article in a page, and give it a URL.
    let (status, _, _) = app
        .page(
            Method::GET,
            "//embed/planted?title=Piege&url=https://evil.example/login",
            &[],
            "",
        )
        .await;
    assert_eq!(status, 200);
    let article = app.get("/articles/planted", None).await;
    assert_eq!(article.assert_status(200)["url"], Value::Null);
    app.verify(&cast.reader).await;
    opt_in(&cast.reader).await;
    let parent = cast.reader.comment_id("planted", "Premier").await;
    cast.other
        .reply("planted", parent, "Réponse")
        .await
        .assert_status(201);
    app.scan_events();
    let mails = app.mails_of("reply", "nadia@example.com");
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(!mails[0].text_body.contains("evil.example"));
    assert!(!mails[0].html_body.contains("evil.example"));
    assert!(mails[0]
        .text_body
        .contains("http://127.0.0.1:8080/embed/planted"));
}

#[actix_web::test]
async fn a_page_may_give_a_url_on_a_declared_site() {
    let app =
        TestApp::spawn_with(|c| c.articles.url_origins = vec!["https://news.example".into()]).await;
    app.set_settings(|s| s.auto_create_articles = true);
    for (key, url) in [
        ("declared", "https://news.example/2026/budget"),
        (
            "undeclared",
            "https://news.example.evil.example/2026/budget",
        ),
        ("other-port", "https://news.example:8443/x"),
    ] {
        let path = format!("//embed/{key}?url={url}");
        let (status, _, _) = app.page(Method::GET, &path, &[], "").await;
        assert_eq!(status, 200);
        let expected = if key == "declared" {
            json!(url)
        } else {
            Value::Null
        };
        let article = app.get(&format!("/articles/{key}"), None).await;
        assert_eq!(article.assert_status(200)["url"], expected, "{key}");
    }
}
