//! Moderators' routes: the queue, decisions, bulk decisions, accounts, bans, the log.

use super::views::{CommentView, UserView};
use crate::app::AppState;
use crate::auth::Staff;
use crate::domain::cursor::Cursor;
use crate::domain::{input, time, ReportReason};
use crate::error::{ApiError, FieldError, MsgArg};
use crate::http::{path_id, query_map, JsonBody, Page};
use crate::service::moderation::{self as service, Action, QueueItem, Standing};
use crate::store::{self, comments::Queue, now_ms};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

fn queue_item_json(item: &QueueItem) -> Value {
    let author = item.author.as_ref().map(|(user, approved, rejected)| {
        let mut view = serde_json::to_value(UserView::from_user(user)).unwrap_or_default();
        view["status"] = json!(if user.is_banned(now_ms()) {
            "banned"
        } else {
            "active"
        });
        view["approved_count"] = json!(approved);
        view["rejected_count"] = json!(rejected);
        view
    });
    let mut reports = serde_json::Map::new();
    for reason in ReportReason::ALL {
        let n = item.reports.get(reason.as_str()).copied().unwrap_or(0);
        reports.insert(reason.as_str().into(), json!(n));
    }
    json!({
        "comment": CommentView::full(&item.comment),
        "article": {"key": item.comment.article_key, "title": item.article_title},
        "author": author,
        "reasons": item.comment.comment.reasons(),
        "reports": reports,
    })
}

/// GET /api/v1/mod/queue
pub async fn queue(
    req: HttpRequest,
    _staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let query = query_map(&req);
    let which = match query.get("status").map(String::as_str) {
        None | Some("pending") => Queue::Pending,
        Some("reported") => Queue::Reported,
        Some("rejected") => Queue::Rejected,
        Some(_) => {
            return Err(ApiError::Validation(vec![input::invalid_choice(
                "status",
                "pending, reported, rejected".into(),
            )]))
        }
    };
    let article = match query.get("article") {
        Some(key) if !input::is_article_key(key) => {
            return Err(ApiError::field("article", "validation-invalid-key"))
        }
        other => other.cloned(),
    };
    let page = Page::from_query(&query)?;
    let (items, total) = app
        .db
        .read(move |conn| {
            let article_id = match article {
                Some(key) => match store::articles::find_by_key(conn, &key)? {
                    Some(a) => Some(a.id),
                    None => return Ok((Vec::new(), 0)),
                },
                None => None,
            };
            let (rows, total) =
                store::comments::queue(conn, which, article_id, page.after, page.fetch())?;
            Ok((service::queue_items(conn, rows)?, total))
        })
        .await?;
    let (items, next_cursor) = page.finish(items, |i| Cursor {
        key: i.comment.comment.created_at,
        id: i.comment.comment.id,
    });
    let items: Vec<Value> = items.iter().map(queue_item_json).collect();
    Ok(HttpResponse::Ok()
        .json(json!({ "items": items, "next_cursor": next_cursor, "total": total })))
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    reason: Option<String>,
}

fn reason(raw: Option<&str>) -> Result<Option<String>, ApiError> {
    match raw {
        Some(r) => input::note("reason", r, 500).map_err(|e| ApiError::Validation(vec![e])),
        None => Ok(None),
    }
}

