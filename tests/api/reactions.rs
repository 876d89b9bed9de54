//! Readers' one reaction on a comment: who may, idempotent repeats, the
//! count against the rows, and `sort=top` paging while counts move.

use crate::helpers::*;

use rand::{rngs::StdRng, Rng, SeedableRng};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::HashMap;

async fn react(user: &User, id: i64) -> Resp {
    user.send(Method::PUT, &format!("/comments/{id}/reaction"), None)
        .await
}

async fn unreact(user: &User, id: i64) -> Resp {
    user.delete(&format!("/comments/{id}/reaction")).await
}

/// The comment as `token` finds it in the thread of `a1`.
async fn in_thread(app: &TestApp, id: i64, token: Option<&str>) -> Value {
    app.thread("a1", token)
        .await
        .into_iter()
        .find(|c| c["id"] == id)
        .expect("the comment is in the thread")
}

/// Rows in the reactions table for the comment, counted in the database.
fn rows_of(app: &TestApp, id: i64) -> i64 {
    app.db
        .write_now(move |conn| {
            tribune::store::reactions::recount(conn, tribune::domain::CommentId(id))
        })
        .expect("recount")
}

#[tokio::test]
async fn a_reader_marks_and_unmarks_a_comment_and_repeats_change_nothing() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.other.comment_id("a1", "Une analyse fine").await;

    for _ in 0..2 {
        let res = react(&cast.reader, id).await;
        assert_eq!(
            res.assert_status(200),
            &json!({"reactions": 1, "reacted": true})
        );
    }
    assert_eq!(rows_of(&app, id), 1);

    // The reader's page says they marked it; the author's says they did not;
    // an anonymous (cached) page carries the count only.
    let mine = in_thread(&app, id, Some(&cast.reader.token)).await;
    assert_eq!(
        (mine["reactions"].clone(), mine["reacted"].clone()),
        (json!(1), json!(true))
    );
    let theirs = in_thread(&app, id, Some(&cast.other.token)).await;
    assert_eq!(theirs["reacted"], json!(false));
    let anonymous = in_thread(&app, id, None).await;
    assert_eq!(anonymous["reactions"], 1);
    assert!(anonymous.get("reacted").is_none(), "{anonymous}");
    assert_eq!(anonymous["featured"], false);
    let single = app.get(&format!("/comments/{id}"), None).await;
    assert_eq!(single.assert_status(200)["reactions"], 1);

    for _ in 0..2 {
        let res = unreact(&cast.reader, id).await;
        assert_eq!(
            res.assert_status(200),
            &json!({"reactions": 0, "reacted": false})
        );
    }
    assert_eq!(rows_of(&app, id), 0);
    assert_eq!(in_thread(&app, id, None).await["reactions"], 0);
}

#[tokio::test]
async fn every_role_but_anonymous_and_the_author_may_react() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.other.comment_id("a1", "Bien vu").await;
    let path = format!("/comments/{id}/reaction");

    app.send(Method::PUT, &path, None, None)
        .await
        .assert_error(401, "unauthenticated");
    app.delete(&path, None)
        .await
        .assert_error(401, "unauthenticated");
    react(&cast.other, id)
        .await
        .assert_error(403, "own_comment");
    unreact(&cast.other, id)
        .await
        .assert_error(403, "own_comment");

    let mut expected = 0;
    for user in [&cast.reader, &cast.moderator, &cast.admin] {
        expected += 1;
        let res = react(user, id).await;
        assert_eq!(
            res.assert_status(200),
            &json!({"reactions": expected, "reacted": true})
        );
    }
    assert_eq!(rows_of(&app, id), 3);
}

#[tokio::test]
async fn own_comment_is_refused_in_each_language() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Mon propre avis").await;
    let mut messages = Vec::new();
    for lang in ["fr", "ar", "en"] {
        let res = cast
            .reader
            .send_with(
                Method::PUT,
                &format!("/comments/{id}/reaction"),
                None,
                &[("Accept-Language", lang)],
            )
            .await;
        res.assert_error(403, "own_comment");
        messages.push(res.body["error"]["message"].as_str().unwrap().to_string());
    }
    messages.dedup();
    assert_eq!(messages.len(), 3, "one message per language: {messages:?}");
}

