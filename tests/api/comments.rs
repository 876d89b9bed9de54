//! Comments: posting, replies, threads, reading one, editing, deleting.

use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashSet;

fn is_timestamp(v: &Value) -> bool {
    v.as_str()
        .is_some_and(|t| t.ends_with('Z') && tribune::domain::time::parse(t).is_some())
}

/// Makes every author's edit/delete window already over.
fn close_edit_window(app: &TestApp) {
    app.set_settings(|s| s.edit_window_minutes = 0);
}

/// The thread with its query string as `token` sees it.
async fn page(app: &TestApp, key: &str, query: &str, token: Option<&str>) -> Value {
    app.get(&format!("/articles/{key}/comments?{query}"), token)
        .await
        .assert_status(200)
        .clone()
}

// ---------------------------------------------------------------------------
// POST /articles/{key}/comments
// ---------------------------------------------------------------------------

#[tokio::test]
async fn posting_returns_the_whole_comment() {
    let (app, cast) = TestApp::with_cast().await;
    // Decomposed "é", a bell character, surrounding blanks.
    let res = cast
        .reader
        .comment("a1", "  Cafe\u{301} **gras** et *fin*\u{7} \n ")
        .await;
    let c = res.assert_status(201).clone();
    let keys: HashSet<&str> = c.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        HashSet::from([
            "id",
            "article",
            "parent_id",
            "author",
            "body",
            "html",
            "dir",
            "status",
            "created_at",
            "edited_at",
            "reactions",
            "featured"
        ])
    );
    assert!(c["id"].as_i64().unwrap() > 0);
    assert_eq!(c["article"], "a1");
    assert_eq!(c["parent_id"], Value::Null);
    assert_eq!(
        c["author"],
        json!({"id": cast.reader.id, "username": "nadia", "display_name": "nadia", "badges": []})
    );
    assert_eq!(c["body"], "Caf\u{e9} **gras** et *fin*");
    assert_eq!(
        c["html"],
        "<p>Caf\u{e9} <strong>gras</strong> et <em>fin</em></p>"
    );
    assert_eq!(c["dir"], "ltr");
    assert_eq!(c["status"], "approved");
    assert!(is_timestamp(&c["created_at"]), "{}", c["created_at"]);
    assert_eq!(c["edited_at"], Value::Null);

    // Others read exactly what the author was answered.
    let id = c["id"].as_i64().unwrap();
    let read = app.get(&format!("/comments/{id}"), None).await;
    assert_eq!(read.assert_status(200), &c);
    let thread = app.thread("a1", Some(&cast.other.token)).await;
    assert_eq!(
        thread[0]["reacted"], false,
        "a signed-in page says what the caller marked"
    );
    assert_eq!(
        thread.iter().map(without_reacted).collect::<Vec<_>>(),
        vec![c]
    );
}

#[tokio::test]
async fn comment_html_is_rendered_and_sanitized() {
    let (_app, cast) = TestApp::with_cast().await;
    let html = |res: Resp| res.assert_status(201)["html"].as_str().unwrap().to_string();

    let script = html(
        cast.reader
            .comment("a1", "avant <script>alert(1)</script> après")
            .await,
    );
    assert!(!script.contains("<script"), "{script}");
    assert!(
        script.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{script}"
    );

    let img = html(
        cast.reader
            .comment("a1", "<img src=x onerror=alert(1)>")
            .await,
    );
    assert!(!img.contains("<img"), "{img}");

    let link = html(
        cast.reader
            .comment("a1", "voir [le site](https://news.example/a)")
            .await,
    );
    assert_eq!(
        link,
        r#"<p>voir <a href="https://news.example/a" rel="nofollow ugc noopener">le site</a></p>"#
    );

    for evil in [
        "[x](javascript:alert(1))",
        "[y](JaVaScRiPt:alert(1))",
        "[z](data:text/html;base64,PHNjcmlwdD4=)",
    ] {
        let out = html(cast.other.comment("a1", evil).await);
        let lower = out.to_lowercase();
        assert!(!lower.contains("javascript:"), "{evil} → {out}");
        assert!(!lower.contains("data:"), "{evil} → {out}");
        assert!(!lower.contains("<a"), "{evil} → {out}");
    }

    let quote = html(
        cast.other
            .comment("a1", "> cité\n\n- un\n- deux\n\n`code`")
            .await,
    );
    assert_eq!(
        quote,
        "<blockquote>\n<p>cité</p>\n</blockquote>\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n<p><code>code</code></p>"
    );
}

