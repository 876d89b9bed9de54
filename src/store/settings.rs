//! The admin settings: one row, read by every instance on every use.

use super::models::SettingsRow;
use super::schema::settings;
use super::StoreError;
use super::{on_backend, DbConnection};
use crate::domain::Settings;
use diesel::prelude::*;

pub fn load(conn: &mut DbConnection) -> Result<Settings, StoreError> {
    // Built in each arm: `as_select` is typed by the backend.
    let row: SettingsRow = on_backend!(conn, |c| settings::table
        .find(1)
        .select(SettingsRow::as_select())
        .first(c))?;
    Ok(settings_of(row))
}

/// `load` and the word lists' version (`words::version`) in one statement:
/// what screening a comment reads of the row.
pub fn load_with_words_version(conn: &mut DbConnection) -> Result<(Settings, i64), StoreError> {
    let (row, version): (SettingsRow, i64) = on_backend!(conn, |c| settings::table
        .find(1)
        .select((SettingsRow::as_select(), settings::words_version))
        .first(c))?;
    Ok((settings_of(row), version))
}

fn settings_of(row: SettingsRow) -> Settings {
    Settings {
        default_moderation: row.default_moderation,
        edit_window_minutes: row.edit_window_minutes,
        report_threshold: row.report_threshold,
        trusted_after: row.trusted_after,
        max_links: row.max_links,
        auto_create_articles: row.auto_create_articles,
    }
}

pub fn save(conn: &mut DbConnection, s: &Settings) -> Result<(), StoreError> {
    diesel::update(settings::table.find(1))
        .set(SettingsRow {
            default_moderation: s.default_moderation,
            edit_window_minutes: s.edit_window_minutes,
            report_threshold: s.report_threshold,
            trusted_after: s.trusted_after,
            max_links: s.max_links,
            auto_create_articles: s.auto_create_articles,
        })
        .execute(conn)?;
    Ok(())
}
