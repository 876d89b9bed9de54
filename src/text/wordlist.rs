//! The compiled word lists: every form of every entry in one automaton,
//! searched once per candidate form of each word of a text. A search is
//! anchored at the start of the form and costs its length, whatever the
//! number of entries, so a comment's cost is linear in its length.

use super::disguise::{self, Via};
use super::fold::{self, FoldedText, WordKind};
use super::forms;
use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// Real words that fold onto a listed form (`pûtes`, of pouvoir): never
/// flagged when written exactly so.
static HOMOGRAPHS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("data/homographs.txt")
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .collect()
});

/// True when the text of a unit is one of the innocent homographs. Only
/// asked after a hit, so its cost does not touch clean comments.
fn is_homograph(written: &str) -> bool {
    let word = fold::trim_punctuation(written).to_lowercase();
    HOMOGRAPHS.contains(&word)
        || fold::without_proclitics(&word)
            .iter()
            .any(|w| HOMOGRAPHS.contains(w))
}

/// One entry of a list as a moderator wrote it.
#[derive(Debug, Clone)]
pub struct Entry {
    /// As typed (`Connard`), for the explanation.
    pub pattern: String,
    /// As folded (`connard`, `encul*`).
    pub folded: String,
    pub kind: WordKind,
}

/// One way a form matches an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hit {
    entry: usize,
    via: Via,
}

/// What a string of the automaton stands for.
#[derive(Debug, Clone, Default)]
struct Record {
    /// Entries having this string as one of their forms.
    exact: Vec<Hit>,
    /// Prefix entries (`encul*`) that this string begins with.
    prefix: Vec<Hit>,
}

/// Why a text matched: the entry, the text as written, the disguises undone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub kind: WordKind,
    /// The entry as the moderator typed it.
    pub entry: String,
    /// The text as the reader wrote it.
    pub matched: String,
    pub via: Via,
}

/// Compiled word lists.
#[derive(Debug, Clone, Default)]
pub struct WordList {
    entries: Vec<Entry>,
    automaton: Option<AhoCorasick>,
    records: Vec<Record>,
}

/// At most this many explanations per text: enough for a moderator.
const MAX_EXPLANATIONS: usize = 10;

impl WordList {
    /// `entries`: (folded pattern as returned by [`super::fold_pattern`], kind).
    pub fn new(entries: impl IntoIterator<Item = (String, WordKind)>) -> Self {
        Self::with_entries(entries.into_iter().map(|(folded, kind)| Entry {
            pattern: folded.clone(),
            folded,
            kind,
        }))
    }

