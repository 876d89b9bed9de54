//! The forms of a word-list entry that a moderator does not have to type:
//! French plurals and feminines, Arabic suffixes, a doubled final letter,
//! broken plurals from a small lexicon, and Arabizi spellings. Works on
//! folded entries (`fold::fold_pattern`).

use super::arabizi;
use super::disguise::Via;
use super::fold::fold_pattern;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The Arabic pronouns attached at the end of a word: my, your, his, her,
/// their, your (plural), our.
const PRONOUNS: [&str; 7] = ["ي", "ك", "ه", "ها", "هم", "كم", "نا"];

fn is_arabic_word(word: &str) -> bool {
    word.chars().any(|c| matches!(c, '\u{0600}'..='\u{06FF}'))
}

/// French plural and feminine forms of an entry, by its ending.
fn french(entry: &str) -> Vec<String> {
    let with = |suffixes: &[&str], stem: &str| -> Vec<String> {
        suffixes.iter().map(|s| format!("{stem}{s}")).collect()
    };
    if let Some(stem) = entry.strip_suffix("ard") {
        // connard: connarde, connards, connardes, and the pejorative
        // connasse (only there: `bâtasse` is another word).
        let mut out = with(&["arde", "ards", "ardes"], stem);
        if entry.ends_with("nnard") {
            out.extend(with(&["asse", "asses"], stem));
        }
        return out;
    }
    if let Some(stem) = entry.strip_suffix("eux") {
        return with(&["euse", "euses"], stem);
    }
    if let Some(stem) = entry.strip_suffix("eau") {
        return with(&["eaux", "elle", "elles"], stem);
    }
    if entry.ends_with("on") || entry.ends_with("ien") {
        // con: conne, cons, connes.
        return with(&["ne", "s", "nes"], entry);
    }
    if entry.ends_with('e') {
        // merde: merdes; enculé (folded `encule`): enculée, enculés, enculées.
        return with(&["s", "e", "es"], entry);
    }
    if entry.ends_with('s') || entry.ends_with('x') || entry.ends_with('z') {
        return with(&["e", "es"], entry);
    }
    if let Some(stem) = entry.strip_suffix("al") {
        return with(&["aux", "ale", "ales", "als"], stem);
    }
    with(&["s", "e", "es"], entry)
}

/// An Arabic word with the attached pronouns.
fn with_pronouns(stem: &str, out: &mut Vec<(String, Via)>, via: Via) {
    for p in PRONOUNS {
        out.push((format!("{stem}{p}"), via));
    }
}

/// Arabic suffixed forms of a word: feminine, sound plurals, dual, pronouns.
/// A feminine ends in ة, which informal writing often spells ه.
fn arabic_suffixes(word: &str, via: Via, out: &mut Vec<(String, Via)>) {
    let via = via | Via::SUFFIX;
    match word.strip_suffix('ة') {
        Some(stem) => {
            for s in ["ه", "ات", "تان", "تين"] {
                out.push((format!("{stem}{s}"), via));
            }
            with_pronouns(&format!("{stem}ت"), out, via);
            with_pronouns(&format!("{stem}ات"), out, via);
        }
        None => {
            for s in ["ة", "ه", "ات", "ون", "ين", "ان", "تان", "تين"] {
                out.push((format!("{word}{s}"), via));
            }
            with_pronouns(word, out, via);
            with_pronouns(&format!("{word}ت"), out, via);
            with_pronouns(&format!("{word}ات"), out, via);
        }
    }
}

/// The broken plurals and irregular feminines of the lexicon, by folded singular.
static LEXICON: LazyLock<HashMap<String, Vec<String>>> =
    LazyLock::new(|| parse_lexicon(include_str!("data/arabic_forms.txt")));

/// Lines `singular: form، form` (Arabic or Latin commas); `#` starts a comment.
fn parse_lexicon(text: &str) -> HashMap<String, Vec<String>> {
    let mut map: HashMap<String, Vec<String>> = HashMap::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        let Some((singular, forms)) = line.split_once(':') else {
            continue;
        };
        let Some(key) = fold_pattern(singular) else {
            continue;
        };
        let forms = forms
            .split(['،', ','])
            .filter_map(|f| fold_pattern(f.trim()))
            .filter(|f| !f.ends_with('*'));
        map.entry(key).or_default().extend(forms);
    }
    map
}

