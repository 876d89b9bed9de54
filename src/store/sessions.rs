//! Session tokens, stored only as their SHA-256.

use super::models::UserRow;
use super::schema::{sessions, users};
use super::StoreError;
use super::{on_backend, DbConnection};
use crate::domain::UserId;
use diesel::prelude::*;

pub fn create(
    conn: &mut DbConnection,
    user_id: UserId,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::user_id.eq(user_id),
            sessions::token_hash.eq(token_hash),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The account a live token belongs to, and when the token expires.
pub fn find_user(
    conn: &mut DbConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<(UserRow, i64)>, StoreError> {
    // Every signed-in request runs this: on the backend's own connection
    // its statement is reused (built in each arm: `as_select` is typed by
    // the backend).
    Ok(on_backend!(conn, |c| sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::expires_at.gt(now))
        .filter(users::erased_at.is_null())
        .select((UserRow::as_select(), sessions::expires_at))
        .first(c))
    .optional()?)
}

pub fn revoke(conn: &mut DbConnection, token_hash: &str) -> Result<(), StoreError> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash))).execute(conn)?;
    Ok(())
}

/// Revokes every session of the account except the one named.
pub fn revoke_others(
    conn: &mut DbConnection,
    user_id: UserId,
    keep: &str,
) -> Result<(), StoreError> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::token_hash.ne(keep)),
    )
    .execute(conn)?;
    Ok(())
}

/// Revokes every session of the account (after a password reset).
pub fn revoke_all(conn: &mut DbConnection, user_id: UserId) -> Result<(), StoreError> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?;
    Ok(())
}
