//! Live threads: `GET /articles/{key}/events`, a thread's public changes
//! as Server-Sent Events.

use crate::helpers::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(5);
/// How long a test listens to be sure that nothing comes.
const QUIET: Duration = Duration::from_millis(1200);

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("an object").keys().cloned().collect()
}

/// The opening of every stream: `retry`, then the article's count.
async fn opened(sse: &mut Sse, count: i64) {
    let first = sse.next(WAIT).await.expect("the stream opens");
    assert_eq!(first.retry, Some(3000));
    let c = sse.next_named("count", WAIT).await.expect("the count");
    assert_eq!(c.json(), json!({"article": "a1", "comment_count": count}));
}

/// The ids and texts of the comments in `events`.
fn bodies(events: &[SseEvent]) -> Vec<String> {
    events
        .iter()
        .filter(|e| e.event == "comment" || e.event == "tombstone")
        .map(|e| e.json()["body"].as_str().unwrap_or("").to_string())
        .collect()
}

#[tokio::test]
async fn a_reader_watching_a_thread_receives_a_newly_approved_comment() {
    let (app, cast) = TestApp::with_cast().await;
    let mut sse = app.live("a1").await;
    assert_eq!(sse.header("cache-control").as_deref(), Some("no-cache"));
    opened(&mut sse, 0).await;

    let posted = cast.reader.comment("a1", "Bonjour **tout** le monde").await;
    let posted = posted.assert_status(201).clone();
    assert_eq!(posted["status"], "approved");

    let event = sse.next_named("comment", WAIT).await.expect("the comment");
    let id = event.id.clone().expect("an event id");
    assert!(id.starts_with("evt_") && id.len() == 36, "{id}");
    // The comment exactly as the thread shows it to anyone: no e-mail, no reasons.
    let shown = event.json();
    let thread = app.thread("a1", None).await;
    assert_eq!(shown, thread[0]);
    assert_eq!(shown["id"], posted["id"]);
    assert_eq!(
        keys(&shown),
        [
            "article",
            "author",
            "body",
            "created_at",
            "dir",
            "edited_at",
            "featured",
            "html",
            "id",
            "parent_id",
            "reactions",
            "status"
        ]
        .map(String::from)
        .into()
    );
    assert_eq!(
        keys(&shown["author"]),
        ["badges", "display_name", "id", "username"]
            .map(String::from)
            .into()
    );
    let count = sse.next(WAIT).await.expect("the count follows");
    assert_eq!(count.event, "count");
    assert_eq!(count.json(), json!({"article": "a1", "comment_count": 1}));
    assert_eq!(count.id, None, "a count keeps the comment's id");
}

#[tokio::test]
async fn held_and_rejected_comments_never_reach_the_stream_and_an_approval_does() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin
        .patch("/admin/articles/a1", json!({"moderation": "pre"}))
        .await
        .assert_status(200);
    cast.admin
        .post(
            "/admin/words",
            json!({"pattern": "connard", "kind": "banned"}),
        )
        .await
        .assert_status(201);
    let mut sse = app.live("a1").await;
    opened(&mut sse, 0).await;

    let held = cast.reader.comment("a1", "en attente de modération").await;
    let held = held.assert_status(201)["id"].as_i64().unwrap();
    assert_eq!(cast.reader.status_of(held).await, "pending");
    let banned = cast.other.comment("a1", "quel connard").await;
    let banned = banned.assert_status(201)["id"].as_i64().unwrap();
    assert_eq!(cast.other.status_of(banned).await, "rejected");
    let refused = cast.other.comment("a1", "refusé par un modérateur").await;
    let refused = refused.assert_status(201)["id"].as_i64().unwrap();
    cast.moderator.reject(refused).await.assert_status(200);
    let quiet = sse.events_for(QUIET).await;
    assert!(
        quiet.iter().all(|e| e.comment.is_some()),
        "nothing public happened: {quiet:?}"
    );

    // Approved from the queue: now it is public.
    cast.moderator.approve(held).await.assert_status(200);
    let event = sse.next_named("comment", WAIT).await.expect("the approval");
    assert_eq!(event.json()["id"], held);
    assert_eq!(event.json()["body"], "en attente de modération");
    assert_eq!(event.json()["status"], "approved");
    let count = sse.next_named("count", WAIT).await.unwrap();
    assert_eq!(count.json()["comment_count"], 1);
}

