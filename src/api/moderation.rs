//! Moderators' routes: the queue, decisions, bulk decisions, accounts, bans, the log.

use super::docs::{AccountStatus, ErrorCode, LogAction, QueueReason, TargetType};
use super::views::{CommentView, UserView};
use crate::app::AppState;
use crate::auth::Staff;
use crate::domain::cursor::Cursor;
use crate::domain::Role;
use crate::domain::{input, time, ReportReason};
use crate::error::{ApiError, FieldError, MsgArg};
use crate::http::{path_id, query_map, JsonBody, Page};
use crate::moderation::WordMatch;
use crate::service::moderation::{self as service, Action, QueueItem, Standing};
use crate::store::{self, comments::Queue, now_ms};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn account_status(banned: bool) -> &'static str {
    if banned {
        "banned"
    } else {
        "active"
    }
}

/// A comment's author as the queue shows it: the public view and a standing.
#[derive(Serialize, ToSchema)]
pub struct QueueAuthor {
    id: i64,
    username: String,
    display_name: String,
    #[schema(value_type = AccountStatus)]
    status: &'static str,
    approved_count: i64,
    rejected_count: i64,
    /// When the account was created: a new account is a reason to look twice.
    #[schema(format = DateTime)]
    created_at: String,
    /// The end of a ban in force; `null` when permanent or not banned.
    #[schema(required = true, format = DateTime)]
    banned_until: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct QueueArticle {
    key: String,
    title: String,
}

/// Open reports by reason.
#[derive(Serialize, ToSchema)]
pub struct ReportCounts {
    abusive: i64,
    off_topic: i64,
    spam: i64,
    other: i64,
}

#[derive(Serialize, ToSchema)]
pub struct QueueItemView {
    comment: CommentView,
    article: QueueArticle,
    /// `null` once the account was erased.
    #[schema(required = true)]
    author: Option<QueueAuthor>,
    /// Why the comment is in the queue.
    #[schema(value_type = Vec<QueueReason>)]
    reasons: Vec<String>,
    /// For `banned_word` and `suspect_word`: which entry matched, the text
    /// as written, and the disguises undone.
    word_matches: Vec<WordMatch>,
    reports: ReportCounts,
    /// Notes of open reports, newest first, five at most.
    report_notes: Vec<ReportNote>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportNote {
    #[schema(value_type = ReportReason)]
    reason: String,
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct QueuePage {
    items: Vec<QueueItemView>,
    #[schema(required = true, pattern = r"^[A-Za-z0-9_-]+$")]
    next_cursor: Option<String>,
    /// Items in this queue, all pages.
    total: i64,
}

/// The stored word matches whose kind is still among the comment's reasons
/// (a comment held again for reports no longer shows an old suspect word).
fn shown_word_matches(comment: &crate::store::models::CommentRow) -> Vec<WordMatch> {
    let reasons = comment.reasons();
    WordMatch::from_json(&comment.word_matches)
        .into_iter()
        .filter(|m| reasons.contains(&m.kind))
        .collect()
}

fn queue_item_view(item: &QueueItem) -> QueueItemView {
    let author = item.author.as_ref().map(|account| {
        let public = UserView::from_user(account);
        let banned = account.is_banned(now_ms());
        QueueAuthor {
            id: public.id,
            username: public.username,
            display_name: public.display_name,
            status: account_status(banned),
            approved_count: account.approved_count,
            rejected_count: account.rejected_count,
            created_at: time::format(account.created_at),
            banned_until: account.banned_until.filter(|_| banned).map(time::format),
        }
    });
    let count = |reason: ReportReason| item.reports.get(reason.as_str()).copied().unwrap_or(0);
    QueueItemView {
        comment: CommentView::full(&item.comment),
        article: QueueArticle {
            key: item.comment.article_key.clone(),
            title: item.article_title.clone(),
        },
        author,
        reasons: item.comment.comment.reasons(),
        word_matches: shown_word_matches(&item.comment.comment),
        reports: ReportCounts {
            abusive: count(ReportReason::Abusive),
            off_topic: count(ReportReason::OffTopic),
            spam: count(ReportReason::Spam),
            other: count(ReportReason::Other),
        },
        report_notes: item
            .report_notes
            .iter()
            .map(|(reason, note)| ReportNote {
                reason: reason.clone(),
                note: note.clone(),
            })
            .collect(),
    }
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum QueueName {
    Pending,
    Reported,
    Rejected,
}

/// Oldest first. `pending` and `rejected` list comments of that status;
/// `reported` lists comments of any status with an open report.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(
        ("status" = inline(Option<QueueName>), Query, description = "Default `pending`"),
        ("article" = Option<String>, Query, pattern = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", description = "Only this article's comments"),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "Default 50"),
        ("cursor" = Option<String>, Query, pattern = r"^[A-Za-z0-9_-]+$", description = "`next_cursor` of the previous page"),
    ),
    responses(
        (status = 200, description = "A page of the queue", body = QueuePage),
        (status = 400, description = "invalid_cursor"),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 422, description = "`status`, `article` or `limit` out of bounds"),
    ),
)]
#[get("/mod/queue")]
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
    // Whole queues are counted once per committed write, not once per page.
    let epoch = app.db.write_epoch().filter(|_| article.is_none());
    let known_total = epoch.and_then(|e| app.queue_totals.get(which, e));
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
            let total = match known_total {
                Some(total) => total,
                None => store::comments::queue_total(conn, which, article_id)?,
            };
            let rows = store::comments::queue(conn, which, article_id, page.after, page.fetch())?;
            Ok((service::queue_items(conn, rows)?, total))
        })
        .await?;
    if let (Some(epoch), None) = (epoch, known_total) {
        app.queue_totals.put(which, epoch, total);
    }
    let (items, next_cursor) = page.finish(items, |i| Cursor {
        key: i.comment.comment.created_at,
        id: i.comment.comment.id,
    });
    let items: Vec<QueueItemView> = items.iter().map(queue_item_view).collect();
    Ok(HttpResponse::Ok().json(QueuePage {
        items,
        next_cursor,
        total,
    }))
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    /// Kept in the moderation log.
    #[schema(max_length = 500)]
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

