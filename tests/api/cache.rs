//! Cached thread pages never outlive the change that made them stale,
//! on this instance or another one.

use crate::helpers::*;
use serde_json::json;

fn bodies(thread: &[serde_json::Value]) -> Vec<String> {
    thread
        .iter()
        .map(|c| c["body"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_rejected_or_deleted_comment_leaves_the_cached_thread_at_once() {
    let (app, cast) = TestApp::with_cast().await;
    let bad = cast.reader.comment_id("a1", "à rejeter").await;
    let gone = cast.other.comment_id("a1", "à supprimer").await;
    cast.other.comment_id("a1", "reste").await;
    // Read twice so the second answer comes from the cache.
    assert_eq!(app.thread("a1", None).await.len(), 3);
    assert_eq!(app.thread("a1", None).await.len(), 3);

    cast.moderator
        .post(&format!("/mod/comments/{bad}/reject"), json!({}))
        .await
        .assert_status(200);
    assert_eq!(
        bodies(&app.thread("a1", None).await),
        vec!["à supprimer", "reste"]
    );

    cast.other
        .delete(&format!("/comments/{gone}"))
        .await
        .assert_status(204);
    assert_eq!(bodies(&app.thread("a1", None).await), vec!["reste"]);
}

#[tokio::test]
async fn edits_names_erasure_and_settings_show_through_the_cache() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "premier jet").await;
    app.thread("a1", None).await;
    cast.reader
        .patch(&format!("/comments/{id}"), json!({"body": "version revue"}))
        .await
        .assert_status(200);
    assert_eq!(bodies(&app.thread("a1", None).await), vec!["version revue"]);

    cast.reader
        .patch("/me", json!({"display_name": "Nadia B."}))
        .await
        .assert_status(200);
    assert_eq!(
        app.thread("a1", None).await[0]["author"]["display_name"],
        "Nadia B."
    );

    let page = app.get("/articles/a1/comments", None).await;
    assert_eq!(page.body["article"]["moderation"], "post");
    cast.admin
        .patch("/admin/settings", json!({"default_moderation": "pre"}))
        .await
        .assert_status(200);
    let page = app.get("/articles/a1/comments", None).await;
    assert_eq!(page.body["article"]["moderation"], "pre");

    cast.reader
        .send(
            reqwest::Method::DELETE,
            "/me",
            Some(json!({"password": PASSWORD})),
        )
        .await
        .assert_status(204);
    assert_eq!(
        app.thread("a1", None).await[0]["author"],
        serde_json::Value::Null
    );
}

#[tokio::test]
async fn another_instance_never_serves_a_page_made_stale_elsewhere() {
    let a = TestApp::spawn().await;
    let b = a.sibling().await;
    let cast = a.cast().await;
    let id = cast.reader.comment_id("a1", "lu partout").await;
    assert_eq!(a.thread("a1", None).await.len(), 1);
    assert_eq!(a.thread("a1", None).await.len(), 1);
    b.post(
        &format!("/mod/comments/{id}/reject"),
        Some(&cast.moderator.token),
        json!({}),
    )
    .await
    .assert_status(200);
    assert!(a.thread("a1", None).await.is_empty());
}

#[tokio::test]
async fn signed_in_readers_still_see_their_own_pending_comments() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    let id = cast.reader.comment_id("pre", "en attente").await;
    assert!(app.thread("pre", None).await.is_empty());
    let own = app.thread("pre", Some(&cast.reader.token)).await;
    assert_eq!(ids_of(&own), vec![id]);
    assert_eq!(own[0]["status"], "pending", "{own:?}");
    assert_eq!(own[0]["body"], "en attente");
    assert_eq!(own[0]["author"]["username"], "nadia");
    // Another reader, and the anonymous page cached meanwhile, still see none.
    assert!(app.thread("pre", Some(&cast.other.token)).await.is_empty());
    assert!(app.thread("pre", None).await.is_empty());
}
