//! Field types: each carries its limits once. `parse` turns what a client
//! sent into the stored form (NFC, trimmed) or the problem to show; `schema`
//! describes the same limits in the OpenAPI document, so the two cannot
//! drift. Past the edge, code takes these types, not loose strings.

use super::problem::FieldError;
use crate::text;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{Object, ObjectBuilder, SchemaType, Type};
use validator::ValidateEmail;

/// Characters no name or title may hold: controls, bidi controls, separators.
const NAME_CHARS: &str =
    r"\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069";

/// `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`
pub const ARTICLE_KEY_PATTERN: &str = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$";

/// A body must keep one visible character once controls are removed.
const BODY_PATTERN: &str = r"[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]";

/// Opaque cursors are base64url.
pub const CURSOR_PATTERN: &str = r"^[A-Za-z0-9_-]+$";

fn string_schema(nullable: bool) -> ObjectBuilder {
    let kind = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new().schema_type(kind)
}

fn name_pattern() -> String {
    format!("^[^{NAME_CHARS}]*[^\\s{NAME_CHARS}][^{NAME_CHARS}]*$")
}

fn length(field: &str, value: &str, min: usize, max: usize) -> Result<(), FieldError> {
    let n = value.chars().count();
    if n < min {
        Err(FieldError::too_short(field, min))
    } else if n > max {
        Err(FieldError::too_long(field, max))
    } else {
        Ok(())
    }
}

/// A string newtype: read access, conversion back, and its schema both
/// required and nullable (for optional fields of a PATCH).
macro_rules! text_field {
    ($(#[$m:meta])* $name:ident, |$nullable:ident| $schema:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }

            pub fn schema() -> Object {
                let $nullable = false;
                $schema.build()
            }

            pub fn optional_schema() -> Object {
                let $nullable = true;
                $schema.build()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

text_field!(
    /// 3–32 letters of one script, ASCII digits, `_ - .`; unique by
    /// confusable skeleton (checked by the store).
    Username,
    |nullable| string_schema(nullable).min_length(Some(3)).max_length(Some(32))
);

impl Username {
    pub fn parse(raw: &str) -> Result<Username, FieldError> {
        let name = text::normalize_line(raw);
        if text::has_forbidden_name_chars(&name) {
            return Err(FieldError::new("username", "validation-forbidden-chars"));
        }
        // `deleted-<id>` names erased accounts.
        if name.to_lowercase().starts_with("deleted-") {
            return Err(FieldError::new("username", "validation-username-chars"));
        }
        match text::check_username(&name) {
            Ok(()) => Ok(Username(name)),
            Err(text::UsernameProblem::Length) => {
                length("username", &name, 3, 32).map(|_| Username(name))
            }
            Err(text::UsernameProblem::Characters) => {
                Err(FieldError::new("username", "validation-username-chars"))
            }
            Err(text::UsernameProblem::MixedScript) => Err(FieldError::new(
                "username",
                "validation-username-mixed-script",
            )),
        }
    }
}

text_field!(
    /// Lower-cased, at most 254 characters, as the validator crate accepts it.
    Email,
    |nullable| string_schema(nullable)
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Email
        )))
        .max_length(Some(254))
);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, FieldError> {
        let email = raw.trim().to_lowercase();
        if email.chars().count() > 254 || !email.validate_email() {
            return Err(FieldError::new("email", "validation-email"));
        }
        Ok(Email(email))
    }
}

/// A new password: 10–128 characters, checked before any hashing so that
/// huge inputs cost nothing. Never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(field: &str, raw: String) -> Result<Password, FieldError> {
        let n = raw.chars().count();
        if n < 10 {
            Err(FieldError::new(field, "validation-password-too-short")
                .with("min", super::problem::MsgArg::Num(10)))
        } else if n > 128 {
            Err(FieldError::new(field, "validation-password-too-long")
                .with("max", super::problem::MsgArg::Num(128)))
        } else {
            Ok(Password(raw))
        }
    }

    pub fn into_string(self) -> String {
        self.0
    }

    pub fn schema() -> Object {
        string_schema(false)
            .min_length(Some(10))
            .max_length(Some(128))
            .build()
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

text_field!(
    /// 1–64 characters with no control or bidi-control character.
    DisplayName,
    |nullable| string_schema(nullable)
        .min_length(Some(1))
        .max_length(Some(64))
        .pattern(Some(name_pattern()))
);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<DisplayName, FieldError> {
        let name = line("display_name", raw, 64)?;
        if text::has_name_blanks(&name) {
            return Err(FieldError::new(
                "display_name",
                "validation-forbidden-chars",
            ));
        }
        if text::is_invisible_name(&name) {
            return Err(FieldError::new("display_name", "validation-name-invisible"));
        }
        Ok(DisplayName(name))
    }

    /// An account's name when it gave none: its username, always valid here.
    pub fn from_username(name: &Username) -> DisplayName {
        DisplayName(name.as_str().to_string())
    }
}

