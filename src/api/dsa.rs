//! The EU Digital Services Act at the edge: statements of reasons for
//! their authors and for moderators, and appeals.

use crate::auth::{CurrentUser, Staff};
use crate::domain::dsa::StatementFilter as Filter;
use crate::domain::dsa::{
    AppealOutcome, AppealStatus, AutomatedDecision, Decision, Ground, GroundKind, Source, Statement,
};
use crate::domain::fields::next_cursor_schema;
use crate::domain::{time, AppealId, FieldError, Note, Problems, StatementId};
use crate::error::ApiError;
use crate::http::{page_of, query_map, JsonBody, PageParams, RequestLocale};
use crate::i18n::{self, Arg, Locale};
use crate::service::appeals::{self, AppealPage};
use crate::service::statements::{self, StatementPage};
use crate::service::ServiceError;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The comment a statement is about.
#[derive(Serialize, ToSchema)]
pub struct StatementComment {
    id: i64,
    /// The start of its text.
    excerpt: String,
}

/// Where an appeal against the statement stands.
#[derive(Serialize, ToSchema)]
pub struct StatementAppeal {
    /// The last moment the author may appeal.
    #[schema(format = DateTime)]
    deadline: String,
    status: AppealStatus,
}

/// A statement of reasons (DSA Art. 17).
#[derive(Serialize, ToSchema)]
pub struct StatementView {
    id: i64,
    /// The author told; `null` once the account is gone.
    #[schema(required = true)]
    user_id: Option<i64>,
    #[schema(format = DateTime)]
    decided_at: String,
    decision: Decision,
    ground: Ground,
    /// The cited rule's text in the caller's language (`null` for the law).
    #[schema(required = true)]
    rule_text: Option<String>,
    /// Where the site's terms state the rule, when configured.
    #[schema(required = true)]
    rule_url: Option<String>,
    /// The moderator's reason, or the automated rule that fired and what it matched.
    facts: String,
    automated_detection: bool,
    automated_decision: AutomatedDecision,
    source: Source,
    /// `null` for a suspension.
    #[schema(required = true)]
    comment: Option<StatementComment>,
    appeal: StatementAppeal,
    /// The ways to seek redress: the internal appeal, out-of-court settlement, the courts.
    redress: String,
}

fn statement_view(s: &Statement, app: &AppState, locale: Locale) -> StatementView {
    let deadline = s.appeal_deadline(app.config.dsa.appeal_days);
    let rule = match &s.ground {
        Ground::Rule { rule } => app.config.moderation.rule(rule),
        Ground::Illegal { .. } => None,
    };
    let appealable = app.config.dsa.appeals
        && s.appeal_status == AppealStatus::None
        && time::now_ms() <= deadline;
    let deadline_text = time::format(deadline);
    let redress = if appealable {
        let day = deadline_text.get(..10).unwrap_or(&deadline_text);
        i18n::message(locale, "dsa-redress", &[("date", Arg::Str(day))])
    } else {
        i18n::message(locale, "dsa-redress-no-appeal", &[])
    };
    let facts = if s.facts.is_empty() {
        i18n::message(locale, "dsa-facts-none", &[])
    } else {
        s.facts.clone()
    };
    StatementView {
        id: s.id,
        user_id: s.user_id,
        decided_at: time::format(s.decided_at),
        decision: s.decision,
        ground: s.ground.clone(),
        rule_text: rule.map(|r| r.text(locale.as_str()).to_string()),
        rule_url: rule.and_then(|r| r.url.clone()),
        facts,
        automated_detection: s.automated_detection,
        automated_decision: s.automated_decision,
        source: s.source,
        comment: s.comment.as_ref().map(|(id, excerpt)| StatementComment {
            id: *id,
            excerpt: excerpt.clone(),
        }),
        appeal: StatementAppeal {
            deadline: deadline_text,
            status: s.appeal_status,
        },
        redress,
    }
}

