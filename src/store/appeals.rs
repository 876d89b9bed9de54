//! Appeals against statements of reasons (DSA Art. 20): one per statement.

use super::schema::appeals;
use super::DbConnection;
use super::StoreError;
use crate::domain::cursor::Cursor;
use crate::domain::dsa::{Appeal, AppealStatus};
use crate::domain::{AppealId, StatementId, UserId};
use diesel::prelude::*;

type Row = (
    i64,
    i64,
    i64,
    String,
    AppealStatus,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

macro_rules! columns {
    () => {
        (
            appeals::id,
            appeals::statement_id,
            appeals::user_id,
            appeals::text,
            appeals::status,
            appeals::created_at,
            appeals::decided_at,
            appeals::decided_by,
            appeals::reason,
        )
    };
}

fn decode(row: Row) -> Result<Appeal, StoreError> {
    let (id, statement_id, user_id, text, status, created_at, decided_at, decided_by, reason) = row;
    Ok(Appeal {
        id,
        statement_id,
        user_id,
        text,
        status,
        created_at,
        decided_at,
        decided_by,
        reason,
    })
}

pub fn insert(
    conn: &mut DbConnection,
    statement_id: StatementId,
    user_id: UserId,
    text: &str,
    now: i64,
) -> Result<i64, StoreError> {
    Ok(super::insert_returning_id!(
        conn,
        diesel::insert_into(appeals::table).values((
            appeals::statement_id.eq(statement_id),
            appeals::user_id.eq(user_id),
            appeals::text.eq(text),
            appeals::status.eq(AppealStatus::Open.as_str()),
            appeals::created_at.eq(now),
        )),
        appeals::id
    )?)
}

pub fn get(conn: &mut DbConnection, id: AppealId) -> Result<Appeal, StoreError> {
    decode(
        appeals::table
            .filter(appeals::id.eq(id))
            .select(columns!())
            .first(conn)?,
    )
}

pub fn exists_for(conn: &mut DbConnection, statement_id: StatementId) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        appeals::table.filter(appeals::statement_id.eq(statement_id)),
    ))
    .get_result(conn)?)
}

pub fn decide(
    conn: &mut DbConnection,
    id: AppealId,
    status: AppealStatus,
    by: i64,
    reason: Option<&str>,
    now: i64,
) -> Result<(), StoreError> {
    diesel::update(appeals::table.filter(appeals::id.eq(id)))
        .set((
            appeals::status.eq(status.as_str()),
            appeals::decided_at.eq(now),
            appeals::decided_by.eq(by),
            appeals::reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(())
}

/// The author's decided appeals, newest first: how many were upheld in a
/// row before the last reversal.
pub fn upheld_in_a_row(conn: &mut DbConnection, user_id: UserId) -> Result<i64, StoreError> {
    let statuses: Vec<String> = appeals::table
        .filter(appeals::user_id.eq(user_id))
        .filter(appeals::status.ne(AppealStatus::Open.as_str()))
        .order(appeals::id.desc())
        .select(appeals::status)
        .load(conn)?;
    Ok(statuses
        .iter()
        .take_while(|s| s.as_str() == AppealStatus::Upheld.as_str())
        .count() as i64)
}

/// Oldest first, optionally of one status; the cursor's id is the last shown.
pub fn list(
    conn: &mut DbConnection,
    status: Option<AppealStatus>,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<Appeal>, StoreError> {
    let mut query = appeals::table
        .select(columns!())
        .order(appeals::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(s) = status {
        query = query.filter(appeals::status.eq(s.as_str()));
    }
    if let Some(c) = after {
        query = query.filter(appeals::id.gt(c.id));
    }
    let rows: Vec<Row> = query.load(conn)?;
    rows.into_iter().map(decode).collect()
}

/// Appeals filed in `[from, to)` (the transparency report).
pub fn filed_between(
    conn: &mut DbConnection,
    from: i64,
    to: i64,
) -> Result<Vec<Appeal>, StoreError> {
    let rows: Vec<Row> = appeals::table
        .filter(appeals::created_at.ge(from))
        .filter(appeals::created_at.lt(to))
        .select(columns!())
        .order(appeals::id.asc())
        .load(conn)?;
    rows.into_iter().map(decode).collect()
}
