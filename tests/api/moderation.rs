//! Moderation: the queue, decisions, bulk decisions, bans, the log, the
//! pipeline seen through HTTP, and a day in the life of a moderator.

use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

// ---------------------------------------------------------------------------
// Helpers shared by moderation.rs, reports.rs and administration.rs
// ---------------------------------------------------------------------------

/// The moderation log as `token` sees it, newest first (up to 200 entries).
pub(crate) async fn log_entries(app: &TestApp, token: &str) -> Vec<Value> {
    app.get("/mod/log?limit=200", Some(token))
        .await
        .assert_status(200)["entries"]
        .as_array()
        .expect("entries")
        .clone()
}

/// A moderator's decision on a comment (approve, reject, delete, restore).
pub(crate) async fn decide(
    app: &TestApp,
    moderator: &User,
    id: i64,
    action: &str,
    reason: Option<&str>,
) -> Resp {
    let body = reason.map(|r| json!({ "reason": r }));
    app.send(
        Method::POST,
        &format!("/mod/comments/{id}/{action}"),
        Some(&moderator.token),
        body,
    )
    .await
}

/// A page of the moderation queue (`query` without the leading `?`).
pub(crate) async fn queue(app: &TestApp, token: &str, query: &str) -> Value {
    app.get(&format!("/mod/queue?{query}"), Some(token))
        .await
        .assert_status(200)
        .clone()
}

/// The comment ids of a queue page, in order.
pub(crate) fn queue_ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["comment"]["id"].as_i64().expect("comment id"))
        .collect()
}

/// The queue item of comment `id` on a page.
#[track_caller]
pub(crate) fn queue_item(page: &Value, id: i64) -> Value {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["comment"]["id"] == id)
        .unwrap_or_else(|| panic!("comment {id} not in the queue: {page}"))
        .clone()
}

pub(crate) async fn report(app: &TestApp, user: &User, id: i64, reason: &str) -> Resp {
    app.post(
        &format!("/comments/{id}/reports"),
        Some(&user.token),
        json!({ "reason": reason }),
    )
    .await
}

pub(crate) async fn ban(app: &TestApp, by: &User, user_id: i64, body: Value) -> Resp {
    app.post(&format!("/mod/users/{user_id}/ban"), Some(&by.token), body)
        .await
}

pub(crate) async fn unban(app: &TestApp, by: &User, user_id: i64) -> Resp {
    app.send(
        Method::POST,
        &format!("/mod/users/{user_id}/unban"),
        Some(&by.token),
        None,
    )
    .await
}

pub(crate) async fn add_word(app: &TestApp, admin: &User, pattern: &str, kind: &str) -> Resp {
    app.post(
        "/admin/words",
        Some(&admin.token),
        json!({ "pattern": pattern, "kind": kind }),
    )
    .await
}

pub(crate) async fn me(app: &TestApp, user: &User) -> Value {
    app.get("/me", Some(&user.token))
        .await
        .assert_status(200)
        .clone()
}

/// An RFC 3339 instant `ms` milliseconds from now.
pub(crate) fn from_now(ms: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::milliseconds(ms))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Waits until the instant `until` (RFC 3339) has passed, plus a margin.
pub(crate) async fn sleep_past(until: &str) {
    let until = chrono::DateTime::parse_from_rfc3339(until).expect("instant");
    let left = until.with_timezone(&chrono::Utc) - chrono::Utc::now();
    let wait = left.num_milliseconds().max(0) as u64 + 400;
    assert!(wait < 3500, "tests do not sleep that long: {wait} ms");
    tokio::time::sleep(Duration::from_millis(wait)).await;
}

/// The status of a comment as a moderator sees it.
pub(crate) async fn status_of(app: &TestApp, staff: &User, id: i64) -> String {
    app.get(&format!("/comments/{id}"), Some(&staff.token))
        .await
        .assert_status(200)["status"]
        .as_str()
        .expect("status")
        .to_string()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("an array: {value}"))
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

// ---------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------

#[tokio::test]
async fn decisions_apply_from_any_state_and_each_is_logged() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let id = app.comment_id(&cast.reader, "a1", "Un avis tranché").await;

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
        let res = decide(&app, &cast.moderator, id, action, reason).await;
        let body = res.assert_status(200);
        assert_eq!(body["id"], id, "{action}");
        assert_eq!(body["status"], status, "{action}");
        assert_eq!(body["article"], "a1");
        assert_eq!(body["body"], "Un avis tranché");
        assert_eq!(body["author"]["username"], "nadia");
    }

    let entries = log_entries(&app, &cast.moderator.token).await;
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
            json!({"id": cast.moderator.id, "username": "modo", "display_name": "modo"})
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
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let id = app.comment_id(&cast.reader, "a1", "À cacher").await;
    let kept = app.comment_id(&cast.other, "a1", "À garder").await;
    decide(&app, &cast.moderator, id, "reject", None)
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
    app.get(&format!("/comments/{id}"), Some(&cast.other.token))
        .await
        .assert_error(404, "not_found");
    let seen = app
        .get(&format!("/comments/{id}"), Some(&cast.moderator.token))
        .await;
    assert_eq!(seen.assert_status(200)["status"], "rejected");
    let seen = app
        .get(&format!("/comments/{id}"), Some(&cast.admin.token))
        .await;
    assert_eq!(seen.assert_status(200)["body"], "À cacher");
    let article = app.get("/articles/a1", None).await;
    assert_eq!(article.assert_status(200)["comment_count"], 1);

    // Restored, it is back for everyone.
    let res = decide(&app, &cast.moderator, id, "restore", None).await;
    assert_eq!(res.assert_status(200)["status"], "approved");
    assert_eq!(ids_of(&app.thread("a1", None).await), vec![id, kept]);
}

