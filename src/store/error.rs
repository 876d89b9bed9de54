//! What the store fails with. It says what happened to the data; the
//! service says what that means to the caller (`service::ServiceError`).

use crate::domain::Failure;
use std::sync::Arc;

/// Which unique thing a write found taken already (by a row written before,
/// or by a request racing past the check: the unique index decides).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    Username,
    Email,
    /// The reader reported this comment already.
    Report,
    Article,
    Word,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    /// The row asked for is not there.
    #[error("not found")]
    NotFound,
    #[error("{0:?} taken already")]
    Taken(Taken),
    /// The database cannot be reached: the caller may try again (503).
    #[error("database unavailable")]
    Unavailable,
    /// A query the database refused, or whose answer could not be read.
    #[error("database")]
    Query(#[source] Arc<diesel::result::Error>),
    /// Something around the query failed: a blocking thread, a write that
    /// panicked, a commit, a stored row that does not hold together.
    #[error(transparent)]
    Failed(#[from] Failure),
}

impl From<diesel::result::Error> for StoreError {
    fn from(e: diesel::result::Error) -> StoreError {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => StoreError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)
            | Error::DatabaseError(DatabaseErrorKind::UnableToSendCommand, _) => {
                StoreError::Unavailable
            }
            other => StoreError::Query(Arc::new(other)),
        }
    }
}

impl StoreError {
    /// A unique index's refusal as `taken`; any other error as itself.
    pub fn unique_as(e: diesel::result::Error, taken: Taken) -> StoreError {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => StoreError::Taken(taken),
            other => other.into(),
        }
    }
}

/// An error a closure given to `Db` may end with: the store's own errors
/// fit in it, and the store can tell a failure (a 500) from an answer, to
/// ask the connection whether the database went away.
pub trait FromStore: From<StoreError> + std::error::Error + Send + 'static {
    fn is_failure(&self) -> bool;
}

impl FromStore for StoreError {
    fn is_failure(&self) -> bool {
        matches!(self, StoreError::Query(_) | StoreError::Failed(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diesel_errors_say_what_they_are() {
        use diesel::result::Error;
        assert!(matches!(
            StoreError::from(Error::NotFound),
            StoreError::NotFound
        ));
        let refused = StoreError::from(Error::RollbackTransaction);
        assert!(refused.is_failure());
        let chained = Failure::chain(&refused);
        assert!(chained.starts_with("database: "), "{chained}");
    }
}
