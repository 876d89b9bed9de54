//! What this run wrote to the source-id map, known without asking the
//! database, so that a fresh import does not look up every comment it reads.
//!
//! Into a site where no comment of this source is mapped yet, an id of the
//! input can only be in the map if this run put it there: the map is asked
//! only about the ids this run may have written (duplicates in the input, or
//! a filter's false positive), and only about the parents replies wait for.
//! Both sets are Bloom filters: a few MiB whatever the input's size, never
//! "no" for an id they were given. Once anything else may have written (a
//! run that mapped comments before, another writer between two batches),
//! every id is looked up as before.

use super::{store, ImportError, Writer};
use crate::store::DbConnection;
use std::hash::{DefaultHasher, Hash, Hasher};

/// A set that may answer yes for an id it was never given, never no for one
/// it was.
struct Bloom {
    bits: Vec<u64>,
    mask: u64,
}

/// Bits set per id.
const PROBES: u64 = 5;

impl Bloom {
    /// `2^log2_bits` bits.
    fn new(log2_bits: u32) -> Bloom {
        Bloom {
            bits: vec![0; 1 << (log2_bits - 6)],
            mask: (1 << log2_bits) - 1,
        }
    }

    /// The probed bits, from two halves of one hash (double hashing).
    fn probes(&self, id: &str) -> impl Iterator<Item = u64> + '_ {
        let mut h = DefaultHasher::new();
        id.hash(&mut h);
        let h = h.finish();
        let (a, b) = (h & 0xffff_ffff, (h >> 32) | 1);
        (0..PROBES).map(move |i| a.wrapping_add(i.wrapping_mul(b)) & self.mask)
    }

    fn insert(&mut self, id: &str) {
        let probes: Vec<u64> = self.probes(id).collect();
        for bit in probes {
            self.bits[(bit >> 6) as usize] |= 1 << (bit & 63);
        }
    }

    fn may_contain(&self, id: &str) -> bool {
        self.probes(id)
            .all(|bit| self.bits[(bit >> 6) as usize] & (1 << (bit & 63)) != 0)
    }
}

pub(super) struct Written {
    /// Comments' source ids this run mapped: 2 MiB, about one false
    /// positive in 1,000 after a million ids.
    comments: Bloom,
    /// Parents' source ids replies wait for, of this run and earlier ones.
    awaited: Bloom,
    /// The highest comment id after this run's last batch: another value
    /// means another writer came in between.
    last_id: Option<i64>,
    /// Whether the filters tell all the map holds of this source.
    exact: bool,
}

impl Written {
    /// `exact`: no comment of this source was mapped when the run began.
    /// `awaited`: the parents replies of earlier runs wait for.
    /// `last_id`: the highest comment id, read in the same transaction.
    pub(super) fn new<'a>(
        exact: bool,
        awaited: impl IntoIterator<Item = &'a str>,
        last_id: Option<i64>,
    ) -> Written {
        let mut written = Written {
            comments: Bloom::new(24),
            awaited: Bloom::new(20),
            last_id,
            exact,
        };
        for parent in awaited {
            written.awaited.insert(parent);
        }
        written
    }

    /// A batch starts with this highest comment id: the filters stay exact
    /// only if nobody else wrote a comment since this run's last batch.
    pub(super) fn check(&mut self, last_id: Option<i64>) {
        if last_id != self.last_id {
            self.exact = false;
        }
    }

    /// The batch ended with this highest comment id.
    pub(super) fn committed(&mut self, last_id: Option<i64>) {
        self.last_id = last_id;
    }

    /// Whether the map may hold this comment's source id.
    pub(super) fn may_be_mapped(&self, id: &str) -> bool {
        !self.exact || self.comments.may_contain(id)
    }

    /// Whether a reply may be waiting for this parent.
    pub(super) fn may_be_awaited(&self, parent: &str) -> bool {
        !self.exact || self.awaited.may_contain(parent)
    }

    pub(super) fn mapped(&mut self, id: &str) {
        self.comments.insert(id);
    }

    pub(super) fn awaits(&mut self, parent: &str) {
        self.awaited.insert(parent);
    }
}

impl Writer<'_> {
    /// On SQLite, in the first batch's transaction: whether this source had
    /// comments mapped already, and the parents its replies wait for.
    pub(super) fn what_was_written(
        &self,
        conn: &mut DbConnection,
    ) -> Result<Option<Written>, ImportError> {
        if !matches!(conn, DbConnection::Sqlite(_)) {
            return Ok(None);
        }
        let fresh = !store::any_mapped(conn, self.source, "comment")?;
        let awaited = store::awaited_parents(conn, self.source)?;
        Ok(Some(Written::new(
            fresh,
            awaited.iter().map(String::as_str),
            store::max_comment_id(conn)?,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_never_forgets_and_rarely_invents() {
        let mut w = Written::new(true, ["p1"], Some(10));
        assert!(w.may_be_awaited("p1"));
        for i in 0..100_000 {
            w.mapped(&format!("c{i}"));
        }
        assert!((0..100_000).all(|i| w.may_be_mapped(&format!("c{i}"))));
        let invented = (0..100_000)
            .filter(|i| w.may_be_mapped(&format!("x{i}")))
            .count();
        assert!(invented < 100, "{invented} false positives");
        // Another writer came in: every id may be mapped.
        w.check(Some(11));
        assert!(w.may_be_mapped("x0") && w.may_be_awaited("x0"));
    }

    #[test]
    fn a_run_after_another_asks_the_database() {
        let w = Written::new(false, [], None);
        assert!(w.may_be_mapped("c1") && w.may_be_awaited("c1"));
    }
}
