//! The moderation log, as staff read it.

use super::views::UserView;
use crate::auth::Staff;
use crate::domain::fields::next_cursor_schema;
use crate::domain::{time, LogAction, TargetType};
use crate::error::ApiError;
use crate::http::{page_of, PageParams};
use crate::service::queue as service;
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct LogEntry {
    id: i64,
    actor: UserView,
    action: LogAction,
    target_type: TargetType,
    /// A decimal id, an article key, or `null` for settings.
    #[schema(required = true)]
    target_id: Option<String>,
    #[schema(required = true)]
    reason: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct LogPage {
    entries: Vec<LogEntry>,
    #[schema(required = true, schema_with = next_cursor_schema)]
    next_cursor: Option<String>,
}

/// Newest first.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "A page of the log", body = LogPage),
        (status = 400, description = "invalid_cursor"),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 422, description = "`limit` out of bounds"),
    ),
)]
#[get("/mod/log")]
pub async fn log(
    req: HttpRequest,
    _staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let page = page_of(&req)?;
    let found = app
        .db
        .read(move |conn| service::log_page(conn, page))
        .await?;
    let entries = found
        .entries
        .iter()
        .map(|(row, actor)| {
            let action = row.action;
            Ok(LogEntry {
                id: row.id,
                actor: UserView::from_user(actor),
                target_type: action.target(),
                action,
                target_id: row.target_id.clone(),
                reason: row.reason.clone(),
                created_at: time::format(row.created_at),
            })
        })
        .collect::<Result<Vec<LogEntry>, ApiError>>()?;
    Ok(HttpResponse::Ok().json(LogPage {
        entries,
        next_cursor: found.next_cursor,
    }))
}
