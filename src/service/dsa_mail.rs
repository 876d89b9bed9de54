//! The Digital Services Act's mails to authors, queued in the outbox:
//! statements of reasons (Art. 17), told by the mail worker after the
//! decision's commit, and appeals' outcomes (Art. 20), queued in the
//! decision's transaction. Notifiers' mails are `service::notices`'.

use super::letters::{self, Letter};
use super::mail::{enqueue, Kind};
use super::ServiceError;
use crate::config::Config;
use crate::domain::UserId;
use crate::store::models::UserRow;
use crate::store::{self, now_ms, Db, DbConnection};
use std::sync::Arc;

/// Statements told per pass.
const STATEMENT_BATCH: i64 = 100;

/// Mails their statement of reasons (DSA Art. 17) to the authors whose
/// address is verified, in their language; says how many were queued.
pub async fn statements(db: &Db, config: &Arc<Config>) -> Result<usize, ServiceError> {
    let waiting = db
        .read_quick(|conn| store::statements::unmailed(conn, 1))
        .await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let config = config.clone();
    db.write(move |conn| mail_statements(conn, &config)).await
}

/// `statements` on one connection (tests, tools).
pub fn mail_statements(conn: &mut DbConnection, config: &Config) -> Result<usize, ServiceError> {
    let batch = store::statements::unmailed(conn, STATEMENT_BATCH)?;
    let mut sent = 0;
    for s in &batch {
        let Some(user) = s
            .user_id
            .map(|id| store::users::find(conn, UserId(id)))
            .transpose()?
            .flatten()
        else {
            continue;
        };
        if user.email_verified_at.is_none() || user.erased_at.is_some() {
            continue;
        }
        let letter = statement_letter(config, &user, s);
        let key = format!("statement:{}", s.id);
        if enqueue(conn, Kind::Statement, &key, &user, &letter, None)? {
            sent += 1;
        }
    }
    let ids: Vec<i64> = batch.iter().map(|s| s.id).collect();
    store::statements::mark_mailed(conn, &ids)?;
    Ok(sent)
}

fn statement_letter(config: &Config, user: &UserRow, s: &crate::domain::dsa::Statement) -> Letter {
    use crate::domain::dsa::{AppealStatus, Ground};
    use crate::i18n::{message, Arg};
    let locale = user.locale;
    let ground = match &s.ground {
        Ground::Rule { rule } => {
            let text = config
                .moderation
                .rule(rule)
                .map_or(rule.as_str(), |r| r.text(locale.as_str()));
            message(
                locale,
                "mail-statement-ground-rule",
                &[("rule", Arg::Str(text))],
            )
        }
        Ground::Illegal { law, explanation } => message(
            locale,
            "mail-statement-ground-illegal",
            &[
                ("law", Arg::Str(law)),
                ("explanation", Arg::Str(explanation)),
            ],
        ),
    };
    let facts = if s.facts.is_empty() {
        message(locale, "dsa-facts-none", &[])
    } else {
        s.facts.clone()
    };
    let deadline = s.appeal_deadline(config.dsa.appeal_days);
    let redress =
        if config.dsa.appeals && s.appeal_status == AppealStatus::None && now_ms() <= deadline {
            let day = crate::domain::time::format(deadline);
            let day = day.get(..10).unwrap_or(&day);
            message(locale, "dsa-redress", &[("date", Arg::Str(day))])
        } else {
            message(locale, "dsa-redress-no-appeal", &[])
        };
    let excerpt = s.comment.as_ref().map(|(_, e)| e.as_str());
    // An excerpt takes the reader's direction: it is their own text.
    let dir = locale.dir();
    letters::statement(
        locale,
        &letters::StatementLetter {
            recipient: user.display_name.as_deref().unwrap_or(&user.username),
            decision: s.decision.as_str(),
            ground,
            facts,
            automated_detection: s.automated_detection,
            automated_decision: s.automated_decision.as_str(),
            redress,
            excerpt: excerpt.map(|e| (e, dir)),
        },
    )
}

/// The outcome of an appeal, to its author when the address is verified;
/// an upheld one that leaves a single unfounded appeal before the limit
/// (`dsa.unfounded_appeals_limit`) carries the warning (Art. 23(2)).
pub fn appeal_decided(
    conn: &mut DbConnection,
    appeal_id: i64,
    author_id: i64,
    reversed: bool,
    reason: Option<&str>,
    unfounded_limit: i64,
) -> Result<(), ServiceError> {
    let Some(user) = store::users::find(conn, UserId(author_id))? else {
        return Ok(());
    };
    if user.email_verified_at.is_none() || user.erased_at.is_some() {
        return Ok(());
    }
    let in_a_row = if unfounded_limit > 0 && !reversed {
        store::appeals::upheld_in_a_row(conn, UserId(author_id))?
    } else {
        0
    };
    let standing = if unfounded_limit > 0 && in_a_row >= unfounded_limit {
        letters::AppealStanding::Suspended
    } else if unfounded_limit > 1 && in_a_row == unfounded_limit - 1 {
        letters::AppealStanding::Warned
    } else {
        letters::AppealStanding::Fine
    };
    let letter = letters::appeal_decided(
        user.locale,
        user.display_name.as_deref().unwrap_or(&user.username),
        reversed,
        reason,
        standing,
    );
    let key = format!("appeal:{appeal_id}:decided");
    enqueue(conn, Kind::Appeal, &key, &user, &letter, None)?;
    Ok(())
}
