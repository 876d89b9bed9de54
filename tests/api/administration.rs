//! Administration: who may call what, settings, word lists, users, stats,
//! and the log written with every change.

use crate::helpers::*;

use reqwest::Method;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Who may call what
// ---------------------------------------------------------------------------

/// Every /mod and /admin route but the articles ones: (method, path, body, is_admin_route).
fn staff_routes(
    comment: i64,
    target: i64,
    word: i64,
) -> Vec<(Method, String, Option<Value>, bool)> {
    vec![
        (Method::GET, "/mod/queue".into(), None, false),
        (
            Method::POST,
            format!("/mod/comments/{comment}/approve"),
            None,
            false,
        ),
        (
            Method::POST,
            format!("/mod/comments/{comment}/reject"),
            Some(json!({"reason": "r"})),
            false,
        ),
        (
            Method::POST,
            format!("/mod/comments/{comment}/delete"),
            None,
            false,
        ),
        (
            Method::POST,
            format!("/mod/comments/{comment}/restore"),
            None,
            false,
        ),
        (
            Method::POST,
            "/mod/bulk".into(),
            Some(json!({"action": "approve", "ids": [comment]})),
            false,
        ),
        (Method::GET, format!("/mod/users/{target}"), None, false),
        (
            Method::POST,
            format!("/mod/users/{target}/ban"),
            Some(json!({"reason": "r"})),
            false,
        ),
        (
            Method::POST,
            format!("/mod/users/{target}/unban"),
            None,
            false,
        ),
        (Method::GET, "/mod/log".into(), None, false),
        (Method::GET, "/admin/users".into(), None, true),
        (
            Method::PATCH,
            format!("/admin/users/{target}"),
            Some(json!({"role": "reader"})),
            true,
        ),
        (Method::GET, "/admin/settings".into(), None, true),
        (
            Method::PATCH,
            "/admin/settings".into(),
            Some(json!({"max_links": 2})),
            true,
        ),
        (Method::GET, "/admin/words".into(), None, true),
        (
            Method::POST,
            "/admin/words".into(),
            Some(json!({"pattern": "matrice", "kind": "suspect"})),
            true,
        ),
        (Method::DELETE, format!("/admin/words/{word}"), None, true),
        (Method::GET, "/admin/stats".into(), None, true),
    ]
}

#[tokio::test]
async fn every_staff_route_checks_the_callers_role() {
    let (app, cast) = TestApp::with_cast().await;
    let comment = cast.reader.comment_id("a1", "Un avis").await;
    let word = cast.admin.add_word("cible", "banned").await;
    let word = word.assert_status(201)["id"].as_i64().unwrap();
    let routes = staff_routes(comment, cast.other.id, word);

    for (method, path, body, _) in &routes {
        let res = app.send(method.clone(), path, None, body.clone()).await;
        res.assert_error(401, "unauthenticated");
        let res = app
            .send(method.clone(), path, Some("made-up-token"), body.clone())
            .await;
        res.assert_error(401, "unauthenticated");
        let res = cast.reader.send(method.clone(), path, body.clone()).await;
        res.assert_error(403, "forbidden");
    }
    for (method, path, body, admin_only) in &routes {
        let res = cast
            .moderator
            .send(method.clone(), path, body.clone())
            .await;
        if *admin_only {
            res.assert_error(403, "forbidden");
        } else {
            assert!(
                res.status.is_success(),
                "moderator on {method} {path}: {}",
                res.body
            );
        }
    }
    for (method, path, body, _) in &routes {
        let res = cast.admin.send(method.clone(), path, body.clone()).await;
        assert!(
            res.status.is_success(),
            "admin on {method} {path}: {}",
            res.body
        );
    }
    // A promoted reader gets the moderation routes at once, a demoted one loses them.
    cast.admin
        .set_role(cast.reader.id, "moderator")
        .await
        .assert_status(200);
    cast.reader.get("/mod/queue").await.assert_status(200);
    cast.reader
        .get("/admin/stats")
        .await
        .assert_error(403, "forbidden");
    cast.admin
        .set_role(cast.moderator.id, "reader")
        .await
        .assert_status(200);
    cast.moderator
        .get("/mod/queue")
        .await
        .assert_error(403, "forbidden");
}

