//! Health and readiness for load balancers and orchestrators.

use crate::app::AppState;
use crate::error::ApiError;
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
