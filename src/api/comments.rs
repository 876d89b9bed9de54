//! Single comments: read, edit, delete.

use super::views::CommentView;
use crate::app::AppState;
use crate::auth::{CurrentUser, MaybeUser};
use crate::domain::input;
use crate::error::ApiError;
use crate::http::{path_id, JsonBody};
use crate::service::comments::{self as service, Visibility};
use crate::store;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

/// GET /api/v1/comments/{id}
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditRequest {
    body: String,
}

/// PATCH /api/v1/comments/{id}
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

/// DELETE /api/v1/comments/{id}
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