#[tokio::test]
async fn restore_never_undoes_an_authors_own_deletion() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let own = app.comment_id(&cast.reader, "a1", "Je retire ça").await;
    app.delete(&format!("/comments/{own}"), Some(&cast.reader.token))
        .await
        .assert_status(204);
    let before = log_entries(&app, &cast.admin.token).await.len();
    decide(&app, &cast.moderator, own, "restore", None)
        .await
        .assert_error(409, "conflict");
    assert_eq!(status_of(&app, &cast.moderator, own).await, "deleted");
    assert_eq!(
        log_entries(&app, &cast.admin.token).await.len(),
        before,
        "a refused restore leaves no log row"
    );

    // A moderator's deletion can be undone.
    let removed = app
        .comment_id(&cast.other, "a1", "Supprimé par erreur")
        .await;
    decide(&app, &cast.moderator, removed, "delete", None)
        .await
        .assert_status(200);
    let res = decide(&app, &cast.moderator, removed, "restore", None).await;
    assert_eq!(res.assert_status(200)["status"], "approved");
}

#[tokio::test]
async fn no_decision_brings_back_a_comment_its_author_deleted() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let own = app.comment_id(&cast.reader, "a1", "Je retire ça").await;
    app.delete(&format!("/comments/{own}"), Some(&cast.reader.token))
        .await
        .assert_status(204);
    let before = log_entries(&app, &cast.admin.token).await.len();
    // Neither directly...
    for action in ["approve", "reject", "restore"] {
        decide(&app, &cast.moderator, own, action, None)
            .await
            .assert_error(409, "conflict");
    }
    assert_eq!(log_entries(&app, &cast.admin.token).await.len(), before);
    // ...nor by deleting it again first: it stays the author's deletion.
    let res = decide(&app, &cast.moderator, own, "delete", Some("nettoyage")).await;
    assert_eq!(res.assert_status(200)["status"], "deleted");
    assert_eq!(log_entries(&app, &cast.admin.token).await.len(), before + 1);
    decide(&app, &cast.moderator, own, "restore", None)
        .await
        .assert_error(409, "conflict");
    // In bulk, it is named with `conflict`; the others go through.
    let other = app.comment_id(&cast.other, "a1", "Un autre avis").await;
    let res = app
        .post(
            "/mod/bulk",
            Some(&cast.moderator.token),
            json!({"action": "approve", "ids": [own, other]}),
        )
        .await;
    let body = res.assert_status(200);
    assert_eq!(body["updated"], json!([other]));
    assert_eq!(body["failed"], json!([{"id": own, "code": "conflict"}]));
    assert_eq!(status_of(&app, &cast.moderator, own).await, "deleted");
    assert!(!ids_of(&app.thread("a1", None).await).contains(&own));
}

#[tokio::test]

async fn a_moderators_delete_does_not_turn_an_authors_deletion_into_a_restorable_one() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let own = app.comment_id(&cast.reader, "a1", "Je retire ça").await;
    app.delete(&format!("/comments/{own}"), Some(&cast.reader.token))
        .await
        .assert_status(204);
    app.delete(&format!("/comments/{own}"), Some(&cast.moderator.token))
        .await
        .assert_status(204);
    decide(&app, &cast.moderator, own, "restore", None)
        .await
        .assert_error(409, "conflict");
}

#[tokio::test]
async fn decisions_check_the_path_and_the_body() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let id = app.comment_id(&cast.reader, "a1", "Bonjour").await;
    for action in ["approve", "reject", "delete", "restore"] {
        decide(&app, &cast.moderator, 999_999, action, None)
            .await
            .assert_error(404, "not_found");
        for bad in ["0", "-1", "abc"] {
            app.send(
                Method::POST,
                &format!("/mod/comments/{bad}/{action}"),
                Some(&cast.moderator.token),
                None,
            )
            .await
            .assert_error(404, "not_found");
        }
    }
    app.post(
        &format!("/mod/comments/{id}/reject"),
        Some(&cast.moderator.token),
        json!({"reason": "x", "status": "approved"}),
    )
    .await
    .assert_field_error("status");
    app.post(
        &format!("/mod/comments/{id}/reject"),
        Some(&cast.moderator.token),
        json!({ "reason": "x".repeat(501) }),
    )
    .await
    .assert_field_error("reason");
    app.post(
        &format!("/mod/comments/{id}/reject"),
        Some(&cast.moderator.token),
        json!({ "reason": 5 }),
    )
    .await
    .assert_field_error("reason");
    // Every field is optional: an empty body, with or without a content type.
    let res = app
        .send_raw(
            Method::POST,
            &format!("/mod/comments/{id}/reject"),
            Some(&cast.moderator.token),
            None,
            vec![],
        )
        .await;
    assert_eq!(res.assert_status(200)["status"], "rejected");
    let res = app
        .send_raw(
            Method::POST,
            &format!("/mod/comments/{id}/approve"),
            Some(&cast.moderator.token),
            Some("application/json"),
            vec![],
        )
        .await;
    assert_eq!(res.assert_status(200)["status"], "approved");
    assert_eq!(status_of(&app, &cast.moderator, id).await, "approved");
}

// ---------------------------------------------------------------------------
// Bulk
// ---------------------------------------------------------------------------

