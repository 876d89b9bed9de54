//! Sign-in with OpenID Connect providers (`[[oidc.providers]]`): the
//! authorization code flow with PKCE (S256), `state` and `nonce`, through the
//! `openidconnect` crate (discovery, the code exchange, the ID token's
//! signature against the provider's JWKS, `iss`, `aud`, `exp`, `nonce`).
//! Logins under way live in `oidc_logins`, so any instance may answer the
//! callback. The account rules are `identities.rs`'s, shared with the site's
//! own sign-in.

use super::identities::{self, ExternalReader};
use super::ServiceError;
use crate::config::Config;
use crate::config::{OidcProvider, ServerConfig};
use crate::domain::fields::Email;
use crate::domain::time::Clock;
use crate::domain::Failure;
use crate::store;
use crate::store::models::{OidcLoginRow, UserRow};
use crate::store::Db;
use crate::text;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreProviderMetadata,
};
use openidconnect::{
    AccessToken, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EmptyAdditionalClaims,
    IssuerUrl, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl,
    RequestTokenError, Scope, SubjectIdentifier, TokenResponse, UserInfoClaims,
};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use url::Url;

/// A login under way lives this long: the reader signs in at the provider meanwhile.
pub const LOGIN_LIFETIME_MS: i64 = 10 * 60 * 1000;
/// A provider's discovery document (and its keys) is read again after this.
const DISCOVERY_LIFETIME: Duration = Duration::from_secs(10 * 60);
const HTTP_TIMEOUT: Duration = Duration::from_secs(10);
/// Longer return addresses are refused outright.
const MAX_RETURN_CHARS: usize = 2048;
/// The longest subject kept (the identity's column, as for the site's sign-in).
const MAX_SUBJECT_CHARS: usize = 255;

/// The providers' discovery documents, read on first use and kept a while,
/// and the HTTP client that reads them (built on first use: it loads the
/// system's roots).
#[derive(Default)]
pub struct Providers {
    client: once_cell::sync::OnceCell<reqwest::Client>,
    discovered: Mutex<HashMap<String, (Instant, CoreProviderMetadata)>>,
}

/// What a provider's button needs: its id and label. No secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub id: String,
    pub name: String,
}

/// The configured providers' buttons, in the configuration's order.
pub fn buttons(config: &Config) -> Vec<Button> {
    config
        .oidc
        .providers
        .iter()
        .map(|p| Button {
            id: p.id.clone(),
            name: p.name.clone(),
        })
        .collect()
}

/// A finished sign-in: the session, and where the reader goes next.
pub struct SignedIn {
    pub user: UserRow,
    pub token: String,
    pub expires_at: i64,
    pub return_to: String,
}

/// What the provider sent back to the callback.
#[derive(Debug, Default)]
pub struct CallbackParams {
    pub code: Option<String>,
    pub state: Option<String>,
    /// The provider's refusal (`access_denied`, …).
    pub error: Option<String>,
    /// RFC 9207: the issuer that answers, when the provider says it.
    pub iss: Option<String>,
    /// The secret the starting browser kept (its cookie).
    pub browser: Option<String>,
}

/// `return` is one of Tribune's pages (under `server.public_url`) or a page
/// of a site in `server.embed_origins`; anything else would make Tribune an
/// open redirect. The address as it will be used, or `None`.
pub fn allowed_return(wanted: &str, server: &ServerConfig) -> Option<Url> {
    if wanted.chars().count() > MAX_RETURN_CHARS {
        return None;
    }
    let url = Url::parse(wanted).ok()?;
    let web = matches!(url.scheme(), "http" | "https");
    // `https://site@evil.example` reads like the site to a person.
    if !web || !url.has_host() || !url.username().is_empty() || url.password().is_some() {
        return None;
    }
    let origin = url.origin();
    if let Ok(public) = Url::parse(&server.public_url) {
        let prefix = public.path().trim_end_matches('/');
        let path = url.path();
        let under = path == prefix || path.starts_with(&format!("{prefix}/")) || prefix.is_empty();
        if public.origin() == origin && under {
            return Some(url);
        }
    }
    server
        .embed_origins
        .iter()
        .filter_map(|o| Url::parse(o).ok())
        .any(|o| o.origin() == origin)
        .then_some(url)
}