#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "Approved; open reports on it are resolved", body = CommentView),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 404, description = "No such comment"),
        (status = 409, description = "conflict: the state does not allow it"),
    ),
)]
#[post("/mod/comments/{id}/approve")]
pub async fn approve(
    id: web::Path<String>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(&id, staff, body, app, Action::Approve).await
}

#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "Rejected: hidden from readers", body = CommentView),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 404, description = "No such comment"),
        (status = 409, description = "conflict: the state does not allow it"),
    ),
)]
#[post("/mod/comments/{id}/reject")]
pub async fn reject(
    id: web::Path<String>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(&id, staff, body, app, Action::Reject).await
}

#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "Deleted", body = CommentView),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 404, description = "No such comment"),
        (status = 409, description = "conflict: the state does not allow it"),
    ),
)]
#[post("/mod/comments/{id}/delete")]
pub async fn delete(
    id: web::Path<String>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(&id, staff, body, app, Action::Delete).await
}

#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The comment's id")),
    request_body = ReasonRequest,
    responses(
        (status = 200, description = "Back to approved", body = CommentView),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 404, description = "No such comment"),
        (status = 409, description = "conflict: the state does not allow it"),
    ),
)]
#[post("/mod/comments/{id}/restore")]
pub async fn restore(
    id: web::Path<String>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    decide(&id, staff, body, app, Action::Restore).await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    action: BulkAction,
    /// Comment ids; each succeeds or fails on its own.
    #[schema(min_items = 1, max_items = 100)]
    ids: Vec<i64>,
    #[schema(max_length = 500)]
    reason: Option<String>,
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
    #[schema(value_type = ErrorCode)]
    code: &'static str,
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
                        failed.push(BulkFailure { id, code: e.code() })
                    }
                    Err(e) => return Err(e),
                }
            }
            Ok((updated, failed))
        })
        .await?;
    Ok(HttpResponse::Ok().json(BulkResult { updated, failed }))
}

/// An account as moderators see it.
#[derive(Serialize, ToSchema)]
#[schema(as = UserStanding)]
pub struct StandingView {
    user: UserView,
    role: Role,
    #[schema(value_type = AccountStatus)]
    status: &'static str,
    #[schema(required = true, format = DateTime)]
    banned_until: Option<String>,
    #[schema(required = true)]
    ban_reason: Option<String>,
    approved_count: i64,
    pending_count: i64,
    rejected_count: i64,
    recent_comments: Vec<CommentView>,
}

fn standing_view(s: &Standing) -> StandingView {
    let banned = s.user.is_banned(now_ms());
    StandingView {
        user: UserView::from_user(&s.user),
        role: s.user.role(),
        status: account_status(banned),
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
    id: web::Path<String>,
    _staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id)?;
    let standing = app.db.read(move |conn| service::standing(conn, id)).await?;
    Ok(HttpResponse::Ok().json(standing_view(&standing)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BanRequest {
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
    )]
    reason: String,
    /// In the future; without it the ban is permanent.
    #[schema(format = DateTime)]
    until: Option<String>,
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
    id: web::Path<String>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = path_id(&id)?;
    let request: ReasonRequest = body.parse()?;
    let reason = reason(request.reason.as_deref())?;
    let actor = staff.0.user;
    let standing = app
        .db
        .write(move |conn| service::unban(conn, &actor, id, reason.as_deref()))
        .await?;
    Ok(HttpResponse::Ok().json(standing_view(&standing)))
}

#[derive(Serialize, ToSchema)]
pub struct LogEntry {
    id: i64,
    actor: UserView,
    #[schema(value_type = LogAction)]
    action: String,
    #[schema(value_type = TargetType)]
    target_type: String,
    /// A decimal id, an article key, or `null` for settings.
    #[schema(required = true)]
    target_id: Option<String>,
    #[schema(required = true)]
    reason: Option<String>,
    #[schema(format = DateTime)]
    created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct LogPage {
    entries: Vec<LogEntry>,
    #[schema(required = true, pattern = r"^[A-Za-z0-9_-]+$")]
    next_cursor: Option<String>,
}

/// Newest first.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("limit" = Option<i64>, Query, minimum = 1, maximum = 200, description = "Default 50"), ("cursor" = Option<String>, Query, pattern = r"^[A-Za-z0-9_-]+$", description = "`next_cursor` of the previous page")),
    responses(
        (status = 200, description = "A page of the log", body = LogPage),
        (status = 400, description = "invalid_cursor"),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 422, description = "`limit` out of bounds"),
    ),
)]
#[get("/mod/log")]
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
    let entries: Vec<LogEntry> = rows
        .iter()
        .map(|(row, actor)| LogEntry {
            id: row.id,
            actor: UserView::from_user(actor),
            action: row.action.clone(),
            target_type: row.target_type.clone(),
            target_id: row.target_id.clone(),
            reason: row.reason.clone(),
            created_at: time::format(row.created_at),
        })
        .collect();
    Ok(HttpResponse::Ok().json(LogPage {
        entries,
        next_cursor,
    }))
}
