//! Character-level folding (steps 1–7): NFKC, invisible characters,
//! case, marks, tatweel, Arabic letter variants, digits.

use caseless::Caseless;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::{is_nfc_quick, is_nfkc_quick, IsNormalized, UnicodeNormalization};

#[allow(unused_imports)]
use super::*;

/// Letter-variant unification for Arabic and digit unification; `None` drops
/// the character (tatweel only stretches a word).
pub(super) fn unify_char(c: char) -> Option<char> {
    let mapped = match c {
        '\u{0640}' => return None,
        // Alef with hamza/madda/wasla (the NFD-decomposable ones lost their
        // mark already; these are the ones that do not decompose).
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => 'ا',
        'ى' | 'ئ' | 'ی' => 'ي',
        // ة stays apart from ه: `وابلة` (a downpour) is not `أبله`; the
        // word lists give each feminine entry its spelling with ه too.
        'ہ' | 'ھ' | 'ۀ' => 'ه',
        'ؤ' => 'و',
        'ک' => 'ك',
        '\u{0660}'..='\u{0669}' => digit_to_ascii(c, '\u{0660}'),
        '\u{06F0}'..='\u{06F9}' => digit_to_ascii(c, '\u{06F0}'),
        other => other,
    };
    Some(mapped)
}

pub(super) fn digit_to_ascii(c: char, zero: char) -> char {
    char::from(b'0' + (c as u32 - zero as u32) as u8)
}

/// Case fold, then remove combining marks (accents, harakat, Quranic marks):
/// NFC of the case-folded NFD without marks. Every comment goes through this
/// for each of its words, so it is done in one pass: ASCII folds by itself,
/// other characters are decomposed one by one with their marks dropped, and
/// NFC runs only when its quick check fails (decomposed Hangul, say).
pub(super) fn fold_case_and_marks(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if is_plain_arabic_letter(c) {
            out.push(c);
            continue;
        }
        for folded in std::iter::once(c).default_case_fold() {
            decompose_canonical(folded, |d| {
                if !is_combining_mark(d) {
                    out.push(d);
                }
            });
        }
    }
    if is_nfc_quick(out.chars()) != IsNormalized::Yes {
        out = out.nfc().collect();
    }
    out
}

/// Arabic letters without case, marks or a canonical decomposition (the
/// hamza-carrying ones, U+0622 to U+0626, decompose).
pub(super) fn is_plain_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}' | '\u{0627}'..='\u{063A}' | '\u{0640}'..='\u{064A}')
}

/// Steps 1-7 of the pipeline, on a whole text.
pub(super) fn prefold(text: &str) -> String {
    if text.is_ascii() {
        // No ASCII character is ignorable, decomposes or has a variant.
        return text.to_ascii_lowercase();
    }
    let visible: String = if is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        text.chars().filter(|&c| !is_ignorable(c)).collect()
    } else {
        text.nfkc().filter(|&c| !is_ignorable(c)).collect()
    };
    fold_case_and_marks(&visible)
        .chars()
        .filter_map(unify_char)
        .collect()
}
