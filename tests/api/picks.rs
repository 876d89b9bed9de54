//! Staff picks: featuring, who may, what lists them, what takes them out.

use crate::helpers::*;

use reqwest::Method;
use serde_json::{json, Value};

async fn feature(user: &User, id: i64) -> Resp {
    user.send(Method::POST, &format!("/mod/comments/{id}/feature"), None)
        .await
}

async fn unfeature(user: &User, id: i64) -> Resp {
    user.delete(&format!("/mod/comments/{id}/feature")).await
}

/// The ids of the picks of `a1`, as anyone sees them, in `sort` order.
async fn picks(app: &TestApp, sort: &str) -> Vec<i64> {
    let res = app
        .get(
            &format!("/articles/a1/comments?featured=true&sort={sort}"),
            None,
        )
        .await;
    let body = res.assert_status(200);
    let comments = body["comments"].as_array().unwrap();
    assert!(comments.iter().all(|c| c["featured"] == true), "{body}");
    ids_of(comments)
}

fn actions(log: &[Value]) -> Vec<String> {
    log.iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn staff_feature_and_unfeature_and_readers_may_not() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Un témoignage précieux").await;
    let path = format!("/mod/comments/{id}/feature");

    app.post(&path, None, json!({}))
        .await
        .assert_error(401, "unauthenticated");
    app.delete(&path, None)
        .await
        .assert_error(401, "unauthenticated");
    for reader in [&cast.reader, &cast.other] {
        feature(reader, id).await.assert_error(403, "forbidden");
        unfeature(reader, id).await.assert_error(403, "forbidden");
    }
    for staff in [&cast.moderator, &cast.admin] {
        let res = feature(staff, id).await;
        let body = res.assert_status(200);
        assert_eq!(
            (body["id"].clone(), body["featured"].clone()),
            (json!(id), json!(true))
        );
        assert_eq!(picks(&app, "oldest").await, vec![id]);
        let res = unfeature(staff, id).await;
        assert_eq!(res.assert_status(200)["featured"], false);
        assert!(picks(&app, "oldest").await.is_empty());
    }
    // Featuring twice, unfeaturing twice: the same answers.
    feature(&cast.moderator, id).await.assert_status(200);
    assert_eq!(
        feature(&cast.moderator, id).await.assert_status(200)["featured"],
        true
    );
    unfeature(&cast.moderator, id).await.assert_status(200);
    assert_eq!(
        unfeature(&cast.moderator, id).await.assert_status(200)["featured"],
        false
    );

    let log = cast.moderator.log_entries().await;
    let logged = actions(&log);
    assert_eq!(
        logged.iter().filter(|a| *a == "feature").count(),
        4,
        "{logged:?}"
    );
    assert_eq!(
        logged.iter().filter(|a| *a == "unfeature").count(),
        4,
        "{logged:?}"
    );
    let entry = log.iter().find(|e| e["action"] == "feature").unwrap();
    assert_eq!(entry["target_type"], "comment");
    assert_eq!(entry["target_id"], id.to_string());

    feature(&cast.moderator, 999_999)
        .await
        .assert_error(404, "not_found");
    unfeature(&cast.moderator, 999_999)
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn only_approved_comments_can_be_featured() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    let pending = cast.reader.comment("pre", "En attente").await;
    let pending = pending.assert_status(201)["id"].as_i64().unwrap();
    feature(&cast.moderator, pending)
        .await
        .assert_error(409, "conflict");
    let rejected = cast.other.comment_id("a1", "Hors sujet").await;
    cast.moderator.reject(rejected).await.assert_status(200);
    feature(&cast.moderator, rejected)
        .await
        .assert_error(409, "conflict");
    assert!(picks(&app, "oldest").await.is_empty());
    // Nothing was logged for the refusals.
    let logged = actions(&cast.moderator.log_entries().await);
    assert!(!logged.contains(&"feature".to_string()), "{logged:?}");
}

