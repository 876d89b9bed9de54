//! An account's address and its way back in: the verification link sent at
//! registration, password resets by mail (also how an imported account with
//! no password is claimed), and unsubscribing from mails without signing in.

use super::letters;
use super::mail::{self, Kind, Topic};
use super::ServiceError;
use crate::auth::Hasher;
use crate::auth::{hash_token, new_token};
use crate::config::Config;
use crate::domain::time::Clock;
use crate::domain::UserId;
use crate::domain::{FieldError, Password};
use crate::store::models::{AccountTokenRow, UserRow};
use crate::store::Db;
use crate::store::{self, now_ms, DbConnection};
use std::sync::Arc;

pub(crate) const VERIFY: &str = "verify";
const RESET: &str = "reset";

/// Tokens are 43 base64url characters; anything much longer is not one.
const MAX_TOKEN_LEN: usize = 128;

/// A single-use link for `user` to `page`: a new token, stored by its hash
/// for `purpose` until `expires_at`. Answers (the link, the hash).
fn issue_link(
    conn: &mut DbConnection,
    config: &Config,
    user: &UserRow,
    (purpose, page): (&str, &str),
    now: i64,
    expires_at: i64,
) -> Result<(String, String), ServiceError> {
    let (token, hash) = new_token();
    store::tokens::insert(conn, UserId(user.id), purpose, &hash, now, expires_at)?;
    let url = mail::link(&config.server.public_url, &format!("{page}?token={token}"));
    Ok((url, hash))
}

/// Queues the verification mail of a new (or unverified) account; call
/// inside the transaction that creates it.
pub fn queue_verification(
    conn: &mut DbConnection,
    config: &Config,
    user: &UserRow,
) -> Result<(), ServiceError> {
    if user.email.is_none() || user.email_verified_at.is_some() {
        return Ok(());
    }
    let hours = config.mail.verify_token_hours;
    let (now, page) = (now_ms(), (VERIFY, "/account/verify-email"));
    let (url, hash) = issue_link(
        conn,
        config,
        user,
        page,
        now,
        now + hours as i64 * 3_600_000,
    )?;
    let name = user.display_name.as_deref().unwrap_or(&user.username);
    let letter = letters::verification(user.locale, name, &url, hours);
    mail::enqueue(
        conn,
        Kind::Verify,
        &format!("verify:{hash}"),
        user,
        &letter,
        None,
    )?;
    Ok(())
}

/// Why a token is refused, as a problem of the `token` field.
fn token_problem(key: &'static str) -> ServiceError {
    FieldError::new("token", key).into()
}

/// The token's row when it is live: known, for this purpose, unused, not
/// expired, of an account still there.
fn live_token(
    conn: &mut DbConnection,
    purpose: &str,
    token: &str,
    now: i64,
) -> Result<(AccountTokenRow, UserRow), ServiceError> {
    if token.is_empty() || token.len() > MAX_TOKEN_LEN {
        return Err(token_problem("validation-token-invalid"));
    }
    let row = store::tokens::find(conn, purpose, &hash_token(token))?
        .ok_or_else(|| token_problem("validation-token-invalid"))?;
    let user = store::users::find(conn, UserId(row.user_id))?
        .filter(|u| u.erased_at.is_none())
        .ok_or_else(|| token_problem("validation-token-invalid"))?;
    if row.used_at.is_some() {
        return Err(token_problem("validation-token-used"));
    }
    if row.expires_at <= now {
        return Err(token_problem("validation-token-expired"));
    }
    Ok((row, user))
}

/// `POST /auth/verify-email`: the address is the account's, if the link is
/// still live at `now` (`AppState::clock`).
pub fn verify_email(conn: &mut DbConnection, token: &str, now: i64) -> Result<(), ServiceError> {
    let (row, user) = live_token(conn, VERIFY, token, now)?;
    if !store::tokens::use_once(conn, row.id, now)? {
        return Err(token_problem("validation-token-used"));
    }
    Ok(store::users::set_email_verified(
        conn,
        UserId(user.id),
        now,
    )?)
}

