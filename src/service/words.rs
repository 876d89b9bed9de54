//! The word lists: entries as admins manage them (each change logged),
//! the compiled lists the filters match against (cached by the lists'
//! version, which every change bumps), and a dry run of a text. Folding and
//! matching themselves are pure text work, in `text::fold` and
//! `text::wordlist`; the rows are in `store::words`.

use super::ServiceError;
use crate::cache::WordCache;
use crate::domain::{FieldError, LogAction, SampleText, WordId};
use crate::screening::starter::starter_words;
use crate::screening::{self, Reason, WordMatch};
use crate::store::models::WordRow;
use crate::store::Db;
use crate::store::{self, log::Entry, now_ms, DbConnection};
use crate::text::Written;
use crate::text::{self, Entry as ListEntry, WordKind, WordList};
use std::sync::Arc;

/// The longest entry an admin may add.
pub const PATTERN_MAX: usize = 100;

/// The lists compiled for matching, from the cache while their version holds.
pub fn compiled(conn: &mut DbConnection, cache: &WordCache) -> Result<Arc<WordList>, ServiceError> {
    let version = store::words::version(conn)?;
    compiled_at(conn, cache, version)
}

/// `compiled`, the lists' `version` read already (with the settings).
pub fn compiled_at(
    conn: &mut DbConnection,
    cache: &WordCache,
    version: i64,
) -> Result<Arc<WordList>, ServiceError> {
    if let Some(list) = cache.get(version) {
        return Ok(list);
    }
    let rows = store::words::all(conn)?;
    let list = Arc::new(WordList::with_entries(rows.into_iter().map(|w| {
        ListEntry {
            pattern: w.pattern,
            folded: w.folded,
            kind: w.kind,
        }
    })));
    cache.put(version, list.clone());
    Ok(list)
}

/// Compiles the changed lists now, on a reading connection, so that the
/// next comment does not compile them inside the single writer (with a
/// thousand entries it takes a good part of a second). A failure here only
/// leaves the work to the next comment.
pub async fn warm(db: &Db, words: &Arc<WordCache>) {
    let cache = words.clone();
    let _ = db.read(move |conn| compiled(conn, &cache)).await;
}

pub fn all(conn: &mut DbConnection) -> Result<Vec<WordRow>, ServiceError> {
    Ok(store::words::all(conn)?)
}

/// What the word lists alone would do with a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WordTestOutcome {
    /// No entry matched.
    Pass,
    /// A suspect word: the comment would wait in the queue.
    Hold,
    /// A banned word: the comment would be rejected.
    Reject,
}

impl WordTestOutcome {
    /// A banned word outweighs any number of suspect ones.
    pub fn of(matches: &[WordMatch]) -> WordTestOutcome {
        if matches
            .iter()
            .any(|m| m.kind == Reason::BannedWord.as_str())
        {
            WordTestOutcome::Reject
        } else if matches.is_empty() {
            WordTestOutcome::Pass
        } else {
            WordTestOutcome::Hold
        }
    }
}

/// What the current lists would make of a text, read as a posted comment
/// is (as written and as shown); nothing is stored.
pub async fn try_text(
    db: &Db,
    words: &Arc<WordCache>,
    text: SampleText,
) -> Result<(WordTestOutcome, Vec<WordMatch>), ServiceError> {
    let written = Written::new(text.into_string());
    let cache = words.clone();
    let words = db.read(move |conn| compiled(conn, &cache)).await?;
    let matches = screening::word_matches(&words, &written.folded);
    Ok((WordTestOutcome::of(&matches), matches))
}

pub fn add_word(
    conn: &mut DbConnection,
    actor_id: i64,
    pattern: &str,
    kind: WordKind,
) -> Result<WordRow, ServiceError> {
    let pattern = text::normalize_line(pattern);
    if pattern.chars().count() > PATTERN_MAX {
        return Err(FieldError::too_long("pattern", PATTERN_MAX).into());
    }
    let folded = text::fold_pattern(&pattern)
        .ok_or_else(|| ServiceError::field("pattern", "validation-invalid-format"))?;
    let word = store::words::insert(conn, &pattern, &folded, kind, now_ms())?;
    log_word(conn, actor_id, LogAction::WordAdd, word.id, &word.pattern)?;
    Ok(word)
}

/// Adds every starter word the lists lack, each logged as the admin's
/// `word_add`. Returns (added, already there).
pub fn load_starter(
    conn: &mut DbConnection,
    actor_id: i64,
) -> Result<(usize, usize), ServiceError> {
    let (mut added, mut present) = (0, 0);
    for (kind, pattern) in starter_words() {
        match add_word(conn, actor_id, pattern, kind) {
            Ok(_) => added += 1,
            Err(ServiceError::Conflict(_)) => present += 1,
            Err(e) => return Err(e),
        }
    }
    Ok((added, present))
}

pub fn remove_word(conn: &mut DbConnection, actor_id: i64, id: WordId) -> Result<(), ServiceError> {
    let id = id.get();
    let word = store::words::find(conn, WordId(id))?.ok_or(ServiceError::NotFound)?;
    store::words::delete(conn, WordId(id))?;
    log_word(conn, actor_id, LogAction::WordRemove, id, &word.pattern)
}

fn log_word(
    conn: &mut DbConnection,
    actor_id: i64,
    action: LogAction,
    id: i64,
    pattern: &str,
) -> Result<(), ServiceError> {
    Ok(store::log::append(
        conn,
        Entry {
            actor_id,
            action,
            target_id: Some(id.to_string()),
            reason: Some(pattern),
        },
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_follow_their_version() {
        let cache = WordCache::default();
        assert!(cache.get(0).is_none());
        cache.put(3, Arc::new(WordList::default()));
        assert!(cache.get(3).is_some());
        assert!(cache.get(4).is_none());
    }
}
