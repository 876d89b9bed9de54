//! Retention: the outbox tables (events, webhook deliveries and attempts,
//! mails, account tokens) keep what is still needed and what the windows of
//! `[retention]` keep, sessions until they expire; the rest is pruned in
//! chunks by the worker (`crate::retention`).

use super::ServiceError;
use crate::config::{Config, RetentionConfig};
use crate::store::retention::{self as rows, Prunable};
use crate::store::{Db, StoreError};

/// Rows deleted per write: short enough that SQLite's one writer is never
/// held long, large enough that a backlog goes in few writes.
pub const CHUNK: i64 = 1000;
/// Chunks per rule in one pass; a larger backlog is left for the next pass,
/// which the worker starts at once (so a pass always ends soon).
pub const MAX_CHUNKS: u32 = 50;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// `now` minus `days`, in Unix milliseconds.
fn days_before(now: i64, days: u64) -> i64 {
    let span = i64::try_from(days)
        .unwrap_or(i64::MAX)
        .saturating_mul(DAY_MS);
    now.saturating_sub(span)
}

/// Events below this row id may go: the mail worker has read them
/// (`mail_cursor`), and they are older than the newest events kept for
/// replay (`replay_floor`, the row id of the oldest of those; `None` when
/// there are fewer events than that, and then none goes).
pub fn events_below(mail_cursor: i64, replay_floor: Option<i64>) -> i64 {
    match replay_floor {
        Some(floor) => floor.min(mail_cursor.saturating_add(1)).max(0),
        None => 0,
    }
}

/// The rules of one pass, in the order they run: attempts before their
/// deliveries, deliveries before their events (which they reference).
pub fn rules(config: &RetentionConfig, now: i64, events_below: i64) -> [Prunable; 6] {
    let history = days_before(now, config.attempts_days);
    [
        Prunable::Attempts {
            ended_before: history,
        },
        Prunable::Deliveries {
            ended_before: history,
        },
        Prunable::Events {
            below_id: events_below,
            created_before: days_before(now, config.events_days),
        },
        Prunable::Mails {
            queued_before: days_before(now, config.mails_days),
        },
        Prunable::Tokens {
            ended_before: days_before(now, config.tokens_days),
        },
        // No window: an expired session is refused as an unknown one is.
        Prunable::Sessions {
            expired_before: now,
        },
    ]
}

/// What one pass deleted, by table.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Pruned {
    pub counts: Vec<(&'static str, u64)>,
    /// A rule stopped at `MAX_CHUNKS`: more rows wait.
    pub more: bool,
}

impl Pruned {
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }

    /// How many rows of `table` went.
    pub fn of(&self, table: &str) -> u64 {
        self.counts
            .iter()
            .filter(|(t, _)| *t == table)
            .map(|(_, n)| n)
            .sum()
    }
}

/// One pass over every rule at `now`.
pub async fn prune(db: &Db, config: &Config, now: i64) -> Result<Pruned, ServiceError> {
    let keep = config.server.live_replay_max;
    let (cursor, floor) = db
        .read(move |conn| {
            Ok::<_, StoreError>((
                crate::store::mails::cursor(conn)?.last_event_id,
                rows::nth_newest_event(conn, keep)?,
            ))
        })
        .await?;
    let mut pruned = Pruned::default();
    for rule in rules(&config.retention, now, events_below(cursor, floor)) {
        let (count, more) = prune_rule(db, rule).await?;
        pruned.counts.push((rule.table(), count));
        pruned.more |= more;
    }
    Ok(pruned)
}

/// Deletes what `rule` lets go, a chunk per write: found on a reading
/// connection, deleted by id. Gives the count and whether more wait.
async fn prune_rule(db: &Db, rule: Prunable) -> Result<(u64, bool), ServiceError> {
    let mut count = 0;
    for _ in 0..MAX_CHUNKS {
        let ids = db.read(move |conn| rows::find(conn, rule, CHUNK)).await?;
        if ids.is_empty() {
            return Ok((count, false));
        }
        let found = ids.len() as i64;
        // Another instance may have deleted some first: count what went here.
        count += db.write(move |conn| rows::delete(conn, rule, &ids)).await? as u64;
        if found < CHUNK {
            return Ok((count, false));
        }
    }
    Ok((count, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(events: u64, attempts: u64, mails: u64, tokens: u64) -> RetentionConfig {
        RetentionConfig {
            interval_seconds: 3600,
            events_days: events,
            attempts_days: attempts,
            mails_days: mails,
            tokens_days: tokens,
        }
    }

    #[test]
    fn windows_count_back_from_now_in_days() {
        let now = 100 * DAY_MS;
        let [attempts, deliveries, events, mails, tokens, sessions] =
            rules(&config(7, 3, 30, 1), now, 42);
        assert_eq!(
            attempts,
            Prunable::Attempts {
                ended_before: 97 * DAY_MS
            }
        );
        assert_eq!(
            deliveries,
            Prunable::Deliveries {
                ended_before: 97 * DAY_MS
            }
        );
        assert_eq!(
            events,
            Prunable::Events {
                below_id: 42,
                created_before: 93 * DAY_MS
            }
        );
        assert_eq!(
            mails,
            Prunable::Mails {
                queued_before: 70 * DAY_MS
            }
        );
        assert_eq!(
            tokens,
            Prunable::Tokens {
                ended_before: 99 * DAY_MS
            }
        );
        assert_eq!(
            sessions,
            Prunable::Sessions {
                expired_before: now
            }
        );
    }

    #[test]
    fn zero_days_lets_go_of_anything_older_than_now_and_huge_windows_keep_all() {
        let now = 5 * DAY_MS;
        let [_, _, events, ..] = rules(&config(0, 0, 0, 0), now, 10);
        assert_eq!(
            events,
            Prunable::Events {
                below_id: 10,
                created_before: now
            }
        );
        // No overflow, and no event is that old.
        let [_, _, events, ..] = rules(&config(u64::MAX, 0, 0, 0), now, 10);
        assert!(matches!(events, Prunable::Events { created_before, .. } if created_before < 0));
    }

    #[test]
    fn events_the_mail_worker_has_not_read_are_kept() {
        // The newest events kept for replay start at row 900; the worker has
        // read up to row 500: rows up to 500 may go, not 501.
        assert_eq!(events_below(500, Some(900)), 501);
    }

    #[test]
    fn the_newest_events_are_kept_for_replay() {
        assert_eq!(events_below(1000, Some(900)), 900);
        assert_eq!(events_below(i64::MAX, Some(900)), 900);
    }

    #[test]
    fn with_fewer_events_than_replay_keeps_nothing_goes() {
        assert_eq!(events_below(1000, None), 0);
        assert_eq!(events_below(0, Some(5)), 1);
    }

    #[test]
    fn a_pass_adds_up_by_table() {
        let pruned = Pruned {
            counts: vec![("events", 3), ("mails", 2), ("events", 1)],
            more: false,
        };
        assert_eq!(pruned.total(), 6);
        assert_eq!(pruned.of("events"), 4);
        assert_eq!(pruned.of("account_tokens"), 0);
    }
}
