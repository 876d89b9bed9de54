//! Rate limits (governor's keyed GCRA limiters), per client address or per
//! account, and the client address itself: the socket's, unless the socket is
//! a trusted proxy, so a forged `X-Forwarded-For` never resets a limit.

use crate::config::{RateLimitConfig, ServerConfig};
use crate::error::ApiError;
use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::hash::{BuildHasher, Hash, RandomState};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::RwLock;
use std::time::Duration;

const MINUTE: Duration = Duration::from_secs(60);
/// Most clients a limit remembers. An attacker with many addresses (or many
/// account names) would otherwise grow the state without end; past this, idle
/// clients are forgotten first, and if that is not enough the limit starts
/// over, since per-client limits mean little against that many clients.
const MAX_KEYS: usize = 65_536;
/// How often (in checks of one limit) its number of clients is looked at.
const BOUND_EVERY: u64 = 1_024;
/// How often (in requests) every limit forgets its idle clients.
const FORGET_EVERY: u64 = 10_000;

/// `count` requests per `window`, all usable at once.
struct Limit<K: Hash + Eq + Clone> {
    limiter: Option<(Quota, RwLock<DefaultKeyedRateLimiter<K>>)>,
    checks: AtomicU64,
}

impl<K: Hash + Eq + Clone> Limit<K> {
    fn new(enabled: bool, count: u32, window: Duration) -> Limit<K> {
        let limiter = NonZeroU32::new(count).filter(|_| enabled).and_then(|n| {
            Quota::with_period(window / n.get()).map(|q| {
                let quota = q.allow_burst(n);
                (quota, RwLock::new(DefaultKeyedRateLimiter::keyed(quota)))
            })
        });
        Limit {
            limiter,
            checks: AtomicU64::new(0),
        }
    }

