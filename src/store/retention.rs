//! Pruning of the outbox tables and of expired sessions: which rows may go,
//! and deleting them. Rows are found on a reading connection and deleted by
//! id, a chunk per write, so the writer is never held long. Every state a
//! rule looks at is final (a delivery or a mail once ended, a token once used
//! or expired, a session once expired, an event the mail worker has passed),
//! so a row found prunable stays prunable, and two instances deleting the
//! same ids only find them gone.

use super::schema::{
    account_tokens, events, mails, sessions, webhook_attempts, webhook_deliveries,
};
use super::StoreError;
use super::{mails as mail_states, webhooks as delivery_states, DbConnection};
use diesel::dsl::{exists, not};
use diesel::prelude::*;

/// Rows one rule lets go; times are Unix milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prunable {
    /// Attempts of webhook deliveries that ended before this time.
    Attempts { ended_before: i64 },
    /// Webhook deliveries (delivered or failed) that ended before this time.
    Deliveries { ended_before: i64 },
    /// Events below row `below_id`, recorded before `created_before`, that no
    /// delivery refers to any more.
    Events { below_id: i64, created_before: i64 },
    /// Sent or failed mails queued before this time.
    Mails { queued_before: i64 },
    /// Account tokens used, or expired, before this time.
    Tokens { ended_before: i64 },
    /// Sessions that expired before this time: no request can use them.
    Sessions { expired_before: i64 },
}

impl Prunable {
    /// The table the rule prunes (for logs).
    pub fn table(&self) -> &'static str {
        match self {
            Prunable::Attempts { .. } => "webhook_attempts",
            Prunable::Deliveries { .. } => "webhook_deliveries",
            Prunable::Events { .. } => "events",
            Prunable::Mails { .. } => "mails",
            Prunable::Tokens { .. } => "account_tokens",
            Prunable::Sessions { .. } => "sessions",
        }
    }
}

/// Up to `limit` ids the rule lets go, oldest first.
pub fn find(conn: &mut DbConnection, rule: Prunable, limit: i64) -> Result<Vec<i64>, StoreError> {
    let ended = webhook_deliveries::state
        .ne(delivery_states::PENDING)
        .and(webhook_deliveries::done_at.is_not_null());
    let ids = match rule {
        Prunable::Attempts { ended_before } => webhook_attempts::table
            .inner_join(webhook_deliveries::table)
            .filter(ended)
            .filter(webhook_deliveries::done_at.lt(ended_before))
            .select(webhook_attempts::id)
            .order(webhook_attempts::id.asc())
            .limit(limit)
            .load(conn)?,
        Prunable::Deliveries { ended_before } => webhook_deliveries::table
            .filter(ended)
            .filter(webhook_deliveries::done_at.lt(ended_before))
            .select(webhook_deliveries::id)
            .order(webhook_deliveries::id.asc())
            .limit(limit)
            .load(conn)?,
        Prunable::Events {
            below_id,
            created_before,
        } => events::table
            .filter(events::id.lt(below_id))
            .filter(events::created_at.lt(created_before))
            .filter(not(exists(
                webhook_deliveries::table.filter(webhook_deliveries::event_id.eq(events::id)),
            )))
            .select(events::id)
            .order(events::id.asc())
            .limit(limit)
            .load(conn)?,
        Prunable::Mails { queued_before } => mails::table
            .filter(mails::state.eq_any([mail_states::SENT, mail_states::FAILED]))
            .filter(mails::created_at.lt(queued_before))
            .select(mails::id)
            .order(mails::id.asc())
            .limit(limit)
            .load(conn)?,
        Prunable::Tokens { ended_before } => account_tokens::table
            .filter(
                account_tokens::used_at
                    .lt(ended_before)
                    .or(account_tokens::expires_at.lt(ended_before).nullable()),
            )
            .select(account_tokens::id)
            .order(account_tokens::id.asc())
            .limit(limit)
            .load(conn)?,
        Prunable::Sessions { expired_before } => sessions::table
            .filter(sessions::expires_at.lt(expired_before))
            .select(sessions::id)
            .order(sessions::id.asc())
            .limit(limit)
            .load(conn)?,
    };
    Ok(ids)
}

/// Deletes the rows `ids` of the rule's table; gives how many were there.
pub fn delete(conn: &mut DbConnection, rule: Prunable, ids: &[i64]) -> Result<usize, StoreError> {
    let deleted = match rule {
        Prunable::Attempts { .. } => {
            diesel::delete(webhook_attempts::table.filter(webhook_attempts::id.eq_any(ids)))
                .execute(conn)?
        }
        Prunable::Deliveries { .. } => {
            diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(ids)))
                .execute(conn)?
        }
        Prunable::Events { .. } => {
            diesel::delete(events::table.filter(events::id.eq_any(ids))).execute(conn)?
        }
        Prunable::Mails { .. } => {
            diesel::delete(mails::table.filter(mails::id.eq_any(ids))).execute(conn)?
        }
        Prunable::Tokens { .. } => {
            diesel::delete(account_tokens::table.filter(account_tokens::id.eq_any(ids)))
                .execute(conn)?
        }
        Prunable::Sessions { .. } => {
            diesel::delete(sessions::table.filter(sessions::id.eq_any(ids))).execute(conn)?
        }
    };
    Ok(deleted)
}

/// The row id of the `n`th newest event, when there are that many: the
/// newest `n` are kept for `Last-Event-ID` replay.
pub fn nth_newest_event(conn: &mut DbConnection, n: i64) -> Result<Option<i64>, StoreError> {
    if n < 1 {
        return Ok(None);
    }
    Ok(events::table
        .select(events::id)
        .order(events::id.desc())
        .offset(n - 1)
        .limit(1)
        .first(conn)
        .optional()?)
}
