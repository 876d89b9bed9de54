//! Accounts.

use super::models::{NewUser, UserRow};
use super::schema::{sessions, users};
use super::DbConnection;
use super::{StoreError, Taken};
use crate::domain::cursor::Cursor;
use crate::domain::{CommentStatus, Role, UserId};
use diesel::prelude::*;

pub fn find(conn: &mut DbConnection, id: UserId) -> Result<Option<UserRow>, StoreError> {
    Ok(users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn get(conn: &mut DbConnection, id: UserId) -> Result<UserRow, StoreError> {
    find(conn, id)?.ok_or(StoreError::NotFound)
}

pub fn find_many(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<UserRow>, StoreError> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select(UserRow::as_select())
        .load(conn)?)
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> Result<Option<UserRow>, StoreError> {
    Ok(users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_by_skeleton(
    conn: &mut DbConnection,
    skeleton: &str,
) -> Result<Option<UserRow>, StoreError> {
    Ok(users::table
        .filter(users::username_skeleton.eq(skeleton))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

/// Inserts an account after checking that its name and email are free.
pub fn insert(conn: &mut DbConnection, new: NewUser<'_>) -> Result<UserRow, StoreError> {
    if find_by_skeleton(conn, new.username_skeleton)?.is_some() {
        return Err(StoreError::Taken(Taken::Username));
    }
    if let Some(email) = new.email {
        if find_by_email(conn, email)?.is_some() {
            return Err(StoreError::Taken(Taken::Email));
        }
    }
    let id = super::insert_returning_id!(
        conn,
        diesel::insert_into(users::table).values(&new),
        users::id
    )
    .map_err(|e| {
        let on_email = match &e {
            diesel::result::Error::DatabaseError(_, info) => info
                .constraint_name()
                .unwrap_or(info.message())
                .contains("email"),
            _ => false,
        };
        let taken = if on_email {
            Taken::Email
        } else {
            Taken::Username
        };
        StoreError::unique_as(e, taken)
    })?;
    get(conn, UserId(id))
}

pub fn update_profile(
    conn: &mut DbConnection,
    id: UserId,
    display_name: Option<&str>,
    locale: Option<&str>,
) -> Result<UserRow, StoreError> {
    if let Some(name) = display_name {
        diesel::update(users::table.find(id))
            .set(users::display_name.eq(name))
            .execute(conn)?;
        super::articles::touch_for_author(conn, UserId(id.get()))?;
    }
    if let Some(locale) = locale {
        diesel::update(users::table.find(id))
            .set(users::locale.eq(locale))
            .execute(conn)?;
    }
    get(conn, id)
}

pub fn set_password_hash(
    conn: &mut DbConnection,
    id: UserId,
    hash: &str,
) -> Result<(), StoreError> {
    diesel::update(users::table.find(id))
        .set(users::password_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}

pub fn set_role(conn: &mut DbConnection, id: UserId, role: Role) -> Result<UserRow, StoreError> {
    diesel::update(users::table.find(id))
        .set(users::role.eq(role))
        .execute(conn)?;
    get(conn, id)
}

/// Marks an account a trusted flagger (DSA Art. 22), or not.
pub fn set_trusted_flagger(
    conn: &mut DbConnection,
    id: UserId,
    on: bool,
) -> Result<UserRow, StoreError> {
    diesel::update(users::table.find(id))
        .set(users::trusted_flagger.eq(on))
        .execute(conn)?;
    get(conn, id)
}

/// Moderators and admins who are not erased.
pub fn staff(conn: &mut DbConnection) -> Result<Vec<UserRow>, StoreError> {
    Ok(users::table
        .filter(users::role.eq_any([Role::Moderator, Role::Admin]))
        .filter(users::erased_at.is_null())
        .select(UserRow::as_select())
        .load(conn)?)
}

pub fn count_admins(conn: &mut DbConnection) -> Result<i64, StoreError> {
    Ok(users::table
        .filter(users::role.eq(Role::Admin))
        .filter(users::erased_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Erasure: the name becomes `deleted-<id>` (its skeleton freed), personal
/// data goes, sessions are revoked; comments stay, detached from the account.
pub fn erase(conn: &mut DbConnection, id: UserId, now: i64) -> Result<(), StoreError> {
    let placeholder = format!("deleted-{id}");
    diesel::update(users::table.find(id))
        .set((
            users::username.eq(&placeholder),
            // `#` cannot occur in a username, so no one can collide with it.
            users::username_skeleton.eq(format!("#erased-{id}")),
            users::email.eq(None::<String>),
            users::display_name.eq(None::<String>),
            users::password_hash.eq("!"),
            users::badges.eq(""),
            users::erased_at.eq(Some(now)),
        ))
        .execute(conn)?;
    super::sso::forget_user(conn, UserId(id.get()))?;
    diesel::delete(sessions::table.filter(sessions::user_id.eq(id))).execute(conn)?;
    super::comments::detach_author(conn, UserId(id.get()))?;
    Ok(())
}

pub fn ban(
    conn: &mut DbConnection,
    id: UserId,
    now: i64,
    until: Option<i64>,
    reason: Option<&str>,
) -> Result<(), StoreError> {
    diesel::update(users::table.find(id))
        .set((
            users::banned_at.eq(Some(now)),
            users::banned_until.eq(until),
            users::ban_reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn unban(conn: &mut DbConnection, id: UserId) -> Result<(), StoreError> {
    diesel::update(users::table.find(id))
        .set((
            users::banned_at.eq(None::<i64>),
            users::banned_until.eq(None::<i64>),
            users::ban_reason.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Accounts by id, optionally filtered by a name/email fragment and a role.
pub fn list(
    conn: &mut DbConnection,
    search: Option<&str>,
    role: Option<Role>,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<UserRow>, StoreError> {
    let mut query = users::table
        .select(UserRow::as_select())
        .order(users::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(q) = search {
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = format!("%{escaped}%");
        query = query.filter(
            users::username
                .like(pattern.clone())
                .escape('\\')
                .or(users::email.like(pattern.clone()).escape('\\'))
                .or(users::display_name.like(pattern).escape('\\')),
        );
    }
    if let Some(role) = role {
        query = query.filter(users::role.eq(role));
    }
    if let Some(c) = after {
        query = query.filter(users::id.gt(c.id));
    }
    Ok(query.load(conn)?)
}

/// The oldest admin account still in place.
pub fn first_admin(conn: &mut DbConnection) -> Result<Option<UserRow>, StoreError> {
    Ok(users::table
        .filter(users::role.eq(Role::Admin))
        .filter(users::erased_at.is_null())
        .order(users::id.asc())
        .select(UserRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn any_admin(conn: &mut DbConnection) -> Result<bool, StoreError> {
    Ok(count_admins(conn)? > 0)
}

/// (all accounts, accounts banned now)
pub fn counts(conn: &mut DbConnection, now: i64) -> Result<(i64, i64), StoreError> {
    let total = users::table
        .filter(users::erased_at.is_null())
        .count()
        .get_result(conn)?;
    let banned = users::table
        .filter(users::banned_at.is_not_null())
        .filter(
            users::banned_until
                .is_null()
                .or(users::banned_until.gt(now)),
        )
        .count()
        .get_result(conn)?;
    Ok((total, banned))
}

/// Counts an author's comments again from scratch (after a bulk import).
pub fn recount(conn: &mut DbConnection, author_id: UserId) -> Result<(), StoreError> {
    let count = |conn: &mut DbConnection, status| {
        super::comments::count_by_author(conn, author_id, status, None)
    };
    let approved = count(conn, CommentStatus::Approved)?;
    let rejected = count(conn, CommentStatus::Rejected)?;
    diesel::update(users::table.find(author_id))
        .set((
            users::approved_count.eq(approved),
            users::rejected_count.eq(rejected),
        ))
        .execute(conn)?;
    Ok(())
}

/// The address was shown to be the account's (a link from it was followed).
pub fn set_email_verified(conn: &mut DbConnection, id: UserId, now: i64) -> Result<(), StoreError> {
    diesel::update(
        users::table
            .find(id)
            .filter(users::email_verified_at.is_null()),
    )
    .set(users::email_verified_at.eq(Some(now)))
    .execute(conn)?;
    Ok(())
}

/// Turns reply notifications and queue digests on or off (`None`: unchanged).
pub fn set_notifications(
    conn: &mut DbConnection,
    id: UserId,
    replies: Option<bool>,
    queue: Option<bool>,
) -> Result<(), StoreError> {
    if let Some(on) = replies {
        diesel::update(users::table.find(id))
            .set(users::notify_replies.eq(on))
            .execute(conn)?;
    }
    if let Some(on) = queue {
        diesel::update(users::table.find(id))
            .set(users::notify_queue.eq(on))
            .execute(conn)?;
    }
    Ok(())
}

/// Moderators and admins who asked for queue digests, have a verified
/// address, and had none since `changed_at` nor within the last period
/// (`not_after`: the latest time a previous digest may have gone).
pub fn digest_candidates(
    conn: &mut DbConnection,
    changed_at: i64,
    not_after: i64,
) -> Result<Vec<UserRow>, StoreError> {
    Ok(users::table
        .filter(users::notify_queue.eq(true))
        .filter(users::role.eq_any([Role::Moderator, Role::Admin]))
        .filter(users::email_verified_at.is_not_null())
        .filter(users::email.is_not_null())
        .filter(users::erased_at.is_null())
        .filter(
            users::queue_digest_at.is_null().or(users::queue_digest_at
                .lt(changed_at)
                .and(users::queue_digest_at.le(not_after))),
        )
        .order(users::id.asc())
        .select(UserRow::as_select())
        .load(conn)?)
}

pub fn set_queue_digest_at(
    conn: &mut DbConnection,
    id: UserId,
    now: i64,
) -> Result<(), StoreError> {
    diesel::update(users::table.find(id))
        .set(users::queue_digest_at.eq(Some(now)))
        .execute(conn)?;
    Ok(())
}

/// Sets or clears the address; `verified_at` says whether it is proven.
pub fn set_email(
    conn: &mut DbConnection,
    id: UserId,
    email: Option<&str>,
    verified_at: Option<i64>,
) -> Result<(), StoreError> {
    diesel::update(users::table.find(id))
        .set((
            users::email.eq(email),
            users::email_verified_at.eq(verified_at),
        ))
        .execute(conn)
        .map_err(|e| StoreError::unique_as(e, Taken::Email))?;
    Ok(())
}

/// What the site's sign-in keeps up to date: the name shown and the badges
/// (a JSON array, '' for none).
pub fn set_site_profile(
    conn: &mut DbConnection,
    id: UserId,
    display_name: &str,
    badges: &str,
) -> Result<(), StoreError> {
    diesel::update(users::table.find(id))
        .set((
            users::display_name.eq(display_name),
            users::badges.eq(badges),
        ))
        .execute(conn)?;
    // Thread pages show both.
    super::articles::touch_for_author(conn, UserId(id.get()))
}
