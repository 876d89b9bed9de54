//! Webhook endpoints: register, list, turn on or off, remove, and read the
//! latest delivery attempts.

use crate::auth::Admin;
use crate::domain::events::{parse_event_types, EventType, WebhookUrl};
use crate::domain::{time, Problems, WebhookId};
use crate::error::ApiError;
use crate::http::JsonBody;
use crate::service::webhooks as service;
use crate::state::AppState;
use crate::store::models::{AttemptWithEvent, WebhookRow};
use actix_web::{delete, get, patch, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Webhook {
    id: i64,
    url: String,
    events: Vec<EventType>,
    /// False once disabled, by an admin or after too many consecutive failures.
    enabled: bool,
    /// Failed attempts in a row; the endpoint is disabled at `webhooks.disable_after`.
    consecutive_failures: i64,
    #[schema(format = DateTime)]
    disabled_at: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
}

fn webhook_view(w: &WebhookRow) -> Webhook {
    Webhook {
        id: w.id,
        url: w.url.clone(),
        events: w.event_types(),
        enabled: w.enabled,
        consecutive_failures: w.failures,
        disabled_at: w.disabled_at.map(time::format),
        created_at: time::format(w.created_at),
    }
}

/// A new endpoint, with its signing secret: shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    webhook: Webhook,
    /// The key of `Tribune-Signature`'s HMAC. Keep it: it is never shown again.
    secret: String,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookList {
    webhooks: Vec<Webhook>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhookRequest {
    /// An http(s) URL whose host is a public address (unless `webhooks.allow_private`).
    #[schema(max_length = 2048)]
    url: String,
    /// The event types to send; at least one.
    #[schema(value_type = Vec<EventType>, min_items = 1)]
    events: Vec<String>,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    request_body = NewWebhookRequest,
    responses(
        (status = 201, description = "The endpoint, with its secret (shown only this once)", body = CreatedWebhook),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 422, description = "validation_failed: a malformed or non-public URL, no or unknown event types"),
    ),
)]
#[post("/admin/webhooks")]
pub async fn create_webhook(
    _admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request: NewWebhookRequest = body.parse()?;
    let mut problems = Problems::new();
    let url = problems.check(WebhookUrl::parse(&request.url));
    let events = problems.check(parse_event_types(&request.events));
    let (url, events) = problems.finish_with(|| Some((url?, events?)))?;
    let created = service::create(&app.db, &app.config, url, events).await?;
    Ok(HttpResponse::Created().json(CreatedWebhook {
        webhook: webhook_view(&created.webhook),
        secret: created.webhook.secret.clone(),
    }))
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every endpoint, oldest first (no secrets)", body = WebhookList),
        (status = 403, description = "forbidden (not an admin) or banned"),
    ),
)]
#[get("/admin/webhooks")]
pub async fn list_webhooks(
    _admin: Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let hooks = app.db.read(service::list).await?;
    Ok(HttpResponse::Ok().json(WebhookList {
        webhooks: hooks.iter().map(webhook_view).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookChange {
    /// True turns a disabled endpoint back on (its failure count starts
    /// again and pending deliveries are retried now); false turns it off.
    enabled: bool,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The endpoint's id")),
    request_body = WebhookChange,
    responses(
        (status = 200, description = "The endpoint", body = Webhook),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 404, description = "No such endpoint"),
        (status = 422, description = "validation_failed: `enabled` missing or not a boolean"),
    ),
)]
#[patch("/admin/webhooks/{id}")]
pub async fn update_webhook(
    id: web::Path<WebhookId>,
    _admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let change: WebhookChange = body.parse()?;
    let hook = app
        .db
        .write(move |conn| service::set_enabled(conn, id, change.enabled))
        .await?;
    Ok(HttpResponse::Ok().json(webhook_view(&hook)))
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The endpoint's id")),
    responses(
        (status = 204, description = "Removed, with what it was owed"),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 404, description = "No such endpoint"),
    ),
)]
#[delete("/admin/webhooks/{id}")]
pub async fn remove_webhook(
    id: web::Path<WebhookId>,
    _admin: Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    app.db.write(move |conn| service::remove(conn, id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// One attempt to deliver one event.
#[derive(Serialize, ToSchema)]
pub struct DeliveryAttempt {
    /// The event's stable id (the body's `id`).
    event_id: String,
    event_type: EventType,
    #[schema(format = DateTime)]
    attempted_at: String,
    /// A 2xx answer.
    ok: bool,
    /// The endpoint's HTTP status, when it answered.
    status_code: Option<i32>,
    /// Why there was no answer (timeout, connection refused, address refused).
    error: Option<String>,
}

fn attempt_view(a: &AttemptWithEvent) -> Option<DeliveryAttempt> {
    Some(DeliveryAttempt {
        event_id: a.event_uid.clone(),
        event_type: EventType::parse(&a.event_kind)?,
        attempted_at: time::format(a.attempt.attempted_at),
        ok: a.attempt.ok,
        status_code: a.attempt.status_code,
        error: a.attempt.error.clone(),
    })
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryList {
    deliveries: Vec<DeliveryAttempt>,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The endpoint's id")),
    responses(
        (status = 200, description = "The latest 50 attempts, newest first", body = DeliveryList),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 404, description = "No such endpoint"),
    ),
)]
#[get("/admin/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    id: web::Path<WebhookId>,
    _admin: Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let attempts = app.db.read(move |conn| service::attempts(conn, id)).await?;
    Ok(HttpResponse::Ok().json(DeliveryList {
        deliveries: attempts.iter().filter_map(attempt_view).collect(),
    }))
}
