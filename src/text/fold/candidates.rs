//! Candidate forms of a token (steps 9–10): leet and look-alike letters,
//! Arabizi, Arabic proclitics, squeezed letter runs.

use std::collections::HashMap;

use std::sync::LazyLock;
use unicode_normalization::char::is_combining_mark;
use unicode_security::confusable_detection::skeleton;

use super::super::arabizi;
use super::super::disguise::Via;
#[allow(unused_imports)]
use super::*;

pub(super) fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}')
}

/// Conjunctions that may precede the other proclitics.
pub(super) const CONJUNCTIONS: [&str; 2] = ["و", "ف"];
/// Prepositions, article and vocative glued to the word. Longest first.
pub(super) const PROCLITICS: [&str; 8] = ["بال", "كال", "لل", "ال", "يا", "ب", "ك", "ل"];

/// The word with its Arabic proclitics removed (`والحمار` → `حمار`),
/// keeping only remainders of at least two letters.
pub(crate) fn without_proclitics(token: &str) -> Vec<String> {
    let mut out = Vec::new();
    for conj in std::iter::once("").chain(CONJUNCTIONS) {
        let Some(after_conj) = token.strip_prefix(conj) else {
            continue;
        };
        for clitic in std::iter::once("").chain(PROCLITICS) {
            if conj.is_empty() && clitic.is_empty() {
                continue;
            }
            if let Some(rest) = after_conj.strip_prefix(clitic) {
                if rest.chars().filter(|&c| is_letter(c)).take(2).count() == 2 {
                    out.push(rest.to_string());
                }
            }
        }
    }
    out
}

/// Latin letters that digits and symbols stand for inside a word. `1` and
/// `|` are tried as both `i` and `l` (`one`).
pub(super) fn leet(c: char, one: char) -> Option<char> {
    Some(match c {
        '0' => 'o',
        '1' | '|' => one,
        '2' => 'z',
        '3' | '€' => 'e',
        '4' | '@' => 'a',
        '5' | '$' | '§' => 's',
        '6' | '9' => 'g',
        '7' | '+' => 't',
        '8' => 'b',
        '!' | '¡' => 'i',
        '£' => 'l',
        '(' | '[' | '{' | '¢' => 'c',
        '¥' => 'y',
        _ => return None,
    })
}

/// Latin letters whose Unicode name a symbol or letter carries: small
/// capitals (`ᴄ`, `ɴ`), negative squared and circled letters (`🅲`, `🅒`),
/// regional indicators (`🇨`). NFKC and the confusable skeletons leave
/// these alone; the Unicode names say which letter they are.
pub(super) static LETTERS_BY_NAME: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    const BLOCKS: [(u32, u32); 6] = [
        (0x0250, 0x02AF),   // IPA extensions (small capitals)
        (0x1D00, 0x1D7F),   // phonetic extensions (small capitals)
        (0x2460, 0x24FF),   // enclosed alphanumerics
        (0xA730, 0xA7FF),   // Latin extended-D (small capitals)
        (0x1F100, 0x1F1FF), // enclosed alphanumeric supplement
        (0x1D400, 0x1D7FF), // mathematical alphanumerics
    ];
    let mut table = HashMap::new();
    for c in BLOCKS
        .iter()
        .flat_map(|&(from, to)| from..=to)
        .filter_map(char::from_u32)
    {
        let Some(name) = unicode_names2::name(c).map(|n| n.to_string()) else {
            continue;
        };
        if !(name.contains("LATIN") || name.starts_with("REGIONAL INDICATOR")) {
            continue;
        }
        let last = name.rsplit(' ').next().unwrap_or("");
        if let [letter] = last.as_bytes() {
            if letter.is_ascii_alphabetic() {
                table.insert(c, letter.to_ascii_lowercase() as char);
            }
        }
    }
    table
});

pub(super) fn letter_by_name(c: char) -> Option<char> {
    LETTERS_BY_NAME.get(&c).copied()
}

