//! Notices of illegal content (DSA Art. 16): anyone files one about a
//! comment they can see and hears back by mail; a trusted flagger's
//! (Art. 22) is marked and comes first. A moderator's decision on the
//! comment settles its open notices in the decision's transaction.

use super::letters;
use super::mail::{self, Kind};
use super::ServiceError;
use crate::domain::cursor::Page;
use crate::domain::dsa::{self, Notice, NoticeCategory, NoticeOutcome, Source};
use crate::domain::Failure;
use crate::domain::{CommentId, CommentStatus};
use crate::i18n::Locale;
use crate::store::models::{CommentRow, CommentWithAuthor, UserRow};
use crate::store::{self, now_ms, DbConnection};

/// A notice as checked at the edge.
pub struct NoticeDraft {
    pub category: NoticeCategory,
    pub explanation: String,
    pub name: Option<String>,
    pub email: Option<String>,
}

/// Files a notice about a comment readers can see (staff may notify any).
/// The notifier who gave an address gets an acknowledgement at once.
pub fn file(
    conn: &mut DbConnection,
    caller: Option<&UserRow>,
    comment_id: CommentId,
    draft: NoticeDraft,
    locale: Locale,
) -> Result<Notice, ServiceError> {
    let c = store::comments::find_row(conn, comment_id)?.ok_or(ServiceError::NotFound)?;
    let staff = caller.is_some_and(|u| u.role.is_staff());
    if c.status != CommentStatus::Approved && !staff {
        return Err(ServiceError::NotFound);
    }
    let notice = Notice {
        id: 0,
        comment_id: c.id,
        category: draft.category,
        explanation: draft.explanation,
        name: draft.name,
        email: draft.email,
        user_id: caller.map(|u| u.id),
        trusted: caller.is_some_and(|u| u.trusted_flagger),
        locale: locale.as_str().to_string(),
        created_at: now_ms(),
        decided_at: None,
        outcome: None,
        statement_id: None,
    };
    let id = store::notices::insert(conn, &notice)?;
    if let Some(email) = notice.email.as_deref() {
        let letter = letters::notice_received(
            locale,
            notice.name.as_deref(),
            notice.category.as_str(),
            &dsa::excerpt(&c.body),
            &c.dir,
        );
        let key = format!("notice:{id}:received");
        mail::enqueue_to(conn, Kind::Notice, &key, notice.user_id, email, &letter)?;
    }
    Ok(store::notices::get(conn, id)?)
}

/// What brought a comment to a moderator: a trusted flagger's notice, a
/// notice, readers' reports, or nothing.
pub fn source_of(conn: &mut DbConnection, comment_id: i64) -> Result<Source, ServiceError> {
    let open = store::notices::open_for(conn, CommentId(comment_id))?;
    Ok(if open.iter().any(|n| n.trusted) {
        Source::TrustedFlagger
    } else if !open.is_empty() {
        Source::Notice
    } else if store::reports::open_count(conn, CommentId(comment_id))? > 0 {
        Source::Report
    } else {
        Source::OwnInitiative
    })
}

/// Settles the open notices of `comment` after a moderator's decision
/// (removed or kept), with the statement it wrote, and tells each notifier
/// who gave an address. A moderator decided: no automated means.
pub fn settle(
    conn: &mut DbConnection,
    comment: &CommentRow,
    removed: bool,
    statement_id: Option<i64>,
) -> Result<(), ServiceError> {
    let outcome = if removed {
        NoticeOutcome::Removed
    } else {
        NoticeOutcome::Kept
    };
    let settled =
        store::notices::settle(conn, CommentId(comment.id), outcome, statement_id, now_ms())?;
    let excerpt = dsa::excerpt(&comment.body);
    for n in settled {
        let Some(email) = n.email.as_deref() else {
            continue;
        };
        // Read as a `Locale` by the store: this is the text of a known one.
        let locale = Locale::parse(&n.locale)
            .ok_or_else(|| Failure::new(format!("notice {}: locale {:?}", n.id, n.locale)))?;
        let letter = letters::notice_decided(
            locale,
            n.name.as_deref(),
            removed,
            false,
            &excerpt,
            &comment.dir,
        );
        let key = format!("notice:{}:decided", n.id);
        mail::enqueue_to(conn, Kind::Notice, &key, n.user_id, email, &letter)?;
    }
    Ok(())
}

/// One page of the open notices, each with its comment.
pub struct NoticePage {
    pub notices: Vec<(Notice, Option<CommentWithAuthor>)>,
    pub next_cursor: Option<String>,
}

/// The open notices: trusted flaggers' first, then oldest first.
pub fn queue(conn: &mut DbConnection, page: Page) -> Result<NoticePage, ServiceError> {
    let rows = store::notices::open_queue(conn, page.after, page.fetch())?;
    let (rows, next_cursor) = page.finish(rows, store::notices::queue_cursor);
    let notices = rows
        .into_iter()
        .map(|n| {
            let c = store::comments::find(conn, CommentId(n.comment_id))?;
            Ok((n, c))
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    Ok(NoticePage {
        notices,
        next_cursor,
    })
}
