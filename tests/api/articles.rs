//! Articles: reading them, administering them (create, list, update), roles,
//! and the public comment counts.

use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashSet;

// ---------------------------------------------------------------------------
// GET /articles/{key}
// ---------------------------------------------------------------------------

#[tokio::test]
async fn article_shows_its_settings_and_counts_approved_comments_only() {
    let (app, cast) = TestApp::with_cast().await;

    let fresh = app.get("/articles/a1", None).await;
    assert_eq!(
        fresh.assert_status(200),
        &json!({"key": "a1", "title": "Article a1", "url": null, "comments_open": true,
                "moderation": "post", "comment_count": 0})
    );

    // Approved comments count; a pending one (pre-moderated article) and a
    // deleted one do not.
    let pre = json!({"moderation": "pre", "url": "https://news.example/pre"});
    cast.admin.create_article("pre", pre).await;
    comments_of_every_kind(&cast, "pre", &cast.admin).await;

    let a1 = cast.reader.get("/articles/a1").await;
    assert_eq!(a1.assert_status(200)["comment_count"], 2);
    let pre = cast.reader.get("/articles/pre").await;
    assert_eq!(
        pre.assert_status(200),
        &json!({"key": "pre", "title": "Article pre", "url": "https://news.example/pre",
                "comments_open": true, "moderation": "pre", "comment_count": 1})
    );
}

#[tokio::test]
async fn article_without_its_own_mode_follows_the_site_default() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin
        .create_article("own", json!({"moderation": "post"}))
        .await;
    app.set_settings(|s| s.default_moderation = tribune::domain::ModerationMode::Pre);
    let a1 = app.get("/articles/a1", None).await;
    assert_eq!(a1.assert_status(200)["moderation"], "pre");
    let own = app.get("/articles/own", None).await;
    assert_eq!(own.assert_status(200)["moderation"], "post");
}

#[tokio::test]
async fn unknown_or_malformed_article_key_is_404() {
    let (app, cast) = TestApp::with_cast().await;
    let long = "k".repeat(129);
    for path in [
        "/articles/nope",
        "/articles/-a1",
        "/articles/.a1",
        "/articles/a%20b",
        "/articles/%C3%A9t%C3%A9",
    ] {
        app.get(path, None).await.assert_error(404, "not_found");
        cast.admin.get(path).await.assert_error(404, "not_found");
    }
    app.get(&format!("/articles/{long}"), None)
        .await
        .assert_error(404, "not_found");
    // The longest valid key is fine.
    let longest = "k".repeat(128);
    cast.admin.create_article(&longest, json!({})).await;
    app.get(&format!("/articles/{longest}"), None)
        .await
        .assert_status(200);
}

// ---------------------------------------------------------------------------
// POST /admin/articles
// ---------------------------------------------------------------------------

#[tokio::test]
async fn admin_creates_an_article_with_defaults() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let res = admin
        .post(
            "/admin/articles",
            json!({"key": "2026-11-29.une_3", "title": "  La une  "}),
        )
        .await;
    let expected = json!({"key": "2026-11-29.une_3", "title": "La une", "url": null,
                          "comments_open": true, "moderation": "post", "comment_count": 0});
    assert_eq!(res.assert_status(201), &expected);
    let read = app.get("/articles/2026-11-29.une_3", None).await;
    assert_eq!(read.assert_status(200), &expected);
}

#[tokio::test]
async fn admin_creates_an_article_with_every_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let res = admin
        .post(
            "/admin/articles",
            json!({"key": "ar-1", "title": "مقال", "url": "https://news.example/ar/1",
                   "comments_open": false, "moderation": "pre"}),
        )
        .await;
    let expected = json!({"key": "ar-1", "title": "مقال", "url": "https://news.example/ar/1",
                          "comments_open": false, "moderation": "pre", "comment_count": 0});
    assert_eq!(res.assert_status(201), &expected);
    assert_eq!(
        app.get("/articles/ar-1", None).await.assert_status(200),
        &expected
    );
    // An explicit null moderation follows the default, like an omitted one.
    let res = admin
        .post(
            "/admin/articles",
            json!({"key": "n", "title": "N", "moderation": null, "url": null}),
        )
        .await;
    let body = res.assert_status(201);
    assert_eq!(body["moderation"], "post");
    assert_eq!(body["url"], Value::Null);
}