    /// Compiles entries that keep the pattern as typed, for explanations.
    pub fn with_entries(entries: impl IntoIterator<Item = Entry>) -> Self {
        // An empty pattern would match everything (or nothing): ignore it.
        let entries: Vec<Entry> = entries
            .into_iter()
            .filter(|e| !e.folded.trim_end_matches('*').is_empty())
            .collect();
        let mut by_form: HashMap<String, Record> = HashMap::new();
        for (index, entry) in entries.iter().enumerate() {
            if let Some(prefix) = entry.folded.strip_suffix('*') {
                let hit = Hit {
                    entry: index,
                    via: Via::PREFIX,
                };
                by_form
                    .entry(prefix.to_string())
                    .or_default()
                    .prefix
                    .push(hit);
                continue;
            }
            for (form, via) in forms::expand(&entry.folded) {
                let hit = Hit { entry: index, via };
                by_form.entry(form).or_default().exact.push(hit);
            }
        }
        // A string inherits the prefix entries of every shorter string it
        // begins with: the longest match then tells all of them.
        let prefixes: Vec<(String, Vec<Hit>)> = by_form
            .iter()
            .filter(|(_, r)| !r.prefix.is_empty())
            .map(|(s, r)| (s.clone(), r.prefix.clone()))
            .collect();
        if !prefixes.is_empty() {
            for (form, record) in by_form.iter_mut() {
                for (prefix, hits) in &prefixes {
                    if prefix.len() < form.len() && form.starts_with(prefix.as_str()) {
                        record.prefix.extend(hits.iter().copied());
                    }
                }
            }
        }
        let (strings, records): (Vec<String>, Vec<Record>) = by_form.into_iter().unzip();
        let automaton = if strings.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                .build(&strings)
                .ok()
        };
        WordList {
            entries,
            automaton,
            records,
        }
    }

    /// True when the list has no pattern.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of strings the automaton holds (every form of every entry).
    pub fn form_count(&self) -> usize {
        self.records.len()
    }

    /// The entries a form matches: exact forms when it is one, and the
    /// prefix entries it begins with.
    fn lookup(&self, form: &str) -> impl Iterator<Item = Hit> + '_ {
        let found = self.automaton.as_ref().and_then(|ac| {
            ac.find(Input::new(form).anchored(Anchored::Yes))
                .map(|m| (m.end() == form.len(), &self.records[m.pattern().as_usize()]))
        });
        found.into_iter().flat_map(|(whole, record)| {
            let exact: &[Hit] = if whole { &record.exact } else { &[] };
            exact.iter().chain(&record.prefix).copied()
        })
    }

    /// Which kinds match somewhere in the text (empty when none), in
    /// `WordKind` order.
    pub fn scan(&self, text: &FoldedText) -> Vec<WordKind> {
        let (mut banned, mut suspect) = (false, false);
        'units: for unit in text.units() {
            for form in unit.forms() {
                for hit in self.lookup(&form.text) {
                    if is_homograph(text.written(unit)) {
                        continue;
                    }
                    match self.entries[hit.entry].kind {
                        WordKind::Banned => banned = true,
                        WordKind::Suspect => suspect = true,
                    }
                }
                if banned && suspect {
                    break 'units;
                }
            }
        }
        [(banned, WordKind::Banned), (suspect, WordKind::Suspect)]
            .into_iter()
            .filter(|(found, _)| *found)
            .map(|(_, kind)| kind)
            .collect()
    }

    /// Every entry the text matches, once each, banned ones first: the
    /// plainest reading of the first place it matched.
    pub fn explain(&self, text: &FoldedText) -> Vec<Explanation> {
        let mut best: Vec<(usize, &str, Via)> = Vec::new();
        let written = |unit| fold::trim_punctuation(text.written(unit));
        for unit in text.units() {
            for form in unit.forms() {
                for hit in self.lookup(&form.text) {
                    if is_homograph(text.written(unit)) {
                        continue;
                    }
                    let via = form.via | hit.via;
                    match best.iter_mut().find(|(e, _, _)| *e == hit.entry) {
                        Some(seen) if seen.2.count() > via.count() && seen.1 == written(unit) => {
                            seen.2 = via;
                        }
                        Some(_) => {}
                        None => best.push((hit.entry, written(unit), via)),
                    }
                }
            }
        }
        let mut out: Vec<Explanation> = best
            .into_iter()
            .map(|(entry, written, via)| {
                let entry = &self.entries[entry];
                Explanation {
                    kind: entry.kind,
                    entry: entry.pattern.clone(),
                    matched: written.to_string(),
                    via: via | disguise::in_characters(written),
                }
            })
            .collect();
        out.sort_by_key(|e| e.kind);
        out.truncate(MAX_EXPLANATIONS);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{fold_pattern, fold_text};

    fn list(entries: &[(&str, WordKind)]) -> WordList {
        WordList::new(entries.iter().map(|(p, k)| (fold_pattern(p).unwrap(), *k)))
    }

    #[test]
    fn an_innocent_homograph_passes_only_as_written() {
        let words = list(&[("pute", WordKind::Banned)]);
        assert!(words.scan(&fold_text("vous pûtes partir")).is_empty());
        assert!(words.explain(&fold_text("Vous PÛTES partir")).is_empty());
        assert_eq!(words.scan(&fold_text("des putes")), vec![WordKind::Banned]);
        assert_eq!(
            words.scan(&fold_text("des p.u.t.e.s")),
            vec![WordKind::Banned]
        );
    }

    #[test]
    fn a_french_word_is_never_read_as_arabizi() {
        let words = list(&[("لعين", WordKind::Banned)]);
        // `laina` (lainer) spells the feminine لعينة; it is French.
        assert!(words.scan(&fold_text("Elle laina la toile")).is_empty());
        assert_eq!(words.scan(&fold_text("ya l3ina")), vec![WordKind::Banned]);
        assert_eq!(words.scan(&fold_text("يا لعينة")), vec![WordKind::Banned]);
    }

    #[test]
    fn prefix_entries_are_found_under_longer_forms() {
        let words = list(&[("con*", WordKind::Suspect), ("connard", WordKind::Banned)]);
        // `connards` is a form of `connard` and also begins with `con`.
        let found = words.explain(&fold_text("connards"));
        let entries: Vec<&str> = found.iter().map(|e| e.entry.as_str()).collect();
        assert_eq!(entries, vec!["connard", "con*"]);
        assert_eq!(found[1].via.names(), vec!["prefix"]);
        assert_eq!(words.scan(&fold_text("connerie")), vec![WordKind::Suspect]);
        assert_eq!(words.form_count(), 1 + 6);
    }

    #[test]
    fn explanations_are_bounded_and_banned_first() {
        let words = list(&[("merde", WordKind::Suspect), ("connard", WordKind::Banned)]);
        let found = words.explain(&fold_text("merde connard"));
        assert_eq!(found[0].kind, WordKind::Banned);
        assert_eq!(found[1].kind, WordKind::Suspect);
        let many = (0..30).map(|i| format!("mot{i}")).collect::<Vec<_>>();
        let words = WordList::new(many.iter().map(|w| (w.clone(), WordKind::Banned)));
        assert_eq!(
            words.explain(&fold_text(&many.join(" "))).len(),
            MAX_EXPLANATIONS
        );
    }
}
