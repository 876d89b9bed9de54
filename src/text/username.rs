//! Username rules: length, allowed characters, single script, confusable skeleton.

use unicode_normalization::char::is_combining_mark;
use unicode_security::{confusable_detection::skeleton, MixedScript};

/// Why a username was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsernameProblem {
    /// Fewer than 3 or more than 32 characters.
    Length,
    /// A character other than letters, ASCII digits, `_`, `-`, `.`.
    Characters,
    /// Letters from more than one script (e.g. Latin mixed with Cyrillic).
    MixedScript,
}

const MIN_CHARS: usize = 3;
const MAX_CHARS: usize = 32;

/// Checks a username that has already gone through `normalize_line`.
pub fn check_username(name: &str) -> Result<(), UsernameProblem> {
    let count = name.chars().count();
    if !(MIN_CHARS..=MAX_CHARS).contains(&count) {
        return Err(UsernameProblem::Length);
    }
    if !has_allowed_chars(name) {
        return Err(UsernameProblem::Characters);
    }
    // TR39 resolved script set: Common/Inherited are ignored, and the
    // Han/Hiragana/Katakana (and Hangul) combinations of a real language pass.
    if !name.is_single_script() {
        return Err(UsernameProblem::MixedScript);
    }
    Ok(())
}

/// Letters, ASCII digits, `_ - .`, and combining marks that follow a letter
/// (Arabic harakat, decomposed accents).
fn has_allowed_chars(name: &str) -> bool {
    let mut after_letter = false;
    name.chars().all(|c| {
        let ok = if is_combining_mark(c) {
            after_letter
        } else {
            c.is_alphabetic() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.')
        };
        after_letter = ok && (c.is_alphabetic() || is_combining_mark(c));
        ok
    })
}

/// Uniqueness key for usernames: names that look alike per UTS 39
/// (`admin`, `ADMIN`, `аdmin` with a Cyrillic а, `rn`/`m`) share a key.
/// Accents stay distinct: `élodie` and `elodie` are two names.
pub fn username_skeleton(name: &str) -> String {
    let folded = caseless::default_case_fold_str(name);
    let skel: String = skeleton(&folded).collect();
    caseless::default_case_fold_str(&skel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_names() {
        for name in [
            "admin",
            "élodie",
            "e\u{301}lodie",
            "иван",
            "قارئ_42",
            "حِمَاد",
            "jean-pierre.dupont",
            "user_2024",
            "Ζωή",
            "山田たろう",
            "abc",
            "abcdefghijklmnopqrstuvwxyz012345",
        ] {
            assert_eq!(check_username(name), Ok(()), "{name:?}");
        }
    }

    #[test]
    fn length_limits() {
        assert_eq!(check_username("ab"), Err(UsernameProblem::Length));
        assert_eq!(check_username(""), Err(UsernameProblem::Length));
        let long = "a".repeat(33);
        assert_eq!(check_username(&long), Err(UsernameProblem::Length));
        // Characters, not bytes: 32 Arabic letters are fine.
        let arabic = "ب".repeat(32);
        assert_eq!(check_username(&arabic), Ok(()));
    }

    #[test]
    fn bad_characters() {
        for name in [
            "a b c",
            "abc!",
            "a@b.c",
            "abc\u{200B}",
            "abc\u{202E}",
            "abc٤٢",
            "\u{301}abc",
            "ab😀",
            "a/b/c",
        ] {
            assert_eq!(
                check_username(name),
                Err(UsernameProblem::Characters),
                "{name:?}"
            );
        }
    }

    #[test]
    fn mixed_scripts() {
        for name in [
            "\u{430}dmin",      // Cyrillic а + Latin
            "p\u{430}ypal",     // Cyrillic а inside
            "\u{3bf}mega_user", // Greek ο + Latin
            "adminقارئ",        // Latin + Arabic
            "иванivan",
        ] {
            assert_eq!(
                check_username(name),
                Err(UsernameProblem::MixedScript),
                "{name:?}"
            );
        }
    }

    #[test]
    fn skeleton_collisions() {
        let admin = username_skeleton("admin");
        assert_eq!(username_skeleton("Admin"), admin);
        assert_eq!(username_skeleton("ADMIN"), admin);
        assert_eq!(username_skeleton("\u{430}dmin"), admin);
        assert_eq!(username_skeleton("rn"), username_skeleton("m"));
        assert_eq!(
            username_skeleton("paypal"),
            username_skeleton("p\u{430}yp\u{430}l")
        );
    }

    #[test]
    fn skeleton_keeps_accents_distinct() {
        // Decision: TR39 keeps the acute accent, so these are different users.
        assert_ne!(username_skeleton("élodie"), username_skeleton("elodie"));
        // But composed and decomposed spellings are the same user.
        assert_eq!(
            username_skeleton("élodie"),
            username_skeleton("e\u{301}lodie")
        );
    }

    #[test]
    fn skeleton_distinct_names() {
        assert_ne!(username_skeleton("alice"), username_skeleton("bob"));
        assert_ne!(username_skeleton("قارئ"), username_skeleton("قارب"));
    }
}
