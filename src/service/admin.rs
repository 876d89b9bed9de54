//! Administration: site settings, word lists, statistics. Changes are logged
//! in the transaction that makes them.

use crate::domain::{CommentStatus, ModerationMode, Settings};
use crate::error::{ApiError, FieldError, MsgArg};
use crate::store::models::WordRow;
use crate::store::{self, log::Entry, now_ms, DbConnection};
use crate::text::{self, WordKind};

/// The fields an admin may change; absent ones stay.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    pub default_moderation: Option<ModerationMode>,
    pub edit_window_minutes: Option<i64>,
    pub report_threshold: Option<i64>,
    pub trusted_after: Option<i64>,
    pub max_links: Option<i64>,
    pub auto_create_articles: Option<bool>,
}

fn in_range(field: &str, value: Option<i64>, min: i64, max: i64, problems: &mut Vec<FieldError>) {
    if let Some(v) = value {
        if !(min..=max).contains(&v) {
            problems.push(
                FieldError::new(field, "validation-out-of-range")
                    .with("min", MsgArg::Num(min))
                    .with("max", MsgArg::Num(max)),
            );
        }
    }
}

impl SettingsPatch {
    /// The settings with this patch applied, or every out-of-bounds field.
    pub fn apply(&self, current: &Settings) -> Result<(Settings, Vec<&'static str>), ApiError> {
        let mut problems = Vec::new();
        in_range(
            "edit_window_minutes",
            self.edit_window_minutes,
            0,
            10_080,
            &mut problems,
        );
        in_range(
            "report_threshold",
            self.report_threshold,
            1,
            1_000,
            &mut problems,
        );
        in_range("trusted_after", self.trusted_after, 0, 1_000, &mut problems);
        in_range("max_links", self.max_links, 0, 100, &mut problems);
        if !problems.is_empty() {
            return Err(ApiError::Validation(problems));
        }
        let mut next = current.clone();
        let mut changed = Vec::new();
        macro_rules! set {
            ($field:ident) => {
                if let Some(v) = self.$field {
                    if next.$field != v {
                        changed.push(stringify!($field));
                    }
                    next.$field = v;
                }
            };
        }
        set!(default_moderation);
        set!(edit_window_minutes);
        set!(report_threshold);
        set!(trusted_after);
        set!(max_links);
        set!(auto_create_articles);
        Ok((next, changed))
    }
}

pub fn update_settings(
    conn: &mut DbConnection,
    actor_id: i64,
    patch: &SettingsPatch,
) -> Result<Settings, ApiError> {
    let current = store::settings::load(conn)?;
    let (next, changed) = patch.apply(&current)?;
    store::settings::save(conn, &next)?;
    if changed.contains(&"default_moderation") {
        // Every thread page shows the mode in force.
        store::articles::touch_all(conn)?;
    }
    let reason = changed.join(",");
    store::log::append(
        conn,
        Entry {
            actor_id,
            action: "settings_change",
            target_type: "settings",
            target_id: None,
            reason: (!reason.is_empty()).then_some(reason.as_str()),
        },
    )?;
    Ok(next)
}

pub fn add_word(
    conn: &mut DbConnection,
    actor_id: i64,
    pattern: &str,
    kind: WordKind,
) -> Result<WordRow, ApiError> {
    let pattern = text::normalize_line(pattern);
    if pattern.chars().count() > 100 {
        return Err(ApiError::Validation(vec![FieldError::new(
            "pattern",
            "validation-too-long",
        )
        .with("max", MsgArg::Num(100))]));
    }
    let folded = text::fold_pattern(&pattern)
        .ok_or_else(|| ApiError::field("pattern", "validation-invalid-format"))?;
    let word = store::words::insert(conn, &pattern, &folded, kind, now_ms())?;
    log_word(conn, actor_id, "word_add", word.id, &word.pattern)?;
    Ok(word)
}

/// Adds every starter word the lists lack, each logged as the admin's
/// `word_add`. Returns (added, already there).
pub fn load_starter(conn: &mut DbConnection, actor_id: i64) -> Result<(usize, usize), ApiError> {
    let (mut added, mut present) = (0, 0);
    for (kind, pattern) in crate::moderation::starter::starter_words() {
        match add_word(conn, actor_id, pattern, kind) {
            Ok(_) => added += 1,
            Err(ApiError::Conflict(_)) => present += 1,
            Err(e) => return Err(e),
        }
    }
    Ok((added, present))
}

pub fn remove_word(conn: &mut DbConnection, actor_id: i64, id: i64) -> Result<(), ApiError> {
    let word = store::words::find(conn, id)?.ok_or(ApiError::NotFound)?;
    store::words::delete(conn, id)?;
    log_word(conn, actor_id, "word_remove", id, &word.pattern)
}

fn log_word(
    conn: &mut DbConnection,
    actor_id: i64,
    action: &str,
    id: i64,
    pattern: &str,
) -> Result<(), ApiError> {
    store::log::append(
        conn,
        Entry {
            actor_id,
            action,
            target_type: "word",
            target_id: Some(id.to_string()),
            reason: Some(pattern),
        },
    )
}

/// The figures of GET /admin/stats.
pub struct Stats {
    pub comments: [(CommentStatus, i64); 4],
    pub users_total: i64,
    pub users_banned: i64,
    pub articles: i64,
    pub comments_24h: i64,
    pub reports_24h: i64,
}

pub fn stats(conn: &mut DbConnection) -> Result<Stats, ApiError> {
    let now = now_ms();
    let day_ago = now - 24 * 60 * 60 * 1000;
    let mut count = |s| store::comments::count_by_status(conn, s);
    let comments = [
        (CommentStatus::Approved, count(CommentStatus::Approved)?),
        (CommentStatus::Pending, count(CommentStatus::Pending)?),
        (CommentStatus::Rejected, count(CommentStatus::Rejected)?),
        (CommentStatus::Deleted, count(CommentStatus::Deleted)?),
    ];
    let (users_total, users_banned) = store::users::counts(conn, now)?;
    Ok(Stats {
        comments,
        users_total,
        users_banned,
        articles: store::articles::count(conn)?,
        comments_24h: store::comments::count_since(conn, day_ago)?,
        reports_24h: store::reports::count_since(conn, day_ago)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_patch_validates_and_names_what_changed() {
        let current = Settings::default();
        let patch = SettingsPatch {
            report_threshold: Some(5),
            max_links: Some(2),
            ..Default::default()
        };
        let (next, changed) = patch.apply(&current).unwrap();
        assert_eq!(next.report_threshold, 5);
        assert_eq!(changed, vec!["report_threshold"]);
        let bad = SettingsPatch {
            report_threshold: Some(0),
            edit_window_minutes: Some(-1),
            ..Default::default()
        };
        match bad.apply(&current) {
            Err(ApiError::Validation(p)) => assert_eq!(p.len(), 2),
            other => panic!("{other:?}"),
        }
    }
}
