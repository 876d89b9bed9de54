//! The optional starter list of common French and Arabic insults, shipped
//! in the binary and loaded by an admin with `tribune words load-starter`.

use crate::text::WordKind;

/// (kind, pattern) of every starter entry, in file order.
pub fn starter_words() -> Vec<(WordKind, &'static str)> {
    parse(include_str!("data/starter_words.txt"))
}

/// Lines `kind pattern`; `#` starts a comment.
fn parse(text: &str) -> Vec<(WordKind, &str)> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter_map(|l| l.split_once(char::is_whitespace))
        .filter_map(|(kind, pattern)| Some((WordKind::parse(kind)?, pattern.trim())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold_pattern;
    use std::collections::HashSet;

    #[test]
    fn the_starter_list_holds_thirty_words_in_each_language_each_one_word() {
        let words = starter_words();
        let arabic = |p: &str| p.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        let french = words.iter().filter(|(_, p)| !arabic(p)).count();
        let arabic = words.iter().filter(|(_, p)| arabic(p)).count();
        assert!(
            french >= 30 && arabic >= 30,
            "{french} French, {arabic} Arabic"
        );
        let mut folded = HashSet::new();
        for (_, pattern) in &words {
            let f = fold_pattern(pattern).unwrap_or_else(|| panic!("{pattern}"));
            assert!(folded.insert(f), "{pattern} twice");
        }
    }

    #[test]
    fn lines_are_read_with_their_kind() {
        assert_eq!(
            parse("# c\nbanned  connard\nsuspect\tidiot # mild\nweird x\n\n"),
            vec![(WordKind::Banned, "connard"), (WordKind::Suspect, "idiot")]
        );
    }
}
