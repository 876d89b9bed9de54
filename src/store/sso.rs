//! Sign-in by the site's own accounts: identities (site, subject) and the
//! single-use token ids (`jti`) already spent.

use super::models::{NewSsoIdentity, SsoIdentityRow};
use super::schema::{sso_identities, sso_used_tokens};
use super::DbConnection;
use super::StoreError;
use crate::domain::UserId;
use diesel::prelude::*;

pub fn find_identity(
    conn: &mut DbConnection,
    site: &str,
    subject: &str,
) -> Result<Option<SsoIdentityRow>, StoreError> {
    Ok(sso_identities::table
        .filter(sso_identities::site.eq(site))
        .filter(sso_identities::subject.eq(subject))
        .select(SsoIdentityRow::as_select())
        .first(conn)
        .optional()?)
}

/// Holds the identity until the transaction ends, so that two first sign-ins
/// of it at once (two tabs, two instances) make one account: the second waits,
/// then finds the first's. On PostgreSQL; SQLite's one writer already
/// serializes them.
pub fn lock_identity(conn: &mut DbConnection, site: &str, subject: &str) -> Result<(), StoreError> {
    if let DbConnection::Postgres(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(format!("tribune identity\n{site}\n{subject}"))
            .execute(pg)?;
    }
    Ok(())
}

pub fn insert_identity(conn: &mut DbConnection, new: NewSsoIdentity<'_>) -> Result<(), StoreError> {
    diesel::insert_into(sso_identities::table)
        .values(&new)
        .execute(conn)?;
    Ok(())
}

pub fn set_last_iat(conn: &mut DbConnection, id: i64, iat: i64) -> Result<(), StoreError> {
    diesel::update(sso_identities::table.find(id))
        .set(sso_identities::last_iat.eq(iat))
        .execute(conn)?;
    Ok(())
}

/// An identity whose account was erased leads nowhere: it goes, so the
/// reader's next sign-in makes a new account.
pub fn delete_identity(conn: &mut DbConnection, id: i64) -> Result<(), StoreError> {
    diesel::delete(sso_identities::table.find(id)).execute(conn)?;
    Ok(())
}

/// Erasure: the link between the site's user id and the account goes too.
pub fn forget_user(conn: &mut DbConnection, user_id: UserId) -> Result<(), StoreError> {
    diesel::delete(sso_identities::table.filter(sso_identities::user_id.eq(user_id)))
        .execute(conn)?;
    Ok(())
}

/// Spends a token id: `false` when it was spent already. Ids of tokens that
/// have expired are dropped first (a replay of those fails on `exp` anyway).
pub fn spend_jti(
    conn: &mut DbConnection,
    site: &str,
    jti: &str,
    expires_at: i64,
    now: i64,
) -> Result<bool, StoreError> {
    diesel::delete(sso_used_tokens::table.filter(sso_used_tokens::expires_at.lt(now)))
        .execute(conn)?;
    let seen = sso_used_tokens::table
        .filter(sso_used_tokens::site.eq(site))
        .filter(sso_used_tokens::jti.eq(jti))
        .count()
        .get_result::<i64>(conn)?;
    if seen > 0 {
        return Ok(false);
    }
    let inserted = diesel::insert_into(sso_used_tokens::table)
        .values((
            sso_used_tokens::site.eq(site),
            sso_used_tokens::jti.eq(jti),
            sso_used_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(true),
        // Another instance spent it between the check and the insert.
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e.into()),
    }
}
