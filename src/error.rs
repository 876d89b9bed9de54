//! One error type for every failure: a status, a stable code and a message
//! key; the message itself is written in the caller's language by
//! `http::localize` once the language is known.

use crate::i18n::{self, Arg, Locale};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::{json, Map, Value};

pub use crate::domain::problem::{FieldError, Invalid, MsgArg};

/// Which state conflict a 409 `conflict` reports (each has its own message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conflict {
    LastAdmin,
    ArticleExists,
    WordExists,
    AuthorDeletion,
    /// Only approved comments can be staff picks.
    NotApproved,
    /// An appeal that was decided already.
    AppealDecided,
}

/// The stable codes of every error, as clients see them (and the OpenAPI
/// document lists them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    MalformedJson,
    InvalidCursor,
    Unauthenticated,
    InvalidCredentials,
    Forbidden,
    Banned,
    ArticleClosed,
    EditWindowPassed,
    OwnComment,
    NotFound,
    MethodNotAllowed,
    UsernameTaken,
    EmailTaken,
    AlreadyReported,
    AlreadyAppealed,
    AppealWindowClosed,
    AppealNeedsOtherModerator,
    AppealsSuspended,
    Conflict,
    PayloadTooLarge,
    RequestTimeout,
    UnsupportedMediaType,
    ValidationFailed,
    RateLimited,
    Internal,
    Unavailable,
    SsoInvalid,
    SsoExpired,
    SsoReplayed,
    SsoOnly,
    OidcReturnRefused,
    OidcStateInvalid,
    OidcFailed,
    OidcUnavailable,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedJson => "malformed_json",
            ErrorCode::InvalidCursor => "invalid_cursor",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::Banned => "banned",
            ErrorCode::ArticleClosed => "article_closed",
            ErrorCode::EditWindowPassed => "edit_window_passed",
            ErrorCode::OwnComment => "own_comment",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::UsernameTaken => "username_taken",
            ErrorCode::EmailTaken => "email_taken",
            ErrorCode::AlreadyReported => "already_reported",
            ErrorCode::AlreadyAppealed => "already_appealed",
            ErrorCode::AppealWindowClosed => "appeal_window_closed",
            ErrorCode::AppealNeedsOtherModerator => "appeal_needs_other_moderator",
            ErrorCode::AppealsSuspended => "appeals_suspended",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::RequestTimeout => "request_timeout",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::SsoInvalid => "sso_invalid",
            ErrorCode::SsoExpired => "sso_expired",
            ErrorCode::SsoReplayed => "sso_replayed",
            ErrorCode::SsoOnly => "sso_only",
            ErrorCode::OidcReturnRefused => "oidc_return_refused",
            ErrorCode::OidcStateInvalid => "oidc_state_invalid",
            ErrorCode::OidcFailed => "oidc_failed",
            ErrorCode::OidcUnavailable => "oidc_unavailable",
        }
    }
}

