//! The site's own sign-in (`POST /auth/sso`): tokens the tests sign
//! themselves, each refusal of RFC 8725's pitfalls, which account a token
//! leads to, and what a newer token changes.

use crate::helpers::{TestApp, PASSWORD};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use reqwest::Method;
use serde_json::{json, Value};
use tribune::config::{Config, SsoKey};

const SECRET: &str = "a site secret of at least thirty-two bytes";
const SECRET_2: &str = "the next site secret, also 32 bytes or more";

// Keys made for these tests with `openssl genpkey` (ed25519, and EC P-256).
const ED_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIKr+fk3Db+G3tNtf6V9FYCq+jF/MZhlCG8yje1JpiQhH
-----END PRIVATE KEY-----
";
const ED_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAcmapgKlPcTYO4mm5qF89ZDNv/bpRcn4LWBcDyVZ9+9Q=
-----END PUBLIC KEY-----
";
const EC_PRIVATE: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgxv76Kwkjw9TtGxwP
kGlpNN7SC+F3gx3GcrSdL6NRcXmhRANCAAS6SJqFqQ4J4/PXo0Mj1dcdM8h25nih
mDfgLQs4ZB+oDNaJCVFDI9v5KCD1b06JwwHmhN6JnRzZyMjcZvivBWSV
-----END PRIVATE KEY-----
";
const EC_PUBLIC: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEukiahakOCePz16NDI9XXHTPIduZ4
oZg34C0LOGQfqAzWiQlRQyPb+Sgg9W9OicMB5oTeiZ0c2cjI3Gb4rwVklQ==
-----END PUBLIC KEY-----
";

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn key(toml_text: &str) -> SsoKey {
    #[derive(serde::Deserialize)]
    struct One {
        key: SsoKey,
    }
    toml::from_str::<One>(toml_text).expect("a key").key
}

fn secret_key(kid: &str, secret: &str) -> SsoKey {
    key(&format!(
        "key = {{ kid = \"{kid}\", secret = \"{secret}\" }}"
    ))
}

fn pem_key(kid: &str, pem: &str) -> SsoKey {
    key(&format!(
        "key = {{ kid = \"{kid}\", public_key_pem = \"\"\"{pem}\"\"\" }}"
    ))
}

/// The site's sign-in on, with one HS256 key `k1` and the two public keys.
fn sso_on(config: &mut Config) {
    config.sso.enabled = true;
    config.sso.keys = vec![
        secret_key("k1", SECRET),
        pem_key("ed", ED_PUBLIC),
        pem_key("ec", EC_PUBLIC),
    ];
}

async fn sso_app() -> TestApp {
    TestApp::spawn_with(sso_on).await
}

/// A reader's claims, issued a few seconds ago, valid for five minutes.
fn claims(sub: &str, email: &str, name: &str) -> Value {
    let iat = now() - 5;
    json!({"sub": sub, "email": email, "name": name, "iat": iat, "exp": iat + 300})
}

fn sign_with(alg: Algorithm, kid: &str, key: &EncodingKey, claims: &Value) -> String {
    let mut header = Header::new(alg);
    header.kid = Some(kid.to_string());
    encode(&header, claims, key).expect("signed")
}

fn hs256(claims: &Value) -> String {
    sign_with(
        Algorithm::HS256,
        "k1",
        &EncodingKey::from_secret(SECRET.as_bytes()),
        claims,
    )
}

/// A token put together by hand: any header, any claims, any signature.
fn forged(header: &Value, claims: &Value, signature: &str) -> String {
    let part = |v: &Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());
    format!("{}.{}.{signature}", part(header), part(claims))
}

async fn exchange(app: &TestApp, token: &str) -> crate::helpers::Resp {
    app.post("/auth/sso", None, json!({ "token": token })).await
}

/// Signs in with `claims` (HS256), expecting a session; gives its body.
async fn sign_in(app: &TestApp, claims: &Value) -> Value {
    exchange(app, &hs256(claims))
        .await
        .assert_status(200)
        .clone()
}

fn with(claims: &Value, changes: Value) -> Value {
    let mut c = claims.clone();
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            c.as_object_mut().unwrap().remove(k);
        } else {
            c[k] = v.clone();
        }
    }
    c
}

fn mark_verified(app: &TestApp, user_id: i64) {
    app.db
        .write_now(move |conn| {
            tribune::store::users::set_email_verified(conn, tribune::domain::UserId(user_id), 1)
        })
        .expect("verified");
}