#[tokio::test]
async fn creating_an_existing_key_is_a_conflict() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin
        .post("/admin/articles", json!({"key": "a1", "title": "Encore"}))
        .await
        .assert_error(409, "conflict");
    // The first article is untouched.
    let a1 = app.get("/articles/a1", None).await;
    assert_eq!(a1.assert_status(200)["title"], "Article a1");
}

#[tokio::test]
async fn article_creation_checks_every_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let long_key = "k".repeat(129);
    let cases = [
        (json!({"key": "-x", "title": "T"}), "key"),
        (json!({"key": "a b", "title": "T"}), "key"),
        (json!({"key": "été", "title": "T"}), "key"),
        (json!({"key": "a/b", "title": "T"}), "key"),
        (json!({"key": "", "title": "T"}), "key"),
        (json!({"key": long_key, "title": "T"}), "key"),
        (json!({"key": "ok", "title": ""}), "title"),
        (json!({"key": "ok", "title": "   "}), "title"),
        (json!({"key": "ok", "title": "x".repeat(301)}), "title"),
        (json!({"key": "ok", "title": "Ti\u{202E}tre"}), "title"),
        (json!({"key": "ok", "title": "deux\nlignes"}), "title"),
        (
            json!({"key": "ok", "title": "T", "url": "not a url"}),
            "url",
        ),
        (
            json!({"key": "ok", "title": "T", "url": "javascript:alert(1)"}),
            "url",
        ),
        (
            json!({"key": "ok", "title": "T", "url": "ftp://news.example/a"}),
            "url",
        ),
        (
            json!({"key": "ok", "title": "T", "url": "/relative/path"}),
            "url",
        ),
        (
            json!({"key": "ok", "title": "T", "comment_count": 5}),
            "comment_count",
        ),
        (json!({"key": "ok", "title": "T", "id": 1}), "id"),
        (json!({"key": "ok", "title": 5}), "title"),
        (json!({"key": 12, "title": "T"}), "key"),
        (
            json!({"key": "ok", "title": "T", "comments_open": "yes"}),
            "comments_open",
        ),
        (
            json!({"key": "ok", "title": "T", "moderation": "sometimes"}),
            "moderation",
        ),
        (json!({"title": "T"}), "key"),
        (json!({"key": "ok"}), "title"),
    ];
    for (body, field) in cases {
        let res = admin.post("/admin/articles", body.clone()).await;
        assert_eq!(res.status.as_u16(), 422, "{body} → {}", res.body);
        res.assert_field_error(field);
    }
    // Several problems at once are all named.
    let res = admin
        .post(
            "/admin/articles",
            json!({"key": "-x", "title": "", "url": "nope"}),
        )
        .await;
    for field in ["key", "title", "url"] {
        res.assert_field_error(field);
    }
    // Nothing was created.
    app.get("/articles/ok", None)
        .await
        .assert_error(404, "not_found");
    let list = admin.get("/admin/articles").await;
    assert_eq!(list.assert_status(200)["articles"], json!([]));
}

#[tokio::test]
async fn article_creation_refuses_bad_json_and_other_media_types() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    admin
        .send_raw(
            Method::POST,
            "/admin/articles",
            Some("application/json"),
            b"{\"key\": ".to_vec(),
        )
        .await
        .assert_error(400, "malformed_json");
    admin
        .send_raw(
            Method::POST,
            "/admin/articles",
            Some("text/plain"),
            b"key=a".to_vec(),
        )
        .await
        .assert_error(415, "unsupported_media_type");
}

