//! What outlives the erasure of a banned account: hashes of its address and
//! of its username's skeleton, and when the ban ends.

use super::schema::ban_records;
use super::DbConnection;
use super::StoreError;
use diesel::prelude::*;

pub fn insert(
    conn: &mut DbConnection,
    email_hash: Option<&str>,
    name_hash: &str,
    banned_until: Option<i64>,
    now: i64,
) -> Result<(), StoreError> {
    diesel::insert_into(ban_records::table)
        .values((
            ban_records::email_hash.eq(email_hash),
            ban_records::name_hash.eq(name_hash),
            ban_records::banned_until.eq(banned_until),
            ban_records::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The ban in force on whoever has this address or name, if any: its end
/// (`Some(None)`: for ever). The longest one when several match.
pub fn in_force(
    conn: &mut DbConnection,
    email_hash: Option<&str>,
    name_hash: &str,
    now: i64,
) -> Result<Option<Option<i64>>, StoreError> {
    let matches = ban_records::table
        .filter(
            ban_records::name_hash
                .eq(name_hash)
                .or(ban_records::email_hash.eq(email_hash.unwrap_or("-"))),
        )
        .filter(
            ban_records::banned_until
                .is_null()
                .or(ban_records::banned_until.gt(now)),
        )
        .select(ban_records::banned_until)
        .load::<Option<i64>>(conn)?;
    if matches.is_empty() {
        return Ok(None);
    }
    Ok(Some(matches.iter().try_fold(0_i64, |latest, until| {
        until.map(|u| latest.max(u))
    })))
}
