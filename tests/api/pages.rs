//! The pages beside the API: the widget's embed page, the loader and assets,
//! the landing page, the demo and the console shell.

use crate::helpers::*;
use serde_json::json;

/// A page: status, headers, text.
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
            .unwrap_or("")
    }
}

async fn page(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut req = app.client.get(format!("{}{path}", app.address));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = req.send().await.expect("request sent");
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let bytes = res.bytes().await.expect("body");
    Page {
        status,
        headers,
        text: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

/// Scripts and styles only from files, never inline: what the CSP demands.
#[track_caller]
fn assert_strict_page(p: &Page, frame_ancestors: &str) {
    let csp = p.header("content-security-policy");
    for part in [
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(csp.contains(part), "{part} missing from {csp}");
    }
    assert!(
        csp.ends_with(&format!("frame-ancestors {frame_ancestors}")),
        "{csp}"
    );
    assert!(!csp.contains("unsafe"), "{csp}");
    assert!(!p.text.contains(" style="), "an inline style attribute");
    assert!(!p.text.contains("<style"), "an inline stylesheet");
    for script in p.text.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap_or("");
        assert!(tag.contains(" src="), "an inline script: <script{tag}>");
    }
    assert_eq!(p.header("content-type"), "text/html; charset=utf-8");
}

#[tokio::test]
async fn the_embed_page_holds_the_thread_in_the_asked_language() {
    let (app, cast) = TestApp::with_cast().await;
    let fr = cast.reader.comment_id("a1", "Un avis *en français*").await;
    cast.other
        .reply("a1", fr, "رد بالعربية")
        .await
        .assert_status(201);

    let p = page(&app, "/embed/a1?lang=ar", &[]).await;

    assert_eq!(p.status, 200);
    assert_strict_page(&p, "*");
    assert_eq!(p.header("content-language"), "ar");
    assert!(p.text.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(p
        .text
        .contains("<div class=\"t-c-body\" dir=\"ltr\"><p>Un avis <em>en français</em></p>"));
    assert!(p.text.contains("dir=\"rtl\"><p>رد بالعربية</p>"));
    // The reply sits in its parent's list, and names are isolated.
    let parent_at = p.text.find(&format!("id=\"c-{fr}\"")).unwrap();
    let reply_at = p.text.find("رد بالعربية").unwrap();
    assert!(parent_at < reply_at);
    assert!(p.text.contains("<bdi class=\"t-c-author\">nadia</bdi>"));
    // The comments the script adds copy the same markup, drawn blank (widget.js).
    assert!(p
        .text
        .contains("<template id=\"t-comment\"><li class=\"t-c\""));
    assert!(p
        .text
        .contains("<template id=\"t-comment-deleted\"><li class=\"t-c\""));
    assert!(p.text.contains("أي تعليق مسيء"), "the seed's notice");
    assert!(p.text.contains("تعليقان"), "Arabic dual count");
    assert!(p.text.contains("aria-live=\"polite\""));
}

#[tokio::test]
async fn the_page_language_falls_back_to_accept_language_then_the_default() {
    let app = TestApp::spawn().await;
    app.cast().await;
    let asked = page(&app, "/embed/a1", &[("Accept-Language", "en-GB, fr;q=0.5")]).await;
    assert!(asked.text.contains("<html lang=\"en\" dir=\"ltr\">"));
    assert!(asked.text.contains("Any abusive comment"));
    assert!(asked.header("vary").starts_with("Accept-Language"));
    let unknown = page(&app, "/embed/a1?lang=de", &[("Accept-Language", "de")]).await;
    assert!(unknown.text.contains("<html lang=\"fr\" dir=\"ltr\">"));
    assert_eq!(unknown.header("content-language"), "fr");

    let app = TestApp::spawn_with(|c| c.i18n.default_locale = tribune::i18n::Locale::Ar).await;
    app.cast().await;
    let default = page(&app, "/embed/a1", &[]).await;
    assert!(default.text.contains("<html lang=\"ar\" dir=\"rtl\">"));
}

#[tokio::test]
async fn embed_origins_become_frame_ancestors() {
    let app = TestApp::spawn_with(|c| {
        c.server.embed_origins = vec![
            "https://www.example.ma".into(),
            "https://news.example.fr".into(),
        ]
    })
    .await;
    app.cast().await;
    let p = page(&app, "/embed/a1", &[]).await;
    assert_eq!(p.status, 200);
    assert_strict_page(&p, "https://www.example.ma https://news.example.fr");
    // The widget takes its documented messages from these sites only.
    assert!(p
        .text
        .contains("data-origins=\"https://www.example.ma https://news.example.fr\""));
}

#[test]
fn an_embed_origin_that_could_break_the_policy_is_refused() {
    use tribune::config::Config;
    let bad = Config::load_from(
        None,
        vec![(
            "TRIBUNE_SERVER__EMBED_ORIGINS".to_string(),
            "https://a.example; script-src *".to_string(),
        )],
    );
    assert!(bad.is_err());
    let good = Config::load_from(
        None,
        vec![(
            "TRIBUNE_SERVER__EMBED_ORIGINS".to_string(),
            "https://a.example, http://b.example:8080".to_string(),
        )],
    )
    .unwrap();
    assert_eq!(
        good.server.embed_origins,
        vec!["https://a.example", "http://b.example:8080"]
    );
}

#[tokio::test]
async fn an_unknown_article_is_a_404_page_unless_articles_are_created_on_first_use() {
    // A page's URL is kept only on a declared site (tests/api/security.rs).
    let app =
        TestApp::spawn_with(|c| c.articles.url_origins = vec!["https://site.example".into()]).await;
    let admin = app.admin().await;
    let missing = page(&app, "/embed/nouveau?title=Le%20budget", &[]).await;
    assert_eq!(missing.status, 404);
    assert!(missing.text.contains("accepte pas encore de commentaires"));
    app.get("/articles/nouveau", None)
        .await
        .assert_error(404, "not_found");
    let malformed = page(&app, "/embed/-bad-key", &[]).await;
    assert_eq!(malformed.status, 404);

    admin
        .patch("/admin/settings", json!({"auto_create_articles": true}))
        .await
        .assert_status(200);
    let created = page(
        &app,
        "/embed/nouveau?title=Le%20budget%202027&url=https%3A%2F%2Fsite.example%2Fbudget",
        &[],
    )
    .await;
    assert_eq!(created.status, 200);
    let article = app.get("/articles/nouveau", None).await;
    let body = article.assert_status(200);
    assert_eq!(body["title"], "Le budget 2027");
    assert_eq!(body["url"], "https://site.example/budget");
    // Title and URL only count at creation.
    page(&app, "/embed/nouveau?title=Autre", &[]).await;
    assert_eq!(
        app.get("/articles/nouveau", None).await.body["title"],
        "Le budget 2027"
    );
}

#[tokio::test]
async fn the_cached_embed_page_follows_every_change_of_the_thread() {
    let (app, cast) = TestApp::with_cast().await;
    let first = cast.reader.comment_id("a1", "premier avis").await;
    let a = page(&app, "/embed/a1?lang=fr", &[]).await;
    let b = page(&app, "/embed/a1?lang=fr", &[]).await;
    assert_eq!(a.text, b.text);
    assert!(a.text.contains("premier avis"));

    cast.other.comment_id("a1", "second avis").await;
    let c = page(&app, "/embed/a1?lang=fr", &[]).await;
    assert!(c.text.contains("second avis"));
    // Fluent isolates the number (U+2068 … U+2069).
    assert!(c.text.contains("\u{2068}2\u{2069} commentaires"));

    cast.moderator
        .post(&format!("/mod/comments/{first}/reject"), json!({}))
        .await
        .assert_status(200);
    let d = page(&app, "/embed/a1?lang=fr", &[]).await;
    assert!(!d.text.contains("premier avis"));
    // Each language and theme is its own page.
    let dark = page(&app, "/embed/a1?lang=en&theme=dark", &[]).await;
    assert!(dark
        .text
        .contains("<html lang=\"en\" dir=\"ltr\" data-theme=\"dark\">"));
}

#[tokio::test]
async fn pending_and_rejected_comments_stay_out_of_the_page() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin
        .post(
            "/admin/words",
            json!({"pattern": "crapule", "kind": "banned"}),
        )
        .await
        .assert_status(201);
    cast.admin.create_premoderated("pre").await;
    cast.reader.comment("pre", "en attente").await;
    cast.reader.comment("a1", "quelle crapule").await;
    let pre = page(&app, "/embed/pre", &[]).await;
    assert!(!pre.text.contains("en attente"));
    assert!(pre.text.contains("Pas de commentaires"));
    let a1 = page(&app, "/embed/a1", &[]).await;
    assert!(!a1.text.contains("crapule"));
}

#[tokio::test]
async fn a_closed_article_shows_its_notice_and_no_box() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin
        .patch("/admin/articles/a1", json!({"comments_open": false}))
        .await
        .assert_status(200);
    let p = page(&app, "/embed/a1?lang=en", &[]).await;
    assert!(p.text.contains("Comments are closed for this article."));
    assert!(!p.text.contains("id=\"t-compose\""));
}

