//! Moderators' work: reports, decisions on comments, bans, the queue.
//! Every decision writes its log row in the same transaction.

use crate::domain::{CommentStatus, DeletedBy, ReportReason, Role};
use crate::error::{ApiError, Conflict};
use crate::moderation::Reason;
use crate::store::models::{CommentWithAuthor, ReportRow, UserRow};
use crate::store::{self, log::Entry, now_ms, DbConnection};
use std::collections::HashMap;

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
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Delete => "delete",
            Action::Restore => "restore",
        }
    }
}

/// A reader reports a comment they can see and did not write.
pub fn report(
    conn: &mut DbConnection,
    reporter: &UserRow,
    comment_id: i64,
    reason: ReportReason,
    note: Option<&str>,
) -> Result<ReportRow, ApiError> {
    let c = store::comments::get(conn, comment_id)?;
    if c.comment.status() != CommentStatus::Approved && !reporter.role().is_staff() {
        return Err(ApiError::NotFound);
    }
    if c.comment.author_id == Some(reporter.id) {
        return Err(ApiError::Forbidden);
    }
    let report = store::reports::insert(
        conn,
        store::reports::NewReport {
            comment_id,
            reporter_id: reporter.id,
            reason: reason.as_str(),
            note,
            snapshot: &c.comment.body,
            created_at: now_ms(),
        },
    )?;
    let settings = store::settings::load(conn)?;
    if c.comment.status() == CommentStatus::Approved
        && store::reports::open_count(conn, comment_id)? >= settings.report_threshold
    {
        // Held for the reports alone: earlier reasons were settled when it
        // was approved (and "reports" must not pile up on a second hold).
        store::comments::set_status(
            conn,
            comment_id,
            CommentStatus::Pending,
            None,
            Some(Reason::Reports.as_str()),
        )?;
    }
    Ok(report)
}

/// Applies a moderator's decision and logs it. An action that leaves the
/// status unchanged still succeeds and is logged.
pub fn act(
    conn: &mut DbConnection,
    actor_id: i64,
    comment_id: i64,
    action: Action,
    reason: Option<&str>,
) -> Result<CommentWithAuthor, ApiError> {
    let c = store::comments::find_row(conn, comment_id)?.ok_or(ApiError::NotFound)?;
    let now = now_ms();
    // An author's own deletion is final: no decision brings the comment back,
    // directly or through another state (design.md §3; bulk's `conflict`).
    let author_deleted = c.status() == CommentStatus::Deleted
        && c.deleted_by.as_deref() == Some(DeletedBy::Author.as_str());
    match action {
        // Already deleted, by its author: it stays so (and stays final).
        Action::Delete if author_deleted => {}
        _ if author_deleted => return Err(ApiError::Conflict(Conflict::AuthorDeletion)),
        Action::Approve => {
            store::comments::set_status(conn, comment_id, CommentStatus::Approved, None, None)?;
            store::reports::resolve(conn, comment_id, now)?;
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
            action: action.as_str(),
            target_type: "comment",
            target_id: Some(comment_id.to_string()),
            reason,
        },
    )?;
    store::comments::get(conn, comment_id)
}

/// A moderator's view of an account.
pub struct Standing {
    pub user: UserRow,
    pub approved_count: i64,
    pub pending_count: i64,
    pub rejected_count: i64,
    pub recent_comments: Vec<CommentWithAuthor>,
}

pub fn standing(conn: &mut DbConnection, user_id: i64) -> Result<Standing, ApiError> {
    let user = store::users::get(conn, user_id)?;
    // Approved and rejected are kept on the account by every write.
    Ok(Standing {
        approved_count: user.approved_count,
        pending_count: store::comments::count_by_author(
            conn,
            user_id,
            CommentStatus::Pending,
            None,
        )?,
        rejected_count: user.rejected_count,
        recent_comments: store::comments::recent_by_author(conn, user_id, 20)?,
        user,
    })
}

/// Who may ban whom: nobody themselves, moderators only readers.
fn check_can_ban(actor: &UserRow, target: &UserRow) -> Result<(), ApiError> {
    if actor.id == target.id {
        return Err(ApiError::Forbidden);
    }
    if actor.role() != Role::Admin && target.role().is_staff() {
        return Err(ApiError::Forbidden);
    }
    Ok(())
}