#[tokio::test]
async fn a_banned_reader_cannot_react_or_take_a_reaction_back() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.other.comment_id("a1", "Un point de vue").await;
    react(&cast.reader, id).await.assert_status(200);
    cast.moderator
        .ban(cast.reader.id, json!({"reason": "insultes"}))
        .await
        .assert_status(200);
    react(&cast.reader, id).await.assert_error(403, "banned");
    unreact(&cast.reader, id).await.assert_error(403, "banned");
}

#[tokio::test]
async fn comments_the_caller_cannot_see_are_not_found() {
    let (_app, cast) = TestApp::with_cast().await;
    let rejected = cast.other.comment_id("a1", "Bientôt rejeté").await;
    cast.moderator.reject(rejected).await.assert_status(200);
    let deleted = cast.other.comment_id("a1", "Bientôt supprimé").await;
    cast.moderator
        .decide(deleted, "delete", None)
        .await
        .assert_status(200);
    for id in [rejected, deleted, 999_999] {
        react(&cast.reader, id).await.assert_error(404, "not_found");
        unreact(&cast.reader, id)
            .await
            .assert_error(404, "not_found");
        // Staff see those comments, but only public ones can be marked.
        react(&cast.moderator, id)
            .await
            .assert_error(404, "not_found");
    }
    let res = cast
        .reader
        .send(Method::PUT, "/comments/abc/reaction", None)
        .await;
    res.assert_error(404, "not_found");
}

#[tokio::test]
async fn reactions_are_rate_limited_per_account() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit.enabled = true;
        c.rate_limit.reactions_per_account_per_minute = 2;
    })
    .await;
    let cast = app.cast().await;
    let id = cast.other.comment_id("a1", "Limité").await;
    react(&cast.reader, id).await.assert_status(200);
    unreact(&cast.reader, id).await.assert_status(200);
    let res = react(&cast.reader, id).await;
    res.assert_error(429, "rate_limited");
    assert!(res.header("retry-after").is_some());
    // Another account has its own allowance.
    react(&cast.moderator, id).await.assert_status(200);
}

#[tokio::test]
async fn the_count_equals_the_rows_after_concurrent_readers_react_at_random() {
    let (app, cast) = TestApp::with_cast().await;
    let mut ids = Vec::new();
    for n in 0..3 {
        ids.push(
            cast.other
                .comment_id("a1", &format!("Commentaire {n}"))
                .await,
        );
    }
    let mut readers = Vec::new();
    for n in 0..16 {
        readers.push(app.register(&format!("lecteur{n}")).await);
    }
    // Each client's requests run in order, so its last one on a comment
    // decides whether its reaction is there at the end.
    let tasks: Vec<_> = readers
        .into_iter()
        .enumerate()
        .map(|(n, reader)| {
            let ids = ids.clone();
            tokio::spawn(async move {
                let mut rng = StdRng::seed_from_u64(n as u64);
                let mut last: HashMap<i64, bool> = HashMap::new();
                for _ in 0..12 {
                    let id = ids[rng.gen_range(0..ids.len())];
                    let on = rng.gen_bool(0.6);
                    let res = if on {
                        react(&reader, id).await
                    } else {
                        unreact(&reader, id).await
                    };
                    assert_eq!(res.assert_status(200)["reacted"], on);
                    last.insert(id, on);
                }
                last
            })
        })
        .collect();
    let mut expected: HashMap<i64, i64> = HashMap::new();
    for task in tasks {
        for (id, on) in task.await.expect("client ran") {
            *expected.entry(id).or_default() += i64::from(on);
        }
    }
    for id in ids {
        let want = expected.get(&id).copied().unwrap_or(0);
        assert_eq!(rows_of(&app, id), want, "rows of {id}");
        let shown = in_thread(&app, id, None).await;
        assert_eq!(shown["reactions"], want, "count of {id}");
    }
}