/// What one error is, as clients see it: its status, its stable code and the
/// key of its message (`ApiError::kind`, the one place per variant).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub key: &'static str,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("malformed JSON")]
    MalformedJson,
    #[error("invalid cursor")]
    InvalidCursor,
    #[error("unauthenticated")]
    Unauthenticated,
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("banned")]
    Banned { until: Option<i64> },
    #[error("article closed")]
    ArticleClosed,
    #[error("edit window passed")]
    EditWindowPassed,
    /// Readers do not react to their own comments.
    #[error("own comment")]
    OwnComment,
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("username taken")]
    UsernameTaken,
    #[error("email taken")]
    EmailTaken,
    #[error("already reported")]
    AlreadyReported,
    /// The statement has its appeal already (DSA Art. 20).
    #[error("already appealed")]
    AlreadyAppealed,
    /// Past `dsa.appeal_days` after the decision.
    #[error("appeal window closed")]
    AppealWindowClosed,
    /// The moderator who made the decision may not judge its appeal.
    #[error("appeal needs another moderator")]
    AppealNeedsOtherModerator,
    /// Too many manifestly unfounded appeals in a row (DSA Art. 23).
    #[error("appeals suspended")]
    AppealsSuspended,
    #[error("conflict")]
    Conflict(Conflict),
    #[error("payload too large")]
    PayloadTooLarge,
    /// The body did not arrive whole within `server.body_timeout_seconds`.
    #[error("request body too slow")]
    RequestTimeout,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("rate limited")]
    RateLimited { retry_after: u64 },
    /// The cause is logged with the request id and never sent to the client.
    #[error("internal error: {0}")]
    Internal(String),
    #[error("database unavailable")]
    Unavailable,
    /// `server.max_live_clients` streams are open already.
    #[error("too many live streams")]
    LiveFull,
    /// A site's sign-in token that is not one: bad signature, unknown key,
    /// an algorithm the key was not configured for, a missing or ill-typed claim.
    #[error("invalid sign-in token")]
    SsoInvalid,
    /// A site's sign-in token out of its time: expired, too old, or from the future.
    #[error("expired sign-in token")]
    SsoExpired,
    /// A single-use site's sign-in token (`jti`) used again.
    #[error("replayed sign-in token")]
    SsoReplayed,
    /// Readers sign in only through the site (`sso.only`).
    #[error("sign-in through the site only")]
    SsoOnly,
    /// An OpenID sign-in asked to return outside `server.public_url` and
    /// `server.embed_origins`: no open redirect.
    #[error("return address refused")]
    OidcReturnRefused,
    /// An OpenID callback whose `state` is unknown, used, expired or another
    /// provider's.
    #[error("unknown or used sign-in state")]
    OidcStateInvalid,
    /// The provider said no, or its code or ID token did not check out.
    #[error("OpenID sign-in failed")]
    OidcFailed,
    /// The provider could not be reached, or its discovery document read.
    #[error("OpenID provider unavailable")]
    OidcUnavailable,
}

impl ApiError {
    pub fn internal(cause: impl Into<String>) -> ApiError {
        ApiError::Internal(cause.into())
    }

    pub fn field(field: impl Into<String>, key: &'static str) -> ApiError {
        ApiError::Validation(vec![FieldError::new(field, key)])
    }

