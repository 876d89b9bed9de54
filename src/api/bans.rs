//! Accounts as moderators see them, and bans.

use super::decisions::{reason, ReasonRequest, REASON_MAX};
use super::views::{CommentView, UserView};
use crate::auth::Staff;
use crate::domain::dsa::{Ground, GroundRequest};
use crate::domain::time::{self, now_ms};
use crate::domain::{AccountStatus, FieldError, Invalid, Note, Problems, Role, UserId};
use crate::error::ApiError;
use crate::http::JsonBody;
use crate::service::bans::{self as service, AccountStanding, BanOrder};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An account as moderators see it.
#[derive(Serialize, ToSchema)]
#[schema(as = UserStanding)]
pub struct StandingView {
    user: UserView,
    role: Role,
    status: AccountStatus,
    #[schema(required = true, format = DateTime)]
    banned_until: Option<String>,
    #[schema(required = true)]
    ban_reason: Option<String>,
    approved_count: i64,
    pending_count: i64,
    rejected_count: i64,
    recent_comments: Vec<CommentView>,
}

fn standing_view(s: &AccountStanding) -> StandingView {
    let banned = s.user.is_banned(now_ms());
    StandingView {
        user: UserView::from_user(&s.user),
        role: s.user.role,
        status: AccountStatus::of(banned),
        banned_until: s.user.banned_until.filter(|_| banned).map(time::format),
        ban_reason: s.user.ban_reason.clone().filter(|_| banned),
        approved_count: s.approved_count,
        pending_count: s.pending_count,
        rejected_count: s.rejected_count,
        recent_comments: s.recent_comments.iter().map(CommentView::full).collect(),
    }
}

#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The account's id")),
    responses(
        (status = 200, description = "The account's standing", body = StandingView),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 404, description = "No such account"),
    ),
)]
#[get("/mod/users/{id}")]
pub async fn user(
    id: web::Path<UserId>,
    _staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let standing = app.db.read(move |conn| service::standing(conn, id)).await?;
    Ok(HttpResponse::Ok().json(standing_view(&standing)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BanRequest {
    #[schema(schema_with = ban_reason_schema)]
    reason: String,
    /// In the future; without it the ban is permanent.
    #[schema(format = DateTime)]
    until: Option<String>,
    /// The ground the statement of reasons cites; without it, the rule `abusive`.
    ground: Option<GroundRequest>,
}

/// A ban's reason: required, at most `REASON_MAX` characters.
fn ban_reason_schema() -> utoipa::openapi::schema::Object {
    Note::required_schema_of(REASON_MAX)
}

/// A ban order, checked: its reason, its end, and its ground against the site's rules.
fn ban_order(body: BanRequest, app: &AppState) -> Result<BanOrder, Invalid> {
    {
        let mut problems = Problems::new();
        let ground = problems.check(super::decisions::ground(app, body.ground));
        let reason = match Note::parse("reason", &body.reason, REASON_MAX) {
            Ok(Some(r)) => Some(r),
            Ok(None) => {
                problems.push(FieldError::new("reason", "validation-required"));
                None
            }
            Err(e) => {
                problems.push(e);
                None
            }
        };
        let until = problems.check_some(body.until.as_deref(), |text| match time::parse(text) {
            None => Err(FieldError::new("until", "validation-invalid-format")),
            Some(t) if t <= now_ms() => Err(FieldError::new("until", "validation-in-past")),
            Some(t) => Ok(t),
        });
        problems.finish_with(|| {
            Some(BanOrder {
                until,
                reason: reason?,
                ground: ground?.unwrap_or_else(Ground::default_rule),
            })
        })
    }
}

/// Moderators cannot ban moderators or admins; nobody bans themselves.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The account's id")),
    request_body = BanRequest,
    responses(
        (status = 200, description = "The account's standing", body = StandingView),
        (status = 403, description = "forbidden or banned"),
        (status = 404, description = "No such account"),
    ),
)]
#[post("/mod/users/{id}/ban")]
pub async fn ban(
    id: web::Path<UserId>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let order = ban_order(body.parse::<BanRequest>()?, &app)?;
    let actor = staff.0.user;
    let standing = app
        .db
        .write(move |conn| service::ban(conn, &actor, id, &order))
        .await?;
    Ok(HttpResponse::Ok().json(standing_view(&standing)))
}

#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The account's id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "The account's standing", body = StandingView),
        (status = 403, description = "forbidden or banned"),
        (status = 404, description = "No such account"),
    ),
)]
#[post("/mod/users/{id}/unban")]
pub async fn unban(
    id: web::Path<UserId>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let request: ReasonRequest = body.parse()?;
    let reason = reason(request.reason.as_deref())?;
    let actor = staff.0.user;
    let standing = app
        .db
        .write(move |conn| service::unban(conn, &actor, id, reason.as_ref()))
        .await?;
    Ok(HttpResponse::Ok().json(standing_view(&standing)))
}
