//! Usernames for accounts made from a name chosen elsewhere (imported
//! authors, readers of the site's sign-in): their name when Tribune's rules
//! accept it, else the closest name they accept, else `lecteur`; numbered when taken.

use crate::domain::{DisplayName, Username};
use crate::text;

/// The name to try first, and why it differs from the original (if it does).
pub fn base_username(original: &str) -> (String, Option<&'static str>) {
    let line = text::normalize_line(original);
    if Username::parse(&line).is_ok() {
        return (line, None);
    }
    let why = refusal(&line);
    // Spaces become `_`; characters the rules refuse go.
    let mut cleaned = String::new();
    for c in line.chars() {
        let c = if c.is_whitespace() { '_' } else { c };
        let allowed = c.is_alphabetic()
            || c.is_ascii_digit()
            || matches!(c, '_' | '-' | '.')
            || (unicode_normalization::char::is_combining_mark(c)
                && cleaned.chars().last().is_some_and(char::is_alphabetic));
        if allowed && !(c == '_' && cleaned.ends_with('_')) {
            cleaned.push(c);
        }
    }
    let cleaned: String = cleaned
        .trim_matches(|c| matches!(c, '_' | '-' | '.'))
        .chars()
        .take(32)
        .collect();
    if Username::parse(&cleaned).is_ok() {
        return (cleaned, Some(why));
    }
    // Too short: pad it so the reader still recognises it.
    if (1..3).contains(&cleaned.chars().count()) {
        let padded = format!("{cleaned}_1");
        if Username::parse(&padded).is_ok() {
            return (padded, Some(why));
        }
    }
    ("lecteur".to_string(), Some(why))
}

fn refusal(line: &str) -> &'static str {
    if line.is_empty() {
        return "no name";
    }
    if text::has_forbidden_name_chars(line) {
        return "control or direction characters";
    }
    if line.to_lowercase().starts_with("deleted-") {
        return "reserved name";
    }
    match text::check_username(line) {
        Err(text::UsernameProblem::Length) => "length (3 to 32 characters)",
        Err(text::UsernameProblem::MixedScript) => "letters of several scripts",
        Err(text::UsernameProblem::Characters) => "characters not allowed in a username",
        Ok(()) => "not allowed",
    }
}

/// `base` for the first try, then `base-2`, `base-3`… within 32 characters.
pub fn variant(base: &str, n: u32) -> String {
    if n <= 1 {
        return base.to_string();
    }
    let suffix = format!("-{n}");
    let room = 32 - suffix.len();
    let stem: String = base.chars().take(room).collect();
    format!("{stem}{suffix}")
}

/// The name shown: the original when the rules for display names accept it,
/// else it cleaned of what they refuse, else the username.
pub fn display_name(original: &str, username: &str) -> String {
    if let Ok(name) = DisplayName::parse(original) {
        return name.into_string();
    }
    let cleaned: String = text::normalize_line(original)
        .chars()
        .filter(|&c| !text::has_forbidden_name_chars(c.encode_utf8(&mut [0; 4])))
        .take(64)
        .collect();
    DisplayName::parse(&cleaned)
        .map(DisplayName::into_string)
        .unwrap_or_else(|_| username.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_names_are_kept() {
        assert_eq!(base_username("élodie"), ("élodie".into(), None));
        assert_eq!(base_username("قارئ_42"), ("قارئ_42".into(), None));
    }

    #[test]
    fn refused_names_get_a_clear_variant() {
        assert_eq!(
            base_username("Jean Dupont"),
            (
                "Jean_Dupont".into(),
                Some("characters not allowed in a username")
            )
        );
        assert_eq!(
            base_username("أحمد بن علي"),
            (
                "أحمد_بن_علي".into(),
                Some("characters not allowed in a username")
            )
        );
        // Bidi override: refused, and dropped from the variant.
        let (name, why) = base_username("abc\u{202E}def");
        assert_eq!(name, "abcdef");
        assert_eq!(why, Some("control or direction characters"));
        // Latin mixed with Cyrillic cannot be cleaned into one script.
        assert_eq!(base_username("p\u{430}ypal").0, "lecteur");
        assert_eq!(base_username("Li").0, "Li_1");
        assert_eq!(base_username("😀😀😀").0, "lecteur");
        assert_eq!(base_username("").0, "lecteur");
        assert_eq!(base_username("deleted-12").1, Some("reserved name"));
    }

    #[test]
    fn variants_stay_within_the_length() {
        assert_eq!(variant("marie", 1), "marie");
        assert_eq!(variant("marie", 2), "marie-2");
        let long = "a".repeat(32);
        assert_eq!(variant(&long, 12).chars().count(), 32);
        assert!(Username::parse(&variant(&long, 12)).is_ok());
    }

    #[test]
    fn display_names_keep_what_they_can() {
        assert_eq!(display_name("Jean Dupont", "Jean_Dupont"), "Jean Dupont");
        assert_eq!(display_name("a\u{202E}b", "ab"), "ab");
        assert_eq!(display_name("", "lecteur"), "lecteur");
    }
}
