//! Fluent messages: one thread-safe bundle per locale, built on first use,
//! formatted with a fallback to French, then to the key.

use super::Locale;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use std::sync::LazyLock;

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

pub(super) struct Loaded {
    pub(super) bundle: FluentBundle<FluentResource>,
    pub(super) errors: Vec<String>,
}

static FR: LazyLock<Loaded> = LazyLock::new(|| load(Locale::Fr));
static AR: LazyLock<Loaded> = LazyLock::new(|| load(Locale::Ar));
static EN: LazyLock<Loaded> = LazyLock::new(|| load(Locale::En));

pub(super) fn loaded(locale: Locale) -> &'static Loaded {
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
pub(super) fn format_in(
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
