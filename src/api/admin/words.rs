//! The word lists, and a dry run of a text against them.

use crate::auth::Admin;
use crate::domain::{time, SampleText, WordId};
use crate::error::ApiError;
use crate::http::JsonBody;
use crate::screening::WordMatch;
use crate::service::words::{self as service, WordTestOutcome};
use crate::service::ServiceError;
use crate::state::AppState;
use crate::store::models::WordRow;
use crate::text::WordKind;
use actix_web::{delete, get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Word {
    id: i64,
    pattern: String,
    kind: WordKind,
    #[schema(format = DateTime)]
    created_at: String,
}

fn word_view(w: &WordRow) -> Word {
    Word {
        id: w.id,
        pattern: w.pattern.clone(),
        kind: w.kind,
        created_at: time::format(w.created_at),
    }
}

#[derive(Serialize, ToSchema)]
pub struct WordList {
    words: Vec<Word>,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The word lists", body = WordList),
        (status = 403, description = "forbidden (not an admin) or banned"),
    ),
)]
#[get("/admin/words")]
pub async fn list_words(_admin: Admin, app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let words = app.db.read(service::all).await?;
    let words: Vec<Word> = words.iter().map(word_view).collect();
    Ok(HttpResponse::Ok().json(WordList { words }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWordRequest {
    /// One word, at most 100 characters; a final `*` matches it as a prefix.
    #[schema(min_length = 1, max_length = 100)]
    pattern: String,
    kind: WordKind,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    request_body = NewWordRequest,
    responses(
        (status = 201, description = "The word", body = Word),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 409, description = "conflict: the same folded pattern of the same kind exists"),
    ),
)]
#[post("/admin/words")]
pub async fn add_word(
    admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request: NewWordRequest = body.parse()?;
    let actor = admin.0.id();
    let word = app
        .db
        .write(move |conn| service::add_word(conn, actor, &request.pattern, request.kind))
        .await?;
    service::warm(&app.db, &app.words).await;
    Ok(HttpResponse::Created().json(word_view(&word)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WordTestRequest {
    /// The text to try, as a comment would be written: 1 to 5,000 characters
    /// once normalized (NFC, controls removed, trimmed).
    #[schema(schema_with = SampleText::schema)]
    text: String,
}

#[derive(Serialize, ToSchema)]
pub struct WordTestResult {
    outcome: WordTestOutcome,
    /// Every entry matched, banned ones first, as the queue shows them.
    matches: Vec<WordMatch>,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    request_body = WordTestRequest,
    responses(
        (status = 200, description = "What the current lists make of the text; nothing is posted", body = WordTestResult),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 422, description = "validation_failed: empty or too long"),
    ),
)]
#[post("/admin/words/test")]
pub async fn test_words(
    _admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request: WordTestRequest = body.parse()?;
    let text = SampleText::parse(&request.text, app.config.comments.max_length)?;
    let (outcome, matches) = service::try_text(&app.db, &app.words, text).await?;
    Ok(HttpResponse::Ok().json(WordTestResult { outcome, matches }))
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The word's id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 404, description = "No such word"),
    ),
)]
#[delete("/admin/words/{id}")]
pub async fn remove_word(
    id: web::Path<String>,
    admin: Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    if id.as_str() == "test" {
        // The dry run's path, not a word id: only POST is there.
        use actix_web::ResponseError;
        let mut res = ApiError::MethodNotAllowed.error_response();
        res.headers_mut().insert(
            actix_web::http::header::ALLOW,
            actix_web::http::header::HeaderValue::from_static("POST"),
        );
        return Ok(res);
    }
    let id = WordId::parse(&id).ok_or(ServiceError::NotFound)?;
    let actor = admin.0.id();
    app.db
        .write(move |conn| service::remove_word(conn, actor, id))
        .await?;
    service::warm(&app.db, &app.words).await;
    Ok(HttpResponse::NoContent().finish())
}
