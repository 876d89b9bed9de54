//! A failure that is nobody's input: a bug, a thread that died, a database
//! or provider that answered nonsense. It says what was being done and keeps
//! its cause for the log; the caller is told only that it failed (500).

use std::borrow::Cow;
use std::error::Error;
use std::fmt;
use std::sync::Arc;

/// What failed, and why (the source chain, for the log).
#[derive(Clone)]
pub struct Failure {
    what: Cow<'static, str>,
    /// Shared so the error stays `Clone` (a batch's failure answers each write).
    cause: Option<Arc<dyn Error + Send + Sync>>,
}

impl Failure {
    /// A failure with no error underneath (an invariant that did not hold).
    pub fn new(what: impl Into<Cow<'static, str>>) -> Failure {
        Failure {
            what: what.into(),
            cause: None,
        }
    }

    /// A failure caused by `cause`.
    pub fn caused(
        what: impl Into<Cow<'static, str>>,
        cause: impl Error + Send + Sync + 'static,
    ) -> Failure {
        Failure {
            what: what.into(),
            cause: Some(Arc::new(cause)),
        }
    }

    /// The whole chain in one line, for the log: `what: cause: its cause`.
    pub fn chain(error: &(dyn Error + 'static)) -> String {
        let mut text = error.to_string();
        let mut next = error.source();
        while let Some(cause) = next {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            next = cause.source();
        }
        text
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.what)
    }
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Failure::chain(self))
    }
}

impl Error for Failure {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.cause.as_deref().map(|c| c as &(dyn Error + 'static))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chain_keeps_every_cause() {
        let io = std::io::Error::other("disk full");
        let failure = Failure::caused("writing the backup", io);
        assert_eq!(failure.to_string(), "writing the backup");
        assert_eq!(Failure::chain(&failure), "writing the backup: disk full");
        assert_eq!(format!("{failure:?}"), "writing the backup: disk full");
        assert!(Failure::new("a bug").source().is_none());
    }
}
