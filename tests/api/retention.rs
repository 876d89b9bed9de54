//! Retention: the worker prunes what nothing needs any more (delivered
//! webhooks with their attempts and events, sent mails, spent tokens) and
//! keeps pending deliveries with their events, the newest events for
//! replay, and what the mail worker has not read.

use crate::helpers::*;
use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
use serde_json::json;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tribune::service::retention;
use tribune::store::schema::{sessions, webhook_attempts, webhook_deliveries};

/// What the outbox tables hold now.
#[derive(Debug)]
struct Tables {
    /// (row id, type)
    events: Vec<(i64, String)>,
    /// (delivery id, event id, state)
    deliveries: Vec<(i64, i64, String)>,
    /// delivery id of each attempt
    attempts: Vec<i64>,
    /// (kind, state)
    mails: Vec<(String, String)>,
    /// purpose of each token
    tokens: Vec<String>,
    /// (user id, expiry) of each session
    sessions: Vec<(i64, i64)>,
}

fn tables(app: &TestApp) -> Tables {
    app.db
        .write_now(|conn| {
            Ok::<_, tribune::store::StoreError>(Tables {
                events: tribune::store::events::list(conn, 10_000)?
                    .into_iter()
                    .map(|e| (e.id, e.kind))
                    .collect(),
                deliveries: webhook_deliveries::table
                    .select((
                        webhook_deliveries::id,
                        webhook_deliveries::event_id,
                        webhook_deliveries::state,
                    ))
                    .order(webhook_deliveries::id.asc())
                    .load(conn)?,
                attempts: webhook_attempts::table
                    .select(webhook_attempts::delivery_id)
                    .order(webhook_attempts::id.asc())
                    .load(conn)?,
                mails: tribune::store::mails::list(conn, 10_000)?
                    .into_iter()
                    .map(|m| (m.kind, m.state))
                    .collect(),
                tokens: tribune::store::tokens::list(conn)?
                    .into_iter()
                    .map(|t| t.purpose)
                    .collect(),
                sessions: sessions::table
                    .select((sessions::user_id, sessions::expires_at))
                    .order(sessions::id.asc())
                    .load(conn)?,
            })
        })
        .expect("tables read")
}

/// Polls (every 100 ms, at most 30 s) until `done` holds of the tables.
async fn tables_when(app: &TestApp, done: impl Fn(&Tables) -> bool) -> Tables {
    for _ in 0..300 {
        let now = tables(app);
        if done(&now) {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never came to pass: {:#?}", tables(app));
}

/// A webhook receiver that answers 204 to everything.
async fn receiver() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                // The request is small: read it whole, then answer.
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    buf.extend_from_slice(&chunk[..n]);
                    let text = String::from_utf8_lossy(&buf);
                    let complete = text.split_once("\r\n\r\n").is_some_and(|(head, body)| {
                        let length = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase()
                                    .strip_prefix("content-length:")
                                    .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                            })
                            .unwrap_or(0);
                        body.len() >= length
                    });
                    if n == 0 || complete {
                        break;
                    }
                }
                let answer = "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n";
                let _ = stream.write_all(answer.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    format!("http://127.0.0.1:{port}/hook")
}

/// An address where nothing answers.
fn nobody() -> String {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    format!("http://127.0.0.1:{port}/hook")
}

async fn add_webhook(app: &TestApp, admin: &User, url: &str) {
    app.post(
        "/admin/webhooks",
        Some(&admin.token),
        json!({"url": url, "events": ["comment.created"]}),
    )
    .await
    .assert_status(201);
}

