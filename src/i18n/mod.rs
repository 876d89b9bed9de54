//! Localized strings (French, Arabic, English): Fluent messages, `Accept-Language` negotiation and the widget string tables.
//!
//! The `.ftl` sources live in `locales/` and are compiled in. Each locale has one
//! thread-safe Fluent bundle, built on first use. Bidi isolation stays on, so every
//! placeable is wrapped in U+2068 FIRST STRONG ISOLATE … U+2069 POP DIRECTIONAL
//! ISOLATE: a Latin name or a date inside an Arabic sentence keeps its own order.
//!
//! Plural selection: variants are tried in source order, so an exact number variant
//! such as `[0]` listed before `[zero]` wins for 0 (the Arabic files list `[0]`
//! first; `[zero]` is still written out for widgets using `Intl.PluralRules`).

use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use fluent_syntax::ast;
use once_cell::sync::Lazy;
use serde_json::{Map, Value};
use unic_langid::{langid, LanguageIdentifier};

const FR_FTL: &str = include_str!("locales/fr.ftl");
const AR_FTL: &str = include_str!("locales/ar.ftl");
const EN_FTL: &str = include_str!("locales/en.ftl");

/// The CLDR plural categories, in their canonical order.
const PLURAL_CATEGORIES: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    fn source(self) -> &'static str {
        match self {
            Locale::Fr => FR_FTL,
            Locale::Ar => AR_FTL,
            Locale::En => EN_FTL,
        }
    }

    fn langid(self) -> LanguageIdentifier {
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

// ---------------------------------------------------------------------------
// Accept-Language negotiation
// ---------------------------------------------------------------------------

/// `Accept-Language` negotiation with q-values (RFC 9110 §12.5.4).
///
/// Picks the supported language with the highest weight. Regional ranges
/// (`fr-FR`, `ar-MA`, `en-US`) match by their primary subtag. `*` names no
/// language explicitly and is ignored, so the caller falls back to its own
/// default. `q=0` means "not acceptable": a bare `fr;q=0` excludes French even
/// when `fr-FR` is listed too. Malformed entries are skipped; among equal
/// weights the first in header order wins. `None` when nothing supported is
/// named.
pub fn negotiate(accept_language: &str) -> Option<Locale> {
    let entries: Vec<(Locale, u16, bool)> = accept_language
        .split(',')
        .filter_map(parse_language_entry)
        .filter_map(|(range, q)| {
            let primary = range.split('-').next().unwrap_or(range);
            let bare = !range.contains('-');
            Locale::parse(primary).map(|l| (l, q, bare))
        })
        .collect();

    let excluded = |l: Locale| entries.iter().any(|&(e, q, bare)| e == l && bare && q == 0);

    let mut best: Option<(Locale, u16)> = None;
    for &(locale, q, _) in &entries {
        if q == 0 || excluded(locale) {
            continue;
        }
        match best {
            // Ties keep header order: only a strictly higher weight replaces.
            Some((_, best_q)) if q <= best_q => {}
            _ => best = Some((locale, q)),
        }
    }
    best.map(|(l, _)| l)
}

/// One `language-range [ weight ]` element; the weight is in thousandths.
fn parse_language_entry(entry: &str) -> Option<(&str, u16)> {
    let mut parts = entry.split(';');
    let range = parts.next()?.trim();
    if !is_language_range(range) {
        return None;
    }
    let mut q = 1000;
    let mut seen_q = false;
    for param in parts {
        let param = param.trim();
        let (name, value) = param.split_once('=')?;
        if !name.eq_ignore_ascii_case("q") || seen_q {
            return None;
        }
        seen_q = true;
        q = parse_qvalue(value)?;
    }
    Some((range, q))
}

/// `language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*"` (RFC 4647).
fn is_language_range(range: &str) -> bool {
    if range == "*" {
        return true;
    }
    let mut subtags = range.split('-');
    let primary_ok = subtags
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    primary_ok
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )`, in thousandths.
fn parse_qvalue(value: &str) -> Option<u16> {
    let (int, frac) = match value.split_once('.') {
        Some((i, f)) => (i, f),
        None => (value, ""),
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = 0;
    for (i, b) in frac.bytes().enumerate() {
        thousandths += u16::from(b - b'0') * [100, 10, 1][i];
    }
    match int {
        "0" => Some(thousandths),
        "1" if thousandths == 0 => Some(1000),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Message formatting
// ---------------------------------------------------------------------------

/// A Fluent argument value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg<'a> {
    Str(&'a str),
    Num(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(s)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Str(s)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Num(n)
    }
}

impl From<i32> for Arg<'_> {
    fn from(n: i32) -> Self {
        Arg::Num(n.into())
    }
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Num(n.into())
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Num(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

struct Loaded {
    bundle: FluentBundle<FluentResource>,
    errors: Vec<String>,
}

static FR: Lazy<Loaded> = Lazy::new(|| load(Locale::Fr));
static AR: Lazy<Loaded> = Lazy::new(|| load(Locale::Ar));
static EN: Lazy<Loaded> = Lazy::new(|| load(Locale::En));

fn loaded(locale: Locale) -> &'static Loaded {
    match locale {
        Locale::Fr => &FR,
        Locale::Ar => &AR,
        Locale::En => &EN,
    }
}

fn load(locale: Locale) -> Loaded {
    let mut errors = Vec::new();
    let resource = match FluentResource::try_new(locale.source().to_owned()) {
        Ok(resource) => resource,
        Err((resource, parse_errors)) => {
            errors.extend(parse_errors.iter().map(|e| format!("{e} at {:?}", e.pos)));
            resource
        }
    };
    let mut bundle = FluentBundle::new_concurrent(vec![locale.langid()]);
    if let Err(add_errors) = bundle.add_resource(resource) {
        errors.extend(add_errors.iter().map(ToString::to_string));
    }
    for e in &errors {
        eprintln!("i18n: error in {}.ftl: {e}", locale.as_str());
    }
    Loaded { bundle, errors }
}

/// Loads every bundle and reports any error found in the `.ftl` sources
/// (meant for a startup check; the bundles keep whatever parsed).
pub fn check() -> Result<(), Vec<String>> {
    let errors: Vec<String> = Locale::ALL
        .into_iter()
        .flat_map(|l| {
            loaded(l)
                .errors
                .iter()
                .map(move |e| format!("{}.ftl: {e}", l.as_str()))
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn fluent_args<'a>(args: &[(&'a str, Arg<'a>)]) -> FluentArgs<'a> {
    let mut fargs = FluentArgs::with_capacity(args.len());
    for &(name, value) in args {
        let value: FluentValue<'a> = match value {
            Arg::Str(s) => FluentValue::from(s),
            Arg::Num(n) => FluentValue::from(n),
        };
        fargs.set(name, value);
    }
    fargs
}

/// Formats `key` in exactly `locale`; `None` when the message (or its value) is missing.
fn format_in(
    locale: Locale,
    key: &str,
    args: &[(&str, Arg<'_>)],
) -> Option<(String, Vec<FluentError>)> {
    let bundle = &loaded(locale).bundle;
    let pattern = bundle.get_message(key)?.value()?;
    let fargs = fluent_args(args);
    let mut errors = Vec::new();
    let text = bundle
        .format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned();
    Some((text, errors))
}

/// The message `key` in `locale` formatted with `args`; falls back to French,
/// then to the key itself. Never panics. A missing argument shows as `{$name}`.
pub fn message(locale: Locale, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    format_in(locale, key, args)
        .or_else(|| format_in(Locale::Fr, key, args))
        .map_or_else(|| key.to_owned(), |(text, _)| text)
}

/// Whether the key exists (in French; every language has the same keys).
pub fn has_message(key: &str) -> bool {
    loaded(Locale::Fr).bundle.has_message(key)
}

// ---------------------------------------------------------------------------
// Widget strings
// ---------------------------------------------------------------------------

static WIDGET_FR: Lazy<Map<String, Value>> = Lazy::new(|| build_widget_strings(FR_FTL));
static WIDGET_AR: Lazy<Map<String, Value>> = Lazy::new(|| build_widget_strings(AR_FTL));
static WIDGET_EN: Lazy<Map<String, Value>> = Lazy::new(|| build_widget_strings(EN_FTL));

/// The strings a widget needs (`GET /api/v1/i18n/{locale}`): every message of
/// the locale's file, key → value.
///
/// A simple message maps to its pattern text with placeables kept as written
/// (`"{ $count } commentaires"`). A message whose whole value is a select on a
/// number (`{ $count -> [0] … [one] … *[other] … }`) maps to an object keyed by
/// the variant keys: exact numbers as `"=0"`, `"=1"`…, plural categories as
/// `"zero"`, `"one"`, `"two"`, `"few"`, `"many"`, `"other"`.
pub fn widget_strings(locale: Locale) -> Map<String, Value> {
    let map: &Map<String, Value> = match locale {
        Locale::Fr => &WIDGET_FR,
        Locale::Ar => &WIDGET_AR,
        Locale::En => &WIDGET_EN,
    };
    map.clone()
}

fn parse_ftl(source: &str) -> ast::Resource<&str> {
    match fluent_syntax::parser::parse(source) {
        Ok(resource) => resource,
        Err((resource, _)) => resource,
    }
}

fn build_widget_strings(source: &str) -> Map<String, Value> {
    let mut map = Map::new();
    for entry in parse_ftl(source).body {
        if let ast::Entry::Message(msg) = entry {
            if let Some(value) = &msg.value {
                map.insert(msg.id.name.to_owned(), pattern_to_json(value));
            }
        }
    }
    map
}

fn pattern_to_json(pattern: &ast::Pattern<&str>) -> Value {
    match plural_variants(pattern) {
        Some(object) => Value::Object(object),
        None => Value::String(pattern_text(pattern)),
    }
}

/// The variants of a pattern that is exactly one select on a number, keyed for widgets.
fn plural_variants(pattern: &ast::Pattern<&str>) -> Option<Map<String, Value>> {
    let [ast::PatternElement::Placeable {
        expression: ast::Expression::Select { selector, variants },
    }] = pattern.elements.as_slice()
    else {
        return None;
    };
    let numeric_selector = match selector {
        ast::InlineExpression::VariableReference { .. } => true,
        ast::InlineExpression::FunctionReference { id, .. } => id.name == "NUMBER",
        _ => false,
    };
    if !numeric_selector {
        return None;
    }
    let mut object = Map::new();
    for variant in variants {
        let key = match &variant.key {
            ast::VariantKey::NumberLiteral { value } => format!("={value}"),
            ast::VariantKey::Identifier { name } if PLURAL_CATEGORIES.contains(name) => {
                (*name).to_owned()
            }
            ast::VariantKey::Identifier { .. } => return None,
        };
        object.insert(key, Value::String(pattern_text(&variant.value)));
    }
    Some(object)
}

/// Writes a pattern back as Fluent source text (placeables as `{ … }`).
fn pattern_text(pattern: &ast::Pattern<&str>) -> String {
    let mut out = String::new();
    write_pattern(&mut out, pattern);
    out
}

fn write_pattern(out: &mut String, pattern: &ast::Pattern<&str>) {
    for element in &pattern.elements {
        match element {
            ast::PatternElement::TextElement { value } => out.push_str(value),
            ast::PatternElement::Placeable { expression } => {
                out.push_str("{ ");
                write_expression(out, expression);
                out.push_str(" }");
            }
        }
    }
}

fn write_expression(out: &mut String, expression: &ast::Expression<&str>) {
    match expression {
        ast::Expression::Inline(inline) => write_inline(out, inline),
        ast::Expression::Select { selector, variants } => {
            write_inline(out, selector);
            out.push_str(" ->");
            for variant in variants {
                out.push(' ');
                if variant.default {
                    out.push('*');
                }
                out.push('[');
                match &variant.key {
                    ast::VariantKey::Identifier { name } => out.push_str(name),
                    ast::VariantKey::NumberLiteral { value } => out.push_str(value),
                }
                out.push_str("] ");
                write_pattern(out, &variant.value);
            }
        }
    }
}

fn write_inline(out: &mut String, inline: &ast::InlineExpression<&str>) {
    match inline {
        ast::InlineExpression::StringLiteral { value } => {
            out.push('"');
            out.push_str(value);
            out.push('"');
        }
        ast::InlineExpression::NumberLiteral { value } => out.push_str(value),
        ast::InlineExpression::FunctionReference { id, arguments } => {
            out.push_str(id.name);
            write_call_arguments(out, arguments);
        }
        ast::InlineExpression::MessageReference { id, attribute } => {
            out.push_str(id.name);
            if let Some(attribute) = attribute {
                out.push('.');
                out.push_str(attribute.name);
            }
        }
        ast::InlineExpression::TermReference {
            id,
            attribute,
            arguments,
        } => {
            out.push('-');
            out.push_str(id.name);
            if let Some(attribute) = attribute {
                out.push('.');
                out.push_str(attribute.name);
            }
            if let Some(arguments) = arguments {
                write_call_arguments(out, arguments);
            }
        }
        ast::InlineExpression::VariableReference { id } => {
            out.push('$');
            out.push_str(id.name);
        }
        ast::InlineExpression::Placeable { expression } => {
            out.push_str("{ ");
            write_expression(out, expression);
            out.push_str(" }");
        }
    }
}

fn write_call_arguments(out: &mut String, arguments: &ast::CallArguments<&str>) {
    out.push('(');
    let mut first = true;
    for positional in &arguments.positional {
        if !first {
            out.push_str(", ");
        }
        first = false;
        write_inline(out, positional);
    }
    for named in &arguments.named {
        if !first {
            out.push_str(", ");
        }
        first = false;
        out.push_str(named.name.name);
        out.push_str(": ");
        write_inline(out, &named.value);
    }
    out.push(')');
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn strip_isolation(s: &str) -> String {
        s.replace(['\u{2068}', '\u{2069}'], "")
    }

    fn message_ids(source: &str) -> BTreeSet<String> {
        parse_ftl(source)
            .body
            .iter()
            .filter_map(|entry| match entry {
                ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    fn count(locale: Locale, key: &str, n: i64) -> String {
        strip_isolation(&message(locale, key, &[("count", Arg::Num(n))]))
    }

    #[test]
    fn every_file_parses_without_errors() {
        for locale in Locale::ALL {
            if let Err((_, errors)) = fluent_syntax::parser::parse(locale.source()) {
                panic!("{}.ftl does not parse: {errors:?}", locale.as_str());
            }
            assert!(
                loaded(locale).errors.is_empty(),
                "{}.ftl: {:?}",
                locale.as_str(),
                loaded(locale).errors
            );
        }
        assert_eq!(check(), Ok(()));
    }

    #[test]
    fn all_languages_have_the_same_keys() {
        let fr = message_ids(FR_FTL);
        assert!(fr.len() > 50, "French file looks truncated");
        for locale in [Locale::Ar, Locale::En] {
            let other = message_ids(locale.source());
            let missing: Vec<_> = fr.difference(&other).collect();
            let extra: Vec<_> = other.difference(&fr).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{}.ftl: missing {missing:?}, not in fr.ftl {extra:?}",
                locale.as_str()
            );
        }
    }

    #[test]
    fn required_keys_exist() {
        let required = [
            "error-malformed-json",
            "error-invalid-cursor",
            "error-unauthenticated",
            "error-invalid-credentials",
            "error-forbidden",
            "error-banned",
            "error-banned-permanent",
            "error-article-closed",
            "error-edit-window-passed",
            "error-not-found",
            "error-method-not-allowed",
            "error-username-taken",
            "error-email-taken",
            "error-already-reported",
            "error-conflict",
            "error-last-admin",
            "error-article-exists",
            "error-word-exists",
            "error-payload-too-large",
            "error-unsupported-media-type",
            "error-validation-failed",
            "error-rate-limited",
            "error-internal",
            "error-unavailable",
            "error-cannot-restore-author-deletion",
            "validation-required",
            "validation-unknown-field",
            "validation-invalid-type",
            "validation-too-short",
            "validation-too-long",
            "validation-out-of-range",
            "validation-invalid-format",
            "validation-username-chars",
            "validation-username-mixed-script",
            "validation-email",
            "validation-forbidden-chars",
            "validation-body-empty",
            "validation-too-deep",
            "validation-invalid-choice",
            "validation-in-past",
            "validation-too-many",
            "validation-password-too-short",
            "validation-password-too-long",
            "validation-invalid-key",
            "validation-invalid-parent",
            "comments-title",
            "comment-post",
            "comment-count",
            "comments-empty",
            "comments-notice",
            "comment-reply",
            "comment-edit",
            "comment-delete",
            "comment-report",
            "comment-cancel",
            "comment-save",
            "comment-placeholder",
            "comment-pending-notice",
            "comment-rejected-notice",
            "comment-deleted",
            "comment-edited",
            "comment-load-more",
            "sort-oldest",
            "sort-newest",
            "auth-sign-in",
            "auth-sign-out",
            "auth-register",
            "auth-username",
            "auth-email",
            "auth-password",
            "auth-display-name",
            "auth-sign-in-to-comment",
            "report-title",
            "report-reason-abusive",
            "report-reason-off-topic",
            "report-reason-spam",
            "report-reason-other",
            "report-note",
            "report-sent",
            "article-closed-notice",
            "reply-count",
            "time-just-now",
            "time-minutes-ago",
            "time-hours-ago",
            "time-days-ago",
            "banned-notice-until",
            "banned-notice-permanent",
            "character-count",
        ];
        for locale in Locale::ALL {
            for key in required {
                assert!(
                    loaded(locale).bundle.has_message(key),
                    "{key} missing in {locale}"
                );
            }
        }
        assert!(has_message("comment-count"));
        assert!(!has_message("no-such-key"));
    }

    #[test]
    fn every_message_formats_without_errors() {
        for locale in Locale::ALL {
            for key in message_ids(locale.source()) {
                for n in [0, 1, 2, 3, 11, 100, 1_000_001] {
                    let args = [
                        ("count", Arg::Num(n)),
                        ("seconds", Arg::Num(n)),
                        ("min", Arg::Num(n)),
                        ("max", Arg::Num(n + 10)),
                        ("until", Arg::Str("2026-11-29T08:30:00Z")),
                        ("choices", Arg::Str("abusive, off_topic, spam, other")),
                        ("name", Arg::Str("Nadia")),
                        ("date", Arg::Str("2026-11-29")),
                        ("entry", Arg::Str("connard")),
                        ("matched", Arg::Str("c|onnard")),
                    ];
                    let (text, errors) = format_in(locale, &key, &args)
                        .unwrap_or_else(|| panic!("{key} has no value in {locale}"));
                    assert!(errors.is_empty(), "{locale} {key}: {errors:?}");
                    assert!(!text.trim().is_empty(), "{locale} {key} is empty");
                    assert!(!text.contains(['{', '}']), "{locale} {key}: {text}");
                }
            }
        }
    }

    #[test]
    fn plural_selects_cover_each_language_categories() {
        for locale in Locale::ALL {
            let needed: &[&str] = match locale {
                Locale::Ar => &PLURAL_CATEGORIES,
                Locale::Fr | Locale::En => &["one", "other"],
            };
            let mut selects = 0;
            for (key, value) in widget_strings(locale) {
                if let Value::Object(forms) = value {
                    selects += 1;
                    for category in needed {
                        assert!(forms.contains_key(*category), "{locale} {key}: {category}");
                    }
                }
            }
            assert!(selects >= 12, "{locale}: only {selects} plural selects");
        }
    }

    #[test]
    fn arabic_comment_count_has_six_forms() {
        let strings = widget_strings(Locale::Ar);
        let forms = strings["comment-count"].as_object().expect("an object");
        let keys: BTreeSet<&str> = forms.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from(["=0", "zero", "one", "two", "few", "many", "other"])
        );
        assert_eq!(forms["=0"], "لا توجد تعليقات");
        assert_eq!(forms["one"], "تعليق واحد");
        assert_eq!(forms["two"], "تعليقان");
        assert_eq!(forms["few"], "{ $count } تعليقات");
        assert_eq!(forms["many"], "{ $count } تعليقًا");
        assert_eq!(forms["other"], "{ $count } تعليق");

        // 0 is CLDR "zero" in Arabic, but the exact `[0]` variant comes first and wins.
        assert_eq!(count(Locale::Ar, "comment-count", 0), "لا توجد تعليقات");
        assert_eq!(count(Locale::Ar, "comment-count", 1), "تعليق واحد");
        assert_eq!(count(Locale::Ar, "comment-count", 2), "تعليقان");
        assert_eq!(count(Locale::Ar, "comment-count", 3), "3 تعليقات");
        assert_eq!(count(Locale::Ar, "comment-count", 11), "11 تعليقًا");
        assert_eq!(count(Locale::Ar, "comment-count", 100), "100 تعليق");
        // Where there is no `[0]`, 0 takes the `[zero]` form.
        assert_eq!(count(Locale::Ar, "time-days-ago", 0), "اليوم");
        assert_eq!(count(Locale::Ar, "time-days-ago", 5), "منذ 5 أيام");
        assert_eq!(count(Locale::Ar, "time-days-ago", 25), "منذ 25 يومًا");
    }

    #[test]
    fn french_and_english_plurals() {
        assert_eq!(count(Locale::Fr, "comment-count", 0), "Pas de commentaires");
        assert_eq!(count(Locale::Fr, "comment-count", 1), "1 commentaire");
        assert_eq!(count(Locale::Fr, "comment-count", 2), "2 commentaires");
        assert_eq!(count(Locale::Fr, "reply-count", 0), "Aucune réponse");
        assert_eq!(count(Locale::En, "comment-count", 0), "No comments");
        assert_eq!(count(Locale::En, "comment-count", 1), "1 comment");
        assert_eq!(count(Locale::En, "comment-count", 7), "7 comments");
        let wait = message(Locale::Fr, "error-rate-limited", &[("seconds", 30.into())]);
        assert_eq!(
            strip_isolation(&wait),
            "Trop de requêtes. Réessayez dans 30 secondes."
        );
    }

    #[test]
    fn placeables_are_bidi_isolated() {
        let text = message(
            Locale::Ar,
            "error-banned",
            &[("until", Arg::Str("2026-11-29T08:30:00Z"))],
        );
        assert_eq!(
            text,
            "حسابك موقوف حتى \u{2068}2026-11-29T08:30:00Z\u{2069}."
        );
    }

    #[test]
    fn message_falls_back() {
        assert_eq!(message(Locale::Ar, "no-such-key", &[]), "no-such-key");
        assert_eq!(message(Locale::En, "", &[]), "");
        assert_eq!(
            message(Locale::Fr, "validation-body-empty", &[]),
            "Le commentaire ne peut pas être vide."
        );
        // A missing argument never panics.
        let text = message(Locale::Fr, "error-banned", &[]);
        assert!(text.starts_with("Votre compte est suspendu"), "{text}");
        // Wrong argument types never panic either.
        let text = message(Locale::Ar, "comment-count", &[("count", Arg::Str("x"))]);
        assert!(!text.is_empty());
    }

    #[test]
    fn locale_basics() {
        assert_eq!(Locale::parse("fr"), Some(Locale::Fr));
        assert_eq!(Locale::parse("AR"), Some(Locale::Ar));
        assert_eq!(Locale::parse("En"), Some(Locale::En));
        assert_eq!(Locale::parse("fr-FR"), None);
        assert_eq!(Locale::parse(""), None);
        assert_eq!(Locale::parse("de"), None);
        for locale in Locale::ALL {
            assert_eq!(Locale::parse(locale.as_str()), Some(locale));
            assert_eq!(locale.to_string(), locale.as_str());
        }
        assert_eq!(Locale::Ar.dir(), "rtl");
        assert_eq!(Locale::Fr.dir(), "ltr");
        assert_eq!(Locale::En.dir(), "ltr");
    }

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

    #[test]
    fn widget_strings_hold_the_seed_strings() {
        let fr = widget_strings(Locale::Fr);
        let ar = widget_strings(Locale::Ar);
        let en = widget_strings(Locale::En);
        assert_eq!(fr["comments-title"], "Commentaires");
        assert_eq!(ar["comments-title"], "تعليقات");
        assert_eq!(en["comments-title"], "Comments");
        assert_eq!(fr["comment-post"], "Poster commentaire");
        assert_eq!(ar["comment-post"], "أضف تعليقا");
        assert_eq!(en["comment-post"], "Post comment");
        assert_eq!(fr["comments-empty"], "Pas de commentaires");
        assert_eq!(ar["comments-empty"], "لا توجد تعليقات");
        assert_eq!(en["comments-empty"], "No comments yet");
        assert_eq!(
            fr["comments-notice"],
            "Tout commentaire injurieux et sans rapport avec l'article sera supprimé."
        );
        assert_eq!(
            ar["comments-notice"],
            "أي تعليق مسيء خارجا عن حدود الأخلاق ولا علاقة له بالمقال سيتم حذفه"
        );
        assert_eq!(
            fr["comment-count"],
            serde_json::json!({
                "=0": "Pas de commentaires",
                "one": "{ $count } commentaire",
                "other": "{ $count } commentaires"
            })
        );
        assert_eq!(
            en["comment-count"],
            serde_json::json!({
                "=0": "No comments",
                "one": "{ $count } comment",
                "other": "{ $count } comments"
            })
        );
        assert_eq!(
            fr["error-banned"],
            "Votre compte est suspendu jusqu'au { $until }."
        );
        assert_eq!(fr["character-count"], "{ $count } / { $max }");
        assert_eq!(
            fr["error-rate-limited"]["other"],
            "Trop de requêtes. Réessayez dans { $seconds } secondes."
        );
        // Every message of the file is there.
        for locale in Locale::ALL {
            let ids = message_ids(locale.source());
            let strings = widget_strings(locale);
            assert_eq!(strings.len(), ids.len());
            assert!(ids.iter().all(|id| strings.contains_key(id)));
        }
    }

    #[test]
    fn pattern_serializer_round_trips_expressions() {
        let source = "a = x { -brand(case: \"gen\") } { msg.attr } { NUMBER($n, style: \"percent\") } { 5 } { \"{\" }\n\
                      b = { $who ->\n    [male] he\n   *[other] they\n}\n";
        let strings = build_widget_strings(source);
        assert_eq!(
            strings["a"],
            "x { -brand(case: \"gen\") } { msg.attr } { NUMBER($n, style: \"percent\") } { 5 } { \"{\" }"
        );
        // A select on a non-plural key stays text.
        assert_eq!(strings["b"], "{ $who -> [male] he *[other] they }");
    }

    #[test]
    fn bundles_are_thread_safe() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<FluentBundle<FluentResource>>();
        let handles: Vec<_> = (0..4)
            .map(|i| std::thread::spawn(move || count(Locale::Ar, "comment-count", i)))
            .collect();
        for handle in handles {
            assert!(!handle.join().expect("no panic").is_empty());
        }
    }
}
