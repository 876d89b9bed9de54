//! Sign-ins with OpenID Connect providers under way: each row is taken once,
//! by whichever instance the provider's callback reaches.

use super::models::OidcLoginRow;
use super::schema::oidc_logins;
use super::DbConnection;
use super::StoreError;
use diesel::prelude::*;

/// Keeps a login under way; logins already past their expiry are dropped.
pub fn insert_login(
    conn: &mut DbConnection,
    row: &OidcLoginRow,
    now: i64,
) -> Result<(), StoreError> {
    diesel::delete(oidc_logins::table.filter(oidc_logins::expires_at.lt(now))).execute(conn)?;
    diesel::insert_into(oidc_logins::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Takes the login of `state_hash`: it is gone afterwards, whatever follows.
/// `None` when there is none, or another request took it first; an expired
/// one is taken and returned like the others (the caller refuses it).
pub fn take_login(
    conn: &mut DbConnection,
    state_hash: &str,
) -> Result<Option<OidcLoginRow>, StoreError> {
    let Some(row) = oidc_logins::table
        .find(state_hash)
        .select(OidcLoginRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    // Two callbacks with one state, on two instances: one delete wins.
    let deleted = diesel::delete(oidc_logins::table.find(state_hash)).execute(conn)?;
    Ok((deleted == 1).then_some(row))
}
