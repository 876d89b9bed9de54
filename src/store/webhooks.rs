//! Webhook endpoints, the deliveries owed to them and each attempt made.

use super::lease::{self, WorkTable};
use super::models::{AttemptRow, AttemptWithEvent, EventRow, NewWebhook, WebhookRow};
use super::schema::{events, webhook_attempts, webhook_deliveries, webhooks};
use super::StoreError;
use super::{insert_returning_id, on_backend, DbConnection};
use crate::domain::WebhookId;
use diesel::prelude::*;

pub const PENDING: &str = "pending";
pub const DELIVERED: &str = "delivered";
pub const FAILED: &str = "failed";

pub fn insert(conn: &mut DbConnection, new: NewWebhook<'_>) -> Result<WebhookRow, StoreError> {
    let id = insert_returning_id!(
        conn,
        diesel::insert_into(webhooks::table).values(&new),
        webhooks::id
    )?;
    get(conn, WebhookId(id))
}

pub fn get(conn: &mut DbConnection, id: WebhookId) -> Result<WebhookRow, StoreError> {
    Ok(webhooks::table
        .find(id)
        .select(WebhookRow::as_select())
        .first(conn)?)
}

pub fn list(conn: &mut DbConnection) -> Result<Vec<WebhookRow>, StoreError> {
    Ok(webhooks::table
        .select(WebhookRow::as_select())
        .order(webhooks::id.asc())
        .load(conn)?)
}

/// Removes the endpoint with its deliveries and their attempts.
pub fn delete(conn: &mut DbConnection, id: WebhookId) -> Result<(), StoreError> {
    get(conn, id)?;
    diesel::delete(webhook_attempts::table.filter(webhook_attempts::webhook_id.eq(id)))
        .execute(conn)?;
    diesel::delete(webhook_deliveries::table.filter(webhook_deliveries::webhook_id.eq(id)))
        .execute(conn)?;
    diesel::delete(webhooks::table.find(id)).execute(conn)?;
    Ok(())
}

/// Turns an endpoint on (its failure count starts again and what it is owed
/// is due now) or off.
pub fn set_enabled(
    conn: &mut DbConnection,
    id: WebhookId,
    enabled: bool,
    now: i64,
) -> Result<WebhookRow, StoreError> {
    let hook = get(conn, id)?;
    if enabled && !hook.enabled {
        diesel::update(webhooks::table.find(id))
            .set((
                webhooks::enabled.eq(true),
                webhooks::failures.eq(0),
                webhooks::disabled_at.eq(None::<i64>),
            ))
            .execute(conn)?;
        diesel::update(
            webhook_deliveries::table
                .filter(webhook_deliveries::webhook_id.eq(id))
                .filter(webhook_deliveries::state.eq(PENDING)),
        )
        .set(webhook_deliveries::next_attempt_at.eq(now))
        .execute(conn)?;
    } else if !enabled && hook.enabled {
        disable(conn, id, now)?;
    }
    get(conn, id)
}

pub fn disable(conn: &mut DbConnection, id: WebhookId, now: i64) -> Result<(), StoreError> {
    diesel::update(webhooks::table.find(id))
        .set((webhooks::enabled.eq(false), webhooks::disabled_at.eq(now)))
        .execute(conn)?;
    Ok(())
}

/// (id, comma-separated event types) of the enabled endpoints.
pub fn enabled_subscriptions(conn: &mut DbConnection) -> Result<Vec<(i64, String)>, StoreError> {
    let query = webhooks::table
        .filter(webhooks::enabled.eq(true))
        .select((webhooks::id, webhooks::events));
    Ok(on_backend!(conn, |c| query.load(c))?)
}

/// One delivery per endpoint for the event, due at once.
pub fn insert_deliveries(
    conn: &mut DbConnection,
    event_id: i64,
    webhook_ids: &[i64],
    now: i64,
) -> Result<(), StoreError> {
    // One statement per row: the backend enum has no batch insert.
    for &webhook_id in webhook_ids {
        let insert = diesel::insert_into(webhook_deliveries::table).values((
            webhook_deliveries::webhook_id.eq(webhook_id),
            webhook_deliveries::event_id.eq(event_id),
            webhook_deliveries::state.eq(PENDING),
            webhook_deliveries::attempts.eq(0_i64),
            webhook_deliveries::next_attempt_at.eq(now),
            webhook_deliveries::created_at.eq(now),
        ));
        on_backend!(&mut *conn, |c| insert.execute(c))?;
    }
    Ok(())
}

/// A delivery taken by a worker, with what it needs to send it.
#[derive(Debug, Clone)]
pub struct Due {
    pub delivery_id: i64,
    pub attempts: i64,
    pub created_at: i64,
    pub webhook: WebhookRow,
    pub event: EventRow,
}

/// Deliveries owed to enabled endpoints.
const WORK: WorkTable = WorkTable {
    table: "webhook_deliveries",
    from: "webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id",
    and: " AND w.enabled",
};

