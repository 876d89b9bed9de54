//! The transparency report (DSA Art. 15 and 24): the figures of a period,
//! counted from the statements of reasons and the appeals.

use super::ServiceError;
use crate::domain::dsa::{AppealStatus, Ground, Source};
use crate::store::{self, DbConnection};
use std::collections::BTreeMap;

/// Decisions of the period.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct DecisionFigures {
    pub total: i64,
    /// `removed`, `restricted`, `account_suspended`.
    pub by_decision: BTreeMap<String, i64>,
    /// `rule`, `illegal`.
    pub by_ground: BTreeMap<String, i64>,
    /// The site's rules cited, by id.
    pub by_rule: BTreeMap<String, i64>,
    /// Decisions whose content automated means detected.
    pub automated_detection: i64,
    /// `fully`, `partially`, `not`.
    pub by_automated_decision: BTreeMap<String, i64>,
    /// `notice`, `trusted_flagger`, `own_initiative`, `report`.
    pub by_source: BTreeMap<String, i64>,
}

/// Appeals filed in the period.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct AppealFigures {
    pub total: i64,
    pub open: i64,
    pub upheld: i64,
    pub reversed: i64,
    /// Median hours from filing to decision; `null` when none was decided.
    #[schema(required = true)]
    pub median_hours: Option<f64>,
}

/// Notices of illegal content received in the period (Art. 15(1)(b)).
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct NoticeFigures {
    pub total: i64,
    /// By the Transparency Database's statement category.
    pub by_category: BTreeMap<String, i64>,
    /// `notice`, `trusted_flagger`.
    pub by_source: BTreeMap<String, i64>,
    /// Notices settled by a decision on their comment.
    pub decided: i64,
    /// Median hours from notice to decision; `null` when none was decided.
    #[schema(required = true)]
    pub median_hours: Option<f64>,
}

#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Report {
    pub notices: NoticeFigures,
    pub decisions: DecisionFigures,
    pub appeals: AppealFigures,
    /// Accounts suspended (bans) in the period.
    pub suspensions: i64,
}

/// The median of `values` (sorted here); `None` when empty.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

/// The figures of `[from, to)` (milliseconds).
pub fn report(conn: &mut DbConnection, from: i64, to: i64) -> Result<Report, ServiceError> {
    let mut r = Report::default();
    for s in store::statements::between(conn, from, to)? {
        let d = &mut r.decisions;
        d.total += 1;
        *d.by_decision.entry(s.decision.as_str().into()).or_default() += 1;
        *d.by_ground
            .entry(s.ground.kind().as_str().into())
            .or_default() += 1;
        if let Ground::Rule { rule } = &s.ground {
            *d.by_rule.entry(rule.clone()).or_default() += 1;
        }
        d.automated_detection += i64::from(s.automated_detection);
        *d.by_automated_decision
            .entry(s.automated_decision.as_str().into())
            .or_default() += 1;
        *d.by_source.entry(s.source.as_str().into()).or_default() += 1;
        if s.decision == crate::domain::dsa::Decision::AccountSuspended {
            r.suspensions += 1;
        }
    }
    let mut notice_hours = Vec::new();
    for n in store::notices::between(conn, from, to)? {
        let f = &mut r.notices;
        f.total += 1;
        *f.by_category.entry(n.category.as_str().into()).or_default() += 1;
        let source = if n.trusted {
            Source::TrustedFlagger
        } else {
            Source::Notice
        };
        *f.by_source.entry(source.as_str().into()).or_default() += 1;
        if let Some(decided) = n.decided_at {
            f.decided += 1;
            notice_hours.push((decided - n.created_at) as f64 / 3_600_000.0);
        }
    }
    r.notices.median_hours = median(notice_hours);
    let mut hours = Vec::new();
    for a in store::appeals::filed_between(conn, from, to)? {
        r.appeals.total += 1;
        match a.status {
            AppealStatus::Open | AppealStatus::None => r.appeals.open += 1,
            AppealStatus::Upheld => r.appeals.upheld += 1,
            AppealStatus::Reversed => r.appeals.reversed += 1,
        }
        if let Some(decided) = a.decided_at {
            hours.push((decided - a.created_at) as f64 / 3_600_000.0);
        }
    }
    r.appeals.median_hours = median(hours);
    Ok(r)
}

/// The report as CSV: one `section,key,value` line per figure.
pub fn csv(r: &Report) -> String {
    let mut out = String::from("section,key,value\n");
    let mut line = |section: &str, key: &str, value: String| {
        out.push_str(&format!("{section},{key},{value}\n"));
    };
    let n = &r.notices;
    line("notices", "total", n.total.to_string());
    for (section, map) in [
        ("notice_category", &n.by_category),
        ("notice_source", &n.by_source),
    ] {
        for (k, v) in map {
            line(section, k, v.to_string());
        }
    }
    line("notices", "decided", n.decided.to_string());
    line(
        "notices",
        "median_hours",
        n.median_hours
            .map(|h| format!("{h:.2}"))
            .unwrap_or_default(),
    );
    let d = &r.decisions;
    line("decisions", "total", d.total.to_string());
    for (section, map) in [
        ("decision", &d.by_decision),
        ("ground", &d.by_ground),
        ("rule", &d.by_rule),
        ("automated_decision", &d.by_automated_decision),
        ("source", &d.by_source),
    ] {
        for (k, v) in map {
            line(section, k, v.to_string());
        }
    }
    line(
        "decisions",
        "automated_detection",
        d.automated_detection.to_string(),
    );
    let a = &r.appeals;
    line("appeals", "total", a.total.to_string());
    line("appeals", "open", a.open.to_string());
    line("appeals", "upheld", a.upheld.to_string());
    line("appeals", "reversed", a.reversed.to_string());
    line(
        "appeals",
        "median_hours",
        a.median_hours
            .map(|h| format!("{h:.2}"))
            .unwrap_or_default(),
    );
    line("suspensions", "total", r.suspensions.to_string());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_odd_and_even_counts() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
