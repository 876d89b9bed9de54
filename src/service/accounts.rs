//! Accounts: registration, sign-in, sessions, profile, password, export,
//! erasure, roles, and the one rule on bans every write obeys.

use crate::auth::new_token;
use crate::auth::CurrentUser;
use crate::domain::cursor::Cursor;
use crate::domain::cursor::Page;
use crate::domain::fields::{DisplayName, Email, Password, Username};
use crate::domain::{FieldError, LogAction, Role, UserId};
use crate::error::{ApiError, Conflict};
use crate::i18n::Locale;
use crate::state::AppState;
use crate::store::models::{CommentWithAuthor, NewUser, ReportRow, UserRow};
use crate::store::{self, now_ms, DbConnection};
use crate::text;

/// A reader's registration, every field checked.
pub struct Registration {
    pub username: Username,
    pub email: Email,
    pub password: Password,
    pub display_name: DisplayName,
    pub locale: Locale,
}

/// An account to store: checked fields and the password's hash.
pub struct NewAccount {
    pub username: Username,
    pub email: Email,
    pub display_name: DisplayName,
    pub locale: Locale,
    pub password_hash: String,
}

/// What `PATCH /me` may change; absent fields stay as they are.
pub struct ProfileChanges {
    pub display_name: Option<DisplayName>,
    pub locale: Option<Locale>,
    /// Mail me when a reply to my comment is approved.
    pub notify_replies: Option<bool>,
    /// Mail me when comments wait in the queue (moderators and admins).
    pub notify_queue: Option<bool>,
}

/// Passwords longer than this are refused before hashing: hashing a
/// megabyte of input would cost the server, not the caller.
const MAX_PASSWORD_BYTES: usize = 1024;

/// 403 banned while a ban is in force. Every route that a banned account
/// may not use asks this one function (directly or through `ActiveUser`).
pub fn ensure_not_banned(user: &UserRow) -> Result<(), ApiError> {
    if user.is_banned(now_ms()) {
        return Err(ApiError::Banned {
            until: user.banned_until,
        });
    }
    Ok(())
}

/// Creates a reader account and its first session: (account, token, expiry).
pub async fn register(app: &AppState, r: Registration) -> Result<(UserRow, String, i64), ApiError> {
    super::sso::ensure_password_allowed(&app.config.sso, None)?;
    let account = NewAccount {
        password_hash: app.hasher.hash(r.password.into_string()).await?,
        username: r.username,
        email: r.email,
        display_name: r.display_name,
        locale: r.locale,
    };
    let lifetime = app.token_lifetime_ms();
    let config = app.config.clone();
    app.db
        .write(move |conn| {
            let user = create(conn, &account, Role::Reader)?;
            super::recovery::queue_verification(conn, &config, &user)?;
            let (token, expires_at) = open_session(conn, user.id, lifetime)?;
            Ok((user, token, expires_at))
        })
        .await
}

/// Same answer, in the same time, for an unknown login and a wrong password:
/// an unknown account is checked against a dummy hash.
pub async fn login(
    app: &AppState,
    login: String,
    password: String,
) -> Result<(UserRow, String, i64), ApiError> {
    if password.len() > MAX_PASSWORD_BYTES || login.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::InvalidCredentials);
    }
    let user = app
        .db
        .read(move |conn| find_for_login(conn, &login))
        .await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    if !app.hasher.verify(password, stored).await? {
        return Err(ApiError::InvalidCredentials);
    }
    let user = user.ok_or(ApiError::InvalidCredentials)?;
    super::sso::ensure_password_allowed(&app.config.sso, Some(&user))?;
    let lifetime = app.token_lifetime_ms();
    let user_id = user.id;
    let (token, expires_at) = app
        .db
        .write(move |conn| open_session(conn, user_id, lifetime))
        .await?;
    Ok((user, token, expires_at))
}

