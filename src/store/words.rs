//! Word lists for the filters.

use super::models::WordRow;
use super::schema::{settings, words};
use super::{on_backend, DbConnection};
use super::{StoreError, Taken};
use crate::domain::WordId;
use crate::text::WordKind;
use diesel::prelude::*;

pub fn all(conn: &mut DbConnection) -> Result<Vec<WordRow>, StoreError> {
    Ok(words::table
        .order(words::id.asc())
        .select(WordRow::as_select())
        .load(conn)?)
}

pub fn find(conn: &mut DbConnection, id: WordId) -> Result<Option<WordRow>, StoreError> {
    Ok(words::table
        .find(id)
        .select(WordRow::as_select())
        .first(conn)
        .optional()?)
}

/// The lists' version: every change bumps it, so that each instance's
/// compiled lists know they are stale.
pub fn version(conn: &mut DbConnection) -> Result<i64, StoreError> {
    let query = settings::table.find(1).select(settings::words_version);
    Ok(on_backend!(conn, |c| query.first(c))?)
}

/// Every instance's compiled lists go stale.
fn bump_version(conn: &mut DbConnection) -> Result<(), StoreError> {
    diesel::update(settings::table.find(1))
        .set(settings::words_version.eq(settings::words_version + 1))
        .execute(conn)?;
    Ok(())
}

/// Adds a word; the same folded pattern of the same kind exists only once.
pub fn insert(
    conn: &mut DbConnection,
    pattern: &str,
    folded: &str,
    kind: WordKind,
    now: i64,
) -> Result<WordRow, StoreError> {
    let exists: bool = diesel::select(diesel::dsl::exists(
        words::table
            .filter(words::folded.eq(folded))
            .filter(words::kind.eq(kind.as_str())),
    ))
    .get_result(conn)?;
    if exists {
        return Err(StoreError::Taken(Taken::Word));
    }
    let id = super::insert_returning_id!(
        conn,
        diesel::insert_into(words::table).values((
            words::pattern.eq(pattern),
            words::folded.eq(folded),
            words::kind.eq(kind.as_str()),
            words::created_at.eq(now),
        )),
        words::id
    )
    .map_err(|e| StoreError::unique_as(e, Taken::Word))?;
    bump_version(conn)?;
    Ok(words::table
        .find(id)
        .select(WordRow::as_select())
        .first(conn)?)
}

/// Removes a word (404 when there is none with that id).
pub fn delete(conn: &mut DbConnection, id: WordId) -> Result<(), StoreError> {
    match diesel::delete(words::table.find(id)).execute(conn)? {
        0 => Err(StoreError::NotFound),
        _ => bump_version(conn),
    }
}
