//! Appeals against statements of reasons (DSA Art. 20): filed by the
//! author within `dsa.appeal_days`, decided by a person; a reversal
//! restores the comment or lifts the ban, in the same transaction.

use super::decisions::{self, Action};
use crate::config::DsaConfig;
use crate::domain::cursor::{Cursor, Page};
use crate::domain::dsa::{Appeal, AppealOutcome, AppealStatus, Statement};
use crate::domain::{CommentId, Note, UserId};
use crate::error::ApiError;
use crate::store::models::UserRow;
use crate::store::{self, now_ms, DbConnection};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The last moment `statement` may be appealed.
pub fn deadline(statement: &Statement, config: &DsaConfig) -> i64 {
    statement.decided_at + config.appeal_days * DAY_MS
}

/// The author appeals one of their statements.
pub fn file(
    conn: &mut DbConnection,
    author: &UserRow,
    statement_id: i64,
    text: &Note,
    config: &DsaConfig,
) -> Result<Appeal, ApiError> {
    if !config.appeals {
        return Err(ApiError::Forbidden);
    }
    let statement = store::statements::get(conn, statement_id)?;
    if statement.user_id != Some(author.id) {
        return Err(ApiError::NotFound);
    }
    if store::appeals::exists_for(conn, statement_id)? {
        return Err(ApiError::AlreadyAppealed);
    }
    let now = now_ms();
    if now > deadline(&statement, config) {
        return Err(ApiError::AppealWindowClosed);
    }
    let limit = config.unfounded_appeals_limit;
    if limit > 0 && store::appeals::upheld_in_a_row(conn, author.id)? >= limit {
        return Err(ApiError::AppealsSuspended);
    }
    let id = store::appeals::insert(conn, statement_id, author.id, text.as_str(), now)?;
    store::statements::set_appeal_status(conn, statement_id, AppealStatus::Open)?;
    store::appeals::get(conn, id)
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
) -> Result<(Appeal, Statement), ApiError> {
    let appeal = store::appeals::get(conn, appeal_id)?;
    if appeal.user_id == judge.id {
        return Err(ApiError::Forbidden);
    }
    if appeal.status != AppealStatus::Open {
        return Err(ApiError::Conflict(crate::error::Conflict::AppealDecided));
    }
    let statement = store::statements::get(conn, appeal.statement_id)?;
    if config.appeal_by_other_moderator && statement.actor_id == Some(judge.id) {
        let others = store::users::staff(conn)?
            .iter()
            .any(|u| u.id != judge.id && u.id != appeal.user_id && u.erased_at.is_none());
        if others {
            return Err(ApiError::AppealNeedsOtherModerator);
        }
    }
    let now = now_ms();
    let status = outcome.status();
    store::appeals::decide(
        conn,
        appeal.id,
        status,
        judge.id,
        reason.map(Note::as_str),
        now,
    )?;
    store::statements::set_appeal_status(conn, statement.id, status)?;
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
    let appeal = store::appeals::get(conn, appeal.id)?;
    Ok((appeal, store::statements::get(conn, statement.id)?))
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
) -> Result<AppealPage, ApiError> {
    let rows = store::appeals::list(conn, status, page.after, page.fetch())?;
    let (rows, next_cursor) = page.finish(rows, |a| Cursor {
        key: a.id,
        id: a.id,
    });
    let appeals = rows
        .into_iter()
        .map(|a| {
            let s = store::statements::get(conn, a.statement_id)?;
            Ok((a, s))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(AppealPage {
        appeals,
        next_cursor,
    })
}
