//! Moderation: the queue, decisions, bulk decisions, bans, the log, the
//! pipeline seen through HTTP, and a day in the life of a moderator.

use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------

#[tokio::test]
async fn decisions_apply_from_any_state_and_each_is_logged() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Un avis tranché").await;

    let steps = [
        ("reject", "rejected", Some("hors sujet")),
        ("reject", "rejected", None), // unchanged status: still fine, still logged
        ("delete", "deleted", Some("doublon")),
        ("restore", "approved", Some("erreur")),
        ("approve", "approved", None),
        ("delete", "deleted", None),
        ("approve", "approved", Some("finalement")),
    ];
    for (action, status, reason) in steps {
        let res = cast.moderator.decide(id, action, reason).await;
        let body = res.assert_status(200);
        assert_eq!(body["id"], id, "{action}");
        assert_eq!(body["status"], status, "{action}");
        assert_eq!(body["article"], "a1");
        assert_eq!(body["body"], "Un avis tranché");
        assert_eq!(body["author"]["username"], "nadia");
    }

    let entries = cast.moderator.log_entries().await;
    let ours: Vec<&Value> = entries
        .iter()
        .filter(|e| e["target_type"] == "comment")
        .collect();
    assert_eq!(ours.len(), steps.len(), "one row per decision: {entries:?}");
    // Newest first.
    for (entry, (action, _, reason)) in ours.iter().zip(steps.iter().rev()) {
        assert_eq!(entry["action"], *action);
        assert_eq!(entry["target_id"], id.to_string(), "target ids are strings");
        assert_eq!(entry["reason"], json!(reason));
        assert_eq!(
            entry["actor"],
            json!({"id": cast.moderator.id, "username": "modo", "display_name": "modo",
                   "badges": [{"kind": "staff"}]})
        );
        assert!(entry["id"].as_i64().unwrap() > 0);
        assert!(entry["created_at"].as_str().unwrap().ends_with('Z'));
    }
    let ids: Vec<i64> = entries.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(ids, sorted, "the log is newest first");
}

#[tokio::test]
async fn a_rejected_comment_leaves_the_public_thread_but_moderators_still_see_it() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "À cacher").await;
    let kept = cast.other.comment_id("a1", "À garder").await;
    cast.moderator
        .decide(id, "reject", None)
        .await
        .assert_status(200);

    assert_eq!(ids_of(&app.thread("a1", None).await), vec![kept]);
    assert_eq!(
        ids_of(&app.thread("a1", Some(&cast.other.token)).await),
        vec![kept]
    );
    app.get(&format!("/comments/{id}"), None)
        .await
        .assert_error(404, "not_found");
    cast.other
        .get(&format!("/comments/{id}"))
        .await
        .assert_error(404, "not_found");
    let seen = cast.moderator.get(&format!("/comments/{id}")).await;
    assert_eq!(seen.assert_status(200)["status"], "rejected");
    let seen = cast.admin.get(&format!("/comments/{id}")).await;
    assert_eq!(seen.assert_status(200)["body"], "À cacher");
    let article = app.get("/articles/a1", None).await;
    assert_eq!(article.assert_status(200)["comment_count"], 1);

    // Restored, it is back for everyone.
    let res = cast.moderator.decide(id, "restore", None).await;
    assert_eq!(res.assert_status(200)["status"], "approved");
    assert_eq!(ids_of(&app.thread("a1", None).await), vec![id, kept]);
}

/// A comment `author` posted on `a1`, then deleted.
async fn deleted_by_its_author(author: &User) -> i64 {
    let own = author.comment_id("a1", "Je retire ça").await;
    let res = author.delete(&format!("/comments/{own}")).await;
    res.assert_status(204);
    own
}

#[tokio::test]
async fn restore_never_undoes_an_authors_own_deletion() {
    let (_app, cast) = TestApp::with_cast().await;
    let own = deleted_by_its_author(&cast.reader).await;
    let before = cast.admin.log_entries().await.len();
    cast.moderator
        .decide(own, "restore", None)
        .await
        .assert_error(409, "conflict");
    assert_eq!(cast.moderator.status_of(own).await, "deleted");
    assert_eq!(
        cast.admin.log_entries().await.len(),
        before,
        "a refused restore leaves no log row"
    );

    // A moderator's deletion can be undone.
    let removed = cast.other.comment_id("a1", "Supprimé par erreur").await;
    cast.moderator
        .decide(removed, "delete", None)
        .await
        .assert_status(200);
    let res = cast.moderator.decide(removed, "restore", None).await;
    assert_eq!(res.assert_status(200)["status"], "approved");
}

#[tokio::test]
async fn no_decision_brings_back_a_comment_its_author_deleted() {
    let (app, cast) = TestApp::with_cast().await;
    let own = deleted_by_its_author(&cast.reader).await;
    let before = cast.admin.log_entries().await.len();
    // Neither directly...
    for action in ["approve", "reject", "restore"] {
        cast.moderator
            .decide(own, action, None)
            .await
            .assert_error(409, "conflict");
    }
    assert_eq!(cast.admin.log_entries().await.len(), before);
    // ...nor by deleting it again first: it stays the author's deletion.
    let res = cast
        .moderator
        .decide(own, "delete", Some("nettoyage"))
        .await;
    assert_eq!(res.assert_status(200)["status"], "deleted");
    assert_eq!(cast.admin.log_entries().await.len(), before + 1);
    cast.moderator
        .decide(own, "restore", None)
        .await
        .assert_error(409, "conflict");
    // In bulk, it is named with `conflict`; the others go through.
    let other = cast.other.comment_id("a1", "Un autre avis").await;
    let res = cast
        .moderator
        .post(
            "/mod/bulk",
            json!({"action": "approve", "ids": [own, other]}),
        )
        .await;
    let body = res.assert_status(200);
    assert_eq!(body["updated"], json!([other]));
    assert_eq!(body["failed"], json!([{"id": own, "code": "conflict"}]));
    assert_eq!(cast.moderator.status_of(own).await, "deleted");
    assert!(!ids_of(&app.thread("a1", None).await).contains(&own));
}

#[tokio::test]
async fn a_moderators_delete_does_not_turn_an_authors_deletion_into_a_restorable_one() {
    let (_app, cast) = TestApp::with_cast().await;
    let own = cast.reader.comment_id("a1", "Je retire ça").await;
    cast.reader
        .delete(&format!("/comments/{own}"))
        .await
        .assert_status(204);
    cast.moderator
        .delete(&format!("/comments/{own}"))
        .await
        .assert_status(204);
    cast.moderator
        .decide(own, "restore", None)
        .await
        .assert_error(409, "conflict");
}

