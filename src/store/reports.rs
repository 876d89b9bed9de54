//! Reports of comments by readers.

use super::models::ReportRow;
use super::schema::reports;
use super::DbConnection;
use super::{StoreError, Taken};
use crate::domain::ReportReason;
use crate::domain::{CommentId, UserId};
use diesel::prelude::*;

pub fn by_reporter(
    conn: &mut DbConnection,
    reporter_id: UserId,
) -> Result<Vec<ReportRow>, StoreError> {
    Ok(reports::table
        .filter(reports::reporter_id.eq(reporter_id))
        .order(reports::id.asc())
        .select(ReportRow::as_select())
        .load(conn)?)
}

pub struct NewReport<'a> {
    pub comment_id: i64,
    pub reporter_id: i64,
    pub reason: ReportReason,
    pub note: Option<&'a str>,
    pub snapshot: &'a str,
    pub created_at: i64,
}

/// Files a report; one per reader and comment (409 already_reported).
pub fn insert(conn: &mut DbConnection, new: NewReport<'_>) -> Result<ReportRow, StoreError> {
    let exists: bool = diesel::select(diesel::dsl::exists(
        reports::table
            .filter(reports::comment_id.eq(new.comment_id))
            .filter(reports::reporter_id.eq(new.reporter_id)),
    ))
    .get_result(conn)?;
    if exists {
        return Err(StoreError::Taken(Taken::Report));
    }
    let id = super::insert_returning_id!(
        conn,
        diesel::insert_into(reports::table).values((
            reports::comment_id.eq(new.comment_id),
            reports::reporter_id.eq(new.reporter_id),
            reports::reason.eq(new.reason),
            reports::note.eq(new.note),
            reports::snapshot.eq(new.snapshot),
            reports::created_at.eq(new.created_at),
        )),
        reports::id
    )
    // Two reports racing past the check: the unique index decides.
    .map_err(|e| StoreError::unique_as(e, Taken::Report))?;
    Ok(reports::table
        .find(id)
        .select(ReportRow::as_select())
        .first(conn)?)
}

pub fn open_count(conn: &mut DbConnection, comment_id: CommentId) -> Result<i64, StoreError> {
    Ok(reports::table
        .filter(reports::comment_id.eq(comment_id))
        .filter(reports::resolved_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Closes the open reports of a comment (a moderator approved it).
pub fn resolve(conn: &mut DbConnection, comment_id: CommentId, now: i64) -> Result<(), StoreError> {
    diesel::update(
        reports::table
            .filter(reports::comment_id.eq(comment_id))
            .filter(reports::resolved_at.is_null()),
    )
    .set(reports::resolved_at.eq(Some(now)))
    .execute(conn)?;
    Ok(())
}

/// Open reports per (comment, reason) for the comments given.
pub fn open_by_reason(
    conn: &mut DbConnection,
    comment_ids: &[i64],
) -> Result<Vec<(i64, ReportReason, i64)>, StoreError> {
    Ok(reports::table
        .filter(reports::comment_id.eq_any(comment_ids))
        .filter(reports::resolved_at.is_null())
        .group_by((reports::comment_id, reports::reason))
        .select((
            reports::comment_id,
            reports::reason,
            diesel::dsl::count(reports::id),
        ))
        .load(conn)?)
}

/// The notes of open reports on the comments given, newest first, at most
/// `limit` in all: (comment, reason, note).
pub fn open_notes(
    conn: &mut DbConnection,
    comment_ids: &[i64],
    limit: i64,
) -> Result<Vec<(i64, ReportReason, String)>, StoreError> {
    let rows: Vec<(i64, ReportReason, Option<String>)> = reports::table
        .filter(reports::comment_id.eq_any(comment_ids))
        .filter(reports::resolved_at.is_null())
        .filter(reports::note.is_not_null())
        .order((reports::created_at.desc(), reports::id.desc()))
        .select((reports::comment_id, reports::reason, reports::note))
        .limit(limit)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, reason, note)| Some((id, reason, note?)))
        .collect())
}

pub fn count_since(conn: &mut DbConnection, since: i64) -> Result<i64, StoreError> {
    Ok(reports::table
        .filter(reports::created_at.ge(since))
        .count()
        .get_result(conn)?)
}