#[tokio::test]
async fn off_by_default_the_route_is_not_found_and_passwords_work() {
    let app = TestApp::spawn().await;
    let token = hs256(&claims("1", "lina@example.ma", "Lina"));
    exchange(&app, &token).await.assert_error(404, "not_found");
    // Nothing else changed: registration and password sign-in as before.
    let reader = app.register("nadia").await;
    app.login("nadia", reader.id).await;
}

#[tokio::test]
async fn a_signed_token_signs_a_new_reader_in_who_can_post() {
    let app = sso_app().await;
    let admin = app.admin().await;
    admin.create_article("a1", json!({})).await;
    let c = with(
        &claims("site-42", "Lina@Example.ma", "Lina Benali"),
        json!({"badges": ["abonné"], "lang": "ar"}),
    );
    let session = sign_in(&app, &c).await;
    let user = &session["user"];
    assert_eq!(user["username"], "Lina_Benali", "{user}");
    assert_eq!(user["display_name"], "Lina Benali");
    assert_eq!(user["email"], "lina@example.ma");
    assert_eq!(user["email_verified"], true);
    assert_eq!(user["role"], "reader");
    assert_eq!(user["locale"], "ar");
    assert_eq!(user["badges"], json!([{"kind": "site", "label": "abonné"}]));
    assert!(session["expires_at"].is_string());
    let token = session["token"].as_str().unwrap();
    let me = app.get("/me", Some(token)).await;
    assert_eq!(me.assert_status(200)["id"], user["id"]);
    // The reader comments, and the thread shows the badge beside the name.
    let posted = app
        .post(
            "/articles/a1/comments",
            Some(token),
            json!({"body": "Bonjour"}),
        )
        .await;
    posted.assert_status(201);
    let thread = app.thread("a1", None).await;
    assert_eq!(thread[0]["author"]["display_name"], "Lina Benali");
    assert_eq!(
        thread[0]["author"]["badges"],
        json!([{"kind": "site", "label": "abonné"}])
    );
    // Staff carry their badge without any claim.
    let staff = admin.comment("a1", "Merci à tous").await;
    assert_eq!(
        staff.assert_status(201)["author"]["badges"],
        json!([{"kind": "staff"}])
    );
    // No password opens an account made by the site's sign-in.
    let login = app
        .post(
            "/auth/login",
            None,
            json!({"login": "Lina_Benali", "password": PASSWORD}),
        )
        .await;
    login.assert_error(401, "invalid_credentials");
}

#[tokio::test]
async fn usernames_are_made_valid_and_unique() {
    let app = sso_app().await;
    app.register("samir").await;
    // The preferred username is taken: the next free variant.
    let c = with(
        &claims("1", "s1@example.ma", "Samir"),
        json!({"username": "samir"}),
    );
    assert_eq!(sign_in(&app, &c).await["user"]["username"], "samir-2");
    // No username: from the name, cleaned by the username rules.
    let c = claims("2", "s2@example.ma", "أحمد بن علي");
    let user = &sign_in(&app, &c).await["user"];
    assert_eq!(user["username"], "أحمد_بن_علي");
    assert_eq!(user["display_name"], "أحمد بن علي");
    // A name the rules cannot use at all.
    let c = claims("3", "s3@example.ma", "!!");
    let user = &sign_in(&app, &c).await["user"];
    assert_eq!(user["username"], "lecteur");
}

#[tokio::test]
async fn public_keys_sign_with_eddsa_and_es256() {
    let app = sso_app().await;
    let c = claims("ed-1", "ed@example.ma", "Edda");
    let ed = EncodingKey::from_ed_pem(ED_PRIVATE.as_bytes()).unwrap();
    let token = sign_with(Algorithm::EdDSA, "ed", &ed, &c);
    exchange(&app, &token).await.assert_status(200);
    let c = claims("ec-1", "ec@example.ma", "Ecco");
    let ec = EncodingKey::from_ec_pem(EC_PRIVATE.as_bytes()).unwrap();
    let token = sign_with(Algorithm::ES256, "ec", &ec, &c);
    exchange(&app, &token).await.assert_status(200);
    // A key answers only for its own algorithm: an ES256 token named as
    // the Ed25519 key is refused.
    let token = sign_with(Algorithm::ES256, "ed", &ec, &c);
    exchange(&app, &token)
        .await
        .assert_error(401, "sso_invalid");
}

