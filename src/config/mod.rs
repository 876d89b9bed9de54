//! Settings: `config/default.toml` (compiled in), an optional local file, then
//! `TRIBUNE_<SECTION>__<KEY>` environment variables.

use serde::Deserialize;

mod env;
mod moderation;
mod oidc;
mod sso;

use env::{apply_env, setting_variables};
pub use moderation::{DsaConfig, ModerationConfig, RuleConfig};
pub use oidc::{OidcConfig, OidcProvider};
pub use sso::{SsoConfig, SsoKey, SsoKeyMaterial, DEFAULT_SSO_SITE, MIN_SSO_SECRET_BYTES};
use std::path::Path;

/// The defaults, compiled in so the binary runs from any directory.
const DEFAULTS: &str = include_str!("../../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub i18n: I18nConfig,
    pub auth: AuthConfig,
    pub comments: CommentsConfig,
    pub rate_limit: RateLimitConfig,
    pub cache: CacheConfig,
    pub log: LogConfig,
    pub webhooks: WebhooksConfig,
    pub mail: MailConfig,
    pub retention: RetentionConfig,
    pub articles: ArticlesConfig,
    pub sso: SsoConfig,
    pub oidc: OidcConfig,
    pub backup: BackupConfig,
    pub moderation: ModerationConfig,
    pub dsa: DsaConfig,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticlesConfig {
    /// Sites whose article URLs a page may give (beside `server.embed_origins`).
    pub url_origins: Vec<String>,
}

impl Config {
    /// The sites an article's URL may be on, when no person set it: a page
    /// that names an unknown article, and the links in mails.
    pub fn article_url_origins(&self) -> Vec<String> {
        let mut origins = self.articles.url_origins.clone();
        origins.extend(self.server.embed_origins.iter().cloned());
        origins
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerConfig {
    pub bind: String,
    pub workers: usize,
    pub max_connections: usize,
    pub body_limit: usize,
    /// Seconds a request body may take to arrive, whole (408 after).
    pub body_timeout_seconds: u64,
    /// Request bodies one client address may be sending at once (429 past it).
    pub body_reads_per_address: u32,
    pub trusted_proxies: Vec<String>,
    pub cors_origins: Vec<String>,
    pub shutdown_timeout: u64,
    /// Sites allowed to frame the widget (`frame-ancestors`); empty: any.
    pub embed_origins: Vec<String>,
    /// Serve the demo article at `/demo`.
    pub demo: bool,
    /// Live-thread streams (`GET …/events`) open at once, on this instance.
    pub max_live_clients: usize,
    /// Silence after which a live stream sends a heartbeat, in milliseconds.
    pub live_heartbeat_ms: u64,
    /// Outbox rows a reconnecting stream looks through for what it missed.
    pub live_replay_max: i64,
    /// This server's address as readers reach it, for links in mails.
    pub public_url: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseConfig {
    pub url: String,
    pub pool_size: u32,
    pub connect_timeout: u64,
    pub synchronous: Synchronous,
    pub sqlite_cache_kib: u32,
    pub sqlite_writer_cache_kib: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct I18nConfig {
    pub default_locale: crate::i18n::Locale,
}

/// SQLite's `synchronous`: `normal` keeps every acknowledged write through a
/// crash of the process, `full` also through a power loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Synchronous {
    Normal,
    Full,
}

/// How log lines are written: for people, or for collectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthConfig {
    pub token_lifetime_days: i64,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
    pub hashing_threads: usize,
}

impl AuthConfig {
    /// How long a session lasts, in milliseconds.
    pub fn token_lifetime_ms(&self) -> i64 {
        self.token_lifetime_days * 24 * 60 * 60 * 1000
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommentsConfig {
    pub max_length: usize,
    pub max_depth: i32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateLimitConfig {
    pub enabled: bool,
    pub register_per_address_per_hour: u32,
    pub login_per_address_per_minute: u32,
    pub login_per_account_per_15_minutes: u32,
    pub posts_per_account_per_minute: u32,
    pub reports_per_account_per_minute: u32,
    pub reactions_per_account_per_minute: u32,
    pub requests_per_address_per_second: u32,
    /// Live-thread streams one address opens per minute (reconnections count).
    pub live_streams_per_address_per_minute: u32,
    /// Live-thread streams one address holds open at once.
    pub live_streams_per_address: u32,
    pub reset_per_address_per_hour: u32,
    pub reset_per_account_per_hour: u32,
    /// Articles a page may create on first use, per client address per hour.
    pub articles_created_per_address_per_hour: u32,
    /// Notices of illegal content (no account needed), per client address per hour.
    pub notices_per_address_per_hour: u32,
    /// IPv6 callers are counted by this many leading bits of their address.
    pub ipv6_prefix: u8,
    /// Redis shared by the instances, where every limit is counted; empty: memory.
    pub redis_url: String,
    /// What every key Tribune writes in Redis starts with.
    pub redis_prefix: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CacheConfig {
    pub thread_pages_max_bytes: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogConfig {
    pub format: LogFormat,
    pub level: String,
}

/// Delivery of events to webhook endpoints (see config/default.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhooksConfig {
    pub deliver: bool,
    pub allow_private: bool,
    /// A proxy for deliveries; empty: none (the environment's is ignored).
    pub proxy: String,
    pub timeout_seconds: u64,
    pub retry_base_ms: u64,
    pub retry_max_ms: u64,
    pub retry_for_hours: u64,
    pub disable_after: i64,
    pub poll_ms: u64,
    pub batch: i64,
    pub in_flight: usize,
}

/// Mail: the SMTP server (or the log), links, token lifetimes, retries
/// (see config/default.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailConfig {
    pub deliver: bool,
    pub smtp_url: String,
    pub from: String,
    pub moderator_digest_minutes: u64,
    pub verify_token_hours: u64,
    pub reset_token_seconds: u64,
    pub timeout_seconds: u64,
    pub retry_base_ms: u64,
    pub retry_max_ms: u64,
    pub retry_for_hours: u64,
    pub poll_ms: u64,
    pub batch: i64,
}

/// Pruning of the outbox tables (see config/default.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetentionConfig {
    pub interval_seconds: u64,
    pub events_days: u64,
    pub attempts_days: u64,
    pub mails_days: u64,
    pub tokens_days: u64,
}

/// Scheduled backups of a SQLite database (see config/default.toml); off
/// while `dir` is empty.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BackupConfig {
    pub dir: String,
    pub interval_hours: u64,
    pub keep: usize,
}

impl BackupConfig {
    /// The folder copies go to, when scheduled backups are on.
    pub fn dir(&self) -> Option<&Path> {
        Some(self.dir.trim())
            .filter(|d| !d.is_empty())
            .map(Path::new)
    }
}

impl MailConfig {
    /// The SMTP URL, or `None` when mails go to the log.
    pub fn smtp(&self) -> Option<&str> {
        Some(self.smtp_url.trim()).filter(|u| !u.is_empty())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Parse(String),
}

impl Config {
    /// The compiled-in defaults alone (tests start from these).
    pub fn defaults() -> Config {
        toml::from_str(DEFAULTS).expect("config/default.toml is valid")
    }

    /// Defaults, then the local file, then the process environment.
    pub fn load() -> Result<Config, ConfigError> {
        let local = std::env::var("TRIBUNE_CONFIG").ok().or_else(|| {
            Path::new("config/local.toml")
                .exists()
                .then(|| "config/local.toml".into())
        });
        Self::load_from(local.as_deref(), std::env::vars())
    }

    pub fn load_from(
        local_file: Option<&str>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Config, ConfigError> {
        let mut tree: toml::Table = DEFAULTS.parse().expect("config/default.toml is valid");
        if let Some(path) = local_file {
            let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                path: path.to_string(),
                source,
            })?;
            let local: toml::Table = text
                .parse()
                .map_err(|e| ConfigError::Parse(format!("{path}: {e}")))?;
            merge(&mut tree, local, path)?;
        }
        let settings = setting_variables();
        for (name, value) in env {
            apply_env(&mut tree, &settings, &name, &value)?;
        }
        let config: Config = toml::Value::Table(tree)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Parse(e.to_string()))?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), ConfigError> {
        let fail = |m: &str| Err(ConfigError::Parse(m.to_string()));
        for proxy in &self.server.trusted_proxies {
            if proxy.parse::<std::net::IpAddr>().is_err() {
                return fail("server.trusted_proxies must list IP addresses");
            }
        }
        for origin in &self.server.embed_origins {
            // Each goes into a CSP header: an origin, nothing that could end the directive.
            let ok = (origin.starts_with("https://") || origin.starts_with("http://"))
                && !origin.contains([';', ',', ' ', '\'', '"']);
            if !ok {
                return fail(
                    "server.embed_origins must list origins such as https://www.example.ma",
                );
            }
        }
        let w = &self.webhooks;
        if w.timeout_seconds == 0
            || w.retry_base_ms == 0
            || w.poll_ms == 0
            || w.batch < 1
            || w.in_flight == 0
        {
            return fail(
                "webhooks: timeout_seconds, retry_base_ms, poll_ms, batch and in_flight must be at least 1",
            );
        }
        if w.retry_max_ms < w.retry_base_ms || w.disable_after < 1 {
            return fail(
                "webhooks.retry_max_ms must be at least retry_base_ms, disable_after at least 1",
            );
        }
        if self.server.live_heartbeat_ms < 100 || self.server.live_replay_max < 1 {
            return fail(
                "server.live_heartbeat_ms must be at least 100, live_replay_max at least 1",
            );
        }
        let m = &self.mail;
        if m.timeout_seconds == 0 || m.retry_base_ms == 0 || m.poll_ms == 0 || m.batch < 1 {
            return fail(
                "mail: timeout_seconds, retry_base_ms, poll_ms and batch must be at least 1",
            );
        }
        if m.retry_max_ms < m.retry_base_ms || m.reset_token_seconds == 0 {
            return fail(
                "mail.retry_max_ms must be at least retry_base_ms, reset_token_seconds at least 1",
            );
        }
        if m.from.parse::<lettre::message::Mailbox>().is_err() {
            return fail("mail.from must be an address, e.g. \"Tribune <comments@example.ma>\"");
        }
        if let Some(url) = m.smtp() {
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                return fail("mail.smtp_url must start with smtp:// or smtps://");
            }
        }
        let public = url::Url::parse(&self.server.public_url);
        if !public.is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host()) {
            return fail(
                "server.public_url must be an http(s) address, e.g. https://comments.example.ma",
            );
        }
        if self.retention.interval_seconds == 0 {
            return fail("retention.interval_seconds must be at least 1");
        }
        if self.backup.interval_hours == 0 || self.backup.keep == 0 {
            return fail("backup.interval_hours and backup.keep must be at least 1");
        }
        if self.dsa.appeal_days < 1 || self.dsa.unfounded_appeals_limit < 0 {
            return fail("dsa.appeal_days must be at least 1, unfounded_appeals_limit at least 0");
        }
        let ids = self.moderation.rule_ids();
        let well_named = |id: &&str| {
            !id.is_empty()
                && id.len() <= 64
                && id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        };
        if !ids.iter().all(well_named)
            || ids.iter().enumerate().any(|(i, id)| ids[..i].contains(id))
            || !ids.contains(&crate::domain::dsa::Ground::DEFAULT_RULE)
        {
            return fail(
                "moderation.rules: ids must be distinct, in lower snake case, and include `abusive`",
            );
        }
        if !self.moderation.rules.iter().all(|r| {
            r.category
                .as_deref()
                .is_none_or(|c| crate::domain::dsa::NoticeCategory::parse(c).is_some())
        }) {
            return fail(&format!(
                "moderation.rules: a rule's category is one of {}",
                crate::domain::dsa::NoticeCategory::choices()
            ));
        }
        if self.database.pool_size == 0 {
            return fail("database.pool_size must be at least 1");
        }
        self.check_sso()?;
        self.check_oidc()
    }
}

/// Overlays a local file: only keys that exist in the defaults are accepted.
fn merge(base: &mut toml::Table, over: toml::Table, origin: &str) -> Result<(), ConfigError> {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o, origin)?,
            (Some(slot), v) => *slot = v,
            (None, _) => {
                return Err(ConfigError::Parse(format!(
                    "{origin}: unknown setting `{key}`"
                )))
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::env::OTHER_VARIABLES;
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_parse() {
        let c = Config::defaults();
        assert_eq!(c.server.bind, "127.0.0.1:8080");
        assert_eq!(c.database.url, "sqlite://data/tribune.db");
        assert_eq!(c.server.body_limit, 65536);
    }

    #[test]
    fn environment_overrides_typed_settings() {
        let c = Config::load_from(
            None,
            env(&[
                ("TRIBUNE_DATABASE__URL", "sqlite:///tmp/x.db"),
                ("TRIBUNE_SERVER__BIND", "0.0.0.0:9000"),
                ("TRIBUNE_RATE_LIMIT__ENABLED", "false"),
                ("TRIBUNE_AUTH__ARGON2_MEMORY_KIB", "64"),
                ("TRIBUNE_SERVER__TRUSTED_PROXIES", "10.0.0.1, 10.0.0.2"),
            ]),
        )
        .unwrap();
        assert_eq!(c.database.url, "sqlite:///tmp/x.db");
        assert_eq!(c.server.bind, "0.0.0.0:9000");
        assert!(!c.rate_limit.enabled);
        assert_eq!(c.auth.argon2_memory_kib, 64);
        assert_eq!(c.server.trusted_proxies, vec!["10.0.0.1", "10.0.0.2"]);
    }

    #[test]
    fn variables_that_are_not_settings_are_known() {
        let c = Config::load_from(
            None,
            env(&[
                ("TRIBUNE_ADMIN_PASSWORD", "secret"),
                ("TRIBUNE_CONFIG", "/nowhere.toml"),
                ("TRIBUNE_TEST_DATABASE_URL", "postgres://x"),
                ("TRIBUNE_BIN", "/usr/bin/tribune"),
                ("TRIBUNE_CI_POSTGRES_URL", "postgres://x"),
                ("TRIBUNE_ISSO_DB", "/tmp/comments.db"),
                ("TRIBUNE_MAIL_DATABASE_URL", "postgres://x"),
                ("OTHER_SERVER__BIND", "1"),
            ]),
        )
        .unwrap();
        assert_eq!(c.database.url, "sqlite://data/tribune.db");
    }

    fn refusal(name: &str) -> String {
        match Config::load_from(None, env(&[(name, "1")])) {
            Err(ConfigError::Parse(message)) => message,
            other => panic!("{name} accepted: {other:?}"),
        }
    }

    #[test]
    fn a_variable_that_names_no_setting_is_refused_with_the_closest_one() {
        for typo in [
            "TRIBUNE_SERVER__BINDD",
            "TRIBUNE_SERVR__BIND",
            "TRIBUNE_SERVER_BIND",
            "TRIBUNE_SERVER__BIN",
        ] {
            assert_eq!(
                refusal(typo),
                format!(
                    "{typo} names no setting; did you mean TRIBUNE_SERVER__BIND (server.bind)?"
                )
            );
        }
        assert!(refusal("TRIBUNE_RATE_LIMITS__ENABLED")
            .ends_with("did you mean TRIBUNE_RATE_LIMIT__ENABLED (rate_limit.enabled)?"));
        // A list is one setting: its variable, not one per item.
        assert!(refusal("TRIBUNE_SERVER__CORS_ORIGIN")
            .ends_with("did you mean TRIBUNE_SERVER__CORS_ORIGINS (server.cors_origins)?"));
        assert!(refusal("TRIBUNE_SERVER__CORS_ORIGINS__0").contains("names no setting"));
        // A section is not a setting.
        assert!(refusal("TRIBUNE_SERVER").starts_with("TRIBUNE_SERVER names no setting"));
        let far = refusal("TRIBUNE_NOPE__NOTHING");
        assert!(
            far.starts_with("TRIBUNE_NOPE__NOTHING names no setting ("),
            "{far}"
        );
        assert!(!far.contains("did you mean"), "{far}");
        assert_eq!(far.lines().count(), 1);
    }

    #[test]
    fn every_setting_of_the_defaults_has_its_variable() {
        let settings = setting_variables();
        let names: Vec<&str> = settings.iter().map(|(v, _)| v.as_str()).collect();
        for name in [
            "TRIBUNE_SERVER__BIND",
            "TRIBUNE_DATABASE__URL",
            "TRIBUNE_RATE_LIMIT__ENABLED",
            "TRIBUNE_SERVER__TRUSTED_PROXIES",
            "TRIBUNE_RETENTION__TOKENS_DAYS",
        ] {
            assert!(names.contains(&name), "{name}");
        }
        // Each one settable: its own default given back is accepted.
        let defaults: toml::Value = toml::Value::Table(DEFAULTS.parse().unwrap());
        for (variable, dotted) in &settings {
            assert!(!OTHER_VARIABLES.contains(&variable.as_str()), "{variable}");
            let default = dotted.split('.').fold(&defaults, |v, key| &v[key]);
            // A list of tables (the site's rules) has no one-line form.
            if let toml::Value::Array(items) = default {
                if items.iter().any(toml::Value::is_table) {
                    continue;
                }
            }
            let value = match default {
                toml::Value::String(s) => s.clone(),
                toml::Value::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            Config::load_from(None, env(&[(variable, &value)]))
                .unwrap_or_else(|e| panic!("{variable}={value}: {e}"));
        }
    }

    #[test]
    fn the_site_rules_default_to_the_seed_promises_and_a_local_file_replaces_them() {
        let c = Config::defaults();
        assert_eq!(
            c.moderation.rule_ids(),
            vec!["abusive", "off_topic", "spam"]
        );
        assert_eq!(
            c.moderation.rule("off_topic").map(|r| r.text("en")),
            Some("Comments unrelated to the article are removed.")
        );
        assert!(c.dsa.appeals && c.dsa.appeal_by_other_moderator);
        assert_eq!(c.dsa.appeal_days, 183);

        let dir = std::env::temp_dir().join(format!("tribune-rules-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, text: &str| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path.to_string_lossy().into_owned()
        };
        let own = write(
            "own.toml",
            "[[moderation.rules]]\nid = \"abusive\"\nfr = \"a\"\nar = \"b\"\nen = \"c\"\n\
             url = \"https://example.ma/charte\"\n",
        );
        let c = Config::load_from(Some(&own), env(&[])).unwrap();
        assert_eq!(c.moderation.rule_ids(), vec!["abusive"]);
        assert_eq!(
            c.moderation.rule("abusive").and_then(|r| r.url.as_deref()),
            Some("https://example.ma/charte")
        );
        for bad in [
            // `abusive`, the default ground, must stay.
            "[[moderation.rules]]\nid = \"spam\"\nfr = \"a\"\nar = \"b\"\nen = \"c\"\n",
            // Ids are lower snake case.
            "[[moderation.rules]]\nid = \"abusive\"\nfr = \"a\"\nar = \"b\"\nen = \"c\"\n\
             [[moderation.rules]]\nid = \"Hors Sujet\"\nfr = \"a\"\nar = \"b\"\nen = \"c\"\n",
            // A rule needs its three texts.
            "[[moderation.rules]]\nid = \"abusive\"\nfr = \"a\"\n",
            "[dsa]\nappeal_days = 0\n",
        ] {
            let path = write("bad.toml", bad);
            assert!(Config::load_from(Some(&path), env(&[])).is_err(), "{bad}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn mail_settings_are_checked() {
        let ok = Config::load_from(
            None,
            env(&[
                (
                    "TRIBUNE_MAIL__SMTP_URL",
                    "smtps://user:pw@smtp.example.ma:465",
                ),
                ("TRIBUNE_MAIL__FROM", "Journal <commentaires@example.ma>"),
                (
                    "TRIBUNE_SERVER__PUBLIC_URL",
                    "https://commentaires.example.ma",
                ),
            ]),
        )
        .unwrap();
        assert_eq!(ok.mail.smtp(), Some("smtps://user:pw@smtp.example.ma:465"));
        assert_eq!(Config::defaults().mail.smtp(), None, "the log by default");
        for (name, value) in [
            ("TRIBUNE_MAIL__SMTP_URL", "http://smtp.example.ma"),
            ("TRIBUNE_MAIL__FROM", "not an address"),
            ("TRIBUNE_SERVER__PUBLIC_URL", "comments.example.ma"),
            ("TRIBUNE_MAIL__RESET_TOKEN_SECONDS", "0"),
        ] {
            assert!(
                Config::load_from(None, env(&[(name, value)])).is_err(),
                "{name}={value}"
            );
        }
    }

    #[test]
    fn sso_keys_come_from_the_environment_too() {
        let secret = "s".repeat(32);
        let c = Config::load_from(
            None,
            env(&[
                ("TRIBUNE_SSO__ENABLED", "true"),
                (
                    "TRIBUNE_SSO__KEYS",
                    &format!("k1={secret}, k2=-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"),
                ),
            ]),
        )
        .unwrap();
        assert_eq!(c.sso.keys.len(), 2);
        assert_eq!(c.sso.keys[0].kid, "k1");
        assert!(matches!(&c.sso.keys[0].material, SsoKeyMaterial::Secret(s) if *s == secret));
        assert!(matches!(
            c.sso.keys[1].material,
            SsoKeyMaterial::PublicKeyPem(_)
        ));
        assert_eq!(c.sso.keys[1].site, DEFAULT_SSO_SITE);
        // The secret never shows in a debug dump.
        assert!(!format!("{:?}", c.sso).contains(&secret));
        for pairs in [
            vec![("TRIBUNE_SSO__ENABLED", "true")],
            vec![("TRIBUNE_SSO__KEYS", "k1=short")],
            vec![("TRIBUNE_SSO__KEYS", "no-equals-sign")],
            vec![("TRIBUNE_SSO__ONLY", "true")],
            vec![("TRIBUNE_SSO__LOGIN_URL", "javascript:alert(1)")],
        ] {
            assert!(Config::load_from(None, env(&pairs)).is_err(), "{pairs:?}");
        }
    }

    #[test]
    fn oidc_providers_come_from_a_file_or_the_environment() {
        assert!(Config::defaults().oidc.providers.is_empty());
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("local.toml");
        std::fs::write(
            &file,
            "[[oidc.providers]]\nid = \"kc\"\nname = \"Le Journal\"\n\
             issuer = \"https://sso.example.ma/realms/r\"\nclient_id = \"tribune\"\n\
             client_secret = \"s3cret-value\"\n",
        )
        .unwrap();
        let c = Config::load_from(file.to_str(), env(&[])).unwrap();
        assert_eq!(c.oidc.providers.len(), 1);
        assert_eq!(c.oidc.provider("kc").unwrap().name, "Le Journal");
        assert!(c.oidc.provider("other").is_none());
        // The secret never shows in a debug dump.
        assert!(!format!("{:?}", c.oidc).contains("s3cret-value"));

        let c = Config::load_from(
            None,
            env(&[(
                "TRIBUNE_OIDC__PROVIDERS",
                "google|Google|https://accounts.google.com|id1|sec1, kc|Le Journal|https://sso.example.ma/|id2|sec2",
            )]),
        )
        .unwrap();
        let p = &c.oidc.providers;
        assert_eq!((p[0].id.as_str(), p[0].name.as_str()), ("google", "Google"));
        assert_eq!(p[1].issuer, "https://sso.example.ma/");
        assert_eq!(
            (p[1].client_id.as_str(), p[1].client_secret.as_str()),
            ("id2", "sec2")
        );

        for bad in [
            "a|b|https://i.example",
            "Upper|x|https://i.example|c|s",
            "a|x|ftp://i.example|c|s",
            "a|x|https://i.example||s",
            "a|x|https://i.example|c|",
            "a||https://i.example|c|s",
            "a|x|https://i.example|c|s,a|y|https://i.example|c|s",
        ] {
            let pairs = [("TRIBUNE_OIDC__PROVIDERS", bad)];
            assert!(Config::load_from(None, env(&pairs)).is_err(), "{bad}");
        }
    }

    #[test]
    fn badly_typed_variable_is_an_error() {
        let err = Config::load_from(None, env(&[("TRIBUNE_SERVER__WORKERS", "many")]));
        assert!(err.is_err());
        let err = Config::load_from(None, env(&[("TRIBUNE_LOG__FORMAT", "xml")]));
        assert!(err.is_err());
    }
}