pub fn create(
    conn: &mut DbConnection,
    account: &NewAccount,
    role: Role,
) -> Result<UserRow, ApiError> {
    let skeleton = text::username_skeleton(account.username.as_str());
    store::users::insert(
        conn,
        NewUser {
            username: account.username.as_str(),
            username_skeleton: &skeleton,
            email: Some(account.email.as_str()),
            password_hash: &account.password_hash,
            display_name: Some(account.display_name.as_str()),
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

/// Revokes the session whose token was used.
pub fn logout(conn: &mut DbConnection, token_hash: &str) -> Result<(), ApiError> {
    store::sessions::revoke(conn, token_hash)
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

/// Queue digests are for moderators and admins: a reader asking for them is refused.
pub fn update_profile(
    conn: &mut DbConnection,
    caller: &UserRow,
    changes: &ProfileChanges,
) -> Result<UserRow, ApiError> {
    if changes.notify_queue == Some(true) && !caller.role().is_staff() {
        return Err(ApiError::Forbidden);
    }
    let id = caller.id;
    store::users::set_notifications(conn, id, changes.notify_replies, changes.notify_queue)?;
    store::users::update_profile(
        conn,
        id,
        changes.display_name.as_ref().map(DisplayName::as_str),
        changes.locale.map(Locale::as_str),
    )
}

/// The caller's own password, checked before a change or an erasure; a
/// wrong one is a problem of `field`.
async fn check_own_password(
    app: &AppState,
    caller: &CurrentUser,
    password: String,
    field: &str,
) -> Result<(), ApiError> {
    let ok = password.len() <= MAX_PASSWORD_BYTES
        && app
            .hasher
            .verify(password, Some(caller.user.password_hash.clone()))
            .await?;
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(field, "validation-wrong-password").into())
    }
}

/// A new password, and every other session of the account revoked.
pub async fn change_password(
    app: &AppState,
    caller: &CurrentUser,
    current: String,
    new: Password,
) -> Result<(), ApiError> {
    check_own_password(app, caller, current, "current_password").await?;
    let hash = app.hasher.hash(new.into_string()).await?;
    let (id, keep) = (caller.id(), caller.token_hash.clone());
    app.db
        .write(move |conn| {
            store::users::set_password_hash(conn, id, &hash)?;
            store::sessions::revoke_others(conn, id, &keep)
        })
        .await
}

pub fn export(
    conn: &mut DbConnection,
    user_id: i64,
) -> Result<(Vec<CommentWithAuthor>, Vec<ReportRow>), ApiError> {
    let comments = store::comments::by_author(conn, user_id)?;
    let reports = store::reports::by_reporter(conn, user_id)?;
    Ok((comments, reports))
}

/// Erasure after the password is checked again. The last admin cannot
/// erase itself: the site would have nobody to run it.
pub async fn erase(app: &AppState, caller: &CurrentUser, password: String) -> Result<(), ApiError> {
    check_own_password(app, caller, password, "password").await?;
    let user_id = caller.id();
    app.db
        .write(move |conn| {
            let user = store::users::get(conn, user_id)?;
            if user.role() == Role::Admin && store::users::count_admins(conn)? <= 1 {
                return Err(ApiError::Conflict(Conflict::LastAdmin));
            }
            store::users::erase(conn, user_id, now_ms())?;
            // Mails keep an address and what was written: they go too.
            store::mails::forget_user(conn, user_id)
        })
        .await
}

/// Changes a role, refusing to leave the site without an admin; logged.
pub fn change_role(
    conn: &mut DbConnection,
    actor_id: i64,
    user_id: UserId,
    role: Role,
) -> Result<UserRow, ApiError> {
    let user_id = user_id.get();
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
            action: LogAction::RoleChange,
            target_id: Some(user_id.to_string()),
            reason: Some(role.as_str()),
        },
    )?;
    Ok(updated)
}

/// Which accounts an admin looks for: a fragment of a name or an address,
/// and a role; either may be absent.
pub struct UserSearch {
    pub text: Option<String>,
    pub role: Option<Role>,
}

/// A page of accounts, oldest first, and where the next page starts.
pub fn list(
    conn: &mut DbConnection,
    search: &UserSearch,
    page: Page,
) -> Result<(Vec<UserRow>, Option<String>), ApiError> {
    let rows = store::users::list(
        conn,
        search.text.as_deref(),
        search.role,
        page.after,
        page.fetch(),
    )?;
    Ok(page.finish(rows, |u| Cursor { key: 0, id: u.id }))
}
