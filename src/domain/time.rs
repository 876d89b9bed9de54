//! Timestamps: stored as UTC milliseconds, shown as RFC 3339 with Western
//! digits; and the clock that rules on expiry read them from.

use chrono::{DateTime, SecondsFormat, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Now, in the stored form: UTC milliseconds since the epoch.
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

/// Where the rules that let something expire (mail links, sessions, sign-ins
/// under way) read the time, so that a test can move it on instead of
/// sleeping until a deadline passes. `AppState::clock` holds the server's.
pub trait Clock: Send + Sync {
    /// Now, in the stored form (see [`now_ms`]).
    fn now_ms(&self) -> i64;
}

/// The system's clock: the one a server runs on.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        now_ms()
    }
}

/// A clock for tests: the system's time moved forward by what the test has
/// added. It keeps running, so a server given one behaves as usual until
/// the test says time has passed.
#[derive(Debug, Default)]
pub struct TestClock {
    ahead_ms: AtomicI64,
}

impl TestClock {
    /// Moves the clock `by` forward, as if that much time had passed.
    pub fn advance(&self, by: Duration) {
        let ms = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.ahead_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

impl Clock for TestClock {
    fn now_ms(&self) -> i64 {
        now_ms().saturating_add(self.ahead_ms.load(Ordering::Relaxed))
    }
}

pub fn format(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub fn parse(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc).timestamp_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_in_utc() {
        let ms = parse("2026-11-29T08:30:00Z").unwrap();
        assert_eq!(format(ms), "2026-11-29T08:30:00Z");
        assert_eq!(parse("2026-11-29T09:30:00+01:00"), Some(ms));
        assert_eq!(parse("yesterday"), None);
    }

    #[test]
    fn a_test_clock_runs_with_the_system_until_moved_on() {
        let clock = TestClock::default();
        let before = now_ms();
        let read = clock.now_ms();
        assert!(before <= read && read <= now_ms());

        clock.advance(Duration::from_secs(3600));
        let moved = clock.now_ms();
        assert!(moved >= before + 3_600_000);
        assert!(moved <= now_ms() + 3_600_000);
    }
}