#[tokio::test]
async fn decisions_check_the_path_and_the_body() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Bonjour").await;
    for action in ["approve", "reject", "delete", "restore"] {
        cast.moderator
            .decide(999_999, action, None)
            .await
            .assert_error(404, "not_found");
        for bad in ["0", "-1", "abc"] {
            cast.moderator
                .send(Method::POST, &format!("/mod/comments/{bad}/{action}"), None)
                .await
                .assert_error(404, "not_found");
        }
    }
    cast.moderator
        .post(
            &format!("/mod/comments/{id}/reject"),
            json!({"reason": "x", "status": "approved"}),
        )
        .await
        .assert_field_error("status");
    cast.moderator
        .post(
            &format!("/mod/comments/{id}/reject"),
            json!({ "reason": "x".repeat(501) }),
        )
        .await
        .assert_field_error("reason");
    cast.moderator
        .post(
            &format!("/mod/comments/{id}/reject"),
            json!({ "reason": 5 }),
        )
        .await
        .assert_field_error("reason");
    // Every field is optional: an empty body, with or without a content type.
    let res = cast
        .moderator
        .send_raw(
            Method::POST,
            &format!("/mod/comments/{id}/reject"),
            None,
            vec![],
        )
        .await;
    assert_eq!(res.assert_status(200)["status"], "rejected");
    let res = cast
        .moderator
        .send_raw(
            Method::POST,
            &format!("/mod/comments/{id}/approve"),
            Some("application/json"),
            vec![],
        )
        .await;
    assert_eq!(res.assert_status(200)["status"], "approved");
    assert_eq!(cast.moderator.status_of(id).await, "approved");
}

// ---------------------------------------------------------------------------
// Bulk
// ---------------------------------------------------------------------------

#[tokio::test]
async fn bulk_decides_each_id_and_names_the_ones_it_could_not() {
    let (app, cast) = TestApp::with_cast().await;
    let a = cast.reader.comment_id("a1", "un").await;
    let b = cast.other.comment_id("a1", "deux").await;
    let c = cast.reader.comment_id("a1", "trois").await;
    let res = cast
        .moderator
        .post(
            "/mod/bulk",
            json!({"action": "reject", "ids": [a, 999_999, b, c], "reason": "vague de spam"}),
        )
        .await;
    let body = res.assert_status(200);
    assert_eq!(body["updated"], json!([a, b, c]));
    assert_eq!(
        body["failed"],
        json!([{"id": 999_999, "code": "not_found"}])
    );
    for id in [a, b, c] {
        assert_eq!(cast.moderator.status_of(id).await, "rejected");
    }
    assert!(app.thread("a1", None).await.is_empty());
    let entries = cast.moderator.log_entries().await;
    let rejects: Vec<&Value> = entries.iter().filter(|e| e["action"] == "reject").collect();
    assert_eq!(rejects.len(), 3, "one row per updated id");
    assert!(rejects.iter().all(|e| e["reason"] == "vague de spam"));

    let res = cast
        .moderator
        .post("/mod/bulk", json!({"action": "approve", "ids": [a, b]}))
        .await;
    assert_eq!(res.assert_status(200)["updated"], json!([a, b]));
    assert_eq!(res.body["failed"], json!([]));
    let res = cast
        .moderator
        .post("/mod/bulk", json!({"action": "delete", "ids": [c]}))
        .await;
    assert_eq!(res.assert_status(200)["updated"], json!([c]));
    assert_eq!(cast.moderator.status_of(c).await, "deleted");
    assert_eq!(ids_of(&app.thread("a1", None).await), vec![a, b]);
}

#[tokio::test]
async fn bulk_takes_one_to_a_hundred_ids_and_no_restore() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Bonjour").await;
    let token = Some(cast.moderator.token.as_str());
    let before = cast.moderator.log_entries().await.len();

    let ids: Vec<i64> = (1_000_000..1_000_101).collect();
    app.post("/mod/bulk", token, json!({"action": "reject", "ids": ids}))
        .await
        .assert_field_error("ids");
    app.post("/mod/bulk", token, json!({"action": "reject", "ids": []}))
        .await
        .assert_field_error("ids");
    app.post(
        "/mod/bulk",
        token,
        json!({"action": "restore", "ids": [id]}),
    )
    .await
    .assert_field_error("action");
    app.post("/mod/bulk", token, json!({"action": "ban", "ids": [id]}))
        .await
        .assert_field_error("action");
    app.post("/mod/bulk", token, json!({"ids": [id]}))
        .await
        .assert_field_error("action");
    app.post("/mod/bulk", token, json!({"action": "reject"}))
        .await
        .assert_field_error("ids");
    app.post(
        "/mod/bulk",
        token,
        json!({"action": "reject", "ids": ["7"]}),
    )
    .await
    .assert_error(422, "validation_failed");
    app.post(
        "/mod/bulk",
        token,
        json!({"action": "reject", "ids": [id], "extra": true}),
    )
    .await
    .assert_field_error("extra");
    assert_eq!(cast.moderator.status_of(id).await, "approved");
    assert_eq!(cast.moderator.log_entries().await.len(), before);

    // Exactly 100 is fine, even when none of them exists.
    let ids: Vec<i64> = (1_000_000..1_000_100).collect();
    let res = app
        .post("/mod/bulk", token, json!({"action": "approve", "ids": ids}))
        .await;
    let body = res.assert_status(200);
    assert_eq!(body["updated"], json!([]));
    assert_eq!(body["failed"].as_array().unwrap().len(), 100);
    assert!(body["failed"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["code"] == "not_found"));
}

