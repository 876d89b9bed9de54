//! The site settings every instance shares. Changes are logged in the
//! transaction that makes them.

use super::ServiceError;
use crate::domain::{FieldError, LogAction, ModerationMode, Settings};
use crate::store::{self, log::Entry, DbConnection};

/// The site settings in force.
pub fn current(conn: &mut DbConnection) -> Result<Settings, ServiceError> {
    Ok(store::settings::load(conn)?)
}

/// The fields an admin may change; absent ones stay.
/// It is the body of `PATCH /admin/settings` as it is: every field is
/// optional and bounded, checked by `apply`.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = SettingsRequest)]
pub struct SettingsPatch {
    pub default_moderation: Option<ModerationMode>,
    #[schema(minimum = 0, maximum = 10080)]
    pub edit_window_minutes: Option<i64>,
    #[schema(minimum = 1, maximum = 1000)]
    pub report_threshold: Option<i64>,
    #[schema(minimum = 0, maximum = 1000)]
    pub trusted_after: Option<i64>,
    #[schema(minimum = 0, maximum = 100)]
    pub max_links: Option<i64>,
    pub auto_create_articles: Option<bool>,
}

fn in_range(field: &str, value: Option<i64>, min: i64, max: i64, problems: &mut Vec<FieldError>) {
    if let Some(v) = value {
        if !(min..=max).contains(&v) {
            problems.push(FieldError::out_of_range(field, min, max));
        }
    }
}

impl SettingsPatch {
    /// The settings with this patch applied, or every out-of-bounds field.
    pub fn apply(&self, current: &Settings) -> Result<(Settings, Vec<&'static str>), ServiceError> {
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
            return Err(ServiceError::Validation(problems));
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
) -> Result<Settings, ServiceError> {
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
            action: LogAction::SettingsChange,
            target_id: None,
            reason: (!reason.is_empty()).then_some(reason.as_str()),
        },
    )?;
    Ok(next)
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
            Err(ServiceError::Validation(p)) => assert_eq!(p.len(), 2),
            other => panic!("{other:?}"),
        }
    }
}
