//! What an instance knows of the database's changes, for the caches that
//! serve reads from memory: an epoch that moves whenever a write that could
//! change a page has committed, here or, on PostgreSQL, on another instance.
//!
//! On SQLite every write goes through this process's writer, so its batches
//! are the whole story. On PostgreSQL every batch of every instance ends
//! with a `NOTIFY` (`announcement`), delivered with its commit; the live
//! threads' listener hands the other instances' ones to `heard`. While that
//! listener is not connected nothing is known: the epoch is `None` and every
//! read asks the database, as it would without a cache. Connecting again
//! moves the epoch, so nothing checked before the gap is trusted after it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The channel the live threads already listen on; an announcement's
/// payload starts with this word, which no event's payload does.
const PREFIX: &str = "writes ";

/// The statement that ends each PostgreSQL batch of the instance `instance`.
pub fn announcement(instance: u64) -> String {
    format!("SELECT pg_notify('tribune_live', '{PREFIX}{instance:016x}')")
}

pub struct Changes {
    /// This process's own announcements are not news to it: its writer
    /// counts its batches already, before their callers hear back.
    own: String,
    /// Other instances' batches heard, and connections of the listener made
    /// or lost.
    elsewhere: AtomicU64,
    /// Whether the listener is connected now (PostgreSQL).
    listening: AtomicBool,
}

impl Changes {
    pub fn new(instance: u64) -> Changes {
        Changes {
            own: format!("{instance:016x}"),
            elsewhere: AtomicU64::new(0),
            listening: AtomicBool::new(false),
        }
    }

    /// The epoch, given how many batches this process has committed; `None`
    /// while other instances' writes could go unheard.
    pub fn epoch(&self, own_batches: u64) -> Option<u64> {
        if !self.listening.load(Ordering::Acquire) {
            return None;
        }
        Some(own_batches.wrapping_add(self.elsewhere.load(Ordering::Acquire)))
    }

    /// A notification's payload: true when it was an announcement (counted
    /// when another instance sent it), false when it is for someone else.
    pub fn heard(&self, payload: &str) -> bool {
        let Some(instance) = payload.strip_prefix(PREFIX) else {
            return false;
        };
        if instance != self.own {
            self.elsewhere.fetch_add(1, Ordering::Release);
        }
        true
    }

    /// The listener is connected (true) or has lost its connection (false).
    /// Either way the epoch moves: what was checked before is checked again.
    pub fn listening(&self, on: bool) {
        if !on {
            self.listening.store(false, Ordering::Release);
        }
        self.elsewhere.fetch_add(1, Ordering::Release);
        if on {
            self.listening.store(true, Ordering::Release);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_known_until_the_listener_is_connected() {
        let changes = Changes::new(7);
        assert_eq!(changes.epoch(3), None);
        changes.listening(true);
        let first = changes.epoch(3).expect("listening");
        assert_eq!(changes.epoch(3), Some(first));
        changes.listening(false);
        assert_eq!(changes.epoch(3), None);
        changes.listening(true);
        assert_ne!(changes.epoch(3), Some(first), "a gap moves the epoch");
    }

    #[test]
    fn another_instances_batch_moves_the_epoch_and_its_own_does_not() {
        let changes = Changes::new(7);
        changes.listening(true);
        let before = changes.epoch(0);
        let own = announcement(7);
        let own_payload = own.split('\'').nth(3).expect("payload");
        assert!(changes.heard(own_payload));
        assert_eq!(changes.epoch(0), before);
        let other = announcement(8);
        assert!(changes.heard(other.split('\'').nth(3).expect("payload")));
        assert_ne!(changes.epoch(0), before);
        assert!(
            !changes.heard("42"),
            "an event's payload is not an announcement"
        );
    }
}