/// Where the provider sends the reader back: register it at the provider.
pub fn redirect_uri(public_url: &str, provider_id: &str) -> String {
    format!(
        "{}/auth/oidc/{provider_id}/callback",
        public_url.trim_end_matches('/')
    )
}

fn state_hash(state: &str) -> String {
    text::hex(&Sha256::digest(state.as_bytes()))
}

impl Providers {
    fn http(&self) -> Result<&reqwest::Client, ServiceError> {
        self.client.get_or_try_init(|| {
            // Following redirects would let a provider's answer send Tribune
            // elsewhere (the crate's own advice).
            let mut builder = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(HTTP_TIMEOUT)
                .user_agent(concat!("Tribune/", env!("CARGO_PKG_VERSION")));
            for cert in rustls_native_certs::load_native_certs().certs {
                if let Ok(cert) = reqwest::Certificate::from_der(cert.as_ref()) {
                    builder = builder.add_root_certificate(cert);
                }
            }
            builder
                .build()
                .map_err(|e| ServiceError::failed("building the OpenID client", e))
        })
    }

    /// The provider's discovery document (with its keys), read again once old.
    async fn metadata(
        &self,
        provider: &OidcProvider,
    ) -> Result<CoreProviderMetadata, ServiceError> {
        if let Some((at, meta)) = self.lock().get(&provider.id) {
            if at.elapsed() < DISCOVERY_LIFETIME {
                return Ok(meta.clone());
            }
        }
        let issuer =
            IssuerUrl::new(provider.issuer.clone()).map_err(|_| ServiceError::OidcUnavailable)?;
        let meta = CoreProviderMetadata::discover_async(issuer, self.http()?)
            .await
            .map_err(|e| {
                tracing::warn!(provider = %provider.id, error = %Failure::chain(&e), "OpenID discovery failed");
                ServiceError::OidcUnavailable
            })?;
        self.lock()
            .insert(provider.id.clone(), (Instant::now(), meta.clone()));
        Ok(meta)
    }

    /// Keys may have rotated: the next sign-in reads the document again.
    fn forget(&self, provider: &OidcProvider) {
        self.lock().remove(&provider.id);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Instant, CoreProviderMetadata)>> {
        self.discovered
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn provider<'a>(config: &'a Config, id: &str) -> Result<&'a OidcProvider, ServiceError> {
    config.oidc.provider(id).ok_or(ServiceError::NotFound)
}

/// A login started: where to send the reader, and the secret the starting
/// browser keeps (a cookie) so that the callback is honoured only there: a
/// callback address handed to someone else signs no one in.
pub struct Started {
    pub location: String,
    pub browser_secret: String,
}

/// `GET /auth/oidc/{id}/start`: the provider's authorization address, after
/// keeping the login (state, nonce, PKCE verifier, return) server-side.
pub async fn start(
    db: &Db,
    providers: &Providers,
    clock: &dyn Clock,
    config: &Config,
    id: &str,
    wanted_return: &str,
) -> Result<Started, ServiceError> {
    let provider = provider(config, id)?;
    let return_to =
        allowed_return(wanted_return, &config.server).ok_or(ServiceError::OidcReturnRefused)?;
    let meta = providers.metadata(provider).await?;
    let redirect = RedirectUrl::new(redirect_uri(&config.server.public_url, id))
        .map_err(|e| ServiceError::failed("the OpenID redirect URI", e))?;
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(provider.client_secret.clone())),
    )
    .set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".into()))
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let now = clock.now_ms();
    let browser_secret = CsrfToken::new_random().secret().clone();
    let row = OidcLoginRow {
        state_hash: state_hash(state.secret()),
        browser_hash: state_hash(&browser_secret),
        provider: id.to_string(),
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        return_to: return_to.to_string(),
        expires_at: now + LOGIN_LIFETIME_MS,
    };
    db.write(move |conn| store::oidc::insert_login(conn, &row, now))
        .await?;
    Ok(Started {
        location: url.to_string(),
        browser_secret,
    })
}