#[tokio::test]
async fn direction_follows_the_first_strong_character() {
    let (_app, cast) = TestApp::with_cast().await;
    let cases = [
        ("مقال رائع، شكرا", "rtl"),
        ("Très bon article", "ltr"),
        ("2026 : مقال", "rtl"),
        ("« Bravo » مقال", "ltr"),
        ("123 456", "ltr"),
    ];
    for (text, dir) in cases {
        let res = cast.reader.comment("a1", text).await;
        let body = res.assert_status(201);
        assert_eq!(body["dir"], dir, "{text}");
        assert_eq!(body["body"], text);
    }
}

#[tokio::test]
async fn anonymous_callers_cannot_post() {
    let app = TestApp::spawn().await;
    app.cast().await;
    app.post("/articles/a1/comments", None, json!({"body": "anonyme"}))
        .await
        .assert_error(401, "unauthenticated");
    app.post(
        "/articles/a1/comments",
        Some("forged-token"),
        json!({"body": "anonyme"}),
    )
    .await
    .assert_error(401, "unauthenticated");
    app.send_raw(
        Method::POST,
        "/articles/a1/comments",
        None,
        Some("text/plain"),
        b"x".to_vec(),
        &[],
    )
    .await
    .assert_error(401, "unauthenticated");
    assert!(app.thread("a1", None).await.is_empty());
}

#[tokio::test]
async fn posting_to_an_unknown_or_malformed_key_is_404() {
    let (_app, cast) = TestApp::with_cast().await;
    for key in ["nope", "-a1", "a%20b"] {
        cast.reader
            .comment(key, "bonjour")
            .await
            .assert_error(404, "not_found");
    }
}

#[tokio::test]
async fn closed_article_refuses_comments_but_not_reads() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "avant fermeture").await;
    cast.admin
        .patch("/admin/articles/a1", json!({"comments_open": false}))
        .await
        .assert_status(200);

    for user in [&cast.reader, &cast.other, &cast.moderator, &cast.admin] {
        user.comment("a1", "après fermeture")
            .await
            .assert_error(403, "article_closed");
        user.reply("a1", id, "une réponse")
            .await
            .assert_error(403, "article_closed");
    }
    cast.reader
        .patch(&format!("/comments/{id}"), json!({"body": "modifié"}))
        .await
        .assert_error(403, "article_closed");
    // Validation still comes first: an empty body is a 422 even here.
    cast.reader
        .comment("a1", "  ")
        .await
        .assert_field_error("body");

    let article = app.get("/articles/a1", None).await;
    let article = article.assert_status(200);
    assert_eq!(article["comments_open"], false);
    assert_eq!(article["comment_count"], 1);
    let thread = page(&app, "a1", "", None).await;
    assert_eq!(thread["article"]["comments_open"], false);
    assert_eq!(ids_of(thread["comments"].as_array().unwrap()), vec![id]);
    let one = app.get(&format!("/comments/{id}"), None).await;
    assert_eq!(one.assert_status(200)["body"], "avant fermeture");

    // Reopened, it takes comments again.
    cast.admin
        .patch("/admin/articles/a1", json!({"comments_open": true}))
        .await
        .assert_status(200);
    cast.other.comment("a1", "rouvert").await.assert_status(201);
}