#[tokio::test]
async fn bulk_decides_each_id_and_names_the_ones_it_could_not() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let a = app.comment_id(&cast.reader, "a1", "un").await;
    let b = app.comment_id(&cast.other, "a1", "deux").await;
    let c = app.comment_id(&cast.reader, "a1", "trois").await;
    let res = app
        .post(
            "/mod/bulk",
            Some(&cast.moderator.token),
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
        assert_eq!(status_of(&app, &cast.moderator, id).await, "rejected");
    }
    assert!(app.thread("a1", None).await.is_empty());
    let entries = log_entries(&app, &cast.moderator.token).await;
    let rejects: Vec<&Value> = entries.iter().filter(|e| e["action"] == "reject").collect();
    assert_eq!(rejects.len(), 3, "one row per updated id");
    assert!(rejects.iter().all(|e| e["reason"] == "vague de spam"));

    let res = app
        .post(
            "/mod/bulk",
            Some(&cast.moderator.token),
            json!({"action": "approve", "ids": [a, b]}),
        )
        .await;
    assert_eq!(res.assert_status(200)["updated"], json!([a, b]));
    assert_eq!(res.body["failed"], json!([]));
    let res = app
        .post(
            "/mod/bulk",
            Some(&cast.moderator.token),
            json!({"action": "delete", "ids": [c]}),
        )
        .await;
    assert_eq!(res.assert_status(200)["updated"], json!([c]));
    assert_eq!(status_of(&app, &cast.moderator, c).await, "deleted");
    assert_eq!(ids_of(&app.thread("a1", None).await), vec![a, b]);
}

#[tokio::test]
async fn bulk_takes_one_to_a_hundred_ids_and_no_restore() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let id = app.comment_id(&cast.reader, "a1", "Bonjour").await;
    let token = Some(cast.moderator.token.as_str());
    let before = log_entries(&app, &cast.moderator.token).await.len();

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
    assert_eq!(status_of(&app, &cast.moderator, id).await, "approved");
    assert_eq!(log_entries(&app, &cast.moderator.token).await.len(), before);

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
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    app.create_article(
        &cast.admin,
        "pre",
        json!({"moderation": "pre", "title": "Le débat"}),
    )
    .await;
    let approved = app.comment_id(&cast.reader, "a1", "Publié d'emblée").await;
    let first = app.comment(&cast.reader, "pre", "Premier avis").await;
    assert_eq!(first.assert_status(201)["status"], "pending");
    let first = first.body["id"].as_i64().unwrap();
    let second = app.comment_id(&cast.other, "pre", "Second avis").await;

    let page = queue(&app, &cast.moderator.token, "").await;
    assert_eq!(queue_ids(&page), vec![first, second]);
    assert_eq!(page["total"], 2);
    assert_eq!(page["next_cursor"], Value::Null);
    let item = queue_item(&page, first);
    assert_eq!(item["comment"]["status"], "pending");
    assert_eq!(item["comment"]["body"], "Premier avis");
    assert_eq!(item["comment"]["article"], "pre");
    assert_eq!(item["article"], json!({"key": "pre", "title": "Le débat"}));
    let joined = app.get("/me", Some(&cast.reader.token)).await.body["created_at"].clone();
    assert_eq!(
        item["author"],
        json!({
            "id": cast.reader.id, "username": "nadia", "display_name": "nadia",
            "status": "active", "approved_count": 1, "rejected_count": 0,
            "created_at": joined, "banned_until": null
        })
    );
    assert_eq!(item["reasons"], json!(["premoderation"]));
    assert_eq!(
        item["reports"],
        json!({"abusive": 0, "off_topic": 0, "spam": 0, "other": 0})
    );
    // `status=pending` is the default.
    let explicit = queue(&app, &cast.moderator.token, "status=pending").await;
    assert_eq!(queue_ids(&explicit), vec![first, second]);
    // Admins read it too; approved comments are not in it.
    let page = queue(&app, &cast.admin.token, "").await;
    assert!(!queue_ids(&page).contains(&approved));

    // Decided comments leave it.
    decide(&app, &cast.moderator, first, "approve", None)
        .await
        .assert_status(200);
    let page = queue(&app, &cast.moderator.token, "").await;
    assert_eq!(queue_ids(&page), vec![second]);
    assert_eq!(page["total"], 1);
}

#[tokio::test]
async fn the_queue_filters_by_status_and_article() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    app.create_article(&cast.admin, "pre", json!({"moderation": "pre"}))
        .await;
    app.create_article(&cast.admin, "pre2", json!({"moderation": "pre"}))
        .await;
    let p1 = app.comment_id(&cast.reader, "pre", "en attente 1").await;
    let p2 = app.comment_id(&cast.reader, "pre2", "en attente 2").await;
    let r1 = app.comment_id(&cast.other, "a1", "à rejeter").await;
    decide(&app, &cast.moderator, r1, "reject", Some("insulte"))
        .await
        .assert_status(200);
    let reported = app.comment_id(&cast.other, "a1", "signalé").await;
    report(&app, &cast.reader, reported, "spam")
        .await
        .assert_status(201);
    let token = &cast.moderator.token;

    assert_eq!(
        queue_ids(&queue(&app, token, "status=pending").await),
        vec![p1, p2]
    );
    let page = queue(&app, token, "status=pending&article=pre2").await;
    assert_eq!(queue_ids(&page), vec![p2]);
    assert_eq!(page["total"], 1);
    let page = queue(&app, token, "status=rejected").await;
    assert_eq!(queue_ids(&page), vec![r1]);
    assert_eq!(queue_item(&page, r1)["comment"]["status"], "rejected");
    let page = queue(&app, token, "status=reported").await;
    assert_eq!(queue_ids(&page), vec![reported]);
    assert_eq!(
        queue_item(&page, reported)["reports"],
        json!({"abusive": 0, "off_topic": 0, "spam": 1, "other": 0})
    );
    assert_eq!(
        queue_ids(&queue(&app, token, "status=reported&article=pre").await),
        Vec::<i64>::new()
    );
    let page = queue(&app, token, "article=nowhere").await;
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
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    app.create_article(&cast.admin, "pre", json!({"moderation": "pre"}))
        .await;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            app.comment_id(&cast.reader, "pre", &format!("avis numéro {i}"))
                .await,
        );
    }
    let token = &cast.moderator.token;
    let mut seen = Vec::new();
    let mut query = "limit=2".to_string();
    let mut pages = 0;
    loop {
        let page = queue(&app, token, &query).await;
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
    let first = queue(&app, token, "limit=2").await;
    decide(&app, &cast.moderator, ids[0], "approve", None)
        .await
        .assert_status(200);
    let cursor = first["next_cursor"].as_str().unwrap();
    let next = queue(&app, token, &format!("limit=2&cursor={cursor}")).await;
    assert_eq!(queue_ids(&next), vec![ids[2], ids[3]]);
    assert_eq!(next["total"], 4);
}