#[tokio::test]
async fn only_admins_create_articles() {
    let (app, cast) = TestApp::with_cast().await;
    let body = json!({"key": "new", "title": "Nouveau"});
    app.post("/admin/articles", None, body.clone())
        .await
        .assert_error(401, "unauthenticated");
    app.post("/admin/articles", Some("not-a-token"), body.clone())
        .await
        .assert_error(401, "unauthenticated");
    // 401 comes before any look at the body.
    app.send_raw(
        Method::POST,
        "/admin/articles",
        None,
        Some("application/json"),
        b"{oops".to_vec(),
        &[],
    )
    .await
    .assert_error(401, "unauthenticated");
    for user in [&cast.reader, &cast.moderator] {
        let res = user.post("/admin/articles", body.clone()).await;
        res.assert_error(403, "forbidden");
    }
    app.get("/articles/new", None)
        .await
        .assert_error(404, "not_found");
    cast.admin
        .post("/admin/articles", body)
        .await
        .assert_status(201);
}

// ---------------------------------------------------------------------------
// GET /admin/articles
// ---------------------------------------------------------------------------

fn keys_of(page: &Value) -> Vec<String> {
    page["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["key"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn admin_article_list_pages_through_every_article_once() {
    let (_app, cast) = TestApp::with_cast().await;
    for key in ["b2", "c3", "d4", "e5"] {
        cast.admin.create_article(key, json!({})).await;
    }
    cast.reader.comment_id("c3", "un avis").await;

    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut path = "/admin/articles?limit=2".to_string();
    loop {
        let res = cast.admin.get(&path).await;
        let page = res.assert_status(200).clone();
        sizes.push(page["articles"].as_array().unwrap().len());
        for article in page["articles"].as_array().unwrap() {
            if article["key"] == "c3" {
                assert_eq!(
                    article,
                    &json!({"key": "c3", "title": "Article c3", "url": null, "comments_open": true,
                            "moderation": "post", "comment_count": 1})
                );
            }
        }
        seen.extend(keys_of(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                assert!(
                    cursor
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
                    "cursor alphabet: {cursor}"
                );
                path = format!("/admin/articles?limit=2&cursor={cursor}");
            }
            None => {
                assert_eq!(page["next_cursor"], Value::Null);
                break;
            }
        }
        assert!(sizes.len() <= 3, "too many pages: {seen:?}");
    }
    assert_eq!(sizes, vec![2, 2, 1]);
    assert_eq!(seen, vec!["a1", "b2", "c3", "d4", "e5"]);
    let unique: HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), 5);

    // Default limit (50): everything on one page.
    let all = cast.admin.get("/admin/articles").await;
    let all = all.assert_status(200);
    assert_eq!(keys_of(all), vec!["a1", "b2", "c3", "d4", "e5"]);
    assert_eq!(all["next_cursor"], Value::Null);
    // A page exactly as long as what is left has no next page.
    let exact = cast.admin.get("/admin/articles?limit=5").await;
    assert_eq!(exact.assert_status(200)["next_cursor"], Value::Null);
}

#[tokio::test]
async fn admin_article_list_refuses_bad_cursor_and_limit() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for cursor in ["garbage", "!!!", "abc", "MTI"] {
        admin
            .get(&format!("/admin/articles?cursor={cursor}"))
            .await
            .assert_error(400, "invalid_cursor");
    }
    admin
        .get("/admin/articles?cursor=")
        .await
        .assert_error(400, "invalid_cursor");
    for limit in ["0", "201", "abc", "-1", "1.5", ""] {
        admin
            .get(&format!("/admin/articles?limit={limit}"))
            .await
            .assert_field_error("limit");
    }
    for limit in ["1", "200"] {
        admin
            .get(&format!("/admin/articles?limit={limit}"))
            .await
            .assert_status(200);
    }
}