/// The language of the answer's texts: the one asked for, else the account's.
fn locale_of(req: &HttpRequest, caller: &CurrentUser) -> Locale {
    RequestLocale::of(req).or_account(caller.user.locale)
}

#[derive(Serialize, ToSchema)]
pub struct StatementPageView {
    statements: Vec<StatementView>,
    #[schema(required = true, schema_with = next_cursor_schema)]
    next_cursor: Option<String>,
}

fn page_view(page: StatementPage, app: &AppState, locale: Locale) -> StatementPageView {
    StatementPageView {
        statements: page
            .statements
            .iter()
            .map(|s| statement_view(s, app, locale))
            .collect(),
        next_cursor: page.next_cursor,
    }
}

/// The caller's statements of reasons, newest first. A banned account
/// reads them too (a suspension has its own).
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(PageParams),
    responses(
        (status = 200, description = "A page of the caller's statements", body = StatementPageView),
        (status = 400, description = "invalid_cursor"),
        (status = 401, description = "unauthenticated"),
        (status = 422, description = "`limit` out of bounds"),
    ),
)]
#[get("/me/statements")]
pub async fn my_statements(
    req: HttpRequest,
    caller: CurrentUser,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let page = page_of(&req)?;
    let filter = Filter {
        user_id: Some(caller.id()),
        ..Filter::default()
    };
    let found = app
        .db
        .read(move |conn| statements::list(conn, &filter, page))
        .await?;
    Ok(HttpResponse::Ok().json(page_view(found, &app, locale_of(&req, &caller))))
}

/// The filters of `GET /mod/statements`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct StatementFilterParams {
    decision: Option<Decision>,
    /// `rule` or `illegal`.
    #[param(inline)]
    ground: Option<GroundKind>,
    /// Statements citing this rule of the site.
    rule: Option<String>,
}

fn statement_filter(req: &HttpRequest, app: &AppState) -> Result<Filter, ApiError> {
    let query = query_map(req);
    let mut problems = Problems::new();
    let decision = problems.check_some(query.get("decision").map(String::as_str), |d| {
        Decision::parse(d)
            .ok_or_else(|| FieldError::invalid_choice("decision", Decision::choices()))
    });
    let ground = problems.check_some(query.get("ground").map(String::as_str), |g| {
        GroundKind::parse(g)
            .ok_or_else(|| FieldError::invalid_choice("ground", GroundKind::choices()))
    });
    let rule = problems.check_some(query.get("rule").map(String::as_str), |r| {
        let rules = app.config.moderation.rule_ids();
        if rules.contains(&r) {
            Ok(r.to_string())
        } else {
            Err(FieldError::invalid_choice("rule", rules.join(", ")))
        }
    });
    problems.finish()?;
    Ok(Filter {
        user_id: None,
        decision,
        ground,
        rule,
    })
}

/// Every statement, newest first; filtered by decision, ground and rule.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(PageParams, StatementFilterParams),
    responses(
        (status = 200, description = "A page of statements", body = StatementPageView),
        (status = 400, description = "invalid_cursor"),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 422, description = "`limit` out of bounds, or an unknown filter value"),
    ),
)]
#[get("/mod/statements")]
pub async fn mod_statements(
    req: HttpRequest,
    staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let page = page_of(&req)?;
    let filter = statement_filter(&req, &app)?;
    let found = app
        .db
        .read(move |conn| statements::list(conn, &filter, page))
        .await?;
    Ok(HttpResponse::Ok().json(page_view(found, &app, locale_of(&req, &staff.0))))
}

/// The longest appeal or decision text.
const APPEAL_TEXT_MAX: usize = 5000;

fn appeal_text_schema() -> utoipa::openapi::schema::Object {
    Note::required_schema_of(APPEAL_TEXT_MAX)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealRequest {
    /// Why the decision should be reversed.
    #[schema(schema_with = appeal_text_schema)]
    text: String,
}

/// An appeal (DSA Art. 20).
#[derive(Serialize, ToSchema)]
pub struct AppealView {
    id: i64,
    status: AppealStatus,
    statement_id: i64,
    text: String,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(required = true, format = DateTime)]
    decided_at: Option<String>,
    /// The deciding moderator's reason.
    #[schema(required = true)]
    reason: Option<String>,
    statement: StatementView,
}