#[tokio::test]
async fn a_shown_comment_edited_or_taken_down_is_updated_live() {
    let (app, cast) = TestApp::with_cast().await;
    let mut sse = app.live("a1").await;
    opened(&mut sse, 0).await;
    let id = cast.reader.comment_id("a1", "première version").await;
    sse.next_named("comment", WAIT).await.expect("shown");

    cast.reader
        .patch(
            &format!("/comments/{id}"),
            json!({"body": "seconde version"}),
        )
        .await
        .assert_status(200);
    let edited = sse.next_named("comment", WAIT).await.expect("the edit");
    assert_eq!(edited.json()["body"], "seconde version");
    assert!(edited.json()["edited_at"].is_string());

    cast.moderator.reject(id).await.assert_status(200);
    let down = sse.next_named("tombstone", WAIT).await.expect("taken down");
    let down = down.json();
    assert_eq!(down["id"], id);
    assert_eq!(
        (down["body"].as_str(), down["html"].as_str()),
        (Some(""), Some(""))
    );
    assert_eq!(down["author"], Value::Null);
    assert_eq!(down["status"], "deleted");
    let count = sse.next_named("count", WAIT).await.unwrap();
    assert_eq!(count.json()["comment_count"], 0);

    // The author deletes another shown comment: taken down as well.
    let mine = cast.other.comment_id("a1", "à effacer").await;
    sse.next_named("comment", WAIT).await.expect("shown");
    cast.other
        .delete(&format!("/comments/{mine}"))
        .await
        .assert_status(204);
    let down = sse.next_named("tombstone", WAIT).await.expect("deleted");
    assert_eq!(down.json()["id"], mine);
}

#[tokio::test]
async fn a_reconnecting_client_is_replayed_what_it_missed_by_last_event_id() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin.create_article("a2", json!({})).await;
    let mut sse = app.live("a1").await;
    opened(&mut sse, 0).await;
    cast.reader.comment_id("a1", "un").await;
    let seen = sse.next_named("comment", WAIT).await.unwrap();
    drop(sse);

    cast.reader.comment_id("a1", "deux").await;
    cast.reader.comment_id("a2", "ailleurs").await;
    cast.other.comment_id("a1", "trois").await;

    let last = seen.id.unwrap();
    let mut sse = app
        .live_with("a1", &[("Last-Event-ID", &last)])
        .await
        .map_err(|r| r.body)
        .expect("stream");
    let events = sse.events_for(QUIET).await;
    assert_eq!(bodies(&events), ["deux", "trois"]);
    let ids: Vec<&str> = events.iter().filter_map(|e| e.id.as_deref()).collect();
    assert_eq!(ids.len(), 2);
    assert!(!ids.contains(&last.as_str()));
    let count = events.iter().rev().find(|e| e.event == "count").unwrap();
    assert_eq!(count.json()["comment_count"], 3);

    // An id this server never gave: reload the thread.
    let unknown = format!("evt_{}", "0".repeat(32));
    let mut sse = app
        .live_with("a1", &[("Last-Event-ID", &unknown)])
        .await
        .map_err(|r| r.body)
        .expect("stream");
    assert!(sse.next_named("reset", WAIT).await.is_some());
}

#[tokio::test]
async fn a_replay_looks_back_only_so_far() {
    let app = TestApp::spawn_with(|c| c.server.live_replay_max = 2).await;
    let cast = app.cast().await;
    let mut sse = app.live("a1").await;
    opened(&mut sse, 0).await;
    cast.reader.comment_id("a1", "un").await;
    let seen = sse.next_named("comment", WAIT).await.unwrap().id.unwrap();
    drop(sse);
    for text in ["deux", "trois", "quatre"] {
        cast.reader.comment_id("a1", text).await;
    }
    let mut sse = app
        .live_with("a1", &[("Last-Event-ID", &seen)])
        .await
        .map_err(|r| r.body)
        .expect("stream");
    // The opening says to reload instead of replaying: retry, reset, count.
    // (Those three comments may still come live afterwards: on PostgreSQL
    // the hub hears of them a moment later, and the widget, which reloads
    // the thread, shows each comment once whatever the order.)
    let opening: Vec<SseEvent> = [
        sse.next(WAIT).await,
        sse.next(WAIT).await,
        sse.next(WAIT).await,
    ]
    .into_iter()
    .map(|e| e.expect("the opening"))
    .collect();
    assert_eq!(opening[0].retry, Some(3000), "{opening:?}");
    assert_eq!(opening[1].event, "reset", "{opening:?}");
    assert_eq!(opening[2].event, "count", "{opening:?}");
    assert_eq!(opening[2].json()["comment_count"], 4);
}

#[tokio::test]
async fn a_malformed_last_event_id_is_refused_in_the_callers_language() {
    let (app, _cast) = TestApp::with_cast().await;
    for bad in ["12", "evt_nothex", "evt_"] {
        let res = app
            .live_with("a1", &[("Last-Event-ID", bad), ("Accept-Language", "ar")])
            .await
            .err()
            .expect("no stream");
        res.assert_error(422, "validation_failed");
        res.assert_field_error("Last-Event-ID");
        assert_eq!(res.header("content-language"), Some("ar"));
    }
}

#[tokio::test]
async fn an_unknown_article_answers_404_as_its_thread_does() {
    let (app, _cast) = TestApp::with_cast().await;
    for key in ["nope", "not%20a%20key"] {
        let res = app
            .live_with(key, &[("Accept-Language", "en")])
            .await
            .err()
            .expect("no stream");
        res.assert_error(404, "not_found");
        let thread = app.get(&format!("/articles/{key}/comments"), None).await;
        assert_eq!(thread.status, res.status);
        assert_eq!(
            res.body["error"]["message"],
            "The requested resource was not found."
        );
    }
}

