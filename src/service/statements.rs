//! Statements of reasons (DSA Art. 17): what every removal, restriction
//! and suspension tells its author. Each is written by the decision's own
//! function, in its transaction, through `record`.

use crate::domain::cursor::{Cursor, Page};
use crate::domain::dsa::StatementFilter as Filter;
use crate::domain::dsa::{
    self, AppealStatus, AutomatedDecision, Decision, Ground, Source, Statement,
};
use crate::domain::CommentStatus;
use crate::error::ApiError;
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
pub fn record(conn: &mut DbConnection, e: Explained<'_>) -> Result<Option<i64>, ApiError> {
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
    store::statements::insert(conn, &statement).map(Some)
}

/// What brought a comment to a moderator: readers' reports, or nothing.
pub fn source_of(conn: &mut DbConnection, comment_id: i64) -> Result<Source, ApiError> {
    Ok(if store::reports::open_count(conn, comment_id)? > 0 {
        Source::Report
    } else {
        Source::OwnInitiative
    })
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
) -> Result<(), ApiError> {
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
) -> Result<StatementPage, ApiError> {
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

pub fn get(conn: &mut DbConnection, id: i64) -> Result<Statement, ApiError> {
    store::statements::get(conn, id)
}