#[tokio::test]
async fn only_admins_list_articles() {
    let (app, cast) = TestApp::with_cast().await;
    app.get("/admin/articles", None)
        .await
        .assert_error(401, "unauthenticated");
    app.get("/admin/articles", Some("nope"))
        .await
        .assert_error(401, "unauthenticated");
    cast.reader
        .get("/admin/articles")
        .await
        .assert_error(403, "forbidden");
    cast.moderator
        .get("/admin/articles")
        .await
        .assert_error(403, "forbidden");
    let res = cast.admin.get("/admin/articles").await;
    assert_eq!(keys_of(res.assert_status(200)), vec!["a1"]);
}

// ---------------------------------------------------------------------------
// PATCH /admin/articles/{key}
// ---------------------------------------------------------------------------

#[tokio::test]
async fn admin_updates_each_article_field() {
    let (app, cast) = TestApp::with_cast().await;
    let token = Some(cast.admin.token.as_str());

    let res = app
        .patch(
            "/admin/articles/a1",
            token,
            json!({"title": "  Nouveau titre "}),
        )
        .await;
    assert_eq!(
        res.assert_status(200),
        &json!({"key": "a1", "title": "Nouveau titre", "url": null, "comments_open": true,
                "moderation": "post", "comment_count": 0})
    );
    let res = app
        .patch(
            "/admin/articles/a1",
            token,
            json!({"url": "https://news.example/a1"}),
        )
        .await;
    assert_eq!(res.assert_status(200)["url"], "https://news.example/a1");
    let res = app
        .patch("/admin/articles/a1", token, json!({"comments_open": false}))
        .await;
    assert_eq!(res.assert_status(200)["comments_open"], false);
    let res = app
        .patch("/admin/articles/a1", token, json!({"moderation": "pre"}))
        .await;
    assert_eq!(
        res.assert_status(200),
        &json!({"key": "a1", "title": "Nouveau titre", "url": "https://news.example/a1",
                "comments_open": false, "moderation": "pre", "comment_count": 0})
    );
    // The changes are kept.
    let read = app.get("/articles/a1", None).await;
    assert_eq!(read.assert_status(200), &res.body);

    // `null` clears the url and sends moderation back to the site default.
    let res = app
        .patch(
            "/admin/articles/a1",
            token,
            json!({"url": null, "moderation": null, "comments_open": true}),
        )
        .await;
    assert_eq!(
        res.assert_status(200),
        &json!({"key": "a1", "title": "Nouveau titre", "url": null, "comments_open": true,
                "moderation": "post", "comment_count": 0})
    );
    // ... and follows that default when it changes.
    app.set_settings(|s| s.default_moderation = tribune::domain::ModerationMode::Pre);
    let read = app.get("/articles/a1", None).await;
    assert_eq!(read.assert_status(200)["moderation"], "pre");
    // An explicit "post" now differs from the default and sticks.
    let res = app
        .patch("/admin/articles/a1", token, json!({"moderation": "post"}))
        .await;
    assert_eq!(res.assert_status(200)["moderation"], "post");
}

#[tokio::test]
async fn empty_article_update_changes_nothing() {
    let (app, cast) = TestApp::with_cast().await;
    let token = Some(cast.admin.token.as_str());
    let before = app
        .get("/articles/a1", None)
        .await
        .assert_status(200)
        .clone();
    let res = app.patch("/admin/articles/a1", token, json!({})).await;
    assert_eq!(res.assert_status(200), &before);
    // No body at all, with or without a content type.
    let res = app
        .send_raw(
            Method::PATCH,
            "/admin/articles/a1",
            token,
            None,
            vec![],
            &[],
        )
        .await;
    assert_eq!(res.assert_status(200), &before);
    let res = app
        .send_raw(
            Method::PATCH,
            "/admin/articles/a1",
            token,
            Some("application/json"),
            vec![],
            &[],
        )
        .await;
    assert_eq!(res.assert_status(200), &before);
    assert_eq!(
        app.get("/articles/a1", None).await.assert_status(200),
        &before
    );
}

