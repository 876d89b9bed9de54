//! Readers reporting comments.

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::{input, time, ReportReason};
use crate::error::ApiError;
use crate::http::{path_id, JsonBody};
use crate::service::moderation as service;
use actix_web::{post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    reason: ReportReason,
    #[schema(max_length = 1000)]
    note: Option<String>,
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
    id: web::Path<String>,
    reporter: CurrentUser,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id)?;
    reporter.ensure_not_banned()?;
    app.limits.report(reporter.id())?;
    let request: ReportRequest = body.parse()?;
    let note = match request.note.as_deref() {
        Some(n) => input::note("note", n, 1000).map_err(|e| ApiError::Validation(vec![e]))?,
        None => None,
    };
    let report = app
        .db
        .write(move |conn| {
            service::report(conn, &reporter.user, id, request.reason, note.as_deref())
        })
        .await?;
    Ok(HttpResponse::Created().json(ReportCreated {
        id: report.id,
        reason: request.reason,
        created_at: time::format(report.created_at),
    }))
}