/// Every form an entry matches, with how it differs from the entry. The
/// entry itself comes first, with no disguise. Prefix entries (`encul*`)
/// match only themselves.
pub fn expand(entry: &str) -> Vec<(String, Via)> {
    let mut out = vec![(entry.to_string(), Via::NONE)];
    if entry.ends_with('*') || entry.chars().count() < 2 {
        return out;
    }
    if !is_arabic_word(entry) {
        if entry.bytes().all(|b| b.is_ascii_lowercase()) {
            out.extend(french(entry).into_iter().map(|f| (f, Via::INFLECTION)));
        }
        return out;
    }
    arabic_suffixes(entry, Via::NONE, &mut out);
    if let Some(last) = entry.chars().last() {
        out.push((format!("{entry}{last}"), Via::DOUBLED));
    }
    let irregular = LEXICON.get(entry).cloned().unwrap_or_default();
    for form in &irregular {
        out.push((form.clone(), Via::PLURAL));
        match form.strip_suffix('ة') {
            Some(stem) => {
                out.push((format!("{stem}ه"), Via::PLURAL));
                with_pronouns(&format!("{stem}ت"), &mut out, Via::PLURAL | Via::SUFFIX);
            }
            None => with_pronouns(form, &mut out, Via::PLURAL | Via::SUFFIX),
        }
    }
    // Chat spellings of the entry and of its feminine (not for three-letter
    // words: `tisa` would read تيسة).
    let feminine = if entry.ends_with('ة') || entry.chars().count() < 4 {
        None
    } else {
        Some(format!("{entry}ة"))
    };
    // And of the lexicon's broken plurals (`7mir` for حمير); not of its
    // feminines in اء nor its plurals in ات, whose chat spellings meet
    // French words (`habile`, `hâtelet`).
    let broken = irregular
        .into_iter()
        .filter(|f| !f.ends_with("اء") && !f.ends_with("ات"));
    for word in std::iter::once(entry.to_string())
        .chain(feminine)
        .chain(broken)
    {
        out.extend(
            arabizi::spellings(&word)
                .into_iter()
                .map(|s| (s, Via::ARABIZI)),
        );
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|(form, _)| seen.insert(form.clone()));
    out
}

/// Number of singulars in the lexicon (for the tests and the docs).
pub fn lexicon_size() -> usize {
    LEXICON.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(entry: &str) -> Vec<String> {
        expand(&fold_pattern(entry).unwrap())
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    fn has(entry: &str, form: &str) -> bool {
        forms(entry).contains(&fold_pattern(form).unwrap())
    }

    #[test]
    fn french_entries_match_their_plurals_and_feminines() {
        for (entry, form) in [
            ("connard", "connards"),
            ("connard", "connarde"),
            ("connard", "connardes"),
            ("connard", "connasse"),
            ("salaud", "salauds"),
            ("salaud", "salaude"),
            ("merde", "merdes"),
            ("con", "conne"),
            ("con", "cons"),
            ("enculé", "enculées"),
            ("merdeux", "merdeuse"),
        ] {
            assert!(has(entry, form), "{entry} → {form}");
        }
        // `con` never becomes `cone` (cône).
        assert!(!has("con", "cone"));
    }

    #[test]
    fn arabic_entries_match_suffixes_doubling_and_broken_plurals() {
        for (entry, form) in [
            ("حمار", "حمارة"),
            ("حمار", "حمارات"),
            ("حمار", "حمارين"),
            ("حمار", "حماران"),
            ("حمار", "حماري"),
            ("حمار", "حمارك"),
            ("حمار", "حمارها"),
            ("حمار", "حمارهم"),
            ("حمار", "حماركم"),
            ("حمار", "حمارنا"),
            ("حمار", "حمارتك"),
            ("حمار", "حمارر"),
            ("حمار", "حمير"),
            ("كلب", "كلاب"),
            ("كلب", "كلابك"),
            ("خنزير", "خنازير"),
            ("غبي", "أغبياء"),
            ("أحمق", "حمقاء"),
            ("عاهرة", "عاهرات"),
            ("عاهرة", "عواهر"),
        ] {
            assert!(has(entry, form), "{entry} → {form}");
        }
        assert!(!has("كلب", "كلبية"));
        assert!(!has("bâtard", "bâtasse"));
    }

    #[test]
    fn arabic_entries_match_their_chat_spellings() {
        assert!(forms("حمار").contains(&"7mar".to_string()));
        assert!(forms("حمار").contains(&"hmar".to_string()));
        assert!(forms("كلب").contains(&"kalb".to_string()));
        assert!(forms("حمار").contains(&"7mara".to_string()));
        assert!(forms("حمار").contains(&"7mir".to_string()));
        assert!(forms("كلب").contains(&"klab".to_string()));
        // French words that chat spellings must not make.
        for (entry, word) in [
            ("مجنون", "mignon"),
            ("نذل", "nodal"),
            ("تافه", "tafia"),
            ("تيس", "tisa"),
            ("أبله", "aboula"),
        ] {
            assert!(
                !forms(entry).contains(&word.to_string()),
                "{entry} → {word}"
            );
        }
    }

    #[test]
    fn prefix_entries_stay_as_they_are() {
        assert_eq!(forms("encul*"), vec!["encul*".to_string()]);
    }

    #[test]
    fn the_lexicon_parses() {
        assert!(lexicon_size() >= 30, "{}", lexicon_size());
        let parsed = parse_lexicon("# note\nكلب: كلاب، أكلب # two\n\nbad line\n");
        assert_eq!(parsed["كلب"], vec!["كلاب".to_string(), "اكلب".to_string()]);
    }
}
