//! Accounts: registration, sign-in, sessions, profile, password, export,
//! erasure, roles, and the one rule on bans every write obeys.

use super::{Conflict, ServiceError};
use crate::auth::new_token;
use crate::auth::Hasher;
use crate::cache::Memo;
use crate::config::{Config, SsoConfig};
use crate::domain::cursor::Cursor;
use crate::domain::cursor::Page;
use crate::domain::fields::{DisplayName, Email, Password, Username};
use crate::domain::time::Clock;
use crate::domain::{FieldError, LogAction, Role, UserId};
use crate::i18n::Locale;
use crate::ratelimit::AccountKey;
use crate::ratelimit::RateLimits;
use crate::store::models::{CommentWithAuthor, NewUser, ReportRow, UserRow};
use crate::store::{self, now_ms, Db, DbConnection};
use crate::text;
use std::sync::Arc;

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

/// A live session's account, and the change epoch (`Db::change_epoch`) read
/// before it was looked up: what the rest of the request finds remembered
/// at that epoch is as fresh as the account, with no second read of it.
pub struct Session {
    pub user: UserRow,
    pub epoch: Option<u64>,
}

/// Sessions remembered by their token's hash, with the token's expiry.
pub type RememberedSessions = Memo<(UserRow, i64)>;

/// The account a live session token (by its hash) belongs to, from
/// `remembered` while nothing has been committed since it was read
/// (`Db::change_epoch`), so a sign-out, ban or role change applies at once.
pub async fn session_user(
    db: &Db,
    remembered: &RememberedSessions,
    clock: &dyn Clock,
    token_hash: &str,
) -> Result<Option<Session>, ServiceError> {
    let now = clock.now_ms();
    // Read before the lookup: a write committed during it moves the epoch.
    let epoch = db.change_epoch();
    let known = remembered
        .get(token_hash, epoch)
        .filter(|&(_, expires_at)| expires_at > now);
    if let Some((user, _)) = known {
        return Ok(Some(Session { user, epoch }));
    }
    let hash = token_hash.to_string();
    let found = db
        .read_quick(move |conn| store::sessions::find_user(conn, &hash, now))
        .await?;
    Ok(found.map(|(user, expires_at)| {
        remembered.put(token_hash, epoch, (user.clone(), expires_at));
        Session { user, epoch }
    }))
}

/// 403 banned while a ban is in force. Every route that a banned account
/// may not use asks this one function (directly or through `ActiveUser`).
pub fn ensure_not_banned(user: &UserRow) -> Result<(), ServiceError> {
    if user.is_banned(now_ms()) {
        return Err(ServiceError::Banned {
            until: user.banned_until,
        });
    }
    Ok(())
}

/// With `sso.only`, readers come in only through the site; staff keep
/// their passwords. Asked before registering and after a right password.
pub fn ensure_password_allowed(
    config: &SsoConfig,
    user: Option<&UserRow>,
) -> Result<(), ServiceError> {
    if !config.readers_only_through_site() || user.is_some_and(|u| u.role.is_staff()) {
        return Ok(());
    }
    Err(ServiceError::SsoOnly)
}

/// Creates a reader account and its first session: (account, token, expiry).
pub async fn register(
    db: &Db,
    hasher: &Hasher,
    config: &Arc<Config>,
    r: Registration,
) -> Result<(UserRow, String, i64), ServiceError> {
    ensure_password_allowed(&config.sso, None)?;
    let account = NewAccount {
        password_hash: hasher.hash(r.password.into_string()).await?,
        username: r.username,
        email: r.email,
        display_name: r.display_name,
        locale: r.locale,
    };
    let lifetime = config.auth.token_lifetime_ms();
    let config = config.clone();
    db.write(move |conn| {
        if text::username_skeleton(account.display_name.as_str())
            != text::username_skeleton(account.username.as_str())
        {
            check_display_name(conn, &account.display_name, None)?;
        }
        let user = create(conn, &account, Role::Reader)?;
        let user = carry_over_ban(conn, user)?;
        super::recovery::queue_verification(conn, &config, &user)?;
        let (token, expires_at) = open_session(conn, user.id, lifetime)?;
        Ok((user, token, expires_at))
    })
    .await
}

/// Same answer, in the same time, for an unknown login and a wrong password:
/// an unknown account is checked against a dummy hash.
pub async fn login(
    db: &Db,
    hasher: &Hasher,
    limits: &RateLimits,
    config: &Config,
    login: String,
    password: String,
) -> Result<(UserRow, String, i64), ServiceError> {
    if password.len() > MAX_PASSWORD_BYTES || login.len() > MAX_PASSWORD_BYTES {
        return Err(ServiceError::InvalidCredentials);
    }
    let (user, limit_key) = db
        .read(move |conn| -> Result<_, ServiceError> {
            let user = find_for_login(conn, &login)?;
            let key = match &user {
                Some(u) => AccountKey::Account(u.id),
                None => AccountKey::Unknown(lookup_form(&login)),
            };
            Ok((user, key))
        })
        .await?;
    // Counted per account reached, so that no spelling of a name (capitals,
    // look-alikes, invisible characters, the e-mail) starts a fresh count.
    limits.login_account(&limit_key).await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    if !hasher.verify(password, stored).await? {
        return Err(ServiceError::InvalidCredentials);
    }
    let user = user.ok_or(ServiceError::InvalidCredentials)?;
    ensure_password_allowed(&config.sso, Some(&user))?;
    let lifetime = config.auth.token_lifetime_ms();
    let user_id = user.id;
    let (token, expires_at) = db
        .write(move |conn| open_session(conn, user_id, lifetime))
        .await?;
    Ok((user, token, expires_at))
}

