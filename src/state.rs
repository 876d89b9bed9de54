//! What every handler shares: configuration, the database, caches, limits.

use crate::auth::Hasher;
use crate::cache::WordCache;
use crate::cache::{Memo, PageCache, QueueTotals};
use crate::config::Config;
use crate::domain::time::{Clock, SystemClock};
use crate::i18n::Locale;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimits;
use crate::store::Db;
use std::sync::Arc;

/// Sessions `AppState::sessions` holds at most.
const SESSIONS_REMEMBERED: usize = 16_384;

/// What every handler shares, and nothing else: the threads the process
/// runs beside the handlers are held by `app::server` (`app::Workers`).
/// Every field is set by the constructor and never after.
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub hasher: Hasher,
    pub default_locale: Locale,
    pub limits: RateLimits,
    pub metrics: Metrics,
    pub pages: PageCache,
    pub queue_totals: QueueTotals,
    /// Signed-in callers by their token's hash, with the token's expiry:
    /// trusted while `Db::change_epoch` has not moved (every sign-out, ban,
    /// role or password change is a commit), for a second at most.
    pub sessions: crate::service::accounts::RememberedSessions,
    pub words: Arc<WordCache>,
    /// Live threads: the streams of this instance and what feeds them.
    pub live: Arc<crate::live::Hub>,
    /// The site's sign-in keys and rules; `None` while `sso.enabled` is off.
    pub sso: Option<crate::service::sso::Verifier>,
    /// OpenID Connect providers' discovery documents, read on first use.
    pub oidc: crate::service::oidc::Providers,
    /// The time the rules on expiry go by (links, sessions, sign-ins under
    /// way): the system's; a test passes one it moves on (`with_clock`).
    pub clock: Arc<dyn Clock>,
}

impl AppState {
    /// The state of a server, on the system's clock.
    pub fn new(config: Config, db: Db) -> Result<AppState, String> {
        AppState::with_clock(config, db, Arc::new(SystemClock))
    }

    /// The state on `clock` (a test's, that it moves on instead of sleeping).
    pub fn with_clock(config: Config, db: Db, clock: Arc<dyn Clock>) -> Result<AppState, String> {
        let hasher = Hasher::new(&config.auth)?;
        let default_locale = config.i18n.default_locale;
        let limits = RateLimits::new(&config.rate_limit, &config.server)?;
        let sso = crate::service::sso::Verifier::from_config(&config.sso)?;
        Ok(AppState {
            sso,
            oidc: Default::default(),
            clock,
            limits,
            metrics: Metrics::default(),
            pages: PageCache::new(config.cache.thread_pages_max_bytes),
            queue_totals: QueueTotals::default(),
            sessions: Memo::new(SESSIONS_REMEMBERED),
            words: Arc::new(WordCache::default()),
            live: crate::live::Hub::new(db.clone(), &config),
            config: Arc::new(config),
            db,
            hasher,
            default_locale,
        })
    }
}