#[tokio::test]
async fn article_update_checks_values_and_404s_unknown_keys() {
    let (app, cast) = TestApp::with_cast().await;
    let token = Some(cast.admin.token.as_str());
    let cases = [
        (json!({"title": ""}), "title"),
        (json!({"title": "  "}), "title"),
        (json!({"title": 3}), "title"),
        (json!({"url": "nope"}), "url"),
        (json!({"url": "javascript:alert(1)"}), "url"),
        (json!({"comments_open": "no"}), "comments_open"),
        (json!({"moderation": "never"}), "moderation"),
        (json!({"key": "renamed"}), "key"),
        (json!({"comment_count": 0}), "comment_count"),
    ];
    for (body, field) in cases {
        let res = app.patch("/admin/articles/a1", token, body.clone()).await;
        assert_eq!(res.status.as_u16(), 422, "{body} → {}", res.body);
        res.assert_field_error(field);
    }
    // Nothing changed on the way.
    assert_eq!(
        app.get("/articles/a1", None).await.assert_status(200),
        &json!({"key": "a1", "title": "Article a1", "url": null, "comments_open": true,
                "moderation": "post", "comment_count": 0})
    );
    for path in [
        "/admin/articles/nope",
        "/admin/articles/-bad",
        "/admin/articles/a%20b",
    ] {
        app.patch(path, token, json!({"title": "X"}))
            .await
            .assert_error(404, "not_found");
    }
    app.send_raw(
        Method::PATCH,
        "/admin/articles/a1",
        token,
        Some("application/json"),
        b"{\"title\"".to_vec(),
        &[],
    )
    .await
    .assert_error(400, "malformed_json");
    app.send_raw(
        Method::PATCH,
        "/admin/articles/a1",
        token,
        Some("text/plain"),
        b"title".to_vec(),
        &[],
    )
    .await
    .assert_error(415, "unsupported_media_type");
}

#[tokio::test]
async fn only_admins_update_articles() {
    let (app, cast) = TestApp::with_cast().await;
    let body = json!({"comments_open": false});
    app.patch("/admin/articles/a1", None, body.clone())
        .await
        .assert_error(401, "unauthenticated");
    for user in [&cast.reader, &cast.moderator] {
        let res = user.patch("/admin/articles/a1", body.clone()).await;
        res.assert_error(403, "forbidden");
    }
    let read = app.get("/articles/a1", None).await;
    assert_eq!(read.assert_status(200)["comments_open"], true);
    let res = cast.admin.patch("/admin/articles/a1", body).await;
    assert_eq!(res.assert_status(200)["comments_open"], false);
}

// ---------------------------------------------------------------------------
// PATCH /admin/users/{id}
// ---------------------------------------------------------------------------

#[tokio::test]
async fn admin_promotes_and_demotes_users() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let nadia = app.register("nadia").await;

    let res = admin.set_role(nadia.id, "moderator").await;
    let body = res.assert_status(200);
    assert_eq!(body["id"], nadia.id);
    assert_eq!(body["username"], "nadia");
    assert_eq!(body["email"], "nadia@example.com");
    assert_eq!(body["role"], "moderator");
    assert_eq!(body["status"], "active");
    assert_eq!(body["banned_until"], Value::Null);
    assert!(body["created_at"].as_str().unwrap().ends_with('Z'));
    let me = nadia.get("/me").await;
    assert_eq!(me.assert_status(200)["role"], "moderator");

    // Promoted to admin, the account can use admin routes at once.
    let res = admin.set_role(nadia.id, "admin").await;
    assert_eq!(res.assert_status(200)["role"], "admin");
    nadia.get("/admin/articles").await.assert_status(200);

    // And demoted again, it cannot.
    let res = admin.set_role(nadia.id, "reader").await;
    assert_eq!(res.assert_status(200)["role"], "reader");
    nadia
        .get("/admin/articles")
        .await
        .assert_error(403, "forbidden");
    assert_eq!(nadia.get("/me").await.assert_status(200)["role"], "reader");

    // Setting the role it already has is fine.
    let res = admin.set_role(nadia.id, "reader").await;
    assert_eq!(res.assert_status(200)["role"], "reader");
}

