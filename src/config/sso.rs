//! `[sso]`: sign-in by the site's own accounts, its keys and their forms.

use super::{Config, ConfigError};
use serde::Deserialize;

/// Sign-in by the site's own accounts: signed tokens (docs/sso.md).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoConfig {
    pub enabled: bool,
    pub keys: Vec<SsoKey>,
    /// When set, `iss` must be this, and it names the site of identities.
    pub issuer: String,
    /// When set, `aud` must be (or contain) this.
    pub audience: String,
    pub max_age_seconds: i64,
    /// Believe the token's `role` claim.
    pub trust_roles: bool,
    pub login_url: String,
    pub logout_url: String,
    /// Readers sign in only through the site; staff keep their passwords.
    pub only: bool,
}

impl SsoConfig {
    pub fn login_url(&self) -> Option<&str> {
        Some(self.login_url.trim()).filter(|u| !u.is_empty())
    }

    pub fn logout_url(&self) -> Option<&str> {
        Some(self.logout_url.trim()).filter(|u| !u.is_empty())
    }

    /// Readers may not register or sign in with a password.
    pub fn readers_only_through_site(&self) -> bool {
        self.enabled && self.only
    }
}

/// One key that signs the site's tokens, named by the token's `kid`.
#[derive(Clone, Deserialize)]
#[serde(try_from = "SsoKeyForm")]
pub struct SsoKey {
    pub kid: String,
    /// Which site's readers this key speaks for: identities are (site, sub).
    /// Keys that replace one another share it, so rotation keeps identities.
    pub site: String,
    pub material: SsoKeyMaterial,
}

#[derive(Clone)]
pub enum SsoKeyMaterial {
    /// HS256, a secret of at least 32 bytes.
    Secret(String),
    /// EdDSA (Ed25519) or ES256 (P-256), a PEM public key.
    PublicKeyPem(String),
}

/// Keys are secrets: never printed, even in a debug dump of the settings.
impl std::fmt::Debug for SsoKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.material {
            SsoKeyMaterial::Secret(_) => "secret",
            SsoKeyMaterial::PublicKeyPem(_) => "public_key_pem",
        };
        f.debug_struct("SsoKey")
            .field("kid", &self.kid)
            .field("site", &self.site)
            .field("kind", &kind)
            .finish()
    }
}

/// A key as written: a table in a file, or `kid=secret` / `kid=-----BEGIN
/// PUBLIC KEY-----…` in `TRIBUNE_SSO__KEYS` (comma-separated).
#[derive(Deserialize)]
#[serde(untagged)]
enum SsoKeyForm {
    Table(SsoKeyTable),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SsoKeyTable {
    kid: String,
    site: Option<String>,
    secret: Option<String>,
    public_key_pem: Option<String>,
}

/// The site of identities when a key names none.
pub const DEFAULT_SSO_SITE: &str = "site";
/// HS256 secrets shorter than this are refused (RFC 7518, 3.2).
pub const MIN_SSO_SECRET_BYTES: usize = 32;

impl TryFrom<SsoKeyForm> for SsoKey {
    type Error = String;

    fn try_from(form: SsoKeyForm) -> Result<SsoKey, String> {
        let table = match form {
            SsoKeyForm::Table(t) => t,
            SsoKeyForm::Text(text) => {
                let (kid, value) = text
                    .split_once('=')
                    .ok_or("sso.keys: write each key as kid=secret or kid=<PEM public key>")?;
                let pem = value.trim_start().starts_with("-----BEGIN");
                SsoKeyTable {
                    kid: kid.trim().to_string(),
                    site: None,
                    secret: (!pem).then(|| value.to_string()),
                    public_key_pem: pem.then(|| value.to_string()),
                }
            }
        };
        if table.kid.trim().is_empty() {
            return Err("sso.keys: every key needs a kid".into());
        }
        let material = match (table.secret, table.public_key_pem) {
            (Some(secret), None) if secret.len() >= MIN_SSO_SECRET_BYTES => {
                SsoKeyMaterial::Secret(secret)
            }
            (Some(_), None) => {
                return Err(format!(
                    "sso.keys: the secret of `{}` must be at least {MIN_SSO_SECRET_BYTES} bytes",
                    table.kid
                ))
            }
            (None, Some(pem)) => SsoKeyMaterial::PublicKeyPem(pem),
            _ => {
                return Err(format!(
                    "sso.keys: `{}` needs either a secret or a public_key_pem",
                    table.kid
                ))
            }
        };
        Ok(SsoKey {
            kid: table.kid,
            site: table.site.unwrap_or_else(|| DEFAULT_SSO_SITE.to_string()),
            material,
        })
    }
}

impl Config {
    pub(super) fn check_sso(&self) -> Result<(), ConfigError> {
        let fail = |m: &str| Err(ConfigError::Parse(m.to_string()));
        let sso = &self.sso;
        if sso.max_age_seconds < 1 {
            return fail("sso.max_age_seconds must be at least 1");
        }
        if sso.only && !sso.enabled {
            return fail("sso.only needs sso.enabled: readers would have no way in");
        }
        if sso.enabled && sso.keys.is_empty() {
            return fail("sso.enabled needs at least one key in sso.keys");
        }
        let mut kids = std::collections::HashSet::new();
        for key in &sso.keys {
            if !kids.insert(key.kid.as_str()) {
                return fail("sso.keys: each kid may appear once");
            }
        }
        for url in [sso.login_url(), sso.logout_url()].into_iter().flatten() {
            let parsed = url::Url::parse(url);
            if !parsed.is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host()) {
                return fail("sso.login_url and sso.logout_url must be http(s) addresses");
            }
        }
        Ok(())
    }
}
