//! Sign-in with an OpenID Connect provider (`/auth/oidc/{id}/…`). The refusals
//! that come before any talk with the provider run always; the flows run
//! against a real provider (the npm package oidc-provider, tests/oidc/) that
//! `.ci/oidc.sh` installs and starts through these tests.

use crate::helpers::TestApp;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use tribune::config::{Config, OidcProvider};

fn provider(id: &str, issuer: &str, client_id: &str, secret: &str) -> OidcProvider {
    #[derive(serde::Deserialize)]
    struct One {
        p: OidcProvider,
    }
    let text = format!(
        "p = {{ id = \"{id}\", name = \"Le Journal\", issuer = \"{issuer}\", client_id = \"{client_id}\", client_secret = \"{secret}\" }}"
    );
    toml::from_str::<One>(&text).expect("a provider").p
}

/// Tribune with the three providers the test provider knows, at `issuer`.
fn with_providers(config: &mut Config, address: &str, issuer: &str) {
    config.server.public_url = address.to_string();
    config.server.embed_origins = vec!["https://www.example.ma".into()];
    config.oidc.providers = vec![
        provider("idp", issuer, "tribune", "tribune-secret"),
        provider("other", issuer, "tribune-other", "other-secret"),
        provider("mixup", issuer, "tribune-mixup", "mixup-secret"),
    ];
}

/// An answer that is a page: status, headers, text.
struct Page {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Page {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// An error page: its status and the stable code it carries.
    #[track_caller]
    fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.text);
        assert!(
            self.header("content-type").starts_with("text/html"),
            "an HTML page"
        );
        assert!(
            self.text.contains(&format!("data-code=\"{code}\"")),
            "code {code} in {}",
            self.text
        );
        assert_eq!(self.header("cache-control"), "no-store");
        assert!(self.headers.get(LOCATION).is_none(), "no redirect");
    }

    /// The session the success page hands over.
    #[track_caller]
    fn session(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.text);
        let start = self.text.find("data-session=\"").expect("a session") + 14;
        let end = start + self.text[start..].find('"').unwrap();
        serde_json::from_str(&unescape(&self.text[start..end])).expect("the session is JSON")
    }
}