fn appeal_view(
    a: &crate::domain::dsa::Appeal,
    s: &Statement,
    app: &AppState,
    locale: Locale,
) -> AppealView {
    AppealView {
        id: a.id,
        status: a.status,
        statement_id: a.statement_id,
        text: a.text.clone(),
        created_at: time::format(a.created_at),
        decided_at: a.decided_at.map(time::format),
        reason: a.reason.clone(),
        statement: statement_view(s, app, locale),
    }
}

/// The author appeals one of their statements, once, within `dsa.appeal_days`.
#[utoipa::path(
    tag = "accounts",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The statement's id")),
    request_body = AppealRequest,
    responses(
        (status = 201, description = "The appeal, open", body = AppealView),
        (status = 401, description = "unauthenticated"),
        (status = 403, description = "forbidden: appeals are off; appeals_suspended after repeated unfounded appeals"),
        (status = 404, description = "No such statement, or someone else's"),
        (status = 409, description = "already_appealed"),
        (status = 422, description = "appeal_window_closed, or a missing or too long text"),
    ),
)]
#[post("/me/statements/{id}/appeal")]
pub async fn file_appeal(
    req: HttpRequest,
    id: web::Path<StatementId>,
    caller: CurrentUser,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().get();
    let request: AppealRequest = body.parse()?;
    let text = Note::parse("text", &request.text, APPEAL_TEXT_MAX)?
        .ok_or_else(|| FieldError::new("text", "validation-required"))?;
    let locale = locale_of(&req, &caller);
    let author = caller.user;
    let config = app.config.clone();
    let (filed, statement) = app
        .db
        .write(move |conn| -> Result<_, ServiceError> {
            let a = appeals::file(conn, &author, id, &text, &config.dsa)?;
            let s = crate::service::statements::get(conn, a.statement_id)?;
            Ok((a, s))
        })
        .await?;
    Ok(HttpResponse::Created().json(appeal_view(&filed, &statement, &app, locale)))
}

#[derive(Serialize, ToSchema)]
pub struct AppealPageView {
    appeals: Vec<AppealView>,
    #[schema(required = true, schema_with = next_cursor_schema)]
    next_cursor: Option<String>,
}

/// The filter of `GET /mod/appeals`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct AppealFilterParams {
    status: Option<AppealStatus>,
}