#[tokio::test]
async fn retention_prunes_what_is_done_and_keeps_what_is_still_needed() {
    let app = TestApp::spawn_with(|c| {
        c.retention.interval_seconds = 1;
        c.retention.events_days = 0;
        c.retention.attempts_days = 0;
        c.retention.mails_days = 0;
        c.retention.tokens_days = 0;
        // Only the newest event is kept for replay.
        c.server.live_replay_max = 1;
        c.webhooks.deliver = true;
        c.webhooks.poll_ms = 20;
        // A failed delivery is retried only after the test.
        c.webhooks.retry_base_ms = 600_000;
        c.webhooks.retry_max_ms = 600_000;
        c.mail.deliver = true;
        c.mail.poll_ms = 20;
        c.mail.reset_token_seconds = 1;
    })
    .await;
    let cast = app.cast().await;
    add_webhook(&app, &cast.admin, &receiver().await).await;
    for text in ["Premier", "Deuxième", "Troisième"] {
        cast.reader.comment_id("a1", text).await;
    }
    // Delivered, then pruned with their attempts and events; the mails
    // (verification links, sent to the log) go too.
    tables_when(&app, |t| {
        t.events.len() <= 1
            && t.deliveries.is_empty()
            && t.attempts.is_empty()
            && t.mails.is_empty()
    })
    .await;

    // An endpoint that never answers: its delivery stays pending.
    add_webhook(&app, &cast.admin, &nobody()).await;
    cast.reader.comment_id("a1", "Quatrième").await;
    let held = tables(&app).events.last().unwrap().0;
    // Newer events, the newest kept for replay.
    app.patch(
        "/admin/articles/a1",
        Some(&cast.admin.token),
        json!({"comments_open": false}),
    )
    .await
    .assert_status(200);
    // A reset link that expires at once.
    app.post(
        "/auth/password-reset",
        None,
        json!({"email": "nadia@example.com"}),
    )
    .await
    .assert_status(202);
    tables_when(&app, |t| t.tokens.iter().any(|p| p == "reset")).await;
    // A session of the reader's that has just expired, beside their live one.
    let signed_in = tables(&app).sessions;
    app.db
        .write_now(|conn| {
            let now = tribune::store::now_ms();
            tribune::store::sessions::create(
                conn,
                tribune::domain::UserId(cast.reader.id),
                "expired",
                now - 2,
                now - 1,
            )
        })
        .unwrap();

    let kept = tables_when(&app, |t| {
        // The delivered one went, with its attempt; the failed attempt of
        // the pending one stays.
        t.deliveries.len() == 1
            && !t.attempts.is_empty()
            && t.events.len() == 2
            && t.mails.is_empty()
            && !t.tokens.iter().any(|p| p == "reset")
            && t.sessions == signed_in
    })
    .await;
    let (delivery, event, state) = &kept.deliveries[0];
    assert_eq!(state, "pending");
    assert_eq!(*event, held);
    assert!(kept.attempts.iter().all(|d| d == delivery), "{kept:?}");
    assert_eq!(kept.events[0], (held, "comment.created".to_string()));
    assert_eq!(kept.events[1].1, "article.closed");
    // Verification links are neither used nor expired.
    assert!(!kept.tokens.is_empty());
    assert!(kept.tokens.iter().all(|p| p == "verify"), "{kept:?}");
    // Counted for Prometheus, by table.
    let metrics = app
        .client
        .get(app.url("//metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for table in [
        "events",
        "webhook_deliveries",
        "webhook_attempts",
        "mails",
        "account_tokens",
        "sessions",
    ] {
        let line = format!("tribune_pruned_rows_total{{table=\"{table}\"}} ");
        assert!(metrics.contains(&line), "{table}: {metrics}");
    }
}

#[tokio::test]
async fn nothing_goes_within_the_windows_nor_before_the_mail_worker_reads_it() {
    // Workers off: deliveries stay pending and the mail cursor stays put.
    let app = TestApp::spawn().await;
    let cast = app.cast().await;
    add_webhook(&app, &cast.admin, &nobody()).await;
    cast.reader.comment_id("a1", "Un avis").await;
    app.patch(
        "/admin/articles/a1",
        Some(&cast.admin.token),
        json!({"comments_open": false}),
    )
    .await
    .assert_status(200);
    let before = tables(&app);
    assert_eq!(before.events.len(), 2);

    // Within the default windows: nothing.
    let pruned = retention::prune(&app.db, &app.config, tribune::store::now_ms())
        .await
        .unwrap();
    assert_eq!(pruned.total(), 0, "{pruned:?}");

    // A year on, with replay keeping one event: the event with a pending
    // delivery stays, and the other is unread by the mail worker.
    let mut config = app.config.clone();
    config.server.live_replay_max = 1;
    let later = tribune::store::now_ms() + 365 * 24 * 3600 * 1000;
    let pruned = retention::prune(&app.db, &config, later).await.unwrap();
    assert_eq!(pruned.of("events"), 0, "{pruned:?}");
    assert_eq!(pruned.of("webhook_deliveries"), 0, "{pruned:?}");
    // The verification mails were never sent: they stay; the tokens expired.
    assert_eq!(pruned.of("mails"), 0, "{pruned:?}");
    assert_eq!(pruned.of("account_tokens"), before.tokens.len() as u64);
    // Every session has expired by then.
    assert!(!before.sessions.is_empty());
    assert_eq!(pruned.of("sessions"), before.sessions.len() as u64);
    let after = tables(&app);
    assert_eq!(after.events, before.events);
    assert_eq!(after.deliveries, before.deliveries);
    assert_eq!(after.mails, before.mails);
}

#[tokio::test]
async fn two_instances_pruning_at_once_delete_each_row_once() {
    let app = TestApp::spawn_with(|c| {
        c.server.live_replay_max = 1;
    })
    .await;
    let sibling = app.sibling().await;
    let cast = app.cast().await;
    for i in 0..30 {
        cast.reader.comment_id("a1", &format!("Avis {i}")).await;
    }
    // The mail worker (off here) reads them all.
    app.db
        .write_now(|conn| {
            let config = app.config.clone();
            while tribune::service::mail::scan_events(
                conn,
                &config,
                tribune::store::now_ms() + 60_000,
            )? {}
            Ok::<_, tribune::service::ServiceError>(())
        })
        .unwrap();
    let later = tribune::store::now_ms() + 8 * 24 * 3600 * 1000;
    let (one, two) = tokio::join!(
        retention::prune(&app.db, &app.config, later),
        retention::prune(&sibling.db, &sibling.config, later),
    );
    let (one, two) = (one.unwrap(), two.unwrap());
    assert_eq!(one.of("events") + two.of("events"), 29, "{one:?} {two:?}");
    assert_eq!(tables(&app).events.len(), 1);
}
