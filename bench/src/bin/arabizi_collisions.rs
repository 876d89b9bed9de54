//! Writes the French words that an Arabizi spelling of an Arabic word could
//! make (`laina`, a form of lainer, spells لعينة), for
//! `src/text/data/french_arabizi.txt`: the word filters never read those as
//! Arabizi. The Arabic words are a dictionary's stems (Hunspell's `.dic`,
//! what a moderator would list) and the starter list; each is spelled as
//! the filters spell an entry: itself and its feminine.
//!
//! Usage: arabizi_collisions FRENCH_WORDS ARABIC_DIC > french_arabizi.txt

use std::collections::{BTreeSet, HashSet};
use std::process::ExitCode;
use tribune::screening::starter::starter_words;
use tribune::text::{arabizi, fold_pattern};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [french, arabic] = args.as_slice() else {
        eprintln!("usage: arabizi_collisions FRENCH_WORDS ARABIC_DIC");
        return ExitCode::from(2);
    };
    let read = |path: &str| {
        std::fs::read_to_string(path).map_err(|e| eprintln!("arabizi_collisions: {path}: {e}"))
    };
    let (Ok(french), Ok(arabic)) = (read(french), read(arabic)) else {
        return ExitCode::from(2);
    };
    // French words as the filters fold them (accents off, lower case).
    let french: HashSet<String> = french
        .lines()
        .filter_map(|w| fold_pattern(w.trim()))
        .filter(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
        .collect();
    // Hunspell lines are `stem/FLAGS`; the first line is a count.
    let stems = arabic
        .lines()
        .map(|l| l.split(['/', '\t', ' ']).next().unwrap_or(""))
        .chain(starter_words().into_iter().map(|(_, p)| p))
        .filter_map(fold_pattern)
        .collect::<BTreeSet<String>>();
    let mut found = BTreeSet::new();
    for stem in &stems {
        for word in [stem.clone(), format!("{stem}ة")] {
            for spelling in arabizi::chat_spellings(&word) {
                if french.contains(&spelling) {
                    found.insert(spelling);
                }
            }
        }
    }
    for word in found {
        println!("{word}");
    }
    ExitCode::SUCCESS
}