// ---------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------

#[tokio::test]
async fn settings_start_with_the_documented_defaults() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let res = admin.get("/admin/settings").await;
    assert_eq!(
        res.assert_status(200),
        &json!({
            "default_moderation": "post",
            "edit_window_minutes": 15,
            "report_threshold": 3,
            "trusted_after": 3,
            "max_links": 2,
            "auto_create_articles": false
        })
    );
}

#[tokio::test]
async fn settings_changes_are_validated_and_logged() {
    let (app, cast) = TestApp::with_cast().await;
    let token = Some(cast.admin.token.as_str());
    let before = cast.admin.log_entries().await.len();
    let cases = [
        (json!({"report_threshold": 0}), "report_threshold"),
        (json!({"edit_window_minutes": -1}), "edit_window_minutes"),
        (json!({"trusted_after": -1}), "trusted_after"),
        (json!({"max_links": -1}), "max_links"),
        (json!({"unknown": 1}), "unknown"),
        (json!({"default_moderation": "x"}), "default_moderation"),
        (json!({"default_moderation": "PRE"}), "default_moderation"),
        (json!({"max_links": "2"}), "max_links"),
        (json!({"trusted_after": 1.5}), "trusted_after"),
        (
            json!({"auto_create_articles": "yes"}),
            "auto_create_articles",
        ),
        (
            json!({"max_links": 3, "report_threshold": 0}),
            "report_threshold",
        ),
    ];
    for (body, field) in cases {
        app.patch("/admin/settings", token, body)
            .await
            .assert_field_error(field);
    }
    // Several problems are reported together.
    let res = app
        .patch(
            "/admin/settings",
            token,
            json!({"report_threshold": 0, "edit_window_minutes": -1}),
        )
        .await;
    res.assert_field_error("report_threshold");
    res.assert_field_error("edit_window_minutes");
    // Nothing changed, nothing logged.
    let now = app.get("/admin/settings", token).await;
    assert_eq!(now.assert_status(200)["max_links"], 2);
    assert_eq!(now.body["report_threshold"], 3);
    assert_eq!(cast.admin.log_entries().await.len(), before);

    let res = app
        .patch(
            "/admin/settings",
            token,
            json!({"report_threshold": 5, "max_links": 4, "edit_window_minutes": 0, "trusted_after": 0}),
        )
        .await;
    let expected = json!({
        "default_moderation": "post",
        "edit_window_minutes": 0,
        "report_threshold": 5,
        "trusted_after": 0,
        "max_links": 4,
        "auto_create_articles": false
    });
    assert_eq!(res.assert_status(200), &expected);
    assert_eq!(
        app.get("/admin/settings", token).await.assert_status(200),
        &expected
    );
    let entries = cast.admin.log_entries().await;
    assert_eq!(entries.len(), before + 1, "exactly one row per change");
    let entry = &entries[0];
    assert_eq!(entry["action"], "settings_change");
    assert_eq!(entry["target_type"], "settings");
    assert_eq!(entry["target_id"], Value::Null);
    assert_eq!(entry["actor"]["id"], cast.admin.id);
    // Moderators read the log but do not change settings.
    cast.moderator
        .patch("/admin/settings", json!({"max_links": 9}))
        .await
        .assert_error(403, "forbidden");
}

