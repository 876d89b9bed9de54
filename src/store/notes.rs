//! Moderators' notes on readers: staff-only rows, never in a public view.

use super::models::{AuthorRow, NewNote, NoteRow, NoteWithAuthor};
use super::schema::{user_notes, users};
use super::DbConnection;
use super::StoreError;
use crate::domain::{NoteId, UserId};
use diesel::prelude::*;
use std::collections::HashMap;

pub fn insert(conn: &mut DbConnection, new: NewNote<'_>) -> Result<NoteRow, StoreError> {
    let id = super::insert_returning_id!(
        conn,
        diesel::insert_into(user_notes::table).values(&new),
        user_notes::id
    )?;
    Ok(NoteRow {
        id,
        user_id: new.user_id,
        author_id: new.author_id,
        text: new.text.to_string(),
        created_at: new.created_at,
    })
}

pub fn find(conn: &mut DbConnection, id: NoteId) -> Result<Option<NoteRow>, StoreError> {
    Ok(user_notes::table
        .find(id)
        .select(NoteRow::as_select())
        .first(conn)
        .optional()?)
}

/// The notes on a reader, newest first.
pub fn on_user(
    conn: &mut DbConnection,
    user_id: UserId,
) -> Result<Vec<NoteWithAuthor>, StoreError> {
    let rows: Vec<(NoteRow, AuthorRow)> = user_notes::table
        .inner_join(users::table)
        .filter(user_notes::user_id.eq(user_id))
        .order((user_notes::created_at.desc(), user_notes::id.desc()))
        .select((NoteRow::as_select(), AuthorRow::as_select()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(note, author)| NoteWithAuthor { note, author })
        .collect())
}

/// Every note, oldest first (the admin's export).
pub fn all(conn: &mut DbConnection) -> Result<Vec<NoteRow>, StoreError> {
    Ok(user_notes::table
        .order(user_notes::id.asc())
        .select(NoteRow::as_select())
        .load(conn)?)
}

/// How many notes each of `user_ids` has (the queue's badges).
pub fn counts(conn: &mut DbConnection, user_ids: &[i64]) -> Result<HashMap<i64, i64>, StoreError> {
    if user_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, i64)> = user_notes::table
        .filter(user_notes::user_id.eq_any(user_ids))
        .group_by(user_notes::user_id)
        .select((user_notes::user_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

pub fn delete(conn: &mut DbConnection, id: NoteId) -> Result<(), StoreError> {
    diesel::delete(user_notes::table.find(id)).execute(conn)?;
    Ok(())
}
