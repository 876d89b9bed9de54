//! Moderators' notes on readers: staff only, never shown to readers.

use crate::helpers::*;

use serde_json::{json, Value};

async fn add_note(user: &User, on: i64, text: &str) -> Resp {
    user.post(&format!("/mod/users/{on}/notes"), json!({ "text": text }))
        .await
}

async fn notes_of(user: &User, on: i64) -> Vec<Value> {
    user.get(&format!("/mod/users/{on}/notes"))
        .await
        .assert_status(200)["notes"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn staff_write_and_read_notes_newest_first() {
    let (_app, cast) = TestApp::with_cast().await;
    let target = cast.reader.id;

    let res = add_note(&cast.moderator, target, "  Averti pour insultes  ").await;
    let first = res.assert_status(201).clone();
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4, "id, text, author, created_at: {first}");
    assert_eq!(first["text"], "Averti pour insultes");
    assert_eq!(first["author"]["id"], cast.moderator.id);
    assert!(first["created_at"].as_str().unwrap().ends_with('Z'));

    let second = add_note(&cast.admin, target, "تحذير ثانٍ").await;
    let second = second.assert_status(201).clone();

    for staff in [&cast.moderator, &cast.admin] {
        let notes = notes_of(staff, target).await;
        assert_eq!(notes, vec![second.clone(), first.clone()], "newest first");
    }
    assert!(notes_of(&cast.moderator, cast.other.id).await.is_empty());

    // Adding is logged, without the text.
    let log = cast.moderator.log_entries().await;
    let added: Vec<&Value> = log.iter().filter(|e| e["action"] == "note_add").collect();
    assert_eq!(added.len(), 2);
    assert_eq!(added[0]["target_type"], "user");
    assert_eq!(added[0]["target_id"], target.to_string());
    assert!(!log.iter().any(|e| e.to_string().contains("insultes")));
}

#[tokio::test]
async fn readers_and_anonymous_callers_cannot_touch_notes() {
    let (app, cast) = TestApp::with_cast().await;
    let target = cast.other.id;
    let note = add_note(&cast.moderator, target, "Compte à surveiller").await;
    let note_id = note.assert_status(201)["id"].as_i64().unwrap();
    let list = format!("/mod/users/{target}/notes");
    let one = format!("/mod/notes/{note_id}");

    app.post(&list, None, json!({"text": "x"}))
        .await
        .assert_error(401, "unauthenticated");
    app.get(&list, None)
        .await
        .assert_error(401, "unauthenticated");
    app.delete(&one, None)
        .await
        .assert_error(401, "unauthenticated");
    // The reader, and the reader the note is about.
    for reader in [&cast.reader, &cast.other] {
        add_note(reader, target, "x")
            .await
            .assert_error(403, "forbidden");
        reader.get(&list).await.assert_error(403, "forbidden");
        reader.delete(&one).await.assert_error(403, "forbidden");
    }
    assert_eq!(notes_of(&cast.admin, target).await.len(), 1);
}

#[tokio::test]
async fn a_note_is_removed_by_its_author_or_an_admin_only() {
    let (app, cast) = TestApp::with_cast().await;
    let other_moderator = app.moderator(&cast.admin, "second").await;
    let target = cast.reader.id;
    let id = |res: Resp| res.assert_status(201)["id"].as_i64().unwrap();
    let mine = id(add_note(&cast.moderator, target, "La mienne").await);
    let for_admin = id(add_note(&cast.moderator, target, "Pour l'admin").await);

    other_moderator
        .delete(&format!("/mod/notes/{mine}"))
        .await
        .assert_error(403, "forbidden");
    cast.moderator
        .delete(&format!("/mod/notes/{mine}"))
        .await
        .assert_status(204);
    cast.admin
        .delete(&format!("/mod/notes/{for_admin}"))
        .await
        .assert_status(204);
    assert!(notes_of(&cast.moderator, target).await.is_empty());
    cast.admin
        .delete(&format!("/mod/notes/{mine}"))
        .await
        .assert_error(404, "not_found");
    let logged = cast.admin.log_entries().await;
    assert_eq!(
        logged
            .iter()
            .filter(|e| e["action"] == "note_remove")
            .count(),
        2
    );
}

#[tokio::test]
async fn bad_notes_and_unknown_targets_are_refused() {
    let (_app, cast) = TestApp::with_cast().await;
    add_note(&cast.moderator, cast.reader.id, "   ")
        .await
        .assert_field_error("text");
    add_note(&cast.moderator, cast.reader.id, &"n".repeat(2001))
        .await
        .assert_field_error("text");
    cast.moderator
        .post(&format!("/mod/users/{}/notes", cast.reader.id), json!({}))
        .await
        .assert_field_error("text");
    add_note(&cast.moderator, 999_999, "Personne")
        .await
        .assert_error(404, "not_found");
    cast.moderator
        .get("/mod/users/999999/notes")
        .await
        .assert_error(404, "not_found");
    cast.moderator
        .delete("/mod/notes/999999")
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn notes_never_reach_what_readers_see() {
    let (app, cast) = TestApp::with_cast().await;
    const SECRET: &str = "NOTE-INTERNE-42";
    let id = cast.reader.comment_id("a1", "Mon avis").await;
    add_note(&cast.moderator, cast.reader.id, SECRET)
        .await
        .assert_status(201);

    let mut answers = vec![
        app.get("/articles/a1/comments", None).await,
        app.get(&format!("/comments/{id}"), None).await,
        cast.reader.get("/articles/a1/comments").await,
        cast.reader.get(&format!("/comments/{id}")).await,
        cast.reader.get("/me").await,
        cast.reader.get("/me/export").await,
        cast.other.get("/articles/a1/comments?featured=false").await,
    ];
    for res in answers.drain(..) {
        let text = res.assert_status(200).to_string();
        assert!(!text.contains(SECRET), "a note leaked: {text}");
    }
    // The widget's page, as a reader's browser gets it.
    let page = app.client.get(app.url("//embed/a1")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Mon avis"), "the thread is on the page");
    assert!(
        !html.contains(SECRET),
        "a note leaked into the widget's page"
    );
    // No event (hence no webhook delivery or live frame) carries it.
    let events: Vec<String> = app
        .db
        .write_now(|conn| {
            use diesel::{QueryDsl, RunQueryDsl};
            use tribune::store::schema::events;
            Ok::<_, tribune::store::StoreError>(
                events::table.select(events::data).load::<String>(conn)?,
            )
        })
        .expect("events");
    assert!(!events.is_empty(), "the comment made an event");
    assert!(events.iter().all(|e| !e.contains(SECRET)));
}

#[tokio::test]
async fn the_queue_counts_the_notes_on_each_author() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    let noted = cast.reader.comment("pre", "Premier avis").await;
    let noted = noted.assert_status(201)["id"].as_i64().unwrap();
    let plain = cast.other.comment("pre", "Autre avis").await;
    let plain = plain.assert_status(201)["id"].as_i64().unwrap();
    for text in ["Un", "Deux"] {
        add_note(&cast.moderator, cast.reader.id, text)
            .await
            .assert_status(201);
    }
    let page = cast.moderator.queue("status=pending").await;
    assert_eq!(queue_item(&page, noted)["author"]["note_count"], 2);
    assert_eq!(queue_item(&page, plain)["author"]["note_count"], 0);
}
