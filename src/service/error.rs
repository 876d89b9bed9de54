//! What a service refuses or fails with, in the service's words. The edge
//! (`crate::error::ApiError`) gives each its status, code and message.

use crate::domain::{Failure, FieldError, Invalid};
use crate::store::{FromStore, StoreError, Taken};

/// Which state conflict a refusal reports (each has its own message).
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

#[derive(Debug, Clone, thiserror::Error)]
pub enum ServiceError {
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
    #[error("conflict: {0:?}")]
    Conflict(Conflict),
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("rate limited")]
    RateLimited { retry_after: u64 },
    /// The database cannot be reached: try again (503).
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
    /// The store failed (not a refusal): logged with its cause, a 500.
    #[error("store")]
    Store(#[source] StoreError),
    /// Something else failed: logged with its cause, a 500.
    #[error(transparent)]
    Failed(#[from] Failure),
}

impl ServiceError {
    pub fn field(field: impl Into<String>, key: &'static str) -> ServiceError {
        ServiceError::Validation(vec![FieldError::new(field, key)])
    }

    /// A failure caused by `cause` (a 500 whose cause is logged).
    pub fn failed(
        what: &'static str,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> ServiceError {
        ServiceError::Failed(Failure::caused(what, cause))
    }
}

/// What the store's answers mean to a caller: a missing row is "not found",
/// a taken name is its own refusal; only failures stay the store's.
impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> ServiceError {
        match e {
            StoreError::NotFound => ServiceError::NotFound,
            StoreError::Unavailable => ServiceError::Unavailable,
            StoreError::Taken(Taken::Username) => ServiceError::UsernameTaken,
            StoreError::Taken(Taken::Email) => ServiceError::EmailTaken,
            StoreError::Taken(Taken::Report) => ServiceError::AlreadyReported,
            StoreError::Taken(Taken::Article) => ServiceError::Conflict(Conflict::ArticleExists),
            StoreError::Taken(Taken::Word) => ServiceError::Conflict(Conflict::WordExists),
            failed @ (StoreError::Query(_) | StoreError::Failed(_)) => ServiceError::Store(failed),
        }
    }
}

impl FromStore for ServiceError {
    fn is_failure(&self) -> bool {
        matches!(self, ServiceError::Store(_) | ServiceError::Failed(_))
    }
}

impl From<Invalid> for ServiceError {
    fn from(invalid: Invalid) -> ServiceError {
        ServiceError::Validation(invalid.0)
    }
}

impl From<FieldError> for ServiceError {
    fn from(problem: FieldError) -> ServiceError {
        ServiceError::Validation(vec![problem])
    }
}

impl From<crate::ratelimit::Limited> for ServiceError {
    fn from(limited: crate::ratelimit::Limited) -> ServiceError {
        ServiceError::RateLimited {
            retry_after: limited.retry_after,
        }
    }
}
