//! Appeals against statements of reasons (DSA Art. 20): filed by the
//! author within `dsa.appeal_days`, decided by a person; a reversal
//! restores the comment or lifts the ban, in the same transaction.

use super::decisions::{self, Action};
use super::ServiceError;
use crate::config::DsaConfig;
use crate::domain::cursor::{Cursor, Page};
use crate::domain::dsa::{Appeal, AppealOutcome, AppealStatus, Statement};
use crate::domain::{AppealId, StatementId};
use crate::domain::{CommentId, Note, UserId};
use crate::store::models::UserRow;
use crate::store::{self, now_ms, DbConnection};

/// The author appeals one of their statements.
pub fn file(
    conn: &mut DbConnection,
    author: &UserRow,
    statement_id: i64,
    text: &Note,
    config: &DsaConfig,
) -> Result<Appeal, ServiceError> {
    if !config.appeals {
        return Err(ServiceError::Forbidden);
    }
    let statement = store::statements::get(conn, StatementId(statement_id))?;
    if statement.user_id != Some(author.id) {
        return Err(ServiceError::NotFound);
    }
    if store::appeals::exists_for(conn, StatementId(statement_id))? {
        return Err(ServiceError::AlreadyAppealed);
    }
    let now = now_ms();
    if now > statement.appeal_deadline(config.appeal_days) {
        return Err(ServiceError::AppealWindowClosed);
    }
    let limit = config.unfounded_appeals_limit;
    if limit > 0 && store::appeals::upheld_in_a_row(conn, UserId(author.id))? >= limit {
        return Err(ServiceError::AppealsSuspended);
    }
    let id = store::appeals::insert(
        conn,
        StatementId(statement_id),
        UserId(author.id),
        text.as_str(),
        now,
    )?;
    store::statements::set_appeal_status(conn, StatementId(statement_id), AppealStatus::Open)?;
    Ok(store::appeals::get(conn, AppealId(id))?)
}

/// A moderator decides an open appeal. Whoever made the decision appealed
/// does not judge it while the site has another moderator (unless
/// `dsa.appeal_by_other_moderator` is off); nobody judges their own appeal.
pub fn decide(
    conn: &mut DbConnection,
    judge: &UserRow,
    appeal_id: i64,
    outcome: AppealOutcome,
    reason: Option<&Note>,
    config: &DsaConfig,
) -> Result<(Appeal, Statement), ServiceError> {
    let appeal = store::appeals::get(conn, AppealId(appeal_id))?;
    if appeal.user_id == judge.id {
        return Err(ServiceError::Forbidden);
    }
    if appeal.status != AppealStatus::Open {
        return Err(ServiceError::Conflict(super::Conflict::AppealDecided));
    }
    let statement = store::statements::get(conn, StatementId(appeal.statement_id))?;
    if config.appeal_by_other_moderator && statement.actor_id == Some(judge.id) {
        let others = store::users::staff(conn)?
            .iter()
            .any(|u| u.id != judge.id && u.id != appeal.user_id && u.erased_at.is_none());
        if others {
            return Err(ServiceError::AppealNeedsOtherModerator);
        }
    }
    let now = now_ms();
    let status = outcome.status();
    store::appeals::decide(
        conn,
        AppealId(appeal.id),
        status,
        judge.id,
        reason.map(Note::as_str),
        now,
    )?;
    store::statements::set_appeal_status(conn, StatementId(statement.id), status)?;
    if outcome == AppealOutcome::Reversed {
        // The log says the restoration came from the appeal.
        let why = match reason {
            Some(r) => format!("appeal {} reversed: {}", appeal.id, r.as_str()),
            None => format!("appeal {} reversed", appeal.id),
        };
        let why = Note::parse("reason", &why, usize::MAX)?;
        match (statement.comment.as_ref(), statement.user_id) {
            (Some(&(comment_id, _)), _) => {
                let id = CommentId(comment_id);
                decisions::act(conn, judge.id, id, Action::Restore, why.as_ref(), None)?;
            }
            (None, Some(user_id)) => {
                super::bans::unban(conn, judge, UserId(user_id), why.as_ref())?;
            }
            (None, None) => {}
        }
    }
    super::dsa_mail::appeal_decided(
        conn,
        appeal.id,
        appeal.user_id,
        outcome == AppealOutcome::Reversed,
        reason.map(Note::as_str),
        config.unfounded_appeals_limit,
    )?;
    let appeal = store::appeals::get(conn, AppealId(appeal.id))?;
    Ok((
        appeal,
        store::statements::get(conn, StatementId(statement.id))?,
    ))
}

/// One page of appeals, oldest first, each with its statement.
pub struct AppealPage {
    pub appeals: Vec<(Appeal, Statement)>,
    pub next_cursor: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    status: Option<AppealStatus>,
    page: Page,
) -> Result<AppealPage, ServiceError> {
    let rows = store::appeals::list(conn, status, page.after, page.fetch())?;
    let (rows, next_cursor) = page.finish(rows, |a| Cursor {
        key: a.id,
        id: a.id,
    });
    let appeals = rows
        .into_iter()
        .map(|a| {
            let s = store::statements::get(conn, StatementId(a.statement_id))?;
            Ok((a, s))
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    Ok(AppealPage {
        appeals,
        next_cursor,
    })
}
