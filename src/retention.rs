//! The retention worker: a thread of its own that prunes the outbox tables
//! at start, then every `retention.interval_seconds`; the rules live in
//! `service::retention`.

use crate::config::Config;
use crate::metrics::PrunedRows;
use crate::service::retention;
use crate::store::{now_ms, Db};
use crate::worker::Worker;
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

/// How often a waiting worker checks that the server still runs.
const LOOK_UP: Duration = Duration::from_secs(1);

pub fn start(db: Db, config: Arc<Config>, counter: PrunedRows) -> std::io::Result<Worker> {
    Worker::spawn("retention", move |alive| run(db, config, counter, alive))
}

async fn run(db: Db, config: Arc<Config>, counter: PrunedRows, alive: Weak<()>) {
    let interval = Duration::from_secs(config.retention.interval_seconds);
    while alive.strong_count() > 0 {
        let more = match retention::prune(&db, &config, now_ms()).await {
            Ok(pruned) => {
                for &(table, rows) in &pruned.counts {
                    counter.add(table, rows);
                }
                if pruned.total() > 0 {
                    let count = |table| pruned.of(table);
                    tracing::info!(
                        events = count("events"),
                        webhook_deliveries = count("webhook_deliveries"),
                        webhook_attempts = count("webhook_attempts"),
                        mails = count("mails"),
                        account_tokens = count("account_tokens"),
                        more = pruned.more,
                        "retention: pruned old rows"
                    );
                } else {
                    tracing::debug!("retention: nothing to prune");
                }
                pruned.more
            }
            Err(e) => {
                tracing::warn!(error = %e, "retention: pruning failed, tried again later");
                false
            }
        };
        // A backlog larger than a pass goes on at once, a pass at a time.
        let pause = if more { Duration::ZERO } else { interval };
        let started = Instant::now();
        while started.elapsed() < pause && alive.strong_count() > 0 {
            tokio::time::sleep(LOOK_UP.min(pause.saturating_sub(started.elapsed()))).await;
        }
    }
}
