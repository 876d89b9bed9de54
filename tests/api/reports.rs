//! Readers reporting comments, and what reports do to a comment.

use crate::helpers::*;

use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn a_reader_reports_a_comment_they_can_see() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.other.comment_id("a1", "Achetez mes montres").await;
    let res = cast
        .reader
        .post(
            &format!("/comments/{id}/reports"),
            json!({"reason": "spam", "note": "  publicité  "}),
        )
        .await;
    let body = res.assert_status(201);
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 3, "exactly id, reason, created_at: {body}");
    assert!(body["id"].as_i64().unwrap() > 0);
    assert_eq!(body["reason"], "spam");
    assert!(body["created_at"].as_str().unwrap().ends_with('Z'));

    // The reporter finds it in their export; the comment stays published.
    let export = cast.reader.get("/me/export").await;
    let reports = export.assert_status(200)["reports"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(reports.len(), 1);
    assert_eq!(ids_of(&app.thread("a1", None).await), vec![id]);

    // Every reason of the contract is accepted, the note is optional.
    let second = cast.other.comment_id("a1", "Un autre avis").await;
    let reporters = [
        cast.reader.clone(),
        app.register("sami").await,
        app.register("lina").await,
        app.register("omar").await,
    ];
    // Raise the threshold (3) so that four reports keep the comment public.
    app.set_settings(|s| s.report_threshold = 10);
    for (reporter, reason) in reporters
        .iter()
        .zip(["abusive", "off_topic", "spam", "other"])
    {
        let res = reporter.report(second, reason).await;
        assert_eq!(res.assert_status(201)["reason"], reason);
    }
    // Staff may report too.
    cast.moderator
        .report(second, "other")
        .await
        .assert_status(201);
}

#[tokio::test]
async fn a_second_report_by_the_same_reader_is_refused() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.other.comment_id("a1", "Un avis").await;
    cast.reader.report(id, "spam").await.assert_status(201);
    cast.reader
        .report(id, "spam")
        .await
        .assert_error(409, "already_reported");
    cast.reader
        .report(id, "abusive")
        .await
        .assert_error(409, "already_reported");
    let page = cast.moderator.queue("status=reported").await;
    assert_eq!(
        queue_item(&page, id)["reports"],
        json!({"abusive": 0, "off_topic": 0, "spam": 1, "other": 0})
    );
}

#[tokio::test]
async fn nobody_reports_their_own_comment() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Mon propre avis").await;
    cast.reader
        .report(id, "spam")
        .await
        .assert_error(403, "forbidden");
    let page = cast.moderator.queue("status=reported").await;
    assert_eq!(page["total"], 0);
}

#[tokio::test]
async fn only_approved_comments_can_be_reported() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    let pending = cast.other.comment_id("pre", "en attente").await;
    let rejected = cast.other.comment_id("a1", "rejeté").await;
    cast.moderator
        .decide(rejected, "reject", None)
        .await
        .assert_status(200);
    let deleted = cast.other.comment_id("a1", "supprimé").await;
    cast.other
        .delete(&format!("/comments/{deleted}"))
        .await
        .assert_status(204);
    let by_mod = cast
        .other
        .comment_id("a1", "supprimé par un modérateur")
        .await;
    cast.moderator
        .decide(by_mod, "delete", None)
        .await
        .assert_status(200);
    for id in [pending, rejected, deleted, by_mod, 999_999] {
        cast.reader
            .report(id, "spam")
            .await
            .assert_error(404, "not_found");
    }
    // Not even its author can report their own pending comment: it is not public.
    cast.other
        .report(pending, "spam")
        .await
        .assert_error(404, "not_found");
    for bad in ["0", "-3", "abc"] {
        cast.reader
            .post(
                &format!("/comments/{bad}/reports"),
                json!({"reason": "spam"}),
            )
            .await
            .assert_error(404, "not_found");
    }
    let page = cast.moderator.queue("status=reported").await;
    assert_eq!(page["total"], 0);
}

