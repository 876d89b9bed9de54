//! One-time account tokens (address verification, password reset), stored
//! only as their SHA-256.

use super::models::AccountTokenRow;
use super::schema::account_tokens;
use super::DbConnection;
use super::StoreError;
use crate::domain::UserId;
use diesel::prelude::*;

pub fn insert(
    conn: &mut DbConnection,
    user_id: UserId,
    purpose: &str,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), StoreError> {
    diesel::insert_into(account_tokens::table)
        .values((
            account_tokens::user_id.eq(user_id),
            account_tokens::purpose.eq(purpose),
            account_tokens::token_hash.eq(token_hash),
            account_tokens::created_at.eq(now),
            account_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find(
    conn: &mut DbConnection,
    purpose: &str,
    token_hash: &str,
) -> Result<Option<AccountTokenRow>, StoreError> {
    Ok(account_tokens::table
        .filter(account_tokens::token_hash.eq(token_hash))
        .filter(account_tokens::purpose.eq(purpose))
        .select(AccountTokenRow::as_select())
        .first(conn)
        .optional()?)
}

/// Marks a token used; false when it already was (another request won).
pub fn use_once(conn: &mut DbConnection, id: i64, now: i64) -> Result<bool, StoreError> {
    let changed = diesel::update(
        account_tokens::table
            .find(id)
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Uses up every open token of this purpose for the account (after a
/// password reset, older reset links must not work either).
pub fn use_all(
    conn: &mut DbConnection,
    user_id: UserId,
    purpose: &str,
    now: i64,
) -> Result<(), StoreError> {
    diesel::update(
        account_tokens::table
            .filter(account_tokens::user_id.eq(user_id))
            .filter(account_tokens::purpose.eq(purpose))
            .filter(account_tokens::used_at.is_null()),
    )
    .set(account_tokens::used_at.eq(Some(now)))
    .execute(conn)?;
    Ok(())
}

/// Every token row, oldest first (tests).
pub fn list(conn: &mut DbConnection) -> Result<Vec<AccountTokenRow>, StoreError> {
    Ok(account_tokens::table
        .order(account_tokens::id.asc())
        .select(AccountTokenRow::as_select())
        .load(conn)?)
}