/// `GET /auth/oidc/{id}/callback`: takes the login of `state` (once), trades
/// the code for tokens, checks the ID token, and opens a session for the
/// identity's account.
pub async fn finish(
    db: &Db,
    providers: &Providers,
    clock: &dyn Clock,
    config: &Config,
    id: &str,
    params: CallbackParams,
) -> Result<SignedIn, ServiceError> {
    let provider = provider(config, id)?;
    let state = params.state.ok_or(ServiceError::OidcStateInvalid)?;
    let hash = state_hash(&state);
    let login = db
        .write(move |conn| store::oidc::take_login(conn, &hash))
        .await?
        .ok_or(ServiceError::OidcStateInvalid)?;
    let same_browser = params
        .browser
        .is_some_and(|secret| state_hash(&secret) == login.browser_hash);
    if login.provider != id || login.expires_at < clock.now_ms() || !same_browser {
        return Err(ServiceError::OidcStateInvalid);
    }
    if let Some(error) = params.error {
        tracing::info!(provider = %id, error = %error.chars().take(64).collect::<String>(), "the OpenID provider refused the sign-in");
        return Err(ServiceError::OidcFailed);
    }
    let code = params.code.ok_or(ServiceError::OidcFailed)?;
    let meta = providers.metadata(provider).await?;
    // RFC 9207: an answer that names another issuer is a mix-up.
    if params.iss.is_some_and(|iss| iss != meta.issuer().as_str()) {
        return Err(ServiceError::OidcFailed);
    }
    let redirect = RedirectUrl::new(redirect_uri(&config.server.public_url, id))
        .map_err(|e| ServiceError::failed("the OpenID redirect URI", e))?;
    let client = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(provider.client_secret.clone())),
    )
    .set_redirect_uri(redirect);
    let http = providers.http()?;
    let tokens = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|_| ServiceError::OidcUnavailable)?
        .set_pkce_verifier(PkceCodeVerifier::new(login.pkce_verifier))
        .request_async(http)
        .await
        .map_err(|e| {
            let unreachable = matches!(e, RequestTokenError::Request(_));
            tracing::warn!(provider = %id, error = %Failure::chain(&e), "the OpenID code exchange failed");
            if unreachable {
                ServiceError::OidcUnavailable
            } else {
                ServiceError::OidcFailed
            }
        })?;
    let id_token = tokens.id_token().ok_or(ServiceError::OidcFailed)?;
    let claims = id_token
        .claims(&client.id_token_verifier(), &Nonce::new(login.nonce))
        .map_err(|e| {
            tracing::warn!(provider = %id, error = %Failure::chain(&e), "an ID token was refused");
            // A signature by a key we do not know yet: the keys may have rotated.
            providers.forget(provider);
            ServiceError::OidcFailed
        })?;
    let subject = claims.subject().as_str().to_string();
    if subject.is_empty() || subject.chars().count() > MAX_SUBJECT_CHARS {
        return Err(ServiceError::OidcFailed);
    }
    let mut said = Said {
        email: claims.email().map(|e| e.as_str().to_string()),
        email_verified: claims.email_verified(),
        name: claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_string()),
        username: claims.preferred_username().map(|u| u.as_str().to_string()),
    };
    // Many providers put the profile in the user info only.
    if said.email.is_none() || said.name.is_none() {
        if let Ok(request) = client.user_info(
            AccessToken::new(tokens.access_token().secret().clone()),
            Some(SubjectIdentifier::new(subject.clone())),
        ) {
            match request
                .request_async::<EmptyAdditionalClaims, _, CoreGenderClaim>(http)
                .await
            {
                Ok(info) => said.fill_from(&info),
                Err(e) => {
                    tracing::warn!(provider = %id, error = %Failure::chain(&e), "the OpenID user info was not read")
                }
            }
        }
    }
    let reader = said.reader(
        claims.issuer().as_str(),
        subject,
        claims.issue_time().timestamp(),
    );
    let lifetime = config.auth.token_lifetime_ms();
    let default_locale = config.i18n.default_locale;
    let return_to = login.return_to;
    db.write(move |conn| {
        // Providers are never trusted with Tribune's roles.
        let user = identities::account_for(conn, &reader, false, default_locale)?;
        let (token, expires_at) = super::accounts::open_session(conn, user.id, lifetime)?;
        Ok(SignedIn {
            user,
            token,
            expires_at,
            return_to,
        })
    })
    .await
}

/// The profile the provider gave, from the ID token and the user info.
struct Said {
    email: Option<String>,
    email_verified: Option<bool>,
    name: Option<String>,
    username: Option<String>,
}