#[tokio::test]
async fn comment_body_is_1_to_5000_characters_after_trimming() {
    let (app, cast) = TestApp::with_cast().await;
    for empty in ["", "   ", " \n\t \r\n ", "\u{7}\u{202E}"] {
        let res = cast.reader.comment("a1", empty).await;
        res.assert_field_error("body");
    }
    let over = "a".repeat(5001);
    cast.reader
        .comment("a1", &over)
        .await
        .assert_field_error("body");
    cast.reader
        .comment("a1", &"é".repeat(5001))
        .await
        .assert_field_error("body");

    let exact = "b".repeat(5000);
    let res = cast.reader.comment("a1", &format!("  {exact}\n ")).await;
    assert_eq!(res.assert_status(201)["body"], exact.as_str());
    // Characters, not bytes: 5,000 two-byte letters fit.
    let wide = "é".repeat(5000);
    let res = cast.reader.comment("a1", &wide).await;
    assert_eq!(
        res.assert_status(201)["body"]
            .as_str()
            .unwrap()
            .chars()
            .count(),
        5000
    );
    // The message names the limit in the caller's language.
    let res = cast.reader.comment_in("fr", "a1", "").await;
    res.assert_field_error("body");
    assert_eq!(
        res.body["error"]["fields"]["body"][0],
        "Le commentaire ne peut pas être vide."
    );
    assert_eq!(app.thread("a1", None).await.len(), 2);
}

#[tokio::test]
async fn comment_requests_must_have_the_right_shape() {
    let (app, cast) = TestApp::with_cast().await;
    let token = Some(cast.reader.token.as_str());
    let cases = [
        (json!({"body": "x", "status": "approved"}), "status"),
        (json!({"body": "x", "author_id": 1}), "author_id"),
        (json!({"body": 5}), "body"),
        (json!({"body": ["x"]}), "body"),
        (json!({"body": null}), "body"),
        (json!({}), "body"),
        (json!({"body": "x", "parent_id": "7"}), "parent_id"),
        (json!({"body": "x", "parent_id": 1.5}), "parent_id"),
    ];
    for (body, field) in cases {
        let res = app.post("/articles/a1/comments", token, body.clone()).await;
        assert_eq!(res.status.as_u16(), 422, "{body} → {}", res.body);
        res.assert_field_error(field);
    }
    app.send_raw(
        Method::POST,
        "/articles/a1/comments",
        token,
        Some("text/plain"),
        b"{\"body\": \"x\"}".to_vec(),
        &[],
    )
    .await
    .assert_error(415, "unsupported_media_type");
    app.send_raw(
        Method::POST,
        "/articles/a1/comments",
        token,
        Some("application/x-www-form-urlencoded"),
        b"body=x".to_vec(),
        &[],
    )
    .await
    .assert_error(415, "unsupported_media_type");
    for bad in [
        &b"{\"body\": "[..],
        b"{body: 'x'}",
        b"{\"body\": \"x\"} trailing",
        b"[",
        b"{\"body\":\"x\",}",
    ] {
        app.send_raw(
            Method::POST,
            "/articles/a1/comments",
            token,
            Some("application/json"),
            bad.to_vec(),
            &[],
        )
        .await
        .assert_error(400, "malformed_json");
    }
    // A JSON content type with a charset is still JSON.
    app.send_raw(
        Method::POST,
        "/articles/a1/comments",
        token,
        Some("application/json; charset=utf-8"),
        br#"{"body": "avec charset"}"#.to_vec(),
        &[],
    )
    .await
    .assert_status(201);
    assert_eq!(app.thread("a1", None).await.len(), 1);
}