#[tokio::test]
async fn queue_totals_follow_every_write_at_once() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    app.create_article(&cast.admin, "pre", json!({"moderation": "pre"}))
        .await;
    let token = &cast.moderator.token;
    let first = app.comment_id(&cast.reader, "pre", "premier avis").await;
    assert_eq!(queue(&app, token, "limit=1").await["total"], 1);
    // Read again at once: the same count, then each write shows on the next read.
    assert_eq!(queue(&app, token, "limit=1").await["total"], 1);
    app.comment_id(&cast.other, "pre", "deuxième avis").await;
    assert_eq!(queue(&app, token, "limit=1").await["total"], 2);
    decide(&app, &cast.moderator, first, "reject", None)
        .await
        .assert_status(200);
    assert_eq!(queue(&app, token, "limit=1").await["total"], 1);
    assert_eq!(queue(&app, token, "status=rejected").await["total"], 1);
    assert_eq!(queue(&app, token, "status=reported").await["total"], 0);
    app.create_article(&cast.admin, "libre", json!({})).await;
    let open = app
        .comment_id(&cast.reader, "libre", "un avis publié")
        .await;
    report(&app, &cast.other, open, "spam")
        .await
        .assert_status(201);
    assert_eq!(queue(&app, token, "status=reported").await["total"], 1);
}

#[tokio::test]
async fn the_reported_queue_shows_the_reports_notes_newest_first() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let id = app.comment_id(&cast.reader, "a1", "un avis discuté").await;
    app.post(
        &format!("/comments/{id}/reports"),
        Some(&cast.other.token),
        json!({"reason": "off_topic", "note": "rien à voir avec l'article"}),
    )
    .await
    .assert_status(201);
    app.post(
        &format!("/comments/{id}/reports"),
        Some(&cast.moderator.token),
        json!({"reason": "spam", "note": "lien publicitaire"}),
    )
    .await
    .assert_status(201);
    app.post(
        &format!("/comments/{id}/reports"),
        Some(&cast.admin.token),
        json!({"reason": "abusive"}),
    )
    .await
    .assert_status(201);
    let page = queue(&app, &cast.moderator.token, "status=reported").await;
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
    app.create_article(&cast.admin, "pre", json!({"moderation": "pre"}))
        .await;
    let held = app.comment_id(&cast.reader, "pre", "en attente").await;
    let pending = queue(&app, &cast.moderator.token, "").await;
    assert_eq!(queue_item(&pending, held)["report_notes"], json!([]));
}

// ---------------------------------------------------------------------------
// Accounts and bans
// ---------------------------------------------------------------------------

#[tokio::test]
async fn standing_shows_an_accounts_counts_and_recent_comments() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    app.create_article(&cast.admin, "pre", json!({"moderation": "pre"}))
        .await;
    let a = app.comment_id(&cast.reader, "a1", "premier").await;
    let b = app.comment_id(&cast.reader, "a1", "deuxième").await;
    let c = app.comment_id(&cast.reader, "a1", "troisième").await;
    decide(&app, &cast.moderator, c, "reject", None)
        .await
        .assert_status(200);
    let d = app.comment_id(&cast.reader, "pre", "quatrième").await;

    let res = app
        .get(
            &format!("/mod/users/{}", cast.reader.id),
            Some(&cast.moderator.token),
        )
        .await;
    let body = res.assert_status(200);
    assert_eq!(
        body["user"],
        json!({"id": cast.reader.id, "username": "nadia", "display_name": "nadia"})
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

    let res = app
        .get(
            &format!("/mod/users/{}", cast.moderator.id),
            Some(&cast.admin.token),
        )
        .await;
    assert_eq!(res.assert_status(200)["role"], "moderator");
    app.get("/mod/users/999999", Some(&cast.moderator.token))
        .await
        .assert_error(404, "not_found");
    app.get("/mod/users/abc", Some(&cast.moderator.token))
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn a_ban_applies_on_the_very_next_request_with_the_same_token() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let nadia = &cast.reader;
    let own = app.comment_id(nadia, "a1", "mon avis").await;
    let others = app.comment_id(&cast.other, "a1", "l'avis de karim").await;

    let res = ban(
        &app,
        &cast.moderator,
        nadia.id,
        json!({"reason": "insultes répétées"}),
    )
    .await;
    let body = res.assert_status(200);
    assert_eq!(body["user"]["id"], nadia.id);
    assert_eq!(body["status"], "banned");
    assert_eq!(body["banned_until"], Value::Null, "no until: permanent");
    assert_eq!(body["ban_reason"], "insultes répétées");
    assert_eq!(body["approved_count"], 1);

    // Writes are refused...
    app.comment(nadia, "a1", "je reviens")
        .await
        .assert_error(403, "banned");
    report(&app, nadia, others, "spam")
        .await
        .assert_error(403, "banned");
    app.patch("/me", Some(&nadia.token), json!({"display_name": "Nadia"}))
        .await
        .assert_error(403, "banned");
    app.patch(
        &format!("/comments/{own}"),
        Some(&nadia.token),
        json!({"body": "modifié"}),
    )
    .await
    .assert_error(403, "banned");
    app.delete(&format!("/comments/{own}"), Some(&nadia.token))
        .await
        .assert_error(403, "banned");
    // ...reading, exporting and signing out are not.
    let me = me(&app, nadia).await;
    assert_eq!(me["status"], "banned");
    assert_eq!(me["banned_until"], Value::Null);
    assert_eq!(me["display_name"], "nadia", "PATCH /me changed nothing");
    let export = app.get("/me/export", Some(&nadia.token)).await;
    assert_eq!(export.assert_status(200)["user"]["status"], "banned");
    assert_eq!(app.thread("a1", Some(&nadia.token)).await.len(), 2);
    app.get(&format!("/comments/{own}"), Some(&nadia.token))
        .await
        .assert_status(200);
    app.send(Method::POST, "/auth/logout", Some(&nadia.token), None)
        .await
        .assert_status(204);

    // Signing in again does not lift the ban.
    let again = app.login("nadia", nadia.id).await;
    app.comment(&again, "a1", "je reviens")
        .await
        .assert_error(403, "banned");

    let entry = &log_entries(&app, &cast.moderator.token).await[0];
    assert_eq!(entry["action"], "ban");
    assert_eq!(entry["target_type"], "user");
    assert_eq!(entry["target_id"], nadia.id.to_string());
    assert_eq!(entry["reason"], "insultes répétées");
    assert_eq!(entry["actor"]["username"], "modo");
}

