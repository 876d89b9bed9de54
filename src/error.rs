//! The edge's error: what a request failed with, as clients see it. Each
//! variant's status, stable code and message key sit in one place
//! (`ApiError::kind`); the body is written once, in the caller's language, by
//! `http::finish_response`.

use crate::domain::Failure;
use crate::i18n::{self, Arg, Locale};
use crate::ratelimit::Limited;
use crate::service::{Conflict, ServiceError};
use crate::store::StoreError;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::{json, Map, Value};

pub use crate::domain::problem::{FieldError, Invalid, MsgArg};

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

#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// What a service refused or failed with.
    #[error(transparent)]
    Service(#[from] ServiceError),
    #[error("malformed JSON")]
    MalformedJson,
    #[error("invalid cursor")]
    InvalidCursor,
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("payload too large")]
    PayloadTooLarge,
    /// The body did not arrive whole within `server.body_timeout_seconds`.
    #[error("request body too slow")]
    RequestTimeout,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The edge itself failed (a page that did not render): logged, a 500.
    #[error(transparent)]
    Failed(#[from] Failure),
}

impl ApiError {
    /// The edge failed at `what`, because of `cause` (logged, a 500).
    pub fn failed(
        what: &'static str,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> ApiError {
        ApiError::Failed(Failure::caused(what, cause))
    }

    pub fn field(field: impl Into<String>, key: &'static str) -> ApiError {
        ServiceError::field(field, key).into()
    }

