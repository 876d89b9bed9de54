//! Health and readiness for load balancers and orchestrators.

use crate::app::AppState;
use crate::error::ApiError;
use crate::metrics::Gauges;
use actix_web::{web, HttpResponse};
use serde_json::json;

/// GET /healthz — the process serves.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

/// GET /readyz — the database answers.
pub async fn readyz(app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if app.db.ping().await {
        Ok(HttpResponse::Ok().json(json!({ "status": "ready" })))
    } else {
        Err(ApiError::Unavailable)
    }
}

/// GET /metrics — Prometheus text.
pub async fn metrics(app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    use crate::domain::CommentStatus;
    let comments = app
        .db
        .read(|conn| {
            CommentStatus::ALL
                .iter()
                .map(|s| {
                    Ok((
                        s.as_str(),
                        crate::store::comments::count_by_status(conn, *s)?,
                    ))
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await
        .unwrap_or_default();
    let queue_length = comments
        .iter()
        .find(|(s, _)| *s == "pending")
        .map_or(0, |(_, n)| *n);
    let gauges = Gauges {
        comments,
        queue_length,
        pools: app.db.pool_state(),
    };
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(app.metrics.render(&gauges)))
}
