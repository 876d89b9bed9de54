//! Readers' reports, and the hold that enough of them put on a comment.

use super::ServiceError;
use crate::domain::dsa::{AutomatedDecision, Decision, Ground, Source};
use crate::domain::events::{Event, Report};
use crate::domain::{CommentId, CommentStatus, Note, Reasons, ReportReason};
use crate::screening::Reason;
use crate::store::models::{ReportRow, UserRow};
use crate::store::{self, now_ms, DbConnection};
use std::borrow::Cow;

/// A reader reports a comment they can see and did not write.
pub fn report(
    conn: &mut DbConnection,
    reporter: &UserRow,
    comment_id: CommentId,
    reason: ReportReason,
    note: Option<&Note>,
) -> Result<ReportRow, ServiceError> {
    let c = store::comments::get(conn, comment_id)?;
    if c.comment.status != CommentStatus::Approved && !reporter.role.is_staff() {
        return Err(ServiceError::NotFound);
    }
    if c.comment.author_id == Some(reporter.id) {
        return Err(ServiceError::Forbidden);
    }
    let report = store::reports::insert(
        conn,
        store::reports::NewReport {
            comment_id: comment_id.get(),
            reporter_id: reporter.id,
            reason,
            note: note.map(Note::as_str),
            snapshot: &c.comment.body,
            created_at: now_ms(),
        },
    )?;
    let settings = store::settings::load(conn)?;
    let held = c.comment.status == CommentStatus::Approved
        && store::reports::open_count(conn, CommentId(comment_id.get()))?
            >= settings.report_threshold;
    let reported = Event::CommentReported(Report {
        article_key: Cow::Borrowed(&c.article_key),
        author_id: c.comment.author_id,
        body: Cow::Borrowed(&c.comment.body),
        comment_id: comment_id.get(),
        held,
        parent_id: c.comment.parent_id,
        reason,
        report_id: report.id,
        status: c.comment.status,
    });
    super::events::record(conn, &reported)?;
    if held {
        // Held for the reports alone: earlier reasons were settled when it
        // was approved (and "reports" must not pile up on a second hold).
        store::comments::set_status(
            conn,
            comment_id,
            CommentStatus::Pending,
            None,
            Some(&Reasons(vec![Reason::Reports])),
        )?;
        // The hold hides a published comment: its author is told why.
        let held = store::comments::get(conn, comment_id)?;
        super::statements::record(
            conn,
            super::statements::Explained {
                decision: Decision::Restricted,
                comment: Some(&held.comment),
                user_id: None,
                ground: Ground::default_rule(),
                facts: Reason::Reports.as_str().to_string(),
                automated_detection: false,
                automated_decision: AutomatedDecision::Fully,
                source: Source::Report,
                actor_id: None,
            },
        )?;
    }
    Ok(report)
}
