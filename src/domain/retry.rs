//! When to try again: the backoff shared by the mail and webhook workers.

/// The wait before attempt `attempts + 1`, in milliseconds:
/// `base · 2^(attempts-1)`, at most `max`, scaled by `0.8 + 0.4·jitter`
/// (`jitter` in [0, 1)), so failures that happened together do not all
/// come back at the same moment.
pub fn backoff_ms(base_ms: u64, max_ms: u64, attempts: i64, jitter: f64) -> i64 {
    let doublings = (attempts.max(1) - 1).min(40) as u32;
    let delay = base_ms.saturating_mul(1u64 << doublings).min(max_ms);
    (delay as f64 * (0.8 + 0.4 * jitter)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_from_the_base_up_to_the_ceiling() {
        assert_eq!(backoff_ms(1000, 60_000, 0, 0.5), 1000);
        assert_eq!(backoff_ms(1000, 60_000, 1, 0.5), 1000);
        assert_eq!(backoff_ms(1000, 60_000, 3, 0.5), 4000);
        assert_eq!(backoff_ms(1000, 60_000, 4, 0.5), 8000);
        assert_eq!(backoff_ms(1000, 60_000, 30, 0.5), 60_000);
        assert_eq!(
            backoff_ms(1000, u64::MAX, 1_000, 0.5),
            (1000u64 << 40) as i64
        );
    }

    #[test]
    fn jitter_stays_within_a_fifth_either_way() {
        assert_eq!(backoff_ms(1000, 60_000, 1, 0.0), 800);
        assert!(backoff_ms(1000, 60_000, 1, 0.999) < 1200);
        assert!(backoff_ms(1000, 60_000, 1, 0.999) > 1190);
    }
}