#[tokio::test]
async fn the_landing_page_shows_the_snippet_with_this_servers_address() {
    let app = TestApp::spawn().await;
    let p = page(&app, "/", &[]).await;
    assert_eq!(p.status, 200);
    assert_strict_page(&p, "'none'");
    let host = app.address.trim_start_matches("http://");
    assert!(
        p.text.contains(&format!(
            "&#60;script src=&#34;http://{host}/embed.js&#34; async&#62;"
        )),
        "{}",
        p.text
    );
    for link in [
        "href=\"/demo?lang=fr\"",
        "href=\"/console/?lang=fr\"",
        "href=\"/openapi.json\"",
        "href=\"/api?lang=fr\"",
    ] {
        assert!(p.text.contains(link), "{link}");
    }
    let ar = page(&app, "/?lang=ar", &[]).await;
    assert!(ar.text.contains("<html lang=\"ar\" dir=\"rtl\">"));
}

#[tokio::test]
async fn the_demo_embeds_the_widget_as_a_site_would_and_can_be_turned_off() {
    let app = TestApp::spawn().await;
    let p = page(&app, "/demo?lang=ar", &[]).await;
    assert_eq!(p.status, 200);
    assert_strict_page(&p, "'none'");
    assert!(p
        .text
        .contains("<div data-tribune-article=\"tribune-demo\" data-tribune-lang=\"ar\""));
    assert!(p.text.contains("<script src=\"/embed.js\" async></script>"));
    // The demo article exists from its first view.
    let embed = page(&app, "/embed/tribune-demo?lang=ar", &[]).await;
    assert_eq!(embed.status, 200);
    app.get("/articles/tribune-demo", None)
        .await
        .assert_status(200);

    let off = TestApp::spawn_with(|c| c.server.demo = false).await;
    assert_eq!(page(&off, "/demo", &[]).await.status, 404);
    assert_eq!(page(&off, "/embed/tribune-demo", &[]).await.status, 404);
    assert!(!page(&off, "/", &[]).await.text.contains("/demo"));
}