#[tokio::test]
async fn the_report_body_is_checked() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.other.comment_id("a1", "Un avis").await;
    let path = format!("/comments/{id}/reports");
    let token = Some(cast.reader.token.as_str());
    let cases = [
        (json!({"reason": "rude"}), "reason"),
        (json!({"reason": "Spam"}), "reason"),
        (json!({"reason": ""}), "reason"),
        (json!({}), "reason"),
        (json!({"note": "sans raison"}), "reason"),
        (json!({"reason": "spam", "note": "x".repeat(1001)}), "note"),
        (json!({"reason": "spam", "note": 12}), "note"),
        (json!({"reason": "spam", "severity": 5}), "severity"),
    ];
    for (body, field) in cases {
        app.post(&path, token, body).await.assert_field_error(field);
    }
    app.send_raw(
        Method::POST,
        &path,
        token,
        Some("text/plain"),
        b"spam".to_vec(),
        &[],
    )
    .await
    .assert_error(415, "unsupported_media_type");
    app.send_raw(
        Method::POST,
        &path,
        token,
        Some("application/json"),
        b"{\"reason\":".to_vec(),
        &[],
    )
    .await
    .assert_error(400, "malformed_json");
    let page = cast.moderator.queue("status=reported").await;
    assert_eq!(page["total"], 0, "no refused report was kept");
    // A note of exactly 1000 characters is fine.
    let res = app
        .post(
            &path,
            token,
            json!({"reason": "other", "note": "é".repeat(1000)}),
        )
        .await;
    res.assert_status(201);
}

#[tokio::test]
async fn anonymous_and_banned_readers_cannot_report() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.other.comment_id("a1", "Un avis").await;
    app.post(
        &format!("/comments/{id}/reports"),
        None,
        json!({"reason": "spam"}),
    )
    .await
    .assert_error(401, "unauthenticated");
    app.post(
        &format!("/comments/{id}/reports"),
        Some("not-a-token"),
        json!({"reason": "spam"}),
    )
    .await
    .assert_error(401, "unauthenticated");
    cast.moderator
        .ban(cast.reader.id, json!({"reason": "abus de signalements"}))
        .await
        .assert_status(200);
    cast.reader
        .report(id, "spam")
        .await
        .assert_error(403, "banned");
    // Even with a bad body: the ban answers first.
    cast.reader
        .post(
            &format!("/comments/{id}/reports"),
            json!({"reason": "nope"}),
        )
        .await
        .assert_error(403, "banned");
    let page = cast.moderator.queue("status=reported").await;
    assert_eq!(page["total"], 0);
}

#[tokio::test]
async fn reports_still_work_on_a_closed_article() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.other.comment_id("a1", "Dernier mot").await;
    let res = cast
        .admin
        .patch("/admin/articles/a1", json!({"comments_open": false}))
        .await;
    assert_eq!(res.assert_status(200)["comments_open"], false);
    cast.reader
        .comment("a1", "trop tard")
        .await
        .assert_error(403, "article_closed");
    cast.reader.report(id, "abusive").await.assert_status(201);
    let page = cast.moderator.queue("status=reported").await;
    assert_eq!(queue_ids(&page), vec![id]);
}

#[tokio::test]
async fn at_the_threshold_a_comment_is_held_and_approving_it_settles_the_reports() {
    let (app, cast) = TestApp::with_cast().await;
    let third = app.register("sami").await;
    let fourth = app.register("lina").await;
    let id = cast.other.comment_id("a1", "Un avis qui dérange").await;
    let neighbour = cast.other.comment_id("a1", "Un avis banal").await;
    let token = &cast.moderator.token;

    // Below the threshold: listed as reported, still published.
    cast.reader.report(id, "abusive").await.assert_status(201);
    third.report(id, "abusive").await.assert_status(201);
    let page = cast.moderator.queue("status=reported").await;
    assert_eq!(queue_ids(&page), vec![id]);
    assert_eq!(page["total"], 1);
    let item = queue_item(&page, id);
    assert_eq!(item["comment"]["status"], "approved");
    assert_eq!(
        item["reports"],
        json!({"abusive": 2, "off_topic": 0, "spam": 0, "other": 0})
    );
    assert_eq!(ids_of(&app.thread("a1", None).await), vec![id, neighbour]);
    assert_eq!(cast.moderator.queue("status=pending").await["total"], 0);

    // The third open report holds it.
    fourth.report(id, "spam").await.assert_status(201);
    let seen = app.get(&format!("/comments/{id}"), Some(token)).await;
    assert_eq!(seen.assert_status(200)["status"], "pending");
    assert_eq!(ids_of(&app.thread("a1", None).await), vec![neighbour]);
    app.get(&format!("/comments/{id}"), None)
        .await
        .assert_error(404, "not_found");
    let count = app.get("/articles/a1", None).await;
    assert_eq!(count.assert_status(200)["comment_count"], 1);
    let page = cast.moderator.queue("status=pending").await;
    let item = queue_item(&page, id);
    assert_eq!(item["reasons"], json!(["reports"]));
    assert_eq!(
        item["reports"],
        json!({"abusive": 2, "off_topic": 0, "spam": 1, "other": 0})
    );
    // Still in the reported queue too (any status with an open report).
    assert_eq!(
        queue_ids(&cast.moderator.queue("status=reported").await),
        vec![id]
    );

    // Approving it publishes it again and resolves its reports.
    let res = cast
        .moderator
        .decide(id, "approve", Some("rien d'illégal"))
        .await;
    assert_eq!(res.assert_status(200)["status"], "approved");
    assert_eq!(cast.moderator.queue("status=reported").await["total"], 0);
    assert_eq!(cast.moderator.queue("status=pending").await["total"], 0);
    assert_eq!(ids_of(&app.thread("a1", None).await), vec![id, neighbour]);

    // Resolved reports no longer count: a new one starts from one.
    let fifth = app.register("omar").await;
    fifth.report(id, "off_topic").await.assert_status(201);
    let page = cast.moderator.queue("status=reported").await;
    assert_eq!(
        queue_item(&page, id)["reports"],
        json!({"abusive": 0, "off_topic": 1, "spam": 0, "other": 0})
    );
    assert_eq!(
        app.get(&format!("/comments/{id}"), None)
            .await
            .assert_status(200)["status"],
        "approved"
    );
    // Those who reported before still cannot report twice.
    cast.reader
        .report(id, "spam")
        .await
        .assert_error(409, "already_reported");
}

