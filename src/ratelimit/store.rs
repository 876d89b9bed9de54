//! The memory behind a keyed limit: governor's GCRA over a store that holds
//! a bounded number of keys. governor's own stores can only forget idle keys;
//! when an attacker cycles through more fresh keys than the bound within one
//! window, none is idle, and the only way out would be to forget everyone,
//! accounts under attack included. This store forgets the keys that used the
//! least of their allowance first, so the counters that matter survive.

use governor::nanos::Nanos;
use governor::state::StateStore;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::{Arc, Mutex};

/// Shards, so two workers rarely wait on the same lock.
const SHARDS: usize = 16;

/// Keys and their theoretical arrival time (GCRA's one number per key).
pub struct BoundedStore<K> {
    inner: Arc<Inner<K>>,
}

struct Inner<K> {
    shards: Vec<Mutex<HashMap<K, u64>>>,
    hasher: RandomState,
}

impl<K> Clone for BoundedStore<K> {
    fn clone(&self) -> Self {
        BoundedStore {
            inner: self.inner.clone(),
        }
    }
}

impl<K: Hash + Eq + Clone> BoundedStore<K> {
    pub fn new() -> Self {
        BoundedStore {
            inner: Arc::new(Inner {
                shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
                hasher: RandomState::new(),
            }),
        }
    }

    fn shard(&self, key: &K) -> &Mutex<HashMap<K, u64>> {
        let i = self.inner.hasher.hash_one(key) as usize % SHARDS;
        &self.inner.shards[i]
    }

    /// Keys held now.
    pub fn len(&self) -> usize {
        self.inner
            .shards
            .iter()
            .map(|s| s.lock().map_or(0, |m| m.len()))
            .sum()
    }

    /// Forgets keys whose allowance is whole again (arrival time at or
    /// before `now`, in the limiter's nanoseconds): they are no different
    /// from keys never seen.
    pub fn forget_idle(&self, now: u64) {
        for shard in &self.inner.shards {
            if let Ok(mut map) = shard.lock() {
                map.retain(|_, tat| *tat > now);
                if map.capacity() > 4 * map.len().max(64) {
                    map.shrink_to_fit();
                }
            }
        }
    }

    /// Keeps at most `max_keys`: the idle ones go first, then those that
    /// used the least of their allowance (the earliest arrival times). A key
    /// close to its limit is the last to be forgotten.
    pub fn bound(&self, max_keys: usize, now: u64) {
        if self.len() <= max_keys {
            return;
        }
        self.forget_idle(now);
        let len = self.len();
        if len <= max_keys {
            return;
        }
        // Down to three quarters, so the next bound is not right away.
        let keep = max_keys - max_keys / 4;
        let mut times: Vec<u64> = Vec::with_capacity(len);
        for shard in &self.inner.shards {
            if let Ok(map) = shard.lock() {
                times.extend(map.values().copied());
            }
        }
        if times.len() <= keep {
            return;
        }
        let cut = times.len() - keep;
        let (_, threshold, _) = times.select_nth_unstable(cut);
        let threshold = *threshold;
        for shard in &self.inner.shards {
            if let Ok(mut map) = shard.lock() {
                map.retain(|_, tat| *tat >= threshold);
            }
        }
        tracing::warn!(
            clients = len,
            kept = self.len(),
            "a rate limit tracked too many clients at once; the least limited were forgotten"
        );
    }
}

impl<K: Hash + Eq + Clone> StateStore for BoundedStore<K> {
    type Key = K;

    fn measure_and_replace<T, F, E>(&self, key: &K, f: F) -> Result<T, E>
    where
        F: Fn(Option<Nanos>) -> Result<(T, Nanos), E>,
    {
        // A poisoned shard (a panic while held) still holds valid numbers.
        let mut map = self
            .shard(key)
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let old = map.get(key).map(|tat| Nanos::from(*tat));
        let (outcome, new) = f(old)?;
        map.insert(key.clone(), new.as_u64());
        Ok(outcome)
    }
}
