//! Reports of comments by readers.

use super::models::ReportRow;
use super::schema::reports;
use super::DbConnection;
use crate::error::ApiError;
use diesel::prelude::*;

pub fn by_reporter(conn: &mut DbConnection, reporter_id: i64) -> Result<Vec<ReportRow>, ApiError> {
    Ok(reports::table
        .filter(reports::reporter_id.eq(reporter_id))
        .order(reports::id.asc())
        .select(ReportRow::as_select())
        .load(conn)?)
}