pub fn create(
    conn: &mut DbConnection,
    account: &NewAccount,
    role: Role,
) -> Result<UserRow, ServiceError> {
    let skeleton = text::username_skeleton(account.username.as_str());
    Ok(store::users::insert(
        conn,
        NewUser {
            username: account.username.as_str(),
            username_skeleton: &skeleton,
            email: Some(account.email.as_str()),
            password_hash: &account.password_hash,
            display_name: Some(account.display_name.as_str()),
            role,
            locale: account.locale,
            created_at: now_ms(),
        },
    )?)
}

pub fn open_session(
    conn: &mut DbConnection,
    user_id: i64,
    lifetime_ms: i64,
) -> Result<(String, i64), ServiceError> {
    let (token, hash) = new_token();
    let now = now_ms();
    let expires_at = now + lifetime_ms;
    store::sessions::create(conn, UserId(user_id), &hash, now, expires_at)?;
    Ok((token, expires_at))
}

/// Revokes the session whose token was used.
pub fn logout(conn: &mut DbConnection, token_hash: &str) -> Result<(), ServiceError> {
    Ok(store::sessions::revoke(conn, token_hash)?)
}

/// By email when the login has an `@`, else by username (skeleton match).
pub fn find_for_login(
    conn: &mut DbConnection,
    login: &str,
) -> Result<Option<UserRow>, ServiceError> {
    let form = lookup_form(login);
    let user = if login.contains('@') {
        store::users::find_by_email(conn, &form)?
    } else {
        store::users::find_by_skeleton(conn, &form)?
    };
    Ok(user.filter(|u| u.erased_at.is_none()))
}

/// What a login is looked up by: the lower-cased address, or the
/// username's skeleton (every spelling that reaches the same account).
fn lookup_form(login: &str) -> String {
    if login.contains('@') {
        login.trim().to_lowercase()
    } else {
        text::username_skeleton(&text::normalize_line(login))
    }
}

/// Queue digests are for moderators and admins: a reader asking for them is refused.
pub fn update_profile(
    conn: &mut DbConnection,
    caller: &UserRow,
    changes: &ProfileChanges,
) -> Result<UserRow, ServiceError> {
    if changes.notify_queue == Some(true) && !caller.role.is_staff() {
        return Err(ServiceError::Forbidden);
    }
    let id = caller.id;
    if let Some(name) = &changes.display_name {
        check_display_name(conn, name, Some(id))?;
    }
    store::users::set_notifications(
        conn,
        UserId(id),
        changes.notify_replies,
        changes.notify_queue,
    )?;
    Ok(store::users::update_profile(
        conn,
        UserId(id),
        changes.display_name.as_ref().map(DisplayName::as_str),
        changes.locale.map(Locale::as_str),
    )?)
}

/// The caller's own password, checked before a change or an erasure; a
/// wrong one is a problem of `field`.
async fn check_own_password(
    hasher: &Hasher,
    limits: &RateLimits,
    caller: &UserRow,
    password: String,
    field: &str,
) -> Result<(), ServiceError> {
    limits.password_check(caller.id).await?;
    let ok = password.len() <= MAX_PASSWORD_BYTES
        && hasher
            .verify(password, Some(caller.password_hash.clone()))
            .await?;
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(field, "validation-wrong-password").into())
    }
}

/// A new password, and every session of the account revoked but the one
/// whose token hashes to `keep`.
pub async fn change_password(
    db: &Db,
    hasher: &Hasher,
    limits: &RateLimits,
    caller: &UserRow,
    keep: String,
    current: String,
    new: Password,
) -> Result<(), ServiceError> {
    check_own_password(hasher, limits, caller, current, "current_password").await?;
    let hash = hasher.hash(new.into_string()).await?;
    let id = caller.id;
    db.write(move |conn| {
        store::users::set_password_hash(conn, UserId(id), &hash)?;
        super::recovery::forget_reset_links(conn, id)?;
        Ok(store::sessions::revoke_others(conn, UserId(id), &keep)?)
    })
    .await
}

pub fn export(
    conn: &mut DbConnection,
    user_id: i64,
) -> Result<(Vec<CommentWithAuthor>, Vec<ReportRow>), ServiceError> {
    let comments = store::comments::by_author(conn, UserId(user_id))?;
    let reports = store::reports::by_reporter(conn, UserId(user_id))?;
    Ok((comments, reports))
}