    fn check(&self, key: &K) -> Result<(), ApiError> {
        let Some((_, limiter)) = &self.limiter else {
            return Ok(());
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % BOUND_EVERY == BOUND_EVERY - 1 {
            self.bound(MAX_KEYS);
        }
        let Ok(limiter) = limiter.read() else {
            return Ok(());
        };
        limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::RateLimited {
                retry_after: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
            }
        })
    }

    /// Clients remembered now.
    fn len(&self) -> usize {
        self.limiter
            .as_ref()
            .and_then(|(_, l)| l.read().ok().map(|l| l.len()))
            .unwrap_or(0)
    }

    /// Keeps at most `max_keys` clients.
    fn bound(&self, max_keys: usize) {
        let Some((quota, limiter)) = &self.limiter else {
            return;
        };
        if self.len() <= max_keys {
            return;
        }
        self.forget_idle();
        if self.len() > max_keys {
            if let Ok(mut limiter) = limiter.write() {
                tracing::warn!(
                    clients = limiter.len(),
                    "a rate limit tracks too many clients at once; it starts over"
                );
                *limiter = DefaultKeyedRateLimiter::keyed(*quota);
            }
        }
    }

    fn forget_idle(&self) {
        if let Some(Ok(limiter)) = self.limiter.as_ref().map(|(_, l)| l.read()) {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

pub struct RateLimits {
    register: Limit<IpAddr>,
    login_address: Limit<IpAddr>,
    /// Keyed by a hash of the name typed, so a flood of long made-up names
    /// costs a few bytes each; the hash's key is random per process, so no
    /// one can pick names that collide with someone's account.
    login_account: Limit<u64>,
    login_names: RandomState,
    posts: Limit<i64>,
    reports: Limit<i64>,
    reactions: Limit<i64>,
    requests: Limit<IpAddr>,
    /// Live-thread streams opened (`GET …/events`), per address.
    live_opens: Limit<IpAddr>,
    reset_address: Limit<IpAddr>,
    /// Keyed like `login_account`, by a hash of the address asked for.
    reset_account: Limit<u64>,
    trusted_proxies: Vec<IpAddr>,
    checks: AtomicU64,
}

impl RateLimits {
    pub fn new(config: &RateLimitConfig, server: &ServerConfig) -> RateLimits {
        let on = config.enabled;
        RateLimits {
            register: Limit::new(on, config.register_per_address_per_hour, 60 * MINUTE),
            login_address: Limit::new(on, config.login_per_address_per_minute, MINUTE),
            login_account: Limit::new(on, config.login_per_account_per_15_minutes, 15 * MINUTE),
            login_names: RandomState::new(),
            posts: Limit::new(on, config.posts_per_account_per_minute, MINUTE),
            reports: Limit::new(on, config.reports_per_account_per_minute, MINUTE),
            reactions: Limit::new(on, config.reactions_per_account_per_minute, MINUTE),
            requests: Limit::new(
                on,
                config.requests_per_address_per_second,
                Duration::from_secs(1),
            ),
            live_opens: Limit::new(on, config.live_streams_per_address_per_minute, MINUTE),
            reset_address: Limit::new(on, config.reset_per_address_per_hour, 60 * MINUTE),
            reset_account: Limit::new(on, config.reset_per_account_per_hour, 60 * MINUTE),
            trusted_proxies: server
                .trusted_proxies
                .iter()
                .filter_map(|p| p.parse().ok())
                .collect(),
            checks: AtomicU64::new(0),
        }
    }

    /// Any request, per client address.
    pub fn request(&self, req: &HttpRequest) -> Result<(), ApiError> {
        // Idle clients are dropped now and then so memory stays small.
        if self.checks.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            self.forget_idle();
        }
        self.requests.check(&self.client_address(req))
    }

    pub fn register(&self, req: &HttpRequest) -> Result<(), ApiError> {
        self.register.check(&self.client_address(req))
    }

    /// Sign-in attempts, per address and per account named.
    pub fn login(&self, req: &HttpRequest, login: &str) -> Result<(), ApiError> {
        self.login_address.check(&self.client_address(req))?;
        let account = self.login_names.hash_one(login.trim().to_lowercase());
        self.login_account.check(&account)
    }

    /// A live-thread stream opened; gives the client's address (the live
    /// hub also counts the streams each address holds open).
    pub fn live_open(&self, req: &HttpRequest) -> Result<IpAddr, ApiError> {
        let address = self.client_address(req);
        self.live_opens.check(&address)?;
        Ok(address)
    }
    /// Password-reset requests, per address and per e-mail address asked
    /// for (whether or not an account has it, so the limit says nothing).
    pub fn reset(&self, req: &HttpRequest, email: &str) -> Result<(), ApiError> {
        self.reset_address.check(&self.client_address(req))?;
        let account = self
            .login_names
            .hash_one(("reset", email.trim().to_lowercase()));
        self.reset_account.check(&account)
    }

    pub fn post(&self, user_id: i64) -> Result<(), ApiError> {
        self.posts.check(&user_id)
    }

    pub fn report(&self, user_id: i64) -> Result<(), ApiError> {
        self.reports.check(&user_id)
    }

    /// Reactions added or removed, per account.
    pub fn reaction(&self, user_id: i64) -> Result<(), ApiError> {
        self.reactions.check(&user_id)
    }

    fn forget_idle(&self) {
        self.register.forget_idle();
        self.login_address.forget_idle();
        self.login_account.forget_idle();
        self.posts.forget_idle();
        self.reports.forget_idle();
        self.reactions.forget_idle();
        self.requests.forget_idle();
        self.live_opens.forget_idle();
        self.reset_address.forget_idle();
        self.reset_account.forget_idle();
    }

    /// The caller's address: the socket's, or what a trusted proxy says.
    pub fn client_address(&self, req: &HttpRequest) -> IpAddr {
        let peer = req
            .peer_addr()
            .map(|a| a.ip())
            .unwrap_or(IpAddr::from([0, 0, 0, 0]));
        client_address(peer, &self.trusted_proxies, |name| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
    }
}

/// Walks `X-Forwarded-For` from the right, past our own proxies, to the first
/// address a trusted proxy vouches for; `X-Real-IP` when there is no list.
fn client_address(
    peer: IpAddr,
    trusted: &[IpAddr],
    header: impl Fn(&str) -> Option<String>,
) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    if let Some(list) = header("x-forwarded-for") {
        let mut last_trusted = peer;
        for hop in list.rsplit(',').map(str::trim) {
            match hop.parse::<IpAddr>() {
                Ok(ip) if trusted.contains(&ip) => last_trusted = ip,
                Ok(ip) => return ip,
                Err(_) => return last_trusted,
            }
        }
        return last_trusted;
    }
    header("x-real-ip")
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_headers_count_only_from_trusted_proxies() {
        let trusted = [ip("10.0.0.1")];
        let forged = |name: &str| (name == "x-forwarded-for").then(|| "6.6.6.6".to_string());
        assert_eq!(
            client_address(ip("1.2.3.4"), &trusted, forged),
            ip("1.2.3.4")
        );
        let via_proxy =
            |name: &str| (name == "x-forwarded-for").then(|| "6.6.6.6, 5.5.5.5".to_string());
        assert_eq!(
            client_address(ip("10.0.0.1"), &trusted, via_proxy),
            ip("5.5.5.5")
        );
        let chain =
            |name: &str| (name == "x-forwarded-for").then(|| "7.7.7.7, 10.0.0.1".to_string());
        assert_eq!(
            client_address(ip("10.0.0.1"), &trusted, chain),
            ip("7.7.7.7")
        );
        let real = |name: &str| (name == "x-real-ip").then(|| "8.8.4.4".to_string());
        assert_eq!(
            client_address(ip("10.0.0.1"), &trusted, real),
            ip("8.8.4.4")
        );
        let garbage = |name: &str| (name == "x-forwarded-for").then(|| "nonsense".to_string());
        assert_eq!(
            client_address(ip("10.0.0.1"), &trusted, garbage),
            ip("10.0.0.1")
        );
    }

    #[test]
    fn a_limit_refuses_past_its_burst_and_says_how_long_to_wait() {
        let limit: Limit<i64> = Limit::new(true, 3, MINUTE);
        for _ in 0..3 {
            assert!(limit.check(&1).is_ok());
        }
        match limit.check(&1) {
            Err(ApiError::RateLimited { retry_after }) => assert!((1..=20).contains(&retry_after)),
            other => panic!("{other:?}"),
        }
        assert!(limit.check(&2).is_ok(), "other keys are unaffected");
        let off: Limit<i64> = Limit::new(false, 1, MINUTE);
        for _ in 0..10 {
            assert!(off.check(&1).is_ok());
        }
    }

    #[test]
    fn a_limit_remembers_a_bounded_number_of_clients() {
        let limit: Limit<u64> = Limit::new(true, 5, 15 * MINUTE);
        // Far more distinct clients than the bound, none of them idle yet.
        for key in 0..(MAX_KEYS as u64 + 3 * BOUND_EVERY) {
            limit.check(&key).unwrap();
        }
        assert!(
            limit.len() <= MAX_KEYS + BOUND_EVERY as usize,
            "{} clients remembered",
            limit.len()
        );
        // Under the bound nothing is forgotten: a client past its burst stays refused.
        let small: Limit<u64> = Limit::new(true, 2, 15 * MINUTE);
        for _ in 0..2 {
            small.check(&7).unwrap();
        }
        small.bound(10);
        assert!(small.check(&7).is_err());
        // Over it, the limit starts over.
        for key in 100..120 {
            small.check(&key).unwrap();
        }
        small.bound(10);
        assert!(small.len() <= 10, "{}", small.len());
    }
}
