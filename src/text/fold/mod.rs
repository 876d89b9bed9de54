//! Folding of text and word-list patterns so that moderation filters see through evasions.
//!
//! Pipeline (text and patterns alike, see [`prefold`]): NFKC, drop
//! default-ignorables, case fold, strip combining marks, drop tatweel, unify
//! Arabic letter variants and digits. The text is cut at white space into
//! pieces, each piece into chunks at symbols ([`chunks_of`]); words cut by
//! symbols or spaces are joined back ([`joined_words`]) within a bounded
//! window. Each word gets a few candidate forms (leet and look-alike letters
//! mapped to Latin, Arabizi mixed in Arabic read as Arabic, Arabic proclitics
//! removed, letter runs squeezed), each with the disguises undone to reach
//! it; a word matches when any candidate does (`wordlist`).

pub(crate) use super::disguise::is_ignorable;
use super::disguise::Via;

mod candidates;
mod chars;
mod tokens;

pub(crate) use candidates::*;
use chars::*;
use tokens::*;

/// Severity of a word-list entry.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum WordKind {
    /// The comment is refused.
    Banned,
    /// The comment goes to the moderation queue.
    Suspect,
}

impl WordKind {
    /// Stored / API name.
    pub fn as_str(self) -> &'static str {
        match self {
            WordKind::Banned => "banned",
            WordKind::Suspect => "suspect",
        }
    }

    /// Parses `banned` / `suspect`.
    pub fn parse(s: &str) -> Option<WordKind> {
        match s {
            "banned" => Some(WordKind::Banned),
            "suspect" => Some(WordKind::Suspect),
            _ => None,
        }
    }
}

/// Folds a word-list pattern for storage and duplicate detection; `*` at the
/// end is kept (prefix pattern). Returns `None` when nothing matchable is
/// left: empty, only punctuation, or more than one word (patterns are single
/// words). Symbols and digits are kept as written: `c0nnard` stays `c0nnard`.
pub fn fold_pattern(pattern: &str) -> Option<String> {
    let trimmed = pattern.trim();
    let (body, is_prefix) = match trimmed.strip_suffix('*') {
        Some(body) => (body, true),
        None => (trimmed, false),
    };
    if body.chars().any(char::is_whitespace) {
        return None;
    }
    let chunks = chunks_of(body);
    let [chunk] = chunks.as_slice() else {
        return None;
    };
    let mut folded = squeeze(&chunk.text);
    if is_prefix {
        folded.push('*');
    }
    Some(folded)
}

/// Where a word was read in the text, and its candidate forms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    source: usize,
    start: usize,
    end: usize,
    forms: Vec<Form>,
}

impl Unit {
    pub fn forms(&self) -> &[Form] {
        &self.forms
    }
}

/// The folded candidate forms of each word of a text, ready to match, with
/// where each was read so that a match can quote the text as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FoldedText {
    sources: Vec<String>,
    units: Vec<Unit>,
}

impl FoldedText {
    /// The words read, in text order (joined readings after the plain ones
    /// of each piece).
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// The text of a unit as the reader wrote it.
    pub fn written(&self, unit: &Unit) -> &str {
        &self.sources[unit.source][unit.start..unit.end]
    }

    /// Adds the words of another reading of the same text.
    pub fn merge(&mut self, other: FoldedText) {
        let offset = self.sources.len();
        self.sources.extend(other.sources);
        self.units.extend(other.units.into_iter().map(|mut u| {
            u.source += offset;
            u
        }));
    }

    fn push(&mut self, start: usize, end: usize, forms: Vec<Form>) {
        self.units.push(Unit {
            source: self.sources.len() - 1,
            start,
            end,
            forms,
        });
    }
}

/// Folds a text (comment body, title, display name) for word-list matching.
pub fn fold_text(text: &str) -> FoldedText {
    let mut folded = FoldedText {
        sources: vec![text.to_string()],
        units: Vec::new(),
    };
    let ranges = pieces(text);
    // The word each piece reads as, or `None` for a piece without one (`:`).
    let mut words: Vec<Option<String>> = Vec::with_capacity(ranges.len());
    for &(start, end) in &ranges {
        let mut chunks = chunks_of(&text[start..end]);
        for chunk in &chunks {
            folded.push(start, end, candidates(&chunk.text, chunk.via));
        }
        if chunks.len() > 1 {
            let parts: Vec<&str> = chunks.iter().map(|c| c.text.as_str()).collect();
            for joined in joined_words(&parts, true) {
                if has_letter(&joined.text) {
                    folded.push(start, end, candidates(&joined.text, Via::SYMBOL));
                }
            }
        }
        words.push(match chunks.len() {
            0 => None,
            1 => chunks.pop().map(|c| c.text),
            _ => Some(chunks.iter().map(|c| c.text.as_str()).collect()),
        });
    }
    // Words cut by spaces, within runs of pieces that hold a word.
    let mut i = 0;
    while i < words.len() {
        let run_end = (i..words.len())
            .find(|&k| words[k].is_none())
            .unwrap_or(words.len());
        if run_end - i >= 2 {
            let parts: Vec<&str> = words[i..run_end]
                .iter()
                .map(|w| w.as_deref().unwrap_or(""))
                .collect();
            for joined in joined_words(&parts, false) {
                let (start, end) = (ranges[i + joined.first].0, ranges[i + joined.last].1);
                folded.push(start, end, candidates(&joined.text, Via::SPACING));
            }
        }
        i = run_end + 1;
    }
    folded
}

#[cfg(test)]
mod tests;