#[tokio::test]
async fn every_pitfall_is_refused_with_its_code() {
    let app = TestApp::spawn_with(|config| {
        sso_on(config);
        config.sso.audience = "tribune".into();
        config.sso.issuer = "https://www.example.ma".into();
    })
    .await;
    let good = with(
        &claims("7", "r@example.ma", "Rim"),
        json!({"aud": "tribune", "iss": "https://www.example.ma"}),
    );
    exchange(&app, &hs256(&good)).await.assert_status(200);
    let hs_header = json!({"alg": "HS256", "kid": "k1", "typ": "JWT"});
    let real = hs256(&good);
    let real_signature = real.rsplit('.').next().unwrap().to_string();
    let invalid: Vec<(&str, String)> = vec![
        (
            "alg none",
            forged(
                &json!({"alg": "none", "kid": "k1", "typ": "JWT"}),
                &good,
                "",
            ),
        ),
        (
            "alg None",
            forged(&json!({"alg": "None", "kid": "k1"}), &good, ""),
        ),
        (
            "HS256 signed with the Ed25519 public key's bytes",
            sign_with(
                Algorithm::HS256,
                "ed",
                &EncodingKey::from_secret(ED_PUBLIC.as_bytes()),
                &good,
            ),
        ),
        (
            "HS256 signed with the P-256 public key's bytes",
            sign_with(
                Algorithm::HS256,
                "ec",
                &EncodingKey::from_secret(EC_PUBLIC.as_bytes()),
                &good,
            ),
        ),
        (
            "HS512 for an HS256 key",
            sign_with(
                Algorithm::HS512,
                "k1",
                &EncodingKey::from_secret(SECRET.as_bytes()),
                &good,
            ),
        ),
        (
            "unknown kid",
            sign_with(
                Algorithm::HS256,
                "k9",
                &EncodingKey::from_secret(SECRET.as_bytes()),
                &good,
            ),
        ),
        ("missing kid", {
            let header = Header::new(Algorithm::HS256);
            encode(&header, &good, &EncodingKey::from_secret(SECRET.as_bytes())).unwrap()
        }),
        ("typ other than JWT", {
            let mut header = Header::new(Algorithm::HS256);
            header.kid = Some("k1".into());
            header.typ = Some("at+jwt".into());
            encode(&header, &good, &EncodingKey::from_secret(SECRET.as_bytes())).unwrap()
        }),
        (
            "wrong secret",
            sign_with(
                Algorithm::HS256,
                "k1",
                &EncodingKey::from_secret(SECRET_2.as_bytes()),
                &good,
            ),
        ),
        (
            "claims changed after signing",
            forged(
                &hs_header,
                &with(&good, json!({"sub": "8"})),
                &real_signature,
            ),
        ),
        ("not a token", "bonjour".to_string()),
        ("three dots of nothing", "..".to_string()),
        ("empty", String::new()),
        ("wrong aud", hs256(&with(&good, json!({"aud": "other"})))),
        ("no aud", hs256(&with(&good, json!({"aud": null})))),
        (
            "wrong iss",
            hs256(&with(&good, json!({"iss": "https://evil.example"}))),
        ),
        ("no iss", hs256(&with(&good, json!({"iss": null})))),
        ("no sub", hs256(&with(&good, json!({"sub": null})))),
        ("no email", hs256(&with(&good, json!({"email": null})))),
        ("no name", hs256(&with(&good, json!({"name": null})))),
        ("no iat", hs256(&with(&good, json!({"iat": null})))),
        ("no exp", hs256(&with(&good, json!({"exp": null})))),
        ("sub a number", hs256(&with(&good, json!({"sub": 7})))),
        (
            "sub too long",
            hs256(&with(&good, json!({"sub": "x".repeat(256)}))),
        ),
        ("sub empty", hs256(&with(&good, json!({"sub": ""})))),
        (
            "iat a string",
            hs256(&with(&good, json!({"iat": "yesterday"}))),
        ),
        (
            "email not one",
            hs256(&with(&good, json!({"email": "r at example"}))),
        ),
        (
            "badges a string",
            hs256(&with(&good, json!({"badges": "abonné"}))),
        ),
        (
            "six badges",
            hs256(&with(
                &good,
                json!({"badges": ["a", "b", "c", "d", "e", "f"]}),
            )),
        ),
        (
            "a badge too long",
            hs256(&with(&good, json!({"badges": ["x".repeat(25)]}))),
        ),
        (
            "unknown role",
            hs256(&with(&good, json!({"role": "owner"}))),
        ),
        ("unknown lang", hs256(&with(&good, json!({"lang": "de"})))),
        ("jti a number", hs256(&with(&good, json!({"jti": 5})))),
        (
            "exp more than a day after iat",
            hs256(&with(
                &good,
                json!({"exp": good["iat"].as_i64().unwrap() + 86_401}),
            )),
        ),
    ];
    for (what, token) in &invalid {
        let res = exchange(&app, token).await;
        assert_eq!(res.status.as_u16(), 401, "{what}: {}", res.body);
        assert_eq!(
            res.body["error"]["code"], "sso_invalid",
            "{what}: {}",
            res.body
        );
    }
    let iat = now();
    let expired: Vec<(&str, Value)> = vec![
        (
            "expired",
            with(&good, json!({"iat": iat - 400, "exp": iat - 100})),
        ),
        (
            "iat in the future",
            with(&good, json!({"iat": iat + 120, "exp": iat + 400})),
        ),
        (
            "iat too old",
            with(&good, json!({"iat": iat - 700, "exp": iat + 300})),
        ),
    ];
    for (what, c) in &expired {
        let res = exchange(&app, &hs256(c)).await;
        assert_eq!(res.status.as_u16(), 401, "{what}: {}", res.body);
        assert_eq!(
            res.body["error"]["code"], "sso_expired",
            "{what}: {}",
            res.body
        );
    }
    // The message is in the caller's language, and says nothing of the cause.
    let res = app
        .send_with(
            Method::POST,
            "/auth/sso",
            None,
            Some(json!({"token": "bonjour"})),
            &[("Accept-Language", "ar")],
        )
        .await;
    res.assert_error(401, "sso_invalid");
    assert_eq!(
        res.body["error"]["message"],
        "رمز تسجيل الدخول الصادر عن الموقع غير صالح."
    );
    // A body that is not the request's shape is the usual 422.
    app.post("/auth/sso", None, json!({"token": 5}))
        .await
        .assert_field_error("token");
}