#[tokio::test]
async fn pre_moderated_article_holds_readers_comments_only() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;

    let held = cast.reader.comment("pre", "en attente de modération").await;
    let held = held.assert_status(201).clone();
    assert_eq!(held["status"], "pending");
    let held_id = held["id"].as_i64().unwrap();
    let by_admin = cast.admin.comment("pre", "mot de la rédaction").await;
    assert_eq!(by_admin.assert_status(201)["status"], "approved");
    let by_moderator = cast.moderator.comment("pre", "mot du modérateur").await;
    assert_eq!(by_moderator.assert_status(201)["status"], "approved");
    let public = vec![
        by_admin.body["id"].as_i64().unwrap(),
        by_moderator.body["id"].as_i64().unwrap(),
    ];

    // Hidden from everyone else's thread, shown in the author's own.
    assert_eq!(ids_of(&app.thread("pre", None).await), public);
    assert_eq!(
        ids_of(&app.thread("pre", Some(&cast.other.token)).await),
        public
    );
    // A thread shows only the caller's own pending comments, even to staff
    // (moderators work from their queue).
    assert_eq!(
        ids_of(&app.thread("pre", Some(&cast.moderator.token)).await),
        public
    );
    let own = app.thread("pre", Some(&cast.reader.token)).await;
    assert_eq!(ids_of(&own), vec![held_id, public[0], public[1]]);
    assert_eq!(without_reacted(&own[0]), held);

    // Read alone: 404 for anonymous and other readers, full for author and staff.
    let path = format!("/comments/{held_id}");
    app.get(&path, None).await.assert_error(404, "not_found");
    cast.other.get(&path).await.assert_error(404, "not_found");
    assert_eq!(cast.reader.get(&path).await.assert_status(200), &held);
    for staff in [&cast.moderator, &cast.admin] {
        assert_eq!(staff.get(&path).await.assert_status(200), &held);
    }
    // Counted nowhere until approved.
    let article = page(&app, "pre", "", Some(&cast.reader.token)).await;
    assert_eq!(article["article"]["comment_count"], 2);
    assert_eq!(article["article"]["moderation"], "pre");

    // A moderator may delete it while it waits; then even its author loses it.
    cast.moderator.delete(&path).await.assert_status(204);
    cast.reader.get(&path).await.assert_error(404, "not_found");
    assert_eq!(
        ids_of(&app.thread("pre", Some(&cast.reader.token)).await),
        public
    );
}

// ---------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------

#[tokio::test]
async fn replies_name_a_visible_comment_of_the_same_article() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin.create_article("a2", json!({})).await;
    cast.admin.create_premoderated("pre").await;
    let parent = cast.reader.comment_id("a1", "question").await;
    let elsewhere = cast.reader.comment_id("a2", "ailleurs").await;

    let res = cast.other.reply("a1", parent, "réponse").await;
    let reply = res.assert_status(201).clone();
    assert_eq!(reply["parent_id"], parent);
    assert_eq!(reply["article"], "a1");
    assert_eq!(reply["status"], "approved");
    let thread = app.thread("a1", None).await;
    assert_eq!(ids_of(&thread), vec![parent, reply["id"].as_i64().unwrap()]);
    assert_eq!(thread[1]["parent_id"], parent);

    cast.other
        .reply("a1", elsewhere, "mauvais article")
        .await
        .assert_error(404, "not_found");
    for unknown in [999_999, 0, -4] {
        cast.other
            .reply("a1", unknown, "dans le vide")
            .await
            .assert_error(404, "not_found");
    }
    // Another reader's pending comment is invisible, so no reply to it.
    let pending = cast.reader.comment("pre", "en attente").await;
    let pending = pending.assert_status(201)["id"].as_i64().unwrap();
    cast.other
        .reply("pre", pending, "réponse")
        .await
        .assert_error(404, "not_found");
    // Nor to a deleted comment.
    let gone = cast.reader.comment_id("a1", "bientôt supprimé").await;
    cast.reader
        .delete(&format!("/comments/{gone}"))
        .await
        .assert_status(204);
    cast.other
        .reply("a1", gone, "trop tard")
        .await
        .assert_error(404, "not_found");
    assert_eq!(app.thread("a1", None).await.len(), 2);
}

#[tokio::test]
async fn threads_are_at_most_eight_levels_deep() {
    let (app, cast) = TestApp::with_cast().await;
    let mut chain = vec![cast.reader.comment_id("a1", "niveau 1").await];
    for level in 2..=8 {
        let author = if level % 2 == 0 {
            &cast.other
        } else {
            &cast.reader
        };
        let res = author
            .reply("a1", *chain.last().unwrap(), &format!("niveau {level}"))
            .await;
        let body = res.assert_status(201);
        assert_eq!(body["parent_id"], *chain.last().unwrap());
        chain.push(body["id"].as_i64().unwrap());
    }
    let res = cast.reader.reply("a1", chain[7], "niveau 9").await;
    res.assert_field_error("parent_id");
    // Staff are held to the same depth.
    cast.admin
        .reply("a1", chain[7], "niveau 9 aussi")
        .await
        .assert_field_error("parent_id");
    // A second reply at level 8 is fine.
    cast.reader
        .reply("a1", chain[6], "autre niveau 8")
        .await
        .assert_status(201);
    assert_eq!(app.thread("a1", None).await.len(), 9);
}