#[tokio::test]
async fn a_suspension_ends_at_until() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let until = from_now(2000);
    let res = ban(
        &app,
        &cast.moderator,
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

    let me_now = me(&app, &cast.reader).await;
    assert_eq!(me_now["status"], "banned");
    assert_eq!(me_now["banned_until"], shown);
    let refused = app.comment(&cast.reader, "a1", "pendant").await;
    refused.assert_error(403, "banned");

    sleep_past(&until).await;
    let res = app.comment(&cast.reader, "a1", "après").await;
    assert_eq!(res.assert_status(201)["status"], "approved");
    let me_after = me(&app, &cast.reader).await;
    assert_eq!(me_after["status"], "active");
    assert_eq!(me_after["banned_until"], Value::Null);
    let standing = app
        .get(
            &format!("/mod/users/{}", cast.reader.id),
            Some(&cast.moderator.token),
        )
        .await;
    assert_eq!(standing.assert_status(200)["status"], "active");
    app.patch(
        "/me",
        Some(&cast.reader.token),
        json!({"display_name": "Nadia"}),
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn unban_lifts_the_ban_at_once_and_is_logged() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let until = from_now(3_600_000);
    ban(
        &app,
        &cast.moderator,
        cast.reader.id,
        json!({"reason": "r", "until": until}),
    )
    .await
    .assert_status(200);
    app.comment(&cast.reader, "a1", "non")
        .await
        .assert_error(403, "banned");
    let res = unban(&app, &cast.moderator, cast.reader.id).await;
    let body = res.assert_status(200);
    assert_eq!(body["status"], "active");
    assert_eq!(body["banned_until"], Value::Null);
    assert_eq!(body["ban_reason"], Value::Null);
    app.comment(&cast.reader, "a1", "oui")
        .await
        .assert_status(201);
    assert_eq!(me(&app, &cast.reader).await["status"], "active");

    let entries = log_entries(&app, &cast.moderator.token).await;
    assert_eq!(entries[0]["action"], "unban");
    assert_eq!(entries[0]["target_type"], "user");
    assert_eq!(entries[0]["target_id"], cast.reader.id.to_string());
    assert_eq!(entries[1]["action"], "ban");
    // Unbanning an account that is not banned is harmless.
    unban(&app, &cast.moderator, cast.other.id)
        .await
        .assert_status(200);
    unban(&app, &cast.moderator, 999_999)
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn a_ban_needs_a_reason_and_a_future_until() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let id = cast.reader.id;
    let before = log_entries(&app, &cast.admin.token).await.len();
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
        ban(&app, &cast.moderator, id, body.clone())
            .await
            .assert_field_error(field);
    }
    assert_eq!(me(&app, &cast.reader).await["status"], "active");
    assert_eq!(log_entries(&app, &cast.admin.token).await.len(), before);

    // 500 characters is the limit, not beyond.
    ban(
        &app,
        &cast.moderator,
        id,
        json!({"reason": "x".repeat(500)}),
    )
    .await
    .assert_status(200);
    ban(&app, &cast.moderator, 999_999, json!({"reason": "r"}))
        .await
        .assert_error(404, "not_found");
    ban(&app, &cast.moderator, 0, json!({"reason": "r"}))
        .await
        .assert_error(404, "not_found");
    app.post(
        "/mod/users/abc/ban",
        Some(&cast.moderator.token),
        json!({"reason": "r"}),
    )
    .await
    .assert_error(404, "not_found");
}