/// An attribute's text as the browser reads it (named and numeric references).
fn unescape(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').expect("a reference ends") + at;
        let name = &rest[at + 1..end];
        let c = match name {
            "quot" => '"',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "apos" => '\'',
            _ => {
                let code = match name.strip_prefix("#x").or(name.strip_prefix("#X")) {
                    Some(hex) => u32::from_str_radix(hex, 16).unwrap(),
                    None => name.strip_prefix('#').unwrap().parse().unwrap(),
                };
                char::from_u32(code).unwrap()
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// A browser's side of it: no redirect followed, the provider's cookies kept.
struct Browser {
    client: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

impl Browser {
    fn new() -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    async fn request(&mut self, req: reqwest::RequestBuilder) -> Page {
        let jar: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        let req = if jar.is_empty() {
            req
        } else {
            req.header(COOKIE, jar.join("; "))
        };
        let res = req.send().await.expect("request");
        for cookie in res.headers().get_all(SET_COOKIE) {
            let pair = cookie.to_str().unwrap().split(';').next().unwrap();
            if let Some((name, value)) = pair.split_once('=') {
                if value.is_empty() {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_string(), value.to_string());
                }
            }
        }
        Page {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            text: res.text().await.unwrap_or_default(),
        }
    }

    async fn get(&mut self, url: &str) -> Page {
        let req = self.client.get(url);
        self.request(req).await
    }

    /// `GET /auth/oidc/{id}/start?return=…`.
    async fn start(&mut self, app: &TestApp, id: &str, return_to: &str) -> Page {
        let url = format!(
            "{}/auth/oidc/{id}/start?return={}",
            app.address,
            urlencode(return_to)
        );
        self.get(&url).await
    }
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The provider from npm, on loopback, for the Tribune at `tribune`.
struct Provider {
    child: Child,
    issuer: String,
}

impl Provider {
    fn start(tribune: &str) -> Provider {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oidc");
        let mut child = Command::new("node")
            .arg("provider.js")
            .current_dir(dir)
            .env("TRIBUNE_URL", tribune)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("node runs tests/oidc/provider.js (.ci/oidc.sh installs it)");
        let mut line = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout
            .read_line(&mut line)
            .expect("the provider's first line");
        // Whatever it writes later is read too, so that it never meets a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let said: Value = serde_json::from_str(&line)
            .unwrap_or_else(|_| panic!("the provider did not start: {line:?}"));
        Provider {
            child,
            issuer: said["issuer"].as_str().unwrap().to_string(),
        }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Tribune and the provider, each knowing the other's address.
async fn tribune_and_provider() -> (TestApp, Provider) {
    let mut started = None;
    let app = TestApp::spawn_at(|config, address| {
        let idp = Provider::start(address);
        with_providers(config, address, &idp.issuer);
        started = Some(idp);
    })
    .await;
    (app, started.unwrap())
}

/// Who signs in at the provider.
struct Account<'a> {
    sub: &'a str,
    email: &'a str,
    verified: bool,
    name: &'a str,
}

const LINA: Account<'static> = Account {
    sub: "lina-42",
    email: "lina@example.ma",
    verified: true,
    name: "Lina Benali",
};

/// From Tribune's start to the provider's redirect back: the callback URL
/// the provider sends the reader to (not followed).
async fn through_provider(
    browser: &mut Browser,
    app: &TestApp,
    idp: &Provider,
    id: &str,
    who: &Account<'_>,
) -> String {
    let start = browser
        .start(app, id, &format!("{}/console/", app.address))
        .await;
    assert_eq!(start.status, 302, "{}", start.text);
    let mut location = start.header("location").to_string();
    assert!(location.starts_with(&idp.issuer), "{location}");
    for _ in 0..10 {
        if location.starts_with(&app.address) {
            return location;
        }
        let url = if location.starts_with('/') {
            format!("{}{location}", idp.issuer)
        } else {
            location.clone()
        };
        let page = if url.contains("/interaction/") {
            let form = [
                ("login", who.sub.to_string()),
                ("email", who.email.to_string()),
                ("email_verified", who.verified.to_string()),
                ("name", who.name.to_string()),
            ];
            let req = browser.client.post(format!("{url}/login")).form(&form);
            browser.request(req).await
        } else {
            browser.get(&url).await
        };
        assert!(
            matches!(page.status, 302 | 303),
            "the provider answered {}: {}",
            page.status,
            page.text
        );
        location = page.header("location").to_string();
    }
    panic!("the provider never sent the reader back");
}

/// The whole flow; the session the callback page hands over.
async fn sign_in(app: &TestApp, idp: &Provider, who: &Account<'_>) -> Value {
    let mut browser = Browser::new();
    let callback = through_provider(&mut browser, app, idp, "idp", who).await;
    browser.get(&callback).await.session()
}

fn mark_verified(app: &TestApp, user_id: i64) {
    app.db
        .write_now(move |conn| {
            tribune::store::users::set_email_verified(conn, tribune::domain::UserId(user_id), 1)
        })
        .expect("verified");
}

// --- before any talk with a provider: these run always --------------------

/// A provider that no one answers for (nothing listens on the discard port).
fn unreachable(config: &mut Config, address: &str) {
    with_providers(config, address, "http://127.0.0.1:9");
}

#[tokio::test]
async fn an_unknown_provider_is_not_found() {
    let app = TestApp::spawn_at(unreachable).await;
    let mut browser = Browser::new();
    let page = browser
        .start(&app, "nope", &format!("{}/console/", app.address))
        .await;
    page.assert_error(404, "not_found");
    let page = browser
        .get(&format!(
            "{}/auth/oidc/nope/callback?state=x&code=y",
            app.address
        ))
        .await;
    page.assert_error(404, "not_found");

    // With no provider configured, every provider is unknown.
    let off = TestApp::spawn().await;
    let page = browser
        .start(&off, "idp", &format!("{}/console/", off.address))
        .await;
    page.assert_error(404, "not_found");
}

#[tokio::test]
async fn a_return_outside_tribune_and_its_sites_is_refused() {
    let app = TestApp::spawn_at(unreachable).await;
    let mut browser = Browser::new();
    for evil in [
        "https://evil.example/",
        "//evil.example/",
        "javascript:alert(1)",
        "https://www.example.ma@evil.example/",
        "",
    ] {
        let page = browser.start(&app, "idp", evil).await;
        page.assert_error(400, "oidc_return_refused");
    }
    // In the reader's language; Arabic reads right to left.
    let url = format!(
        "{}/auth/oidc/idp/start?lang=ar&return={}",
        app.address,
        urlencode("https://evil.example/")
    );
    let page = browser.get(&url).await;
    page.assert_error(400, "oidc_return_refused");
    assert!(page.text.contains("dir=\"rtl\""), "{}", page.text);
    assert!(page.text.contains("عنوان الرجوع هذا غير مسموح به"));
}

#[tokio::test]
async fn an_unknown_or_missing_state_is_refused() {
    let app = TestApp::spawn_at(unreachable).await;
    let mut browser = Browser::new();
    for query in ["state=made-up&code=abc", "code=abc", ""] {
        let page = browser
            .get(&format!("{}/auth/oidc/idp/callback?{query}", app.address))
            .await;
        page.assert_error(400, "oidc_state_invalid");
        assert!(page.text.contains("dir=\"ltr\""));
    }
}

#[tokio::test]
async fn an_unreachable_provider_is_a_502_page() {
    let app = TestApp::spawn_at(unreachable).await;
    let page = Browser::new()
        .start(&app, "idp", "https://www.example.ma/article")
        .await;
    page.assert_error(502, "oidc_unavailable");
}

#[tokio::test]
async fn the_widget_and_the_console_offer_one_button_per_provider() {
    let app = TestApp::spawn_at(unreachable).await;
    app.cast().await;
    let off = TestApp::spawn().await;
    off.cast().await;
    let mut browser = Browser::new();
    for (lang, label) in [
        ("fr", "Se connecter avec "),
        ("ar", "تسجيل الدخول عبر "),
        ("en", "Sign in with "),
    ] {
        for path in [
            format!("/embed/a1?lang={lang}"),
            format!("/console/?lang={lang}"),
        ] {
            let page = browser.get(&format!("{}{path}", app.address)).await;
            assert_eq!(page.status, 200, "{path}");
            assert_eq!(page.text.matches("class=\"t-oidc-button\"").count(), 3);
            assert!(page.text.contains(label), "{path}: {label}");
            assert!(page.text.contains("Le Journal"));
            assert!(page.text.contains("data-provider=\"mixup\""));
            // The page holds the buttons, nothing of the clients.
            for secret in [
                "tribune-secret",
                "other-secret",
                "mixup-secret",
                "127.0.0.1:9",
            ] {
                assert!(!page.text.contains(secret), "{path} shows {secret}");
            }
            let page = browser.get(&format!("{}{path}", off.address)).await;
            assert!(
                !page.text.contains("t-oidc-button"),
                "no provider, no button"
            );
        }
    }
}

// --- against the real provider ---------------------------------------------

#[tokio::test]
#[ignore = "needs the OpenID provider from npm: .ci/oidc.sh"]
async fn the_whole_flow_signs_a_reader_in() {
    let (app, idp) = tribune_and_provider().await;
    let mut browser = Browser::new();

    // The redirect carries PKCE (S256), a state and a nonce, and no secret.
    let start = browser
        .start(&app, "idp", "https://www.example.ma/2026/article.html")
        .await;
    assert_eq!(start.status, 302);
    assert_eq!(start.header("cache-control"), "no-store");
    let cookie = start.header("set-cookie");
    assert!(cookie.starts_with("tribune_oidc="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let to = start.header("location");
    assert_eq!(query_param(to, "code_challenge_method").unwrap(), "S256");
    assert_eq!(query_param(to, "client_id").unwrap(), "tribune");
    assert_eq!(query_param(to, "response_type").unwrap(), "code");
    assert!(query_param(to, "state").unwrap().len() >= 16);
    assert!(query_param(to, "nonce").unwrap().len() >= 16);
    assert!(!to.contains("tribune-secret"));

    let callback = through_provider(&mut browser, &app, &idp, "idp", &LINA).await;
    let page = browser.get(&callback).await;
    assert_eq!(page.header("cache-control"), "no-store");
    assert!(page
        .header("content-security-policy")
        .contains("script-src 'self'"));
    let handed = page.session();
    assert_eq!(handed["return"], format!("{}/console/", app.address));
    let token = handed["session"]["token"].as_str().unwrap();

    // The session works; the account is the provider's reader, address verified.
    let me = app.get("/me", Some(token)).await;
    let me = me.assert_status(200);
    assert_eq!(me["display_name"], "Lina Benali");
    assert_eq!(me["email"], "lina@example.ma");
    assert_eq!(me["email_verified"], true);
    assert_eq!(me["role"], "reader");

    // The same identity signs in to the same account.
    let again = sign_in(&app, &idp, &LINA).await;
    assert_eq!(again["session"]["user"]["id"], me["id"]);
}

#[tokio::test]
#[ignore = "needs the OpenID provider from npm: .ci/oidc.sh"]
async fn a_state_or_a_code_serves_once() {
    let (app, idp) = tribune_and_provider().await;

    // A callback address handed to another browser signs no one in there
    // (the state is bound to the starting browser by a cookie).
    let mut attacker = Browser::new();
    let lure = through_provider(&mut attacker, &app, &idp, "idp", &LINA).await;
    Browser::new()
        .get(&lure)
        .await
        .assert_error(400, "oidc_state_invalid");

    let mut browser = Browser::new();
    let callback = through_provider(&mut browser, &app, &idp, "idp", &LINA).await;
    browser.get(&callback).await.session();

    // The same callback again: its state is spent.
    browser
        .get(&callback)
        .await
        .assert_error(400, "oidc_state_invalid");

    // The spent code under a fresh state: the provider refuses it.
    let start = browser
        .start(&app, "idp", &format!("{}/console/", app.address))
        .await;
    let state = query_param(start.header("location"), "state").unwrap();
    let code = query_param(&callback, "code").unwrap();
    let replay = format!(
        "{}/auth/oidc/idp/callback?code={}&state={}",
        app.address,
        urlencode(&code),
        urlencode(&state)
    );
    browser.get(&replay).await.assert_error(401, "oidc_failed");

    // A state started for one provider does not finish at another.
    let start = browser
        .start(&app, "other", &format!("{}/console/", app.address))
        .await;
    let state = query_param(start.header("location"), "state").unwrap();
    let crossed = format!(
        "{}/auth/oidc/idp/callback?code=abc&state={}",
        app.address,
        urlencode(&state)
    );
    browser
        .get(&crossed)
        .await
        .assert_error(400, "oidc_state_invalid");

    // The provider's refusal (the reader said no) is a failure, not a crash.
    let start = browser
        .start(&app, "idp", &format!("{}/console/", app.address))
        .await;
    let state = query_param(start.header("location"), "state").unwrap();
    let denied = format!(
        "{}/auth/oidc/idp/callback?error=access_denied&state={}",
        app.address,
        urlencode(&state)
    );
    browser.get(&denied).await.assert_error(401, "oidc_failed");
}

#[tokio::test]
#[ignore = "needs the OpenID provider from npm: .ci/oidc.sh"]
async fn a_token_for_another_audience_is_refused() {
    let (app, idp) = tribune_and_provider().await;
    let mut browser = Browser::new();
    // The provider signs it with its own key, but for `someone-else`.
    let callback = through_provider(&mut browser, &app, &idp, "mixup", &LINA).await;
    let page = browser.get(&callback).await;
    page.assert_error(401, "oidc_failed");
    assert!(!page.text.contains("eyJ"), "no token in the page");

    // A second client of the same provider signs in to the same identity.
    let mut browser = Browser::new();
    let callback = through_provider(&mut browser, &app, &idp, "other", &LINA).await;
    let other = browser.get(&callback).await.session();
    let first = sign_in(&app, &idp, &LINA).await;
    assert_eq!(
        other["session"]["user"]["id"],
        first["session"]["user"]["id"]
    );
}

#[tokio::test]
#[ignore = "needs the OpenID provider from npm: .ci/oidc.sh"]
async fn only_a_verified_address_links_an_existing_account() {
    let (app, idp) = tribune_and_provider().await;
    let samir = app.register("samir").await;
    mark_verified(&app, samir.id);

    // The provider does not vouch for the address: a new account, without it.
    let unverified = Account {
        sub: "someone",
        email: "samir@example.com",
        verified: false,
        name: "Not Samir",
    };
    let stranger = sign_in(&app, &idp, &unverified).await;
    assert_ne!(stranger["session"]["user"]["id"], samir.id);
    let me = app.get("/me", stranger["session"]["token"].as_str()).await;
    assert_eq!(me.assert_status(200)["email"], Value::Null);
    assert_eq!(samir.me().await["email"], "samir@example.com");

    // It vouches, and Samir's account had verified it: linked.
    let vouched = Account {
        sub: "samir-at-idp",
        email: "samir@example.com",
        verified: true,
        name: "Samir",
    };
    let linked = sign_in(&app, &idp, &vouched).await;
    assert_eq!(linked["session"]["user"]["id"], samir.id);
}

#[tokio::test]
#[ignore = "needs the OpenID provider from npm: .ci/oidc.sh"]
async fn a_ban_stays_a_ban() {
    let (app, idp) = tribune_and_provider().await;
    let cast = app.cast().await;
    let first = sign_in(&app, &idp, &LINA).await;
    let id = first["session"]["user"]["id"].as_i64().unwrap();
    cast.moderator
        .ban(id, serde_json::json!({"reason": "insultes"}))
        .await
        .assert_status(200);
    let again = sign_in(&app, &idp, &LINA).await;
    assert_eq!(again["session"]["user"]["id"], id);
    assert_eq!(again["session"]["user"]["status"], "banned");
}
