//! Readers reporting comments.

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::domain::{input, time, ReportReason};
use crate::error::ApiError;
use crate::http::{path_id, JsonBody};
use crate::service::moderation as service;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    reason: ReportReason,
    note: Option<String>,
}

/// POST /api/v1/comments/{id}/reports
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
    Ok(HttpResponse::Created().json(json!({
        "id": report.id,
        "reason": report.reason,
        "created_at": time::format(report.created_at),
    })))
}