#[tokio::test]
async fn the_last_admin_cannot_be_demoted() {
    let app = TestApp::spawn().await;
    let chef = app.admin().await;
    for role in ["reader", "moderator"] {
        chef.patch(&format!("/admin/users/{}", chef.id), json!({"role": role}))
            .await
            .assert_error(409, "conflict");
    }
    assert_eq!(chef.get("/me").await.assert_status(200)["role"], "admin");
    // Re-stating admin on the last admin is no conflict.
    chef.set_role(chef.id, "admin").await.assert_status(200);

    // With a second admin, the first may go; then the second is the last.
    let second = app.admin_named("chef2").await;
    let res = second.set_role(chef.id, "moderator").await;
    assert_eq!(res.assert_status(200)["role"], "moderator");
    second
        .set_role(second.id, "reader")
        .await
        .assert_error(409, "conflict");
}

#[tokio::test]
async fn role_change_404s_unknown_ids_and_checks_the_role() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let nadia = app.register("nadia").await;
    let token = Some(admin.token.as_str());
    for id in ["999999", "abc", "0", "-1", "+1", "1.0"] {
        app.patch(
            &format!("/admin/users/{id}"),
            token,
            json!({"role": "moderator"}),
        )
        .await
        .assert_error(404, "not_found");
    }
    let path = format!("/admin/users/{}", nadia.id);
    let cases = [
        (json!({"role": "superuser"}), "role"),
        (json!({"role": "Admin"}), "role"),
        (json!({}), "role"),
        (
            json!({"role": "moderator", "email": "x@example.com"}),
            "email",
        ),
    ];
    for (body, field) in cases {
        let res = app.patch(&path, token, body.clone()).await;
        assert_eq!(res.status.as_u16(), 422, "{body} → {}", res.body);
        res.assert_field_error(field);
    }
    assert_eq!(nadia.get("/me").await.assert_status(200)["role"], "reader");
}

/// serde_json reports a number where an enum's string is expected as a
/// syntax error, and `http::decode` maps it to 400 instead of 422.
#[tokio::test]
async fn a_number_for_an_enumerated_field_is_a_validation_error() {
    let (app, cast) = TestApp::with_cast().await;
    let token = Some(cast.admin.token.as_str());
    app.post(
        "/admin/articles",
        token,
        json!({"key": "ok", "title": "T", "moderation": 1}),
    )
    .await
    .assert_field_error("moderation");
    app.patch("/admin/articles/a1", token, json!({"moderation": ["pre"]}))
        .await
        .assert_field_error("moderation");
    app.patch(
        &format!("/admin/users/{}", cast.reader.id),
        token,
        json!({"role": 1}),
    )
    .await
    .assert_field_error("role");
    app.patch(
        &format!("/admin/users/{}", cast.reader.id),
        token,
        json!({"role": null}),
    )
    .await
    .assert_field_error("role");
}

#[tokio::test]
async fn only_admins_change_roles() {
    let (app, cast) = TestApp::with_cast().await;
    let path = format!("/admin/users/{}", cast.other.id);
    let body = json!({"role": "moderator"});
    app.patch(&path, None, body.clone())
        .await
        .assert_error(401, "unauthenticated");
    for user in [&cast.reader, &cast.moderator] {
        let res = user.patch(&path, body.clone()).await;
        res.assert_error(403, "forbidden");
        // Nobody below admin promotes themselves.
        let own = format!("/admin/users/{}", user.id);
        let res = user.patch(&own, json!({"role": "admin"})).await;
        res.assert_error(403, "forbidden");
    }
    assert_eq!(
        cast.other.get("/me").await.assert_status(200)["role"],
        "reader"
    );
    assert_eq!(
        cast.moderator.get("/me").await.assert_status(200)["role"],
        "moderator"
    );
    let res = cast.admin.patch(&path, body).await;
    assert_eq!(res.assert_status(200)["role"], "moderator");
}