// ---------------------------------------------------------------------------
// The queue
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_queue_lists_pending_comments_oldest_first_with_what_a_moderator_needs() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.admin
        .create_article("pre", json!({"moderation": "pre", "title": "Le débat"}))
        .await;
    let approved = cast.reader.comment_id("a1", "Publié d'emblée").await;
    let first = cast.reader.comment("pre", "Premier avis").await;
    assert_eq!(first.assert_status(201)["status"], "pending");
    let first = first.body["id"].as_i64().unwrap();
    let second = cast.other.comment_id("pre", "Second avis").await;

    let page = cast.moderator.queue("").await;
    assert_eq!(queue_ids(&page), vec![first, second]);
    assert_eq!(page["total"], 2);
    assert_eq!(page["next_cursor"], Value::Null);
    let item = queue_item(&page, first);
    assert_eq!(item["comment"]["status"], "pending");
    assert_eq!(item["comment"]["body"], "Premier avis");
    assert_eq!(item["comment"]["article"], "pre");
    assert_eq!(item["article"], json!({"key": "pre", "title": "Le débat"}));
    let joined = cast.reader.get("/me").await.body["created_at"].clone();
    assert_eq!(
        item["author"],
        json!({
            "id": cast.reader.id, "username": "nadia", "display_name": "nadia",
            "status": "active", "approved_count": 1, "rejected_count": 0,
            "created_at": joined, "banned_until": null, "note_count": 0
        })
    );
    assert_eq!(item["reasons"], json!(["premoderation"]));
    assert_eq!(
        item["reports"],
        json!({"abusive": 0, "off_topic": 0, "spam": 0, "other": 0})
    );
    // `status=pending` is the default.
    let explicit = cast.moderator.queue("status=pending").await;
    assert_eq!(queue_ids(&explicit), vec![first, second]);
    // Admins read it too; approved comments are not in it.
    let page = cast.admin.queue("").await;
    assert!(!queue_ids(&page).contains(&approved));

    // Decided comments leave it.
    cast.moderator
        .decide(first, "approve", None)
        .await
        .assert_status(200);
    let page = cast.moderator.queue("").await;
    assert_eq!(queue_ids(&page), vec![second]);
    assert_eq!(page["total"], 1);
}

#[tokio::test]
async fn the_queue_filters_by_status_and_article() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    cast.admin.create_premoderated("pre2").await;
    let p1 = cast.reader.comment_id("pre", "en attente 1").await;
    let p2 = cast.reader.comment_id("pre2", "en attente 2").await;
    let r1 = cast.other.comment_id("a1", "à rejeter").await;
    cast.moderator
        .decide(r1, "reject", Some("insulte"))
        .await
        .assert_status(200);
    let reported = cast.other.comment_id("a1", "signalé").await;
    cast.reader
        .report(reported, "spam")
        .await
        .assert_status(201);
    let token = &cast.moderator.token;

    assert_eq!(
        queue_ids(&cast.moderator.queue("status=pending").await),
        vec![p1, p2]
    );
    let page = cast.moderator.queue("status=pending&article=pre2").await;
    assert_eq!(queue_ids(&page), vec![p2]);
    assert_eq!(page["total"], 1);
    let page = cast.moderator.queue("status=rejected").await;
    assert_eq!(queue_ids(&page), vec![r1]);
    assert_eq!(queue_item(&page, r1)["comment"]["status"], "rejected");
    let page = cast.moderator.queue("status=reported").await;
    assert_eq!(queue_ids(&page), vec![reported]);
    assert_eq!(
        queue_item(&page, reported)["reports"],
        json!({"abusive": 0, "off_topic": 0, "spam": 1, "other": 0})
    );
    assert_eq!(
        queue_ids(&cast.moderator.queue("status=reported&article=pre").await),
        Vec::<i64>::new()
    );
    let page = cast.moderator.queue("article=nowhere").await;
    assert_eq!(page["items"], json!([]));
    assert_eq!(page["total"], 0);

    for bad in [
        "status=approved",
        "status=",
        "status=PENDING",
        "limit=0",
        "limit=201",
        "limit=x",
    ] {
        app.get(&format!("/mod/queue?{bad}"), Some(token))
            .await
            .assert_error(422, "validation_failed");
    }
    app.get("/mod/queue?status=deleted", Some(token))
        .await
        .assert_field_error("status");
    app.get("/mod/queue?article=bad%20key", Some(token))
        .await
        .assert_field_error("article");
    for bad in ["garbage!", "AAAA", "bm9wZQ"] {
        app.get(&format!("/mod/queue?cursor={bad}"), Some(token))
            .await
            .assert_error(400, "invalid_cursor");
    }
}

#[tokio::test]
async fn the_queue_pages_with_a_cursor_and_counts_the_whole_queue() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            cast.reader
                .comment_id("pre", &format!("avis numéro {i}"))
                .await,
        );
    }
    let mut seen = Vec::new();
    let mut query = "limit=2".to_string();
    let mut pages = 0;
    loop {
        let page = cast.moderator.queue(&query).await;
        assert_eq!(page["total"], 5, "total counts the whole queue");
        pages += 1;
        seen.extend(queue_ids(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => {
                assert!(cursor
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
                query = format!("limit=2&cursor={cursor}");
            }
            None => break,
        }
        assert!(pages < 10, "pagination does not end");
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, ids, "oldest first, each once");

    // A comment decided between two pages does not shift the next page.
    let first = cast.moderator.queue("limit=2").await;
    cast.moderator
        .decide(ids[0], "approve", None)
        .await
        .assert_status(200);
    let cursor = first["next_cursor"].as_str().unwrap();
    let next = cast
        .moderator
        .queue(&format!("limit=2&cursor={cursor}"))
        .await;
    assert_eq!(queue_ids(&next), vec![ids[2], ids[3]]);
    assert_eq!(next["total"], 4);
}

#[tokio::test]
async fn queue_totals_follow_every_write_at_once() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    let first = cast.reader.comment_id("pre", "premier avis").await;
    assert_eq!(cast.moderator.queue("limit=1").await["total"], 1);
    // Read again at once: the same count, then each write shows on the next read.
    assert_eq!(cast.moderator.queue("limit=1").await["total"], 1);
    cast.other.comment_id("pre", "deuxième avis").await;
    assert_eq!(cast.moderator.queue("limit=1").await["total"], 2);
    cast.moderator
        .decide(first, "reject", None)
        .await
        .assert_status(200);
    assert_eq!(cast.moderator.queue("limit=1").await["total"], 1);
    assert_eq!(cast.moderator.queue("status=rejected").await["total"], 1);
    assert_eq!(cast.moderator.queue("status=reported").await["total"], 0);
    cast.admin.create_article("libre", json!({})).await;
    let open = cast.reader.comment_id("libre", "un avis publié").await;
    cast.other.report(open, "spam").await.assert_status(201);
    assert_eq!(cast.moderator.queue("status=reported").await["total"], 1);
}

