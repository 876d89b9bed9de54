//! The outbox: events, each written in the transaction of its change.

use super::models::{EventRow, NewEvent};
use super::schema::events;
use super::{insert_returning_id, DbConnection};
use crate::error::ApiError;
use diesel::prelude::*;

/// Appends an event; gives its row id.
pub fn insert(conn: &mut DbConnection, event: NewEvent<'_>) -> Result<i64, ApiError> {
    let id = insert_returning_id!(
        conn,
        diesel::insert_into(events::table).values(&event),
        events::id
    )?;
    Ok(id)
}

/// Every event, oldest first (tests and tools; receivers get them by webhook).
pub fn list(conn: &mut DbConnection, limit: i64) -> Result<Vec<EventRow>, ApiError> {
    Ok(events::table
        .select(EventRow::as_select())
        .order(events::id.asc())
        .limit(limit)
        .load(conn)?)
}
