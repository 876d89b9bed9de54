//! Markup removal and tokenization (step 8): pieces at white space,
//! chunks at symbols, and words cut by symbols or spaces joined back.

use std::collections::HashSet;

use std::sync::LazyLock;

use super::super::disguise::Via;
#[allow(unused_imports)]
use super::*;

/// Longest span accepted as an HTML tag.
pub(super) const MAX_TAG_CHARS: usize = 200;

/// Removes things that look like HTML tags (`<b>`, `</span>`, `<a href=..>`),
/// so that `con<b>n</b>ard` reads `connard`.
pub(super) fn strip_tags(chars: &[char]) -> Vec<char> {
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        match tag_end(chars, i) {
            Some(end) => i = end + 1,
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// Index of the `>` closing a tag that starts at `start`, if one does.
pub(super) fn tag_end(chars: &[char], start: usize) -> Option<usize> {
    if chars[start] != '<' {
        return None;
    }
    let name_at = if chars.get(start + 1) == Some(&'/') {
        start + 2
    } else {
        start + 1
    };
    if !chars.get(name_at)?.is_ascii_alphabetic() {
        return None;
    }
    chars
        .iter()
        .enumerate()
        .skip(name_at)
        .take(MAX_TAG_CHARS)
        .take_while(|&(_, &c)| c != '<' && c != '\n')
        .find(|&(_, &c)| c == '>')
        .map(|(i, _)| i)
}

/// `char::is_alphabetic`, answered without a table search for the letters
/// comments are mostly made of (ASCII and the basic Arabic block).
pub(super) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        matches!(c, '\u{0620}'..='\u{064A}') || c.is_alphabetic()
    }
}

/// `char::is_numeric`, with the same shortcut.
pub(super) fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        c.is_numeric()
    }
}

/// Symbols used as letters inside a word (`@ssh0le`, `$alope`, `m€rde`,
/// `c|onnard`, `(onnard`). Read as letters only inside a word: alone, or
/// around a number, they stay punctuation.
pub(super) fn is_leet_symbol(c: char) -> bool {
    matches!(
        c,
        '@' | '$' | '!' | '€' | '£' | '|' | '¡' | '+' | '(' | '[' | '{' | '¢' | '¥' | '§'
    )
}

/// A symbol that Unicode names after a Latin letter (`🅲`, `🇨`): a letter in disguise.
pub(super) fn is_letter_symbol(c: char) -> bool {
    !c.is_ascii() && !is_letter(c) && !is_digit(c) && letter_by_name(c).is_some()
}

pub(super) fn is_token_char(c: char) -> bool {
    is_letter(c) || is_digit(c) || is_leet_symbol(c) || is_letter_symbol(c)
}

/// A letter or something that reads as one.
pub(super) fn is_letterlike(c: char) -> bool {
    is_letter(c) || is_letter_symbol(c)
}

/// Markdown emphasis characters, ignored inside a word (`c*o*nnard`).
pub(super) fn is_emphasis(c: char) -> bool {
    matches!(c, '*' | '_' | '~' | '`')
}

pub(super) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// French elided words: `l'`, `qu'`... are dropped, not kept as tokens.
pub(super) const ELISIONS: [&str; 12] = [
    "l", "d", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu",
];

/// A run of word characters, with the disguises undone to read it.
#[derive(Debug, Clone)]
pub(super) struct Chunk {
    pub(super) text: String,
    pub(super) via: Via,
}

/// Splits a piece of text (no white space in it) into chunks: runs of
/// letters, digits and letter-like symbols, cut by other symbols. Emphasis
/// inside a word and HTML tags are dropped; French elisions are dropped.
pub(super) fn chunks_of(piece: &str) -> Vec<Chunk> {
    let folded = prefold(piece);
    let raw: Vec<char> = folded.chars().collect();
    let (chars, markup) = if raw.contains(&'<') {
        let stripped = strip_tags(&raw);
        let markup = if stripped.len() != raw.len() {
            Via::MARKUP
        } else {
            Via::NONE
        };
        (stripped, markup)
    } else {
        (raw, Via::NONE)
    };
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut via = markup;
    for (i, &c) in chars.iter().enumerate() {
        // Apostrophes first: U+02BC is a letter (Lm) but separates like `'`.
        if is_apostrophe(c) && ELISIONS.contains(&current.as_str()) {
            current.clear();
            via |= Via::ELISION;
        } else if is_token_char(c) && !is_apostrophe(c) {
            current.push(c);
        } else if is_emphasis(c) && !current.is_empty() && emphasis_is_inside(&chars, i) {
            // Glued: skip the emphasis run and keep building the word.
            via |= Via::MARKUP;
        } else {
            push_chunk(&mut chunks, &mut current, via);
            via = markup;
        }
    }
    push_chunk(&mut chunks, &mut current, via);
    chunks
}

