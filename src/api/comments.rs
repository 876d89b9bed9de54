//! Single comments: read, edit, delete.

use super::views::CommentView;
use crate::app::AppState;
use crate::auth::{CurrentUser, MaybeUser};
use crate::domain::input;
use crate::error::ApiError;
use crate::http::{path_id, JsonBody};
use crate::service::comments::{self as service, Visibility};
use crate::store;
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
    id: web::Path<String>,
    viewer: MaybeUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id)?;
    let viewer = viewer.0.map(|u| u.user);
    let view = app
        .db
        .read(move |conn| {
            let c = store::comments::get(conn, id)?;
            Ok(match service::visibility(conn, &c, viewer.as_ref())? {
                Visibility::Full => CommentView::full(&c),
                Visibility::Tombstone => CommentView::tombstone(&c),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditRequest {
    /// 1 to 5,000 characters once normalized (NFC, controls removed, trimmed).
    #[schema(
        min_length = 1,
        max_length = 5000,
        pattern = r"[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
    )]
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
    id: web::Path<String>,
    author: CurrentUser,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id)?;
    app.limits.post(author.id())?;
    let request: EditRequest = body.parse()?;
    let text = input::comment_body(&request.body, app.config.comments.max_length)
        .map_err(|e| ApiError::Validation(vec![e]))?;
    let words = app.words.clone();
    let comment = app
        .db
        .write_prepared(
            move || service::Written::new(text),
            move |conn, written| service::edit(conn, &words, &author.user, id, &written),
        )
        .await?;
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
    id: web::Path<String>,
    caller: CurrentUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id)?;
    app.db
        .write(move |conn| service::delete(conn, &caller.user, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
