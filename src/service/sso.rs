//! Sign-in by the site's own accounts: the site signs a short-lived JWT for
//! its reader, Tribune checks it (jsonwebtoken, only with the algorithm its
//! key was configured for) and finds or makes the reader's account.
//! docs/sso.md is the site's side of it.

use super::identities::{self, ExternalReader};
use super::ServiceError;
use crate::config::Config;
use crate::config::{SsoConfig, SsoKeyMaterial};
use crate::domain::fields::Email;
use crate::domain::Role;
use crate::i18n::Locale;
use crate::store::models::UserRow;
use crate::store::Db;
use crate::store::{self, now_ms};
use crate::text;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// Clocks differ: `iat` may be this far in the future, `exp` this far past.
pub const SKEW_SECONDS: i64 = 60;
/// A token lives at most this long (`exp - iat`).
pub const MAX_LIFETIME_SECONDS: i64 = 24 * 60 * 60;
const MAX_SUB_CHARS: usize = 255;
const MAX_JTI_CHARS: usize = 255;
pub const MAX_BADGES: usize = 5;
pub const MAX_BADGE_CHARS: usize = 24;

/// The keys and rules tokens are checked against, built once at start.
pub struct Verifier {
    keys: HashMap<String, SiteKey>,
    issuer: Option<String>,
    audience: Option<String>,
    max_age: i64,
}

struct SiteKey {
    key: DecodingKey,
    /// The one algorithm this key checks.
    algorithm: Algorithm,
    site: String,
}

/// What a checked token says about the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteReader {
    /// The issuer, or the key's site: with `subject`, the identity.
    pub site: String,
    pub subject: String,
    pub email: Email,
    pub name: String,
    pub username: Option<String>,
    pub badges: Vec<String>,
    pub role: Option<Role>,
    pub lang: Option<Locale>,
    pub iat: i64,
    pub exp: i64,
    pub jti: Option<String>,
}

impl SiteReader {
    /// The reader as the account rules take it: the site vouches for the address.
    fn external(&self) -> ExternalReader {
        ExternalReader {
            site: self.site.clone(),
            subject: self.subject.clone(),
            email: Some(self.email.clone()),
            email_verified: true,
            name: self.name.clone(),
            username: self.username.clone(),
            badges: self.badges.clone(),
            role: self.role,
            lang: self.lang,
            iat: self.iat,
        }
    }
}

/// The claims as sent; each is checked and typed by [`check_claims`].
#[derive(Deserialize)]
struct Claims {
    sub: String,
    email: String,
    name: String,
    iat: i64,
    exp: i64,
    #[serde(default)]
    jti: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    badges: Option<Vec<String>>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

impl Verifier {
    /// `None` while the site's sign-in is off; an error names a key that cannot be read.
    pub fn from_config(config: &SsoConfig) -> Result<Option<Verifier>, String> {
        if !config.enabled {
            return Ok(None);
        }
        let mut keys = HashMap::new();
        for key in &config.keys {
            let (decoding, algorithm) = match &key.material {
                SsoKeyMaterial::Secret(secret) => {
                    (DecodingKey::from_secret(secret.as_bytes()), Algorithm::HS256)
                }
                SsoKeyMaterial::PublicKeyPem(pem) => public_key(pem).ok_or_else(|| {
                    format!(
                        "sso.keys: the public_key_pem of `{}` is neither an Ed25519 nor a P-256 public key in PEM",
                        key.kid
                    )
                })?,
            };
            keys.insert(
                key.kid.clone(),
                SiteKey {
                    key: decoding,
                    algorithm,
                    site: key.site.clone(),
                },
            );
        }
        let set = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(Some(Verifier {
            keys,
            issuer: set(&config.issuer),
            audience: set(&config.audience),
            max_age: config.max_age_seconds,
        }))
    }

