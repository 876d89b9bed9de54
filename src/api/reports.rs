//! Readers reporting comments.

use crate::auth::ActiveUser;
use crate::domain::{time, CommentId, Note, ReportReason};
use crate::error::ApiError;
use crate::http::JsonBody;
use crate::service::reports as service;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    reason: ReportReason,
    #[schema(schema_with = note_schema)]
    note: Option<String>,
}

const NOTE_MAX: usize = 1000;

fn note_schema() -> utoipa::openapi::schema::Object {
    Note::schema_of(NOTE_MAX, true)
}

#[derive(Serialize, ToSchema)]
pub struct ReportCreated {
    id: i64,
    reason: ReportReason,
    #[schema(format = DateTime)]
    created_at: String,
}

/// Anyone signed in but the author; once per comment.
#[utoipa::path(
    tag = "comments",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    request_body = ReportRequest,
    responses(
        (status = 201, description = "The report", body = ReportCreated),
        (status = 403, description = "banned, or forbidden: one's own comment"),
        (status = 404, description = "No such comment, or not visible to the caller"),
        (status = 409, description = "already_reported"),
    ),
)]
#[post("/comments/{id}/reports")]
pub async fn report_comment(
    id: web::Path<CommentId>,
    reporter: ActiveUser,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    app.limits.report(reporter.id()).await?;
    let request: ReportRequest = body.parse()?;
    let note = match request.note.as_deref() {
        Some(n) => Note::parse("note", n, NOTE_MAX)?,
        None => None,
    };
    let report = app
        .db
        .write(move |conn| service::report(conn, &reporter.user, id, request.reason, note.as_ref()))
        .await?;
    Ok(HttpResponse::Created().json(ReportCreated {
        id: report.id,
        reason: request.reason,
        created_at: time::format(report.created_at),
    }))
}