/// Appeals, oldest first; `status=open` for the queue.
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(PageParams, AppealFilterParams),
    responses(
        (status = 200, description = "A page of appeals", body = AppealPageView),
        (status = 400, description = "invalid_cursor"),
        (status = 403, description = "forbidden (not staff) or banned"),
        (status = 422, description = "`limit` out of bounds, or an unknown status"),
    ),
)]
#[get("/mod/appeals")]
pub async fn mod_appeals(
    req: HttpRequest,
    staff: Staff,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let page = page_of(&req)?;
    let status = match query_map(&req).get("status") {
        None => None,
        Some(s) => Some(
            AppealStatus::parse(s)
                .ok_or_else(|| FieldError::invalid_choice("status", AppealStatus::choices()))?,
        ),
    };
    let found: AppealPage = app
        .db
        .read(move |conn| appeals::list(conn, status, page))
        .await?;
    let locale = locale_of(&req, &staff.0);
    Ok(HttpResponse::Ok().json(AppealPageView {
        appeals: found
            .appeals
            .iter()
            .map(|(a, s)| appeal_view(a, s, &app, locale))
            .collect(),
        next_cursor: found.next_cursor,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealDecisionRequest {
    outcome: AppealOutcome,
    /// Told to the author.
    #[schema(schema_with = super::decisions::reason_schema)]
    reason: Option<String>,
}

/// A moderator decides an open appeal; `reversed` restores the comment or
/// lifts the ban. Not by the moderator who made the decision while the
/// site has another (`dsa.appeal_by_other_moderator`).
#[utoipa::path(
    tag = "moderation",
    security(("bearer" = [])),
    params(("id" = i64, Path, minimum = 1, description = "The appeal's id")),
    request_body = AppealDecisionRequest,
    responses(
        (status = 200, description = "The decided appeal", body = AppealView),
        (status = 403, description = "forbidden (not staff, banned, or one's own appeal); appeal_needs_other_moderator"),
        (status = 404, description = "No such appeal"),
        (status = 409, description = "conflict: decided already"),
    ),
)]
#[post("/mod/appeals/{id}/decision")]
pub async fn decide_appeal(
    req: HttpRequest,
    id: web::Path<AppealId>,
    staff: Staff,
    body: JsonBody,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner().get();
    let request: AppealDecisionRequest = body.parse()?;
    let reason = super::decisions::reason(request.reason.as_deref())?;
    let locale = locale_of(&req, &staff.0);
    let judge = staff.0.user;
    let config = app.config.clone();
    let (decided, statement) = app
        .db
        .write(move |conn| {
            appeals::decide(
                conn,
                &judge,
                id,
                request.outcome,
                reason.as_ref(),
                &config.dsa,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(appeal_view(&decided, &statement, &app, locale)))
}

/// The period of `GET /admin/transparency`.
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct TransparencyParams {
    /// First day, `YYYY-MM-DD` (UTC).
    #[param(required = true, format = Date)]
    from: String,
    /// Last day, included.
    #[param(required = true, format = Date)]
    to: String,
    /// `json` (the default) or `csv`.
    #[param(pattern = "^(json|csv)$")]
    format: Option<String>,
}

/// The transparency report of a period, with the period it covers.
#[derive(Serialize, ToSchema)]
pub struct TransparencyView {
    #[schema(format = Date)]
    from: String,
    #[schema(format = Date)]
    to: String,
    #[serde(flatten)]
    report: crate::service::transparency::Report,
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A `YYYY-MM-DD` day as its first millisecond (UTC).
fn day(query: &std::collections::HashMap<String, String>, field: &str) -> Result<i64, FieldError> {
    let text = query
        .get(field)
        .ok_or_else(|| FieldError::new(field, "validation-required"))?;
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
        .ok_or_else(|| FieldError::new(field, "validation-invalid-format"))
}

/// The figures of a period (DSA Art. 15 and 24): decisions, appeals and
/// suspensions, as JSON or CSV.
#[utoipa::path(
    tag = "admin",
    security(("bearer" = [])),
    params(TransparencyParams),
    responses(
        (status = 200, description = "The report (JSON, or CSV with format=csv)", content(
            (TransparencyView = "application/json"),
            (String = "text/csv"),
        )),
        (status = 403, description = "forbidden (not admin) or banned"),
        (status = 422, description = "`from` or `to` missing or not a date, `to` before `from`, an unknown format"),
    ),
)]
#[get("/admin/transparency")]
pub async fn transparency(
    req: HttpRequest,
    _admin: crate::auth::Admin,
    app: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let query = query_map(&req);
    let mut problems = Problems::new();
    let from = problems.check(day(&query, "from"));
    let to = problems.check(day(&query, "to"));
    let csv = match query.get("format").map(String::as_str) {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => {
            problems.push(FieldError::invalid_choice("format", "json, csv".into()));
            false
        }
    };
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            problems.push(FieldError::new("to", "validation-before-from"));
        }
    }
    problems.finish()?;
    let (from, to) = (from.unwrap_or_default(), to.unwrap_or_default());
    let report = app
        .db
        .read(move |conn| crate::service::transparency::report(conn, from, to + DAY_MS))
        .await?;
    if csv {
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .body(crate::service::transparency::csv(&report)));
    }
    let date = |ms: i64| time::format(ms).get(..10).unwrap_or_default().to_string();
    Ok(HttpResponse::Ok().json(TransparencyView {
        from: date(from),
        to: date(to),
        report,
    }))
}
