//! The site's rules, which moderators cite, and the Digital Services Act's settings.

use serde::Deserialize;

/// The site's rules, which moderators cite (see config/default.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModerationConfig {
    pub rules: Vec<RuleConfig>,
}

/// One rule of the site: a stable id, its text in each language, and
/// optionally where the site's terms say it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    pub id: String,
    pub fr: String,
    pub ar: String,
    pub en: String,
    #[serde(default)]
    pub url: Option<String>,
    /// The Transparency Database's statement category of what the rule
    /// forbids (`scope_of_platform_service` when none is given).
    #[serde(default)]
    pub category: Option<String>,
}

impl RuleConfig {
    /// The rule's text in `lang` (`fr`, `ar` or `en`).
    pub fn text(&self, lang: &str) -> &str {
        match lang {
            "ar" => &self.ar,
            "en" => &self.en,
            _ => &self.fr,
        }
    }
}

impl ModerationConfig {
    pub fn rule_ids(&self) -> Vec<&str> {
        self.rules.iter().map(|r| r.id.as_str()).collect()
    }

    pub fn rule(&self, id: &str) -> Option<&RuleConfig> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// The EU Digital Services Act: appeals (see config/default.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DsaConfig {
    pub appeals: bool,
    pub appeal_days: i64,
    pub appeal_by_other_moderator: bool,
    /// Appeals of one author upheld in a row after which more are refused (Art. 23); 0: never.
    pub unfounded_appeals_limit: i64,
}
