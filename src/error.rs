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

    /// The stable code clients branch on.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            ApiError::MalformedJson => ErrorCode::MalformedJson,
            ApiError::InvalidCursor => ErrorCode::InvalidCursor,
            ApiError::Unauthenticated => ErrorCode::Unauthenticated,
            ApiError::InvalidCredentials => ErrorCode::InvalidCredentials,
            ApiError::Forbidden => ErrorCode::Forbidden,
            ApiError::Banned { .. } => ErrorCode::Banned,
            ApiError::ArticleClosed => ErrorCode::ArticleClosed,
            ApiError::EditWindowPassed => ErrorCode::EditWindowPassed,
            ApiError::OwnComment => ErrorCode::OwnComment,
            ApiError::NotFound => ErrorCode::NotFound,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::UsernameTaken => ErrorCode::UsernameTaken,
            ApiError::EmailTaken => ErrorCode::EmailTaken,
            ApiError::AlreadyReported => ErrorCode::AlreadyReported,
            ApiError::AlreadyAppealed => ErrorCode::AlreadyAppealed,
            ApiError::AppealWindowClosed => ErrorCode::AppealWindowClosed,
            ApiError::AppealNeedsOtherModerator => ErrorCode::AppealNeedsOtherModerator,
            ApiError::AppealsSuspended => ErrorCode::AppealsSuspended,
            ApiError::Conflict(_) => ErrorCode::Conflict,
            ApiError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            ApiError::RequestTimeout => ErrorCode::RequestTimeout,
            ApiError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            ApiError::Validation(_) => ErrorCode::ValidationFailed,
            ApiError::RateLimited { .. } => ErrorCode::RateLimited,
            ApiError::Internal(_) => ErrorCode::Internal,
            ApiError::Unavailable | ApiError::LiveFull => ErrorCode::Unavailable,
            ApiError::SsoInvalid => ErrorCode::SsoInvalid,
            ApiError::SsoExpired => ErrorCode::SsoExpired,
            ApiError::SsoReplayed => ErrorCode::SsoReplayed,
            ApiError::SsoOnly => ErrorCode::SsoOnly,
            ApiError::OidcReturnRefused => ErrorCode::OidcReturnRefused,
            ApiError::OidcStateInvalid => ErrorCode::OidcStateInvalid,
            ApiError::OidcFailed => ErrorCode::OidcFailed,
            ApiError::OidcUnavailable => ErrorCode::OidcUnavailable,
        }
    }

    pub fn code(&self) -> &'static str {
        self.error_code().as_str()
    }

    fn message_key(&self) -> &'static str {
        match self {
            ApiError::MalformedJson => "error-malformed-json",
            ApiError::InvalidCursor => "error-invalid-cursor",
            ApiError::Unauthenticated => "error-unauthenticated",
            ApiError::InvalidCredentials => "error-invalid-credentials",
            ApiError::Forbidden => "error-forbidden",
            ApiError::Banned { until: Some(_) } => "error-banned",
            ApiError::Banned { until: None } => "error-banned-permanent",
            ApiError::ArticleClosed => "error-article-closed",
            ApiError::EditWindowPassed => "error-edit-window-passed",
            ApiError::OwnComment => "error-own-comment",
            ApiError::NotFound => "error-not-found",
            ApiError::MethodNotAllowed => "error-method-not-allowed",
            ApiError::UsernameTaken => "error-username-taken",
            ApiError::EmailTaken => "error-email-taken",
            ApiError::AlreadyReported => "error-already-reported",
            ApiError::AlreadyAppealed => "error-already-appealed",
            ApiError::AppealWindowClosed => "error-appeal-window-closed",
            ApiError::AppealNeedsOtherModerator => "error-appeal-needs-other-moderator",
            ApiError::AppealsSuspended => "error-appeals-suspended",
            ApiError::Conflict(Conflict::AppealDecided) => "error-appeal-decided",
            ApiError::Conflict(Conflict::LastAdmin) => "error-last-admin",
            ApiError::Conflict(Conflict::ArticleExists) => "error-article-exists",
            ApiError::Conflict(Conflict::WordExists) => "error-word-exists",
            ApiError::Conflict(Conflict::AuthorDeletion) => "error-cannot-restore-author-deletion",
            ApiError::Conflict(Conflict::NotApproved) => "error-not-approved",
            ApiError::PayloadTooLarge => "error-payload-too-large",
            ApiError::RequestTimeout => "error-request-timeout",
            ApiError::UnsupportedMediaType => "error-unsupported-media-type",
            ApiError::Validation(_) => "error-validation-failed",
            ApiError::RateLimited { .. } => "error-rate-limited",
            ApiError::Internal(_) => "error-internal",
            ApiError::Unavailable => "error-unavailable",
            ApiError::LiveFull => "error-live-full",
            ApiError::SsoInvalid => "error-sso-invalid",
            ApiError::SsoExpired => "error-sso-expired",
            ApiError::SsoReplayed => "error-sso-replayed",
            ApiError::SsoOnly => "error-sso-only",
            ApiError::OidcReturnRefused => "error-oidc-return-refused",
            ApiError::OidcStateInvalid => "error-oidc-state-invalid",
            ApiError::OidcFailed => "error-oidc-failed",
            ApiError::OidcUnavailable => "error-oidc-unavailable",
        }
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
        match self {
            ApiError::MalformedJson
            | ApiError::InvalidCursor
            | ApiError::OidcReturnRefused
            | ApiError::OidcStateInvalid => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated
            | ApiError::InvalidCredentials
            | ApiError::SsoInvalid
            | ApiError::SsoExpired
            | ApiError::SsoReplayed
            | ApiError::OidcFailed => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden
            | ApiError::SsoOnly
            | ApiError::Banned { .. }
            | ApiError::ArticleClosed
            | ApiError::EditWindowPassed
            | ApiError::OwnComment
            | ApiError::AppealNeedsOtherModerator
            | ApiError::AppealsSuspended => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UsernameTaken
            | ApiError::EmailTaken
            | ApiError::AlreadyReported
            | ApiError::AlreadyAppealed
            | ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Validation(_) | ApiError::AppealWindowClosed => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Unavailable | ApiError::LiveFull => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::OidcUnavailable => StatusCode::BAD_GATEWAY,
        }
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
