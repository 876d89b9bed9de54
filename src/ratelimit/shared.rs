//! Limits counted in Redis, so that instances behind one load balancer
//! share them: N instances no longer give a client N times each limit.
//!
//! The algorithm is the one governor runs in memory, GCRA, in a Lua script
//! that Redis runs atomically: one number per key (its theoretical arrival
//! time), read and written in one step, with Redis's own clock so that the
//! instances' clocks do not matter. A fixed window (`INCR` and `EXPIRE`)
//! would be simpler but lets twice a limit through across a window's edge;
//! GCRA keeps exactly the in-memory limits' behaviour, burst included. The
//! key expires when its allowance is whole again, so Redis holds only the
//! clients limited right now.
//!
//! Redis away or slow: the instance counts on its own (the in-memory limits)
//! and says so in the log and in `/metrics`, then tries Redis again a few
//! seconds later. It never refuses everyone and never lets everyone through.

use redis::aio::ConnectionManager;
use redis::Script;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// KEYS[1]: the client's key; ARGV[1]: the emission interval, in µs;
/// ARGV[2]: the burst. Answers 0 (allowed) or the µs to wait.
const GCRA: &str = r"
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = interval * (tonumber(ARGV[2]) - 1)
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
if now < tat - tolerance then
  return tat - tolerance - now
end
local next = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', next), 'PX', math.ceil((next - now) / 1000) + 1)
return 0
";

/// How long a check may wait for Redis before the instance counts alone.
const TIMEOUT: Duration = Duration::from_millis(250);
/// How long the instance counts alone after Redis failed it.
const RETRY_AFTER: Duration = Duration::from_secs(5);

/// What Redis said of one request.
pub enum Verdict {
    Allowed,
    /// Refused: wait this long.
    Wait(Duration),
}

/// The connection to Redis, made and kept by a thread of its own (its
/// runtime drives the connection; every worker's requests use it).
pub struct Shared {
    connection: Arc<RwLock<Option<ConnectionManager>>>,
    script: Script,
    prefix: String,
    up: AtomicBool,
    /// Milliseconds after `started` before which Redis is not tried again.
    retry_at: AtomicU64,
    started: Instant,
}

impl Shared {
    /// Connects in the background; until connected, checks count locally.
    pub fn start(url: &str, prefix: &str) -> Result<Shared, String> {
        let client = redis::Client::open(url).map_err(|e| format!("rate_limit.redis_url: {e}"))?;
        let connection = Arc::new(RwLock::new(None));
        let slot = connection.clone();
        std::thread::Builder::new()
            .name("tribune-redis".into())
            .spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    tracing::error!("rate limits: no runtime for Redis; counting on this instance only");
                    return;
                };
                runtime.block_on(async move {
                    loop {
                        match ConnectionManager::new(client.clone()).await {
                            Ok(manager) => {
                                if let Ok(mut slot) = slot.write() {
                                    *slot = Some(manager);
                                }
                                break;
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "rate limits: Redis unreachable; counting on this instance until it answers");
                                tokio::time::sleep(RETRY_AFTER).await;
                            }
                        }
                    }
                    // The manager's tasks (and its reconnections) run here.
                    std::future::pending::<()>().await;
                });
            })
            .map_err(|e| e.to_string())?;
        Ok(Shared {
            connection,
            script: Script::new(GCRA),
            prefix: format!("{prefix}limit:"),
            up: AtomicBool::new(false),
            retry_at: AtomicU64::new(0),
            started: Instant::now(),
        })
    }

    /// Whether the last check was counted in Redis.
    pub fn is_up(&self) -> bool {
        self.up.load(Ordering::Relaxed)
    }

    /// One request of `key` under the limit `name`; `None` when Redis
    /// could not count it (the caller counts locally).
    pub async fn check(
        &self,
        name: &str,
        key: &str,
        interval: Duration,
        burst: u32,
    ) -> Option<Verdict> {
        let now = self.started.elapsed().as_millis() as u64;
        if now < self.retry_at.load(Ordering::Relaxed) {
            return None;
        }
        let mut connection = self.connection.read().ok()?.clone()?;
        let mut call = self.script.key(format!("{}{name}:{key}", self.prefix));
        call.arg(interval.as_micros().max(1) as u64).arg(burst);
        let answer = tokio::time::timeout(TIMEOUT, call.invoke_async::<i64>(&mut connection)).await;
        match answer {
            Ok(Ok(wait)) => {
                if !self.up.swap(true, Ordering::Relaxed) {
                    tracing::info!("rate limits: counted in Redis, shared by every instance");
                }
                Some(if wait <= 0 {
                    Verdict::Allowed
                } else {
                    Verdict::Wait(Duration::from_micros(wait as u64))
                })
            }
            Ok(Err(e)) => self.failed(now, &e.to_string()),
            Err(_) => self.failed(now, "no answer in time"),
        }
    }

    fn failed(&self, now: u64, cause: &str) -> Option<Verdict> {
        self.retry_at
            .store(now + RETRY_AFTER.as_millis() as u64, Ordering::Relaxed);
        if self.up.swap(false, Ordering::Relaxed) || now < 1000 {
            tracing::warn!(
                cause,
                "rate limits: Redis failed; counting on this instance for now"
            );
        }
        None
    }
}
