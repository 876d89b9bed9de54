//! Statements of reasons (DSA Art. 17): what every removal, restriction
//! and suspension tells its author. Each is written by the decision's own
//! function, in its transaction, through `record`.

use super::ServiceError;
use crate::domain::cursor::{Cursor, Page};
use crate::domain::dsa::StatementFilter as Filter;
use crate::domain::dsa::{
    self, AppealStatus, AutomatedDecision, Decision, Ground, Source, Statement,
};
use crate::domain::CommentId;
use crate::domain::CommentStatus;
use crate::domain::StatementId;
use crate::screening::{Reason, Verdict};
use crate::store::models::CommentRow;
use crate::store::{self, now_ms, DbConnection};

/// A decision to explain: what was done, to whom, on what ground, by whom.
pub struct Explained<'a> {
    pub decision: Decision,
    /// The comment decided on; `None` for a suspension.
    pub comment: Option<&'a CommentRow>,
    /// The account, for a suspension (a comment names its own author).
    pub user_id: Option<i64>,
    pub ground: Ground,
    /// The moderator's reason, or the rule that fired and what it matched;
    /// empty when a moderator gave none.
    pub facts: String,
    pub automated_detection: bool,
    pub automated_decision: AutomatedDecision,
    pub source: Source,
    /// The moderator; `None` for an automated rule.
    pub actor_id: Option<i64>,
}

/// Writes the statement, in the caller's transaction. A comment without an
/// author (erased) has nobody to tell: no statement.
pub fn record(conn: &mut DbConnection, e: Explained<'_>) -> Result<Option<i64>, ServiceError> {
    let user_id = e.comment.map_or(e.user_id, |c| c.author_id);
    if user_id.is_none() {
        return Ok(None);
    }
    let statement = Statement {
        id: 0,
        user_id,
        comment: e.comment.map(|c| (c.id, dsa::excerpt(&c.body))),
        decision: e.decision,
        ground: e.ground,
        facts: e.facts,
        automated_detection: e.automated_detection,
        automated_decision: e.automated_decision,
        source: e.source,
        actor_id: e.actor_id,
        decided_at: now_ms(),
        appeal_status: AppealStatus::None,
    };
    Ok(store::statements::insert(conn, &statement).map(Some)?)
}

/// The site's rule an automated reason enforces.
fn rule_of(reason: Reason) -> &'static str {
    match reason {
        Reason::TooManyLinks | Reason::Duplicate => "spam",
        _ => Ground::DEFAULT_RULE,
    }
}

/// The statement of the screening's verdict on a new or edited comment,
/// when it removes the comment or hides one that was published.
pub fn record_screening(
    conn: &mut DbConnection,
    comment: &CommentRow,
    verdict: &Verdict,
    was_public: bool,
) -> Result<(), ServiceError> {
    let decision = match verdict.status {
        CommentStatus::Rejected => Decision::Removed,
        CommentStatus::Pending if was_public => Decision::Restricted,
        _ => return Ok(()),
    };
    let Some(&first) = verdict.reasons.first() else {
        return Ok(());
    };
    let mut facts: Vec<String> = verdict
        .reasons
        .iter()
        .map(|r| r.as_str().to_string())
        .collect();
    facts.extend(
        verdict
            .matches
            .iter()
            .map(|m| format!("{}: {}", m.kind, m.matched)),
    );
    record(
        conn,
        Explained {
            decision,
            comment: Some(comment),
            user_id: None,
            ground: Ground::Rule {
                rule: rule_of(first).into(),
            },
            facts: facts.join("; "),
            automated_detection: true,
            automated_decision: AutomatedDecision::Fully,
            source: Source::OwnInitiative,
            actor_id: None,
        },
    )?;
    Ok(())
}

/// One page of statements, newest first.
pub struct StatementPage {
    pub statements: Vec<Statement>,
    pub next_cursor: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    filter: &Filter,
    page: Page,
) -> Result<StatementPage, ServiceError> {
    let rows = store::statements::list(conn, filter, page.after, page.fetch())?;
    let (statements, next_cursor) = page.finish(rows, |s| Cursor {
        key: s.id,
        id: s.id,
    });
    Ok(StatementPage {
        statements,
        next_cursor,
    })
}

pub fn get(conn: &mut DbConnection, id: i64) -> Result<Statement, ServiceError> {
    Ok(store::statements::get(conn, StatementId(id))?)
}

/// The member states of the European Economic Area, where a decision
/// applies (the Transparency Database's `territorial_scope`).
const EEA: [&str; 30] = [
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IS",
    "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK",
];

