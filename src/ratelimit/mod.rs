//! Rate limits (governor's keyed GCRA limiters), per client address or per
//! account, and the client address itself: the socket's, unless the socket is
//! a trusted proxy, so a forged `X-Forwarded-For` never resets a limit.

use crate::config::{RateLimitConfig, ServerConfig};
use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{Quota, RateLimiter};
use shared::{Shared, Verdict};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, RandomState};
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use store::BoundedStore;

mod shared;
mod store;

const MINUTE: Duration = Duration::from_secs(60);
/// Most clients a limit remembers. An attacker with many addresses (or many
/// account names) would otherwise grow the state without end; past this, the
/// clients that used the least of their allowance are forgotten first
/// (`store::BoundedStore`), so the counters of accounts under attack stay.
const MAX_KEYS: usize = 65_536;
/// How often (in checks of one limit) its number of clients is looked at.
const BOUND_EVERY: u64 = 1_024;
/// How often (in requests) every limit forgets its idle clients.
const FORGET_EVERY: u64 = 10_000;

type Limiter<K> = RateLimiter<K, BoundedStore<K>, DefaultClock>;

/// `count` requests per `window`, all usable at once.
struct Limit<K: Hash + Eq + Clone> {
    limiter: Option<(Limiter<K>, BoundedStore<K>)>,
    /// When the limiter started: its arrival times count from here.
    started: Instant,
    checks: AtomicU64,
    /// Redis, when the instances share their limits; this limit's name
    /// there, and its quota as GCRA has it (interval between requests, burst).
    shared: Option<(Arc<Shared>, &'static str, Duration, u32)>,
}

impl<K: Hash + Eq + Clone> Limit<K> {
    fn new(enabled: bool, count: u32, window: Duration) -> Limit<K> {
        let started = Instant::now();
        let limiter = NonZeroU32::new(count).filter(|_| enabled).and_then(|n| {
            Quota::with_period(window / n.get()).map(|q| {
                let store = BoundedStore::new();
                let limiter =
                    RateLimiter::new(q.allow_burst(n), store.clone(), DefaultClock::default());
                (limiter, store)
            })
        });
        Limit {
            limiter,
            started,
            checks: AtomicU64::new(0),
            shared: None,
        }
    }

    /// Counted in Redis (as `name`) while it answers.
    fn shared(
        mut self,
        name: &'static str,
        shared: &Option<Arc<Shared>>,
        count: u32,
        window: Duration,
    ) -> Self {
        if let (Some(shared), Some(_), Some(n)) = (shared, &self.limiter, NonZeroU32::new(count)) {
            self.shared = Some((shared.clone(), name, window / n.get(), n.get()));
        }
        self
    }

    /// One request of `key`: in Redis when the instances share their
    /// limits and it answers, else in this instance's memory.
    async fn count(&self, key: &K) -> Result<(), Limited>
    where
        K: std::fmt::Display,
    {
        if let Some((shared, name, interval, burst)) = &self.shared {
            match shared
                .check(name, &key.to_string(), *interval, *burst)
                .await
            {
                Some(Verdict::Allowed) => return Ok(()),
                Some(Verdict::Wait(wait)) => return Err(refused(wait)),
                None => {}
            }
        }
        self.check(key)
    }

    /// One request of `key`, counted in this instance's memory.
    fn check(&self, key: &K) -> Result<(), Limited> {
        let Some((limiter, _)) = &self.limiter else {
            return Ok(());
        };
        if self.checks.fetch_add(1, Ordering::Relaxed) % BOUND_EVERY == BOUND_EVERY - 1 {
            self.bound(MAX_KEYS);
        }
        limiter
            .check_key(key)
            .map_err(|not_until| refused(not_until.wait_time_from(DefaultClock::default().now())))
    }

    /// Clients remembered now.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.limiter.as_ref().map_or(0, |(_, store)| store.len())
    }

    fn now(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }

    /// Keeps at most `max_keys` clients.
    fn bound(&self, max_keys: usize) {
        if let Some((_, store)) = &self.limiter {
            store.bound(max_keys, self.now());
        }
    }

    fn forget_idle(&self) {
        if let Some((_, store)) = &self.limiter {
            store.forget_idle(self.now());
        }
    }
}