/// Takes up to `limit` due deliveries of enabled endpoints until
/// `lease_until` (see `store::lease`), and gives their ids: the rows to send
/// are read with `load_due`, outside the write.
pub fn claim_due(
    conn: &mut DbConnection,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<i64>, StoreError> {
    lease::claim(conn, &WORK, now, lease_until, limit)
}

/// Taken deliveries with what sending them needs. Their lease keeps them as
/// they were taken, so any connection reads them.
pub fn load_due(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<Due>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, i64, i64, WebhookRow, EventRow)> = webhook_deliveries::table
        .inner_join(webhooks::table)
        .inner_join(events::table)
        .filter(webhook_deliveries::id.eq_any(ids))
        .order(webhook_deliveries::id.asc())
        .select((
            webhook_deliveries::id,
            webhook_deliveries::attempts,
            webhook_deliveries::created_at,
            WebhookRow::as_select(),
            EventRow::as_select(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(delivery_id, attempts, created_at, webhook, event)| Due {
            delivery_id,
            attempts,
            created_at,
            webhook,
            event,
        })
        .collect())
}

/// What came of one attempt.
pub struct Attempt<'a> {
    pub webhook_id: i64,
    pub delivery_id: i64,
    pub status_code: Option<i32>,
    pub error: Option<&'a str>,
    pub ok: bool,
    pub at: i64,
}

/// Records a batch's attempts in one statement.
pub fn insert_attempts(
    conn: &mut DbConnection,
    attempts: &[Attempt<'_>],
) -> Result<(), StoreError> {
    if attempts.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = attempts
        .iter()
        .map(|a| {
            (
                webhook_attempts::webhook_id.eq(a.webhook_id),
                webhook_attempts::delivery_id.eq(a.delivery_id),
                webhook_attempts::status_code.eq(a.status_code),
                webhook_attempts::error.eq(a.error),
                webhook_attempts::ok.eq(a.ok),
                webhook_attempts::attempted_at.eq(a.at),
            )
        })
        .collect();
    let insert = diesel::insert_into(webhook_attempts::table).values(&rows);
    match conn {
        DbConnection::Sqlite(c) => insert.execute(c)?,
        DbConnection::Postgres(c) => insert.execute(c)?,
    };
    Ok(())
}

/// Ends deliveries that succeeded, in one statement (their worker holds
/// their lease, so each has had one more attempt).
pub fn mark_delivered(conn: &mut DbConnection, ids: &[i64], now: i64) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(ids)))
        .set((
            webhook_deliveries::attempts.eq(webhook_deliveries::attempts + 1),
            webhook_deliveries::state.eq(DELIVERED),
            webhook_deliveries::next_attempt_at.eq(now),
            webhook_deliveries::done_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Ends a delivery (`DELIVERED` or `FAILED`), or leaves it `PENDING` until `next`.
pub fn settle(
    conn: &mut DbConnection,
    delivery_id: i64,
    attempts: i64,
    state: &str,
    next: i64,
    now: i64,
) -> Result<(), StoreError> {
    let done = (state != PENDING).then_some(now);
    diesel::update(webhook_deliveries::table.find(delivery_id))
        .set((
            webhook_deliveries::attempts.eq(attempts),
            webhook_deliveries::state.eq(state),
            webhook_deliveries::next_attempt_at.eq(next),
            webhook_deliveries::done_at.eq(done),
        ))
        .execute(conn)?;
    Ok(())
}

/// Counts a failure against the endpoint; gives the consecutive count.
pub fn count_failure(conn: &mut DbConnection, id: WebhookId) -> Result<i64, StoreError> {
    diesel::update(webhooks::table.find(id))
        .set(webhooks::failures.eq(webhooks::failures + 1))
        .execute(conn)?;
    Ok(webhooks::table
        .find(id)
        .select(webhooks::failures)
        .first(conn)?)
}

pub fn reset_failures(conn: &mut DbConnection, id: WebhookId) -> Result<(), StoreError> {
    diesel::update(webhooks::table.find(id).filter(webhooks::failures.ne(0)))
        .set(webhooks::failures.eq(0))
        .execute(conn)?;
    Ok(())
}

/// The endpoint's latest attempts, newest first.
pub fn attempts(
    conn: &mut DbConnection,
    webhook_id: WebhookId,
    limit: i64,
) -> Result<Vec<AttemptWithEvent>, StoreError> {
    let rows: Vec<(AttemptRow, String, String)> = webhook_attempts::table
        .inner_join(webhook_deliveries::table.inner_join(events::table))
        .filter(webhook_attempts::webhook_id.eq(webhook_id))
        .order(webhook_attempts::id.desc())
        .limit(limit)
        .select((AttemptRow::as_select(), events::uid, events::kind))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(attempt, event_uid, event_kind)| AttemptWithEvent {
            attempt,
            event_uid,
            event_kind,
        })
        .collect())
}

/// Whether any delivery is due (an indexed look, no write).
pub fn any_due(conn: &mut DbConnection, now: i64) -> Result<bool, StoreError> {
    let found: Option<i64> = webhook_deliveries::table
        .inner_join(webhooks::table)
        .filter(webhooks::enabled.eq(true))
        .filter(webhook_deliveries::state.eq(PENDING))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .select(webhook_deliveries::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// (deliveries still pending, endpoints disabled), for the metrics.
pub fn backlog(conn: &mut DbConnection) -> Result<(i64, i64), StoreError> {
    let pending = webhook_deliveries::table
        .filter(webhook_deliveries::state.eq(PENDING))
        .count()
        .get_result(conn)?;
    let disabled = webhooks::table
        .filter(webhooks::enabled.eq(false))
        .count()
        .get_result(conn)?;
    Ok((pending, disabled))
}