#[tokio::test]
async fn auto_create_articles_lets_a_comment_create_its_article() {
    let (app, cast) = TestApp::with_cast().await;
    cast.reader
        .comment("breve-42", "Premier !")
        .await
        .assert_error(404, "not_found");
    app.get("/articles/breve-42", None)
        .await
        .assert_error(404, "not_found");
    let res = cast
        .admin
        .patch("/admin/settings", json!({"auto_create_articles": true}))
        .await;
    assert_eq!(res.assert_status(200)["auto_create_articles"], true);
    let res = cast.reader.comment("breve-42", "Premier !").await;
    let body = res.assert_status(201);
    assert_eq!(body["article"], "breve-42");
    assert_eq!(body["status"], "approved");
    let article = app.get("/articles/breve-42", None).await;
    let article = article.assert_status(200);
    assert_eq!(article["key"], "breve-42");
    assert_eq!(article["title"], "breve-42", "titled by its key");
    assert_eq!(article["comments_open"], true);
    assert_eq!(article["moderation"], "post");
    assert_eq!(article["comment_count"], 1);
    // A second comment goes to the same article.
    cast.other
        .comment("breve-42", "Second")
        .await
        .assert_status(201);
    assert_eq!(app.thread("breve-42", None).await.len(), 2);
    // Turned off again, unknown keys are unknown again.
    cast.admin
        .patch("/admin/settings", json!({"auto_create_articles": false}))
        .await
        .assert_status(200);
    cast.reader
        .comment("breve-43", "Premier !")
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn default_moderation_applies_to_articles_without_their_own_mode() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin
        .create_article("libre", json!({"moderation": "post"}))
        .await;
    let res = cast
        .admin
        .patch("/admin/settings", json!({"default_moderation": "pre"}))
        .await;
    assert_eq!(res.assert_status(200)["default_moderation"], "pre");
    let a1 = app.get("/articles/a1", None).await;
    assert_eq!(a1.assert_status(200)["moderation"], "pre");
    let libre = app.get("/articles/libre", None).await;
    assert_eq!(libre.assert_status(200)["moderation"], "post");
    let res = cast.reader.comment("a1", "En attente ?").await;
    assert_eq!(res.assert_status(201)["status"], "pending");
    let id = res.body["id"].as_i64().unwrap();
    let page = cast.moderator.queue("").await;
    assert_eq!(page["items"][0]["comment"]["id"], id);
    assert_eq!(page["items"][0]["reasons"], json!(["premoderation"]));
    let res = cast.reader.comment("libre", "Publié").await;
    assert_eq!(res.assert_status(201)["status"], "approved");

    cast.admin
        .patch("/admin/settings", json!({"default_moderation": "post"}))
        .await
        .assert_status(200);
    let a1 = app.get("/articles/a1", None).await;
    assert_eq!(a1.assert_status(200)["moderation"], "post");
    let res = cast.reader.comment("a1", "Publié maintenant").await;
    assert_eq!(res.assert_status(201)["status"], "approved");
}

// ---------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------

