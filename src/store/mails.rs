//! The outbox of mails, and the mail worker's place in the event stream.

use super::lease::{self, WorkTable};
use super::models::{MailRow, NewMail};
use super::schema::{mail_state, mails};
use super::DbConnection;
use super::StoreError;
use crate::domain::UserId;
use diesel::prelude::*;

pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

/// Queues a mail unless one with the same `dedup_key` exists; says whether
/// it was queued. Callers hold the worker's state lock or the single writer.
pub fn enqueue(conn: &mut DbConnection, new: NewMail<'_>) -> Result<bool, StoreError> {
    let exists: Option<i64> = mails::table
        .filter(mails::dedup_key.eq(new.dedup_key))
        .select(mails::id)
        .first(conn)
        .optional()?;
    if exists.is_some() {
        return Ok(false);
    }
    diesel::insert_into(mails::table)
        .values(&new)
        .execute(conn)?;
    Ok(true)
}

/// Whether any mail is due (an indexed look, no write).
pub fn any_due(conn: &mut DbConnection, now: i64) -> Result<bool, StoreError> {
    let found: Option<i64> = mails::table
        .filter(mails::state.eq(PENDING))
        .filter(mails::next_attempt_at.le(now))
        .select(mails::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// Mails waiting for the SMTP server.
const WORK: WorkTable = WorkTable {
    table: "mails",
    from: "mails d",
    and: "",
};

/// Takes up to `limit` due mails until `lease_until` (see `store::lease`).
pub fn claim_due(
    conn: &mut DbConnection,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<MailRow>, StoreError> {
    let ids = lease::claim(conn, &WORK, now, lease_until, limit)?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(mails::table
        .filter(mails::id.eq_any(&ids))
        .order(mails::id.asc())
        .select(MailRow::as_select())
        .load(conn)?)
}

/// A mail the SMTP server took. `forget_bodies` empties a mail that carried
/// a token, so the secret does not stay in the database.
pub fn mark_sent(
    conn: &mut DbConnection,
    id: i64,
    attempts: i64,
    now: i64,
    forget_bodies: bool,
) -> Result<(), StoreError> {
    diesel::update(mails::table.find(id))
        .set((
            mails::state.eq(SENT),
            mails::attempts.eq(attempts),
            mails::sent_at.eq(Some(now)),
            mails::last_error.eq(None::<String>),
        ))
        .execute(conn)?;
    if forget_bodies {
        forget(conn, id)?;
    }
    Ok(())
}

fn forget(conn: &mut DbConnection, id: i64) -> Result<(), StoreError> {
    diesel::update(mails::table.find(id))
        .set((mails::text_body.eq(""), mails::html_body.eq("")))
        .execute(conn)?;
    Ok(())
}

/// A failed attempt: `PENDING` again at `next`, or `FAILED` for good.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: i64,
    attempts: i64,
    state: &str,
    next: i64,
    error: &str,
    forget_bodies: bool,
) -> Result<(), StoreError> {
    diesel::update(mails::table.find(id))
        .set((
            mails::state.eq(state),
            mails::attempts.eq(attempts),
            mails::next_attempt_at.eq(next),
            mails::last_error.eq(Some(error)),
        ))
        .execute(conn)?;
    if state == FAILED && forget_bodies {
        forget(conn, id)?;
    }
    Ok(())
}

/// Removes every mail of an erased account, queued or sent.
pub fn forget_user(conn: &mut DbConnection, user_id: UserId) -> Result<(), StoreError> {
    diesel::delete(mails::table.filter(mails::user_id.eq(user_id))).execute(conn)?;
    Ok(())
}

/// Every mail, oldest first (tests and tools).
pub fn list(conn: &mut DbConnection, limit: i64) -> Result<Vec<MailRow>, StoreError> {
    Ok(mails::table
        .order(mails::id.asc())
        .limit(limit)
        .select(MailRow::as_select())
        .load(conn)?)
}

/// Where the worker stands in the event stream.
#[derive(Debug, Clone, Queryable)]
pub struct Cursor {
    pub last_event_id: i64,
    pub queue_changed_at: i64,
}

/// The cursor, read without a lock (to see whether there is work).
pub fn cursor(conn: &mut DbConnection) -> Result<Cursor, StoreError> {
    Ok(mail_state::table
        .find(1_i64)
        .select((mail_state::last_event_id, mail_state::queue_changed_at))
        .first(conn)?)
}

#[derive(QueryableByName)]
struct CursorRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    last_event_id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    queue_changed_at: i64,
}

/// The cursor, locked for this transaction: on PostgreSQL `None` when
/// another instance holds it (SKIP LOCKED); on SQLite the single writer
/// already serializes. Queue digests are decided under this lock.
pub fn lock_cursor(conn: &mut DbConnection) -> Result<Option<Cursor>, StoreError> {
    match conn {
        DbConnection::Postgres(pg) => {
            let row: Option<CursorRow> = diesel::sql_query(
                "SELECT last_event_id, queue_changed_at FROM mail_state \
                 WHERE id = 1 FOR UPDATE SKIP LOCKED",
            )
            .get_result(pg)
            .optional()?;
            Ok(row.map(|r| Cursor {
                last_event_id: r.last_event_id,
                queue_changed_at: r.queue_changed_at,
            }))
        }
        DbConnection::Sqlite(_) => cursor(conn).map(Some),
    }
}

/// Moves the cursor from `from` to `to`, unless someone moved it first
/// (then false, and the caller does nothing).
pub fn advance_cursor(conn: &mut DbConnection, from: i64, to: &Cursor) -> Result<bool, StoreError> {
    let changed = diesel::update(
        mail_state::table
            .find(1_i64)
            .filter(mail_state::last_event_id.eq(from)),
    )
    .set((
        mail_state::last_event_id.eq(to.last_event_id),
        mail_state::queue_changed_at.eq(to.queue_changed_at),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}

/// The key that signs unsubscribe links: `fresh` becomes it when there is
/// none yet; every instance then reads the same one.
pub fn secret(conn: &mut DbConnection, fresh: &str) -> Result<String, StoreError> {
    diesel::update(
        mail_state::table
            .find(1_i64)
            .filter(mail_state::secret.eq("")),
    )
    .set(mail_state::secret.eq(fresh))
    .execute(conn)?;
    Ok(mail_state::table
        .find(1_i64)
        .select(mail_state::secret)
        .first(conn)?)
}

/// The signing secret, if one was made already (no write: a link checked
/// before any mail was sent cannot be one of ours).
pub fn existing_secret(conn: &mut DbConnection) -> Result<Option<String>, StoreError> {
    let secret: String = mail_state::table
        .find(1_i64)
        .select(mail_state::secret)
        .first(conn)?;
    Ok(Some(secret).filter(|s| !s.is_empty()))
}

/// Mails still pending, for the metrics.
pub fn backlog(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(mails::table
        .filter(mails::state.eq(PENDING))
        .count()
        .get_result(conn)?)
}