/// `POST /auth/password-reset`: a reset link to the address, if an account
/// has it. Runs after the caller has had its answer, so neither the answer
/// nor its timing says whether the account exists.
pub async fn request_reset(
    db: &Db,
    clock: &Arc<dyn Clock>,
    config: &Arc<Config>,
    email: String,
) -> Result<(), ServiceError> {
    let config = config.clone();
    let clock = clock.clone();
    db.write(move |conn| {
        let Some(user) = store::users::find_by_email(conn, &email)? else {
            return Ok(());
        };
        if user.erased_at.is_some() {
            return Ok(());
        }
        let seconds = config.mail.reset_token_seconds;
        let (now, page) = (clock.now_ms(), (RESET, "/account/reset-password"));
        let (url, hash) = issue_link(conn, &config, &user, page, now, now + seconds as i64 * 1000)?;
        let name = user.display_name.as_deref().unwrap_or(&user.username);
        let minutes = seconds.div_ceil(60);
        let letter = letters::reset(user.locale, name, &url, minutes);
        mail::enqueue(
            conn,
            Kind::Reset,
            &format!("reset:{hash}"),
            &user,
            &letter,
            None,
        )?;
        Ok(())
    })
    .await
}

/// `POST /auth/password-reset/confirm`: a new password through the usual
/// rules and hasher; every session is revoked, every reset link used up,
/// and the address counts as verified (the link reached it).
pub async fn confirm_reset(
    db: &Db,
    hasher: &Hasher,
    clock: &Arc<dyn Clock>,
    token: String,
    password: Password,
) -> Result<(), ServiceError> {
    let check = token.clone();
    let now = clock.now_ms();
    db.read(move |conn| live_token(conn, RESET, &check, now).map(|_| ()))
        .await?;
    let hash = hasher.hash(password.into_string()).await?;
    let clock = clock.clone();
    db.write(move |conn| {
        let now = clock.now_ms();
        let (row, user) = live_token(conn, RESET, &token, now)?;
        if !store::tokens::use_once(conn, row.id, now)? {
            return Err(token_problem("validation-token-used"));
        }
        store::users::set_password_hash(conn, UserId(user.id), &hash)?;
        store::sessions::revoke_all(conn, UserId(user.id))?;
        store::tokens::use_all(conn, UserId(user.id), RESET, now)?;
        Ok(store::users::set_email_verified(
            conn,
            UserId(user.id),
            now,
        )?)
    })
    .await
}

/// The account and topic an unsubscribe link names; 404 for a link that
/// is not one of ours (or of an erased account). Changes nothing.
pub fn unsubscribe_target(
    conn: &mut DbConnection,
    token: &str,
) -> Result<(UserRow, Topic), ServiceError> {
    // Read only: a bogus link must cost no write.
    let secret = store::mails::existing_secret(conn)?.ok_or(ServiceError::NotFound)?;
    let (user_id, topic) =
        mail::check_unsubscribe_token(&secret, token).ok_or(ServiceError::NotFound)?;
    let user = store::users::find(conn, UserId(user_id))?
        .filter(|u| u.erased_at.is_none())
        .ok_or(ServiceError::NotFound)?;
    Ok((user, topic))
}

/// Uses up every reset link the account has: after its password changed,
/// a link sent before must not set another.
pub fn forget_reset_links(conn: &mut DbConnection, user_id: i64) -> Result<(), ServiceError> {
    Ok(store::tokens::use_all(
        conn,
        UserId(user_id),
        RESET,
        now_ms(),
    )?)
}

/// `POST /unsubscribe/{token}`: that kind of mail stops, no sign-in needed.
pub fn unsubscribe(conn: &mut DbConnection, token: &str) -> Result<(UserRow, Topic), ServiceError> {
    let (user, topic) = unsubscribe_target(conn, token)?;
    match topic {
        Topic::Replies => {
            store::users::set_notifications(conn, UserId(user.id), Some(false), None)?
        }
        Topic::Queue => store::users::set_notifications(conn, UserId(user.id), None, Some(false))?,
    }
    Ok((user, topic))
}
