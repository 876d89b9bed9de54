//! `Accept-Language` negotiation (RFC 9110 §12.5.4): actix-web's typed header
//! reads the weighted ranges, Project Fluent's `fluent-langneg` matches them
//! against the supported languages.

use super::Locale;
use actix_web::http::header::{LanguageTag, Preference, Quality, QualityItem};
use fluent_langneg::{negotiate_languages, NegotiationStrategy};
use unic_langid::LanguageIdentifier;

/// The supported language the header prefers, `None` when it names none.
///
/// The highest weight wins; among equal weights, the first in header order.
/// Regional ranges (`fr-FR`, `ar-MA`, `en-US`) match their language. `*`
/// names no language, so the caller falls back to its own default. `q=0`
/// means "not acceptable": a bare `fr;q=0` refuses French even when `fr-FR`
/// is listed too. Malformed entries are skipped.
pub fn negotiate(accept_language: &str) -> Option<Locale> {
    let mut wanted: Vec<(LanguageIdentifier, Quality)> = Vec::new();
    let mut refused: Vec<LanguageIdentifier> = Vec::new();
    for entry in accept_language.split(',') {
        // One element at a time, so that a malformed one costs only itself.
        let Ok(item) = entry.trim().parse::<QualityItem<Preference<LanguageTag>>>() else {
            continue;
        };
        let Preference::Specific(tag) = item.item else {
            continue;
        };
        let Ok(range) = tag.as_str().parse::<LanguageIdentifier>() else {
            continue;
        };
        if item.quality > Quality::ZERO {
            wanted.push((range, item.quality));
        } else if is_bare(&range) {
            refused.push(range);
        }
    }
    // A stable sort: equal weights keep header order.
    wanted.sort_by_key(|&(_, quality)| std::cmp::Reverse(quality));
    let requested: Vec<LanguageIdentifier> = wanted.into_iter().map(|(range, _)| range).collect();
    let available: Vec<LanguageIdentifier> = Locale::ALL
        .into_iter()
        .map(Locale::langid)
        .filter(|l| !refused.iter().any(|r| r.language == l.language))
        .collect();
    let chosen = negotiate_languages(&requested, &available, None, NegotiationStrategy::Lookup);
    chosen
        .first()
        .and_then(|l| Locale::parse(l.language.as_str()))
}

/// A language alone (`fr`), not a regional range (`fr-FR`).
fn is_bare(range: &LanguageIdentifier) -> bool {
    range.script.is_none() && range.region.is_none() && range.variants().next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation() {
        assert_eq!(negotiate("ar"), Some(Locale::Ar));
        assert_eq!(negotiate("ar-MA,fr;q=0.5"), Some(Locale::Ar));
        assert_eq!(negotiate("fr;q=0.2, ar;q=0.9"), Some(Locale::Ar));
        assert_eq!(negotiate("de, en;q=0.1"), Some(Locale::En));
        assert_eq!(negotiate("de"), None);
        assert_eq!(negotiate("*"), None);
        assert_eq!(negotiate("ar;q=0"), None);
        assert_eq!(negotiate("!!!;;"), None);
        assert_eq!(negotiate("en-US,en;q=0.9"), Some(Locale::En));
        assert_eq!(negotiate("FR"), Some(Locale::Fr));
        assert_eq!(negotiate(""), None);
        // Ties keep header order.
        assert_eq!(negotiate("en, fr"), Some(Locale::En));
        assert_eq!(negotiate("fr;q=0.5, ar;q=0.500"), Some(Locale::Fr));
        // Weights, exclusions, wildcards.
        assert_eq!(negotiate("fr-FR;q=0.8, en;q=0.9"), Some(Locale::En));
        assert_eq!(negotiate("ar;q=0, fr"), Some(Locale::Fr));
        assert_eq!(negotiate("ar-MA, ar;q=0, en;q=0.1"), Some(Locale::En));
        assert_eq!(negotiate("*, fr;q=0.1"), Some(Locale::Fr));
        assert_eq!(negotiate("zh-Hant-TW, ar-Arab-MA;q=0.7"), Some(Locale::Ar));
        assert_eq!(negotiate(" fr ; Q=0.7 , ar ; q=1"), Some(Locale::Ar));
        // Malformed entries are skipped.
        assert_eq!(negotiate("ar;q=2, fr;q=0.3"), Some(Locale::Fr));
        assert_eq!(negotiate("ar;q=0.1234, en;q=0.01"), Some(Locale::En));
        assert_eq!(negotiate("ar;q=, en;q=abc"), None);
        assert_eq!(negotiate("ar;level=1"), None);
        assert_eq!(negotiate("français, ar-"), None);
        assert_eq!(negotiate(",,;q=1,fr"), Some(Locale::Fr));
        assert_eq!(negotiate("ar;q=1.000"), Some(Locale::Ar));
        assert_eq!(negotiate("ar;q=1.001"), None);
    }
}
