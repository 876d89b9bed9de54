//! Moderators' decisions on comments, one by one or in bulk. Every
//! decision writes its log entry in the same transaction.

use super::{Conflict, ServiceError};
use crate::domain::dsa::{AutomatedDecision, Decision, Ground};
use crate::domain::events::EventType;
use crate::domain::ArticleId;
use crate::domain::{CommentId, CommentStatus, DeletedBy, LogAction, Note};
use crate::store::models::CommentWithAuthor;
use crate::store::{self, log::Entry, now_ms, DbConnection};

/// What a moderator does to a comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Approve,
    Reject,
    Delete,
    Restore,
}

impl Action {
    /// How the moderation log names it.
    pub fn logged_as(self) -> LogAction {
        match self {
            Action::Approve => LogAction::Approve,
            Action::Reject => LogAction::Reject,
            Action::Delete => LogAction::Delete,
            Action::Restore => LogAction::Restore,
        }
    }
}

/// Applies a moderator's decision and logs it. An action that leaves the
/// status unchanged still succeeds and is logged. A removal writes its
/// statement of reasons, on `ground` (by default the rule `abusive`).
pub fn act(
    conn: &mut DbConnection,
    actor_id: i64,
    comment_id: CommentId,
    action: Action,
    reason: Option<&Note>,
    ground: Option<&Ground>,
) -> Result<CommentWithAuthor, ServiceError> {
    let c = store::comments::find_row(conn, comment_id)?.ok_or(ServiceError::NotFound)?;
    let now = now_ms();
    // An author's own deletion is final: no decision brings the comment back,
    // directly or through another state (bulk reports it as `conflict`).
    let author_deleted =
        c.status == CommentStatus::Deleted && c.deleted_by == Some(DeletedBy::Author);
    match action {
        // Already deleted, by its author: it stays so (and stays final).
        Action::Delete if author_deleted => {}
        _ if author_deleted => return Err(ServiceError::Conflict(Conflict::AuthorDeletion)),
        Action::Approve => {
            store::comments::set_status(conn, comment_id, CommentStatus::Approved, None, None)?;
            store::reports::resolve(conn, CommentId(comment_id.get()), now)?;
        }
        Action::Reject => {
            store::comments::set_status(conn, comment_id, CommentStatus::Rejected, None, None)?
        }
        Action::Delete => store::comments::set_status(
            conn,
            comment_id,
            CommentStatus::Deleted,
            Some(DeletedBy::Moderator),
            None,
        )?,
        Action::Restore => {
            store::comments::set_status(conn, comment_id, CommentStatus::Approved, None, None)?;
        }
    }
    store::log::append(
        conn,
        Entry {
            actor_id,
            action: action.logged_as(),
            target_id: Some(comment_id.to_string()),
            reason: reason.map(Note::as_str),
        },
    )?;
    let decided = store::comments::get(conn, comment_id)?;
    let removed = matches!(
        decided.comment.status,
        CommentStatus::Rejected | CommentStatus::Deleted
    );
    let mut statement = None;
    if removed && decided.comment.status != c.status {
        let source = super::notices::source_of(conn, comment_id.get())?;
        statement = super::statements::record(
            conn,
            super::statements::Explained {
                decision: Decision::Removed,
                comment: Some(&decided.comment),
                user_id: None,
                ground: ground.cloned().unwrap_or_else(Ground::default_rule),
                facts: reason.map(|r| r.as_str().to_string()).unwrap_or_default(),
                automated_detection: false,
                automated_decision: AutomatedDecision::Not,
                source,
                actor_id: Some(actor_id),
            },
        )?;
    }
    // The decision settles the comment's open notices (DSA Art. 16(5)).
    super::notices::settle(conn, &decided.comment, removed, statement)?;
    if decided.comment.status != c.status {
        let kind = match decided.comment.status {
            CommentStatus::Approved => Some(EventType::CommentApproved),
            CommentStatus::Rejected => Some(EventType::CommentRejected),
            CommentStatus::Deleted => Some(EventType::CommentDeleted),
            CommentStatus::Pending => None,
        };
        if let Some(kind) = kind {
            let was_public = c.status == CommentStatus::Approved;
            super::events::record_comment_change(conn, kind, &decided, Some(actor_id), was_public)?;
        }
    }
    Ok(decided)
}

/// Features a comment as a staff pick (`on`) or takes it out, and logs it
/// (`feature`/`unfeature`) in the same transaction. Only an approved comment
/// can be featured (409 otherwise); taking one out always succeeds. The
/// article's version moves, since threads show the mark.
pub fn feature(
    conn: &mut DbConnection,
    actor_id: i64,
    comment_id: CommentId,
    on: bool,
) -> Result<CommentWithAuthor, ServiceError> {
    let id = comment_id.get();
    let c = store::comments::find_row(conn, CommentId(id))?.ok_or(ServiceError::NotFound)?;
    if on && c.status != CommentStatus::Approved {
        return Err(ServiceError::Conflict(Conflict::NotApproved));
    }
    // Featuring again keeps the first pick's time (the picks' order).
    let pick = match (on, c.featured_at) {
        (true, Some(at)) => Some((at, c.featured_by.unwrap_or(actor_id))),
        (true, None) => Some((now_ms(), actor_id)),
        (false, _) => None,
    };
    store::articles::touch(conn, ArticleId(c.article_id))?;
    store::comments::set_featured(conn, CommentId(id), pick)?;
    store::log::append(
        conn,
        Entry {
            actor_id,
            action: if on {
                LogAction::Feature
            } else {
                LogAction::Unfeature
            },
            target_id: Some(id.to_string()),
            reason: None,
        },
    )?;
    Ok(store::comments::get(conn, CommentId(id))?)
}

/// What a bulk decision did: ids done, and ids refused with why.
pub struct BulkOutcome {
    pub updated: Vec<CommentId>,
    pub failed: Vec<(CommentId, ServiceError)>,
}

/// One decision on many comments, in one transaction: each id succeeds or
/// fails on its own (`not_found`, `conflict`); any other error fails all.
pub fn bulk(
    conn: &mut DbConnection,
    actor_id: i64,
    ids: &[CommentId],
    action: Action,
    reason: Option<&Note>,
    ground: Option<&Ground>,
) -> Result<BulkOutcome, ServiceError> {
    let mut outcome = BulkOutcome {
        updated: Vec::new(),
        failed: Vec::new(),
    };
    for &id in ids {
        match act(conn, actor_id, id, action, reason, ground) {
            Ok(_) => outcome.updated.push(id),
            Err(e @ (ServiceError::NotFound | ServiceError::Conflict(_))) => {
                outcome.failed.push((id, e))
            }
            Err(e) => return Err(e),
        }
    }
    Ok(outcome)
}