/// `YYYY-MM-DD` of a moment (UTC).
fn day(ms: i64) -> String {
    crate::domain::time::format(ms)
        .get(..10)
        .unwrap_or_default()
        .to_string()
}

/// A statement in the DSA Transparency Database's statement schema (its
/// API's field names and enumerated values), for platforms that must
/// submit theirs (Art. 24(5)). `category` is the notice's when a notice
/// led to the decision, else the rule's; `content_date` is when the
/// comment was posted.
pub fn tdb_statement(
    s: &Statement,
    moderation: &crate::config::ModerationConfig,
    notice_category: Option<dsa::NoticeCategory>,
    content_date: Option<i64>,
) -> serde_json::Value {
    use dsa::NoticeCategory;
    let mut v = serde_json::json!({
        "puid": format!("tribune-statement-{}", s.id),
        "content_type": ["CONTENT_TYPE_TEXT"],
        "territorial_scope": EEA,
        "application_date": day(s.decided_at),
        "content_date": day(content_date.unwrap_or(s.decided_at)),
        "decision_facts": if s.facts.is_empty() {
            "A moderator's decision, without a detailed reason.".to_string()
        } else {
            s.facts.chars().take(5000).collect()
        },
        "automated_detection": if s.automated_detection { "Yes" } else { "No" },
        "automated_decision": match s.automated_decision {
            AutomatedDecision::Fully => "AUTOMATED_DECISION_FULLY",
            AutomatedDecision::Partially => "AUTOMATED_DECISION_PARTIALLY",
            AutomatedDecision::Not => "AUTOMATED_DECISION_NOT_AUTOMATED",
        },
        "source_type": match s.source {
            Source::Notice => "SOURCE_ARTICLE_16",
            Source::TrustedFlagger => "SOURCE_TRUSTED_FLAGGER",
            Source::OwnInitiative | Source::Report => "SOURCE_VOLUNTARY",
        },
    });
    match s.decision {
        Decision::Removed => {
            v["decision_visibility"] = serde_json::json!(["DECISION_VISIBILITY_CONTENT_REMOVED"])
        }
        Decision::Restricted => {
            v["decision_visibility"] = serde_json::json!(["DECISION_VISIBILITY_CONTENT_DISABLED"])
        }
        Decision::AccountSuspended => {
            v["decision_account"] = serde_json::json!("DECISION_ACCOUNT_SUSPENDED")
        }
    }
    let category = match &s.ground {
        Ground::Illegal { law, explanation } => {
            v["decision_ground"] = "DECISION_GROUND_ILLEGAL_CONTENT".into();
            v["illegal_content_legal_ground"] = law.chars().take(500).collect::<String>().into();
            v["illegal_content_explanation"] =
                explanation.chars().take(2000).collect::<String>().into();
            notice_category.unwrap_or(NoticeCategory::IllegalOrHarmfulSpeech)
        }
        Ground::Rule { rule } => {
            let configured = moderation.rule(rule);
            v["decision_ground"] = "DECISION_GROUND_INCOMPATIBLE_CONTENT".into();
            v["incompatible_content_ground"] = rule.clone().into();
            v["incompatible_content_explanation"] = configured
                .map_or(rule.as_str(), |r| r.en.as_str())
                .chars()
                .take(2000)
                .collect::<String>()
                .into();
            v["incompatible_content_illegal"] = "No".into();
            if let Some(url) = configured.and_then(|r| r.url.clone()) {
                v["decision_ground_reference_url"] = url.into();
            }
            let of_rule = configured
                .and_then(|r| r.category.as_deref())
                .and_then(NoticeCategory::parse);
            notice_category
                .or(of_rule)
                .unwrap_or(NoticeCategory::ScopeOfPlatformService)
        }
    };
    v["category"] = category.tdb().into();
    v
}

/// Writes the statements decided since `since` (ms) as JSON lines in the
/// Transparency Database's schema; returns how many.
pub fn export_tdb(
    conn: &mut DbConnection,
    moderation: &crate::config::ModerationConfig,
    since: i64,
    out: &mut dyn std::io::Write,
) -> Result<usize, ServiceError> {
    let statements = store::statements::since(conn, since)?;
    for s in &statements {
        let category = store::notices::of_statement(conn, StatementId(s.id))?
            .first()
            .map(|n| n.category);
        let posted = match &s.comment {
            Some((id, _)) => store::comments::find_row(conn, CommentId(*id))?.map(|c| c.created_at),
            None => None,
        };
        let line = tdb_statement(s, moderation, category, posted);
        writeln!(out, "{line}").map_err(|e| ServiceError::failed("writing the export", e))?;
    }
    Ok(statements.len())
}
