//! Moderators' decisions on comments: approve, reject, delete, restore,
//! one at a time or in bulk.

use super::views::CommentView;
use crate::auth::Staff;
use crate::domain::dsa::{Ground, GroundRequest};
use crate::domain::{CommentId, FieldError, Invalid, Note, Problems};
use crate::error::{ApiError, ErrorCode};
use crate::http::JsonBody;
use crate::service::decisions::{self as service, Action};
use crate::state::AppState;
use actix_web::{delete, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    /// Kept in the moderation log.
    #[schema(schema_with = reason_schema)]
    pub reason: Option<String>,
}

/// The longest reason a moderator may give.
pub const REASON_MAX: usize = 500;

pub fn reason_schema() -> utoipa::openapi::schema::Object {
    let mut schema = Note::schema_of(REASON_MAX, true);
    schema.description = Some("Kept in the moderation log.".into());
    schema
}

/// An optional reason; empty means none.
pub fn reason(raw: Option<&str>) -> Result<Option<Note>, FieldError> {
    match raw {
        Some(r) => Note::parse("reason", r, REASON_MAX),
        None => Ok(None),
    }
}

/// A removal's body: the reason, and the ground its statement of reasons cites.
#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemovalRequest {
    #[schema(schema_with = reason_schema)]
    pub reason: Option<String>,
    /// A rule of the site or the law; without it, the rule `abusive`.
    pub ground: Option<GroundRequest>,
}

/// An optional ground, checked against the site's rules (422 for an unknown one).
pub fn ground(app: &AppState, raw: Option<GroundRequest>) -> Result<Option<Ground>, FieldError> {
    raw.map(|g| Ground::parse(g, &app.config.moderation.rule_ids()))
        .transpose()
}

async fn decide(
    id: CommentId,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
    action: Action,
) -> Result<HttpResponse, ApiError> {
    let (reason, ground) = match action {
        Action::Reject | Action::Delete => {
            let request: RemovalRequest = body.parse()?;
            let mut problems = Problems::new();
            let r = problems.check(reason(request.reason.as_deref()));
            let g = problems.check(ground(&app, request.ground));
            problems.finish()?;
            (r.flatten(), g.flatten())
        }
        Action::Approve | Action::Restore => {
            let request: ReasonRequest = body.parse()?;
            (reason(request.reason.as_deref())?, None)
        }
    };
    let actor = staff.0.id();
    let comment = app
        .db
        .write(move |conn| service::act(conn, actor, id, action, reason.as_ref(), ground.as_ref()))
        .await?;
    Ok(HttpResponse::Ok().json(CommentView::full(&comment)))
}

/// One route per decision: the same extractors, body and answers.
macro_rules! decision_route {
    ($name:ident, $path:literal, $action:expr, $body:ty, $done:literal) => {
        #[utoipa::path(
                    tag = "moderation",
                    security(("bearer" = [])),
                    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
                    request_body = $body,
                    responses(
                        (status = 200, description = $done, body = CommentView),
                        (status = 403, description = "forbidden (not staff) or banned"),
                        (status = 404, description = "No such comment"),
                        (status = 409, description = "conflict: the state does not allow it"),
                    ),
                )]
        #[post($path)]
        pub async fn $name(
            id: web::Path<CommentId>,
            staff: Staff,
            body: JsonBody,
            app: web::Data<AppState>,
        ) -> Result<HttpResponse, ApiError> {
            decide(id.into_inner(), staff, body, app, $action).await
        }
    };
}

decision_route!(
    approve,
    "/mod/comments/{id}/approve",
    Action::Approve,
    ReasonRequest,
    "Approved; open reports on it are resolved"
);
decision_route!(
    reject,
    "/mod/comments/{id}/reject",
    Action::Reject,
    RemovalRequest,
    "Rejected: hidden from readers"
);
decision_route!(
    delete,
    "/mod/comments/{id}/delete",
    Action::Delete,
    RemovalRequest,
    "Deleted"
);
decision_route!(
    restore,
    "/mod/comments/{id}/restore",
    Action::Restore,
    ReasonRequest,
    "Back to approved"
);

