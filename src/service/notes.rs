//! Moderators' notes on readers: written and read by staff only. They never
//! reach a public view, a reader's own export, an event or a webhook.

use super::ServiceError;
use crate::domain::{LogAction, Note, NoteId, Role, UserId};
use crate::store::models::{NewNote, NoteWithAuthor, UserRow};
use crate::store::{self, log::Entry, now_ms, DbConnection};

/// Adds a note on the account and logs it (`note_add`; the text stays out
/// of the log, which keeps it in the notes alone).
pub fn add(
    conn: &mut DbConnection,
    author: &UserRow,
    user_id: UserId,
    text: &Note,
) -> Result<NoteWithAuthor, ServiceError> {
    let user = store::users::find(conn, user_id)?.ok_or(ServiceError::NotFound)?;
    let note = store::notes::insert(
        conn,
        NewNote {
            user_id: user.id,
            author_id: author.id,
            text: text.as_str(),
            created_at: now_ms(),
        },
    )?;
    log(conn, author.id, LogAction::NoteAdd, user.id)?;
    Ok(NoteWithAuthor {
        note,
        author: store::models::AuthorRow::of(author),
    })
}

/// The account's notes, newest first.
pub fn list(conn: &mut DbConnection, user_id: UserId) -> Result<Vec<NoteWithAuthor>, ServiceError> {
    let user = store::users::find(conn, user_id)?.ok_or(ServiceError::NotFound)?;
    Ok(store::notes::on_user(conn, UserId(user.id))?)
}

/// Removes a note: its author's, or any for an admin (403 otherwise).
pub fn remove(conn: &mut DbConnection, actor: &UserRow, id: NoteId) -> Result<(), ServiceError> {
    let note = store::notes::find(conn, id)?.ok_or(ServiceError::NotFound)?;
    if note.author_id != actor.id && actor.role != Role::Admin {
        return Err(ServiceError::Forbidden);
    }
    store::notes::delete(conn, NoteId(note.id))?;
    log(conn, actor.id, LogAction::NoteRemove, note.user_id)
}

fn log(
    conn: &mut DbConnection,
    actor_id: i64,
    action: LogAction,
    user_id: i64,
) -> Result<(), ServiceError> {
    Ok(store::log::append(
        conn,
        Entry {
            actor_id,
            action,
            target_id: Some(user_id.to_string()),
            reason: None,
        },
    )?)
}
