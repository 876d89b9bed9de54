//! Notices of illegal content (DSA Art. 16) at the edge: filed by anyone,
//! with or without an account; the moderators' queue of open notices.

use super::views::CommentView;
use crate::auth::{MaybeUser, Staff};
use crate::domain::dsa::{Notice, NoticeCategory};
use crate::domain::fields::next_cursor_schema;
use crate::domain::{time, CommentId, Email, FieldError, Note, Problems};
use crate::error::ApiError;
use crate::http::{page_of, JsonBody, PageParams, RequestLocale};
use crate::service::notices::{self as service, NoticeDraft};
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The shortest and longest explanation of a notice.
const EXPLANATION_MIN: usize = 20;
const EXPLANATION_MAX: usize = 5000;
/// The longest notifier's name.
const NAME_MAX: usize = 200;

fn explanation_schema() -> utoipa::openapi::schema::Object {
    let mut o = Note::required_schema_of(EXPLANATION_MAX);
    o.min_length = Some(EXPLANATION_MIN);
    o
}

fn name_schema() -> utoipa::openapi::schema::Object {
    Note::schema_of(NAME_MAX, true)
}

/// A notice of illegal content (DSA Art. 16).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeRequest {
    /// A statement category of the DSA Transparency Database.
    category: NoticeCategory,
    /// Why the content is illegal: 20 to 5,000 characters.
    #[schema(schema_with = explanation_schema)]
    explanation: String,
    /// Required, with `email`, except for `protection_of_minors` (Art. 16(2)(c)).
    #[schema(schema_with = name_schema)]
    name: Option<String>,
    /// Where the acknowledgement and the decision are sent.
    #[schema(schema_with = Email::optional_schema)]
    email: Option<String>,
    /// The notifier's statement that the notice is accurate and complete, in good faith: must be `true`.
    good_faith: bool,
}

impl NoticeRequest {
    /// Every field checked at once.
    fn parse(self) -> Result<NoticeDraft, ApiError> {
        let mut problems = Problems::new();
        if !self.good_faith {
            problems.push(FieldError::new("good_faith", "validation-good-faith"));
        }
        let explanation = problems.check(
            match Note::parse("explanation", &self.explanation, EXPLANATION_MAX) {
                Ok(Some(n)) if n.as_str().chars().count() >= EXPLANATION_MIN => {
                    Ok(n.as_str().to_string())
                }
                Ok(_) => Err(FieldError::too_short("explanation", EXPLANATION_MIN)),
                Err(e) => Err(e),
            },
        );
        let name = match self.name.as_deref() {
            Some(n) => problems
                .check(Note::parse("name", n, NAME_MAX))
                .flatten()
                .map(|n| n.as_str().to_string()),
            None => None,
        };
        let email = match self.email.as_deref().filter(|e| !e.trim().is_empty()) {
            Some(e) => problems
                .check(Email::parse(e))
                .map(|e| e.as_str().to_string()),
            None => None,
        };
        if self.category.needs_identity() {
            if name.is_none() && self.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
                problems.push(FieldError::new("name", "validation-required"));
            }
            if self.email.as_deref().is_none_or(|e| e.trim().is_empty()) {
                problems.push(FieldError::new("email", "validation-required"));
            }
        }
        problems.finish()?;
        Ok(NoticeDraft {
            category: self.category,
            explanation: explanation.unwrap_or_default(),
            name,
            email,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct NoticeCreated {
    id: i64,
    /// Always `received`.
    #[schema(pattern = "^received$")]
    status: &'static str,
}

/// Anyone, with or without an account, notifies a comment they consider
/// illegal. A signed-in trusted flagger's notice is marked and comes first.
#[utoipa::path(
    tag = "comments",
    security((), ("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    request_body = NoticeRequest,
    responses(
        (status = 201, description = "The notice, received", body = NoticeCreated),
        (status = 404, description = "No such comment, or not visible to readers"),
        (status = 422, description = "good_faith missing or false, an unknown category, an explanation too short or too long, name or email missing where required, a bad email"),
        (status = 429, description = "rate_limited: too many notices from this address"),
    ),
)]
#[post("/comments/{id}/notices")]
pub async fn file_notice(
    req: HttpRequest,
    id: web::Path<CommentId>,
    caller: MaybeUser,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    app.limits.notice(&req).await?;
    let draft = body.parse::<NoticeRequest>()?.parse()?;
    let asked = RequestLocale::of(&req);
    let locale = match &caller.0 {
        Some(c) => asked.or_account(c.user.locale),
        None => asked.api(),
    };
    let user = caller.0.map(|c| c.user);
    let notice = app
        .db
        .write(move |conn| service::file(conn, user.as_ref(), id, draft, locale))
        .await?;
    Ok(HttpResponse::Created().json(NoticeCreated {
        id: notice.id,
        status: "received",
    }))
}

/// An open notice, as moderators see it.
#[derive(Serialize, ToSchema)]
pub struct NoticeView {
    id: i64,
    category: NoticeCategory,
    explanation: String,
    /// The notifier's name, if given.
    #[schema(required = true)]
    name: Option<String>,
    /// The notifier's address, if given.
    #[schema(required = true)]
    email: Option<String>,
    /// Sent by a trusted flagger (DSA Art. 22).
    trusted_flagger: bool,
    #[schema(format = DateTime)]
    created_at: String,
    /// The comment notified; `null` if it is gone.
    #[schema(required = true)]
    comment: Option<CommentView>,
}

fn notice_view(n: &Notice, c: Option<&crate::store::models::CommentWithAuthor>) -> NoticeView {
    NoticeView {
        id: n.id,
        category: n.category,
        explanation: n.explanation.clone(),
        name: n.name.clone(),
        email: n.email.clone(),
        trusted_flagger: n.trusted,
        created_at: time::format(n.created_at),
        comment: c.map(CommentView::full),
    }
}

#[derive(Serialize, ToSchema)]
pub struct NoticePageView {
    notices: Vec<NoticeView>,
    #[schema(required = true, schema_with = next_cursor_schema)]
    next_cursor: Option<String>,
}

/// The open notices: trusted flaggers' first, then oldest first. Deciding
/// on the comment (reject, delete, approve…) settles them.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "A page of open notices", body = NoticePageView),
        (status = 400, description = "invalid_cursor"),
        (status = 401, description = "unauthenticated"),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 422, description = "`limit` out of bounds"),
    ),
)]
#[get("/mod/notices")]
pub async fn mod_notices(
    req: HttpRequest,
    _staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let page = page_of(&req)?;
    let found = app.db.read(move |conn| service::queue(conn, page)).await?;
    Ok(HttpResponse::Ok().json(NoticePageView {
        notices: found
            .notices
            .iter()
            .map(|(n, c)| notice_view(n, c.as_ref()))
            .collect(),
        next_cursor: found.next_cursor,
    }))
}
