//! Timestamps: stored as UTC milliseconds, shown as RFC 3339 with Western digits.

use chrono::{DateTime, SecondsFormat, Utc};

/// Now, in the stored form: UTC milliseconds since the epoch.
pub fn now_ms() -> i64 {
    Utc::now().timestamp_millis()
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
}
