//! Normalization of user-supplied text: bodies, one-line fields, duplicate keys, link counts.

use unicode_normalization::UnicodeNormalization;

/// Bidi embeddings, overrides and isolates: they can reorder the text shown
/// around a comment, so bodies never keep them. LRM/RLM/ALM are harmless marks.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Normalizes a comment body: line endings to `\n`, NFC, no control characters
/// (except `\n` and `\t`), no bidi embeddings/overrides/isolates, trimmed.
pub fn normalize_body(input: &str) -> String {
    if is_normalized_body(input) {
        return input.trim().to_string();
    }
    normalize_body_fully(input)
}

/// `normalize_body` step by step, for any input.
fn normalize_body_fully(input: &str) -> String {
    let unified = input.replace("\r\n", "\n").replace('\r', "\n");
    let cleaned: String = unified
        .nfc()
        .filter(|&c| !is_dropped_from_body(c))
        .collect();
    cleaned.trim().to_string()
}

/// Characters a body never keeps: controls but line feed and tab, and bidi
/// embeddings, overrides and isolates.
fn is_dropped_from_body(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// True when `normalize_body` would only trim `input`: most bodies, which
/// then skip the copies that normalizing makes.
fn is_normalized_body(input: &str) -> bool {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    !input.chars().any(is_dropped_from_body) && is_nfc_quick(input.chars()) == IsNormalized::Yes
}

/// Normalizes a one-line field (title, display name, username): NFC and trim.
/// Nothing is removed: callers reject bad characters with [`has_forbidden_name_chars`].
pub fn normalize_line(input: &str) -> String {
    use unicode_normalization::{is_nfc_quick, IsNormalized};
    // Most names are NFC already: only trimmed, not composed char by char.
    if is_nfc_quick(input.chars()) == IsNormalized::Yes {
        return input.trim().to_string();
    }
    let composed: String = input.nfc().collect();
    composed.trim().to_string()
}

/// True when `s` contains a character that has no place in a one-line name:
/// controls (tab and line breaks included), line/paragraph separators, and
/// every bidi formatting character (marks included, they can spoof names).
pub fn has_forbidden_name_chars(s: &str) -> bool {
    s.chars().any(|c| {
        c.is_control()
            || is_bidi_control(c)
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{061C}' | '\u{200E}' | '\u{200F}'
            )
    })
}

/// True when `s` holds a blank with no use inside a person's name (it only
/// hides a look-alike); the joiners (U+200C, U+200D) and variation selectors
/// that emoji and Persian need are not among them.
pub fn has_name_blanks(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(
            c,
            '\u{00AD}'
                | '\u{200B}'
                | '\u{2060}'
                | '\u{FEFF}'
                | '\u{180E}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{3164}'
                | '\u{FFA0}'
                | '\u{2800}'
        )
    })
}

/// True when `s` shows nothing: only spaces and characters that draw no
/// glyph (zero-width spaces and joiners, fillers, variation selectors, tags,
/// combining marks on nothing). Such a name lets anyone pass for no one.
pub fn is_invisible_name(s: &str) -> bool {
    s.chars().all(|c| {
        c.is_whitespace() || is_blank_glyph(c) || unicode_normalization::char::is_combining_mark(c)
    })
}

