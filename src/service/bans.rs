//! Accounts as moderators see them, and bans. Bans and lifts are logged
//! in the same transaction.

use super::ServiceError;
use crate::domain::dsa::{AutomatedDecision, Decision, Ground, Source};
use crate::domain::events::{Ban, Event, Unban};
use crate::domain::{CommentStatus, LogAction, Note, Role, UserId};
use crate::store::models::{CommentWithAuthor, UserRow};
use crate::store::{self, log::Entry, now_ms, DbConnection};
use std::borrow::Cow;

/// A ban as a moderator orders it: until when (`None`: for good) and why.
pub struct BanOrder {
    pub until: Option<i64>,
    pub reason: Note,
    /// The statement's ground (by default the rule `abusive`).
    pub ground: Ground,
}

/// A moderator's view of an account.
pub struct AccountStanding {
    pub user: UserRow,
    pub approved_count: i64,
    pub pending_count: i64,
    pub rejected_count: i64,
    pub recent_comments: Vec<CommentWithAuthor>,
}

pub fn standing(conn: &mut DbConnection, user_id: UserId) -> Result<AccountStanding, ServiceError> {
    let user = store::users::get(conn, user_id)?;
    // Approved and rejected are kept on the account by every write.
    Ok(AccountStanding {
        approved_count: user.approved_count,
        pending_count: store::comments::count_by_author(
            conn,
            UserId(user_id.get()),
            CommentStatus::Pending,
            None,
        )?,
        rejected_count: user.rejected_count,
        recent_comments: store::comments::recent_by_author(conn, UserId(user_id.get()), 20)?,
        user,
    })
}

/// Who may ban whom: nobody themselves, moderators only readers.
fn check_can_ban(actor: &UserRow, target: &UserRow) -> Result<(), ServiceError> {
    if actor.id == target.id {
        return Err(ServiceError::Forbidden);
    }
    if actor.role != Role::Admin && target.role.is_staff() {
        return Err(ServiceError::Forbidden);
    }
    Ok(())
}

pub fn ban(
    conn: &mut DbConnection,
    actor: &UserRow,
    user_id: UserId,
    order: &BanOrder,
) -> Result<AccountStanding, ServiceError> {
    let target = store::users::get(conn, user_id)?;
    if target.erased_at.is_some() {
        return Err(ServiceError::NotFound);
    }
    check_can_ban(actor, &target)?;
    let reason = order.reason.as_str();
    store::users::ban(conn, UserId(target.id), now_ms(), order.until, Some(reason))?;
    log_user(conn, actor.id, LogAction::Ban, target.id, Some(reason))?;
    super::statements::record(
        conn,
        super::statements::Explained {
            decision: Decision::AccountSuspended,
            comment: None,
            user_id: Some(target.id),
            ground: order.ground.clone(),
            facts: reason.to_string(),
            automated_detection: false,
            automated_decision: AutomatedDecision::Not,
            source: Source::OwnInitiative,
            actor_id: Some(actor.id),
        },
    )?;
    let banned = Event::UserBanned(Ban {
        actor_id: actor.id,
        reason: Cow::Borrowed(reason),
        until: order.until,
        user_id: target.id,
    });
    super::events::record(conn, &banned)?;
    standing(conn, user_id)
}

pub fn unban(
    conn: &mut DbConnection,
    actor: &UserRow,
    user_id: UserId,
    reason: Option<&Note>,
) -> Result<AccountStanding, ServiceError> {
    let target = store::users::get(conn, user_id)?;
    if target.erased_at.is_some() {
        return Err(ServiceError::NotFound);
    }
    check_can_ban(actor, &target)?;
    store::users::unban(conn, UserId(target.id))?;
    log_user(
        conn,
        actor.id,
        LogAction::Unban,
        target.id,
        reason.map(Note::as_str),
    )?;
    let unbanned = Event::UserUnbanned(Unban {
        actor_id: actor.id,
        reason: reason.map(|r| Cow::Borrowed(r.as_str())),
        user_id: target.id,
    });
    super::events::record(conn, &unbanned)?;
    standing(conn, user_id)
}

fn log_user(
    conn: &mut DbConnection,
    actor_id: i64,
    action: LogAction,
    user_id: i64,
    reason: Option<&str>,
) -> Result<(), ServiceError> {
    Ok(store::log::append(
        conn,
        Entry {
            actor_id,
            action,
            target_id: Some(user_id.to_string()),
            reason,
        },
    )?)
}
