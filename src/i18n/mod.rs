//! Localized strings (French, Arabic, English): the supported languages here,
//! `Accept-Language` negotiation (`negotiate`), Fluent messages (`messages`) and
//! the widget string tables (`widget`).
//!
//! The `.ftl` sources live in `locales/` and are compiled in. Each locale has one
//! thread-safe Fluent bundle, built on first use. Bidi isolation stays on, so every
//! placeable is wrapped in U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL
//! ISOLATE: a Latin name or a date inside an Arabic sentence keeps its own order.
//!
//! Plural selection: variants are tried in source order, so an exact number variant
//! such as `[0]` listed before `[zero]` wins for 0 (the Arabic files list `[0]`
//! first; `[zero]` is still written out for widgets using `Intl.PluralRules`).

mod messages;
mod negotiate;
mod widget;

#[cfg(test)]
mod tests;

pub use messages::{check, has_message, message, Arg};
pub use negotiate::negotiate;
pub use widget::widget_strings;

use std::fmt;

use unic_langid::{langid, LanguageIdentifier};

const FR_FTL: &str = include_str!("locales/fr.ftl");
const AR_FTL: &str = include_str!("locales/ar.ftl");
const EN_FTL: &str = include_str!("locales/en.ftl");

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    Fr,
    Ar,
    En,
}

impl Locale {
    /// Every supported locale, French (the default) first.
    pub const ALL: [Locale; 3] = [Locale::Fr, Locale::Ar, Locale::En];

    /// The language code: `"fr"`, `"ar"` or `"en"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::Fr => "fr",
            Locale::Ar => "ar",
            Locale::En => "en",
        }
    }

    /// Parses an exact language code (`fr`, `ar`, `en`, ASCII case-insensitive).
    /// Regional tags such as `fr-FR` are refused here; see [`negotiate`].
    pub fn parse(s: &str) -> Option<Locale> {
        Locale::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
    }

    /// The text direction: `"rtl"` for Arabic, `"ltr"` otherwise.
    pub fn dir(self) -> &'static str {
        match self {
            Locale::Ar => "rtl",
            Locale::Fr | Locale::En => "ltr",
        }
    }

    pub(crate) fn source(self) -> &'static str {
        match self {
            Locale::Fr => FR_FTL,
            Locale::Ar => AR_FTL,
            Locale::En => EN_FTL,
        }
    }

    pub(crate) fn langid(self) -> LanguageIdentifier {
        match self {
            Locale::Fr => langid!("fr"),
            Locale::Ar => langid!("ar"),
            Locale::En => langid!("en"),
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
