//! Readers who come in through an identity held elsewhere: the site's own
//! sign-in (`sso.rs`) and OpenID Connect providers (`oidc.rs`). One set of
//! rules for both: an identity (issuer, subject) leads to one account; an
//! address links to an existing account only when both sides vouch for it;
//! a ban stays a ban.

use super::ServiceError;
use crate::domain::fields::Email;
use crate::domain::Role;
use crate::domain::UserId;
use crate::i18n::Locale;
use crate::store::models::{NewSsoIdentity, NewUser, UserRow};
use crate::store::{self, now_ms, DbConnection};
use crate::text::{self, names};

/// Stored as the password hash of accounts made this way: it is no Argon2
/// hash, so no password ever matches it.
const NO_PASSWORD: &str = "!sso";

/// What the identity's holder says about the reader, checked already.
#[derive(Debug, Clone, PartialEq)]
pub struct ExternalReader {
    /// The issuer (or the site's key's site): with `subject`, the identity.
    pub site: String,
    pub subject: String,
    pub email: Option<Email>,
    /// The holder vouches that the reader owns `email`.
    pub email_verified: bool,
    pub name: String,
    pub username: Option<String>,
    pub badges: Vec<String>,
    /// Applied only when the caller trusts the holder with roles.
    pub role: Option<Role>,
    pub lang: Option<Locale>,
    /// When the holder said it (seconds): only a newer saying updates the account.
    pub iat: i64,
}

impl ExternalReader {
    /// The address, when the holder vouches for it.
    fn verified_email(&self) -> Option<&str> {
        self.email
            .as_ref()
            .filter(|_| self.email_verified)
            .map(Email::as_str)
    }
}

/// The reader's account: the identity's, else a verified account with the
/// same verified address, else a new one. A ban is never lifted here.
pub fn account_for(
    conn: &mut DbConnection,
    reader: &ExternalReader,
    trust_roles: bool,
    default_locale: Locale,
) -> Result<UserRow, ServiceError> {
    let now = now_ms();
    store::sso::lock_identity(conn, &reader.site, &reader.subject)?;
    if let Some(identity) = store::sso::find_identity(conn, &reader.site, &reader.subject)? {
        let user = store::users::get(conn, UserId(identity.user_id))?;
        if user.erased_at.is_none() {
            if reader.iat > identity.last_iat {
                refresh(conn, trust_roles, &user, reader)?;
                store::sso::set_last_iat(conn, identity.id, reader.iat)?;
            }
            return Ok(store::users::get(conn, UserId(user.id))?);
        }
        store::sso::delete_identity(conn, identity.id)?;
    }
    let owner = match reader.verified_email() {
        Some(email) => store::users::find_by_email(conn, email)?,
        None => None,
    };
    let user_id = match owner {
        // The holder vouches for the address, and so did its owner: the same person.
        Some(owner) if owner.email_verified_at.is_some() && owner.erased_at.is_none() => {
            refresh(conn, trust_roles, &owner, reader)?;
            owner.id
        }
        // Nothing proves the unverified account's address was its owner's:
        // it loses it (and its pending links), the reader gets an account.
        Some(claimed) => {
            store::users::set_email(conn, UserId(claimed.id), None, None)?;
            store::tokens::use_all(conn, UserId(claimed.id), super::recovery::VERIFY, now)?;
            create(conn, trust_roles, reader, default_locale)?
        }
        None => create(conn, trust_roles, reader, default_locale)?,
    };
    store::sso::insert_identity(
        conn,
        NewSsoIdentity {
            site: &reader.site,
            subject: &reader.subject,
            user_id,
            last_iat: reader.iat,
            created_at: now,
        },
    )?;
    Ok(store::users::get(conn, UserId(user_id))?)
}

/// A new account: a valid, free username from `username` or `name`, the
/// address (when vouched for and free) marked verified, no password.
fn create(
    conn: &mut DbConnection,
    trust_roles: bool,
    reader: &ExternalReader,
    default_locale: Locale,
) -> Result<i64, ServiceError> {
    let wanted = reader.username.as_deref().unwrap_or(&reader.name);
    let (base, _) = names::base_username(wanted);
    let mut n = 1;
    let (username, skeleton) = loop {
        let candidate = names::variant(&base, n);
        let skeleton = text::username_skeleton(&candidate);
        if store::users::find_by_skeleton(conn, &skeleton)?.is_none() {
            break (candidate, skeleton);
        }
        n += 1;
    };
    let display = names::display_name(&reader.name, &username);
    // The site's word on a role counts only where it is trusted to give one.
    let role = match reader.role {
        Some(role) if trust_roles => role,
        _ => Role::Reader,
    };
    // An address another account still holds (unverified, and not vouched
    // for here) stays with it: the new account has none.
    let email = match reader.verified_email() {
        Some(email) if store::users::find_by_email(conn, email)?.is_none() => Some(email),
        _ => None,
    };
    let now = now_ms();
    let user = store::users::insert(
        conn,
        NewUser {
            username: &username,
            username_skeleton: &skeleton,
            email,
            password_hash: NO_PASSWORD,
            display_name: Some(&display),
            role,
            locale: reader.lang.unwrap_or(default_locale),
            created_at: now,
        },
    )?;
    if email.is_some() {
        store::users::set_email_verified(conn, UserId(user.id), now)?;
    }
    store::users::set_site_profile(
        conn,
        UserId(user.id),
        &display,
        &badges_json(&reader.badges),
    )?;
    // Someone banned, then erased, is banned again under a new account.
    let user = super::accounts::carry_over_ban(conn, user)?;
    Ok(user.id)
}

/// A newer saying's name, address (when vouched for and free), badges, and
/// role (when trusted).
fn refresh(
    conn: &mut DbConnection,
    trust_roles: bool,
    user: &UserRow,
    reader: &ExternalReader,
) -> Result<(), ServiceError> {
    let display = names::display_name(&reader.name, &user.username);
    store::users::set_site_profile(
        conn,
        UserId(user.id),
        &display,
        &badges_json(&reader.badges),
    )?;
    if let Some(email) = reader.verified_email() {
        if user.email.as_deref() != Some(email)
            && store::users::find_by_email(conn, email)?.is_none()
        {
            store::users::set_email(conn, UserId(user.id), Some(email), Some(now_ms()))?;
        }
    }
    if let Some(role) = reader.role.filter(|_| trust_roles) {
        // The holder cannot leave Tribune without an admin.
        let last_admin = user.role == Role::Admin && store::users::count_admins(conn)? <= 1;
        if role != user.role && !last_admin {
            store::users::set_role(conn, UserId(user.id), role)?;
        }
    }
    Ok(())
}

fn badges_json(badges: &[String]) -> String {
    if badges.is_empty() {
        String::new()
    } else {
        serde_json::to_string(badges).unwrap_or_default()
    }
}
