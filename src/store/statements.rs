//! Statements of reasons (DSA Art. 17): written in the transaction of the
//! decision they explain, read back by their author and by moderators.

use super::schema::statements;
use super::DbConnection;
use super::StoreError;
use crate::domain::cursor::Cursor;
use crate::domain::dsa::{
    AppealStatus, AutomatedDecision, Decision, Ground, GroundKind, Source, Statement,
    StatementFilter as Filter,
};
use crate::domain::Failure;
use crate::domain::StatementId;
use diesel::prelude::*;

type Row = (
    (i64, Option<i64>, Option<i64>, Decision, GroundKind),
    (Option<String>, Option<String>, Option<String>, String, bool),
    (AutomatedDecision, Source, Option<String>, Option<i64>),
    (i64, AppealStatus),
);

macro_rules! columns {
    () => {
        (
            (
                statements::id,
                statements::user_id,
                statements::comment_id,
                statements::decision,
                statements::ground_type,
            ),
            (
                statements::ground_rule,
                statements::ground_law,
                statements::ground_explanation,
                statements::facts,
                statements::automated_detection,
            ),
            (
                statements::automated_decision,
                statements::source,
                statements::excerpt,
                statements::actor_id,
            ),
            (statements::decided_at, statements::appeal_status),
        )
    };
}

/// A row put together: its enums are decoded already (an unknown stored
/// value fails the query), the ground must have the texts its kind needs.
fn decode(row: Row) -> Result<Statement, StoreError> {
    let ((id, user_id, comment_id, decision, ground_type), g, a, (decided_at, appeal)) = row;
    let (rule, law, explanation, facts, automated_detection) = g;
    let (automated_decision, source, excerpt, actor_id) = a;
    let bad = |what: &str| StoreError::from(Failure::new(format!("statement {id}: no {what}")));
    let ground = match ground_type {
        GroundKind::Rule => Ground::Rule {
            rule: rule.ok_or_else(|| bad("rule"))?,
        },
        GroundKind::Illegal => Ground::Illegal {
            law: law.ok_or_else(|| bad("law"))?,
            explanation: explanation.ok_or_else(|| bad("explanation"))?,
        },
    };
    Ok(Statement {
        id,
        user_id,
        comment: comment_id.map(|c| (c, excerpt.unwrap_or_default())),
        decision,
        ground,
        facts,
        automated_detection,
        automated_decision,
        source,
        actor_id,
        decided_at,
        appeal_status: appeal,
    })
}

/// Inserts `s` (its `id` is ignored) and returns its id.
pub fn insert(conn: &mut DbConnection, s: &Statement) -> Result<i64, StoreError> {
    let (rule, law, explanation) = match &s.ground {
        Ground::Rule { rule } => (Some(rule.as_str()), None, None),
        Ground::Illegal { law, explanation } => {
            (None, Some(law.as_str()), Some(explanation.as_str()))
        }
    };
    let id = super::insert_returning_id!(
        conn,
        diesel::insert_into(statements::table).values((
            (
                statements::user_id.eq(s.user_id),
                statements::comment_id.eq(s.comment.as_ref().map(|c| c.0)),
                statements::decision.eq(s.decision.as_str()),
                statements::ground_type.eq(s.ground.kind().as_str()),
                statements::ground_rule.eq(rule),
                statements::ground_law.eq(law),
                statements::ground_explanation.eq(explanation),
                statements::facts.eq(&s.facts),
            ),
            (
                statements::automated_detection.eq(s.automated_detection),
                statements::automated_decision.eq(s.automated_decision.as_str()),
                statements::source.eq(s.source.as_str()),
                statements::excerpt.eq(s.comment.as_ref().map(|c| c.1.as_str())),
                statements::actor_id.eq(s.actor_id),
                statements::decided_at.eq(s.decided_at),
                statements::appeal_status.eq(s.appeal_status.as_str()),
                statements::mailed.eq(false),
            ),
        )),
        statements::id
    )?;
    Ok(id)
}

pub fn get(conn: &mut DbConnection, id: StatementId) -> Result<Statement, StoreError> {
    let row: Row = statements::table
        .filter(statements::id.eq(id))
        .select(columns!())
        .first(conn)?;
    decode(row)
}

pub fn set_appeal_status(
    conn: &mut DbConnection,
    id: StatementId,
    status: AppealStatus,
) -> Result<(), StoreError> {
    diesel::update(statements::table.filter(statements::id.eq(id)))
        .set(statements::appeal_status.eq(status.as_str()))
        .execute(conn)?;
    Ok(())
}

/// Newest first; the cursor's key is the id of the last statement shown.
pub fn list(
    conn: &mut DbConnection,
    filter: &Filter,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<Statement>, StoreError> {
    let mut query = statements::table
        .select(columns!())
        .order(statements::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(user) = filter.user_id {
        query = query.filter(statements::user_id.eq(user));
    }
    if let Some(d) = filter.decision {
        query = query.filter(statements::decision.eq(d.as_str()));
    }
    if let Some(g) = filter.ground {
        query = query.filter(statements::ground_type.eq(g.as_str()));
    }
    if let Some(rule) = &filter.rule {
        query = query.filter(statements::ground_rule.eq(rule.clone()));
    }
    if let Some(c) = after {
        query = query.filter(statements::id.lt(c.id));
    }
    let rows: Vec<Row> = query.load(conn)?;
    rows.into_iter().map(decode).collect()
}

/// Statements decided in `[from, to)`, oldest first (the transparency report).
pub fn between(conn: &mut DbConnection, from: i64, to: i64) -> Result<Vec<Statement>, StoreError> {
    let rows: Vec<Row> = statements::table
        .filter(statements::decided_at.ge(from))
        .filter(statements::decided_at.lt(to))
        .select(columns!())
        .order(statements::id.asc())
        .load(conn)?;
    rows.into_iter().map(decode).collect()
}

/// Statements whose author has not been told by mail yet, oldest first.
pub fn unmailed(conn: &mut DbConnection, limit: i64) -> Result<Vec<Statement>, StoreError> {
    let rows: Vec<Row> = statements::table
        .filter(statements::mailed.eq(false))
        .select(columns!())
        .order(statements::id.asc())
        .limit(limit)
        .load(conn)?;
    rows.into_iter().map(decode).collect()
}

pub fn mark_mailed(conn: &mut DbConnection, ids: &[i64]) -> Result<(), StoreError> {
    diesel::update(statements::table.filter(statements::id.eq_any(ids)))
        .set(statements::mailed.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Statements decided since `since`, oldest first (the export).
pub fn since(conn: &mut DbConnection, since: i64) -> Result<Vec<Statement>, StoreError> {
    between(conn, since, i64::MAX)
}
