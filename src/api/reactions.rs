//! Readers' reaction on a comment: one, positive, added or removed.

use crate::auth::ActiveUser;
use crate::domain::CommentId;
use crate::error::ApiError;
use crate::service::reactions::{self as service, Reaction};
use crate::state::AppState;
use actix_web::{delete, put, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

/// The comment's count after the change, and the caller's mark.
#[derive(Serialize, ToSchema)]
pub struct ReactionView {
    reactions: i64,
    reacted: bool,
}

impl From<Reaction> for ReactionView {
    fn from(r: Reaction) -> ReactionView {
        ReactionView {
            reactions: r.reactions,
            reacted: r.reacted,
        }
    }
}

async fn react(
    id: CommentId,
    reader: ActiveUser,
    app: web::Data<AppState>,
    on: bool,
) -> Result<HttpResponse, ApiError> {
    app.limits.reaction(reader.id()).await?;
    let outcome = app
        .db
        .write(move |conn| service::set(conn, &reader.user, id, on))
        .await?;
    if let Some(key) = &outcome.moved_in {
        app.live.reacted(key, id.get(), outcome.reactions);
    }
    Ok(HttpResponse::Ok().json(ReactionView::from(outcome)))
}

/// Marks a public comment; idempotent. Not one's own comment.
#[utoipa::path(
    tag = "comments",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    responses(
        (status = 200, description = "The count and the caller's mark", body = ReactionView),
        (status = 403, description = "banned or own_comment"),
        (status = 404, description = "No such comment, or not public"),
        (status = 429, description = "rate_limited"),
    ),
)]
#[put("/comments/{id}/reaction")]
pub async fn add_reaction(
    id: web::Path<CommentId>,
    reader: ActiveUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    react(id.into_inner(), reader, app, true).await
}

/// Takes the caller's mark back; idempotent.
#[utoipa::path(
    tag = "comments",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    responses(
        (status = 200, description = "The count and the caller's mark", body = ReactionView),
        (status = 403, description = "banned or own_comment"),
        (status = 404, description = "No such comment, or not public"),
        (status = 429, description = "rate_limited"),
    ),
)]
#[delete("/comments/{id}/reaction")]
pub async fn remove_reaction(
    id: web::Path<CommentId>,
    reader: ActiveUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    react(id.into_inner(), reader, app, false).await
}