/// Characters that draw nothing: the Unicode default-ignorable code points
/// (DerivedCoreProperties) and the blank letters that are not (Hangul and
/// Braille fillers).
fn is_blank_glyph(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{2800}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Key for detecting the same text posted twice: the text trimmed, whitespace
/// runs collapsed to one space and fully case-folded (see `duplicate_text`),
/// stored as a short SHA-256 fingerprint so an index on it stays small.
pub fn duplicate_key(body: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(duplicate_text(body).as_bytes());
    super::hex(&digest[..16])
}

/// The text two comments must share to count as the same: whitespace runs
/// collapsed to one space, then full Unicode case folding.
pub fn duplicate_text(body: &str) -> String {
    use caseless::Caseless;
    let mut folded = String::with_capacity(body.len());
    for (i, word) in body.split_whitespace().enumerate() {
        if i > 0 {
            folded.push(' ');
        }
        for c in word.chars() {
            if c.is_ascii() {
                folded.push(c.to_ascii_lowercase());
            } else if has_no_case(c) {
                folded.push(c);
            } else {
                folded.extend(std::iter::once(c).default_case_fold());
            }
        }
    }
    folded
}

/// Arabic letters, marks and presentation forms: scripts without case, which
/// case folding leaves alone (a test checks every one), so they skip its
/// table look-up.
fn has_no_case(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Counts URLs in a body: Markdown links `[text](url)` once each, plus bare
/// `http://`, `https://` and `www.` URLs outside them.
pub fn count_links(body: &str) -> usize {
    let (markdown, rest) = take_markdown_links(body);
    markdown + rest.split_whitespace().map(count_bare_urls).sum::<usize>()
}

/// Counts `[text](target)` links and returns the text with them cut out, so
/// that a URL used as link text or target is not counted a second time.
fn take_markdown_links(body: &str) -> (usize, String) {
    let mut count = 0;
    let mut rest = String::with_capacity(body.len());
    let mut remaining = body;
    while let Some(mid) = remaining.find("](") {
        let open = remaining[..mid].rfind('[');
        let close = remaining[mid + 2..].find(')').map(|i| mid + 2 + i);
        match (open, close) {
            (Some(open), Some(close)) if close > mid + 2 => {
                count += 1;
                rest.push_str(&remaining[..open]);
                rest.push(' ');
                remaining = &remaining[close + 1..];
            }
            _ => {
                rest.push_str(&remaining[..mid + 2]);
                remaining = &remaining[mid + 2..];
            }
        }
    }
    rest.push_str(remaining);
    (count, rest)
}

/// Counts URL starts in one whitespace-free chunk.
fn count_bare_urls(chunk: &str) -> usize {
    // Every pattern holds a `:` or a `.`: most words have neither, and are
    // not copied to be searched three times.
    if !chunk.bytes().any(|b| b == b':' || b == b'.') {
        return 0;
    }
    let lower = chunk.to_ascii_lowercase();
    let schemes = lower.matches("http://").count() + lower.matches("https://").count();
    // `www.` counts only where it starts a host, not after a scheme already counted.
    let hosts = lower
        .match_indices("www.")
        .filter(|&(i, _)| {
            let before = &lower[..i];
            !before.ends_with("://") && !before.chars().last().is_some_and(char::is_alphanumeric)
        })
        .count();
    schemes + hosts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_line_endings_and_trim() {
        assert_eq!(normalize_body("  a\r\nb\rc\n\n "), "a\nb\nc");
    }

    #[test]
    fn body_nfc() {
        assert_eq!(normalize_body("e\u{301}lodie"), "\u{e9}lodie");
    }

    #[test]
    fn body_removes_controls_keeps_tab_newline() {
        assert_eq!(
            normalize_body("a\u{0}b\u{7}c\td\n\u{85}e\u{9F}"),
            "abc\td\ne"
        );
    }

    #[test]
    fn body_removes_bidi_overrides_keeps_marks() {
        let input = "a\u{202E}b\u{2066}c\u{2069}d\u{200E}e\u{200F}f\u{61C}g\u{202A}";
        assert_eq!(normalize_body(input), "abcd\u{200E}e\u{200F}f\u{61C}g");
    }

    #[test]
    fn line_nfc_trim_only() {
        assert_eq!(normalize_line("  Ame\u{301}lie\t"), "Am\u{e9}lie");
        assert_eq!(normalize_line("a\u{202E}b"), "a\u{202E}b");
        assert_eq!(normalize_line("قارئ"), "قارئ");
    }

    #[test]
    fn forbidden_name_chars() {
        for bad in [
            "a\tb",
            "a\nb",
            "a\rb",
            "a\u{85}b",
            "a\u{2028}b",
            "a\u{2029}b",
            "a\u{61C}b",
            "a\u{200E}b",
            "a\u{200F}b",
            "a\u{202B}b",
            "a\u{202E}b",
            "a\u{2067}b",
            "a\u{2069}b",
            "a\u{0}b",
        ] {
            assert!(has_forbidden_name_chars(bad), "{bad:?}");
        }
        for good in ["élodie", "قارئ_42", "Jean-Pierre", "a b", "иван"] {
            assert!(!has_forbidden_name_chars(good), "{good:?}");
        }
    }

    #[test]
    fn duplicate_key_folds_case_and_space() {
        assert_eq!(duplicate_text("  Hello \n\t WORLD  "), "hello world");
        assert_eq!(duplicate_key("STRASSE"), duplicate_key("straße"));
        assert_eq!(duplicate_text("مرحبا   بكم"), "مرحبا بكم");
        assert_eq!(
            duplicate_key("  Hello \n WORLD"),
            duplicate_key("hello world")
        );
        assert_ne!(duplicate_key("hello world"), duplicate_key("hello worlds"));
        assert_eq!(duplicate_key("x").len(), 32);
    }

    #[test]
    fn caseless_scripts_fold_to_themselves() {
        use caseless::Caseless;
        let ranges = [
            0x0600..=0x06FF,
            0x0750..=0x077F,
            0xFB50..=0xFDFF,
            0xFE70..=0xFEFF,
        ];
        for c in ranges.into_iter().flatten().filter_map(char::from_u32) {
            assert!(has_no_case(c));
            let folded: String = std::iter::once(c).default_case_fold().collect();
            assert_eq!(folded, c.to_string(), "U+{:04X}", c as u32);
        }
        assert!(!has_no_case('Σ'));
    }

    #[test]
    fn duplicate_text_folds_like_the_whole_string() {
        for body in [
            "Ünïcode ΣΑΣ ς STRASSE ﬁ İstanbul",
            "  مقال   ممتاز «شكرا» ـ ﻻ  ",
            "MiXeD\tcase\n\nLines ǅ ẞ",
        ] {
            let collapsed = body.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(
                duplicate_text(body),
                caseless::default_case_fold_str(&collapsed)
            );
        }
    }

    #[test]
    fn already_normal_bodies_are_only_trimmed() {
        for body in [
            "  plain text \n",
            "مقال ممتاز",
            "e\u{301}",
            "a\rb",
            "x\u{202e}y",
            "a\u{0}b",
        ] {
            assert_eq!(
                normalize_body(body),
                normalize_body_fully(body),
                "for {body:?}"
            );
        }
        assert!(is_normalized_body("déjà vu\n\tمقال"));
        assert!(!is_normalized_body("e\u{301}"));
        assert!(!is_normalized_body("a\rb"));
    }

    #[test]
    fn links_counted() {
        let cases = [
            ("no links here", 0),
            ("see http://a.com", 1),
            ("see https://a.com and www.b.org", 2),
            ("https://www.a.com", 1),
            ("[x](https://a.com)", 1),
            ("[https://a.com](https://a.com)", 1),
            ("[a](http://a) then [b](http://b) and http://c", 3),
            ("HTTPS://A.COM", 1),
            ("<https://a.com>", 1),
            ("[not a link] (nope)", 0),
            ("awww.nope", 0),
            ("http://a.com,http://b.com", 2),
        ];
        for (text, expected) in cases {
            assert_eq!(count_links(text), expected, "{text:?}");
        }
    }
}