#[tokio::test]
async fn the_reported_queue_shows_the_reports_notes_newest_first() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "un avis discuté").await;
    let path = format!("/comments/{id}/reports");
    for (reporter, body) in [
        (
            &cast.other,
            json!({"reason": "off_topic", "note": "rien à voir avec l'article"}),
        ),
        (
            &cast.moderator,
            json!({"reason": "spam", "note": "lien publicitaire"}),
        ),
        (&cast.admin, json!({"reason": "abusive"})),
    ] {
        reporter.post(&path, body).await.assert_status(201);
    }
    let page = cast.moderator.queue("status=reported").await;
    let item = queue_item(&page, id);
    assert_eq!(
        item["report_notes"],
        json!([
            {"reason": "spam", "note": "lien publicitaire"},
            {"reason": "off_topic", "note": "rien à voir avec l'article"},
        ])
    );
    assert_eq!(item["reports"]["abusive"], 1);
    // A queue with no reports carries no notes.
    cast.admin.create_premoderated("pre").await;
    let held = cast.reader.comment_id("pre", "en attente").await;
    let pending = cast.moderator.queue("").await;
    assert_eq!(queue_item(&pending, held)["report_notes"], json!([]));
}

// ---------------------------------------------------------------------------
// Accounts and bans
// ---------------------------------------------------------------------------

#[tokio::test]
async fn standing_shows_an_accounts_counts_and_recent_comments() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    let a = cast.reader.comment_id("a1", "premier").await;
    let b = cast.reader.comment_id("a1", "deuxième").await;
    let c = cast.reader.comment_id("a1", "troisième").await;
    cast.moderator
        .decide(c, "reject", None)
        .await
        .assert_status(200);
    let d = cast.reader.comment_id("pre", "quatrième").await;

    let res = cast
        .moderator
        .get(&format!("/mod/users/{}", cast.reader.id))
        .await;
    let body = res.assert_status(200);
    assert_eq!(
        body["user"],
        json!({"id": cast.reader.id, "username": "nadia", "display_name": "nadia", "badges": []})
    );
    assert_eq!(body["role"], "reader");
    assert_eq!(body["status"], "active");
    assert_eq!(body["banned_until"], Value::Null);
    assert_eq!(body["ban_reason"], Value::Null);
    assert_eq!(body["approved_count"], 2);
    assert_eq!(body["pending_count"], 1);
    assert_eq!(body["rejected_count"], 1);
    let recent = body["recent_comments"].as_array().unwrap();
    assert_eq!(ids_of(recent), vec![d, c, b, a], "newest first");
    assert_eq!(recent[1]["status"], "rejected");
    assert!(
        body.get("email").is_none(),
        "no email in a standing: {body}"
    );

    let res = cast
        .admin
        .get(&format!("/mod/users/{}", cast.moderator.id))
        .await;
    assert_eq!(res.assert_status(200)["role"], "moderator");
    cast.moderator
        .get("/mod/users/999999")
        .await
        .assert_error(404, "not_found");
    cast.moderator
        .get("/mod/users/abc")
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn a_ban_applies_on_the_very_next_request_with_the_same_token() {
    let (app, cast) = TestApp::with_cast().await;
    let nadia = &cast.reader;
    let own = nadia.comment_id("a1", "mon avis").await;
    let others = cast.other.comment_id("a1", "l'avis de karim").await;

    let res = cast
        .moderator
        .ban(nadia.id, json!({"reason": "insultes répétées"}))
        .await;
    let body = res.assert_status(200);
    assert_eq!(body["user"]["id"], nadia.id);
    assert_eq!(body["status"], "banned");
    assert_eq!(body["banned_until"], Value::Null, "no until: permanent");
    assert_eq!(body["ban_reason"], "insultes répétées");
    assert_eq!(body["approved_count"], 1);

    // Writes are refused...
    nadia
        .comment("a1", "je reviens")
        .await
        .assert_error(403, "banned");
    nadia
        .report(others, "spam")
        .await
        .assert_error(403, "banned");
    nadia
        .patch("/me", json!({"display_name": "Nadia"}))
        .await
        .assert_error(403, "banned");
    nadia
        .patch(&format!("/comments/{own}"), json!({"body": "modifié"}))
        .await
        .assert_error(403, "banned");
    nadia
        .delete(&format!("/comments/{own}"))
        .await
        .assert_error(403, "banned");
    // ...reading, exporting and signing out are not.
    let me = nadia.me().await;
    assert_eq!(me["status"], "banned");
    assert_eq!(me["banned_until"], Value::Null);
    assert_eq!(me["display_name"], "nadia", "PATCH /me changed nothing");
    let export = nadia.get("/me/export").await;
    assert_eq!(export.assert_status(200)["user"]["status"], "banned");
    assert_eq!(app.thread("a1", Some(&nadia.token)).await.len(), 2);
    nadia
        .get(&format!("/comments/{own}"))
        .await
        .assert_status(200);
    nadia
        .send(Method::POST, "/auth/logout", None)
        .await
        .assert_status(204);

    // Signing in again does not lift the ban.
    let again = app.login("nadia", nadia.id).await;
    again
        .comment("a1", "je reviens")
        .await
        .assert_error(403, "banned");

    let entry = &cast.moderator.log_entries().await[0];
    assert_eq!(entry["action"], "ban");
    assert_eq!(entry["target_type"], "user");
    assert_eq!(entry["target_id"], nadia.id.to_string());
    assert_eq!(entry["reason"], "insultes répétées");
    assert_eq!(entry["actor"]["username"], "modo");
}

