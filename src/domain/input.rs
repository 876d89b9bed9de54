//! Validated inputs: parse at the edge, then trust. Each parser returns the
//! stored form (NFC, trimmed) or the field problem to show the caller.

use crate::error::{ApiError, FieldError, MsgArg};
use crate::text;
use validator::ValidateEmail;

/// Collects the problems of several fields so one 422 lists them all.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn new() -> Problems {
        Problems::default()
    }

    /// Keeps the value when valid, remembers the problem otherwise.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

fn too_short(field: &str, min: usize) -> FieldError {
    FieldError::new(field, "validation-too-short").with("min", MsgArg::Num(min as i64))
}

fn too_long(field: &str, max: usize) -> FieldError {
    FieldError::new(field, "validation-too-long").with("max", MsgArg::Num(max as i64))
}

fn length(field: &str, value: &str, min: usize, max: usize) -> Result<(), FieldError> {
    let n = value.chars().count();
    if n < min {
        Err(too_short(field, min))
    } else if n > max {
        Err(too_long(field, max))
    } else {
        Ok(())
    }
}

pub fn invalid_choice(field: &str, choices: String) -> FieldError {
    FieldError::new(field, "validation-invalid-choice").with("choices", MsgArg::Str(choices))
}

/// 3–32 letters of one script, ASCII digits, `_ - .`.
pub fn username(raw: &str) -> Result<String, FieldError> {
    let name = text::normalize_line(raw);
    if text::has_forbidden_name_chars(&name) {
        return Err(FieldError::new("username", "validation-forbidden-chars"));
    }
    // `deleted-<id>` names erased accounts.
    if name.to_lowercase().starts_with("deleted-") {
        return Err(FieldError::new("username", "validation-username-chars"));
    }
    match text::check_username(&name) {
        Ok(()) => Ok(name),
        Err(text::UsernameProblem::Length) => length("username", &name, 3, 32).map(|_| name),
        Err(text::UsernameProblem::Characters) => {
            Err(FieldError::new("username", "validation-username-chars"))
        }
        Err(text::UsernameProblem::MixedScript) => Err(FieldError::new(
            "username",
            "validation-username-mixed-script",
        )),
    }
}

/// Lower-cased, at most 254 characters, as the validator crate accepts it.
pub fn email(raw: &str) -> Result<String, FieldError> {
    let email = raw.trim().to_lowercase();
    if email.chars().count() > 254 || !email.validate_email() {
        return Err(FieldError::new("email", "validation-email"));
    }
    Ok(email)
}

/// 10–128 characters; checked before any hashing so huge inputs cost nothing.
pub fn password(field: &str, raw: &str) -> Result<(), FieldError> {
    let n = raw.chars().count();
    if n < 10 {
        Err(FieldError::new(field, "validation-password-too-short").with("min", MsgArg::Num(10)))
    } else if n > 128 {
        Err(FieldError::new(field, "validation-password-too-long").with("max", MsgArg::Num(128)))
    } else {
        Ok(())
    }
}

/// 1–64 characters with no control or bidi-override characters.
pub fn display_name(raw: &str) -> Result<String, FieldError> {
    let name = text::normalize_line(raw);
    if text::has_forbidden_name_chars(&name) {
        return Err(FieldError::new(
            "display_name",
            "validation-forbidden-chars",
        ));
    }
    length("display_name", &name, 1, 64)?;
    Ok(name)
}

pub fn locale(raw: &str) -> Result<crate::i18n::Locale, FieldError> {
    match raw {
        "fr" | "ar" | "en" => Ok(crate::i18n::Locale::parse(raw).expect("known locale")),
        _ => Err(invalid_choice("locale", "fr, ar, en".into())),
    }
}

/// `^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`
pub fn is_article_key(key: &str) -> bool {
    let bytes = key.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

pub fn article_key(raw: &str) -> Result<String, FieldError> {
    if is_article_key(raw) {
        Ok(raw.to_string())
    } else {
        Err(FieldError::new("key", "validation-invalid-key"))
    }
}

pub fn title(raw: &str) -> Result<String, FieldError> {
    let title = text::normalize_line(raw);
    if text::has_forbidden_name_chars(&title) {
        return Err(FieldError::new("title", "validation-forbidden-chars"));
    }
    length("title", &title, 1, 300)?;
    Ok(title)
}

/// An absolute http(s) URL of at most 2,048 characters.
pub fn article_url(raw: &str) -> Result<String, FieldError> {
    let raw = raw.trim();
    let ok = raw.len() <= 2048
        && url::Url::parse(raw)
            .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .unwrap_or(false);
    if ok {
        Ok(raw.to_string())
    } else {
        Err(FieldError::new("url", "validation-invalid-format"))
    }
}

/// A comment body in stored form: 1 to `max` characters after normalizing.
pub fn comment_body(raw: &str, max: usize) -> Result<String, FieldError> {
    let body = text::normalize_body(raw);
    if body.is_empty() {
        return Err(FieldError::new("body", "validation-body-empty"));
    }
    if body.chars().count() > max {
        return Err(too_long("body", max));
    }
    Ok(body)
}

/// A text an admin tries against the word lists: like a comment body.
pub fn filter_test_text(raw: &str, max: usize) -> Result<String, FieldError> {
    let text = text::normalize_body(raw);
    if text.is_empty() {
        return Err(FieldError::new("text", "validation-text-empty"));
    }
    if text.chars().count() > max {
        return Err(too_long("text", max));
    }
    Ok(text)
}

/// A moderator's or reporter's free-text note: at most `max` characters, may be empty.
pub fn note(field: &str, raw: &str, max: usize) -> Result<Option<String>, FieldError> {
    let text = text::normalize_body(raw);
    if text.chars().count() > max {
        return Err(too_long(field, max));
    }
    Ok((!text.is_empty()).then_some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_keys_follow_the_contract() {
        for good in ["a", "A1", "2026-11-29.article_3", &"k".repeat(128)] {
            assert!(is_article_key(good), "{good}");
        }
        for bad in ["", "-a", ".a", "a b", "é", "a/b", &"k".repeat(129)] {
            assert!(!is_article_key(bad), "{bad}");
        }
    }

    #[test]
    fn email_is_lowercased_and_checked() {
        assert_eq!(email(" Nadia@Example.COM ").unwrap(), "nadia@example.com");
        assert!(email("not-an-email").is_err());
        assert!(email(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn password_bounds() {
        assert!(password("password", "123456789").is_err());
        assert!(password("password", "1234567890").is_ok());
        assert!(password("password", &"x".repeat(129)).is_err());
    }

    #[test]
    fn comment_body_is_normalized_and_bounded() {
        assert_eq!(comment_body("  salut \r\n ", 10).unwrap(), "salut");
        assert_eq!(
            comment_body(" \u{202E} ", 10).unwrap_err().key,
            "validation-body-empty"
        );
        assert_eq!(
            comment_body("abcdefghijk", 10).unwrap_err().key,
            "validation-too-long"
        );
    }

    #[test]
    fn display_name_refuses_bidi_overrides() {
        assert!(display_name("Nadia\u{202E}").is_err());
        assert!(display_name("Nadia\u{200F}").is_err());
        assert_eq!(display_name("  نادية ").unwrap(), "نادية");
        assert!(display_name("").is_err());
    }

    #[test]
    fn urls_must_be_http() {
        assert!(article_url("https://news.example/a").is_ok());
        assert!(article_url("javascript:alert(1)").is_err());
        assert!(article_url("ftp://x/y").is_err());
    }
}
