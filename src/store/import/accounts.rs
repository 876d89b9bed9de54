//! The accounts an import makes for the people who commented elsewhere, and
//! the look-ups that find them again.

use super::CHUNK;
use crate::domain::Role;
use crate::store::schema::{imported_users, users};
use crate::store::DbConnection;
use crate::store::StoreError;
use diesel::prelude::*;
use std::collections::HashMap;

/// A new account for someone who commented elsewhere: no password (the
/// stored hash `!` matches none), marked imported.
pub struct ImportedUser<'a> {
    pub username: &'a str,
    pub skeleton: &'a str,
    pub email: Option<&'a str>,
    pub display_name: &'a str,
    pub original_name: Option<&'a str>,
    pub locale: &'a str,
    pub created_at: i64,
    pub source: &'a str,
}

/// An account row as an import writes it: `None` bound as NULL, so that on
/// SQLite the statement is prepared once for the whole import.
#[derive(Insertable)]
#[diesel(table_name = users, treat_none_as_default_value = false)]
struct NewImportedUser<'a> {
    username: &'a str,
    username_skeleton: &'a str,
    email: Option<&'a str>,
    password_hash: &'a str,
    display_name: Option<&'a str>,
    role: Role,
    locale: &'a str,
    created_at: i64,
}

pub fn insert_user(conn: &mut DbConnection, user: &ImportedUser<'_>) -> Result<i64, StoreError> {
    let new = NewImportedUser {
        username: user.username,
        username_skeleton: user.skeleton,
        email: user.email,
        password_hash: "!",
        display_name: Some(user.display_name),
        role: Role::Reader,
        locale: user.locale,
        created_at: user.created_at,
    };
    let id = crate::store::insert_returning_id!(
        conn,
        diesel::insert_into(users::table).values(&new),
        users::id
    )?;
    diesel::insert_into(imported_users::table)
        .values((
            imported_users::user_id.eq(id),
            imported_users::source.eq(user.source),
            imported_users::original_name.eq(user.original_name),
            imported_users::created_at.eq(crate::store::now_ms()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Whether an account already holds this name's skeleton.
pub fn skeleton_taken(conn: &mut DbConnection, skeleton: &str) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        users::table.filter(users::username_skeleton.eq(skeleton)),
    ))
    .get_result(conn)?)
}

/// Which of these skeletons an account holds.
pub fn skeletons_taken(
    conn: &mut DbConnection,
    skeletons: &[&str],
) -> Result<std::collections::HashSet<String>, StoreError> {
    let mut taken = std::collections::HashSet::new();
    for chunk in skeletons.chunks(CHUNK) {
        let rows: Vec<String> = users::table
            .filter(users::username_skeleton.eq_any(chunk))
            .select(users::username_skeleton)
            .load(conn)?;
        taken.extend(rows);
    }
    Ok(taken)
}

/// Accounts by e-mail (stored lower-cased).
pub fn users_by_email(
    conn: &mut DbConnection,
    emails: &[&str],
) -> Result<HashMap<String, i64>, StoreError> {
    let mut found = HashMap::with_capacity(emails.len());
    for chunk in emails.chunks(CHUNK) {
        let rows: Vec<(Option<String>, i64)> = users::table
            .filter(users::email.eq_any(chunk))
            .select((users::email, users::id))
            .load(conn)?;
        found.extend(rows.into_iter().filter_map(|(e, id)| Some((e?, id))));
    }
    Ok(found)
}

/// Whether an account was made by an import.
pub fn is_imported(conn: &mut DbConnection, user_id: i64) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        imported_users::table.filter(imported_users::user_id.eq(user_id)),
    ))
    .get_result(conn)?)
}