#[tokio::test]
async fn a_suspension_ends_at_until() {
    let (app, cast) = TestApp::with_cast().await;
    let until = from_now(3_600_000);
    let res = cast
        .moderator
        .ban(
            cast.reader.id,
            json!({"reason": "on se calme", "until": until}),
        )
        .await;
    let body = res.assert_status(200);
    assert_eq!(body["status"], "banned");
    let shown = body["banned_until"].as_str().expect("banned_until");
    assert!(shown.ends_with('Z'));
    let shown_at = chrono::DateTime::parse_from_rfc3339(shown).unwrap();
    let asked_at = chrono::DateTime::parse_from_rfc3339(&until).unwrap();
    assert!(
        (asked_at - shown_at).num_milliseconds().abs() < 1000,
        "{shown} vs {until}"
    );

    let me_now = cast.reader.me().await;
    assert_eq!(me_now["status"], "banned");
    assert_eq!(me_now["banned_until"], shown);
    let refused = cast.reader.comment("a1", "pendant").await;
    refused.assert_error(403, "banned");

    app.end_suspension(cast.reader.id);
    let res = cast.reader.comment("a1", "après").await;
    assert_eq!(res.assert_status(201)["status"], "approved");
    let me_after = cast.reader.me().await;
    assert_eq!(me_after["status"], "active");
    assert_eq!(me_after["banned_until"], Value::Null);
    let standing = cast
        .moderator
        .get(&format!("/mod/users/{}", cast.reader.id))
        .await;
    assert_eq!(standing.assert_status(200)["status"], "active");
    cast.reader
        .patch("/me", json!({"display_name": "Nadia"}))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn unban_lifts_the_ban_at_once_and_is_logged() {
    let (_app, cast) = TestApp::with_cast().await;
    let until = from_now(3_600_000);
    cast.moderator
        .ban(cast.reader.id, json!({"reason": "r", "until": until}))
        .await
        .assert_status(200);
    cast.reader
        .comment("a1", "non")
        .await
        .assert_error(403, "banned");
    let res = cast.moderator.unban(cast.reader.id).await;
    let body = res.assert_status(200);
    assert_eq!(body["status"], "active");
    assert_eq!(body["banned_until"], Value::Null);
    assert_eq!(body["ban_reason"], Value::Null);
    cast.reader.comment("a1", "oui").await.assert_status(201);
    assert_eq!(cast.reader.me().await["status"], "active");

    let entries = cast.moderator.log_entries().await;
    assert_eq!(entries[0]["action"], "unban");
    assert_eq!(entries[0]["target_type"], "user");
    assert_eq!(entries[0]["target_id"], cast.reader.id.to_string());
    assert_eq!(entries[1]["action"], "ban");
    // Unbanning an account that is not banned is harmless.
    cast.moderator.unban(cast.other.id).await.assert_status(200);
    cast.moderator
        .unban(999_999)
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn a_ban_needs_a_reason_and_a_future_until() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.reader.id;
    let before = cast.admin.log_entries().await.len();
    let past = from_now(-60_000);
    let cases = [
        (json!({}), "reason"),
        (json!({"reason": ""}), "reason"),
        (json!({"reason": "   "}), "reason"),
        (json!({"reason": "x".repeat(501)}), "reason"),
        (json!({"reason": 7}), "reason"),
        (json!({"reason": "r", "until": past}), "until"),
        (json!({"reason": "r", "until": "demain"}), "until"),
        (
            json!({"reason": "r", "until": "2030-13-45T00:00:00Z"}),
            "until",
        ),
        (json!({"reason": "r", "until": 1_900_000_000}), "until"),
        (json!({"reason": "r", "permanent": true}), "permanent"),
    ];
    for (body, field) in cases {
        cast.moderator
            .ban(id, body.clone())
            .await
            .assert_field_error(field);
    }
    assert_eq!(cast.reader.me().await["status"], "active");
    assert_eq!(cast.admin.log_entries().await.len(), before);

    // 500 characters is the limit, not beyond.
    cast.moderator
        .ban(id, json!({"reason": "x".repeat(500)}))
        .await
        .assert_status(200);
    cast.moderator
        .ban(999_999, json!({"reason": "r"}))
        .await
        .assert_error(404, "not_found");
    cast.moderator
        .ban(0, json!({"reason": "r"}))
        .await
        .assert_error(404, "not_found");
    cast.moderator
        .post("/mod/users/abc/ban", json!({"reason": "r"}))
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn moderators_ban_only_readers_and_nobody_bans_themselves() {
    let (app, cast) = TestApp::with_cast().await;
    let second = app.moderator(&cast.admin, "modo2").await;
    let reason = json!({"reason": "abus"});
    let before = cast.admin.log_entries().await.len();

    cast.moderator
        .ban(cast.admin.id, reason.clone())
        .await
        .assert_error(403, "forbidden");
    cast.moderator
        .ban(second.id, reason.clone())
        .await
        .assert_error(403, "forbidden");
    cast.moderator
        .ban(cast.moderator.id, reason.clone())
        .await
        .assert_error(403, "forbidden");
    cast.admin
        .ban(cast.admin.id, reason.clone())
        .await
        .assert_error(403, "forbidden");
    assert_eq!(cast.admin.log_entries().await.len(), before);

    // An admin bans a moderator, who then loses the moderation routes.
    let res = cast.admin.ban(second.id, reason.clone()).await;
    assert_eq!(res.assert_status(200)["status"], "banned");
    second.get("/mod/queue").await.assert_error(403, "banned");
    let id = cast.reader.comment_id("a1", "bonjour").await;
    second
        .decide(id, "reject", None)
        .await
        .assert_error(403, "banned");
    second
        .ban(cast.other.id, reason.clone())
        .await
        .assert_error(403, "banned");
    second
        .delete(&format!("/comments/{id}"))
        .await
        .assert_error(403, "banned");
    assert_eq!(cast.moderator.status_of(id).await, "approved");
    // Another moderator cannot lift it either.
    cast.moderator
        .unban(second.id)
        .await
        .assert_error(403, "forbidden");
    cast.moderator
        .unban(cast.admin.id)
        .await
        .assert_error(403, "forbidden");
    second.get("/mod/queue").await.assert_error(403, "banned");
    // The admin can.
    cast.admin.unban(second.id).await.assert_status(200);
    second.get("/mod/queue").await.assert_status(200);
    // Admins ban admins too.
    let other_admin = app.admin_named("chef2").await;
    cast.admin
        .ban(other_admin.id, reason.clone())
        .await
        .assert_status(200);
    other_admin
        .get("/admin/stats")
        .await
        .assert_error(403, "banned");
}

// ---------------------------------------------------------------------------
// The log
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_log_pages_newest_first() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "bonjour").await;
    for i in 0..5 {
        cast.moderator
            .decide(id, "approve", Some(&format!("n{i}")))
            .await
            .assert_status(200);
    }
    let all = cast.moderator.log_entries().await;
    let mut seen = Vec::new();
    let mut path = "/mod/log?limit=2".to_string();
    loop {
        let page = cast.moderator.get(&path).await;
        let body = page.assert_status(200);
        let entries = body["entries"].as_array().unwrap();
        assert!(entries.len() <= 2);
        seen.extend(entries.iter().cloned());
        match body["next_cursor"].as_str() {
            Some(c) => path = format!("/mod/log?limit=2&cursor={c}"),
            None => break,
        }
        assert!(seen.len() <= all.len(), "pagination does not end");
    }
    assert_eq!(seen, all);
    let reasons: Vec<&Value> = all.iter().take(5).map(|e| &e["reason"]).collect();
    assert_eq!(reasons, vec!["n4", "n3", "n2", "n1", "n0"]);
    cast.moderator
        .get("/mod/log?cursor=%%%")
        .await
        .assert_error(400, "invalid_cursor");
    cast.moderator
        .get("/mod/log?limit=0")
        .await
        .assert_field_error("limit");
}