#[tokio::test]
async fn a_jti_is_used_once() {
    let app = sso_app().await;
    let c = with(&claims("9", "j@example.ma", "Jamal"), json!({"jti": "t-1"}));
    let token = hs256(&c);
    exchange(&app, &token).await.assert_status(200);
    exchange(&app, &token)
        .await
        .assert_error(401, "sso_replayed");
    // Another token id is another token.
    let again = hs256(&with(&c, json!({"jti": "t-2"})));
    exchange(&app, &again).await.assert_status(200);
    // Without a jti, a token may be exchanged until it expires.
    let plain = hs256(&claims("9", "j@example.ma", "Jamal"));
    exchange(&app, &plain).await.assert_status(200);
    exchange(&app, &plain).await.assert_status(200);
}

#[tokio::test]
async fn keys_rotate_without_losing_identities() {
    let two_keys = |config: &mut Config| {
        config.sso.enabled = true;
        config.sso.keys = vec![secret_key("old", SECRET), secret_key("new", SECRET_2)];
    };
    let app = TestApp::spawn_with(two_keys).await;
    let c = claims("r-1", "rot@example.ma", "Rotation");
    let old = sign_with(
        Algorithm::HS256,
        "old",
        &EncodingKey::from_secret(SECRET.as_bytes()),
        &c,
    );
    let new = sign_with(
        Algorithm::HS256,
        "new",
        &EncodingKey::from_secret(SECRET_2.as_bytes()),
        &c,
    );
    let by_old = exchange(&app, &old).await.assert_status(200)["user"]["id"].clone();
    let by_new = exchange(&app, &new).await.assert_status(200)["user"]["id"].clone();
    assert_eq!(by_old, by_new, "both keys speak for the same site");
    // The old key is removed: the same database, one key left.
    let url = app.config.database.url.clone();
    let rotated = TestApp::spawn_with(|config| {
        two_keys(config);
        config.sso.keys.remove(0);
        config.database.url = url;
    })
    .await;
    exchange(&rotated, &old)
        .await
        .assert_error(401, "sso_invalid");
    let after = exchange(&rotated, &new).await.assert_status(200)["user"]["id"].clone();
    assert_eq!(after, by_new);
}

