//! The thread that feeds the hub, with its own small runtime. It holds the
//! hub weakly, so it ends (and lets go of the database) with the server.

use super::Hub;
use futures_util::StreamExt;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// How often the pump checks that the server still runs.
const LOOK_UP: Duration = Duration::from_secs(1);
/// Notifications waiting for the pump, at most (the server queues the rest).
const NOTIFY_QUEUE: usize = 1024;

pub fn start(hub: &Arc<Hub>) -> std::io::Result<()> {
    let weak = Arc::downgrade(hub);
    let commits = hub.db.commits();
    let postgres = hub.db.postgres_url();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::Builder::new()
        .name("tribune-live".into())
        .spawn(move || {
            runtime.block_on(async move {
                match (postgres, commits) {
                    (Some(url), _) => listen(weak, &url).await,
                    (None, Some(commits)) => tail(weak, commits).await,
                    (None, None) => {}
                }
            })
        })?;
    Ok(())
}

/// SQLite: after each commit of the writer, read the outbox past the cursor.
async fn tail(hub: Weak<Hub>, commits: Arc<tokio::sync::Notify>) {
    loop {
        let _ = tokio::time::timeout(LOOK_UP, commits.notified()).await;
        let Some(hub) = hub.upgrade() else { return };
        if let Err(e) = hub.catch_up().await {
            tracing::warn!(error = %e, "live threads: reading the outbox failed");
        }
    }
}

/// PostgreSQL: one connection of its own that `LISTEN`s; each notification
/// names an outbox row, read then published. Reconnects after a failure,
/// then publishes from the outbox what was committed while it was down.
async fn listen(hub: Weak<Hub>, url: &str) {
    let mut reconnected = false;
    loop {
        if hub.strong_count() == 0 {
            return;
        }
        match tokio_postgres::connect(url, tokio_postgres::NoTls).await {
            Ok((client, mut connection)) => {
                let Some(db) = hub.upgrade().map(|hub| hub.db.clone()) else {
                    return;
                };
                let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(NOTIFY_QUEUE);
                let reading_db = db.clone();
                let reading = tokio::spawn(async move {
                    let mut messages =
                        futures_util::stream::poll_fn(move |cx| connection.poll_message(cx));
                    while let Some(Ok(message)) = messages.next().await {
                        if let tokio_postgres::AsyncMessage::Notification(n) = message {
                            // Other instances' writes move the caches' epoch
                            // here, at once, not behind the events' queue.
                            if reading_db.changes().heard(n.payload()) {
                                continue;
                            }
                            if tx.send(n.payload().to_string()).await.is_err() {
                                break;
                            }
                        }
                    }
                    // Deaf from now on: the caches stop trusting what they hold.
                    reading_db.changes().listening(false);
                });
                if let Err(e) = client.batch_execute("LISTEN tribune_live").await {
                    tracing::warn!(error = %e, "live threads: LISTEN failed");
                } else {
                    // Everything committed from now on will be heard.
                    db.changes().listening(true);
                    // Listening now: what committed before is in the outbox.
                    if let Some(hub) = hub.upgrade() {
                        if let Err(e) = hub.resume(reconnected).await {
                            tracing::warn!(error = %e, "live threads: catching up failed");
                        }
                    }
                    reconnected = true;
                    loop {
                        match tokio::time::timeout(LOOK_UP, rx.recv()).await {
                            Ok(Some(payload)) => {
                                let Some(hub) = hub.upgrade() else { return };
                                if let Err(e) = hub.on_notify(&payload).await {
                                    tracing::warn!(error = %e, "live threads: reading an event failed");
                                }
                            }
                            // The connection ended: connect again.
                            Ok(None) => break,
                            Err(_) if hub.strong_count() == 0 => return,
                            Err(_) => {}
                        }
                    }
                }
                reading.abort();
                db.changes().listening(false);
            }
            Err(e) => tracing::warn!(error = %e, "live threads: cannot connect to LISTEN"),
        }
        tokio::time::sleep(LOOK_UP).await;
    }
}