#[tokio::test]
async fn moderators_ban_only_readers_and_nobody_bans_themselves() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let second = app.moderator(&cast.admin, "modo2").await;
    let reason = json!({"reason": "abus"});
    let before = log_entries(&app, &cast.admin.token).await.len();

    ban(&app, &cast.moderator, cast.admin.id, reason.clone())
        .await
        .assert_error(403, "forbidden");
    ban(&app, &cast.moderator, second.id, reason.clone())
        .await
        .assert_error(403, "forbidden");
    ban(&app, &cast.moderator, cast.moderator.id, reason.clone())
        .await
        .assert_error(403, "forbidden");
    ban(&app, &cast.admin, cast.admin.id, reason.clone())
        .await
        .assert_error(403, "forbidden");
    assert_eq!(log_entries(&app, &cast.admin.token).await.len(), before);

    // An admin bans a moderator, who then loses the moderation routes.
    let res = ban(&app, &cast.admin, second.id, reason.clone()).await;
    assert_eq!(res.assert_status(200)["status"], "banned");
    app.get("/mod/queue", Some(&second.token))
        .await
        .assert_error(403, "banned");
    let id = app.comment_id(&cast.reader, "a1", "bonjour").await;
    decide(&app, &second, id, "reject", None)
        .await
        .assert_error(403, "banned");
    ban(&app, &second, cast.other.id, reason.clone())
        .await
        .assert_error(403, "banned");
    app.delete(&format!("/comments/{id}"), Some(&second.token))
        .await
        .assert_error(403, "banned");
    assert_eq!(status_of(&app, &cast.moderator, id).await, "approved");
    // Another moderator cannot lift it either.
    unban(&app, &cast.moderator, second.id)
        .await
        .assert_error(403, "forbidden");
    unban(&app, &cast.moderator, cast.admin.id)
        .await
        .assert_error(403, "forbidden");
    app.get("/mod/queue", Some(&second.token))
        .await
        .assert_error(403, "banned");
    // The admin can.
    unban(&app, &cast.admin, second.id).await.assert_status(200);
    app.get("/mod/queue", Some(&second.token))
        .await
        .assert_status(200);
    // Admins ban admins too.
    let other_admin = app.admin_named("chef2").await;
    ban(&app, &cast.admin, other_admin.id, reason.clone())
        .await
        .assert_status(200);
    app.get("/admin/stats", Some(&other_admin.token))
        .await
        .assert_error(403, "banned");
}

// ---------------------------------------------------------------------------
// The log
// ---------------------------------------------------------------------------

#[tokio::test]
async fn the_log_pages_newest_first() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let id = app.comment_id(&cast.reader, "a1", "bonjour").await;
    for i in 0..5 {
        decide(&app, &cast.moderator, id, "approve", Some(&format!("n{i}")))
            .await
            .assert_status(200);
    }
    let all = log_entries(&app, &cast.moderator.token).await;
    let mut seen = Vec::new();
    let mut path = "/mod/log?limit=2".to_string();
    loop {
        let page = app.get(&path, Some(&cast.moderator.token)).await;
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
    app.get("/mod/log?cursor=%%%", Some(&cast.moderator.token))
        .await
        .assert_error(400, "invalid_cursor");
    app.get("/mod/log?limit=0", Some(&cast.moderator.token))
        .await
        .assert_field_error("limit");
}

// ---------------------------------------------------------------------------
// The pipeline, seen through HTTP
// ---------------------------------------------------------------------------

#[tokio::test]
async fn premoderation_holds_a_new_reader_until_trusted() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    app.create_article(&cast.admin, "pre", json!({"moderation": "pre"}))
        .await;
    let mut held = Vec::new();
    for i in 0..3 {
        let res = app.comment(&cast.reader, "pre", &format!("avis {i}")).await;
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
    let page = queue(&app, &cast.moderator.token, "article=pre").await;
    for id in &held {
        assert_eq!(queue_item(&page, *id)["reasons"], json!(["premoderation"]));
    }
    for (n, id) in held.iter().enumerate() {
        decide(&app, &cast.moderator, *id, "approve", None)
            .await
            .assert_status(200);
        let next = app
            .comment(&cast.reader, "pre", &format!("suite {n}"))
            .await;
        let expected = if n == 2 { "approved" } else { "pending" };
        assert_eq!(
            next.assert_status(201)["status"],
            expected,
            "after {} approvals",
            n + 1
        );
    }
    // On a post-moderated article nobody waits.
    let res = app.comment(&cast.other, "a1", "direct").await;
    assert_eq!(res.assert_status(201)["status"], "approved");
}

#[tokio::test]
async fn staff_comments_are_always_approved() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    app.create_article(&cast.admin, "pre", json!({"moderation": "pre"}))
        .await;
    add_word(&app, &cast.admin, "arnaque", "suspect")
        .await
        .assert_status(201);
    let text = "Attention arnaque http://a.example http://b.example http://c.example";
    for staff in [&cast.moderator, &cast.admin] {
        for key in ["pre", "a1"] {
            let res = app.comment(staff, key, text).await;
            assert_eq!(
                res.assert_status(201)["status"],
                "approved",
                "{} on {key}",
                staff.username
            );
        }
    }
    let res = app.comment(&cast.reader, "a1", text).await;
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
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let word = add_word(&app, &cast.admin, "connard", "banned").await;
    word.assert_status(201);
    add_word(&app, &cast.admin, "حمار", "banned")
        .await
        .assert_status(201);

    let mut rejected = Vec::new();
    for text in FRENCH_DISGUISES.iter().chain(ARABIC_DISGUISES) {
        let res = app.comment(&cast.reader, "a1", text).await;
        let body = res.assert_status(201);
        assert_eq!(body["status"], "rejected", "{text:?} was not caught");
        rejected.push(body["id"].as_i64().unwrap());
    }
    // Hidden from readers, listed for moderators with the reason.
    assert!(app.thread("a1", None).await.is_empty());
    assert!(app.thread("a1", Some(&cast.reader.token)).await.is_empty());
    let page = queue(&app, &cast.moderator.token, "status=rejected&limit=200").await;
    assert_eq!(queue_ids(&page), rejected);
    for id in &rejected {
        assert_eq!(queue_item(&page, *id)["reasons"], json!(["banned_word"]));
    }
    // The author still sees their own comment by id; other readers do not.
    let id = rejected[0];
    let own = app
        .get(&format!("/comments/{id}"), Some(&cast.reader.token))
        .await;
    assert_eq!(own.assert_status(200)["status"], "rejected");
    app.get(&format!("/comments/{id}"), Some(&cast.other.token))
        .await
        .assert_error(404, "not_found");
    // A false positive can be restored.
    let res = decide(&app, &cast.moderator, id, "restore", Some("faux positif")).await;
    assert_eq!(res.assert_status(200)["status"], "approved");

    // Words that merely look alike pass.
    for text in [
        "Bonne connaissance du dossier",
        "Le con\u{00AD}sensus est large",
        "Un âne et un cheval",
        "الحمام نظيف",
        "مقال رائع، شكرا",
    ] {
        let res = app.comment(&cast.other, "a1", text).await;
        assert_eq!(res.assert_status(201)["status"], "approved", "{text:?}");
    }
}