// ---------------------------------------------------------------------------
// GET /articles/{key}/comments
// ---------------------------------------------------------------------------

#[tokio::test]
async fn thread_lists_oldest_first_unless_newest_is_asked() {
    let (app, cast) = TestApp::with_cast().await;
    let mut ids = Vec::new();
    for (i, user) in [&cast.reader, &cast.other, &cast.reader]
        .into_iter()
        .enumerate()
    {
        ids.push(user.comment_id("a1", &format!("commentaire {i}")).await);
    }
    let oldest = page(&app, "a1", "", None).await;
    assert_eq!(ids_of(oldest["comments"].as_array().unwrap()), ids);
    assert_eq!(oldest["next_cursor"], Value::Null);
    assert_eq!(
        oldest["article"],
        json!({"key": "a1", "title": "Article a1", "url": null, "comments_open": true,
               "moderation": "post", "comment_count": 3})
    );
    let explicit = page(&app, "a1", "sort=oldest", None).await;
    assert_eq!(explicit, oldest);
    let newest = page(&app, "a1", "sort=newest", None).await;
    let reversed: Vec<i64> = ids.iter().rev().copied().collect();
    assert_eq!(ids_of(newest["comments"].as_array().unwrap()), reversed);

    for sort in ["bogus", "NEWEST", "", "date"] {
        app.get(&format!("/articles/a1/comments?sort={sort}"), None)
            .await
            .assert_field_error("sort");
    }
    app.get("/articles/nope/comments", None)
        .await
        .assert_error(404, "not_found");
    app.get("/articles/-bad/comments", None)
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn thread_pages_hold_every_comment_once_in_both_orders() {
    let (app, cast) = TestApp::with_cast().await;
    let mut ids = Vec::new();
    for i in 0..7 {
        let user = if i % 2 == 0 {
            &cast.reader
        } else {
            &cast.other
        };
        ids.push(user.comment_id("a1", &format!("message numéro {i}")).await);
    }
    for (sort, expected) in [
        ("oldest", ids.clone()),
        ("newest", ids.iter().rev().copied().collect()),
    ] {
        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        let mut query = format!("sort={sort}&limit=3");
        loop {
            let p = page(&app, "a1", &query, None).await;
            let comments = p["comments"].as_array().unwrap();
            sizes.push(comments.len());
            seen.extend(ids_of(comments));
            assert_eq!(p["article"]["comment_count"], 7);
            match p["next_cursor"].as_str() {
                Some(cursor) => {
                    assert!(cursor
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
                    query = format!("sort={sort}&limit=3&cursor={cursor}");
                }
                None => break,
            }
            assert!(sizes.len() <= 3, "{sort}: too many pages");
        }
        assert_eq!(sizes, vec![3, 3, 1], "{sort}");
        assert_eq!(seen, expected, "{sort}");
    }
    // limit=7 fits everything: no next page.
    let all = page(&app, "a1", "limit=7", None).await;
    assert_eq!(all["next_cursor"], Value::Null);
    assert_eq!(ids_of(all["comments"].as_array().unwrap()), ids);
}

#[tokio::test]
async fn thread_refuses_bad_cursor_and_limit() {
    let (app, cast) = TestApp::with_cast().await;
    cast.reader.comment_id("a1", "un").await;
    for cursor in ["garbage", "!!!", "MTI", "YTpi"] {
        app.get(&format!("/articles/a1/comments?cursor={cursor}"), None)
            .await
            .assert_error(400, "invalid_cursor");
    }
    for limit in ["0", "201", "abc", "-5", ""] {
        app.get(&format!("/articles/a1/comments?limit={limit}"), None)
            .await
            .assert_field_error("limit");
    }
    for limit in ["1", "200"] {
        app.get(&format!("/articles/a1/comments?limit={limit}"), None)
            .await
            .assert_status(200);
    }
}

#[tokio::test]
async fn deleted_comment_stays_as_a_tombstone_only_while_it_has_replies() {
    let (app, cast) = TestApp::with_cast().await;
    let with_reply = cast.reader.comment_id("a1", "j'aurai une réponse").await;
    let reply = cast.other.reply("a1", with_reply, "voici la réponse").await;
    let reply = reply.assert_status(201).clone();
    let alone = cast.reader.comment_id("a1", "personne ne me répond").await;
    for id in [with_reply, alone] {
        cast.reader
            .delete(&format!("/comments/{id}"))
            .await
            .assert_status(204);
    }

    for viewer in [
        None,
        Some(cast.other.token.as_str()),
        Some(cast.reader.token.as_str()),
    ] {
        let p = page(&app, "a1", "", viewer).await;
        let comments = p["comments"].as_array().unwrap();
        assert_eq!(comments.len(), 2, "{p}");
        let tomb = &comments[0];
        assert_eq!(tomb["id"], with_reply);
        assert_eq!(tomb["article"], "a1");
        assert_eq!(tomb["parent_id"], Value::Null);
        assert_eq!(tomb["status"], "deleted");
        assert_eq!(tomb["body"], "");
        assert_eq!(tomb["html"], "");
        assert_eq!(tomb["author"], Value::Null);
        assert!(is_timestamp(&tomb["created_at"]));
        assert_eq!(without_reacted(&comments[1]), reply);
        assert_eq!(p["article"]["comment_count"], 1);
    }
    // Read alone, the tombstone shows the same; the lone one is gone.
    let tomb = app.get(&format!("/comments/{with_reply}"), None).await;
    let tomb = tomb.assert_status(200);
    assert_eq!(tomb["status"], "deleted");
    assert_eq!(tomb["body"], "");
    assert_eq!(tomb["author"], Value::Null);
    app.get(&format!("/comments/{alone}"), None)
        .await
        .assert_error(404, "not_found");
    cast.other
        .get(&format!("/comments/{alone}"))
        .await
        .assert_error(404, "not_found");
    // Moderators still see what was deleted.
    let seen = cast.moderator.get(&format!("/comments/{alone}")).await;
    let seen = seen.assert_status(200);
    assert_eq!(seen["status"], "deleted");
    assert_eq!(seen["body"], "personne ne me répond");

    // Once the reply goes too, the tombstone goes.
    cast.other
        .delete(&format!("/comments/{}", reply["id"]))
        .await
        .assert_status(204);
    assert!(app.thread("a1", None).await.is_empty());
    app.get(&format!("/comments/{with_reply}"), None)
        .await
        .assert_error(404, "not_found");
}

// ---------------------------------------------------------------------------
// GET /comments/{id}
// ---------------------------------------------------------------------------

#[tokio::test]
async fn approved_comment_is_readable_by_anyone() {
    let (app, cast) = TestApp::with_cast().await;
    let posted = cast.reader.comment("a1", "lisible par tous").await;
    let posted = posted.assert_status(201).clone();
    let path = format!("/comments/{}", posted["id"]);
    for token in [
        None,
        Some(&cast.reader.token),
        Some(&cast.other.token),
        Some(&cast.moderator.token),
        Some(&cast.admin.token),
    ] {
        let res = app.get(&path, token.map(String::as_str)).await;
        assert_eq!(res.assert_status(200), &posted);
    }
    // An unknown or expired token on a public route reads as anonymous.
    assert_eq!(
        app.get(&path, Some("stale-token")).await.assert_status(200),
        &posted
    );
}

#[tokio::test]
async fn unknown_or_malformed_comment_ids_are_404() {
    let (app, cast) = TestApp::with_cast().await;
    cast.reader.comment_id("a1", "un").await;
    for id in [
        "999999",
        "abc",
        "0",
        "-3",
        "+1",
        "1.0",
        "99999999999999999999999",
    ] {
        app.get(&format!("/comments/{id}"), None)
            .await
            .assert_error(404, "not_found");
        cast.admin
            .get(&format!("/comments/{id}"))
            .await
            .assert_error(404, "not_found");
    }
}

// ---------------------------------------------------------------------------
// PATCH /comments/{id}
// ---------------------------------------------------------------------------

#[tokio::test]
async fn author_edits_inside_the_window() {
    let (app, cast) = TestApp::with_cast().await;
    let posted = cast.reader.comment("a1", "premier jet").await;
    let posted = posted.assert_status(201).clone();
    let path = format!("/comments/{}", posted["id"]);

    let res = cast
        .reader
        .patch(&path, json!({"body": "  version **revue**  "}))
        .await;
    let edited = res.assert_status(200).clone();
    assert_eq!(edited["id"], posted["id"]);
    assert_eq!(edited["body"], "version **revue**");
    assert_eq!(edited["html"], "<p>version <strong>revue</strong></p>");
    assert_eq!(edited["status"], "approved");
    assert_eq!(edited["created_at"], posted["created_at"]);
    assert_eq!(edited["author"], posted["author"]);
    assert!(
        is_timestamp(&edited["edited_at"]),
        "{}",
        edited["edited_at"]
    );
    assert_eq!(app.get(&path, None).await.assert_status(200), &edited);

    // The direction is computed again.
    let res = cast
        .reader
        .patch(&path, json!({"body": "نسخة عربية"}))
        .await;
    assert_eq!(res.assert_status(200)["dir"], "rtl");
}

#[tokio::test]
async fn only_the_author_edits_a_comment() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "mon texte").await;
    let path = format!("/comments/{id}");
    let body = json!({"body": "réécrit par un autre"});
    app.patch(&path, None, body.clone())
        .await
        .assert_error(401, "unauthenticated");
    app.patch(&path, Some("forged"), body.clone())
        .await
        .assert_error(401, "unauthenticated");
    for user in [&cast.other, &cast.moderator, &cast.admin] {
        user.patch(&path, body.clone())
            .await
            .assert_error(403, "forbidden");
    }
    let read = app.get(&path, None).await;
    let read = read.assert_status(200);
    assert_eq!(read["body"], "mon texte");
    assert_eq!(read["edited_at"], Value::Null);

    // Someone else's pending comment cannot even be seen: 404, not 403.
    cast.admin.create_premoderated("pre").await;
    let pending = cast.reader.comment("pre", "en attente").await;
    let pending = pending.assert_status(201)["id"].as_i64().unwrap();
    cast.other
        .patch(&format!("/comments/{pending}"), body)
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn edit_checks_the_body_and_the_id() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "original").await;
    let path = format!("/comments/{id}");
    let token = Some(cast.reader.token.as_str());
    let cases = [
        (json!({"body": ""}), "body"),
        (json!({"body": "   "}), "body"),
        (json!({"body": "x".repeat(5001)}), "body"),
        (json!({"body": 3}), "body"),
        (json!({}), "body"),
        (json!({"body": "x", "parent_id": 1}), "parent_id"),
        (json!({"body": "x", "status": "approved"}), "status"),
    ];
    for (body, field) in cases {
        let res = app.patch(&path, token, body.clone()).await;
        assert_eq!(res.status.as_u16(), 422, "{body} → {}", res.body);
        res.assert_field_error(field);
    }
    app.send_raw(
        Method::PATCH,
        &path,
        token,
        Some("application/json"),
        b"{\"body\"".to_vec(),
        &[],
    )
    .await
    .assert_error(400, "malformed_json");
    app.send_raw(
        Method::PATCH,
        &path,
        token,
        Some("text/plain"),
        b"x".to_vec(),
        &[],
    )
    .await
    .assert_error(415, "unsupported_media_type");
    assert_eq!(
        app.get(&path, None).await.assert_status(200)["body"],
        "original"
    );
    for bad in ["999999", "abc", "0", "-3"] {
        app.patch(&format!("/comments/{bad}"), token, json!({"body": "x"}))
            .await
            .assert_error(404, "not_found");
    }
    // A deleted comment cannot be edited back to life.
    app.delete(&path, token).await.assert_status(204);
    app.patch(&path, token, json!({"body": "revenu"}))
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn edits_and_deletions_after_the_window_are_refused() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "trop tard pour changer").await;
    close_edit_window(&app);
    app.age_comment(id, 1000);
    let path = format!("/comments/{id}");
    cast.reader
        .patch(&path, json!({"body": "changé"}))
        .await
        .assert_error(403, "edit_window_passed");
    cast.reader
        .delete(&path)
        .await
        .assert_error(403, "edit_window_passed");
    // Others still get 403 forbidden, not the window.
    cast.other
        .patch(&path, json!({"body": "changé"}))
        .await
        .assert_error(403, "forbidden");
    let read = app.get(&path, None).await;
    assert_eq!(read.assert_status(200)["body"], "trop tard pour changer");
    // Moderators are not bound by the window.
    cast.moderator.delete(&path).await.assert_status(204);
    app.get(&path, None).await.assert_error(404, "not_found");
}