// ---------------------------------------------------------------------------
// The pipeline, seen through HTTP
// ---------------------------------------------------------------------------

#[tokio::test]
async fn premoderation_holds_a_new_reader_until_trusted() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    let mut held = Vec::new();
    for i in 0..3 {
        let res = cast.reader.comment("pre", &format!("avis {i}")).await;
        let body = res.assert_status(201);
        assert_eq!(body["status"], "pending");
        held.push(body["id"].as_i64().unwrap());
    }
    // Pending comments show to their author only.
    assert_eq!(
        ids_of(&app.thread("pre", Some(&cast.reader.token)).await),
        held
    );
    assert!(app.thread("pre", None).await.is_empty());
    assert!(app.thread("pre", Some(&cast.other.token)).await.is_empty());
    let page = cast.moderator.queue("article=pre").await;
    for id in &held {
        assert_eq!(queue_item(&page, *id)["reasons"], json!(["premoderation"]));
    }
    for (n, id) in held.iter().enumerate() {
        cast.moderator
            .decide(*id, "approve", None)
            .await
            .assert_status(200);
        let next = cast.reader.comment("pre", &format!("suite {n}")).await;
        let expected = if n == 2 { "approved" } else { "pending" };
        assert_eq!(
            next.assert_status(201)["status"],
            expected,
            "after {} approvals",
            n + 1
        );
    }
    // On a post-moderated article nobody waits.
    let res = cast.other.comment("a1", "direct").await;
    assert_eq!(res.assert_status(201)["status"], "approved");
}

#[tokio::test]
async fn staff_comments_are_always_approved() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    cast.admin
        .add_word("arnaque", "suspect")
        .await
        .assert_status(201);
    let text = "Attention arnaque http://a.example http://b.example http://c.example";
    for staff in [&cast.moderator, &cast.admin] {
        for key in ["pre", "a1"] {
            let res = staff.comment(key, text).await;
            assert_eq!(
                res.assert_status(201)["status"],
                "approved",
                "{} on {key}",
                staff.username
            );
        }
    }
    let res = cast.reader.comment("a1", text).await;
    assert_eq!(res.assert_status(201)["status"], "pending");
}

/// The disguised forms of `connard` and `حمار` the filter must see through.
const FRENCH_DISGUISES: &[&str] = &[
    "connard",
    "Quel CONNARD !",
    "C0NNNARD",
    "con<b>n</b>ard",
    "cônnard",
    "CÔNNARD",
    "c0nn4rd",
    "conn\u{200B}ard",
    "con\u{00AD}nard",
    "\u{0441}onnard", // Cyrillic с
    "c o n n a r d",
    "c.o.n.n.a.r.d",
    "c*o*nnard",
    "espèce de connnnnard",
    "connard!!!",
    "Ｃｏｎｎａｒｄ", // full width
    "co nnard",
    "con-nard",
    "c|onnard",
    "ᴄᴏɴɴᴀʀᴅ", // small capitals
    "🅲🅾🅽🅽🅰🆁🅳", // negative squared
    "c0nn@rd",
    "connards",
    "CONNARDE",
];

const ARABIC_DISGUISES: &[&str] = &[
    "حمار",
    "الحمـــار",
    "حِمَار",
    "يا حمار",
    "والحمار",
    "أنت حماااار",
    "ح م ا ر",
    "حم\u{200C}ار",
    "ﺣﻤﺎﺭ", // presentation forms
    "حمارة",
    "حمارر",
    "حمير",
    "حمارك",
    "7mar",
    "hmar",
];

#[tokio::test]
async fn a_banned_word_rejects_the_comment_even_disguised() {
    let (app, cast) = TestApp::with_cast().await;
    let word = cast.admin.add_word("connard", "banned").await;
    word.assert_status(201);
    cast.admin
        .add_word("حمار", "banned")
        .await
        .assert_status(201);

    let mut rejected = Vec::new();
    for text in FRENCH_DISGUISES.iter().chain(ARABIC_DISGUISES) {
        let res = cast.reader.comment("a1", text).await;
        let body = res.assert_status(201);
        assert_eq!(body["status"], "rejected", "{text:?} was not caught");
        rejected.push(body["id"].as_i64().unwrap());
    }
    // Hidden from readers, listed for moderators with the reason.
    assert!(app.thread("a1", None).await.is_empty());
    assert!(app.thread("a1", Some(&cast.reader.token)).await.is_empty());
    let page = cast.moderator.queue("status=rejected&limit=200").await;
    assert_eq!(queue_ids(&page), rejected);
    for id in &rejected {
        assert_eq!(queue_item(&page, *id)["reasons"], json!(["banned_word"]));
    }
    // The author still sees their own comment by id; other readers do not.
    let id = rejected[0];
    let own = cast.reader.get(&format!("/comments/{id}")).await;
    assert_eq!(own.assert_status(200)["status"], "rejected");
    cast.other
        .get(&format!("/comments/{id}"))
        .await
        .assert_error(404, "not_found");
    // A false positive can be restored.
    let res = cast
        .moderator
        .decide(id, "restore", Some("faux positif"))
        .await;
    assert_eq!(res.assert_status(200)["status"], "approved");

    // Words that merely look alike pass.
    for text in [
        "Bonne connaissance du dossier",
        "Le con\u{00AD}sensus est large",
        "Un âne et un cheval",
        "الحمام نظيف",
        "مقال رائع، شكرا",
    ] {
        let res = cast.other.comment("a1", text).await;
        assert_eq!(res.assert_status(201)["status"], "approved", "{text:?}");
    }
}

