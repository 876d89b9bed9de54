//! The dictionary check: runs every word of the given word lists (one word
//! per line) through the word filters loaded with the starter list, and
//! tells how many are flagged. A flagged word must be listed in the accepted
//! file (a real form of a listed word, reviewed by a person); any other is
//! an innocent word flagged, and the check fails.
//!
//! `--words FILE` adds entries to the starter list (lines `kind pattern`).
//!
//! Usage: filter_corpus --accepted FILE [--report FILE] [--words FILE] CORPUS...

use std::collections::HashSet;
use std::io::Write;
use std::process::ExitCode;
use tribune::screening::starter::starter_words;
use tribune::text::{fold_pattern, fold_text, Entry, WordList};

struct Args {
    accepted: String,
    words: Option<String>,
    report: Option<String>,
    corpora: Vec<String>,
}

fn args() -> Result<Args, String> {
    let mut accepted = None;
    let mut report = None;
    let mut words = None;
    let mut corpora = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--accepted" => accepted = it.next(),
            "--report" => report = it.next(),
            "--words" => words = it.next(),
            _ => corpora.push(arg),
        }
    }
    Ok(Args {
        accepted: accepted.ok_or("--accepted FILE is required")?,
        words,
        report,
        corpora,
    })
}

/// A flagged word: the word, the entries and the disguises.
fn flag(words: &WordList, word: &str) -> Option<String> {
    let found = words.explain(&fold_text(word));
    if found.is_empty() {
        return None;
    }
    let why: Vec<String> = found
        .iter()
        .map(|e| format!("{} [{}]", e.entry, e.via.names().join(",")))
        .collect();
    Some(why.join("; "))
}

fn main() -> ExitCode {
    let args = match args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("filter_corpus: {e}");
            return ExitCode::from(2);
        }
    };
    let extra = match args.words.as_deref().map(std::fs::read_to_string) {
        None => String::new(),
        Some(Ok(text)) => text,
        Some(Err(e)) => {
            eprintln!("filter_corpus: --words: {e}");
            return ExitCode::from(2);
        }
    };
    let extra: Vec<(tribune::text::WordKind, &str)> = extra
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter_map(|l| l.split_once(char::is_whitespace))
        .filter_map(|(kind, p)| Some((tribune::text::WordKind::parse(kind)?, p.trim())))
        .collect();
    let words = WordList::with_entries(starter_words().into_iter().chain(extra).filter_map(
        |(kind, p)| {
            Some(Entry {
                pattern: p.to_string(),
                folded: fold_pattern(p)?,
                kind,
            })
        },
    ));
    let accepted: HashSet<String> = match std::fs::read_to_string(&args.accepted) {
        Ok(text) => text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        Err(e) => {
            eprintln!("filter_corpus: {}: {e}", args.accepted);
            return ExitCode::from(2);
        }
    };
    let mut report: Vec<String> = Vec::new();
    let mut innocent_total = 0;
    for path in &args.corpora {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("filter_corpus: {path}: {e}");
                return ExitCode::from(2);
            }
        };
        let lines: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let per = lines.len().div_ceil(threads).max(1);
        let flagged: Vec<(String, String)> = std::thread::scope(|s| {
            let handles: Vec<_> = lines
                .chunks(per)
                .map(|part| {
                    let words = &words;
                    s.spawn(move || {
                        part.iter()
                            .filter_map(|w| flag(words, w).map(|why| (w.to_string(), why)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().expect("worker"))
                .collect()
        });
        let innocent: Vec<&(String, String)> = flagged
            .iter()
            .filter(|(w, _)| !accepted.contains(w))
            .collect();
        println!(
            "{path}: {} forms checked, {} flagged, {} flagged innocent",
            lines.len(),
            flagged.len(),
            innocent.len()
        );
        for (word, why) in &flagged {
            let mark = if accepted.contains(word) {
                "form"
            } else {
                "INNOCENT"
            };
            report.push(format!("{mark}\t{word}\t{why}"));
        }
        for (word, why) in innocent.iter().take(100) {
            println!("  innocent word flagged: {word} ← {why}");
        }
        innocent_total += innocent.len();
    }
    if let Some(path) = &args.report {
        let written = std::fs::File::create(path)
            .and_then(|mut f| f.write_all((report.join("\n") + "\n").as_bytes()));
        if let Err(e) = written {
            eprintln!("filter_corpus: {path}: {e}");
            return ExitCode::from(2);
        }
    }
    if innocent_total > 0 {
        println!("{innocent_total} innocent words flagged");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
