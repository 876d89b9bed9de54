//! Appeals against statements of reasons (EU Digital Services Act, Art. 20
//! and 23): filed by the author within the window, once; decided by a
//! person other than the one who decided; a reversal undoes the decision.

use crate::helpers::*;
use serde_json::{json, Value};

/// A comment of `author` rejected by `moderator`, and its statement's id.
async fn rejected(author: &User, moderator: &User, text: &str) -> (i64, i64) {
    let id = author.comment_id("a1", text).await;
    moderator.reject(id).await.assert_status(200);
    let page = author.get("/me/statements").await;
    let statement = page.assert_status(200)["statements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["comment"]["id"] == id)
        .expect("its statement")["id"]
        .as_i64()
        .unwrap();
    (id, statement)
}

async fn appeal(author: &User, statement: i64, text: &str) -> crate::helpers::Resp {
    author
        .post(
            &format!("/me/statements/{statement}/appeal"),
            json!({ "text": text }),
        )
        .await
}

async fn decide(moderator: &User, appeal: i64, outcome: &str) -> crate::helpers::Resp {
    moderator
        .post(
            &format!("/mod/appeals/{appeal}/decision"),
            json!({"outcome": outcome, "reason": "revu"}),
        )
        .await
}

/// Moves statement `id`'s decision `days` days back in time.
fn age_statement(app: &TestApp, id: i64, days: i64) {
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
    use tribune::store::schema::statements;
    let ms = days * 24 * 60 * 60 * 1000;
    app.db
        .write_now(|conn| {
            diesel::update(statements::table.find(id))
                .set(statements::decided_at.eq(statements::decided_at - ms))
                .execute(conn)?;
            Ok::<_, tribune::store::StoreError>(())
        })
        .expect("statement aged");
}

#[tokio::test]
async fn an_author_appeals_once_and_another_moderator_reverses() {
    let (app, cast) = TestApp::with_cast().await;
    let (comment, statement) = rejected(&cast.reader, &cast.moderator, "Mon avis honnête").await;
    assert!(app.thread("a1", None).await.is_empty());

    let res = appeal(
        &cast.reader,
        statement,
        "Mon commentaire respectait les règles.",
    )
    .await;
    let filed = res.assert_status(201);
    assert_eq!(filed["status"], "open");
    assert_eq!(filed["statement_id"], statement);
    assert_eq!(filed["text"], "Mon commentaire respectait les règles.");
    assert_eq!(filed["decided_at"], Value::Null);
    assert_eq!(filed["statement"]["appeal"]["status"], "open");
    let appeal_id = filed["id"].as_i64().unwrap();

    // Once per statement.
    appeal(&cast.reader, statement, "Encore")
        .await
        .assert_error(409, "already_appealed");

    // The queue lists it.
    let queue = cast.admin.get("/mod/appeals?status=open").await;
    let queue = queue.assert_status(200);
    assert_eq!(queue["appeals"][0]["id"], appeal_id);
    assert_eq!(queue["appeals"][0]["statement"]["comment"]["id"], comment);

    // Not by the moderator who rejected it: the site has another.
    decide(&cast.moderator, appeal_id, "reversed")
        .await
        .assert_error(403, "appeal_needs_other_moderator");
    let res = decide(&cast.admin, appeal_id, "reversed").await;
    let decided = res.assert_status(200);
    assert_eq!(decided["status"], "reversed");
    assert_eq!(decided["reason"], "revu");
    assert!(decided["decided_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(decided["statement"]["appeal"]["status"], "reversed");

    // The comment is back in its thread, and the log says why.
    let thread = app.thread("a1", None).await;
    assert_eq!(ids_of(&thread), vec![comment]);
    let entries = cast.admin.log_entries().await;
    assert_eq!(entries[0]["action"], "restore");
    assert_eq!(entries[0]["target_id"], comment.to_string());
    assert_eq!(entries[0]["actor"]["id"], cast.admin.id);
    assert_eq!(
        entries[0]["reason"],
        format!("appeal {appeal_id} reversed: revu")
    );
    // Decided once.
    decide(&cast.admin, appeal_id, "upheld")
        .await
        .assert_error(409, "conflict");
    let mine = cast.reader.get("/me/statements").await;
    assert_eq!(
        mine.assert_status(200)["statements"][0]["appeal"]["status"],
        "reversed"
    );
}

#[tokio::test]
async fn an_appeal_after_the_window_is_refused() {
    let (app, cast) = TestApp::with_cast().await;
    let (_, statement) = rejected(&cast.reader, &cast.moderator, "Vieux commentaire").await;
    age_statement(&app, statement, 184);
    appeal(&cast.reader, statement, "Trop tard ?")
        .await
        .assert_error(422, "appeal_window_closed");
    let s = cast.reader.get("/me/statements").await;
    let s = &s.assert_status(200)["statements"][0];
    assert_eq!(s["appeal"]["status"], "none");
    assert!(
        !s["redress"].as_str().unwrap().contains("faire appel"),
        "no internal appeal offered any more: {}",
        s["redress"]
    );
    // One day inside the window is still fine.
    let (_, fresh) = rejected(&cast.reader, &cast.moderator, "Récent").await;
    age_statement(&app, fresh, 182);
    appeal(&cast.reader, fresh, "À temps")
        .await
        .assert_status(201);
}

#[tokio::test]
async fn bad_appeals_get_their_own_answers() {
    let (app, cast) = TestApp::with_cast().await;
    let (_, statement) = rejected(&cast.reader, &cast.moderator, "Un avis").await;
    // Someone else's statement, or none: 404.
    appeal(&cast.other, statement, "Pas le mien")
        .await
        .assert_error(404, "not_found");
    appeal(&cast.reader, 999_999, "Aucun")
        .await
        .assert_error(404, "not_found");
    app.post(
        &format!("/me/statements/{statement}/appeal"),
        None,
        json!({"text": "x"}),
    )
    .await
    .assert_error(401, "unauthenticated");
    appeal(&cast.reader, statement, "   ")
        .await
        .assert_field_error("text");
    appeal(&cast.reader, statement, &"x".repeat(5001))
        .await
        .assert_field_error("text");
    cast.reader
        .post(&format!("/me/statements/{statement}/appeal"), json!({}))
        .await
        .assert_error(422, "validation_failed");
    // A bad outcome, and an appeal that does not exist.
    let filed = appeal(&cast.reader, statement, "Revoyez").await;
    let id = filed.assert_status(201)["id"].as_i64().unwrap();
    cast.admin
        .post(
            &format!("/mod/appeals/{id}/decision"),
            json!({"outcome": "maybe"}),
        )
        .await
        .assert_error(422, "validation_failed");
    decide(&cast.admin, 999_999, "upheld")
        .await
        .assert_error(404, "not_found");
    cast.admin
        .get("/mod/appeals?status=lost")
        .await
        .assert_field_error("status");
}

#[tokio::test]
async fn a_reversed_ban_is_lifted() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.moderator
        .ban(cast.reader.id, json!({"reason": "spam"}))
        .await
        .assert_status(200);
    let s = cast.reader.get("/me/statements").await;
    let statement = s.assert_status(200)["statements"][0]["id"]
        .as_i64()
        .unwrap();
    // Banned, the author still appeals.
    let filed = appeal(&cast.reader, statement, "Je n'ai rien fait").await;
    let id = filed.assert_status(201)["id"].as_i64().unwrap();
    decide(&cast.admin, id, "reversed").await.assert_status(200);
    let standing = cast
        .moderator
        .get(&format!("/mod/users/{}", cast.reader.id))
        .await;
    assert_eq!(standing.assert_status(200)["status"], "active");
    let entries = cast.admin.log_entries().await;
    assert_eq!(entries[0]["action"], "unban");
    assert_eq!(entries[0]["reason"], format!("appeal {id} reversed: revu"));
    // The reader posts again.
    cast.reader
        .comment("a1", "De retour")
        .await
        .assert_status(201);
}

#[tokio::test]
async fn the_deciding_moderator_may_judge_when_alone_or_when_the_setting_is_off() {
    // Alone: an admin and readers, no other staff.
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    admin.create_article("a1", json!({})).await;
    let reader = app.register("nadia").await;
    let (_, statement) = rejected(&reader, &admin, "Seul modérateur").await;
    let filed = appeal(&reader, statement, "Revoyez").await;
    let id = filed.assert_status(201)["id"].as_i64().unwrap();
    decide(&admin, id, "upheld").await.assert_status(200);

    // With another moderator, the setting off.
    let app = TestApp::spawn_with(|c| c.dsa.appeal_by_other_moderator = false).await;
    let cast = app.cast().await;
    let (_, statement) = rejected(&cast.reader, &cast.moderator, "Réglage").await;
    let filed = appeal(&cast.reader, statement, "Revoyez").await;
    let id = filed.assert_status(201)["id"].as_i64().unwrap();
    let res = decide(&cast.moderator, id, "upheld").await;
    assert_eq!(res.assert_status(200)["status"], "upheld");
}

#[tokio::test]
async fn repeated_unfounded_appeals_are_refused_after_the_limit() {
    let app = TestApp::spawn_with(|c| c.dsa.unfounded_appeals_limit = 2).await;
    let cast = app.cast().await;
    for n in 0..2 {
        let (_, statement) = rejected(&cast.reader, &cast.moderator, &format!("Avis {n}")).await;
        let filed = appeal(&cast.reader, statement, "Injuste").await;
        let id = filed.assert_status(201)["id"].as_i64().unwrap();
        decide(&cast.admin, id, "upheld").await.assert_status(200);
    }
    let (_, statement) = rejected(&cast.reader, &cast.moderator, "Avis 2").await;
    appeal(&cast.reader, statement, "Encore injuste")
        .await
        .assert_error(403, "appeals_suspended");
    // Another author is not concerned.
    let (_, theirs) = rejected(&cast.other, &cast.moderator, "Autre").await;
    appeal(&cast.other, theirs, "Revoyez")
        .await
        .assert_status(201);
}

#[tokio::test]
async fn appeals_can_be_turned_off() {
    let app = TestApp::spawn_with(|c| c.dsa.appeals = false).await;
    let cast = app.cast().await;
    let (_, statement) = rejected(&cast.reader, &cast.moderator, "Un avis").await;
    appeal(&cast.reader, statement, "Revoyez")
        .await
        .assert_error(403, "forbidden");
    let s = cast.reader.get("/me/statements").await;
    let redress = s.assert_status(200)["statements"][0]["redress"].clone();
    assert!(
        !redress.as_str().unwrap().contains("faire appel"),
        "{redress}"
    );
}

#[tokio::test]
async fn role_matrix_of_the_appeal_routes() {
    let (app, cast) = TestApp::with_cast().await;
    let (_, statement) = rejected(&cast.reader, &cast.moderator, "Un avis").await;
    let filed = appeal(&cast.reader, statement, "Revoyez").await;
    let id = filed.assert_status(201)["id"].as_i64().unwrap();

    app.get("/mod/appeals", None)
        .await
        .assert_error(401, "unauthenticated");
    app.post(
        &format!("/mod/appeals/{id}/decision"),
        None,
        json!({"outcome": "upheld"}),
    )
    .await
    .assert_error(401, "unauthenticated");
    for reader in [&cast.reader, &cast.other] {
        reader
            .get("/mod/appeals")
            .await
            .assert_error(403, "forbidden");
        decide(reader, id, "reversed")
            .await
            .assert_error(403, "forbidden");
    }
    for staff in [&cast.moderator, &cast.admin] {
        let page = staff.get("/mod/appeals").await;
        assert_eq!(page.assert_status(200)["appeals"][0]["id"], id);
    }
    // Staff appealing their own statement cannot judge it.
    let (_, own) = rejected(&cast.moderator, &cast.admin, "Avis du modo").await;
    let filed = appeal(&cast.moderator, own, "Revoyez").await;
    let own_appeal = filed.assert_status(201)["id"].as_i64().unwrap();
    decide(&cast.moderator, own_appeal, "reversed")
        .await
        .assert_error(403, "forbidden");
    // The moderator who did not reject the reader's comment decides it.
    decide(&cast.admin, id, "upheld").await.assert_status(200);
}
