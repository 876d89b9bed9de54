//! The moderation log: append-only, written in the transaction of the change it records.

use super::models::{LogRow, NewLogEntry};
use super::schema::moderation_log;
use super::StoreError;
use super::{now_ms, DbConnection};
use crate::domain::cursor::Cursor;
use crate::domain::LogAction;
use diesel::prelude::*;

/// One logged action; its target type follows from the action.
pub struct Entry<'a> {
    pub actor_id: i64,
    pub action: LogAction,
    pub target_id: Option<String>,
    pub reason: Option<&'a str>,
}

pub fn append(conn: &mut DbConnection, entry: Entry<'_>) -> Result<(), StoreError> {
    diesel::insert_into(moderation_log::table)
        .values(NewLogEntry {
            actor_id: entry.actor_id,
            action: entry.action,
            target_type: entry.action.target(),
            target_id: entry.target_id.as_deref(),
            reason: entry.reason,
            created_at: now_ms(),
        })
        .execute(conn)?;
    Ok(())
}

/// Newest first; the cursor's key is the id of the last entry shown.
pub fn list(
    conn: &mut DbConnection,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<LogRow>, StoreError> {
    let mut query = moderation_log::table
        .select(LogRow::as_select())
        .order(moderation_log::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(c) = after {
        query = query.filter(moderation_log::id.lt(c.id));
    }
    Ok(query.load(conn)?)
}