#[tokio::test]
async fn words_are_listed_added_and_removed() {
    let (app, cast) = TestApp::with_cast().await;
    let token = Some(cast.admin.token.as_str());
    let list = app.get("/admin/words", token).await;
    assert_eq!(list.assert_status(200), &json!({"words": []}));

    let res = cast.admin.add_word("connard", "banned").await;
    let banned = res.assert_status(201).clone();
    assert_eq!(banned.as_object().unwrap().len(), 4, "{banned}");
    assert!(banned["id"].as_i64().unwrap() > 0);
    assert_eq!(banned["pattern"], "connard");
    assert_eq!(banned["kind"], "banned");
    assert!(banned["created_at"].as_str().unwrap().ends_with('Z'));
    // The same folded pattern of the same kind exists only once...
    for same in [
        "connard",
        "Connard",
        "CONNARD",
        "cónnard",
        "  connard  ",
        "connnnard",
    ] {
        cast.admin
            .add_word(same, "banned")
            .await
            .assert_error(409, "conflict");
    }
    // ...but may exist with the other kind.
    let res = cast.admin.add_word("Connard", "suspect").await;
    let suspect = res.assert_status(201).clone();
    assert_eq!(suspect["kind"], "suspect");
    cast.admin
        .add_words(&[("encul*", "banned"), ("حمار", "banned")])
        .await;

    let list = app.get("/admin/words", token).await;
    let words = list.assert_status(200)["words"].as_array().unwrap().clone();
    assert_eq!(words.len(), 4);
    assert_eq!(words[0], banned);
    assert_eq!(words[1], suspect);
    assert_eq!(words[3]["pattern"], "حمار");

    // A prefix pattern catches the word's family.
    let res = cast.reader.comment("a1", "Bande d'enculés").await;
    assert_eq!(res.assert_status(201)["status"], "rejected");

    // Removing the banned entry leaves the suspect one in force.
    let id = banned["id"].as_i64().unwrap();
    app.delete(&format!("/admin/words/{id}"), token)
        .await
        .assert_status(204);
    app.delete(&format!("/admin/words/{id}"), token)
        .await
        .assert_error(404, "not_found");
    let res = cast.reader.comment("a1", "Quel connard").await;
    assert_eq!(res.assert_status(201)["status"], "pending");
    let sid = suspect["id"].as_i64().unwrap();
    app.delete(&format!("/admin/words/{sid}"), token)
        .await
        .assert_status(204);
    let res = cast.reader.comment("a1", "Quel connard, vraiment").await;
    assert_eq!(res.assert_status(201)["status"], "approved");
    for bad in ["0", "abc", "999999"] {
        app.delete(&format!("/admin/words/{bad}"), token)
            .await
            .assert_error(404, "not_found");
    }
    // It can come back after removal.
    cast.admin
        .add_word("connard", "banned")
        .await
        .assert_status(201);

    let entries = cast.admin.log_entries().await;
    let word_rows: Vec<&Value> = entries
        .iter()
        .filter(|e| e["target_type"] == "word")
        .collect();
    let actions: Vec<&str> = word_rows
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        vec![
            "word_add",
            "word_remove",
            "word_remove",
            "word_add",
            "word_add",
            "word_add",
            "word_add"
        ]
    );
    assert_eq!(word_rows[2]["target_id"], id.to_string());
    assert_eq!(word_rows[1]["target_id"], sid.to_string());
}

#[tokio::test]
async fn a_word_needs_a_matchable_pattern_and_a_known_kind() {
    let (app, cast) = TestApp::with_cast().await;
    let token = Some(cast.admin.token.as_str());
    let cases = [
        (json!({"pattern": "", "kind": "banned"}), "pattern"),
        (json!({"pattern": "   ", "kind": "banned"}), "pattern"),
        (json!({"pattern": "!!!", "kind": "banned"}), "pattern"),
        (json!({"pattern": "...", "kind": "suspect"}), "pattern"),
        (json!({"pattern": "*", "kind": "suspect"}), "pattern"),
        (
            json!({"pattern": "x".repeat(101), "kind": "banned"}),
            "pattern",
        ),
        (json!({"pattern": 5, "kind": "banned"}), "pattern"),
        (json!({"kind": "banned"}), "pattern"),
        (json!({"pattern": "mot", "kind": "forbidden"}), "kind"),
        (json!({"pattern": "mot", "kind": "Banned"}), "kind"),
        (json!({"pattern": "mot"}), "kind"),
        (json!({"pattern": "mot", "kind": "banned", "id": 3}), "id"),
    ];
    for (body, field) in cases {
        app.post("/admin/words", token, body)
            .await
            .assert_field_error(field);
    }
    let list = app.get("/admin/words", token).await;
    assert_eq!(list.assert_status(200)["words"], json!([]));
    assert!(cast
        .admin
        .log_entries()
        .await
        .iter()
        .all(|e| e["target_type"] != "word"));
}

// ---------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------

