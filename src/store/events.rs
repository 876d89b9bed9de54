//! The outbox: events, each written in the transaction of its change.

use super::models::{EventRow, NewEvent};
use super::schema::events;
use super::StoreError;
use super::{insert_returning_id, DbConnection};
use diesel::prelude::*;

/// Appends an event; gives its row id.
pub fn insert(conn: &mut DbConnection, event: NewEvent<'_>) -> Result<i64, StoreError> {
    let id = insert_returning_id!(
        conn,
        diesel::insert_into(events::table).values(&event),
        events::id
    )?;
    Ok(id)
}

/// Every event, oldest first (tests and tools; receivers get them by webhook).
pub fn list(conn: &mut DbConnection, limit: i64) -> Result<Vec<EventRow>, StoreError> {
    Ok(events::table
        .select(EventRow::as_select())
        .order(events::id.asc())
        .limit(limit)
        .load(conn)?)
}

/// The newest event's row id (0 when there is none yet).
pub fn max_id(conn: &mut DbConnection) -> Result<i64, StoreError> {
    let max: Option<i64> = events::table
        .select(diesel::dsl::max(events::id))
        .first(conn)?;
    Ok(max.unwrap_or(0))
}

/// `notify_live` for a comment's event ("`event_id` `article_key`"); the
/// payload is written only where it is sent.
pub fn notify_live_event(
    conn: &mut DbConnection,
    event_id: i64,
    article_key: &str,
) -> Result<(), StoreError> {
    match conn {
        DbConnection::Postgres(_) => notify_live(conn, &format!("{event_id} {article_key}")),
        DbConnection::Sqlite(_) => Ok(()),
    }
}

/// Up to `limit` events after row `after_id`, oldest first.
pub fn after(
    conn: &mut DbConnection,
    after_id: i64,
    limit: i64,
) -> Result<Vec<EventRow>, StoreError> {
    Ok(events::table
        .filter(events::id.gt(after_id))
        .select(EventRow::as_select())
        .order(events::id.asc())
        .limit(limit)
        .load(conn)?)
}

/// One event by row id.
pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<EventRow>, StoreError> {
    Ok(events::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)
        .optional()?)
}

/// The row id of the event receivers know as `uid`.
pub fn id_of_uid(conn: &mut DbConnection, uid: &str) -> Result<Option<i64>, StoreError> {
    Ok(events::table
        .filter(events::uid.eq(uid))
        .select(events::id)
        .first(conn)
        .optional()?)
}

/// Tells the instances listening on PostgreSQL (`LISTEN tribune_live`) of
/// an event, once the transaction that wrote it commits; nothing on SQLite,
/// where the one instance learns of it from its writer.
pub fn notify_live(conn: &mut DbConnection, payload: &str) -> Result<(), StoreError> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_notify('tribune_live', $1)")
            .bind::<diesel::sql_types::Text, _>(payload)
            .execute(pg)?;
    }
    Ok(())
}
