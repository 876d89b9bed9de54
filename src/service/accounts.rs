//! Accounts: creation, sign-in look-up, sessions, export, erasure.

use crate::auth::new_token;
use crate::domain::Role;
use crate::error::{ApiError, Conflict};
use crate::i18n::Locale;
use crate::store::models::{CommentWithAuthor, NewUser, ReportRow, UserRow};
use crate::store::{self, now_ms, DbConnection};
use crate::text;

pub struct NewAccount {
    pub username: String,
    pub email: String,
    pub display_name: String,
    pub locale: Locale,
    pub password_hash: String,
}

/// Creates a reader account and its first session: (account, token, expiry).
pub fn register(
    conn: &mut DbConnection,
    account: NewAccount,
    token_lifetime_ms: i64,
) -> Result<(UserRow, String, i64), ApiError> {
    let user = create(conn, &account, Role::Reader)?;
    let (token, expires_at) = open_session(conn, user.id, token_lifetime_ms)?;
    Ok((user, token, expires_at))
}

pub fn create(
    conn: &mut DbConnection,
    account: &NewAccount,
    role: Role,
) -> Result<UserRow, ApiError> {
    let skeleton = text::username_skeleton(&account.username);
    store::users::insert(
        conn,
        NewUser {
            username: &account.username,
            username_skeleton: &skeleton,
            email: Some(&account.email),
            password_hash: &account.password_hash,
            display_name: Some(&account.display_name),
            role: role.as_str(),
            locale: account.locale.as_str(),
            created_at: now_ms(),
        },
    )
}

pub fn open_session(
    conn: &mut DbConnection,
    user_id: i64,
    lifetime_ms: i64,
) -> Result<(String, i64), ApiError> {
    let (token, hash) = new_token();
    let now = now_ms();
    let expires_at = now + lifetime_ms;
    store::sessions::create(conn, user_id, &hash, now, expires_at)?;
    Ok((token, expires_at))
}

/// By email when the login has an `@`, else by username (skeleton match).
pub fn find_for_login(conn: &mut DbConnection, login: &str) -> Result<Option<UserRow>, ApiError> {
    let user = if login.contains('@') {
        store::users::find_by_email(conn, &login.trim().to_lowercase())?
    } else {
        let name = text::normalize_line(login);
        store::users::find_by_skeleton(conn, &text::username_skeleton(&name))?
    };
    Ok(user.filter(|u| u.erased_at.is_none()))
}

pub fn export(
    conn: &mut DbConnection,
    user_id: i64,
) -> Result<(Vec<CommentWithAuthor>, Vec<ReportRow>), ApiError> {
    let comments = store::comments::by_author(conn, user_id)?;
    let reports = store::reports::by_reporter(conn, user_id)?;
    Ok((comments, reports))
}

/// The last admin cannot erase itself: the site would have nobody to run it.
pub fn erase(conn: &mut DbConnection, user_id: i64) -> Result<(), ApiError> {
    let user = store::users::get(conn, user_id)?;
    if user.role() == Role::Admin && store::users::count_admins(conn)? <= 1 {
        return Err(ApiError::Conflict(Conflict::LastAdmin));
    }
    store::users::erase(conn, user_id, now_ms())
}

/// Changes a role, refusing to leave the site without an admin; logged.
pub fn change_role(
    conn: &mut DbConnection,
    actor_id: i64,
    user_id: i64,
    role: Role,
) -> Result<UserRow, ApiError> {
    let user = store::users::get(conn, user_id)?;
    if user.erased_at.is_some() {
        return Err(ApiError::NotFound);
    }
    if user.role() == Role::Admin && role != Role::Admin && store::users::count_admins(conn)? <= 1 {
        return Err(ApiError::Conflict(Conflict::LastAdmin));
    }
    let updated = store::users::set_role(conn, user_id, role)?;
    store::log::append(
        conn,
        store::log::Entry {
            actor_id,
            action: "role_change",
            target_type: "user",
            target_id: Some(user_id.to_string()),
            reason: Some(role.as_str()),
        },
    )?;
    Ok(updated)
}
