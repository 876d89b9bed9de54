//! Live threads: a thread's public changes as Server-Sent Events.

use super::views::ArticleKeyPath;
use crate::domain::ArticleKey;
use crate::error::ApiError;
use crate::service::live as live_service;
use crate::state::AppState;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde_json::{json, Value};

/// The article's public changes as they happen: `comment` (approved, or an
/// approved comment edited; a Comment), `tombstone` (a shown comment taken
/// down), `count` (`{"article", "comment_count"}`), `reset` (reload the
/// thread), and a heartbeat comment after each silence. Each change has an
/// `id:`; send it back as `Last-Event-ID` to be replayed what was missed.
#[utoipa::path(
    tag = "articles",
    params(
        ArticleKeyPath,
        ("Last-Event-ID" = Option<String>, Header, nullable = false, pattern = r"^(evt_[0-9A-Fa-f]{32})?$",
            description = "The last event id received (`evt_` and 32 hex digits); empty, as EventSource may send it, means none"),
    ),
    responses(
        (status = 200, description = "An endless `text/event-stream`; the schema is one event's", content_type = "text/event-stream", body = String),
        (status = 404, description = "No such article"),
        (status = 422, description = "`Last-Event-ID` is not an event id"),
        (status = 429, description = "Too many streams from this address"),
        (status = 503, description = "`server.max_live_clients` streams are open"),
    ),
)]
#[get("/articles/{key}/events")]
pub async fn events(
    req: HttpRequest,
    key: web::Path<ArticleKey>,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let key = key.into_inner();
    // An empty id is no id: EventSource resets it so with an `id:` line of
    // nothing, and some clients then send the header empty.
    let last_event = match req
        .headers()
        .get("last-event-id")
        .filter(|v| !v.as_bytes().trim_ascii().is_empty())
    {
        None => None,
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(live_service::parse_event_id)
                .ok_or_else(|| ApiError::field("Last-Event-ID", "validation-invalid-format"))?,
        ),
    };
    let address = app.limits.live_open(&req).await?;
    let ticket = app.live.admit(address)?;
    let opening = app
        .db
        .read(move |conn| live_service::open(conn, &key))
        .await?;
    let (subscription, first) = app.live.subscribe(&opening, last_event).await?;
    let stream = crate::live::stream(ticket, subscription, first, app.live.heartbeat);
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-cache"))
        // Proxies that buffer answers (nginx) pass this one on as it comes.
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(stream))
}

/// One event of the stream as an `EventSource` reads it (`event`, `data`,
/// `id`), the form schemathesis checks each event against when the
/// document (OpenAPI 3.1) gives a `text/event-stream` its `schema`; OpenAPI
/// 3.2 calls it `itemSchema`. `data` is JSON text: its `contentSchema` says
/// what it holds. `id` is the last change's, kept by the client until the
/// next one (a `count` has none of its own); `retry:` comes alone, without
/// data, and is no event.
pub fn event_schema() -> Value {
    let id = json!({"type": "string", "pattern": "^evt_[0-9a-f]{32}$"});
    let event = |names: &[&str], data: Value, description: &str| {
        json!({
            "type": "object",
            "description": description,
            "required": ["event", "data"],
            "properties": {
                "event": {"type": "string", "enum": names},
                "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": data},
                "id": id,
            },
            "additionalProperties": false,
        })
    };
    json!({
        "description": "One event of the stream",
        "oneOf": [
            event(
                &["comment", "tombstone"],
                json!({"$ref": "#/components/schemas/Comment"}),
                "A comment approved or edited (`comment`), or taken down (`tombstone`), as a thread shows it",
            ),
            event(
                &["count"],
                json!({
                    "type": "object",
                    "required": ["article", "comment_count"],
                    "properties": {
                        "article": {"type": "string"},
                        "comment_count": {"type": "integer", "minimum": 0},
                    },
                    "additionalProperties": false,
                }),
                "The article's count of approved comments",
            ),
            event(
                &["reset"],
                json!({"type": "object", "maxProperties": 0}),
                "Too much was missed to replay: reload the thread",
            ),
        ],
    })
}