/// The Latin letter a confusable letter stands for (Cyrillic `о`, Greek `ο`,
/// small capital `ᴀ`...).
pub(super) fn latin_prototype(c: char) -> Option<char> {
    let proto: String = skeleton(c.encode_utf8(&mut [0; 4]))
        .filter(|&p| !is_combining_mark(p))
        .collect();
    let mut chars = proto.chars();
    match (chars.next(), chars.next()) {
        (Some(p), None) if p.is_ascii_alphabetic() => Some(p.to_ascii_lowercase()),
        _ => letter_by_name(c),
    }
}

/// Latin readings of a non-Arabic token that holds at least one letter:
/// leet digits/symbols and confusable letters mapped to Latin letters.
pub(super) fn latinized(token: &str) -> Vec<(String, Via)> {
    if token.is_ascii() && token.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Vec::new();
    }
    if token.chars().any(is_arabic) || !token.chars().any(is_letterlike) {
        return Vec::new();
    }
    let read = |one: char| -> (String, Via) {
        let mut via = Via::NONE;
        let text = token
            .chars()
            .map(|c| {
                if c.is_ascii_alphabetic() {
                    c
                } else if let Some(l) = leet(c, one) {
                    via |= Via::LEET;
                    l
                } else if c.is_ascii() {
                    c
                } else if let Some(p) = latin_prototype(c) {
                    via |= Via::LOOKALIKE;
                    p
                } else {
                    c
                }
            })
            .collect();
        (text, via)
    };
    let mut out = vec![read('i')];
    if token.contains(['1', '|']) {
        out.push(read('l'));
    }
    out
}

/// The Arabic reading of a word mixing Arabic and Latin letters or Arabizi
/// digits (`7مار`, `حm@ر`).
pub(super) fn arabized(token: &str) -> Option<String> {
    let mixed = token.chars().any(is_arabic)
        && token
            .chars()
            .any(|c| c.is_ascii_alphanumeric() || is_leet_symbol(c));
    if !mixed {
        return None;
    }
    let mut out = String::with_capacity(token.len());
    for c in token.chars() {
        match arabizi::arabic_letter(c) {
            Some(Some(a)) => out.push(a),
            Some(None) => {}
            None => out.push(c),
        }
    }
    Some(out)
}

/// Spellings of the token before look-alike mapping: as written, without
/// leading/trailing symbols (`connard!`), without the symbols inside
/// (`c|onnard`), split at symbols, and for Arabic without proclitics,
/// inserted digits or Latin letters.
pub(super) fn base_forms(token: &str) -> Vec<(String, Via)> {
    let mut bases = vec![(token.to_string(), Via::NONE)];
    if token.contains(is_leet_symbol) {
        let trimmed = token.trim_matches(is_leet_symbol);
        if trimmed != token {
            bases.push((trimmed.to_string(), Via::NONE));
        }
        if trimmed.contains(is_leet_symbol) {
            let removed: String = trimmed.chars().filter(|&c| !is_leet_symbol(c)).collect();
            bases.push((removed, Via::SYMBOL));
            bases.extend(
                trimmed
                    .split(is_leet_symbol)
                    .filter(|p| p.chars().count() >= 2)
                    .map(|p| (p.to_string(), Via::NONE)),
            );
        }
    }
    if token.chars().any(is_arabic) {
        let digitless: String = token.chars().filter(|c| !c.is_ascii_digit()).collect();
        if digitless != token {
            bases.push((digitless, Via::SYMBOL));
        }
        if let Some(reading) = arabized(token) {
            bases.push((reading, Via::ARABIZI));
        }
        let stripped: Vec<(String, Via)> = bases
            .iter()
            .flat_map(|(b, via)| {
                without_proclitics(b)
                    .into_iter()
                    .map(move |s| (s, *via | Via::PROCLITIC))
            })
            .collect();
        bases.extend(stripped);
    }
    bases
}

/// Maximum number of long letter runs for which both squeezes are tried.
pub(super) const MAX_VARIANT_RUNS: usize = 3;