#[tokio::test]
async fn a_verified_account_with_the_address_is_linked() {
    let app = sso_app().await;
    let samir = app.register("samir").await;
    mark_verified(&app, samir.id);
    let session = sign_in(&app, &claims("s-1", "samir@example.com", "Samir K.")).await;
    assert_eq!(session["user"]["id"], samir.id);
    assert_eq!(session["user"]["username"], "samir");
    assert_eq!(session["user"]["display_name"], "Samir K.");
    // The identity now leads there, whatever address comes next.
    let later = with(
        &claims("s-1", "samir@example.com", "Samir K."),
        json!({"iat": now() - 1}),
    );
    assert_eq!(sign_in(&app, &later).await["user"]["id"], samir.id);
    // The password still works for the linked account.
    app.login("samir", samir.id).await;
}

#[tokio::test]
async fn an_unverified_account_is_not_linked_and_loses_the_address() {
    let app = sso_app().await;
    let squatter = app.register("samir").await;
    let session = sign_in(&app, &claims("s-1", "samir@example.com", "Samir")).await;
    let user = &session["user"];
    assert_ne!(user["id"], squatter.id);
    assert_eq!(user["email"], "samir@example.com");
    assert_eq!(user["email_verified"], true);
    assert_eq!(user["username"], "Samir-2", "{user}");
    let squatter_me = squatter.me().await;
    assert_eq!(squatter_me["email"], Value::Null);
    assert_eq!(squatter_me["email_verified"], false);
}

#[tokio::test]
async fn a_newer_token_updates_the_account_and_an_older_one_does_not() {
    let app = sso_app().await;
    let other = app.register("karim").await;
    let t = now();
    let first = with(
        &claims("u-1", "u1@example.ma", "Ancien Nom"),
        json!({"iat": t - 100, "exp": t + 200, "badges": ["abonné"]}),
    );
    let id = sign_in(&app, &first).await["user"]["id"].clone();
    let newer = with(
        &claims("u-1", "u1-new@example.ma", "Nouveau Nom"),
        json!({"iat": t - 50, "exp": t + 200, "badges": ["premium", "abonné"]}),
    );
    let user = sign_in(&app, &newer).await["user"].clone();
    assert_eq!(user["id"], id);
    assert_eq!(user["display_name"], "Nouveau Nom");
    assert_eq!(user["email"], "u1-new@example.ma");
    assert_eq!(user["email_verified"], true);
    assert_eq!(
        user["badges"],
        json!([{"kind": "site", "label": "premium"}, {"kind": "site", "label": "abonné"}])
    );
    // An older token than the last one seen signs in but changes nothing.
    let older = with(
        &claims("u-1", "u1-old@example.ma", "Vieux Nom"),
        json!({"iat": t - 80, "exp": t + 200}),
    );
    let user = sign_in(&app, &older).await["user"].clone();
    assert_eq!(user["display_name"], "Nouveau Nom");
    assert_eq!(user["email"], "u1-new@example.ma");
    // An address another account holds is not taken from it.
    let taken = with(
        &claims("u-1", "karim@example.com", "Nom Final"),
        json!({"iat": t - 10, "exp": t + 200}),
    );
    let user = sign_in(&app, &taken).await["user"].clone();
    assert_eq!(user["display_name"], "Nom Final");
    assert_eq!(user["email"], "u1-new@example.ma");
    assert_eq!(user["badges"], json!([]));
    assert_eq!(other.me().await["email"], "karim@example.com");
}

#[tokio::test]
async fn roles_count_only_when_trusted() {
    let app = sso_app().await;
    let c = with(
        &claims("m-1", "m@example.ma", "Modo"),
        json!({"role": "moderator"}),
    );
    let session = sign_in(&app, &c).await;
    assert_eq!(session["user"]["role"], "reader");
    let token = session["token"].as_str().unwrap().to_string();
    app.get("/mod/queue", Some(&token))
        .await
        .assert_error(403, "forbidden");

    let trusting = TestApp::spawn_with(|config| {
        sso_on(config);
        config.sso.trust_roles = true;
    })
    .await;
    let session = sign_in(&trusting, &c).await;
    assert_eq!(session["user"]["role"], "moderator");
    assert_eq!(session["user"]["badges"], json!([{"kind": "staff"}]));
    let token = session["token"].as_str().unwrap().to_string();
    trusting
        .get("/mod/queue", Some(&token))
        .await
        .assert_status(200);
    // A newer token takes the role back.
    let t = now();
    let demoted = with(&c, json!({"role": "reader", "iat": t - 1, "exp": t + 100}));
    assert_eq!(sign_in(&trusting, &demoted).await["user"]["role"], "reader");
}