#[tokio::test]
async fn the_console_refuses_to_be_framed() {
    let app = TestApp::spawn().await;
    let p = page(&app, "/console/?lang=ar", &[]).await;
    assert_eq!(p.status, 200);
    assert_strict_page(&p, "'none'");
    assert!(p.text.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(p.text.contains("مكتب الإشراف"));
    let bare = app
        .client
        .get(format!("{}/console?lang=en", app.address))
        .send()
        .await
        .unwrap();
    // reqwest follows the redirect to the page itself.
    assert_eq!(bare.url().path(), "/console/");
    assert_eq!(bare.url().query(), Some("lang=en"));
}

#[tokio::test]
async fn the_loader_and_assets_are_cached_and_gzipped() {
    let app = TestApp::spawn().await;
    let loader = page(&app, "/embed.js", &[]).await;
    assert_eq!(loader.status, 200);
    assert_eq!(
        loader.header("content-type"),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(loader.header("cache-control"), "public, max-age=300");
    let etag = loader.header("etag").to_string();
    assert!(etag.starts_with('"'));
    let again = page(&app, "/embed.js", &[("If-None-Match", &etag)]).await;
    assert_eq!(again.status, 304);

    let demo = page(&app, "/console/", &[]).await;
    let css = demo
        .text
        .split("href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    assert!(css.starts_with("/assets/console.") && css.ends_with(".css"));
    let plain = page(&app, &css, &[]).await;
    assert_eq!(plain.status, 200);
    assert_eq!(
        plain.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(plain.header("content-encoding"), "");
    let gz = app
        .client
        .get(format!("{}{css}", app.address))
        .header("Accept-Encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(gz.headers()["content-encoding"], "gzip");
    let zipped = gz.bytes().await.unwrap();
    assert!(zipped.len() < plain.text.len());
    assert_eq!(&zipped[..2], &[0x1f, 0x8b]);

    assert_eq!(page(&app, "/favicon.ico", &[]).await.status, 204);
    assert_eq!(page(&app, "/assets/console.css", &[]).await.status, 404);
    assert_eq!(
        page(&app, "/assets/widget.000000000000.js", &[])
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_api_reference_reads_the_openapi_document() {
    let app = TestApp::spawn().await;
    let p = page(&app, "/api?lang=en", &[]).await;
    assert_eq!(p.status, 200);
    assert_strict_page(&p, "'none'");
    for operation in [
        "<code>POST /api/v1/articles/{key}/comments</code>",
        "<code>GET /api/v1/mod/queue</code>",
        "<code>DELETE /api/v1/me</code>",
        "<code>GET /healthz</code>",
    ] {
        assert!(p.text.contains(operation), "{operation}");
    }
    assert!(p
        .text
        .contains("<code>409</code> username_taken or email_taken"));
}