fn usernames(body: &Value) -> Vec<String> {
    body["users"]
        .as_array()
        .expect("users")
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn admins_find_users_by_fragment_and_role() {
    let (app, cast) = TestApp::with_cast().await;
    let token = Some(cast.admin.token.as_str());
    let res = app.get("/admin/users?q=nad", token).await;
    let body = res.assert_status(200);
    assert_eq!(usernames(body), vec!["nadia"]);
    let nadia = &body["users"][0];
    assert_eq!(nadia["id"], cast.reader.id);
    assert_eq!(
        nadia["email"], "nadia@example.com",
        "admins see the Me view"
    );
    assert_eq!(nadia["role"], "reader");
    assert_eq!(nadia["status"], "active");
    assert_eq!(body["next_cursor"], Value::Null);

    let by_email = app.get("/admin/users?q=karim%40example", token).await;
    assert_eq!(usernames(by_email.assert_status(200)), vec!["karim"]);
    let upper = app.get("/admin/users?q=NAD", token).await;
    assert_eq!(usernames(upper.assert_status(200)), vec!["nadia"]);
    let none = app.get("/admin/users?q=zzz", token).await;
    assert_eq!(usernames(none.assert_status(200)), Vec::<String>::new());
    let wildcard = app.get("/admin/users?q=%25", token).await;
    assert_eq!(
        usernames(wildcard.assert_status(200)),
        Vec::<String>::new(),
        "% is not a wildcard"
    );
    let mods = app.get("/admin/users?role=moderator", token).await;
    assert_eq!(usernames(mods.assert_status(200)), vec!["modo"]);
    let admins = app.get("/admin/users?role=admin", token).await;
    assert_eq!(usernames(admins.assert_status(200)), vec!["chef"]);
    let readers = app.get("/admin/users?role=reader&q=a", token).await;
    assert_eq!(
        usernames(readers.assert_status(200)),
        vec!["nadia", "karim"]
    );

    app.get("/admin/users?role=bogus", token)
        .await
        .assert_field_error("role");
    app.get(&format!("/admin/users?q={}", "a".repeat(101)), token)
        .await
        .assert_field_error("q");
    app.get("/admin/users?limit=0", token)
        .await
        .assert_field_error("limit");
    app.get("/admin/users?cursor=!!", token)
        .await
        .assert_error(400, "invalid_cursor");

    // A ban shows in the list.
    cast.moderator
        .ban(cast.other.id, json!({"reason": "r"}))
        .await
        .assert_status(200);
    let res = app.get("/admin/users?q=karim", token).await;
    assert_eq!(res.assert_status(200)["users"][0]["status"], "banned");
}

#[tokio::test]
async fn the_user_list_pages_with_a_cursor() {
    let (app, cast) = TestApp::with_cast().await;
    for name in ["lina", "omar", "sami"] {
        app.register(name).await;
    }
    let mut seen = Vec::new();
    let mut path = "/admin/users?limit=3".to_string();
    let mut pages = 0;
    loop {
        let res = cast.admin.get(&path).await;
        let body = res.assert_status(200).clone();
        let page = usernames(&body);
        assert!(page.len() <= 3);
        seen.extend(page);
        pages += 1;
        match body["next_cursor"].as_str() {
            Some(c) => path = format!("/admin/users?limit=3&cursor={c}"),
            None => break,
        }
        assert!(pages < 10);
    }
    assert_eq!(
        seen,
        vec!["chef", "modo", "nadia", "karim", "lina", "omar", "sami"]
    );
    assert_eq!(pages, 3);
}

#[tokio::test]
async fn role_changes_are_checked_and_logged() {
    let (app, cast) = TestApp::with_cast().await;
    let token = Some(cast.admin.token.as_str());
    let res = app
        .patch(
            &format!("/admin/users/{}", cast.other.id),
            token,
            json!({"role": "moderator"}),
        )
        .await;
    let body = res.assert_status(200);
    assert_eq!(body["id"], cast.other.id);
    assert_eq!(body["role"], "moderator");
    assert_eq!(body["email"], "karim@example.com");
    let entry = &cast.admin.log_entries().await[0];
    assert_eq!(entry["action"], "role_change");
    assert_eq!(entry["target_type"], "user");
    assert_eq!(entry["target_id"], cast.other.id.to_string());
    assert_eq!(entry["actor"]["username"], "chef");
    cast.other.get("/mod/log").await.assert_status(200);

    let before = cast.admin.log_entries().await.len();
    let path = format!("/admin/users/{}", cast.other.id);
    app.patch(&path, token, json!({"role": "owner"}))
        .await
        .assert_field_error("role");
    app.patch(&path, token, json!({}))
        .await
        .assert_field_error("role");
    app.patch(&path, token, json!({"role": "admin", "status": "banned"}))
        .await
        .assert_field_error("status");
    app.patch("/admin/users/999999", token, json!({"role": "reader"}))
        .await
        .assert_error(404, "not_found");
    app.patch("/admin/users/abc", token, json!({"role": "reader"}))
        .await
        .assert_error(404, "not_found");
    // The last admin cannot be demoted.
    app.patch(
        &format!("/admin/users/{}", cast.admin.id),
        token,
        json!({"role": "moderator"}),
    )
    .await
    .assert_error(409, "conflict");
    let me = app.get("/me", token).await;
    assert_eq!(me.assert_status(200)["role"], "admin");
    assert_eq!(cast.admin.log_entries().await.len(), before);

    // With a second admin, one may step down.
    let second = app.admin_named("chef2").await;
    let res = second.set_role(cast.admin.id, "reader").await;
    assert_eq!(res.assert_status(200)["role"], "reader");
    app.get("/admin/stats", token)
        .await
        .assert_error(403, "forbidden");
}

// ---------------------------------------------------------------------------
// Stats
// ---------------------------------------------------------------------------

#[tokio::test]
async fn stats_count_comments_users_articles_and_the_last_day() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let empty = admin.get("/admin/stats").await;
    assert_eq!(
        empty.assert_status(200),
        &json!({
            "comments": {"approved": 0, "pending": 0, "rejected": 0, "deleted": 0},
            "users": {"total": 1, "banned": 0},
            "articles": 0,
            "last_24h": {"comments": 0, "reports": 0}
        })
    );

    let modo = app.moderator(&admin, "modo").await;
    let nadia = app.register("nadia").await;
    let karim = app.register("karim").await;
    admin.create_article("a1", json!({})).await;
    admin.create_premoderated("pre").await;
    let c1 = nadia.comment_id("a1", "un").await;
    let c2 = nadia.comment_id("a1", "deux").await;
    nadia.comment_id("a1", "trois").await;
    modo.decide(c2, "delete", None).await.assert_status(200);
    let k1 = karim.comment_id("a1", "quatre").await;
    modo.decide(k1, "reject", None).await.assert_status(200);
    let k2 = karim.comment("pre", "cinq").await;
    assert_eq!(k2.assert_status(201)["status"], "pending");
    karim.report(c1, "spam").await.assert_status(201);
    modo.report(c1, "other").await.assert_status(201);
    modo.ban(karim.id, json!({"reason": "r"}))
        .await
        .assert_status(200);

    let res = admin.get("/admin/stats").await;
    assert_eq!(
        res.assert_status(200),
        &json!({
            "comments": {"approved": 2, "pending": 1, "rejected": 1, "deleted": 1},
            "users": {"total": 4, "banned": 1},
            "articles": 2,
            "last_24h": {"comments": 5, "reports": 2}
        })
    );
    // Lifting the ban shows at once.
    modo.unban(karim.id).await.assert_status(200);
    let res = admin.get("/admin/stats").await;
    assert_eq!(res.assert_status(200)["users"]["banned"], 0);
}