    /// The status, the stable code and the message key of this error, in one place.
    pub fn kind(&self) -> Kind {
        use ErrorCode as C;
        use StatusCode as S;
        let (status, code, key) = match self {
            ApiError::MalformedJson => (S::BAD_REQUEST, C::MalformedJson, "error-malformed-json"),
            ApiError::InvalidCursor => (S::BAD_REQUEST, C::InvalidCursor, "error-invalid-cursor"),
            ApiError::Unauthenticated => {
                (S::UNAUTHORIZED, C::Unauthenticated, "error-unauthenticated")
            }
            ApiError::InvalidCredentials => (
                S::UNAUTHORIZED,
                C::InvalidCredentials,
                "error-invalid-credentials",
            ),
            ApiError::Forbidden => (S::FORBIDDEN, C::Forbidden, "error-forbidden"),
            ApiError::Banned { until: Some(_) } => (S::FORBIDDEN, C::Banned, "error-banned"),
            ApiError::Banned { until: None } => (S::FORBIDDEN, C::Banned, "error-banned-permanent"),
            ApiError::ArticleClosed => (S::FORBIDDEN, C::ArticleClosed, "error-article-closed"),
            ApiError::EditWindowPassed => (
                S::FORBIDDEN,
                C::EditWindowPassed,
                "error-edit-window-passed",
            ),
            ApiError::OwnComment => (S::FORBIDDEN, C::OwnComment, "error-own-comment"),
            ApiError::NotFound => (S::NOT_FOUND, C::NotFound, "error-not-found"),
            ApiError::MethodNotAllowed => (
                S::METHOD_NOT_ALLOWED,
                C::MethodNotAllowed,
                "error-method-not-allowed",
            ),
            ApiError::UsernameTaken => (S::CONFLICT, C::UsernameTaken, "error-username-taken"),
            ApiError::EmailTaken => (S::CONFLICT, C::EmailTaken, "error-email-taken"),
            ApiError::AlreadyReported => {
                (S::CONFLICT, C::AlreadyReported, "error-already-reported")
            }
            ApiError::AlreadyAppealed => {
                (S::CONFLICT, C::AlreadyAppealed, "error-already-appealed")
            }
            ApiError::AppealWindowClosed => (
                S::UNPROCESSABLE_ENTITY,
                C::AppealWindowClosed,
                "error-appeal-window-closed",
            ),
            ApiError::AppealNeedsOtherModerator => (
                S::FORBIDDEN,
                C::AppealNeedsOtherModerator,
                "error-appeal-needs-other-moderator",
            ),
            ApiError::AppealsSuspended => {
                (S::FORBIDDEN, C::AppealsSuspended, "error-appeals-suspended")
            }
            ApiError::Conflict(conflict) => (
                S::CONFLICT,
                C::Conflict,
                match conflict {
                    Conflict::AppealDecided => "error-appeal-decided",
                    Conflict::LastAdmin => "error-last-admin",
                    Conflict::ArticleExists => "error-article-exists",
                    Conflict::WordExists => "error-word-exists",
                    Conflict::AuthorDeletion => "error-cannot-restore-author-deletion",
                    Conflict::NotApproved => "error-not-approved",
                },
            ),
            ApiError::PayloadTooLarge => (
                S::PAYLOAD_TOO_LARGE,
                C::PayloadTooLarge,
                "error-payload-too-large",
            ),
            ApiError::RequestTimeout => (
                S::REQUEST_TIMEOUT,
                C::RequestTimeout,
                "error-request-timeout",
            ),
            ApiError::UnsupportedMediaType => (
                S::UNSUPPORTED_MEDIA_TYPE,
                C::UnsupportedMediaType,
                "error-unsupported-media-type",
            ),
            ApiError::Validation(_) => (
                S::UNPROCESSABLE_ENTITY,
                C::ValidationFailed,
                "error-validation-failed",
            ),
            ApiError::RateLimited { .. } => {
                (S::TOO_MANY_REQUESTS, C::RateLimited, "error-rate-limited")
            }
            ApiError::Internal(_) => (S::INTERNAL_SERVER_ERROR, C::Internal, "error-internal"),
            ApiError::Unavailable => (S::SERVICE_UNAVAILABLE, C::Unavailable, "error-unavailable"),
            ApiError::LiveFull => (S::SERVICE_UNAVAILABLE, C::Unavailable, "error-live-full"),
            ApiError::SsoInvalid => (S::UNAUTHORIZED, C::SsoInvalid, "error-sso-invalid"),
            ApiError::SsoExpired => (S::UNAUTHORIZED, C::SsoExpired, "error-sso-expired"),
            ApiError::SsoReplayed => (S::UNAUTHORIZED, C::SsoReplayed, "error-sso-replayed"),
            ApiError::SsoOnly => (S::FORBIDDEN, C::SsoOnly, "error-sso-only"),
            ApiError::OidcReturnRefused => (
                S::BAD_REQUEST,
                C::OidcReturnRefused,
                "error-oidc-return-refused",
            ),
            ApiError::OidcStateInvalid => (
                S::BAD_REQUEST,
                C::OidcStateInvalid,
                "error-oidc-state-invalid",
            ),
            ApiError::OidcFailed => (S::UNAUTHORIZED, C::OidcFailed, "error-oidc-failed"),
            ApiError::OidcUnavailable => {
                (S::BAD_GATEWAY, C::OidcUnavailable, "error-oidc-unavailable")
            }
        };
        Kind { status, code, key }
    }

    /// The stable code clients branch on.
    pub fn error_code(&self) -> ErrorCode {
        self.kind().code
    }

    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    fn message_key(&self) -> &'static str {
        self.kind().key
    }

    /// The JSON error body in `locale`.
    pub fn body(&self, locale: Locale) -> Value {
        let message = match self {
            ApiError::Banned { until: Some(t) } => {
                let until = crate::domain::time::format(*t);
                i18n::message(locale, self.message_key(), &[("until", Arg::Str(&until))])
            }
            ApiError::RateLimited { retry_after } => i18n::message(
                locale,
                self.message_key(),
                &[("seconds", Arg::Num(*retry_after as i64))],
            ),
            _ => i18n::message(locale, self.message_key(), &[]),
        };
        let mut error = Map::new();
        error.insert("code".into(), json!(self.code()));
        error.insert("message".into(), json!(message));
        if let ApiError::Validation(problems) = self {
            let mut fields: Map<String, Value> = Map::new();
            for p in problems {
                let text = localize_field(locale, p);
                match fields.get_mut(&p.field) {
                    Some(Value::Array(list)) => list.push(json!(text)),
                    _ => {
                        fields.insert(p.field.clone(), json!([text]));
                    }
                }
            }
            error.insert("fields".into(), Value::Object(fields));
        }
        json!({ "error": error })
    }

    /// The answer in `locale`, with the headers the error calls for.
    pub fn to_response(&self, locale: Locale) -> HttpResponse {
        let mut builder = HttpResponse::build(self.status_code());
        if let ApiError::RateLimited { retry_after } = self {
            builder.insert_header(("Retry-After", retry_after.to_string()));
        }
        if matches!(self, ApiError::Unavailable | ApiError::LiveFull) {
            builder.insert_header(("Retry-After", "5"));
        }
        builder.json(self.body(locale))
    }
}