pub fn ban(
    conn: &mut DbConnection,
    actor: &UserRow,
    user_id: i64,
    until: Option<i64>,
    reason: &str,
) -> Result<Standing, ApiError> {
    let target = store::users::get(conn, user_id)?;
    if target.erased_at.is_some() {
        return Err(ApiError::NotFound);
    }
    check_can_ban(actor, &target)?;
    store::users::ban(conn, user_id, now_ms(), until, Some(reason))?;
    log_user(conn, actor.id, "ban", user_id, Some(reason))?;
    standing(conn, user_id)
}

pub fn unban(
    conn: &mut DbConnection,
    actor: &UserRow,
    user_id: i64,
    reason: Option<&str>,
) -> Result<Standing, ApiError> {
    let target = store::users::get(conn, user_id)?;
    if target.erased_at.is_some() {
        return Err(ApiError::NotFound);
    }
    check_can_ban(actor, &target)?;
    store::users::unban(conn, user_id)?;
    log_user(conn, actor.id, "unban", user_id, reason)?;
    standing(conn, user_id)
}

fn log_user(
    conn: &mut DbConnection,
    actor_id: i64,
    action: &str,
    user_id: i64,
    reason: Option<&str>,
) -> Result<(), ApiError> {
    store::log::append(
        conn,
        Entry {
            actor_id,
            action,
            target_type: "user",
            target_id: Some(user_id.to_string()),
            reason,
        },
    )
}

/// A queue row with what a moderator needs to decide.
pub struct QueueItem {
    pub comment: CommentWithAuthor,
    pub article_title: String,
    /// The author's account, with the counts kept on it.
    pub author: Option<UserRow>,
    pub reports: HashMap<String, i64>,
    /// (reason, note) of open reports that carry a note, newest first.
    pub report_notes: Vec<(String, String)>,
}

/// Report notes shown per queue item, and read per page at most.
const NOTES_PER_ITEM: usize = 5;
const NOTES_PER_PAGE: i64 = 250;

/// Adds to a page of the queue the article titles, authors' standing and
/// open reports, with one query each for the whole page.
pub fn queue_items(
    conn: &mut DbConnection,
    rows: Vec<CommentWithAuthor>,
) -> Result<Vec<QueueItem>, ApiError> {
    let ids: Vec<i64> = rows.iter().map(|c| c.comment.id).collect();
    let author_ids: Vec<i64> = rows.iter().filter_map(|c| c.comment.author_id).collect();
    let mut reports: HashMap<i64, HashMap<String, i64>> = HashMap::new();
    for (comment_id, reason, n) in store::reports::open_by_reason(conn, &ids)? {
        reports.entry(comment_id).or_default().insert(reason, n);
    }
    // Only pages with reports pay for their notes.
    let reported: Vec<i64> = reports.keys().copied().collect();
    let mut notes: HashMap<i64, Vec<(String, String)>> = HashMap::new();
    if !reported.is_empty() {
        for (comment_id, reason, note) in
            store::reports::open_notes(conn, &reported, NOTES_PER_PAGE)?
        {
            let kept = notes.entry(comment_id).or_default();
            if kept.len() < NOTES_PER_ITEM {
                kept.push((reason, note));
            }
        }
    }
    let article_ids: Vec<i64> = rows.iter().map(|c| c.comment.article_id).collect();
    let titles: HashMap<i64, String> = store::articles::titles(conn, &article_ids)?;
    let authors: HashMap<i64, UserRow> = store::users::find_many(conn, &author_ids)?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut items = Vec::with_capacity(rows.len());
    for c in rows {
        let author = c.comment.author_id.and_then(|id| authors.get(&id).cloned());
        items.push(QueueItem {
            reports: reports.remove(&c.comment.id).unwrap_or_default(),
            report_notes: notes.remove(&c.comment.id).unwrap_or_default(),
            article_title: titles
                .get(&c.comment.article_id)
                .cloned()
                .unwrap_or_default(),
            author,
            comment: c,
        });
    }
    Ok(items)
}