#[tokio::test]
async fn a_ban_stays_a_ban() {
    let app = sso_app().await;
    let admin = app.admin().await;
    admin.create_article("a1", json!({})).await;
    let t = now();
    let c = with(
        &claims("b-1", "b@example.ma", "Banni"),
        json!({"iat": t - 20, "exp": t + 200}),
    );
    let id = sign_in(&app, &c).await["user"]["id"].as_i64().unwrap();
    admin
        .ban(id, json!({"reason": "spam"}))
        .await
        .assert_status(200);
    let newer = with(&c, json!({"iat": t - 10, "name": "Plus Banni"}));
    let session = sign_in(&app, &newer).await;
    assert_eq!(session["user"]["status"], "banned");
    let token = session["token"].as_str().unwrap();
    app.post(
        "/articles/a1/comments",
        Some(token),
        json!({"body": "Me revoilà"}),
    )
    .await
    .assert_error(403, "banned");
}

#[tokio::test]
async fn only_readers_through_the_site_staff_keep_passwords() {
    let app = TestApp::spawn_with(|config| {
        sso_on(config);
        config.sso.only = true;
    })
    .await;
    let admin = app.admin().await;
    let body = json!({"username": "nadia", "email": "nadia@example.com", "password": PASSWORD});
    app.post("/auth/register", None, body)
        .await
        .assert_error(403, "sso_only");
    // A reader account from before: the right password is refused, a wrong
    // one says only that it is wrong.
    let hasher = tribune::auth::Hasher::new(&app.config.auth).unwrap();
    let account = tribune::service::accounts::NewAccount {
        username: tribune::domain::Username::parse("ancien").unwrap(),
        email: tribune::domain::Email::parse("ancien@example.com").unwrap(),
        display_name: tribune::domain::DisplayName::parse("ancien").unwrap(),
        locale: tribune::i18n::Locale::Fr,
        password_hash: hasher.hash_now(PASSWORD).unwrap(),
    };
    app.db
        .write_now(|conn| {
            tribune::service::accounts::create(conn, &account, tribune::domain::Role::Reader)
        })
        .unwrap();
    app.post(
        "/auth/login",
        None,
        json!({"login": "ancien", "password": PASSWORD}),
    )
    .await
    .assert_error(403, "sso_only");
    app.post(
        "/auth/login",
        None,
        json!({"login": "ancien", "password": "not the password"}),
    )
    .await
    .assert_error(401, "invalid_credentials");
    // Staff sign in with their passwords; readers through the site.
    app.login("chef", admin.id).await;
    let moderator = app.login_after_promotion(&admin).await;
    assert_eq!(moderator["user"]["role"], "moderator");
    sign_in(&app, &claims("o-1", "o@example.ma", "Oumaima")).await;
}

impl TestApp {
    /// A reader made with a password before `only` (straight in the
    /// database), promoted by `admin`, then signed in with the password.
    async fn login_after_promotion(&self, admin: &crate::helpers::User) -> Value {
        let hasher = tribune::auth::Hasher::new(&self.config.auth).unwrap();
        let account = tribune::service::accounts::NewAccount {
            username: tribune::domain::Username::parse("modo").unwrap(),
            email: tribune::domain::Email::parse("modo@example.com").unwrap(),
            display_name: tribune::domain::DisplayName::parse("modo").unwrap(),
            locale: tribune::i18n::Locale::Fr,
            password_hash: hasher.hash_now(PASSWORD).unwrap(),
        };
        let user = self
            .db
            .write_now(|conn| {
                tribune::service::accounts::create(conn, &account, tribune::domain::Role::Reader)
            })
            .unwrap();
        admin
            .set_role(user.id, "moderator")
            .await
            .assert_status(200);
        self.post(
            "/auth/login",
            None,
            json!({"login": "modo", "password": PASSWORD}),
        )
        .await
        .assert_status(200)
        .clone()
    }
}

