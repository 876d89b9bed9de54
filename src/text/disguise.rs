//! The disguises the word filters undo, named for the explanation a
//! moderator reads (`"via": ["symbol", "leet"]`).

use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// A set of disguises, as bits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Via(u32);

/// Each disguise with its name, in the order they are reported.
const NAMES: [(Via, &str); 17] = [
    (Via::INVISIBLE, "invisible"),
    (Via::LOOKALIKE, "lookalike"),
    (Via::ACCENTS, "accents"),
    (Via::MARKUP, "markup"),
    (Via::ELONGATION, "elongation"),
    (Via::SYMBOL, "symbol"),
    (Via::SPACING, "spacing"),
    (Via::LEET, "leet"),
    (Via::REPEAT, "repeat"),
    (Via::PROCLITIC, "proclitic"),
    (Via::ARABIZI, "arabizi"),
    (Via::INFLECTION, "inflection"),
    (Via::SUFFIX, "suffix"),
    (Via::DOUBLED, "doubled_letter"),
    (Via::PLURAL, "broken_plural"),
    (Via::ELISION, "elision"),
    (Via::PREFIX, "prefix"),
];

impl Via {
    pub const NONE: Via = Via(0);
    /// Zero-width or other invisible characters inside the word.
    pub const INVISIBLE: Via = Via(1);
    /// Look-alike letters: other scripts, fullwidth, small capitals, enclosed, mathematical.
    pub const LOOKALIKE: Via = Via(1 << 1);
    /// Accents or harakat.
    pub const ACCENTS: Via = Via(1 << 2);
    /// HTML tags or Markdown emphasis inside the word.
    pub const MARKUP: Via = Via(1 << 3);
    /// Tatweel (ـ) stretching an Arabic word.
    pub const ELONGATION: Via = Via(1 << 4);
    /// Symbols cutting the word (`con-nard`, `c|onnard`).
    pub const SYMBOL: Via = Via(1 << 5);
    /// Spaces cutting the word (`co nnard`, `p u t e`).
    pub const SPACING: Via = Via(1 << 6);
    /// Digits or symbols standing for letters (`m€rde`, `c0nnard`).
    pub const LEET: Via = Via(1 << 7);
    /// Letters repeated (`connnnard`).
    pub const REPEAT: Via = Via(1 << 8);
    /// Arabic proclitics (`والحمار`).
    pub const PROCLITIC: Via = Via(1 << 9);
    /// Arabic written in Latin letters and digits (`7mar`), or mixed.
    pub const ARABIZI: Via = Via(1 << 10);
    /// A French plural or feminine (`connards`, `connarde`).
    pub const INFLECTION: Via = Via(1 << 11);
    /// An Arabic suffix: feminine, sound plural, dual or attached pronoun.
    pub const SUFFIX: Via = Via(1 << 12);
    /// A doubled final letter (`حمارر`).
    pub const DOUBLED: Via = Via(1 << 13);
    /// A broken plural or irregular form from the lexicon (`حمير`).
    pub const PLURAL: Via = Via(1 << 14);
    /// A French elision glued to the word (`l'connard`).
    pub const ELISION: Via = Via(1 << 15);
    /// The word begins with an entry written with a final `*`.
    pub const PREFIX: Via = Via(1 << 16);

    pub fn contains(self, other: Via) -> bool {
        self.0 & other.0 == other.0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Number of disguises in the set (fewer reads as a plainer match).
    pub fn count(self) -> u32 {
        self.0.count_ones()
    }

    /// The names of the disguises, in a stable order.
    pub fn names(self) -> Vec<&'static str> {
        NAMES
            .iter()
            .filter(|(via, _)| self.contains(*via))
            .map(|(_, name)| *name)
            .collect()
    }
}

impl std::ops::BitOr for Via {
    type Output = Via;
    fn bitor(self, other: Via) -> Via {
        Via(self.0 | other.0)
    }
}

impl std::ops::BitOrAssign for Via {
    fn bitor_assign(&mut self, other: Via) {
        self.0 |= other.0;
    }
}

/// Invisible code points that evaders slip inside words (a subset of
/// Default_Ignorable_Code_Point plus the bidi marks).
pub(crate) fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Disguises seen in the characters of a matched text as written: the ones
/// the character folding undoes before words are read. Only runs for a
/// match, so it may be slow.
pub fn in_characters(written: &str) -> Via {
    let mut via = Via::NONE;
    for c in written.chars() {
        if is_ignorable(c) {
            via |= Via::INVISIBLE;
        } else if c == '\u{0640}' {
            via |= Via::ELONGATION;
        } else if matches!(c, '<' | '*' | '_' | '~' | '`') {
            via |= Via::MARKUP;
        } else if !c.is_ascii() {
            let compat: String = std::iter::once(c).nfkc().collect();
            if compat != c.to_string() && !compat.chars().any(is_combining_mark) {
                via |= Via::LOOKALIKE;
            }
            let mut marked = false;
            decompose_canonical(c, |d| marked |= is_combining_mark(d));
            if marked || is_combining_mark(c) {
                via |= Via::ACCENTS;
            }
        }
    }
    via
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_in_a_stable_order() {
        assert_eq!((Via::LEET | Via::SYMBOL).names(), vec!["symbol", "leet"]);
        assert!(Via::NONE.names().is_empty());
        assert_eq!(Via::DOUBLED.names(), vec!["doubled_letter"]);
    }

    #[test]
    fn character_disguises_are_seen() {
        assert_eq!(in_characters("connard"), Via::NONE);
        assert_eq!(in_characters("co\u{200B}nnard"), Via::INVISIBLE);
        assert_eq!(in_characters("ｃｏｎｎａｒｄ"), Via::LOOKALIKE);
        assert_eq!(in_characters("cônnard"), Via::ACCENTS);
        assert_eq!(in_characters("حمـــار"), Via::ELONGATION);
        assert_eq!(in_characters("حِمَار"), Via::ACCENTS);
        assert_eq!(in_characters("con<b>n</b>ard"), Via::MARKUP);
    }
}
