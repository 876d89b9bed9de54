//! The `.ftl` files, message formatting and the widget tables.

use super::messages::{format_in, loaded};
use super::widget::{build_widget_strings, parse_ftl, PLURAL_CATEGORIES};
use super::*;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::FluentResource;
use fluent_syntax::ast;
use serde_json::Value;
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
                    ("title", Arg::Str("Le budget 2027")),
                    ("category", Arg::Str("violence")),
                    (
                        "rule",
                        Arg::Str("Les commentaires injurieux sont supprimés."),
                    ),
                    ("law", Arg::Str("Loi du 29 juillet 1881")),
                    ("explanation", Arg::Str("Diffamation")),
                    ("facts", Arg::Str("hors sujet")),
                    ("reason", Arg::Str("revu")),
                    ("code", Arg::Str("oidc_failed")),
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