// ---------------------------------------------------------------------------
// DELETE /comments/{id}
// ---------------------------------------------------------------------------

#[tokio::test]
async fn author_deletes_own_comment() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "à supprimer").await;
    let keep = cast.other.comment_id("a1", "à garder").await;
    let path = format!("/comments/{id}");
    let res = cast.reader.delete(&path).await;
    res.assert_status(204);
    assert_eq!(res.body, Value::Null);
    app.get(&path, None).await.assert_error(404, "not_found");
    cast.other.get(&path).await.assert_error(404, "not_found");
    cast.reader.get(&path).await.assert_error(404, "not_found");
    assert_eq!(
        ids_of(&app.thread("a1", Some(&cast.reader.token)).await),
        vec![keep]
    );
    let article = app.get("/articles/a1", None).await;
    assert_eq!(article.assert_status(200)["comment_count"], 1);
    // A second deletion finds nothing.
    cast.reader
        .delete(&path)
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn only_the_author_or_staff_delete_a_comment() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "convoité").await;
    let path = format!("/comments/{id}");
    app.delete(&path, None)
        .await
        .assert_error(401, "unauthenticated");
    app.delete(&path, Some("forged"))
        .await
        .assert_error(401, "unauthenticated");
    cast.other
        .delete(&path)
        .await
        .assert_error(403, "forbidden");
    app.get(&path, None).await.assert_status(200);
    cast.moderator.delete(&path).await.assert_status(204);
    cast.other.get(&path).await.assert_error(404, "not_found");

    // Admins too.
    let id = cast.other.comment_id("a1", "autre cible").await;
    cast.admin
        .delete(&format!("/comments/{id}"))
        .await
        .assert_status(204);
    assert!(app.thread("a1", None).await.is_empty());

    for bad in ["999999", "abc", "0", "-3"] {
        cast.reader
            .delete(&format!("/comments/{bad}"))
            .await
            .assert_error(404, "not_found");
        cast.moderator
            .delete(&format!("/comments/{bad}"))
            .await
            .assert_error(404, "not_found");
    }
}

