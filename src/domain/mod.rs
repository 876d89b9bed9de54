//! The vocabulary of Tribune: roles, statuses, settings, ids and the field
//! types inputs are parsed into. Plain Rust: no HTTP, no SQL, no messages
//! (field problems are data; the edge writes them in the caller's language).

pub mod cursor;
pub mod events;
pub mod failure;
pub mod fields;
pub mod ids;
pub mod problem;
pub mod retry;
pub mod time;

pub use failure::Failure;
pub use fields::{
    ArticleKey, ArticleUrl, CommentBody, DisplayName, Email, Note, Password, SampleText, Title,
    Username,
};
pub use ids::{AppealId, ArticleId, CommentId, NoteId, StatementId, UserId, WebhookId, WordId};
pub use problem::{FieldError, Invalid, MsgArg, Problems};

use serde::{Deserialize, Serialize};

macro_rules! text_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        // The derive first: an enum's own attributes may be its helpers (`schema`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
        $(#[$m])*
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The accepted values, for error messages.
            pub fn choices() -> String {
                [$($text),+].join(", ")
            }
        }
    };
}

// After the macro, which it uses.
pub mod dsa;

text_enum!(
    /// What an account may do.
    Role { Reader => "reader", Moderator => "moderator", Admin => "admin" }
);

impl Role {
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Moderator | Role::Admin)
    }
}

text_enum!(
    /// Where a comment stands.
    CommentStatus { Approved => "approved", Pending => "pending", Rejected => "rejected", Deleted => "deleted" }
);

text_enum!(
    /// Pre-moderation holds comments of untrusted authors; post-moderation publishes them.
    ModerationMode { Pre => "pre", Post => "post" }
);

text_enum!(
    /// Why a reader reports a comment.
    ReportReason { Abusive => "abusive", OffTopic => "off_topic", Spam => "spam", Other => "other" }
);

text_enum!(
    /// Why a comment sits in the queue; the OpenAPI document's `QueueReason`.
    #[schema(as = QueueReason)]
    Reason {
        Premoderation => "premoderation",
        SuspectWord => "suspect_word",
        BannedWord => "banned_word",
        TooManyLinks => "too_many_links",
        Duplicate => "duplicate",
        Reports => "reports",
        Edited => "edited",
    }
);

/// A comment's reasons as stored with it: comma-separated, '' for none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reasons(pub Vec<Reason>);

impl Reasons {
    /// The stored text; `None` when one of its reasons is unknown.
    pub fn parse(stored: &str) -> Option<Reasons> {
        stored
            .split(',')
            .filter(|r| !r.is_empty())
            .map(Reason::parse)
            .collect::<Option<Vec<_>>>()
            .map(Reasons)
    }

    /// As stored.
    pub fn to_text(&self) -> String {
        let texts: Vec<&str> = self.0.iter().map(|r| r.as_str()).collect();
        texts.join(",")
    }

    pub fn contains(&self, reason: Reason) -> bool {
        self.0.contains(&reason)
    }
}

text_enum!(
    /// Who deleted a comment: an author's own deletion cannot be restored.
    DeletedBy { Author => "author", Moderator => "moderator" }
);

text_enum!(
    /// Whether an account may act now.
    AccountStatus { Active => "active", Banned => "banned" }
);

impl AccountStatus {
    pub fn of(banned: bool) -> AccountStatus {
        if banned {
            AccountStatus::Banned
        } else {
            AccountStatus::Active
        }
    }
}

text_enum!(
    /// What kind of thing a moderation log entry is about.
    TargetType { Comment => "comment", User => "user", Article => "article", Settings => "settings", Word => "word" }
);

text_enum!(
    /// What a moderation log entry records.
    LogAction {
        Approve => "approve",
        Reject => "reject",
        Delete => "delete",
        Restore => "restore",
        Ban => "ban",
        Unban => "unban",
        RoleChange => "role_change",
        SettingsChange => "settings_change",
        WordAdd => "word_add",
        WordRemove => "word_remove",
        ArticleCreate => "article_create",
        ArticleUpdate => "article_update",
        Feature => "feature",
        Unfeature => "unfeature",
        NoteAdd => "note_add",
        NoteRemove => "note_remove",
        TrustedFlagger => "trusted_flagger",
    }
);

impl LogAction {
    /// Each action is about one kind of thing.
    pub fn target(self) -> TargetType {
        match self {
            LogAction::Approve
            | LogAction::Reject
            | LogAction::Delete
            | LogAction::Restore
            | LogAction::Feature
            | LogAction::Unfeature => TargetType::Comment,
            LogAction::Ban
            | LogAction::Unban
            | LogAction::RoleChange
            | LogAction::NoteAdd
            | LogAction::NoteRemove
            | LogAction::TrustedFlagger => TargetType::User,
            LogAction::SettingsChange => TargetType::Settings,
            LogAction::WordAdd | LogAction::WordRemove => TargetType::Word,
            LogAction::ArticleCreate | LogAction::ArticleUpdate => TargetType::Article,
        }
    }
}

/// The admin settings (docs/api.md), stored in the database and shared by every instance.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Settings {
    pub default_moderation: ModerationMode,
    pub edit_window_minutes: i64,
    pub report_threshold: i64,
    pub trusted_after: i64,
    pub max_links: i64,
    pub auto_create_articles: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            default_moderation: ModerationMode::Post,
            edit_window_minutes: 15,
            report_threshold: 3,
            trusted_after: 3,
            max_links: 2,
            auto_create_articles: false,
        }
    }
}