/// A request over its limit: come back in `retry_after` seconds (a 429).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limited {
    pub retry_after: u64,
}

/// With the whole seconds to wait (rounded up).
fn refused(wait: Duration) -> Limited {
    Limited {
        retry_after: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
    }
}

/// Who a per-account limit counts: the account a sign-in reaches, whatever
/// spelling reached it (its username in capitals, a look-alike, its e-mail),
/// or, for a name that reaches no account, that name in the form the lookup
/// uses, so that unknown names are counted the same way and the count says
/// nothing about which accounts exist.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub enum AccountKey {
    Account(i64),
    Unknown(String),
}

pub struct RateLimits {
    register: Limit<IpAddr>,
    login_address: Limit<IpAddr>,
    /// Keyed by a hash of the `AccountKey`, so a flood of long made-up names
    /// costs a few bytes each; the hash's key is random per process, so no
    /// one can pick names that collide with someone's account.
    login_account: Limit<u64>,
    login_names: RandomState,
    /// Checks of an account's own password (`PUT /me/password`, `DELETE /me`).
    password_checks: Limit<i64>,
    posts: Limit<i64>,
    reports: Limit<i64>,
    reactions: Limit<i64>,
    requests: Limit<IpAddr>,
    /// Live-thread streams opened (`GET …/events`), per address.
    live_opens: Limit<IpAddr>,
    reset_address: Limit<IpAddr>,
    /// Keyed like `login_account`, by a hash of the address asked for.
    reset_account: Limit<u64>,
    /// Articles created by a page that named an unknown key, per address.
    articles_created: Limit<IpAddr>,
    /// Notices of illegal content, per address (no account needed).
    notices: Limit<IpAddr>,
    /// Request bodies being read at once, per address.
    body_reads: BodyReads,
    trusted_proxies: Vec<IpAddr>,
    ipv6_prefix: u8,
    checks: AtomicU64,
    shared: Option<Arc<Shared>>,
}

/// A limit of `count` per `window`, named `name` in Redis when shared.
fn limit<K: Hash + Eq + Clone>(
    on: bool,
    shared: &Option<Arc<Shared>>,
    name: &'static str,
    count: u32,
    window: Duration,
) -> Limit<K> {
    Limit::new(on, count, window).shared(name, shared, count, window)
}

impl RateLimits {
    /// The limits of `config`; with `rate_limit.redis_url`, counted in Redis.
    pub fn new(config: &RateLimitConfig, server: &ServerConfig) -> Result<RateLimits, String> {
        let on = config.enabled;
        let shared = match config.redis_url.trim() {
            "" => None,
            url if on => Some(Arc::new(Shared::start(url, &config.redis_prefix)?)),
            _ => None,
        };
        let hour = 60 * MINUTE;
        Ok(RateLimits {
            register: limit(
                on,
                &shared,
                "register",
                config.register_per_address_per_hour,
                hour,
            ),
            login_address: limit(
                on,
                &shared,
                "login",
                config.login_per_address_per_minute,
                MINUTE,
            ),
            login_account: limit(
                on,
                &shared,
                "login-account",
                config.login_per_account_per_15_minutes,
                15 * MINUTE,
            ),
            login_names: RandomState::new(),
            password_checks: limit(
                on,
                &shared,
                "password",
                config.login_per_account_per_15_minutes,
                15 * MINUTE,
            ),
            posts: limit(
                on,
                &shared,
                "posts",
                config.posts_per_account_per_minute,
                MINUTE,
            ),
            reports: limit(
                on,
                &shared,
                "reports",
                config.reports_per_account_per_minute,
                MINUTE,
            ),
            reactions: limit(
                on,
                &shared,
                "reactions",
                config.reactions_per_account_per_minute,
                MINUTE,
            ),
            requests: limit(
                on,
                &shared,
                "requests",
                config.requests_per_address_per_second,
                Duration::from_secs(1),
            ),
            live_opens: limit(
                on,
                &shared,
                "live",
                config.live_streams_per_address_per_minute,
                MINUTE,
            ),
            reset_address: limit(
                on,
                &shared,
                "reset",
                config.reset_per_address_per_hour,
                hour,
            ),
            reset_account: limit(
                on,
                &shared,
                "reset-account",
                config.reset_per_account_per_hour,
                hour,
            ),
            articles_created: limit(
                on,
                &shared,
                "articles",
                config.articles_created_per_address_per_hour,
                hour,
            ),
            notices: limit(
                on,
                &shared,
                "notices",
                config.notices_per_address_per_hour,
                hour,
            ),
            body_reads: BodyReads::new(if on { server.body_reads_per_address } else { 0 }),
            trusted_proxies: server
                .trusted_proxies
                .iter()
                .filter_map(|p| p.parse().ok())
                .collect(),
            ipv6_prefix: config.ipv6_prefix.clamp(1, 128),
            checks: AtomicU64::new(0),
            shared,
        })
    }