/// Walks `sort=top` by pages of `limit`, calling `between` after each page.
async fn walk_top<F, Fut>(
    app: &TestApp,
    token: &str,
    limit: usize,
    mut between: F,
) -> Vec<Vec<Value>>
where
    F: FnMut(usize, Vec<Value>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/articles/a1/comments?sort=top&limit={limit}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let res = app.get(&path, Some(token)).await;
        let body = res.assert_status(200);
        let page = body["comments"].as_array().unwrap().clone();
        cursor = body["next_cursor"].as_str().map(str::to_string);
        pages.push(page.clone());
        if cursor.is_none() {
            return pages;
        }
        assert!(pages.len() < 50, "paging must end");
        between(pages.len(), page).await;
    }
}

fn key(c: &Value) -> (i64, i64) {
    (c["reactions"].as_i64().unwrap(), c["id"].as_i64().unwrap())
}

#[tokio::test]
async fn top_orders_by_reactions_then_newest_and_pages_without_gaps() {
    let (app, cast) = TestApp::with_cast().await;
    let mut ids = Vec::new();
    for n in 0..10 {
        ids.push(
            cast.other
                .comment_id("a1", &format!("Avis numéro {n}"))
                .await,
        );
    }
    let voters = [
        cast.reader.clone(),
        cast.moderator.clone(),
        cast.admin.clone(),
    ];
    // Counts 0..=3 spread over the comments, with ties.
    for (i, id) in ids.iter().enumerate() {
        for voter in voters.iter().take(i % 4) {
            react(voter, *id).await.assert_status(200);
        }
    }
    let pages = walk_top(&app, &cast.reader.token, 3, |_, _| async {}).await;
    let seen: Vec<Value> = pages.concat();
    let keys: Vec<(i64, i64)> = seen.iter().map(key).collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(keys, sorted, "reactions desc, then newest (id desc)");
    let mut all: Vec<i64> = keys.iter().map(|k| k.1).collect();
    all.sort();
    assert_eq!(all, ids, "every comment once");
    // The reader's marks come with their pages.
    for c in &seen {
        let i = ids.iter().position(|id| *id == c["id"]).unwrap();
        assert_eq!(c["reacted"], json!(i % 4 >= 1), "{c}");
    }
    app.get("/articles/a1/comments?sort=best", None)
        .await
        .assert_field_error("sort");
}

#[tokio::test]
async fn top_paging_while_counts_change_lists_unchanged_comments_exactly_once() {
    let (app, cast) = TestApp::with_cast().await;
    let mut ids = Vec::new();
    for n in 0..12 {
        ids.push(cast.other.comment_id("a1", &format!("Réaction {n}")).await);
    }
    let mut voters = Vec::new();
    for n in 0..4 {
        voters.push(app.register(&format!("votant{n}")).await);
    }
    for (i, id) in ids.iter().enumerate() {
        for voter in voters.iter().take(i % 5) {
            react(voter, *id).await.assert_status(200);
        }
    }
    // Between pages, counts move: a comment already shown rises, another
    // already shown falls, and one not yet reached rises above the cursor.
    let changed = std::cell::RefCell::new(Vec::<i64>::new());
    let walker = cast.reader.clone();
    let pages = walk_top(&app, &walker.token, 4, |n, page| {
        let voters = voters.clone();
        let changed = &changed;
        let ids = ids.clone();
        async move {
            if n != 1 {
                return;
            }
            let shown: Vec<i64> = page.iter().map(|c| c["id"].as_i64().unwrap()).collect();
            // Rises while already shown: must not come back.
            let top = shown[0];
            for v in &voters {
                react(v, top).await.assert_status(200);
            }
            // Falls below the cursor: may come back, at its new place.
            let last = *shown.last().unwrap();
            for v in &voters {
                unreact(v, last).await.assert_status(200);
            }
            // Not reached yet, rises above the cursor: may be missed.
            let unseen = *ids.iter().find(|id| !shown.contains(id)).unwrap();
            for v in &voters {
                react(v, unseen).await.assert_status(200);
            }
            changed.borrow_mut().extend([top, last, unseen]);
        }
    })
    .await;
    let changed = changed.into_inner();
    assert_eq!(changed.len(), 3, "the counts moved between pages");
    let seen: Vec<i64> = pages
        .concat()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    for id in &ids {
        let times = seen.iter().filter(|s| *s == id).count();
        if changed.contains(id) {
            assert!(times <= 2, "{id} seen {times} times");
        } else {
            assert_eq!(
                times, 1,
                "unchanged comment {id} listed exactly once: {seen:?}"
            );
        }
    }
    // The one that rose while already shown is not listed again.
    assert_eq!(seen.iter().filter(|s| **s == changed[0]).count(), 1);
    // Each page is in order as it was read.
    for page in &pages {
        let keys: Vec<(i64, i64)> = page.iter().map(key).collect();
        let mut sorted = keys.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(keys, sorted);
    }
}