fn localize_field(locale: Locale, problem: &FieldError) -> String {
    let args: Vec<(&str, Arg<'_>)> = problem
        .args
        .iter()
        .map(|(name, value)| {
            let arg = match value {
                MsgArg::Num(n) => Arg::Num(*n),
                MsgArg::Str(s) => Arg::Str(s.as_str()),
            };
            (*name, arg)
        })
        .collect();
    i18n::message(locale, problem.key, &args)
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.kind().status
    }

    /// Written in the default language; `http::localize` rewrites it in the caller's.
    fn error_response(&self) -> HttpResponse {
        self.to_response(Locale::Fr)
    }
}

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> ApiError {
        ApiError::Validation(invalid.0)
    }
}

impl From<FieldError> for ApiError {
    fn from(problem: FieldError) -> ApiError {
        ApiError::Validation(vec![problem])
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> ApiError {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => ApiError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => ApiError::Unavailable,
            Error::DatabaseError(DatabaseErrorKind::UnableToSendCommand, _) => {
                ApiError::Unavailable
            }
            other => ApiError::Internal(format!("database: {other}")),
        }
    }
}

/// What status-only failures from actix itself (routing, extractors) mean.
pub fn from_status(status: StatusCode) -> ApiError {
    match status {
        StatusCode::NOT_FOUND => ApiError::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        StatusCode::REQUEST_TIMEOUT => ApiError::RequestTimeout,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
        StatusCode::BAD_REQUEST => ApiError::MalformedJson,
        StatusCode::UNAUTHORIZED => ApiError::Unauthenticated,
        StatusCode::FORBIDDEN => ApiError::Forbidden,
        StatusCode::SERVICE_UNAVAILABLE => ApiError::Unavailable,
        StatusCode::TOO_MANY_REQUESTS => ApiError::RateLimited { retry_after: 1 },
        _ => ApiError::Internal(format!("unmapped status {status}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_they_are_named() {
        let all = [
            ApiError::MalformedJson,
            ApiError::InvalidCursor,
            ApiError::Unauthenticated,
            ApiError::InvalidCredentials,
            ApiError::Forbidden,
            ApiError::Banned { until: None },
            ApiError::ArticleClosed,
            ApiError::EditWindowPassed,
            ApiError::NotFound,
            ApiError::MethodNotAllowed,
            ApiError::UsernameTaken,
            ApiError::EmailTaken,
            ApiError::AlreadyReported,
            ApiError::AlreadyAppealed,
            ApiError::AppealWindowClosed,
            ApiError::AppealNeedsOtherModerator,
            ApiError::AppealsSuspended,
            ApiError::Conflict(Conflict::LastAdmin),
            ApiError::PayloadTooLarge,
            ApiError::RequestTimeout,
            ApiError::UnsupportedMediaType,
            ApiError::Validation(vec![]),
            ApiError::RateLimited { retry_after: 1 },
            ApiError::Internal(String::new()),
            ApiError::Unavailable,
            ApiError::LiveFull,
            ApiError::SsoInvalid,
            ApiError::SsoExpired,
            ApiError::SsoReplayed,
            ApiError::SsoOnly,
            ApiError::OidcReturnRefused,
            ApiError::OidcStateInvalid,
            ApiError::OidcFailed,
            ApiError::OidcUnavailable,
        ];
        for e in all {
            let code = e.error_code();
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}