/// Splits a string into runs of identical characters.
pub(super) fn runs(s: &str) -> Vec<(char, usize)> {
    let mut out: Vec<(char, usize)> = Vec::new();
    for c in s.chars() {
        match out.last_mut() {
            Some((last, n)) if *last == c => *n += 1,
            _ => out.push((c, 1)),
        }
    }
    out
}

/// Letter runs of three or more squeezed to two (`connnnard` → `connard`),
/// keeping `salle` distinct from `sale`.
pub(super) fn squeeze(s: &str) -> String {
    runs(s)
        .into_iter()
        .flat_map(|(c, n)| {
            let keep = if is_letter(c) { n.min(2) } else { n };
            std::iter::repeat_n(c, keep)
        })
        .collect()
}

/// Squeezed spellings of a text token: each long run read as two letters
/// and as one (`merdeeee` → `merdee`, `merde`).
pub(super) fn squeeze_variants(s: String) -> Vec<String> {
    if !has_long_run(&s) {
        return vec![s];
    }
    let runs = runs(&s);
    let long = runs
        .iter()
        .filter(|&&(c, n)| is_letter(c) && n >= 3)
        .count();
    if long > MAX_VARIANT_RUNS {
        return vec![squeeze(&s)];
    }
    (0u32..1 << long)
        .map(|mask| {
            let mut k = 0;
            let mut out = String::with_capacity(s.len());
            for &(c, n) in &runs {
                let keep = if is_letter(c) && n >= 3 {
                    k += 1;
                    if mask & (1 << (k - 1)) != 0 {
                        1
                    } else {
                        2
                    }
                } else {
                    n
                };
                out.extend(std::iter::repeat_n(c, keep));
            }
            out
        })
        .collect()
}

/// Three identical characters in a row (cheap check before splitting runs).
pub(super) fn has_long_run(s: &str) -> bool {
    let mut last = None;
    let mut n = 0;
    for c in s.chars() {
        if Some(c) == last {
            n += 1;
            if n >= 3 {
                return true;
            }
        } else {
            last = Some(c);
            n = 1;
        }
    }
    false
}

/// A matched piece of text without the punctuation around it (`connard,`
/// → `connard`), keeping the symbols that may stand for letters.
pub(crate) fn trim_punctuation(s: &str) -> &str {
    s.trim_matches(|c: char| {
        (c.is_ascii_punctuation() || matches!(c, '«' | '»' | '…' | '“' | '”' | '،' | '؛' | '؟'))
            && !is_leet_symbol(c)
            && !is_emphasis(c)
            && !matches!(c, '<' | '>')
    })
}

/// One spelling of a word under which it is looked up, and the disguises
/// undone to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub text: String,
    pub via: Via,
}

/// All candidate forms of one token, deduplicated (the plainest reading of
/// each spelling is kept).
pub(super) fn candidates(token: &str, via: Via) -> Vec<Form> {
    // Most words of most comments: plain lower-case Latin letters, read as written.
    if token.bytes().all(|b| b.is_ascii_lowercase()) && !has_long_run(token) {
        return vec![Form {
            text: token.to_string(),
            via,
        }];
    }
    let mut forms: Vec<Form> = Vec::new();
    let mut push = |text: String, via: Via| {
        if !forms.iter().any(|f| f.text == text) {
            forms.push(Form { text, via });
        }
    };
    for (base, base_via) in base_forms(token) {
        let readings = latinized(&base)
            .into_iter()
            .chain([(base, Via::NONE)])
            .map(|(r, v)| (r, v | base_via | via));
        for (reading, reading_via) in readings {
            let folded = fold_case_and_marks(&reading);
            for variant in squeeze_variants(folded) {
                let repeat = if variant.chars().count() < reading.chars().count() {
                    Via::REPEAT
                } else {
                    Via::NONE
                };
                push(variant, reading_via | repeat);
            }
        }
    }
    forms
}