#[tokio::test]
async fn picks_are_listed_in_the_order_asked_and_leave_when_hidden() {
    let (app, cast) = TestApp::with_cast().await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(
            cast.reader
                .comment_id("a1", &format!("Contribution {n}"))
                .await,
        );
    }
    let plain = cast.other.comment_id("a1", "Pas une sélection").await;
    for id in &ids {
        feature(&cast.moderator, *id).await.assert_status(200);
    }
    // The most marked pick comes first under `top`.
    cast.other
        .send(Method::PUT, &format!("/comments/{}/reaction", ids[2]), None)
        .await
        .assert_status(200);
    assert_eq!(picks(&app, "oldest").await, ids);
    let mut newest = ids.clone();
    newest.reverse();
    assert_eq!(picks(&app, "newest").await, newest);
    assert_eq!(
        picks(&app, "top").await,
        vec![ids[2], ids[4], ids[3], ids[1], ids[0]]
    );
    // The thread still shows everything, the picks marked.
    let thread = app.thread("a1", None).await;
    assert_eq!(thread.len(), 6);
    let marked: Vec<i64> = thread
        .iter()
        .filter(|c| c["featured"] == true)
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert_eq!(marked, ids);
    assert!(!marked.contains(&plain));

    // Unfeatured, rejected, deleted by a moderator, deleted by its author:
    // each leaves the picks; restoring does not bring it back.
    unfeature(&cast.moderator, ids[0]).await.assert_status(200);
    cast.moderator.reject(ids[1]).await.assert_status(200);
    cast.moderator
        .decide(ids[2], "delete", None)
        .await
        .assert_status(200);
    cast.reader
        .delete(&format!("/comments/{}", ids[3]))
        .await
        .assert_status(204);
    assert_eq!(picks(&app, "oldest").await, vec![ids[4]]);
    let restored = cast.moderator.decide(ids[1], "restore", None).await;
    assert_eq!(restored.assert_status(200)["featured"], false);
    assert_eq!(picks(&app, "oldest").await, vec![ids[4]]);

    app.get("/articles/a1/comments?featured=yes", None)
        .await
        .assert_field_error("featured");
}

#[tokio::test]
async fn staff_carry_their_badge_by_role_in_every_view() {
    let (app, cast) = TestApp::with_cast().await;
    let by_reader = cast.reader.comment_id("a1", "Lecteur").await;
    let by_moderator = cast.moderator.comment_id("a1", "Modération").await;
    let by_admin = cast.admin.comment_id("a1", "Administration").await;
    let staff = json!([{"kind": "staff"}]);
    let badges = |page: &[Value]| -> Vec<Value> {
        page.iter().map(|c| c["author"]["badges"].clone()).collect()
    };
    assert_eq!(
        badges(&app.thread("a1", None).await),
        vec![json!([]), staff.clone(), staff.clone()]
    );
    assert_eq!(
        badges(&app.thread("a1", Some(&cast.other.token)).await),
        vec![json!([]), staff.clone(), staff.clone()]
    );
    let single = app.get(&format!("/comments/{by_admin}"), None).await;
    assert_eq!(single.assert_status(200)["author"]["badges"], staff);
    let own = app.get(&format!("/comments/{by_reader}"), None).await;
    assert_eq!(own.assert_status(200)["author"]["badges"], json!([]));

    // The widget's page names it in the reader's language.
    for (lang, word) in [("fr", "Rédaction"), ("ar", "فريق التحرير"), ("en", "Staff")] {
        let url = app.url(&format!("//embed/a1?lang={lang}"));
        let html = app
            .client
            .get(url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // The thread's two; the blank comment in <template> holds one more.
        let thread = html.split("<template").next().unwrap();
        assert_eq!(thread.matches("t-badge-staff").count(), 2, "{lang}");
        assert!(html.contains(word), "{lang}: {word}");
    }

    // The badge follows the role: a moderator made a reader loses it.
    cast.admin
        .set_role(cast.moderator.id, "reader")
        .await
        .assert_status(200);
    let page = app.thread("a1", None).await;
    let of = |id: i64| page.iter().find(|c| c["id"] == id).unwrap()["author"]["badges"].clone();
    assert_eq!(of(by_moderator), json!([]));
    assert_eq!(of(by_admin), staff);
}
