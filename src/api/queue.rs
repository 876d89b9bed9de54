//! The moderation queue: what waits for a moderator, with what each item
//! needs to be decided.

use super::views::{ArticleFilter, CommentView, UserView};
use crate::auth::Staff;
use crate::domain::fields::next_cursor_schema;
use crate::domain::time::{self, now_ms};
use crate::domain::{AccountStatus, ArticleKey, FieldError, ReportReason};
use crate::error::ApiError;
use crate::http::{query_map, Page, PageParams};
use crate::screening::{Reason, WordMatch};
use crate::service::queue::{self as service, Queue, QueueItem, QueueQuery};
use crate::state::AppState;
use crate::store::models::CommentRow;
use actix_web::{get, web, HttpRequest, HttpResponse};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// A comment's author as the queue shows it: the public view and a standing.
#[derive(Serialize, ToSchema)]
pub struct QueueAuthor {
    id: i64,
    username: String,
    display_name: String,
    status: AccountStatus,
    approved_count: i64,
    rejected_count: i64,
    /// When the account was created: a new account is a reason to look twice.
    #[schema(format = DateTime)]
    created_at: String,
    /// The end of a ban in force; `null` when permanent or not banned.
    #[schema(required = true, format = DateTime)]
    banned_until: Option<String>,
    /// Moderators' notes on the account (read them at `GET /mod/users/{id}/notes`).
    note_count: i64,
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
    reasons: Vec<Reason>,
    /// For `banned_word` and `suspect_word`: which entry matched, the text
    /// as written, and the disguises undone.
    word_matches: Vec<WordMatch>,
    reports: ReportCounts,
    /// Notes of open reports, newest first, five at most.
    report_notes: Vec<ReportNote>,
}

#[derive(Serialize, ToSchema)]
pub struct ReportNote {
    reason: ReportReason,
    note: String,
}

#[derive(Serialize, ToSchema)]
pub struct QueuePage {
    items: Vec<QueueItemView>,
    #[schema(required = true, schema_with = next_cursor_schema)]
    next_cursor: Option<String>,
    /// Items in this queue, all pages.
    total: i64,
}

/// The stored word matches whose kind is still among the comment's reasons
/// (a comment held again for reports no longer shows an old suspect word).
fn shown_word_matches(comment: &CommentRow) -> Vec<WordMatch> {
    WordMatch::from_json(&comment.word_matches)
        .into_iter()
        .filter(|m| Reason::parse(&m.kind).is_some_and(|kind| comment.reasons.contains(kind)))
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
            status: AccountStatus::of(banned),
            approved_count: account.approved_count,
            rejected_count: account.rejected_count,
            created_at: time::format(account.created_at),
            banned_until: account.banned_until.filter(|_| banned).map(time::format),
            note_count: item.author_notes,
        }
    });
    let count = |reason: ReportReason| item.reports.get(&reason).copied().unwrap_or(0);
    QueueItemView {
        comment: CommentView::full(&item.comment),
        article: QueueArticle {
            key: item.comment.article_key.clone(),
            title: item.article_title.clone(),
        },
        author,
        reasons: item.comment.comment.reasons.0.clone(),
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
                reason: *reason,
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
        ArticleFilter,
        PageParams,
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
    let query = queue_query(&query_map(&req))?;
    let page = service::page(&app.db, &app.queue_totals, query).await?;
    Ok(HttpResponse::Ok().json(QueuePage {
        items: page.items.iter().map(queue_item_view).collect(),
        next_cursor: page.next_cursor,
        total: page.total,
    }))
}

/// `status`, `article`, `limit` and `cursor`, each checked.
fn queue_query(query: &HashMap<String, String>) -> Result<QueueQuery, ApiError> {
    let which = match query.get("status").map(String::as_str) {
        None | Some("pending") => Queue::Pending,
        Some("reported") => Queue::Reported,
        Some("rejected") => Queue::Rejected,
        Some(_) => {
            return Err(
                FieldError::invalid_choice("status", "pending, reported, rejected".into()).into(),
            )
        }
    };
    let article = match query.get("article") {
        Some(key) => Some(
            ArticleKey::parse(key)
                .map_err(|_| ApiError::field("article", "validation-invalid-key"))?,
        ),
        None => None,
    };
    Ok(QueueQuery {
        which,
        article,
        page: Page::from_query(query)?,
    })
}