#[tokio::test]
async fn the_route_answers_every_caller_alike() {
    let app = sso_app().await;
    let cast = app.cast().await;
    let callers: Vec<(&str, Option<&str>)> = vec![
        ("anonymous", None),
        ("reader", Some(cast.reader.token.as_str())),
        ("other reader", Some(cast.other.token.as_str())),
        ("moderator", Some(cast.moderator.token.as_str())),
        ("admin", Some(cast.admin.token.as_str())),
    ];
    for (i, (who, bearer)) in callers.iter().enumerate() {
        // The caller's own session changes nothing: the token decides.
        let c = claims(&format!("x-{i}"), &format!("x{i}@example.ma"), "Lecteur");
        let res = app
            .post("/auth/sso", *bearer, json!({"token": hs256(&c)}))
            .await;
        let user = &res.assert_status(200)["user"];
        assert_eq!(user["role"], "reader", "{who}");
        assert_eq!(user["email"], format!("x{i}@example.ma"), "{who}");
        app.post("/auth/sso", *bearer, json!({"token": "x.y.z"}))
            .await
            .assert_error(401, "sso_invalid");
    }
    let off = TestApp::spawn().await;
    let cast = off.cast().await;
    for bearer in [
        None,
        Some(cast.reader.token.as_str()),
        Some(cast.admin.token.as_str()),
    ] {
        off.post("/auth/sso", bearer, json!({"token": "x.y.z"}))
            .await
            .assert_error(404, "not_found");
    }
}

#[tokio::test]
async fn logout_ends_a_site_session() {
    let app = sso_app().await;
    let session = sign_in(&app, &claims("l-1", "l@example.ma", "Layla")).await;
    let token = session["token"].as_str().unwrap();
    app.send(Method::POST, "/auth/logout", Some(token), None)
        .await
        .assert_status(204);
    app.get("/me", Some(token))
        .await
        .assert_error(401, "unauthenticated");
}

#[tokio::test]
async fn an_erased_account_is_not_found_again_by_its_identity() {
    let app = sso_app().await;
    let samir = app.register("samir").await;
    mark_verified(&app, samir.id);
    let c = claims("e-1", "samir@example.com", "Samir");
    assert_eq!(sign_in(&app, &c).await["user"]["id"], samir.id);
    samir
        .send(Method::DELETE, "/me", Some(json!({"password": PASSWORD})))
        .await
        .assert_status(204);
    let again = with(&c, json!({"iat": now() - 1}));
    let user = sign_in(&app, &again).await["user"].clone();
    assert_ne!(user["id"], samir.id);
    assert_eq!(user["email"], "samir@example.com");
}

#[tokio::test]
async fn the_route_is_rate_limited_like_sign_in() {
    let app = TestApp::spawn_with(|config| {
        sso_on(config);
        config.rate_limit.enabled = true;
        config.rate_limit.login_per_address_per_minute = 3;
        config.rate_limit.requests_per_address_per_second = 1000;
    })
    .await;
    for _ in 0..3 {
        exchange(&app, "x.y.z")
            .await
            .assert_error(401, "sso_invalid");
    }
    let res = exchange(&app, "x.y.z").await;
    res.assert_error(429, "rate_limited");
    assert!(res.header("Retry-After").is_some());
}

#[tokio::test]
async fn a_reader_made_by_the_site_can_erase_the_account_without_a_password() {
    let app = sso_app().await;
    let c = claims("gdpr-1", "lina@example.com", "Lina");
    let token = sign_in(&app, &c).await["token"]
        .as_str()
        .unwrap()
        .to_string();
    app.send(
        Method::DELETE,
        "/me",
        Some(&token),
        Some(json!({"password": ""})),
    )
    .await
    .assert_status(204);
    app.get("/me", Some(&token))
        .await
        .assert_error(401, "unauthenticated");
    // A password account is still asked for its password.
    let nadia = app.register("nadia").await;
    nadia
        .send(Method::DELETE, "/me", Some(json!({"password": ""})))
        .await
        .assert_field_error("password");
}

#[tokio::test]
async fn first_sign_ins_of_one_identity_at_once_find_one_account() {
    let app = sso_app().await;
    // Several rounds, each a new identity signing in from several tabs at once.
    for round in 0..5 {
        let sub = format!("race-{round}");
        let email = format!("race{round}@example.ma");
        let token = hs256(&claims(&sub, &email, "Lina"));
        let answers = futures_util::future::join_all((0..6).map(|_| exchange(&app, &token))).await;
        let ids: Vec<i64> = answers
            .iter()
            .map(|res| res.assert_status(200)["user"]["id"].as_i64().unwrap())
            .collect();
        assert!(ids.iter().all(|id| *id == ids[0]), "one account: {ids:?}");
    }
}
