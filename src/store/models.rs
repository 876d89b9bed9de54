//! Rows as stored, and what is inserted. Views for clients live in `api::views`.

use super::schema::*;
use crate::domain::{
    CommentStatus, DeletedBy, LogAction, ModerationMode, Reasons, ReportReason, Role, TargetType,
};
use crate::i18n::Locale;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub username_skeleton: String,
    pub email: Option<String>,
    pub password_hash: String,
    pub display_name: Option<String>,
    pub role: Role,
    pub locale: Locale,
    pub banned_at: Option<i64>,
    pub banned_until: Option<i64>,
    pub ban_reason: Option<String>,
    pub created_at: i64,
    pub erased_at: Option<i64>,
    /// Approved and rejected comments, kept by every write (`counters::count_change`).
    pub approved_count: i64,
    pub rejected_count: i64,
    /// When the address was shown to be the reader's (a link followed).
    pub email_verified_at: Option<i64>,
    /// Mail me when a reply to my comment is approved.
    pub notify_replies: bool,
    /// Mail me (a moderator) when comments wait in the queue.
    pub notify_queue: bool,
    pub queue_digest_at: Option<i64>,
    /// The site's badges (sign-in by the site), a JSON array; '' when none.
    pub badges: String,
    /// A trusted flagger (DSA Art. 22): their notices come first.
    pub trusted_flagger: bool,
}

impl UserRow {
    /// Whether a password was ever set: accounts made by an import or by the
    /// site's sign-in store a marker starting with `!`, never a hash.
    pub fn has_password(&self) -> bool {
        !self.password_hash.starts_with('!')
    }

    /// A ban counts until its `banned_until`; a ban without one is permanent.
    pub fn is_banned(&self, now: i64) -> bool {
        self.banned_at.is_some() && self.banned_until.is_none_or(|until| until > now)
    }

    pub fn badges(&self) -> Vec<String> {
        parse_badges(&self.badges)
    }
}

/// Stored badges: a JSON array of strings, or '' for none.
pub fn parse_badges(stored: &str) -> Vec<String> {
    if stored.is_empty() {
        return Vec::new();
    }
    serde_json::from_str(stored).unwrap_or_default()
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub username_skeleton: &'a str,
    pub email: Option<&'a str>,
    pub password_hash: &'a str,
    pub display_name: Option<&'a str>,
    pub role: Role,
    pub locale: Locale,
    pub created_at: i64,
}

/// A comment author as readers see them.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct AuthorRow {
    pub id: i64,
    pub username: String,
    pub display_name: Option<String>,
    /// For the staff badge.
    pub role: Role,
    pub badges: String,
}

impl AuthorRow {
    pub fn of(user: &UserRow) -> AuthorRow {
        AuthorRow {
            id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            badges: user.badges.clone(),
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles)]
pub struct ArticleRow {
    pub id: i64,
    pub key: String,
    pub title: String,
    pub url: Option<String>,
    pub comments_open: bool,
    pub moderation: Option<ModerationMode>,
    pub created_at: i64,
    /// Approved comments, kept by every write (`articles::recount`).
    pub approved_count: i64,
}

impl ArticleRow {
    /// The article's own mode, or the site default when it has none.
    pub fn mode(&self, default: ModerationMode) -> ModerationMode {
        self.moderation.unwrap_or(default)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = articles)]
pub struct NewArticle<'a> {
    pub key: &'a str,
    pub title: &'a str,
    pub url: Option<&'a str>,
    pub comments_open: bool,
    pub moderation: Option<ModerationMode>,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = comments)]
pub struct CommentRow {
    pub id: i64,
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: Option<i64>,
    pub body: String,
    pub html: String,
    pub dir: String,
    pub status: CommentStatus,
    pub deleted_by: Option<DeletedBy>,
    pub reasons: Reasons,
    pub depth: i32,
    pub dup_key: String,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    /// JSON array of the word filters' explanations (`moderation::WordMatch`).
    pub word_matches: String,
    /// Readers' reactions, kept with the rows (`store::reactions`).
    pub reactions: i64,
    /// When a moderator featured it (a staff pick), and who.
    pub featured_at: Option<i64>,
    pub featured_by: Option<i64>,
}

/// `None` is written as NULL (what those columns default to anyway), so
/// every insert has one SQL text and its prepared statement is reused.
#[derive(Debug, Insertable)]
#[diesel(table_name = comments, treat_none_as_default_value = false)]
pub struct NewComment<'a> {
    pub article_id: i64,
    pub parent_id: Option<i64>,
    pub author_id: Option<i64>,
    pub body: &'a str,
    pub html: &'a str,
    pub dir: &'a str,
    pub status: CommentStatus,
    pub reasons: Reasons,
    pub depth: i32,
    pub dup_key: &'a str,
    pub created_at: i64,
    pub word_matches: &'a str,
}

