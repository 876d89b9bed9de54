//! Arabizi: Arabic written with Latin letters and the digits that look like
//! the Arabic letters Latin lacks (2 ء, 3 ع, 5 خ, 6 ط, 7 ح, 8 غ/ق, 9 ق/ص).
//! Two directions: the Latin spellings of a folded Arabic entry, and the
//! Arabic reading of a word that mixes both scripts.

use std::collections::HashSet;
use std::sync::LazyLock;

/// The common Latin spellings of a (folded) Arabic letter, the first one
/// being the most common. Chat spellings vary by country: these are the
/// Maghrebi and Levantine habits most readers of the site share.
fn latin_spellings(c: char) -> &'static [&'static str] {
    match c {
        'ا' => &["a", "aa", "e"],
        'ء' => &["2", ""],
        'ب' => &["b"],
        'ت' => &["t"],
        'ث' => &["th", "t"],
        // Not `g` (Egyptian): `mignon` would read مجنون.
        'ج' => &["j", "dj"],
        'ح' => &["7", "h"],
        'خ' => &["5", "kh"],
        'د' => &["d"],
        // Not `d`: `nodal` would read نذل.
        'ذ' => &["dh", "z"],
        'ر' => &["r"],
        'ز' => &["z"],
        'س' => &["s"],
        'ش' => &["sh", "ch"],
        'ص' => &["s", "9"],
        'ض' => &["d", "dh"],
        'ط' => &["t", "6"],
        'ظ' => &["z", "dh"],
        'ع' => &["3", "a"],
        'غ' => &["gh", "8"],
        'ف' => &["f"],
        'ق' => &["q", "9", "k", "8"],
        'ك' => &["k"],
        'ل' => &["l"],
        'م' => &["m"],
        'ن' => &["n"],
        // The feminine ة is heard as a vowel.
        'ة' => &["a", "ah"],
        'ه' => &["h"],
        'و' => &["w", "ou", "o", "u"],
        'ي' => &["y", "i", "ee"],
        _ => &[],
    }
}

/// Long vowels and alef: no short vowel is guessed next to them.
fn is_vowel_letter(c: char) -> bool {
    matches!(c, 'ا' | 'و' | 'ي' | 'ء')
}

/// Short vowels that chat writing may put between two consonants.
/// Not `u` or `ou`: `humer` would read حمار, `aboula` أبلة.
const SHORT_VOWELS: [&str; 5] = ["", "a", "e", "i", "o"];

/// At most this many spellings per entry: past it, the rarer ones are left out.
const MAX_SPELLINGS: usize = 150;

/// French words that a chat spelling can make (`laina`, of lainer, spells
/// لعينة), found by `src/bin/arabizi_collisions.rs` in Debian's word lists.
static FRENCH_WORDS: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("data/french_arabizi.txt")
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .collect()
});

/// Latin spellings of a folded Arabic word (`حمار` → `7mar`, `hmar`, `7emar`...),
/// the words of the French dictionary left out: Arabizi readings never
/// flag French.
pub fn spellings(word: &str) -> Vec<String> {
    let mut out = chat_spellings(word);
    out.retain(|s| !FRENCH_WORDS.contains(s.as_str()));
    out
}

/// Every Latin spelling of a folded Arabic word, French words included.
/// Empty when the word holds a letter without a Latin spelling, or is shorter
/// than three letters (two-letter Latin words collide with French ones).
pub fn chat_spellings(word: &str) -> Vec<String> {
    let letters: Vec<char> = word.chars().collect();
    if letters.len() < 3 {
        return Vec::new();
    }
    let mut out = vec![String::new()];
    for (i, &c) in letters.iter().enumerate() {
        let options = latin_spellings(c);
        if options.is_empty() {
            return Vec::new();
        }
        // No short vowel before ة, itself read as a vowel.
        let before_final_h = letters.get(i + 1) == Some(&'ة');
        let vowels: &[&str] = match letters.get(i + 1) {
            Some(&next) if !is_vowel_letter(c) && !is_vowel_letter(next) && !before_final_h => {
                &SHORT_VOWELS
            }
            _ => &[""],
        };
        let mut next = Vec::with_capacity(out.len() * options.len() * vowels.len());
        'grow: for stem in &out {
            for option in options {
                for vowel in vowels {
                    if next.len() >= MAX_SPELLINGS {
                        break 'grow;
                    }
                    next.push(format!("{stem}{option}{vowel}"));
                }
            }
        }
        out = next;
    }
    out.retain(|s| s.chars().count() >= 3);
    out.sort();
    out.dedup();
    out
}

/// The Arabic letter a Latin letter or Arabizi digit stands for, inside a
/// word that also holds Arabic letters (`7مار`, `حm@ر`). Short vowels `e`,
/// `i`, `o`, `u` are not written in Arabic and give nothing.
pub fn arabic_letter(c: char) -> Option<Option<char>> {
    Some(match c {
        'a' | '@' | '4' => Some('ا'),
        '2' => Some('ء'),
        '3' => Some('ع'),
        '5' => Some('خ'),
        '6' => Some('ط'),
        '7' => Some('ح'),
        '8' => Some('غ'),
        '9' => Some('ق'),
        'b' => Some('ب'),
        't' => Some('ت'),
        'j' | 'g' => Some('ج'),
        'h' => Some('ه'),
        'd' => Some('د'),
        'r' => Some('ر'),
        'z' => Some('ز'),
        's' | '$' => Some('س'),
        'f' => Some('ف'),
        'q' => Some('ق'),
        'k' => Some('ك'),
        'l' => Some('ل'),
        'm' => Some('م'),
        'n' => Some('ن'),
        'w' => Some('و'),
        'y' => Some('ي'),
        'e' | 'i' | 'o' | 'u' => None,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arabic_entry_has_its_chat_spellings() {
        let donkey = spellings("حمار");
        for s in ["7mar", "hmar", "7emar", "7imar", "hmaar", "7mer", "7omar"] {
            assert!(donkey.contains(&s.to_string()), "{s} in {donkey:?}");
        }
        let dog = spellings("كلب");
        for s in ["kalb", "kelb", "klb", "kleb"] {
            assert!(dog.contains(&s.to_string()), "{s} in {dog:?}");
        }
        assert!(spellings("كل").is_empty());
        assert!(spellings("abc").is_empty());
    }

    #[test]
    fn french_words_are_no_spelling() {
        assert!(chat_spellings("لعينة").contains(&"laina".to_string()));
        assert!(!spellings("لعينة").contains(&"laina".to_string()));
        assert!(spellings("لعينة").contains(&"l3ina".to_string()));
        assert!(FRENCH_WORDS.len() > 1000, "{}", FRENCH_WORDS.len());
    }

    #[test]
    fn spellings_are_bounded() {
        assert!(spellings("مستحمرون").len() <= MAX_SPELLINGS);
    }

    #[test]
    fn mixed_letters_read_as_arabic() {
        assert_eq!(arabic_letter('7'), Some(Some('ح')));
        assert_eq!(arabic_letter('e'), Some(None));
        assert_eq!(arabic_letter('!'), None);
    }
}
