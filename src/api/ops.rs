//! Health and readiness for load balancers and orchestrators.

use super::docs::ApiDoc;
use crate::domain::CommentStatus;
use crate::error::ApiError;
use crate::metrics::Gauges;
use crate::service::stats as stats_service;
use crate::service::ServiceError;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` from /healthz, `ready` from /readyz.
    status: &'static str,
}

/// The process serves.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Serving", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// The database answers.
#[utoipa::path(
    tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "The database cannot be reached"),
    ),
)]
#[get("/readyz")]
pub async fn readyz(app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    if app.db.ping().await {
        Ok(HttpResponse::Ok().json(Health { status: "ready" }))
    } else {
        Err(ServiceError::Unavailable.into())
    }
}

/// Prometheus text: requests by route, method and status; latency; comments by status; pools;
/// the page cache; what the mail and webhook workers owe; live streams.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "Prometheus exposition format", body = String, content_type = "text/plain")),
)]
#[get("/metrics")]
pub async fn metrics(app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    // The figures without the database are still worth serving.
    let comments = app
        .db
        .read(stats_service::comments_by_status)
        .await
        .unwrap_or_default();
    let queue_length = comments
        .iter()
        .find(|(s, _)| *s == CommentStatus::Pending)
        .map_or(0, |(_, n)| *n);
    let comments = comments.into_iter().map(|(s, n)| (s.as_str(), n)).collect();
    let backlog = app.db.read(stats_service::backlog).await.ok();
    let gauges = Gauges {
        comments,
        backlog,
        live_clients: app.live.clients(),
        rate_limits_shared: app.limits.shared_state(),
        queue_length,
        pools: app.db.pool_state(),
        writes_waiting: app.db.writes_waiting(),
        page_cache: app.pages.stats(),
    };
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(app.metrics.render(&gauges)))
}

/// This document.
#[utoipa::path(
    tag = "operations",
    responses((status = 200, description = "The OpenAPI 3 document", body = Object)),
)]
#[get("/openapi.json")]
pub async fn openapi(doc: web::Data<ApiDoc>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(doc.json.clone())
}
