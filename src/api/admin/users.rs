//! Accounts as admins manage them: search, roles.

use crate::api::views::MeView;
use crate::auth::Admin;
use crate::domain::fields::next_cursor_schema;
use crate::domain::time::now_ms;
use crate::domain::{FieldError, Role, UserId};
use crate::error::ApiError;
use crate::http::{query_map, JsonBody, Page, PageParams};
use crate::service::accounts::{self as service, UserSearch};
use crate::service::ServiceError;
use crate::state::AppState;
use actix_web::{get, patch, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// What an admin changes on an account: its role, whether it is a trusted
/// flagger (DSA Art. 22), or both; at least one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(min_properties = 1)]
pub struct UserUpdateRequest {
    role: Option<Role>,
    /// Its notices of illegal content are marked and come first.
    trusted_flagger: Option<bool>,
}

#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The account's id")),
    request_body = UserUpdateRequest,
    responses(
        (status = 200, description = "The account", body = MeView),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 404, description = "No such account"),
        (status = 409, description = "conflict: it would leave no admin"),
        (status = 422, description = "An empty body, or a field of the wrong type"),
    ),
)]
#[patch("/admin/users/{id}")]
pub async fn update_user(
    id: web::Path<UserId>,
    admin: Admin,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let body: UserUpdateRequest = body.parse()?;
    if body.role.is_none() && body.trusted_flagger.is_none() {
        return Err(FieldError::new("role", "validation-required").into());
    }
    let actor = admin.0.id();
    let user = app
        .db
        .write(move |conn| {
            let mut user = None;
            if let Some(role) = body.role {
                user = Some(service::change_role(conn, actor, id, role)?);
            }
            if let Some(on) = body.trusted_flagger {
                user = Some(service::set_trusted_flagger(conn, actor, id, on)?);
            }
            user.ok_or(ServiceError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Ok().json(MeView::new(&user, now_ms())))
}

#[derive(Serialize, ToSchema)]
pub struct UsersPage {
    users: Vec<MeView>,
    #[schema(required = true, schema_with = next_cursor_schema)]
    next_cursor: Option<String>,
}

/// Search by name or email fragment, filter by role.
#[utoipa::path(
    tag = "administration",
    security(("bearer" = [])),
    params(
        ("q" = Option<String>, Query, max_length = 100, description = "A fragment of the username, display name or email"),
        ("role" = inline(Option<Role>), Query),
        PageParams,
    ),
    responses(
        (status = 200, description = "A page of accounts", body = UsersPage),
        (status = 400, description = "invalid_cursor"),
        (status = 403, description = "forbidden (not an admin) or banned"),
        (status = 422, description = "`q`, `role` or `limit` out of bounds"),
    ),
)]
#[get("/admin/users")]
pub async fn list_users(
    req: HttpRequest,
    _admin: Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let query = query_map(&req);
    let search = user_search(&query)?;
    let page = Page::from_query(&query)?;
    let (rows, next_cursor) = app
        .db
        .read(move |conn| service::list(conn, &search, page))
        .await?;
    let now = now_ms();
    let users: Vec<MeView> = rows.iter().map(|u| MeView::new(u, now)).collect();
    Ok(HttpResponse::Ok().json(UsersPage { users, next_cursor }))
}

/// `role` and `q` (trimmed, at most 100 characters; empty means any).
fn user_search(query: &HashMap<String, String>) -> Result<UserSearch, ApiError> {
    let role = match query.get("role") {
        None => None,
        Some(r) => Some(
            Role::parse(r).ok_or_else(|| FieldError::invalid_choice("role", Role::choices()))?,
        ),
    };
    let text = query
        .get("q")
        .map(|q| q.trim().to_string())
        .filter(|q| !q.is_empty());
    if text.as_ref().is_some_and(|q| q.chars().count() > 100) {
        return Err(ApiError::field("q", "validation-too-long"));
    }
    Ok(UserSearch { text, role })
}
