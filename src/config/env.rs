//! `TRIBUNE_<SECTION>__<KEY>` environment variables: each names a setting,
//! or stops the command naming the closest one.

use super::{ConfigError, DEFAULTS};

/// `TRIBUNE_` variables that are not settings: read by `tribune` itself, or
/// by the tests and `.ci` scripts, whose servers inherit them.
pub(super) const OTHER_VARIABLES: [&str; 8] = [
    "TRIBUNE_CONFIG",
    "TRIBUNE_ADMIN_PASSWORD",
    "TRIBUNE_TEST_DATABASE_URL",
    "TRIBUNE_BIN",
    "TRIBUNE_CI_POSTGRES_URL",
    "TRIBUNE_ISSO_DB",
    "TRIBUNE_MAIL_DATABASE_URL",
    "TRIBUNE_TEST_REDIS_URL",
];

/// The variable of every setting, with its dotted name
/// (`TRIBUNE_SERVER__BIND`, `server.bind`), read from the compiled-in
/// defaults, which hold every setting: a new section or key is known as
/// soon as it is there. A list is one setting (`a,b` in the variable).
pub(super) fn setting_variables() -> Vec<(String, String)> {
    fn walk(table: &toml::Table, path: &mut Vec<String>, out: &mut Vec<(String, String)>) {
        for (key, value) in table {
            path.push(key.clone());
            match value {
                toml::Value::Table(inner) => walk(inner, path, out),
                _ => out.push((
                    format!("TRIBUNE_{}", path.join("__").to_uppercase()),
                    path.join("."),
                )),
            }
            path.pop();
        }
    }
    let defaults: toml::Table = DEFAULTS.parse().expect("config/default.toml is valid");
    let mut out = Vec::new();
    walk(&defaults, &mut Vec::new(), &mut out);
    out
}

/// The error for a `TRIBUNE_` variable that names nothing: the closest
/// setting's variable, when one is close enough to be a typo of it.
fn unknown_variable(name: &str, settings: &[(String, String)]) -> ConfigError {
    let asked = name.to_uppercase();
    let closest = settings
        .iter()
        .map(|(variable, dotted)| {
            (
                strsim::damerau_levenshtein(&asked, variable),
                variable,
                dotted,
            )
        })
        .min_by_key(|(distance, _, _)| *distance)
        .filter(|(distance, variable, _)| *distance <= 2 + (variable.len() - "TRIBUNE_".len()) / 6);
    ConfigError::Parse(match closest {
        Some((_, variable, dotted)) => {
            format!("{name} names no setting; did you mean {variable} ({dotted})?")
        }
        None => format!(
            "{name} names no setting (settings are TRIBUNE_<SECTION>__<KEY>, see config/default.toml)"
        ),
    })
}

/// `TRIBUNE_SECTION__KEY=value` sets `section.key`, typed like its default.
/// Any other `TRIBUNE_` name is a mistake that would leave a setting at its
/// default unnoticed, and stops the command, unless it is one of
/// `OTHER_VARIABLES`.
pub(super) fn apply_env(
    tree: &mut toml::Table,
    settings: &[(String, String)],
    name: &str,
    value: &str,
) -> Result<(), ConfigError> {
    let Some(rest) = name.strip_prefix("TRIBUNE_") else {
        return Ok(());
    };
    if OTHER_VARIABLES.contains(&name) {
        return Ok(());
    }
    if !settings.iter().any(|(v, _)| v.eq_ignore_ascii_case(name)) {
        return Err(unknown_variable(name, settings));
    }
    let path: Vec<String> = rest.split("__").map(str::to_lowercase).collect();
    let mut slot = None;
    let mut table = Some(tree);
    for key in &path {
        let Some(current) = table.take() else { break };
        match current.get_mut(key) {
            Some(toml::Value::Table(inner)) => table = Some(inner),
            Some(leaf) => slot = Some(leaf),
            None => break,
        }
    }
    // A local file may have made a setting something else: its type wins.
    let Some(slot) = slot else {
        return Err(unknown_variable(name, settings));
    };
    let bad = || ConfigError::Parse(format!("{name}: `{value}` is not a valid value"));
    *slot = match slot {
        toml::Value::String(_) => toml::Value::String(value.to_string()),
        toml::Value::Integer(_) => toml::Value::Integer(value.trim().parse().map_err(|_| bad())?),
        toml::Value::Boolean(_) => toml::Value::Boolean(value.trim().parse().map_err(|_| bad())?),
        toml::Value::Array(_) => toml::Value::Array(
            value
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| toml::Value::String(s.to_string()))
                .collect(),
        ),
        _ => return Err(bad()),
    };
    Ok(())
}