/// On `a1`: two approved comments and one its author deleted; on the
/// pre-moderated `pre`: a reader's pending comment and one by `staff`, approved.
async fn comments_of_every_kind(cast: &Cast, pre: &str, staff: &User) {
    cast.reader.comment_id("a1", "premier avis").await;
    cast.other.comment_id("a1", "second avis").await;
    let gone = cast.other.comment_id("a1", "troisième avis").await;
    cast.other
        .delete(&format!("/comments/{gone}"))
        .await
        .assert_status(204);
    let held = cast.reader.comment(pre, "en attente").await;
    assert_eq!(held.assert_status(201)["status"], "pending");
    let published = staff.comment(pre, "publié par l'équipe").await;
    assert_eq!(published.assert_status(201)["status"], "approved");
}

// ---------------------------------------------------------------------------
// GET /counts
// ---------------------------------------------------------------------------

#[tokio::test]
async fn counts_name_every_key_and_count_approved_comments_only() {
    let (app, cast) = TestApp::with_cast().await;
    let pre = json!({"moderation": "pre"});
    cast.admin.create_article("a2", pre).await;
    comments_of_every_kind(&cast, "a2", &cast.moderator).await;

    let res = app.get("/counts?articles=a1,a2,unknown", None).await;
    assert_eq!(
        res.assert_status(200),
        &json!({"counts": {"a1": 2, "a2": 1, "unknown": 0}})
    );
    // The author of the pending comment gets the same public count.
    let res = cast.reader.get("/counts?articles=a2").await;
    assert_eq!(res.assert_status(200), &json!({"counts": {"a2": 1}}));
    // A key asked twice appears once.
    let res = app.get("/counts?articles=a1,a1", None).await;
    assert_eq!(res.assert_status(200), &json!({"counts": {"a1": 2}}));
}

#[tokio::test]
async fn counts_take_at_most_100_well_formed_keys() {
    let app = TestApp::spawn().await;
    let hundred: Vec<String> = (0..100).map(|i| format!("k{i}")).collect();
    let res = app
        .get(&format!("/counts?articles={}", hundred.join(",")), None)
        .await;
    let counts = res.assert_status(200)["counts"]
        .as_object()
        .unwrap()
        .clone();
    assert_eq!(counts.len(), 100);
    assert!(counts.values().all(|n| n == &json!(0)));

    let too_many: Vec<String> = (0..101).map(|i| format!("k{i}")).collect();
    app.get(&format!("/counts?articles={}", too_many.join(",")), None)
        .await
        .assert_field_error("articles");
    for query in [
        "articles=a1,-bad",
        "articles=a%20b",
        "articles=",
        "articles=a1,,a2",
        "articles=%C3%A9",
    ] {
        app.get(&format!("/counts?{query}"), None)
            .await
            .assert_field_error("articles");
    }
    app.get("/counts", None)
        .await
        .assert_field_error("articles");
    app.get("/counts?article=a1", None)
        .await
        .assert_field_error("articles");
}

// ---------------------------------------------------------------------------
// Articles created on the fly
// ---------------------------------------------------------------------------

#[tokio::test]
async fn posting_to_an_unknown_article_is_404_while_auto_create_is_off() {
    let (app, cast) = TestApp::with_cast().await;
    cast.reader
        .comment("nouvel-article", "premier !")
        .await
        .assert_error(404, "not_found");
    cast.admin
        .comment("nouvel-article", "premier !")
        .await
        .assert_error(404, "not_found");
    app.get("/articles/nouvel-article", None)
        .await
        .assert_error(404, "not_found");
    let list = cast.admin.get("/admin/articles").await;
    assert_eq!(keys_of(list.assert_status(200)), vec!["a1"]);
}
