//! Single comments: read, edit, delete.

use super::views::CommentView;
use crate::auth::{CurrentUser, MaybeUser};
use crate::domain::{CommentBody, CommentId};
use crate::error::ApiError;
use crate::http::JsonBody;
use crate::service::comments::{self as service, Visibility};
use crate::state::AppState;
use actix_web::{delete, get, patch, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

/// Readers see public comments; the author and moderators see the others too.
#[utoipa::path(
    tag = "comments",
    security((), ("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    responses(
        (status = 200, description = "The comment", body = CommentView),
        (status = 404, description = "No such comment, or not visible to the caller"),
    ),
)]
#[get("/comments/{id}")]
pub async fn get_comment(
    id: web::Path<CommentId>,
    viewer: MaybeUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let viewer = viewer.0.map(|u| u.user);
    let (comment, visibility) = app
        .db
        .read(move |conn| service::get_visible(conn, id, viewer.as_ref()))
        .await?;
    Ok(HttpResponse::Ok().json(match visibility {
        Visibility::Full => CommentView::full(&comment),
        Visibility::Tombstone => CommentView::tombstone(&comment),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditRequest {
    /// 1 to 5,000 characters once normalized (NFC, controls removed, trimmed).
    #[schema(schema_with = CommentBody::schema)]
    body: String,
}

/// The author, inside the edit window; the filters run again.
#[utoipa::path(
    tag = "comments",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    request_body = EditRequest,
    responses(
        (status = 200, description = "The edited comment", body = CommentView),
        (status = 403, description = "forbidden, banned, edit_window_passed or article_closed"),
        (status = 404, description = "No such comment, or not visible to the caller"),
    ),
)]
#[patch("/comments/{id}")]
pub async fn edit_comment(
    id: web::Path<CommentId>,
    author: CurrentUser,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    app.limits.post(author.id()).await?;
    let request: EditRequest = body.parse()?;
    let text = CommentBody::parse(&request.body, app.config.comments.max_length)?;
    let comment = service::edit(&app.db, &app.words, author.user, id.into_inner(), text).await?;
    Ok(HttpResponse::Ok().json(CommentView::full(&comment)))
}

/// The author inside the edit window, or a moderator.
#[utoipa::path(
    tag = "comments",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "forbidden, banned or edit_window_passed"),
        (status = 404, description = "No such comment, or not visible to the caller"),
    ),
)]
#[delete("/comments/{id}")]
pub async fn delete_comment(
    id: web::Path<CommentId>,
    caller: CurrentUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    app.db
        .write(move |conn| service::delete(conn, &caller.user, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
