//! Typed ids, so that a comment's id cannot be passed where a user's is
//! expected. In a path they read as positive decimal integers; anything
//! else names nothing, which the edge answers as 404.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }

            /// A positive id, as a JSON body carries it.
            pub fn positive(id: i64) -> Option<$name> {
                (id > 0).then_some($name(id))
            }

            /// `42`, not `+42`, `042` is fine, `0` and negatives are not.
            pub fn parse(raw: &str) -> Option<$name> {
                match raw.parse::<i64>() {
                    Ok(id) if id > 0 && !raw.starts_with('+') => Some($name(id)),
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let raw = String::deserialize(d)?;
                $name::parse(&raw).ok_or_else(|| serde::de::Error::custom("not an id"))
            }
        }
    };
}

id!(
    /// An article's id (its row; the site names it by its key).
    ArticleId
);
id!(
    /// A comment's id.
    CommentId
);
id!(
    /// An account's id.
    UserId
);
id!(
    /// A statement of reasons' id.
    StatementId
);
id!(
    /// An appeal's id.
    AppealId
);
id!(
    /// A word list entry's id.
    WordId
);
id!(
    /// A moderators' note's id.
    NoteId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ids_are_positive_integers() {
        assert_eq!(CommentId::parse("42"), Some(CommentId(42)));
        for bad in ["0", "-1", "abc", "+3", "1.5", "99999999999999999999", ""] {
            assert_eq!(UserId::parse(bad), None, "{bad}");
        }
    }
}
id!(
    /// A webhook endpoint's id.
    WebhookId
);