#[tokio::test]
async fn suspect_words_links_and_repeats_hold_the_comment_with_their_reason() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin
        .add_word("arnaque", "suspect")
        .await
        .assert_status(201);
    let post = |text: &'static str| {
        let reader = cast.reader.clone();
        async move {
            let res = reader.comment("a1", text).await;
            let body = res.assert_status(201).clone();
            (
                body["id"].as_i64().unwrap(),
                body["status"].as_str().unwrap().to_string(),
            )
        }
    };
    let (suspect, status) = post("C'est une ARNAQUE totale").await;
    assert_eq!(status, "pending");
    let (links, status) = post("Voir http://a.example, https://b.example et www.c.example").await;
    assert_eq!(status, "pending");
    let (two_links, status) = post("Voir http://a.example et [ici](https://b.example)").await;
    assert_eq!(status, "approved", "max_links is 2");
    let (original, status) = post("Je   suis d'accord   avec vous.").await;
    assert_eq!(status, "approved");
    let (repeat, status) = post("je suis d'accord avec VOUS.").await;
    assert_eq!(status, "pending", "the same text within 24 hours");

    let page = cast.moderator.queue("").await;
    assert_eq!(queue_ids(&page), vec![suspect, links, repeat]);
    assert_eq!(
        queue_item(&page, suspect)["reasons"],
        json!(["suspect_word"])
    );
    assert_eq!(
        queue_item(&page, links)["reasons"],
        json!(["too_many_links"])
    );
    assert_eq!(queue_item(&page, repeat)["reasons"], json!(["duplicate"]));
    let visible = ids_of(&app.thread("a1", None).await);
    assert_eq!(visible, vec![two_links, original]);
    // Another author may say the same thing.
    let res = cast
        .other
        .comment("a1", "Je suis d'accord avec vous.")
        .await;
    assert_eq!(res.assert_status(201)["status"], "approved");
}

#[tokio::test]
async fn an_edit_that_adds_a_suspect_word_goes_back_to_the_queue() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin
        .add_word("arnaque", "suspect")
        .await
        .assert_status(201);
    let id = cast.reader.comment_id("a1", "Offre intéressante").await;
    let res = cast
        .reader
        .patch(
            &format!("/comments/{id}"),
            json!({"body": "Offre intéressante, sauf que c'est une arnaque"}),
        )
        .await;
    let body = res.assert_status(200);
    assert_eq!(body["status"], "pending");
    assert!(body["edited_at"].is_string());
    let page = cast.moderator.queue("").await;
    let reasons = strings(&queue_item(&page, id)["reasons"]);
    assert!(reasons.contains(&"edited".to_string()), "{reasons:?}");
    assert!(reasons.contains(&"suspect_word".to_string()), "{reasons:?}");
    assert!(app.thread("a1", Some(&cast.other.token)).await.is_empty());
    // An edit that keeps the text clean stays published.
    let clean = cast.other.comment_id("a1", "Bon article").await;
    let res = cast
        .other
        .patch(
            &format!("/comments/{clean}"),
            json!({"body": "Très bon article"}),
        )
        .await;
    assert_eq!(res.assert_status(200)["status"], "approved");
}

// ---------------------------------------------------------------------------
// Two moderators at once
// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_moderators_deciding_the_same_comment_at_once_both_succeed() {
    let (app, cast) = TestApp::with_cast().await;
    let second = app.moderator(&cast.admin, "modo2").await;
    let id = cast.reader.comment_id("a1", "Un avis disputé").await;
    let before = cast.admin.log_entries().await.len();
    let rounds = 20;
    for round in 0..rounds {
        let mut set = tokio::task::JoinSet::new();
        for (who, action) in [
            (cast.moderator.clone(), "approve"),
            (second.clone(), "reject"),
        ] {
            set.spawn(async move {
                let res = who.decide(id, action, Some(&format!("tour {round}"))).await;
                (action, res)
            });
        }
        while let Some(joined) = set.join_next().await {
            let (action, res) = joined.expect("task");
            let body = res.assert_status(200);
            assert_eq!(body["id"], id);
            let expected = if action == "approve" {
                "approved"
            } else {
                "rejected"
            };
            assert_eq!(
                body["status"], expected,
                "each answer shows its own decision"
            );
        }
        let status = cast.moderator.status_of(id).await;
        assert!(
            status == "approved" || status == "rejected",
            "round {round}: {status}"
        );
    }
    let entries = cast.admin.log_entries().await;
    assert_eq!(entries.len() - before, 2 * rounds);
    for round in 0..rounds {
        let reason = format!("tour {round}");
        let mut actions: Vec<&str> = entries
            .iter()
            .filter(|e| e["reason"] == reason.as_str())
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        actions.sort();
        assert_eq!(actions, vec!["approve", "reject"], "round {round}");
    }
}

