//! What an instance remembers of signed-in readers between requests (their
//! session, their marks on a page, whether they have a comment waiting):
//! each change applies at the very next request, on this instance and on
//! another one on the same database. Every test first reads twice, so the
//! second read was served from memory before the change.

use crate::helpers::*;
use reqwest::Method;
use serde_json::json;

async fn twice(user: &User, path: &str) -> u16 {
    let first = user.get(path).await.status;
    assert_eq!(user.get(path).await.status, first, "{path}");
    first.as_u16()
}

#[tokio::test]
async fn a_remembered_session_signed_out_is_refused_at_once() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.other.comment_id("a1", "Un avis").await;
    app.put_reaction(&cast.reader, id).await;
    assert_eq!(twice(&cast.reader, "/me").await, 200);
    assert_eq!(
        app.thread("a1", Some(&cast.reader.token)).await[0]["reacted"],
        true
    );
    cast.reader
        .send(Method::POST, "/auth/logout", None)
        .await
        .assert_status(204);
    cast.reader
        .get("/me")
        .await
        .assert_error(401, "unauthenticated");
    // On a public page the dead token reads as anonymous: no marks.
    let page = app.thread("a1", Some(&cast.reader.token)).await;
    assert!(page[0].get("reacted").is_none(), "{}", page[0]);
}

#[tokio::test]
async fn a_ban_and_its_end_apply_at_once_to_a_remembered_session() {
    let (app, cast) = TestApp::with_cast().await;
    assert_eq!(twice(&cast.reader, "/me").await, 200);
    cast.moderator
        .post(
            &format!("/mod/users/{}/ban", cast.reader.id),
            json!({"reason": "troll", "until": from_now(3_600_000)}),
        )
        .await
        .assert_status(200);
    cast.reader
        .comment("a1", "après le bannissement")
        .await
        .assert_error(403, "banned");
    // The end of a suspension written straight into the database (as by
    // another process) is seen at once too.
    app.end_suspension(cast.reader.id);
    cast.reader
        .comment("a1", "de retour")
        .await
        .assert_status(201);
}

#[tokio::test]
async fn a_role_change_applies_at_once_to_a_remembered_session() {
    let (_app, cast) = TestApp::with_cast().await;
    assert_eq!(twice(&cast.reader, "/mod/queue").await, 403);
    cast.admin
        .set_role(cast.reader.id, "moderator")
        .await
        .assert_status(200);
    cast.reader.get("/mod/queue").await.assert_status(200);
    assert_eq!(twice(&cast.reader, "/mod/queue").await, 200);
    cast.admin
        .set_role(cast.reader.id, "reader")
        .await
        .assert_status(200);
    cast.reader
        .get("/mod/queue")
        .await
        .assert_error(403, "forbidden");
}

#[tokio::test]
async fn a_password_change_ends_the_other_remembered_sessions_at_once() {
    let app = TestApp::spawn().await;
    let nadia = app.register("nadia").await;
    let other_session = app.login("nadia", nadia.id).await;
    assert_eq!(twice(&other_session, "/me").await, 200);
    let body = json!({"current_password": PASSWORD, "new_password": "another long password"});
    nadia
        .send(Method::PUT, "/me/password", Some(body))
        .await
        .assert_status(204);
    other_session
        .get("/me")
        .await
        .assert_error(401, "unauthenticated");
    nadia.get("/me").await.assert_status(200);
}

#[tokio::test]
async fn a_session_signed_out_on_one_instance_is_refused_by_the_other_at_once() {
    let a = TestApp::spawn().await;
    let b = a.sibling().await;
    let nadia = a.register("nadia").await;
    assert_eq!(twice(&nadia.on(&b), "/me").await, 200);
    nadia
        .send(Method::POST, "/auth/logout", None)
        .await
        .assert_status(204);
    nadia
        .on(&b)
        .get("/me")
        .await
        .assert_error(401, "unauthenticated");
}

#[tokio::test]
async fn a_reaction_shows_at_once_on_a_page_read_before_and_only_to_its_reader() {
    let (app, cast) = TestApp::with_cast().await;
    let first = cast.other.comment_id("a1", "Premier avis").await;
    let second = cast.other.comment_id("a1", "Second avis").await;
    let marks = |page: Vec<serde_json::Value>| -> Vec<_> {
        page.iter().map(|c| c["reacted"].clone()).collect()
    };
    let reader = Some(cast.reader.token.as_str());
    for _ in 0..2 {
        assert_eq!(marks(app.thread("a1", reader).await), [false, false]);
    }
    app.put_reaction(&cast.reader, second).await;
    assert_eq!(marks(app.thread("a1", reader).await), [false, true]);
    app.put_reaction(&cast.reader, first).await;
    assert_eq!(marks(app.thread("a1", reader).await), [true, true]);
    // Another reader of the same page sees none of them, nor does the author.
    let admin = Some(cast.admin.token.as_str());
    assert_eq!(marks(app.thread("a1", admin).await), [false, false]);
    let author = Some(cast.other.token.as_str());
    assert_eq!(marks(app.thread("a1", author).await), [false, false]);
    cast.reader
        .delete(&format!("/comments/{second}/reaction"))
        .await
        .assert_status(200);
    assert_eq!(marks(app.thread("a1", reader).await), [true, false]);
    // The anonymous page is the same page without the marks.
    let anonymous = app.thread("a1", None).await;
    assert!(anonymous.iter().all(|c| c.get("reacted").is_none()));
}

#[tokio::test]
async fn a_comment_posted_to_the_queue_shows_at_once_to_its_author() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    cast.other.comment("pre", "en attente aussi").await;
    let reader = Some(cast.reader.token.as_str());
    for _ in 0..2 {
        assert!(app.thread("pre", reader).await.is_empty());
    }
    let id = cast.reader.comment_id("pre", "le mien, en attente").await;
    let page = app.thread("pre", reader).await;
    assert_eq!(ids_of(&page), [id]);
    assert_eq!(page[0]["status"], "pending");
    assert!(app.thread("pre", None).await.is_empty());
}

impl TestApp {
    async fn put_reaction(&self, user: &User, id: i64) {
        user.send(Method::PUT, &format!("/comments/{id}/reaction"), None)
            .await
            .assert_status(200);
    }
}