/// Makes an approved comment a staff pick ("Editors' picks"); logged as `feature`.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    responses(
        (status = 200, description = "Featured", body = CommentView),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 404, description = "No such comment"),
        (status = 409, description = "conflict: the comment is not approved"),
    ),
)]
#[post("/mod/comments/{id}/feature")]
pub async fn feature(
    id: web::Path<CommentId>,
    staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    pick(id.into_inner(), staff, app, true).await
}

/// Takes a comment out of the staff picks; logged as `unfeature`.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    responses(
        (status = 200, description = "No longer featured", body = CommentView),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 404, description = "No such comment"),
    ),
)]
#[delete("/mod/comments/{id}/feature")]
pub async fn unfeature(
    id: web::Path<CommentId>,
    staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    pick(id.into_inner(), staff, app, false).await
}

async fn pick(
    id: CommentId,
    staff: Staff,
    app: web::Data<AppState>,
    on: bool,
) -> Result<HttpResponse, ApiError> {
    let actor = staff.0.id();
    let comment = app
        .db
        .write(move |conn| service::feature(conn, actor, id, on))
        .await?;
    Ok(HttpResponse::Ok().json(CommentView::full(&comment)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    action: BulkAction,
    /// Comment ids; each succeeds or fails on its own.
    #[schema(min_items = 1, max_items = 100)]
    ids: Vec<i64>,
    #[schema(schema_with = reason_schema)]
    pub reason: Option<String>,
    /// For rejections and deletions: the ground their statements cite.
    pub ground: Option<GroundRequest>,
}

/// A bulk decision, checked: 1 to 100 ids, an optional reason and ground.
struct Bulk {
    action: Action,
    ids: Vec<CommentId>,
    reason: Option<Note>,
    ground: Option<Ground>,
}

const BULK_MAX: usize = 100;

impl Bulk {
    fn parse(body: BulkRequest, app: &AppState) -> Result<Bulk, Invalid> {
        let mut problems = Problems::new();
        if body.ids.is_empty() || body.ids.len() > BULK_MAX {
            problems.push(FieldError::out_of_range("ids", 1, BULK_MAX as i64));
        }
        let reason = problems.check(reason(body.reason.as_deref()));
        let ground = problems.check(ground(app, body.ground));
        problems.finish()?;
        let action = match body.action {
            BulkAction::Approve => Action::Approve,
            BulkAction::Reject => Action::Reject,
            BulkAction::Delete => Action::Delete,
        };
        Ok(Bulk {
            action,
            // An id that names nothing fails on its own, as `not_found`.
            ids: body.ids.into_iter().map(CommentId).collect(),
            reason: reason.flatten(),
            ground: ground.flatten(),
        })
    }
}

#[derive(Deserialize, Clone, Copy, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BulkAction {
    Approve,
    Reject,
    Delete,
}

#[derive(Serialize, ToSchema)]
pub struct BulkFailure {
    id: i64,
    /// `not_found` or `conflict`.
    code: ErrorCode,
}

#[derive(Serialize, ToSchema)]
pub struct BulkResult {
    updated: Vec<i64>,
    failed: Vec<BulkFailure>,
}

/// Each id succeeds or fails on its own.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    request_body = BulkRequest,
    responses(
        (status = 200, description = "What was done and what was not", body = BulkResult),
        (status = 403, description = "forbidden (not staff) or banned"),
    ),
)]
#[post("/mod/bulk")]
pub async fn bulk(
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let bulk = Bulk::parse(body.parse::<BulkRequest>()?, &app)?;
    let actor = staff.0.id();
    let outcome = app
        .db
        .write(move |conn| {
            let (reason, ground) = (bulk.reason.as_ref(), bulk.ground.as_ref());
            service::bulk(conn, actor, &bulk.ids, bulk.action, reason, ground)
        })
        .await?;
    Ok(HttpResponse::Ok().json(BulkResult {
        updated: outcome.updated.iter().map(|id| id.get()).collect(),
        failed: outcome
            .failed
            .iter()
            .map(|(id, refused)| BulkFailure {
                id: id.get(),
                code: ApiError::from(refused.clone()).error_code(),
            })
            .collect(),
    }))
}