#[tokio::test]
async fn live_threads_get_reaction_counts_throttled_per_comment() {
    use std::time::{Duration, Instant};
    // The throttle's window is one second; waits get ten times the margin.
    const WAIT: Duration = Duration::from_secs(10);
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.other.comment_id("a1", "Suivi en direct").await;
    let mut sse = app.live("a1").await;
    sse.next(WAIT).await.expect("the stream opens");

    // The first change goes out at once.
    react(&cast.reader, id).await.assert_status(200);
    let first = sse.next_named("reactions", WAIT).await.expect("a count");
    assert_eq!(first.json(), json!({"comment_id": id, "reactions": 1}));
    assert!(first.id.is_none(), "not an outbox event: no id");

    // A burst within the window: one more frame, with the last count.
    let burst = Instant::now();
    react(&cast.moderator, id).await.assert_status(200);
    react(&cast.admin, id).await.assert_status(200);
    unreact(&cast.moderator, id).await.assert_status(200);
    let events = sse.events_for(Duration::from_millis(2500)).await;
    let counts: Vec<Value> = events
        .iter()
        .filter(|e| e.event == "reactions")
        .map(|e| e.json())
        .collect();
    assert!(burst.elapsed() < WAIT);
    assert!(!counts.is_empty(), "the burst's last count arrives");
    assert!(counts.len() <= 2, "throttled: {counts:?}");
    assert_eq!(
        counts.last().unwrap(),
        &json!({"comment_id": id, "reactions": 2})
    );
    // A repeat changes nothing and sends nothing.
    react(&cast.reader, id).await.assert_status(200);
    let quiet = sse.events_for(Duration::from_millis(1500)).await;
    assert!(quiet.iter().all(|e| e.event != "reactions"), "{quiet:?}");
}

#[tokio::test]
async fn reaction_counts_reach_the_live_threads_of_other_instances_on_postgres() {
    use std::time::Duration;
    let a = TestApp::spawn().await;
    let b = a.sibling().await;
    let cast = a.cast().await;
    let id = cast.other.comment_id("a1", "Lu sur deux instances").await;
    let mut on_a = a.live("a1").await;
    on_a.next(Duration::from_secs(10))
        .await
        .expect("the stream opens");
    let mut on_b = b.live("a1").await;
    on_b.next(Duration::from_secs(10))
        .await
        .expect("the stream opens");

    react(&cast.reader.on(&b), id).await.assert_status(200);
    if a.config.database.url.starts_with("postgres") {
        // Through NOTIFY, like the outbox's changes: to the other instance,
        // and once to the one that took it (back through its LISTEN).
        for stream in [&mut on_a, &mut on_b] {
            let counts: Vec<Value> = stream
                .events_for(Duration::from_millis(2000))
                .await
                .iter()
                .filter(|e| e.event == "reactions")
                .map(|e| e.json())
                .collect();
            assert_eq!(counts, vec![json!({"comment_id": id, "reactions": 1})]);
        }
    } else {
        // SQLite: counts are not outbox rows; another process sharing the
        // file shows them when its readers next load the thread.
        let frames = on_a.events_for(Duration::from_millis(1500)).await;
        assert!(frames.iter().all(|e| e.event != "reactions"), "{frames:?}");
        assert_eq!(a.thread("a1", None).await[0]["reactions"], 1);
        let frame = on_b.next_named("reactions", Duration::from_secs(10)).await;
        assert_eq!(
            frame.expect("the instance that took it").json(),
            json!({"comment_id": id, "reactions": 1})
        );
    }
}
