//! The site's figures.

use crate::auth::Admin;
use crate::domain::CommentStatus;
use crate::error::ApiError;
use crate::service::stats as service;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

/// Comments by status.
#[derive(Serialize, ToSchema)]
pub struct CommentCounts {
    approved: i64,
    pending: i64,
    rejected: i64,
    deleted: i64,
}

#[derive(Serialize, ToSchema)]
pub struct UserCounts {
    total: i64,
    banned: i64,
}

#[derive(Serialize, ToSchema)]
pub struct LastDay {
    comments: i64,
    reports: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Stats {
    comments: CommentCounts,
    users: UserCounts,
    articles: i64,
    last_24h: LastDay,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Counts", body = Stats),
        (status = 403, description = "forbidden (not an admin) or banned"),
    ),
)]
#[get("/admin/stats")]
pub async fn stats(_admin: Admin, app: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let s = app.db.read(service::stats).await?;
    let count = |wanted: CommentStatus| {
        s.comments
            .iter()
            .find(|(status, _)| *status == wanted)
            .map_or(0, |(_, n)| *n)
    };
    Ok(HttpResponse::Ok().json(Stats {
        comments: CommentCounts {
            approved: count(CommentStatus::Approved),
            pending: count(CommentStatus::Pending),
            rejected: count(CommentStatus::Rejected),
            deleted: count(CommentStatus::Deleted),
        },
        users: UserCounts {
            total: s.users_total,
            banned: s.users_banned,
        },
        articles: s.articles,
        last_24h: LastDay {
            comments: s.comments_24h,
            reports: s.reports_24h,
        },
    }))
}