/// A one-line text of 1 to `max` characters with no forbidden character.
fn line(field: &str, raw: &str, max: usize) -> Result<String, FieldError> {
    let value = text::normalize_line(raw);
    if text::has_forbidden_name_chars(&value) {
        return Err(FieldError::new(field, "validation-forbidden-chars"));
    }
    length(field, &value, 1, max)?;
    Ok(value)
}

text_field!(
    /// An article's title: 1–300 characters, one line.
    Title,
    |nullable| string_schema(nullable)
        .min_length(Some(1))
        .max_length(Some(300))
        .pattern(Some(name_pattern()))
);

impl Title {
    pub fn parse(raw: &str) -> Result<Title, FieldError> {
        line("title", raw, 300).map(Title)
    }
}

text_field!(
    /// The newsroom's own identifier of an article, as given.
    ArticleKey,
    |nullable| string_schema(nullable).pattern(Some(ARTICLE_KEY_PATTERN))
);

impl ArticleKey {
    pub fn is_valid(key: &str) -> bool {
        let bytes = key.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= 128
            && bytes[0].is_ascii_alphanumeric()
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    }

    pub fn parse(raw: &str) -> Result<ArticleKey, FieldError> {
        if ArticleKey::is_valid(raw) {
            Ok(ArticleKey(raw.to_string()))
        } else {
            Err(FieldError::new("key", "validation-invalid-key"))
        }
    }
}

/// From a path segment: a malformed key names nothing, which the edge
/// answers as 404 like any unknown article.
impl<'de> Deserialize<'de> for ArticleKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<ArticleKey, D::Error> {
        let raw = String::deserialize(d)?;
        ArticleKey::parse(&raw).map_err(|_| serde::de::Error::custom("not an article key"))
    }
}

text_field!(
    /// An absolute http(s) URL of at most 2,048 characters.
    ArticleUrl,
    |nullable| string_schema(nullable)
        .description(Some("An absolute http(s) URL."))
        .format(Some(utoipa::openapi::SchemaFormat::Custom("uri".into())))
        .max_length(Some(2048))
);

impl ArticleUrl {
    pub fn parse(raw: &str) -> Result<ArticleUrl, FieldError> {
        let raw = raw.trim();
        let ok = raw.len() <= 2048
            && url::Url::parse(raw)
                .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
                .unwrap_or(false);
        if ok {
            Ok(ArticleUrl(raw.to_string()))
        } else {
            Err(FieldError::new("url", "validation-invalid-format"))
        }
    }

    /// Whether this URL is on one of `origins` (`scheme://host[:port]`, as
    /// a browser names an origin).
    pub fn is_on(&self, origins: &[String]) -> bool {
        is_on_origin(&self.0, origins)
    }
}

/// Whether `url` is on one of `origins`; scheme, host and port must match.
pub fn is_on_origin(url: &str, origins: &[String]) -> bool {
    let Ok(url) = url::Url::parse(url) else {
        return false;
    };
    let origin = url.origin();
    origin.is_tuple()
        && origins
            .iter()
            .any(|o| url::Url::parse(o).is_ok_and(|declared| declared.origin() == origin))
}

text_field!(
    /// A comment in stored form: 1 to the configured maximum of characters
    /// once normalized (NFC, controls removed, trimmed).
    CommentBody,
    |nullable| string_schema(nullable)
        .description(Some(BODY_LIMITS))
        .min_length(Some(1))
        .max_length(Some(5000))
        .pattern(Some(BODY_PATTERN))
);

const BODY_LIMITS: &str = "1 to 5,000 characters once normalized (NFC, controls removed, trimmed).";

impl CommentBody {
    pub fn parse(raw: &str, max: usize) -> Result<CommentBody, FieldError> {
        body("body", "validation-body-empty", raw, max).map(CommentBody)
    }
}

fn body(field: &str, empty: &'static str, raw: &str, max: usize) -> Result<String, FieldError> {
    let body = text::normalize_body(raw);
    if body.is_empty() {
        return Err(FieldError::new(field, empty));
    }
    if body.chars().count() > max {
        return Err(FieldError::too_long(field, max));
    }
    Ok(body)
}

text_field!(
    /// A text an admin tries against the word lists: bounded like a comment.
    SampleText,
    |nullable| string_schema(nullable)
        .description(Some(format!("The text to try, as a comment would be written: {BODY_LIMITS}")))
        .min_length(Some(1))
        .max_length(Some(5000))
        .pattern(Some(BODY_PATTERN))
);