    /// `Some(true)` while the limits are counted in Redis, `Some(false)`
    /// while this instance counts alone because Redis failed; `None`
    /// without Redis.
    pub fn shared_state(&self) -> Option<bool> {
        self.shared.as_ref().map(|s| s.is_up())
    }

    /// Any request, per client address.
    pub async fn request(&self, req: &HttpRequest) -> Result<(), Limited> {
        // Idle clients are dropped now and then so memory stays small.
        if self.checks.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            self.forget_idle();
        }
        self.requests.count(&self.client_key(req)).await
    }

    pub async fn register(&self, req: &HttpRequest) -> Result<(), Limited> {
        self.register.count(&self.client_key(req)).await
    }

    /// Sign-in attempts, per address (before anything is looked up).
    pub async fn login_address(&self, req: &HttpRequest) -> Result<(), Limited> {
        self.login_address.count(&self.client_key(req)).await
    }

    /// Sign-in attempts, per account reached (or per unknown name).
    pub async fn login_account(&self, account: &AccountKey) -> Result<(), Limited> {
        let key = self.login_names.hash_one(("login", account));
        self.login_account.count(&key).await
    }

    /// Checks of the caller's own password, per account: a stolen session
    /// must not be a way to guess the password at the server's speed.
    pub async fn password_check(&self, user_id: i64) -> Result<(), Limited> {
        self.password_checks.count(&user_id).await
    }

    /// A live-thread stream opened; gives the client's key (the live
    /// hub also counts the streams each address holds open).
    pub async fn live_open(&self, req: &HttpRequest) -> Result<IpAddr, Limited> {
        let address = self.client_key(req);
        self.live_opens.count(&address).await?;
        Ok(address)
    }

    /// Password-reset requests, per address and per e-mail address asked
    /// for (whether or not an account has it, so the limit says nothing).
    pub async fn reset(&self, req: &HttpRequest, email: &str) -> Result<(), Limited> {
        self.reset_address.count(&self.client_key(req)).await?;
        let account = self
            .login_names
            .hash_one(("reset", email.trim().to_lowercase()));
        self.reset_account.count(&account).await
    }

    /// An article created because a page named an unknown key.
    pub async fn article_created(&self, address: IpAddr) -> Result<(), Limited> {
        self.articles_created.count(&address).await
    }

    /// A notice of illegal content, per address.
    pub async fn notice(&self, req: &HttpRequest) -> Result<(), Limited> {
        self.notices.count(&self.client_key(req)).await
    }

    /// Room to read one more request body from this address, held until
    /// the returned guard is dropped; `None` when the address already has
    /// as many bodies in flight as it may.
    pub fn body_read(&self, req: &HttpRequest) -> Option<BodyRead> {
        self.body_reads.enter(self.client_key(req))
    }

    pub async fn post(&self, user_id: i64) -> Result<(), Limited> {
        self.posts.count(&user_id).await
    }

    pub async fn report(&self, user_id: i64) -> Result<(), Limited> {
        self.reports.count(&user_id).await
    }

    /// Reactions added or removed, per account.
    pub async fn reaction(&self, user_id: i64) -> Result<(), Limited> {
        self.reactions.count(&user_id).await
    }

    fn forget_idle(&self) {
        self.register.forget_idle();
        self.login_address.forget_idle();
        self.login_account.forget_idle();
        self.password_checks.forget_idle();
        self.posts.forget_idle();
        self.reports.forget_idle();
        self.reactions.forget_idle();
        self.requests.forget_idle();
        self.live_opens.forget_idle();
        self.reset_address.forget_idle();
        self.reset_account.forget_idle();
        self.articles_created.forget_idle();
        self.notices.forget_idle();
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

    /// The caller as the per-address limits count it: an IPv4 address, or
    /// its IPv6 network (a /64 by default: one subscriber's allocation,
    /// which they can fill with as many addresses as they like).
    pub fn client_key(&self, req: &HttpRequest) -> IpAddr {
        address_key(self.client_address(req), self.ipv6_prefix)
    }
}