/// A comment with its author and its article's key, as a thread shows it.
#[derive(Debug, Clone)]
pub struct CommentWithAuthor {
    pub comment: CommentRow,
    pub author: Option<AuthorRow>,
    pub article_key: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = moderation_log)]
pub struct LogRow {
    pub id: i64,
    pub actor_id: i64,
    pub action: LogAction,
    pub target_type: TargetType,
    pub target_id: Option<String>,
    pub reason: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = moderation_log)]
pub struct NewLogEntry<'a> {
    pub actor_id: i64,
    pub action: LogAction,
    pub target_type: TargetType,
    pub target_id: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = reports)]
pub struct ReportRow {
    pub id: i64,
    pub comment_id: i64,
    pub reporter_id: i64,
    pub reason: ReportReason,
    pub note: Option<String>,
    pub snapshot: String,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = words)]
pub struct WordRow {
    pub id: i64,
    pub pattern: String,
    pub folded: String,
    pub kind: crate::text::WordKind,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, AsChangeset)]
#[diesel(table_name = settings)]
pub struct SettingsRow {
    pub default_moderation: ModerationMode,
    pub edit_window_minutes: i64,
    pub report_threshold: i64,
    pub trusted_after: i64,
    pub max_links: i64,
    pub auto_create_articles: bool,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub id: i64,
    pub uid: String,
    pub kind: String,
    pub data: String,
    pub created_at: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = events)]
pub struct NewEvent<'a> {
    pub uid: &'a str,
    pub kind: &'a str,
    pub data: &'a str,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: i64,
    pub url: String,
    /// Comma-separated event types.
    pub events: String,
    pub secret: String,
    pub enabled: bool,
    /// Consecutive failed attempts.
    pub failures: i64,
    pub disabled_at: Option<i64>,
    pub created_at: i64,
}

impl WebhookRow {
    pub fn event_types(&self) -> Vec<crate::domain::events::EventType> {
        self.events
            .split(',')
            .filter_map(crate::domain::events::EventType::parse)
            .collect()
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = webhooks)]
pub struct NewWebhook<'a> {
    pub url: &'a str,
    pub events: &'a str,
    pub secret: &'a str,
    pub enabled: bool,
    pub failures: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = webhook_attempts)]
pub struct AttemptRow {
    pub id: i64,
    pub webhook_id: i64,
    pub delivery_id: i64,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub ok: bool,
    pub attempted_at: i64,
}

/// An attempt with the event it carried, as admins read it.
#[derive(Debug, Clone)]
pub struct AttemptWithEvent {
    pub attempt: AttemptRow,
    pub event_uid: String,
    pub event_kind: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = account_tokens)]
pub struct AccountTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub purpose: String,
    pub token_hash: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub used_at: Option<i64>,
}

/// A mail in the outbox.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mails)]
pub struct MailRow {
    pub id: i64,
    pub dedup_key: String,
    pub kind: String,
    pub user_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub unsubscribe_url: Option<String>,
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = mails)]
pub struct NewMail<'a> {
    pub dedup_key: &'a str,
    pub kind: &'a str,
    pub user_id: Option<i64>,
    pub recipient: &'a str,
    pub subject: &'a str,
    pub text_body: &'a str,
    pub html_body: &'a str,
    pub unsubscribe_url: Option<&'a str>,
    pub state: &'a str,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sso_identities)]
pub struct SsoIdentityRow {
    pub id: i64,
    pub site: String,
    pub subject: String,
    pub user_id: i64,
    pub last_iat: i64,
    pub created_at: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sso_identities)]
pub struct NewSsoIdentity<'a> {
    pub site: &'a str,
    pub subject: &'a str,
    pub user_id: i64,
    pub last_iat: i64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = user_notes)]
pub struct NoteRow {
    pub id: i64,
    pub user_id: i64,
    pub author_id: i64,
    pub text: String,
    pub created_at: i64,
}

/// A note with its author, as staff read it.
#[derive(Debug, Clone)]
pub struct NoteWithAuthor {
    pub note: NoteRow,
    pub author: AuthorRow,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = user_notes)]
pub struct NewNote<'a> {
    pub user_id: i64,
    pub author_id: i64,
    pub text: &'a str,
    pub created_at: i64,
}

/// A sign-in with an OpenID Connect provider under way (`oidc_logins`).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = oidc_logins)]
pub struct OidcLoginRow {
    pub state_hash: String,
    /// The SHA-256 of the starting browser's cookie.
    pub browser_hash: String,
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub return_to: String,
    pub expires_at: i64,
}