impl SampleText {
    pub fn parse(raw: &str, max: usize) -> Result<SampleText, FieldError> {
        body("text", "validation-text-empty", raw, max).map(SampleText)
    }
}

text_field!(
    /// A free-text note of a moderator or a reporter (a reason, a report's
    /// note): normalized like a body, may be empty, which means none.
    Note,
    |nullable| string_schema(nullable)
);

impl Note {
    /// At most `max` characters; empty after normalizing means no note.
    pub fn parse(field: &str, raw: &str, max: usize) -> Result<Option<Note>, FieldError> {
        let text = text::normalize_body(raw);
        if text.chars().count() > max {
            return Err(FieldError::too_long(field, max));
        }
        Ok((!text.is_empty()).then_some(Note(text)))
    }

    pub fn schema_of(max: usize, nullable: bool) -> Object {
        string_schema(nullable).max_length(Some(max)).build()
    }

    /// A note that must be given: one visible character at least, since a
    /// text of spaces or controls is no text once normalized.
    pub fn required_schema_of(max: usize) -> Object {
        string_schema(false)
            .min_length(Some(1))
            .max_length(Some(max))
            .pattern(Some(BODY_PATTERN))
            .build()
    }
}

/// The schema of an opaque `next_cursor`: base64url, or null on the last page.
pub fn next_cursor_schema() -> Object {
    string_schema(true)
        .description(Some("`null` on the last page."))
        .pattern(Some(CURSOR_PATTERN))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_keys_follow_the_contract() {
        for good in ["a", "A1", "2026-11-29.article_3", &"k".repeat(128)] {
            assert!(ArticleKey::is_valid(good), "{good}");
        }
        for bad in ["", "-a", ".a", "a b", "é", "a/b", &"k".repeat(129)] {
            assert!(!ArticleKey::is_valid(bad), "{bad}");
            assert_eq!(ArticleKey::parse(bad).unwrap_err().field, "key");
        }
    }

    #[test]
    fn email_is_lowercased_and_checked() {
        assert_eq!(
            Email::parse(" Nadia@Example.COM ").unwrap().as_str(),
            "nadia@example.com"
        );
        assert!(Email::parse("not-an-email").is_err());
        assert!(Email::parse(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn password_bounds_and_no_echo() {
        assert!(Password::parse("password", "123456789".into()).is_err());
        let ok = Password::parse("password", "1234567890".into()).unwrap();
        assert!(!format!("{ok:?}").contains("1234"));
        assert_eq!(
            Password::parse("new_password", "x".repeat(129))
                .unwrap_err()
                .field,
            "new_password"
        );
    }

    #[test]
    fn comment_body_is_normalized_and_bounded() {
        assert_eq!(
            CommentBody::parse("  salut \r\n ", 10).unwrap().as_str(),
            "salut"
        );
        assert_eq!(
            CommentBody::parse(" \u{202E} ", 10).unwrap_err().key,
            "validation-body-empty"
        );
        assert_eq!(
            CommentBody::parse("abcdefghijk", 10).unwrap_err().key,
            "validation-too-long"
        );
        assert_eq!(SampleText::parse(" ", 10).unwrap_err().field, "text");
    }

    #[test]
    fn display_name_refuses_bidi_controls() {
        assert!(DisplayName::parse("Nadia\u{202E}").is_err());
        assert!(DisplayName::parse("Nadia\u{200F}").is_err());
        assert_eq!(DisplayName::parse("  نادية ").unwrap().as_str(), "نادية");
        assert!(DisplayName::parse("").is_err());
        assert!(DisplayName::parse("\u{200B}").is_err());
        assert!(DisplayName::parse("root_admin\u{200B}").is_err());
        assert!(DisplayName::parse("\u{3164}\u{3164}").is_err());
        assert!(DisplayName::parse("\u{301}").is_err());
        assert!(DisplayName::parse("👩\u{200D}💻 Nadia").is_ok());
    }

    #[test]
    fn urls_must_be_http() {
        assert!(ArticleUrl::parse("https://news.example/a").is_ok());
        assert!(ArticleUrl::parse("javascript:alert(1)").is_err());
        assert!(ArticleUrl::parse("ftp://x/y").is_err());
    }

    #[test]
    fn empty_note_is_none_and_long_note_is_refused() {
        assert_eq!(Note::parse("note", "  ", 10).unwrap(), None);
        assert_eq!(
            Note::parse("reason", "abcdefghijk", 10).unwrap_err().field,
            "reason"
        );
    }

    #[test]
    fn the_name_pattern_is_the_one_the_document_has_always_shown() {
        assert_eq!(
            name_pattern(),
            r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]*[^\s\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069][^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$"
        );
    }
}