/// An IPv4 address as it is (also when it comes mapped into IPv6), an IPv6
/// address cut to its first `prefix` bits.
fn address_key(address: IpAddr, prefix: u8) -> IpAddr {
    match address.to_canonical() {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let mask = match prefix {
                0 => 0,
                p if p >= 128 => u128::MAX,
                p => u128::MAX << (128 - u32::from(p)),
            };
            IpAddr::V6(Ipv6Addr::from(bits & mask))
        }
    }
}

/// Request bodies in flight per client: a body that trickles in holds a
/// connection until its deadline, so one address may hold only so many.
struct BodyReads {
    max: u32,
    in_flight: Arc<Mutex<HashMap<IpAddr, u32>>>,
}

/// One body being read; its place is given back when dropped.
pub struct BodyRead {
    key: IpAddr,
    in_flight: Arc<Mutex<HashMap<IpAddr, u32>>>,
}

impl BodyReads {
    fn new(max: u32) -> BodyReads {
        BodyReads {
            max,
            in_flight: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    fn enter(&self, key: IpAddr) -> Option<BodyRead> {
        let mut map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        let count = map.entry(key).or_insert(0);
        if self.max > 0 && *count >= self.max {
            return None;
        }
        *count += 1;
        Some(BodyRead {
            key,
            in_flight: self.in_flight.clone(),
        })
    }
}

impl Drop for BodyRead {
    fn drop(&mut self) {
        let mut map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(count) = map.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                map.remove(&self.key);
            }
        }
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
            Err(Limited { retry_after }) => assert!((1..=20).contains(&retry_after)),
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
        // Over it, the clients that used the least go: not the one under attack.
        for key in 100..120 {
            small.check(&key).unwrap();
        }
        small.bound(10);
        assert!(small.len() <= 10, "{}", small.len());
        assert!(small.check(&7).is_err(), "the exhausted key was forgotten");
    }

    #[test]
    fn a_flood_of_fresh_clients_does_not_reset_an_account_under_attack() {
        let limit: Limit<u64> = Limit::new(true, 10, 15 * MINUTE);
        for _ in 0..10 {
            limit.check(&0).unwrap();
        }
        assert!(limit.check(&0).is_err());
        // An attacker cycles through far more names than the limit remembers.
        for key in 1..(MAX_KEYS as u64 * 2) {
            let _ = limit.check(&key);
        }
        assert!(limit.len() <= MAX_KEYS + BOUND_EVERY as usize);
        assert!(
            limit.check(&0).is_err(),
            "the account's counter started over"
        );
    }

    #[test]
    fn ipv6_callers_are_counted_by_their_network() {
        let a = address_key(ip("2001:db8:1:2:aaaa::1"), 64);
        let b = address_key(ip("2001:db8:1:2:bbbb::2"), 64);
        let c = address_key(ip("2001:db8:1:3::1"), 64);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a, ip("2001:db8:1:2::"));
        assert_ne!(
            address_key(ip("2001:db8::1"), 128),
            address_key(ip("2001:db8::2"), 128)
        );
        // IPv4, also mapped into IPv6, is one address.
        assert_eq!(address_key(ip("192.0.2.7"), 64), ip("192.0.2.7"));
        assert_eq!(address_key(ip("::ffff:192.0.2.7"), 64), ip("192.0.2.7"));
    }

    #[test]
    fn an_address_reads_only_so_many_bodies_at_once() {
        let reads = BodyReads::new(2);
        let a = ip("192.0.2.1");
        let first = reads.enter(a).unwrap();
        let _second = reads.enter(a).unwrap();
        assert!(reads.enter(a).is_none());
        assert!(
            reads.enter(ip("192.0.2.2")).is_some(),
            "others are unaffected"
        );
        drop(first);
        assert!(
            reads.enter(a).is_some(),
            "a finished read gives its place back"
        );
    }
}