// ---------------------------------------------------------------------------
// A day on a news site
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_day_a_troll_is_reported_held_rejected_suspended_and_comes_back() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let modo = app.moderator(&admin, "modo").await;
    admin
        .create_article(
            "elections-2026",
            json!({"title": "Municipales : les résultats", "moderation": "pre"}),
        )
        .await;
    let key = "elections-2026";
    let readers = [
        app.register("nadia").await,
        app.register("karim").await,
        app.register("samira").await,
    ];
    let troll = app.register("troll").await;

    // Morning: everyone is new, so every comment waits for a moderator.
    let mut morning = Vec::new();
    for (reader, text) in readers.iter().zip([
        "Bravo aux élus",
        "Participation en baisse",
        "مبروك للفائزين",
    ]) {
        let res = reader.comment(key, text).await;
        assert_eq!(res.assert_status(201)["status"], "pending");
        morning.push(res.body["id"].as_i64().unwrap());
    }
    let res = troll
        .comment(key, "Vous êtes tous des moutons, réveillez-vous")
        .await;
    assert_eq!(res.assert_status(201)["status"], "pending");
    let troll_comment = res.body["id"].as_i64().unwrap();
    assert!(app.thread(key, None).await.is_empty());
    let page = modo.queue(&format!("article={key}")).await;
    assert_eq!(page["total"], 4);
    assert!(page["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["reasons"] == json!(["premoderation"])));
    // The moderator lets everything through.
    let mut all = morning.clone();
    all.push(troll_comment);
    let res = modo
        .post("/mod/bulk", json!({"action": "approve", "ids": all}))
        .await;
    assert_eq!(res.assert_status(200)["failed"], json!([]));
    assert_eq!(app.thread(key, None).await.len(), 4);

    // Noon: the three readers report the troll.
    for (n, (reader, reason)) in readers
        .iter()
        .zip(["abusive", "abusive", "spam"])
        .enumerate()
    {
        reader
            .report(troll_comment, reason)
            .await
            .assert_status(201);
        if n == 0 {
            reader
                .report(troll_comment, "other")
                .await
                .assert_error(409, "already_reported");
        }
    }
    // Held, the comment can no longer be reported: readers cannot see it.
    let late = app.register("late").await;
    late.report(troll_comment, "other")
        .await
        .assert_error(404, "not_found");
    // At the threshold the comment is held again.
    let public = ids_of(&app.thread(key, None).await);
    assert_eq!(public, morning, "the troll's comment left the thread");
    let page = modo.queue("status=pending").await;
    let item = queue_item(&page, troll_comment);
    assert!(strings(&item["reasons"]).contains(&"reports".to_string()));
    assert_eq!(
        item["reports"],
        json!({"abusive": 2, "off_topic": 0, "spam": 1, "other": 0})
    );
    assert_eq!(item["author"]["username"], "troll");
    assert_eq!(item["author"]["approved_count"], 0);
    let counts = app.get(&format!("/counts?articles={key}"), None).await;
    assert_eq!(counts.assert_status(200)["counts"][key], 3);

    // Afternoon: rejected, and suspended for a short while.
    let res = modo.decide(troll_comment, "reject", Some("insultes")).await;
    assert_eq!(res.assert_status(200)["status"], "rejected");
    let until = from_now(3_600_000);
    let res = modo
        .ban(troll.id, json!({"reason": "insultes", "until": until}))
        .await;
    assert_eq!(res.assert_status(200)["status"], "banned");
    assert_eq!(res.body["rejected_count"], 1);
    troll
        .comment(key, "Censure !")
        .await
        .assert_error(403, "banned");
    troll
        .report(morning[0], "abusive")
        .await
        .assert_error(403, "banned");
    assert_eq!(troll.me().await["status"], "banned");

    // Evening: the suspension is over; the troll may post, but waits for review.
    app.end_suspension(troll.id);
    assert_eq!(troll.me().await["status"], "active");
    let res = troll.comment(key, "Bon, je retire ce que j'ai dit").await;
    assert_eq!(res.assert_status(201)["status"], "pending");
    // A reader with one approved comment is not trusted yet (trusted_after = 3).
    let res = readers[0].comment(key, "Merci pour la modération").await;
    assert_eq!(
        res.assert_status(201)["status"],
        "pending",
        "one approval is not trust yet"
    );

    let actions: Vec<String> = admin
        .log_entries()
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(&actions[..2], ["ban", "reject"]);
    assert_eq!(actions.iter().filter(|a| *a == "approve").count(), 4);
}

#[tokio::test]
async fn a_banned_word_written_with_html_character_references_is_caught() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.admin
        .add_words(&[("connard", "banned"), ("حمار", "banned")])
        .await;
    for text in ["c&#111;nnard", "c&oacute;nnard", "ح&#1605;ار"] {
        let res = cast.reader.comment("a1", text).await;
        let body = res.assert_status(201);
        assert_eq!(
            body["status"], "rejected",
            "{text:?} shows as {}",
            body["html"]
        );
    }
}

#[tokio::test]
async fn an_unban_reason_is_written_to_the_log() {
    let (_app, cast) = TestApp::with_cast().await;
    let ban = format!("/mod/users/{}/ban", cast.reader.id);
    cast.moderator
        .post(&ban, json!({"reason": "insultes"}))
        .await
        .assert_status(200);
    let unban = format!("/mod/users/{}/unban", cast.reader.id);
    cast.moderator
        .post(&unban, json!({"reason": "excuses reçues"}))
        .await
        .assert_status(200);
    let log = cast.moderator.get("/mod/log").await;
    let newest = &log.assert_status(200)["entries"][0];
    assert_eq!(newest["action"], "unban");
    assert_eq!(newest["reason"], "excuses reçues");
    assert_eq!(newest["target_id"], cast.reader.id.to_string());
}

#[tokio::test]
async fn the_queue_shows_an_authors_counts_as_decisions_move_them() {
    let (_app, cast) = TestApp::with_cast().await;
    let modo = &cast.moderator;
    cast.admin.create_premoderated("pre").await;
    let first = cast.reader.comment_id("a1", "un").await;
    cast.reader.comment_id("a1", "deux").await;
    cast.reader.comment_id("pre", "en attente").await;
    assert_eq!(queue_standing(modo).await, (2, 0));
    modo.reject(first).await.assert_status(200);
    assert_eq!(queue_standing(modo).await, (1, 1));
    modo.decide(first, "restore", None).await.assert_status(200);
    assert_eq!(queue_standing(modo).await, (2, 0));
    let path = format!("/comments/{first}");
    cast.reader.delete(&path).await.assert_status(204);
    assert_eq!(queue_standing(modo).await, (1, 0));
}

/// (approved_count, rejected_count) of the first pending item's author.
async fn queue_standing(moderator: &User) -> (i64, i64) {
    let page = moderator.queue("status=pending").await;
    let author = &page["items"][0]["author"];
    let count = |name: &str| author[name].as_i64().expect(name);
    (count("approved_count"), count("rejected_count"))
}

#[tokio::test]
async fn queue_items_say_how_old_the_account_is_and_until_when_it_is_banned() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    cast.reader
        .comment("pre", "à lire")
        .await
        .assert_status(201);
    let until = "2099-01-01T00:00:00Z";
    cast.moderator
        .post(
            &format!("/mod/users/{}/ban", cast.reader.id),
            json!({"reason": "insultes", "until": until}),
        )
        .await
        .assert_status(200);

    let queue = cast.moderator.get("/mod/queue").await;
    let author = &queue.assert_status(200)["items"][0]["author"];

    let me = cast.reader.get("/me").await;
    assert_eq!(author["created_at"], me.body["created_at"]);
    assert_eq!(author["status"], "banned");
    assert_eq!(author["banned_until"], until);
    cast.moderator
        .post(&format!("/mod/users/{}/unban", cast.reader.id), json!({}))
        .await
        .assert_status(200);
    let queue = cast.moderator.get("/mod/queue").await;
    assert_eq!(
        queue.body["items"][0]["author"]["banned_until"],
        json!(null)
    );
}