/// True when the emphasis run at `i` is followed by a word character.
pub(super) fn emphasis_is_inside(chars: &[char], i: usize) -> bool {
    chars[i..]
        .iter()
        .find(|&&c| !is_emphasis(c))
        .is_some_and(|&c| is_token_char(c))
}

/// Keeps a finished chunk if it holds a letter or digit (lone `!` is not a word).
pub(super) fn push_chunk(chunks: &mut Vec<Chunk>, current: &mut String, via: Via) {
    if current.chars().any(|c| is_letterlike(c) || is_digit(c)) {
        chunks.push(Chunk {
            text: std::mem::take(current),
            via,
        });
    } else {
        current.clear();
    }
}

/// Splits a text at white space: byte ranges of the pieces.
pub(super) fn pieces(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// Most pieces or chunks joined into one word (`co nn ard`).
pub(super) const MAX_JOINED: usize = 4;
/// Longest joined word, in characters: longer than any insult and its suffixes.
pub(super) const MAX_JOINED_CHARS: usize = 24;

/// Short words of French and Arabic that are words in their own right: two
/// of them side by side are two words (`mer de`), never one cut in two.
pub(super) static SHORT_WORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    include_str!("../data/short_words.txt")
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .flat_map(|l| l.split_whitespace())
        .map(prefold)
        .collect()
});

/// A piece (or chunk) of a word cut in two: a few letters that are not a
/// word by themselves (`co`, `nnard` is not short but `co` is the fragment).
/// Arabic words are built on three-letter roots, so there a fragment has at
/// most two letters (`حم ار`, `ح مار`).
pub(super) fn is_fragment(text: &str) -> bool {
    let most = if text.chars().any(is_arabic) { 2 } else { 3 };
    let letters = text.chars().filter(|&c| is_letterlike(c)).count();
    (1..=most).contains(&letters) && text.chars().count() <= 4 && !SHORT_WORDS.contains(text)
}

pub(super) fn is_single_letter(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(is_letterlike) && chars.next().is_none()
}

pub(super) fn has_letter(text: &str) -> bool {
    text.chars().any(is_letterlike)
}

/// One word as read from a run of consecutive parts (chunks of one piece,
/// or pieces of a text), with the parts it spans.
pub(super) struct Joined {
    pub(super) text: String,
    pub(super) first: usize,
    pub(super) last: usize,
}

/// Words a reader wrote cut into parts: runs of two or more single letters
/// are read whole (`p u t e`, and never `c o n` out of `c o n t e r`); other
/// parts join their neighbours when one side of each cut is a fragment, at
/// most [`MAX_JOINED`] parts. `free` lets any parts join (they were cut by
/// symbols, which nobody writes inside a word by accident). Parts without a
/// letter (numbers) never join.
pub(super) fn joined_words(parts: &[&str], free: bool) -> Vec<Joined> {
    // Runs of single letters are one word, so no window splits them.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let mut j = i;
        while j + 1 < parts.len() && is_single_letter(parts[i]) && is_single_letter(parts[j + 1]) {
            j += 1;
        }
        groups.push((i, j));
        i = j + 1;
    }
    let text = |(first, last): (usize, usize)| -> String { parts[first..=last].concat() };
    let mut out: Vec<Joined> = Vec::new();
    // Whether a group holds a letter, and whether it is a fragment; asked
    // without building strings, since most texts have nothing to join.
    let mut letter = Vec::with_capacity(groups.len());
    let mut fragment = Vec::with_capacity(groups.len());
    for &(first, last) in &groups {
        if first < last {
            let merged = text((first, last));
            letter.push(true);
            fragment.push(is_fragment(&merged));
            out.push(Joined {
                text: merged,
                first,
                last,
            });
        } else {
            letter.push(has_letter(parts[first]));
            fragment.push(is_fragment(parts[first]));
        }
    }
    let joinable = |left: usize, right: usize| {
        letter[left] && letter[right] && (free || fragment[left] || fragment[right])
    };
    for start in 0..groups.len() {
        if start + 1 >= groups.len() || !joinable(start, start + 1) {
            continue;
        }
        let mut joined = text(groups[start]);
        for end in start + 1..groups.len().min(start + MAX_JOINED) {
            if !joinable(end - 1, end) {
                break;
            }
            joined.push_str(&text(groups[end]));
            if joined.chars().count() > MAX_JOINED_CHARS {
                break;
            }
            out.push(Joined {
                text: joined.clone(),
                first: groups[start].0,
                last: groups[end].1,
            });
        }
    }
    out
}
