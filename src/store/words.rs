//! Word lists for the filters.

use super::models::WordRow;
use super::schema::words;
use super::DbConnection;
use crate::error::ApiError;
use crate::text::{WordKind, WordList};
use diesel::prelude::*;

pub fn all(conn: &mut DbConnection) -> Result<Vec<WordRow>, ApiError> {
    Ok(words::table
        .order(words::id.asc())
        .select(WordRow::as_select())
        .load(conn)?)
}

/// The lists compiled for matching.
pub fn compiled(conn: &mut DbConnection) -> Result<WordList, ApiError> {
    let rows = all(conn)?;
    Ok(WordList::new(rows.into_iter().filter_map(|w| {
        WordKind::parse(&w.kind).map(|kind| (w.folded, kind))
    })))
}