// ---------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_comments_from_32_concurrent_clients_all_land() {
    let app = TestApp::spawn().await;
    app.cast().await;
    let mut readers = Vec::new();
    for i in 0..32 {
        readers.push(app.register(&format!("lecteur{i}")).await);
    }
    let url = app.url("/articles/a1/comments");
    let mut tasks = tokio::task::JoinSet::new();
    for (i, reader) in readers.iter().enumerate() {
        let client = app.client.clone();
        let url = url.clone();
        let token = reader.token.clone();
        // 200 = 8 × 7 + 24 × 6
        let share = if i < 8 { 7 } else { 6 };
        tasks.spawn(async move {
            let mut ids = Vec::new();
            for n in 0..share {
                let res = client
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&json!({"body": format!("lecteur {i}, message {n}")}))
                    .send()
                    .await
                    .expect("request sent");
                let status = res.status().as_u16();
                let body: Value = res.json().await.expect("JSON answer");
                assert_eq!(status, 201, "{body}");
                assert_eq!(body["status"], "approved", "{body}");
                ids.push(body["id"].as_i64().unwrap());
            }
            ids
        });
    }
    let mut posted = HashSet::new();
    while let Some(done) = tasks.join_next().await {
        for id in done.expect("task finished") {
            assert!(posted.insert(id), "id {id} answered twice");
        }
    }
    assert_eq!(posted.len(), 200);

    let thread = app.thread("a1", None).await;
    assert_eq!(thread.len(), 200);
    let listed: HashSet<i64> = ids_of(&thread).into_iter().collect();
    assert_eq!(listed, posted);
    let article = app.get("/articles/a1", None).await;
    assert_eq!(article.assert_status(200)["comment_count"], 200);
}
