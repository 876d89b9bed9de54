//! Moderators' notes on readers, for staff only.

use super::views::UserView;
use crate::auth::Staff;
use crate::domain::{time, FieldError, Note, NoteId, UserId};
use crate::error::ApiError;
use crate::http::JsonBody;
use crate::service::notes as service;
use crate::state::AppState;
use crate::store::models::NoteWithAuthor;
use actix_web::{delete, get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The longest note.
const NOTE_MAX: usize = 2000;

fn text_schema() -> utoipa::openapi::schema::Object {
    Note::required_schema_of(NOTE_MAX)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    /// 1 to 2,000 characters once normalized.
    #[schema(schema_with = text_schema)]
    text: String,
}

/// A note as staff read it.
#[derive(Serialize, ToSchema)]
#[schema(as = UserNote)]
pub struct NoteView {
    id: i64,
    text: String,
    author: UserView,
    #[schema(format = DateTime)]
    created_at: String,
}

impl NoteView {
    fn new(n: &NoteWithAuthor) -> NoteView {
        NoteView {
            id: n.note.id,
            text: n.note.text.clone(),
            author: UserView::from_author(&n.author),
            created_at: time::format(n.note.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NoteList {
    /// Newest first.
    notes: Vec<NoteView>,
}

/// A note on an account, seen by staff only; logged as `note_add`.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The account's id")),
    request_body = NoteRequest,
    responses(
        (status = 201, description = "The note", body = NoteView),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 404, description = "No such account"),
    ),
)]
#[post("/mod/users/{id}/notes")]
pub async fn add_note(
    id: web::Path<UserId>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request: NoteRequest = body.parse()?;
    let text = Note::parse("text", &request.text, NOTE_MAX)?
        .ok_or_else(|| ApiError::from(FieldError::new("text", "validation-required")))?;
    let author = staff.0.user;
    let id = id.into_inner();
    let note = app
        .db
        .write(move |conn| service::add(conn, &author, id, &text))
        .await?;
    Ok(HttpResponse::Created().json(NoteView::new(&note)))
}

/// The notes on an account, newest first.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The account's id")),
    responses(
        (status = 200, description = "The notes", body = NoteList),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 404, description = "No such account"),
    ),
)]
#[get("/mod/users/{id}/notes")]
pub async fn list_notes(
    id: web::Path<UserId>,
    _staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let notes = app.db.read(move |conn| service::list(conn, id)).await?;
    Ok(HttpResponse::Ok().json(NoteList {
        notes: notes.iter().map(NoteView::new).collect(),
    }))
}

/// The note's author or an admin; logged as `note_remove`.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The note's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "forbidden (not staff, or another moderator's note) or banned"),
        (status = 404, description = "No such note"),
    ),
)]
#[delete("/mod/notes/{id}")]
pub async fn remove_note(
    id: web::Path<NoteId>,
    staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let actor = staff.0.user;
    let id = id.into_inner();
    app.db
        .write(move |conn| service::remove(conn, &actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