    /// The failure behind a 500, to log with its causes; `None` for the rest.
    pub fn failure(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ApiError::Failed(f) | ApiError::Service(ServiceError::Failed(f)) => Some(f),
            ApiError::Service(e @ ServiceError::Store(_)) => Some(e),
            _ => None,
        }
    }

    /// Logs a failure with its whole chain of causes (the client is told
    /// only that it failed); refusals are not logged here.
    pub fn log_failure(&self) {
        if let Some(failure) = self.failure() {
            tracing::error!(cause = %Failure::chain(failure), "internal error");
        }
    }

    /// The status, the stable code and the message key of this error, in one place.
    pub fn kind(&self) -> Kind {
        use ErrorCode as C;
        use ServiceError as E;
        use StatusCode as S;
        let (status, code, key) = match self {
            ApiError::MalformedJson => (S::BAD_REQUEST, C::MalformedJson, "error-malformed-json"),
            ApiError::InvalidCursor => (S::BAD_REQUEST, C::InvalidCursor, "error-invalid-cursor"),
            ApiError::MethodNotAllowed => (
                S::METHOD_NOT_ALLOWED,
                C::MethodNotAllowed,
                "error-method-not-allowed",
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
            ApiError::Failed(_) => (S::INTERNAL_SERVER_ERROR, C::Internal, "error-internal"),
            ApiError::Service(e) => match e {
                E::Unauthenticated => {
                    (S::UNAUTHORIZED, C::Unauthenticated, "error-unauthenticated")
                }
                E::InvalidCredentials => (
                    S::UNAUTHORIZED,
                    C::InvalidCredentials,
                    "error-invalid-credentials",
                ),
                E::Forbidden => (S::FORBIDDEN, C::Forbidden, "error-forbidden"),
                E::Banned { until: Some(_) } => (S::FORBIDDEN, C::Banned, "error-banned"),
                E::Banned { until: None } => (S::FORBIDDEN, C::Banned, "error-banned-permanent"),
                E::ArticleClosed => (S::FORBIDDEN, C::ArticleClosed, "error-article-closed"),
                E::EditWindowPassed => (
                    S::FORBIDDEN,
                    C::EditWindowPassed,
                    "error-edit-window-passed",
                ),
                E::OwnComment => (S::FORBIDDEN, C::OwnComment, "error-own-comment"),
                E::NotFound => (S::NOT_FOUND, C::NotFound, "error-not-found"),
                E::UsernameTaken => (S::CONFLICT, C::UsernameTaken, "error-username-taken"),
                E::EmailTaken => (S::CONFLICT, C::EmailTaken, "error-email-taken"),
                E::AlreadyReported => (S::CONFLICT, C::AlreadyReported, "error-already-reported"),
                E::AlreadyAppealed => (S::CONFLICT, C::AlreadyAppealed, "error-already-appealed"),
                E::AppealWindowClosed => (
                    S::UNPROCESSABLE_ENTITY,
                    C::AppealWindowClosed,
                    "error-appeal-window-closed",
                ),
                E::AppealNeedsOtherModerator => (
                    S::FORBIDDEN,
                    C::AppealNeedsOtherModerator,
                    "error-appeal-needs-other-moderator",
                ),
                E::AppealsSuspended => {
                    (S::FORBIDDEN, C::AppealsSuspended, "error-appeals-suspended")
                }
                E::Conflict(conflict) => (
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
                E::Validation(_) => (
                    S::UNPROCESSABLE_ENTITY,
                    C::ValidationFailed,
                    "error-validation-failed",
                ),
                E::RateLimited { .. } => {
                    (S::TOO_MANY_REQUESTS, C::RateLimited, "error-rate-limited")
                }
                E::Unavailable => (S::SERVICE_UNAVAILABLE, C::Unavailable, "error-unavailable"),
                E::LiveFull => (S::SERVICE_UNAVAILABLE, C::Unavailable, "error-live-full"),
                E::SsoInvalid => (S::UNAUTHORIZED, C::SsoInvalid, "error-sso-invalid"),
                E::SsoExpired => (S::UNAUTHORIZED, C::SsoExpired, "error-sso-expired"),
                E::SsoReplayed => (S::UNAUTHORIZED, C::SsoReplayed, "error-sso-replayed"),
                E::SsoOnly => (S::FORBIDDEN, C::SsoOnly, "error-sso-only"),
                E::OidcReturnRefused => (
                    S::BAD_REQUEST,
                    C::OidcReturnRefused,
                    "error-oidc-return-refused",
                ),
                E::OidcStateInvalid => (
                    S::BAD_REQUEST,
                    C::OidcStateInvalid,
                    "error-oidc-state-invalid",
                ),
                E::OidcFailed => (S::UNAUTHORIZED, C::OidcFailed, "error-oidc-failed"),
                E::OidcUnavailable => {
                    (S::BAD_GATEWAY, C::OidcUnavailable, "error-oidc-unavailable")
                }
                E::Store(_) | E::Failed(_) => {
                    (S::INTERNAL_SERVER_ERROR, C::Internal, "error-internal")
                }
            },
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

    /// The JSON error body in `locale`.
    pub fn body(&self, locale: Locale) -> Value {
        let key = self.kind().key;
        let message = match self {
            ApiError::Service(ServiceError::Banned { until: Some(t) }) => {
                let until = crate::domain::time::format(*t);
                i18n::message(locale, key, &[("until", Arg::Str(&until))])
            }
            ApiError::Service(ServiceError::RateLimited { retry_after }) => {
                i18n::message(locale, key, &[("seconds", Arg::Num(*retry_after as i64))])
            }
            _ => i18n::message(locale, key, &[]),
        };
        let mut error = Map::new();
        error.insert("code".into(), json!(self.code()));
        error.insert("message".into(), json!(message));
        if let ApiError::Service(ServiceError::Validation(problems)) = self {
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

    /// The answer's status and headers, without its body.
    fn head(&self) -> actix_web::HttpResponseBuilder {
        let mut builder = HttpResponse::build(self.status_code());
        match self {
            ApiError::Service(ServiceError::RateLimited { retry_after }) => {
                builder.insert_header(("Retry-After", retry_after.to_string()));
            }
            ApiError::Service(ServiceError::Unavailable | ServiceError::LiveFull) => {
                builder.insert_header(("Retry-After", "5"));
            }
            _ => {}
        }
        builder
    }

    /// The whole answer in `locale`, with the headers the error calls for.
    pub fn to_response(&self, locale: Locale) -> HttpResponse {
        self.head().json(self.body(locale))
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

    /// Status and headers only: `http::finish_response` writes the body,
    /// once, in the caller's language (every answer passes through it).
    fn error_response(&self) -> HttpResponse {
        self.head().finish()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        ApiError::Service(e.into())
    }
}

impl From<Limited> for ApiError {
    fn from(limited: Limited) -> ApiError {
        ApiError::Service(limited.into())
    }
}

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> ApiError {
        ApiError::Service(invalid.into())
    }
}

impl From<FieldError> for ApiError {
    fn from(problem: FieldError) -> ApiError {
        ApiError::Service(problem.into())
    }
}

/// What status-only failures from actix itself (routing, extractors) mean.
pub fn from_status(status: StatusCode) -> ApiError {
    match status {
        StatusCode::NOT_FOUND => ServiceError::NotFound.into(),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        StatusCode::REQUEST_TIMEOUT => ApiError::RequestTimeout,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType,
        StatusCode::BAD_REQUEST => ApiError::MalformedJson,
        StatusCode::UNAUTHORIZED => ServiceError::Unauthenticated.into(),
        StatusCode::FORBIDDEN => ServiceError::Forbidden.into(),
        StatusCode::SERVICE_UNAVAILABLE => ServiceError::Unavailable.into(),
        StatusCode::TOO_MANY_REQUESTS => ServiceError::RateLimited { retry_after: 1 }.into(),
        _ => ApiError::Failed(Failure::new(format!(
            "an answer of status {status} without its error"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_they_are_named() {
        use ServiceError as E;
        let edge = [
            ApiError::MalformedJson,
            ApiError::InvalidCursor,
            ApiError::MethodNotAllowed,
            ApiError::PayloadTooLarge,
            ApiError::RequestTimeout,
            ApiError::UnsupportedMediaType,
            ApiError::Failed(Failure::new("a bug")),
        ];
        let service = [
            E::Unauthenticated,
            E::InvalidCredentials,
            E::Forbidden,
            E::Banned { until: None },
            E::ArticleClosed,
            E::EditWindowPassed,
            E::OwnComment,
            E::NotFound,
            E::UsernameTaken,
            E::EmailTaken,
            E::AlreadyReported,
            E::AlreadyAppealed,
            E::AppealWindowClosed,
            E::AppealNeedsOtherModerator,
            E::AppealsSuspended,
            E::Conflict(Conflict::LastAdmin),
            E::Validation(vec![]),
            E::RateLimited { retry_after: 1 },
            E::Unavailable,
            E::LiveFull,
            E::SsoInvalid,
            E::SsoExpired,
            E::SsoReplayed,
            E::SsoOnly,
            E::OidcReturnRefused,
            E::OidcStateInvalid,
            E::OidcFailed,
            E::OidcUnavailable,
            E::Failed(Failure::new("a bug")),
        ];
        for e in edge
            .into_iter()
            .chain(service.into_iter().map(ApiError::from))
        {
            let code = e.error_code();
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }

    #[test]
    fn what_the_store_says_reaches_the_client_as_its_own_code() {
        use crate::store::Taken;
        let code = |e: StoreError| ApiError::from(e).code();
        assert_eq!(code(StoreError::NotFound), "not_found");
        assert_eq!(code(StoreError::Unavailable), "unavailable");
        assert_eq!(code(StoreError::Taken(Taken::Username)), "username_taken");
        assert_eq!(code(StoreError::Taken(Taken::Email)), "email_taken");
        assert_eq!(code(StoreError::Taken(Taken::Report)), "already_reported");
        assert_eq!(code(StoreError::Taken(Taken::Article)), "conflict");
        assert_eq!(code(StoreError::Taken(Taken::Word)), "conflict");
        let failed = ApiError::from(StoreError::from(diesel::result::Error::RollbackTransaction));
        assert_eq!(failed.code(), "internal");
        let logged = Failure::chain(failed.failure().expect("a failure to log"));
        assert!(logged.starts_with("store: database: "), "{logged}");
    }

    #[test]
    fn an_error_answer_carries_no_body_until_the_edge_writes_it() {
        use actix_web::body::MessageBody;
        let res = ApiError::from(ServiceError::RateLimited { retry_after: 3 }).error_response();
        assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(res.headers().get("retry-after").unwrap(), "3");
        assert_eq!(res.into_body().size(), actix_web::body::BodySize::Sized(0));
    }
}
