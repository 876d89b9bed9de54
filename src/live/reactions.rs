//! Reaction counts on live threads, throttled per comment: the first change
//! goes out at once, later ones within `WINDOW` are folded into one frame
//! sent when the window ends, so a burst of marks costs readers one frame a
//! second per comment and the last count always arrives. The frames carry
//! no `id:` (they are not outbox events, so a reconnecting reader does not
//! replay them: the thread it reloads has the counts). They are sent by the
//! instance that took the reaction, to the streams it holds.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// At most one frame per comment in this time.
pub const WINDOW: Duration = Duration::from_secs(1);

/// Per comment: when its last frame went out, and a count waiting for the
/// window to end (with its article).
#[derive(Default)]
pub struct Throttle {
    comments: Mutex<HashMap<i64, Slot>>,
}

struct Slot {
    sent_at: Instant,
    waiting: Option<(String, i64)>,
}

/// What to do with a new count.
pub enum Decision {
    /// Send now.
    Now,
    /// Send what is waiting after this delay (a flush is to be scheduled).
    Later(Duration),
    /// A flush is already scheduled; it will send this count.
    Folded,
}

impl Throttle {
    pub fn offer(&self, key: &str, comment_id: i64, count: i64, now: Instant) -> Decision {
        let Ok(mut comments) = self.comments.lock() else {
            return Decision::Now;
        };
        // Forget comments whose window ended long ago, so the map stays small.
        if comments.len() > 4096 {
            comments.retain(|_, s| s.waiting.is_some() || now - s.sent_at < WINDOW);
        }
        match comments.get_mut(&comment_id) {
            Some(slot) if now - slot.sent_at < WINDOW => {
                let scheduled = slot.waiting.is_some();
                slot.waiting = Some((key.to_string(), count));
                if scheduled {
                    Decision::Folded
                } else {
                    Decision::Later(WINDOW - (now - slot.sent_at))
                }
            }
            _ => {
                comments.insert(
                    comment_id,
                    Slot {
                        sent_at: now,
                        waiting: None,
                    },
                );
                Decision::Now
            }
        }
    }

    /// The count waiting for `comment_id`, taken when its window ended.
    pub fn take(&self, comment_id: i64, now: Instant) -> Option<(String, i64)> {
        let mut comments = self.comments.lock().ok()?;
        let slot = comments.get_mut(&comment_id)?;
        let waiting = slot.waiting.take()?;
        slot.sent_at = now;
        Some(waiting)
    }
}

/// The frame: `event: reactions`, `{"comment_id", "reactions"}`.
pub fn frame(comment_id: i64, count: i64) -> String {
    let data = serde_json::json!({"comment_id": comment_id, "reactions": count});
    format!("event: reactions\ndata: {data}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_sends_the_first_count_and_then_the_last() {
        let t = Throttle::default();
        let start = Instant::now();
        assert!(matches!(t.offer("a1", 7, 1, start), Decision::Now));
        let later = start + Duration::from_millis(100);
        match t.offer("a1", 7, 2, later) {
            Decision::Later(wait) => assert_eq!(wait, Duration::from_millis(900)),
            _ => panic!("the second count waits for the window"),
        }
        assert!(matches!(t.offer("a1", 7, 3, later), Decision::Folded));
        // Another comment has its own window.
        assert!(matches!(t.offer("a1", 8, 1, later), Decision::Now));
        let end = start + WINDOW;
        assert_eq!(t.take(7, end), Some(("a1".to_string(), 3)));
        assert_eq!(t.take(7, end), None);
        // A new window starts at the flush.
        assert!(matches!(
            t.offer("a1", 7, 4, end + Duration::from_millis(10)),
            Decision::Later(_)
        ));
        // A flush running late: a count after the window goes out at once,
        // and replaces the one waiting (the flush then sends nothing).
        assert!(matches!(
            t.offer("a1", 7, 5, end + WINDOW * 2),
            Decision::Now
        ));
        assert_eq!(t.take(7, end + WINDOW * 2), None);
    }
}
