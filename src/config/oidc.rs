//! `[oidc]`: sign-in with OpenID Connect providers, one table per provider.

use super::{Config, ConfigError};
use serde::Deserialize;

/// Sign-in with OpenID Connect providers (docs/sso.md); off while empty.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcConfig {
    pub providers: Vec<OidcProvider>,
}

impl OidcConfig {
    pub fn provider(&self, id: &str) -> Option<&OidcProvider> {
        self.providers.iter().find(|p| p.id == id)
    }
}

/// One provider: its button, where it lives, and Tribune's client there.
#[derive(Clone, Deserialize)]
#[serde(try_from = "ProviderForm")]
pub struct OidcProvider {
    /// In Tribune's URLs (`/auth/oidc/{id}/…`): lower case, digits, `-`, `_`.
    pub id: String,
    /// The button's label: "Sign in with {name}".
    pub name: String,
    /// The issuer; discovery reads `{issuer}/.well-known/openid-configuration`.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
}

/// The client secret is never printed, even in a debug dump of the settings.
impl std::fmt::Debug for OidcProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcProvider")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// A provider as written: a table in a file, or
/// `id|name|issuer|client_id|client_secret` in `TRIBUNE_OIDC__PROVIDERS`
/// (comma-separated).
#[derive(Deserialize)]
#[serde(untagged)]
enum ProviderForm {
    Table(ProviderTable),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProviderTable {
    id: String,
    name: String,
    issuer: String,
    client_id: String,
    client_secret: String,
}

impl TryFrom<ProviderForm> for OidcProvider {
    type Error = String;

    fn try_from(form: ProviderForm) -> Result<OidcProvider, String> {
        let t = match form {
            ProviderForm::Table(t) => t,
            ProviderForm::Text(text) => {
                let parts: Vec<&str> = text.split('|').map(str::trim).collect();
                let [id, name, issuer, client_id, client_secret] = parts[..] else {
                    return Err(
                        "oidc.providers: write each provider as id|name|issuer|client_id|client_secret"
                            .into(),
                    );
                };
                ProviderTable {
                    id: id.into(),
                    name: name.into(),
                    issuer: issuer.into(),
                    client_id: client_id.into(),
                    client_secret: client_secret.into(),
                }
            }
        };
        Ok(OidcProvider {
            id: t.id,
            name: t.name.trim().to_string(),
            issuer: t.issuer.trim().to_string(),
            client_id: t.client_id,
            client_secret: t.client_secret,
        })
    }
}

impl Config {
    pub(super) fn check_oidc(&self) -> Result<(), ConfigError> {
        let fail = |m: String| Err(ConfigError::Parse(m));
        let mut ids = std::collections::HashSet::new();
        for p in &self.oidc.providers {
            let well_named = !p.id.is_empty()
                && p.id.len() <= 32
                && p.id.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                });
            if !well_named {
                return fail(format!(
                    "oidc.providers: the id `{}` must be 1 to 32 lower-case letters, digits, - or _",
                    p.id
                ));
            }
            if !ids.insert(p.id.as_str()) {
                return fail(format!("oidc.providers: the id `{}` appears twice", p.id));
            }
            if p.name.is_empty() || p.name.chars().count() > 64 {
                return fail(format!(
                    "oidc.providers: `{}` needs a name (its button's label) of at most 64 characters",
                    p.id
                ));
            }
            let issuer = url::Url::parse(&p.issuer);
            if !issuer.is_ok_and(|u| matches!(u.scheme(), "http" | "https") && u.has_host()) {
                return fail(format!(
                    "oidc.providers: the issuer of `{}` must be an http(s) address",
                    p.id
                ));
            }
            if p.client_id.is_empty() || p.client_secret.is_empty() {
                return fail(format!(
                    "oidc.providers: `{}` needs its client_id and client_secret",
                    p.id
                ));
            }
        }
        Ok(())
    }
}