#[tokio::test]
async fn streams_beyond_max_live_clients_get_503_until_one_closes() {
    let app = TestApp::spawn_with(|c| c.server.max_live_clients = 2).await;
    let _cast = app.cast().await;
    let first = app.live("a1").await;
    let _second = app.live("a1").await;
    let metrics = app.client.get(app.url("//metrics")).send().await.unwrap();
    let metrics = metrics.text().await.unwrap();
    assert!(metrics.contains("tribune_live_clients 2\n"), "{metrics}");

    let res = app
        .live_with("a1", &[("Accept-Language", "fr")])
        .await
        .err()
        .expect("full");
    res.assert_error(503, "unavailable");
    assert_eq!(res.header("retry-after"), Some("5"));
    let message = res.body["error"]["message"].as_str().unwrap();
    assert!(message.contains("en direct"), "{message}");
    let res = app
        .live_with("a1", &[("Accept-Language", "ar")])
        .await
        .err()
        .expect("full");
    res.assert_error(503, "unavailable");
    assert!(res.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("مباشرة"));

    drop(first);
    // The server notices the closed stream on its next write (a heartbeat at most).
    let mut opened = false;
    for _ in 0..100 {
        if app.live_with("a1", &[]).await.is_ok() {
            opened = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(opened, "a place freed up");
}

#[tokio::test]
async fn one_address_holds_only_its_share_of_streams() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit.enabled = true;
        c.rate_limit.live_streams_per_address = 2;
        c.rate_limit.live_streams_per_address_per_minute = 3;
    })
    .await;
    let _cast = app.cast().await;
    let _one = app.live("a1").await;
    let two = app.live("a1").await;
    let res = app
        .live_with("a1", &[])
        .await
        .err()
        .expect("over the share");
    res.assert_error(429, "rate_limited");
    assert!(res.header("retry-after").is_some());
    drop(two);
    // Three opened this minute already (the refused one counts): 429 still.
    // Real time: the closed stream may free its place meanwhile; the minute's
    // rate must refuse all the same.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let res = app.live_with("a1", &[]).await.err().expect("over the rate");
    res.assert_error(429, "rate_limited");
}

#[tokio::test]
async fn a_quiet_stream_sends_heartbeats() {
    let app = TestApp::spawn_with(|c| c.server.live_heartbeat_ms = 200).await;
    let _cast = app.cast().await;
    let mut sse = app.live("a1").await;
    let events = sse.events_for(Duration::from_millis(900)).await;
    let beats = events
        .iter()
        .filter(|e| e.comment.as_deref() == Some("heartbeat"))
        .count();
    assert!(beats >= 2, "{events:?}");
}

#[tokio::test]
async fn every_role_sees_the_same_public_stream_and_no_one_the_held_comments() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin
        .patch("/admin/articles/a1", json!({"moderation": "pre"}))
        .await
        .assert_status(200);
    let tokens = [
        None,
        Some(cast.reader.token.clone()),
        Some(cast.other.token.clone()),
        Some(cast.moderator.token.clone()),
        Some(cast.admin.token.clone()),
    ];
    let mut streams = Vec::new();
    for token in &tokens {
        let auth = token.as_ref().map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> =
            auth.iter().map(|a| ("Authorization", a.as_str())).collect();
        let sse = app
            .live_with("a1", &headers)
            .await
            .map_err(|r| r.body)
            .unwrap();
        streams.push(sse);
    }
    let held = cast.reader.comment_id("a1", "ma réponse en attente").await;
    let shown = cast
        .moderator
        .comment_id("a1", "mot de la modération")
        .await;
    for sse in &mut streams {
        let event = sse
            .next_named("comment", WAIT)
            .await
            .expect("the public comment");
        assert_eq!(event.json()["id"], shown);
        let rest = sse.events_for(Duration::from_millis(300)).await;
        assert!(rest.iter().all(|e| e.event != "comment"), "{rest:?}");
    }
    assert_eq!(cast.reader.status_of(held).await, "pending");
}

/// SQLite has no LISTEN connection to lose.
#[tokio::test]
#[ignore = "needs PostgreSQL: .ci/run runs it with TRIBUNE_TEST_DATABASE_URL"]
async fn on_postgres_a_comment_posted_while_listen_reconnects_still_reaches_the_stream() {
    postgres_server();
    let (app, cast) = TestApp::with_cast().await;
    let mut sse = app.live("a1").await;
    opened(&mut sse, 0).await;
    assert_eq!(app.end_listen_connection().await, 1);
    // Committed before the pump listens again (it waits a second first).
    cast.reader
        .comment("a1", "Pendant la coupure")
        .await
        .assert_status(201);
    let event = sse
        .next_named("comment", Duration::from_secs(15))
        .await
        .expect("the comment, once LISTEN is back");
    assert!(bodies(&[event]).concat().contains("Pendant la coupure"));
    // Once, and what follows still comes live.
    cast.reader.comment("a1", "Après").await.assert_status(201);
    let rest = sse.events_for(QUIET).await;
    let texts = bodies(&rest);
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].contains("Après"), "{texts:?}");
}