    /// Checks a token at `now` (seconds): its header, signature, times and claims.
    pub fn verify(&self, token: &str, now: i64) -> Result<SiteReader, ServiceError> {
        let header = jsonwebtoken::decode_header(token).map_err(|_| ServiceError::SsoInvalid)?;
        // RFC 8725 3.11: a `typ`, when present, must say JWT.
        if header
            .typ
            .as_deref()
            .is_some_and(|t| !t.eq_ignore_ascii_case("JWT"))
        {
            return Err(ServiceError::SsoInvalid);
        }
        let kid = header.kid.as_deref().ok_or(ServiceError::SsoInvalid)?;
        let site_key = self.keys.get(kid).ok_or(ServiceError::SsoInvalid)?;
        // Only the key's own algorithm: an HS256 token signed with a public
        // key's bytes, or `none`, never reaches a signature check.
        if header.alg != site_key.algorithm {
            return Err(ServiceError::SsoInvalid);
        }
        let mut validation = Validation::new(site_key.algorithm);
        validation.leeway = SKEW_SECONDS as u64;
        validation.validate_nbf = true;
        let mut required = vec!["exp", "sub"];
        match &self.audience {
            Some(aud) => {
                validation.set_audience(&[aud]);
                required.push("aud");
            }
            None => validation.validate_aud = false,
        }
        if let Some(iss) = &self.issuer {
            validation.set_issuer(&[iss]);
            required.push("iss");
        }
        validation.set_required_spec_claims(&required);
        let data = jsonwebtoken::decode::<Claims>(token, &site_key.key, &validation).map_err(
            |e| match e.kind() {
                ErrorKind::ExpiredSignature | ErrorKind::ImmatureSignature => {
                    ServiceError::SsoExpired
                }
                _ => ServiceError::SsoInvalid,
            },
        )?;
        let site = self.issuer.clone().unwrap_or_else(|| site_key.site.clone());
        check_claims(data.claims, site, now, self.max_age)
    }
}

/// An Ed25519 or P-256 public key, and the algorithm it checks.
fn public_key(pem: &str) -> Option<(DecodingKey, Algorithm)> {
    let pem = pem.replace("\\n", "\n");
    if let Ok(key) = DecodingKey::from_ed_pem(pem.as_bytes()) {
        return Some((key, Algorithm::EdDSA));
    }
    DecodingKey::from_ec_pem(pem.as_bytes())
        .ok()
        .map(|key| (key, Algorithm::ES256))
}

/// The claims' own rules, after the signature: times, lengths, choices.
fn check_claims(
    c: Claims,
    site: String,
    now: i64,
    max_age: i64,
) -> Result<SiteReader, ServiceError> {
    let invalid = || ServiceError::SsoInvalid;
    if c.iat > now + SKEW_SECONDS || now - c.iat > max_age {
        return Err(ServiceError::SsoExpired);
    }
    if c.exp <= c.iat || c.exp - c.iat > MAX_LIFETIME_SECONDS {
        return Err(invalid());
    }
    let chars = c.sub.chars().count();
    if chars == 0 || chars > MAX_SUB_CHARS {
        return Err(invalid());
    }
    if let Some(jti) = &c.jti {
        let chars = jti.chars().count();
        if chars == 0 || chars > MAX_JTI_CHARS {
            return Err(invalid());
        }
    }
    let email = Email::parse(&c.email).map_err(|_| invalid())?;
    let name = text::normalize_line(&c.name);
    if name.is_empty() {
        return Err(invalid());
    }
    let badges = c.badges.unwrap_or_default();
    if badges.len() > MAX_BADGES {
        return Err(invalid());
    }
    let badges = badges
        .iter()
        .map(|b| {
            let b = text::normalize_line(b);
            let chars = b.chars().count();
            let ok = (1..=MAX_BADGE_CHARS).contains(&chars) && !text::has_forbidden_name_chars(&b);
            ok.then_some(b).ok_or_else(invalid)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let role = match c.role.as_deref() {
        Some(r) => Some(Role::parse(r).ok_or_else(invalid)?),
        None => None,
    };
    let lang = match c.lang.as_deref() {
        Some(l @ ("fr" | "ar" | "en")) => Locale::parse(l),
        Some(_) => return Err(invalid()),
        None => None,
    };
    Ok(SiteReader {
        site,
        subject: c.sub,
        email,
        name,
        username: c.username,
        badges,
        role,
        lang,
        iat: c.iat,
        exp: c.exp,
        jti: c.jti,
    })
}

/// `POST /auth/sso`: a session for the token's reader: (account, token, expiry).
/// 404 while the site's sign-in is off.
pub async fn sign_in(
    db: &Db,
    verifier: Option<&Verifier>,
    config: &Arc<Config>,
    token: String,
) -> Result<(UserRow, String, i64), ServiceError> {
    let verifier = verifier.as_ref().ok_or(ServiceError::NotFound)?;
    let reader = verifier.verify(&token, now_ms() / 1000)?;
    let lifetime = config.auth.token_lifetime_ms();
    let config = config.clone();
    let default_locale = config.i18n.default_locale;
    db.write(move |conn| {
        if let Some(jti) = &reader.jti {
            let now = now_ms();
            if !store::sso::spend_jti(conn, &reader.site, jti, reader.exp * 1000, now)? {
                return Err(ServiceError::SsoReplayed);
            }
        }
        let user = identities::account_for(
            conn,
            &reader.external(),
            config.sso.trust_roles,
            default_locale,
        )?;
        let (token, expires_at) = super::accounts::open_session(conn, user.id, lifetime)?;
        Ok((user, token, expires_at))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            sub: "42".into(),
            email: "lina@example.ma".into(),
            name: "Lina B.".into(),
            iat: 1_000,
            exp: 1_300,
            jti: None,
            username: None,
            badges: Some(vec!["abonné".into()]),
            role: Some("moderator".into()),
            lang: Some("ar".into()),
        }
    }

    fn config_with(keys: &str) -> SsoConfig {
        let mut config = crate::config::Config::defaults().sso;
        config.enabled = true;
        #[derive(Deserialize)]
        struct Keys {
            keys: Vec<crate::config::SsoKey>,
        }
        config.keys = toml::from_str::<Keys>(keys).unwrap().keys;
        config
    }

    #[test]
    fn keys_are_read_at_start_and_unusable_ones_stop_it() {
        assert!(
            Verifier::from_config(&crate::config::Config::defaults().sso)
                .unwrap()
                .is_none()
        );
        let ed = "-----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VwAyEAcmapgKlPcTYO4mm5qF89ZDNv/bpRcn4LWBcDyVZ9+9Q=\\n-----END PUBLIC KEY-----";
        let ok = config_with(&format!(
            "keys = [{{ kid = \"a\", secret = \"{}\" }}, {{ kid = \"b\", public_key_pem = \"{ed}\" }}]",
            "s".repeat(32)
        ));
        let verifier = Verifier::from_config(&ok).unwrap().unwrap();
        assert_eq!(verifier.keys["a"].algorithm, Algorithm::HS256);
        assert_eq!(verifier.keys["b"].algorithm, Algorithm::EdDSA);
        // RSA is not offered, nor is anything that is not a key.
        let rsa = "-----BEGIN PUBLIC KEY-----\\nMIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCiIlGF8XKMOg9W8iu513E44CXM\\nf7YdYncSp4oPxpJo7PK+5BsHOEZXdjVfa+ga4EV++p3wXmN5bZU2bPQKfZhxhTi+\\nFD8msi3+tmkBxCzhm2kyKZLc3S4ups5anGYe8UagNdhGW2Q5e3dFXDiaI35M3Y/z\\nRdynEQVR69l4X+hwgwIDAQAB\\n-----END PUBLIC KEY-----";
        for pem in [rsa, "not a key"] {
            let bad = config_with(&format!(
                "keys = [{{ kid = \"r\", public_key_pem = \"{pem}\" }}]"
            ));
            let err = Verifier::from_config(&bad).err().expect("refused");
            assert!(err.contains("`r`"), "{err}");
        }
    }

    fn check(c: Claims, now: i64) -> Result<SiteReader, ServiceError> {
        check_claims(c, "site".into(), now, 600)
    }

    #[test]
    fn good_claims_are_typed() {
        let r = check(claims(), 1_010).unwrap();
        assert_eq!(r.subject, "42");
        assert_eq!(r.email.as_str(), "lina@example.ma");
        assert_eq!(r.badges, vec!["abonné".to_string()]);
        assert_eq!(r.role, Some(Role::Moderator));
        assert_eq!(r.lang, Some(Locale::Ar));
    }

    #[test]
    fn times_are_bounded() {
        // iat too old, or in the future beyond the skew: expired.
        assert!(matches!(
            check(claims(), 1_601).unwrap_err(),
            ServiceError::SsoExpired
        ));
        assert!(matches!(
            check(claims(), 1_000 - 61).unwrap_err(),
            ServiceError::SsoExpired
        ));
        assert!(check(claims(), 1_000 - 60).is_ok());
        // exp more than a day after iat, or before it: invalid.
        let long = Claims {
            exp: 1_000 + MAX_LIFETIME_SECONDS + 1,
            ..claims()
        };
        assert!(matches!(
            check(long, 1_010).unwrap_err(),
            ServiceError::SsoInvalid
        ));
        let backwards = Claims {
            exp: 999,
            ..claims()
        };
        assert!(matches!(
            check(backwards, 1_010).unwrap_err(),
            ServiceError::SsoInvalid
        ));
    }

    #[test]
    fn ill_formed_claims_are_invalid() {
        let cases: Vec<Claims> = vec![
            Claims {
                sub: String::new(),
                ..claims()
            },
            Claims {
                sub: "x".repeat(256),
                ..claims()
            },
            Claims {
                email: "not an address".into(),
                ..claims()
            },
            Claims {
                name: " ".into(),
                ..claims()
            },
            Claims {
                badges: Some(vec!["a".into(); 6]),
                ..claims()
            },
            Claims {
                badges: Some(vec!["x".repeat(25)]),
                ..claims()
            },
            Claims {
                badges: Some(vec![String::new()]),
                ..claims()
            },
            Claims {
                badges: Some(vec!["a\u{202E}b".into()]),
                ..claims()
            },
            Claims {
                role: Some("owner".into()),
                ..claims()
            },
            Claims {
                lang: Some("de".into()),
                ..claims()
            },
            Claims {
                jti: Some(String::new()),
                ..claims()
            },
        ];
        for c in cases {
            assert!(matches!(
                check(c, 1_010).unwrap_err(),
                ServiceError::SsoInvalid
            ));
        }
    }
}