#[tokio::test]
async fn suspect_words_links_and_repeats_hold_the_comment_with_their_reason() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    add_word(&app, &cast.admin, "arnaque", "suspect")
        .await
        .assert_status(201);
    let post = |text: &'static str| {
        let app = &app;
        let reader = cast.reader.clone();
        async move {
            let res = app.comment(&reader, "a1", text).await;
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

    let page = queue(&app, &cast.moderator.token, "").await;
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
    let res = app
        .comment(&cast.other, "a1", "Je suis d'accord avec vous.")
        .await;
    assert_eq!(res.assert_status(201)["status"], "approved");
}

#[tokio::test]
async fn an_edit_that_adds_a_suspect_word_goes_back_to_the_queue() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    add_word(&app, &cast.admin, "arnaque", "suspect")
        .await
        .assert_status(201);
    let id = app
        .comment_id(&cast.reader, "a1", "Offre intéressante")
        .await;
    let res = app
        .patch(
            &format!("/comments/{id}"),
            Some(&cast.reader.token),
            json!({"body": "Offre intéressante, sauf que c'est une arnaque"}),
        )
        .await;
    let body = res.assert_status(200);
    assert_eq!(body["status"], "pending");
    assert!(body["edited_at"].is_string());
    let page = queue(&app, &cast.moderator.token, "").await;
    let reasons = strings(&queue_item(&page, id)["reasons"]);
    assert!(reasons.contains(&"edited".to_string()), "{reasons:?}");
    assert!(reasons.contains(&"suspect_word".to_string()), "{reasons:?}");
    assert!(app.thread("a1", Some(&cast.other.token)).await.is_empty());
    // An edit that keeps the text clean stays published.
    let clean = app.comment_id(&cast.other, "a1", "Bon article").await;
    let res = app
        .patch(
            &format!("/comments/{clean}"),
            Some(&cast.other.token),
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
    let app = Arc::new(TestApp::spawn().await);
    let cast = app.cast().await;
    let second = app.moderator(&cast.admin, "modo2").await;
    let id = app.comment_id(&cast.reader, "a1", "Un avis disputé").await;
    let before = log_entries(&app, &cast.admin.token).await.len();
    let rounds = 20;
    for round in 0..rounds {
        let mut set = tokio::task::JoinSet::new();
        for (who, action) in [
            (cast.moderator.clone(), "approve"),
            (second.clone(), "reject"),
        ] {
            let app = app.clone();
            set.spawn(async move {
                let res = decide(&app, &who, id, action, Some(&format!("tour {round}"))).await;
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
        let status = status_of(&app, &cast.moderator, id).await;
        assert!(
            status == "approved" || status == "rejected",
            "round {round}: {status}"
        );
    }
    let entries = log_entries(&app, &cast.admin.token).await;
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
    app.create_article(
        &admin,
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
        let res = app.comment(reader, key, text).await;
        assert_eq!(res.assert_status(201)["status"], "pending");
        morning.push(res.body["id"].as_i64().unwrap());
    }
    let res = app
        .comment(&troll, key, "Vous êtes tous des moutons, réveillez-vous")
        .await;
    assert_eq!(res.assert_status(201)["status"], "pending");
    let troll_comment = res.body["id"].as_i64().unwrap();
    assert!(app.thread(key, None).await.is_empty());
    let page = queue(&app, &modo.token, &format!("article={key}")).await;
    assert_eq!(page["total"], 4);
    assert!(page["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["reasons"] == json!(["premoderation"])));
    // The moderator lets everything through.
    let mut all = morning.clone();
    all.push(troll_comment);
    let res = app
        .post(
            "/mod/bulk",
            Some(&modo.token),
            json!({"action": "approve", "ids": all}),
        )
        .await;
    assert_eq!(res.assert_status(200)["failed"], json!([]));
    assert_eq!(app.thread(key, None).await.len(), 4);

    // Noon: the three readers report the troll.
    for (n, (reader, reason)) in readers
        .iter()
        .zip(["abusive", "abusive", "spam"])
        .enumerate()
    {
        report(&app, reader, troll_comment, reason)
            .await
            .assert_status(201);
        if n == 0 {
            report(&app, reader, troll_comment, "other")
                .await
                .assert_error(409, "already_reported");
        }
    }
    // Held, the comment can no longer be reported: readers cannot see it.
    let late = app.register("late").await;
    report(&app, &late, troll_comment, "other")
        .await
        .assert_error(404, "not_found");
    // At the threshold the comment is held again.
    let public = ids_of(&app.thread(key, None).await);
    assert_eq!(public, morning, "the troll's comment left the thread");
    let page = queue(&app, &modo.token, "status=pending").await;
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
    let res = decide(&app, &modo, troll_comment, "reject", Some("insultes")).await;
    assert_eq!(res.assert_status(200)["status"], "rejected");
    let until = from_now(2000);
    let res = ban(
        &app,
        &modo,
        troll.id,
        json!({"reason": "insultes", "until": until}),
    )
    .await;
    assert_eq!(res.assert_status(200)["status"], "banned");
    assert_eq!(res.body["rejected_count"], 1);
    app.comment(&troll, key, "Censure !")
        .await
        .assert_error(403, "banned");
    report(&app, &troll, morning[0], "abusive")
        .await
        .assert_error(403, "banned");
    assert_eq!(me(&app, &troll).await["status"], "banned");

    // Evening: the suspension is over; the troll may post, but waits for review.
    sleep_past(&until).await;
    assert_eq!(me(&app, &troll).await["status"], "active");
    let res = app
        .comment(&troll, key, "Bon, je retire ce que j'ai dit")
        .await;
    assert_eq!(res.assert_status(201)["status"], "pending");
    // A reader with one approved comment is not trusted yet (trusted_after = 3).
    let res = app
        .comment(&readers[0], key, "Merci pour la modération")
        .await;
    assert_eq!(
        res.assert_status(201)["status"],
        "pending",
        "one approval is not trust yet"
    );

    let actions: Vec<String> = log_entries(&app, &admin.token)
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(&actions[..2], ["ban", "reject"]);
    assert_eq!(actions.iter().filter(|a| *a == "approve").count(), 4);
}

#[tokio::test]

async fn a_banned_word_written_with_html_character_references_is_caught() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    add_word(&app, &cast.admin, "connard", "banned")
        .await
        .assert_status(201);
    add_word(&app, &cast.admin, "حمار", "banned")
        .await
        .assert_status(201);
    for text in ["c&#111;nnard", "c&oacute;nnard", "ح&#1605;ار"] {
        let res = app.comment(&cast.reader, "a1", text).await;
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
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    let ban = format!("/mod/users/{}/ban", cast.reader.id);
    app.post(
        &ban,
        Some(&cast.moderator.token),
        json!({"reason": "insultes"}),
    )
    .await
    .assert_status(200);
    let unban = format!("/mod/users/{}/unban", cast.reader.id);
    app.post(
        &unban,
        Some(&cast.moderator.token),
        json!({"reason": "excuses reçues"}),
    )
    .await
    .assert_status(200);
    let log = app.get("/mod/log", Some(&cast.moderator.token)).await;
    let newest = &log.assert_status(200)["entries"][0];
    assert_eq!(newest["action"], "unban");
    assert_eq!(newest["reason"], "excuses reçues");
    assert_eq!(newest["target_id"], cast.reader.id.to_string());
}

#[tokio::test]
async fn the_queue_shows_an_authors_counts_as_decisions_move_them() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    app.create_article(&cast.admin, "pre", json!({"moderation": "pre"}))
        .await;
    let first = app.comment_id(&cast.reader, "a1", "un").await;
    app.comment_id(&cast.reader, "a1", "deux").await;
    app.comment_id(&cast.reader, "pre", "en attente").await;
    assert_eq!(
        queue_standing(&app, &cast.moderator.token).await,
        (json!(2), json!(0))
    );
    decide(&app, &cast.moderator, first, "reject", None)
        .await
        .assert_status(200);
    assert_eq!(
        queue_standing(&app, &cast.moderator.token).await,
        (json!(1), json!(1))
    );
    decide(&app, &cast.moderator, first, "restore", None)
        .await
        .assert_status(200);
    assert_eq!(
        queue_standing(&app, &cast.moderator.token).await,
        (json!(2), json!(0))
    );
    app.delete(&format!("/comments/{first}"), Some(&cast.reader.token))
        .await
        .assert_status(204);
    assert_eq!(
        queue_standing(&app, &cast.moderator.token).await,
        (json!(1), json!(0))
    );
}

/// (approved_count, rejected_count) of the first pending item's author.
async fn queue_standing(app: &TestApp, token: &str) -> (Value, Value) {
    let res = app.get("/mod/queue?status=pending", Some(token)).await;
    let author = res.assert_status(200)["items"][0]["author"].clone();
    (
        author["approved_count"].clone(),
        author["rejected_count"].clone(),
    )
}

#[tokio::test]
async fn queue_items_say_how_old_the_account_is_and_until_when_it_is_banned() {
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    app.create_article(&cast.admin, "pre", json!({"moderation": "pre"}))
        .await;
    app.comment(&cast.reader, "pre", "à lire")
        .await
        .assert_status(201);
    let until = "2099-01-01T00:00:00Z";
    app.post(
        &format!("/mod/users/{}/ban", cast.reader.id),
        Some(&cast.moderator.token),
        json!({"reason": "insultes", "until": until}),
    )
    .await
    .assert_status(200);

    let queue = app.get("/mod/queue", Some(&cast.moderator.token)).await;
    let author = &queue.assert_status(200)["items"][0]["author"];

    let me = app.get("/me", Some(&cast.reader.token)).await;
    assert_eq!(author["created_at"], me.body["created_at"]);
    assert_eq!(author["status"], "banned");
    assert_eq!(author["banned_until"], until);
    app.post(
        &format!("/mod/users/{}/unban", cast.reader.id),
        Some(&cast.moderator.token),
        json!({}),
    )
    .await
    .assert_status(200);
    let queue = app.get("/mod/queue", Some(&cast.moderator.token)).await;
    assert_eq!(
        queue.body["items"][0]["author"]["banned_until"],
        json!(null)
    );
}