async fn decide(
    id: &str,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
    action: Action,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(id)?;
    let request: ReasonRequest = body.parse()?;
    let reason = reason(request.reason.as_deref())?;
    let actor = staff.0.id();
    let comment = app
        .db
        .write(move |conn| service::act(conn, actor, id, action, reason.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(CommentView::full(&comment)))
}

/// POST /api/v1/mod/comments/{id}/approve
pub async fn approve(
    id: web::Path<String>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(&id, staff, body, app, Action::Approve).await
}

/// POST /api/v1/mod/comments/{id}/reject
pub async fn reject(
    id: web::Path<String>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(&id, staff, body, app, Action::Reject).await
}

/// POST /api/v1/mod/comments/{id}/delete
pub async fn delete(
    id: web::Path<String>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(&id, staff, body, app, Action::Delete).await
}

/// POST /api/v1/mod/comments/{id}/restore
pub async fn restore(
    id: web::Path<String>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(&id, staff, body, app, Action::Restore).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    action: BulkAction,
    ids: Vec<i64>,
    reason: Option<String>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum BulkAction {
    Approve,
    Reject,
    Delete,
}

/// POST /api/v1/mod/bulk — each id succeeds or fails on its own.
pub async fn bulk(
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let request: BulkRequest = body.parse()?;
    if request.ids.is_empty() || request.ids.len() > 100 {
        return Err(ApiError::Validation(vec![FieldError::new(
            "ids",
            "validation-out-of-range",
        )
        .with("min", MsgArg::Num(1))
        .with("max", MsgArg::Num(100))]));
    }
    let reason = reason(request.reason.as_deref())?;
    let action = match request.action {
        BulkAction::Approve => Action::Approve,
        BulkAction::Reject => Action::Reject,
        BulkAction::Delete => Action::Delete,
    };
    let actor = staff.0.id();
    let ids = request.ids;
    let (updated, failed) = app
        .db
        .write(move |conn| {
            let mut updated = Vec::new();
            let mut failed = Vec::new();
            for id in ids {
                match service::act(conn, actor, id, action, reason.as_deref()) {
                    Ok(_) => updated.push(id),
                    Err(e @ (ApiError::NotFound | ApiError::Conflict(_))) => {
                        failed.push(json!({"id": id, "code": e.code()}))
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok((updated, failed))
        })
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "updated": updated, "failed": failed })))
}

fn standing_json(s: &Standing) -> Value {
    let banned = s.user.is_banned(now_ms());
    let recent: Vec<CommentView> = s.recent_comments.iter().map(CommentView::full).collect();
    json!({
        "user": UserView::from_user(&s.user),
        "role": s.user.role().as_str(),
        "status": if banned { "banned" } else { "active" },
        "banned_until": s.user.banned_until.filter(|_| banned).map(time::format),
        "ban_reason": s.user.ban_reason.as_ref().filter(|_| banned),
        "approved_count": s.approved_count,
        "pending_count": s.pending_count,
        "rejected_count": s.rejected_count,
        "recent_comments": recent,
    })
}

/// GET /api/v1/mod/users/{id}
pub async fn user(
    id: web::Path<String>,
    _staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id)?;
    let standing = app.db.read(move |conn| service::standing(conn, id)).await?;
    Ok(HttpResponse::Ok().json(standing_json(&standing)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BanRequest {
    reason: String,
    until: Option<String>,
}

/// POST /api/v1/mod/users/{id}/ban
pub async fn ban(
    id: web::Path<String>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id)?;
    let request: BanRequest = body.parse()?;
    let mut problems = input::Problems::new();
    let reason = match input::note("reason", &request.reason, 500) {
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
    let until = match request.until.as_deref() {
        None => None,
        Some(text) => match time::parse(text) {
            None => {
                problems.push(FieldError::new("until", "validation-invalid-format"));
                None
            }
            Some(t) if t <= now_ms() => {
                problems.push(FieldError::new("until", "validation-in-past"));
                None
            }
            Some(t) => Some(t),
        },
    };
    problems.finish()?;
    let reason = reason.unwrap_or_default();
    let actor = staff.0.user;
    let standing = app
        .db
        .write(move |conn| service::ban(conn, &actor, id, until, &reason))
        .await?;
    Ok(HttpResponse::Ok().json(standing_json(&standing)))
}

/// POST /api/v1/mod/users/{id}/unban
pub async fn unban(
    id: web::Path<String>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id)?;
    let _: ReasonRequest = body.parse()?;
    let actor = staff.0.user;
    let standing = app
        .db
        .write(move |conn| service::unban(conn, &actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(standing_json(&standing)))
}

/// GET /api/v1/mod/log — newest first.
pub async fn log(
    req: HttpRequest,
    _staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let page = Page::from_query(&query_map(&req))?;
    let rows = app
        .db
        .read(move |conn| {
            let rows = store::log::list(conn, page.after, page.fetch())?;
            rows.into_iter()
                .map(|row| {
                    let actor = store::users::get(conn, row.actor_id)?;
                    Ok((row, actor))
                })
                .collect::<Result<Vec<_>, ApiError>>()
        })
        .await?;
    let (rows, next_cursor) = page.finish(rows, |(row, _)| Cursor { key: 0, id: row.id });
    let entries: Vec<Value> = rows
        .iter()
        .map(|(row, actor)| {
            json!({
                "id": row.id,
                "actor": UserView::from_user(actor),
                "action": row.action,
                "target_type": row.target_type,
                "target_id": row.target_id,
                "reason": row.reason,
                "created_at": time::format(row.created_at),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(json!({ "entries": entries, "next_cursor": next_cursor })))
}