#[tokio::test]
async fn a_comment_held_twice_for_reports_says_reports_once() {
    let (app, cast) = TestApp::with_cast().await;
    app.set_settings(|s| s.report_threshold = 1);
    let id = cast.other.comment_id("a1", "Toujours le même avis").await;
    cast.reader.report(id, "abusive").await.assert_status(201);
    let page = cast.moderator.queue("").await;
    assert_eq!(queue_item(&page, id)["reasons"], json!(["reports"]));
    cast.moderator
        .decide(id, "approve", None)
        .await
        .assert_status(200);
    let sami = app.register("sami").await;
    sami.report(id, "spam").await.assert_status(201);
    let page = cast.moderator.queue("").await;
    assert_eq!(queue_item(&page, id)["reasons"], json!(["reports"]));
}

#[tokio::test]
async fn a_premoderated_comment_held_for_reports_is_in_the_queue_for_the_reports() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    app.set_settings(|s| s.report_threshold = 1);
    let id = cast.other.comment_id("pre", "Premier avis").await;
    cast.moderator
        .decide(id, "approve", None)
        .await
        .assert_status(200);
    cast.reader.report(id, "abusive").await.assert_status(201);
    let page = cast.moderator.queue("").await;
    let reasons = queue_item(&page, id)["reasons"].clone();
    assert_eq!(
        reasons,
        json!(["reports"]),
        "premoderation was settled already"
    );
}

#[tokio::test]
async fn the_threshold_follows_the_admin_setting() {
    let (app, cast) = TestApp::with_cast().await;
    let res = cast
        .admin
        .patch("/admin/settings", json!({"report_threshold": 1}))
        .await;
    assert_eq!(res.assert_status(200)["report_threshold"], 1);
    let id = cast.other.comment_id("a1", "Un avis").await;
    cast.reader.report(id, "off_topic").await.assert_status(201);
    assert!(app.thread("a1", None).await.is_empty());
    let page = cast.moderator.queue("status=pending").await;
    assert_eq!(queue_ids(&page), vec![id]);

    // Rejecting a held comment keeps it hidden; its reports stay on record.
    let res = cast.moderator.decide(id, "reject", None).await;
    assert_eq!(res.assert_status(200)["status"], "rejected");
    assert!(app.thread("a1", None).await.is_empty());
    let page = cast.moderator.queue("status=rejected").await;
    assert_eq!(queue_ids(&page), vec![id]);
}

#[tokio::test]
async fn reports_on_a_rejected_or_pending_comment_do_not_change_its_status() {
    let (app, cast) = TestApp::with_cast().await;
    app.set_settings(|s| s.report_threshold = 1);
    let id = cast.other.comment_id("a1", "Un avis").await;
    cast.moderator
        .decide(id, "reject", None)
        .await
        .assert_status(200);
    // Staff see it and may report it, but it stays rejected.
    cast.moderator
        .report(id, "abusive")
        .await
        .assert_status(201);
    let seen = cast.admin.get(&format!("/comments/{id}")).await;
    assert_eq!(seen.assert_status(200)["status"], "rejected");
    let page = cast.moderator.queue("status=reported").await;
    assert_eq!(queue_item(&page, id)["comment"]["status"], "rejected");
    let value: &Value = &queue_item(&page, id)["reports"]["abusive"];
    assert_eq!(value, &json!(1));
}