/// Erasure after the password is checked again. The last admin cannot
/// erase itself: the site would have nobody to run it.
pub async fn erase(
    db: &Db,
    hasher: &Hasher,
    limits: &RateLimits,
    caller: &UserRow,
    password: String,
) -> Result<(), ServiceError> {
    // An account made by the site's sign-in has no password to ask for: the
    // site vouched for the session, and its reader must be able to leave.
    if caller.has_password() {
        check_own_password(hasher, limits, caller, password, "password").await?;
    }
    let user_id = caller.id;
    db.write(move |conn| {
        let user = store::users::get(conn, UserId(user_id))?;
        if user.role == Role::Admin && store::users::count_admins(conn)? <= 1 {
            return Err(ServiceError::Conflict(Conflict::LastAdmin));
        }
        if user.is_banned(now_ms()) {
            remember_ban(conn, &user)?;
        }
        store::users::erase(conn, UserId(user_id), now_ms())?;
        // Mails keep an address and what was written: they go too.
        Ok(store::mails::forget_user(conn, UserId(user_id))?)
    })
    .await
}

/// A display name may not pass for someone else: not another account's
/// username, nor a staff member's name, in any look-alike spelling (the
/// skeleton folds case, confusables and invisible characters). Readers may
/// share a display name with other readers: many people are called Mohamed.
fn check_display_name(
    conn: &mut DbConnection,
    name: &DisplayName,
    own_id: Option<i64>,
) -> Result<(), ServiceError> {
    let skeleton = text::username_skeleton(name.as_str());
    let other = |u: &UserRow| Some(u.id) != own_id && u.erased_at.is_none();
    let taken = store::users::find_by_skeleton(conn, &skeleton)?.is_some_and(|u| other(&u))
        || store::users::staff(conn)?.iter().any(|u| {
            other(u)
                && u.display_name
                    .as_deref()
                    .is_some_and(|d| text::username_skeleton(d) == skeleton)
        });
    if taken {
        return Err(FieldError::new("display_name", "validation-name-impersonates").into());
    }
    Ok(())
}

/// Hashes kept of a banned account that is being erased. Only hashes: they
/// say nothing of the person, yet recognise the same address or name.
fn remember_ban(conn: &mut DbConnection, user: &UserRow) -> Result<(), ServiceError> {
    let email = user.email.as_deref().map(ban_hash);
    Ok(store::ban_records::insert(
        conn,
        email.as_deref(),
        &ban_hash(&user.username_skeleton),
        user.banned_until,
        now_ms(),
    )?)
}

/// A new account whose address or name belonged to an account erased while
/// banned starts under the same ban.
pub(crate) fn carry_over_ban(
    conn: &mut DbConnection,
    user: UserRow,
) -> Result<UserRow, ServiceError> {
    let email = user.email.as_deref().map(ban_hash);
    let name = ban_hash(&user.username_skeleton);
    match store::ban_records::in_force(conn, email.as_deref(), &name, now_ms())? {
        Some(until) => {
            store::users::ban(conn, UserId(user.id), now_ms(), until, Some("ban_evasion"))?;
            Ok(store::users::get(conn, UserId(user.id))?)
        }
        None => Ok(user),
    }
}

fn ban_hash(value: &str) -> String {
    crate::auth::hash_token(&format!("tribune-ban-record:{value}"))
}

/// Changes a role, refusing to leave the site without an admin; logged.
pub fn change_role(
    conn: &mut DbConnection,
    actor_id: i64,
    user_id: UserId,
    role: Role,
) -> Result<UserRow, ServiceError> {
    let user = store::users::get(conn, user_id)?;
    if user.erased_at.is_some() {
        return Err(ServiceError::NotFound);
    }
    if user.role == Role::Admin && role != Role::Admin && store::users::count_admins(conn)? <= 1 {
        return Err(ServiceError::Conflict(Conflict::LastAdmin));
    }
    let updated = store::users::set_role(conn, user_id, role)?;
    if role.is_staff() != user.role.is_staff() {
        // The staff badge beside their name follows the role: the cached
        // pages that show their comments are built again.
        store::articles::touch_for_author(conn, UserId(user_id.get()))?;
    }
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

/// Makes an account a trusted flagger (DSA Art. 22), or not; logged
/// (`trusted_flagger`, reason `on` or `off`) when it changes.
pub fn set_trusted_flagger(
    conn: &mut DbConnection,
    actor_id: i64,
    user_id: UserId,
    on: bool,
) -> Result<UserRow, ServiceError> {
    let user = store::users::get(conn, user_id)?;
    if user.erased_at.is_some() {
        return Err(ServiceError::NotFound);
    }
    if user.trusted_flagger == on {
        return Ok(user);
    }
    let updated = store::users::set_trusted_flagger(conn, user_id, on)?;
    store::log::append(
        conn,
        store::log::Entry {
            actor_id,
            action: LogAction::TrustedFlagger,
            target_id: Some(user_id.to_string()),
            reason: Some(if on { "on" } else { "off" }),
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
) -> Result<(Vec<UserRow>, Option<String>), ServiceError> {
    let rows = store::users::list(
        conn,
        search.text.as_deref(),
        search.role,
        page.after,
        page.fetch(),
    )?;
    Ok(page.finish(rows, |u| Cursor { key: 0, id: u.id }))
}