// ---------------------------------------------------------------------------
// The log is written with the change, or not at all
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_refused_change_leaves_no_log_row_and_a_change_leaves_exactly_one() {
    let (app, cast) = TestApp::with_cast().await;
    let admin = Some(cast.admin.token.as_str());
    let moderator = Some(cast.moderator.token.as_str());
    let id = cast.reader.comment_id("a1", "Un avis").await;
    let own = cast.reader.comment_id("a1", "Retiré").await;
    cast.reader
        .delete(&format!("/comments/{own}"))
        .await
        .assert_status(204);
    let word = cast.admin.add_word("arnaque", "suspect").await;
    let word = word.assert_status(201)["id"].as_i64().unwrap();
    let count = || async { cast.admin.log_entries().await.len() };
    let start = count().await;

    // Refused: nothing is written.
    app.patch("/admin/settings", admin, json!({"report_threshold": 0}))
        .await
        .assert_error(422, "validation_failed");
    app.patch(
        "/admin/settings",
        admin,
        json!({"max_links": 3, "bogus": 1}),
    )
    .await
    .assert_error(422, "validation_failed");
    cast.admin
        .add_word("Arnaque", "suspect")
        .await
        .assert_error(409, "conflict");
    cast.admin
        .add_word("???", "banned")
        .await
        .assert_error(422, "validation_failed");
    app.delete("/admin/words/999999", admin)
        .await
        .assert_error(404, "not_found");
    app.patch(
        &format!("/admin/users/{}", cast.admin.id),
        admin,
        json!({"role": "reader"}),
    )
    .await
    .assert_error(409, "conflict");
    cast.moderator
        .ban(cast.admin.id, json!({"reason": "r"}))
        .await
        .assert_error(403, "forbidden");
    cast.moderator
        .ban(cast.reader.id, json!({"reason": ""}))
        .await
        .assert_error(422, "validation_failed");
    cast.moderator
        .decide(own, "restore", None)
        .await
        .assert_error(409, "conflict");
    cast.moderator
        .decide(999_999, "approve", None)
        .await
        .assert_error(404, "not_found");
    app.post(
        "/mod/bulk",
        moderator,
        json!({"action": "approve", "ids": [999_998, 999_999]}),
    )
    .await
    .assert_status(200);
    app.post(
        "/mod/bulk",
        moderator,
        json!({"action": "restore", "ids": [id]}),
    )
    .await
    .assert_error(422, "validation_failed");
    assert_eq!(count().await, start, "refused changes left log rows");

    // Each change: exactly one row.
    let mut expected = start;
    let mut step = |n: usize| {
        expected += n;
        expected
    };
    app.patch("/admin/settings", admin, json!({"max_links": 3}))
        .await
        .assert_status(200);
    assert_eq!(count().await, step(1));
    cast.moderator
        .decide(id, "approve", None)
        .await
        .assert_status(200);
    assert_eq!(count().await, step(1));
    cast.moderator
        .ban(cast.reader.id, json!({"reason": "r"}))
        .await
        .assert_status(200);
    assert_eq!(count().await, step(1));
    cast.moderator
        .unban(cast.reader.id)
        .await
        .assert_status(200);
    assert_eq!(count().await, step(1));
    app.patch(
        &format!("/admin/users/{}", cast.other.id),
        admin,
        json!({"role": "moderator"}),
    )
    .await
    .assert_status(200);
    assert_eq!(count().await, step(1));
    app.delete(&format!("/admin/words/{word}"), admin)
        .await
        .assert_status(204);
    assert_eq!(count().await, step(1));
    cast.admin
        .add_word("escroc", "suspect")
        .await
        .assert_status(201);
    assert_eq!(count().await, step(1));
    app.post(
        "/mod/bulk",
        moderator,
        json!({"action": "reject", "ids": [id, 999_999]}),
    )
    .await
    .assert_status(200);
    assert_eq!(count().await, step(1));
    app.delete(&format!("/comments/{id}"), moderator)
        .await
        .assert_status(204);
    assert_eq!(count().await, step(1), "a moderator's DELETE is logged too");
}

// ---------------------------------------------------------------------------
// A mistyped enumerated field
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_mistyped_enumerated_field_is_a_422_naming_it() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.other.comment_id("a1", "Un avis").await;
    let admin = Some(cast.admin.token.as_str());
    cast.reader
        .post(&format!("/comments/{id}/reports"), json!({"reason": 3}))
        .await
        .assert_field_error("reason");
    app.post("/mod/bulk", admin, json!({"action": 1, "ids": [id]}))
        .await
        .assert_field_error("action");
    app.post(
        "/admin/words",
        admin,
        json!({"pattern": "mot", "kind": true}),
    )
    .await
    .assert_field_error("kind");
    app.patch("/admin/settings", admin, json!({"default_moderation": 1}))
        .await
        .assert_field_error("default_moderation");
    app.patch(
        &format!("/admin/users/{}", cast.other.id),
        admin,
        json!({"role": 2}),
    )
    .await
    .assert_field_error("role");
}
