//! Micro-benchmark of the word filters: a 5,000-character comment folded
//! and scanned against a list of 1,000 entries (the starter list and
//! made-up words, half French, half Arabic), and against the starter list
//! alone, to show that the cost follows the comment, not the list.
//!
//! Usage: filter_bench [ITERATIONS] (run it built with --release: bench/filters.sh)

use std::time::{Duration, Instant};
use tribune::screening::starter::starter_words;
use tribune::text::{fold_pattern, fold_text, WordKind, WordList};

/// A made-up entry: deterministic, pronounceable, unlikely to be in the text.
fn made_up(i: usize) -> String {
    const LATIN: [&str; 12] = [
        "ba", "ko", "ru", "mi", "ne", "sta", "pli", "gro", "vu", "zen", "tor", "qui",
    ];
    const ARABIC: [char; 16] = [
        'ب', 'ت', 'ج', 'ح', 'خ', 'د', 'ر', 'س', 'ش', 'ص', 'ط', 'ع', 'ف', 'ق', 'م', 'ن',
    ];
    let (a, b, c) = (i % 12, (i / 12) % 12, (i / 144) % 12);
    if i.is_multiple_of(2) {
        format!("{}{}{}x", LATIN[a], LATIN[b], LATIN[c])
    } else {
        [i % 16, (i / 16) % 16, (i / 256) % 16, (i * 7) % 16]
            .iter()
            .map(|&k| ARABIC[k])
            .collect()
    }
}

/// About 5,000 characters of French and Arabic, with numbers, punctuation,
/// Markdown and a few letters cut by spaces, and no listed word.
fn comment() -> String {
    let parts = [
        "Je partage votre analyse : la réforme annoncée le 12 mars mérite un vrai débat, ",
        "mais les chiffres (3,5 % de hausse, 1 200 postes) ne disent pas tout. ",
        "**Pourquoi** ne pas consulter les élus locaux ? C'est l'essentiel, à mon avis. ",
        "أتفق مع هذا التحليل، فالإصلاح المعلن يستحق نقاشا حقيقيا قبل تطبيقه في المدن. ",
        "Voir https://exemple.fr/article-123 et le rapport p. 45. Il a dit : c o n t e r. ",
        "المدينة الحمراء مراكش جميلة في الربيع، والحديقة مفتوحة من 9 إلى 17. ",
    ];
    let mut text = String::new();
    let mut i = 0;
    while text.chars().count() < 5000 {
        text.push_str(parts[i % parts.len()]);
        i += 1;
    }
    text.chars().take(5000).collect()
}

/// (median, 90th percentile, 99th percentile) of folding and scanning `text`.
fn measure(words: &WordList, text: &str, iterations: usize) -> (Duration, Duration, Duration) {
    let mut times: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            let folded = fold_text(text);
            let found = words.scan(&folded);
            let elapsed = start.elapsed();
            assert!(found.is_empty(), "the benchmark text must be clean");
            elapsed
        })
        .collect();
    times.sort();
    (
        times[times.len() / 2],
        times[times.len() * 9 / 10],
        times[times.len() * 99 / 100],
    )
}

fn main() {
    let iterations: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let starter: Vec<(String, WordKind)> = starter_words()
        .into_iter()
        .filter_map(|(kind, p)| Some((fold_pattern(p)?, kind)))
        .collect();
    let mut thousand = starter.clone();
    let mut i = 0;
    while thousand.len() < 1000 {
        if let Some(f) = fold_pattern(&made_up(i)) {
            thousand.push((f, WordKind::Banned));
        }
        i += 1;
    }
    let text = comment();
    let build = Instant::now();
    let big = WordList::new(thousand.clone());
    let build = build.elapsed();
    let small = WordList::new(starter.clone());
    println!(
        "comment: {} characters; lists: {} entries ({} forms, built in {:.1} ms) and {} entries ({} forms)",
        text.chars().count(),
        thousand.len(),
        big.form_count(),
        build.as_secs_f64() * 1e3,
        starter.len(),
        small.form_count()
    );
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    for (name, words) in [("1000 entries", &big), ("starter list", &small)] {
        let (median, p90, p99) = measure(words, &text, iterations);
        println!(
            "{name}: fold + scan of one comment: median {:.0} µs, p90 {:.0} µs, p99 {:.0} µs ({iterations} runs)",
            us(median),
            us(p90),
            us(p99)
        );
    }
    let short = "Très bon article, merci pour ces précisions sur la réforme.";
    let (median, _, p99) = measure(&big, short, iterations * 10);
    println!(
        "a {}-character comment, 1000 entries: median {:.1} µs, p99 {:.1} µs",
        short.chars().count(),
        us(median),
        us(p99)
    );
}