impl Said {
    fn fill_from(&mut self, info: &UserInfoClaims<EmptyAdditionalClaims, CoreGenderClaim>) {
        if self.email.is_none() {
            self.email = info.email().map(|e| e.as_str().to_string());
            self.email_verified = info.email_verified();
        }
        if self.name.is_none() {
            self.name = info
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_string());
        }
        if self.username.is_none() {
            self.username = info.preferred_username().map(|u| u.as_str().to_string());
        }
    }

    fn reader(self, issuer: &str, subject: String, iat: i64) -> ExternalReader {
        let email = self.email.as_deref().and_then(|e| Email::parse(e).ok());
        let username = self
            .username
            .map(|u| text::normalize_line(&u))
            .filter(|u| !u.is_empty());
        let name = self
            .name
            .map(|n| text::normalize_line(&n))
            .filter(|n| !n.is_empty())
            .or_else(|| username.clone())
            .or_else(|| {
                email
                    .as_ref()
                    .and_then(|e| e.as_str().split('@').next().map(str::to_string))
            })
            .unwrap_or_else(|| "reader".to_string());
        ExternalReader {
            site: issuer.to_string(),
            subject,
            // Only `email_verified: true` links an address, never its absence.
            email_verified: self.email_verified == Some(true),
            email,
            name,
            username,
            badges: Vec::new(),
            role: None,
            lang: None,
            iat,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(public_url: &str, embed: &[&str]) -> ServerConfig {
        let mut server = crate::config::Config::defaults().server;
        server.public_url = public_url.into();
        server.embed_origins = embed.iter().map(|s| s.to_string()).collect();
        server
    }

    #[test]
    fn returns_stay_on_tribune_or_the_sites_that_embed_it() {
        let s = server("https://comments.example.ma", &["https://www.example.ma"]);
        for ok in [
            "https://comments.example.ma/console/",
            "https://comments.example.ma/embed/a1?lang=ar",
            "https://comments.example.ma",
            "https://www.example.ma/2026/12/article.html#comments",
        ] {
            assert!(allowed_return(ok, &s).is_some(), "{ok}");
        }
        for refused in [
            "https://evil.example/",
            "//evil.example/",
            "/console/",
            "javascript:alert(1)",
            "data:text/html,hi",
            "http://comments.example.ma/console/",
            "https://comments.example.ma:8443/",
            "https://comments.example.ma@evil.example/",
            "https://user@comments.example.ma/",
            "https://www.example.ma.evil.example/",
            "https://example.ma/",
            "",
        ] {
            assert!(allowed_return(refused, &s).is_none(), "{refused}");
        }
        let long = format!("https://www.example.ma/{}", "a".repeat(MAX_RETURN_CHARS));
        assert!(allowed_return(&long, &s).is_none());
    }

    #[test]
    fn a_public_url_with_a_path_keeps_returns_under_it() {
        let s = server("https://www.example.ma/tribune", &[]);
        assert!(allowed_return("https://www.example.ma/tribune/console/", &s).is_some());
        assert!(allowed_return("https://www.example.ma/tribune", &s).is_some());
        assert!(allowed_return("https://www.example.ma/tribunex/", &s).is_none());
        assert!(allowed_return("https://www.example.ma/other", &s).is_none());
    }

    #[test]
    fn the_redirect_uri_is_under_the_public_url() {
        assert_eq!(
            redirect_uri("https://c.example.ma/", "kc"),
            "https://c.example.ma/auth/oidc/kc/callback"
        );
    }

    #[test]
    fn only_a_verified_address_is_vouched_for() {
        let said = |verified| Said {
            email: Some("lina@example.ma".into()),
            email_verified: verified,
            name: None,
            username: Some("lina".into()),
        };
        let r = said(Some(true)).reader("https://idp", "s1".into(), 10);
        assert!(r.email_verified);
        assert_eq!(r.name, "lina");
        assert!(!said(Some(false)).reader("i", "s".into(), 1).email_verified);
        assert!(!said(None).reader("i", "s".into(), 1).email_verified);
        let nameless = Said {
            email: None,
            email_verified: None,
            name: None,
            username: None,
        };
        assert_eq!(nameless.reader("i", "s".into(), 1).name, "reader");
    }
}
