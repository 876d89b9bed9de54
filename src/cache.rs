//! Caches that pay for a page when it changes, not when it is read. Each entry
//! carries the version it was built from, a version that every write bumps in
//! the database, so an instance never serves what another instance changed.

use crate::text::WordList;
use actix_web::web::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Serialized thread pages for anonymous readers, keyed by article and query.
pub struct PageCache {
    pages: Mutex<HashMap<String, (i64, Bytes)>>,
    capacity: usize,
    /// Locks taken to build a missing page, chosen by the key's hash.
    builders: Vec<tokio::sync::Mutex<()>>,
}

/// Builders of different pages rarely share a lock with this many.
const BUILDER_LOCKS: usize = 64;

impl PageCache {
    pub fn new(capacity: usize) -> PageCache {
        PageCache {
            pages: Mutex::new(HashMap::new()),
            capacity,
            builders: (0..BUILDER_LOCKS)
                .map(|_| tokio::sync::Mutex::new(()))
                .collect(),
        }
    }

    /// Held while a missing page is built, so that the readers who missed it
    /// together wait for one build instead of each building it (a popular
    /// thread is read by many at the moment a comment changes it).
    pub async fn building(&self, key: &str) -> tokio::sync::MutexGuard<'_, ()> {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        self.builders[(hasher.finish() % BUILDER_LOCKS as u64) as usize]
            .lock()
            .await
    }

    /// The page, if it was built from this version of the article.
    pub fn get(&self, key: &str, version: i64) -> Option<Bytes> {
        let pages = self.pages.lock().ok()?;
        match pages.get(key) {
            Some((v, bytes)) if *v == version => Some(bytes.clone()),
            _ => None,
        }
    }

    pub fn put(&self, key: String, version: i64, page: Bytes) {
        if let Ok(mut pages) = self.pages.lock() {
            // Bounded memory: past capacity, start over (pages rebuild on demand).
            if pages.len() >= self.capacity && !pages.contains_key(&key) {
                pages.clear();
            }
            pages.insert(key, (version, page));
        }
    }
}

/// The compiled word lists, rebuilt when the lists' version moves.
#[derive(Default)]
pub struct WordCache {
    compiled: Mutex<Option<(i64, Arc<WordList>)>>,
}

impl WordCache {
    pub fn get(&self, version: i64) -> Option<Arc<WordList>> {
        let compiled = self.compiled.lock().ok()?;
        compiled
            .as_ref()
            .filter(|(v, _)| *v == version)
            .map(|(_, list)| list.clone())
    }

    pub fn put(&self, version: i64, list: Arc<WordList>) {
        if let Ok(mut compiled) = self.compiled.lock() {
            *compiled = Some((version, list));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_of_another_version_is_a_miss() {
        let cache = PageCache::new(2);
        cache.put("1:oldest:50:".into(), 7, Bytes::from_static(b"[]"));
        assert_eq!(
            cache.get("1:oldest:50:", 7),
            Some(Bytes::from_static(b"[]"))
        );
        assert_eq!(cache.get("1:oldest:50:", 8), None);
        assert_eq!(cache.get("2:oldest:50:", 7), None);
    }

    #[test]
    fn the_cache_stays_within_its_capacity() {
        let cache = PageCache::new(2);
        for i in 0..5 {
            cache.put(format!("{i}"), 1, Bytes::new());
        }
        assert!(cache.pages.lock().unwrap().len() <= 2);
        assert!(cache.get("4", 1).is_some());
    }

    #[test]
    fn word_lists_follow_their_version() {
        let cache = WordCache::default();
        assert!(cache.get(0).is_none());
        cache.put(3, Arc::new(WordList::default()));
        assert!(cache.get(3).is_some());
        assert!(cache.get(4).is_none());
    }
}
