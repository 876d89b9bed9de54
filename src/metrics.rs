//! Prometheus metrics: requests by route, method and status, a latency
//! histogram, and (read at scrape time) comments by status, pool usage and the
//! page cache. Every label comes from a fixed set (the routes' patterns, the
//! standard methods, status codes), never from what a client sends, so the
//! series cannot grow with traffic.
//!
//! The Prometheus project's client (`prometheus-client`) keeps the series and
//! writes the text format (0.0.4): escaping, bucket counts and `_total`
//! suffixes are its job.

use crate::cache::PageCacheStats;

use prometheus_client::encoding::{prometheus_text, EncodeLabelSet};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

/// The `Content-Type` of what [`Metrics::render`] writes.
pub const CONTENT_TYPE: &str = prometheus_text::CONTENT_TYPE;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: Arc<str>,
    method: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabel {
    route: Arc<str>,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabel {
    status: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TableLabel {
    table: &'static str,
}

/// Rows the retention worker deleted, by table (a handle it keeps).
#[derive(Clone, Default)]
pub struct PrunedRows(Family<TableLabel, Counter>);

impl PrunedRows {
    pub fn add(&self, table: &'static str, rows: u64) {
        self.0.get_or_create(&TableLabel { table }).inc_by(rows);
    }
}

/// The scheduled backups' outcome (a handle the backup worker keeps).
#[derive(Clone, Default)]
pub struct Backups {
    last_time: Gauge,
    last_bytes: Gauge,
    failures: Counter,
}

impl Backups {
    /// A copy was written: when (Unix seconds) and its size.
    pub fn done(&self, unix_seconds: i64, bytes: u64) {
        self.last_time.set(unix_seconds);
        self.last_bytes.set(saturating_i64(bytes));
    }

    pub fn failed(&self) {
        self.failures.inc();
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabel {
    pool: &'static str,
}

type LatencyFamily = Family<RouteLabel, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

pub struct Metrics {
    registry: Registry,
    /// Each route pattern once, so that a label set is built without allocating.
    routes: RwLock<HashMap<String, Arc<str>>>,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    /// The gauges below are set from [`Gauges`] when scraped, one scrape at a time.
    scrape: Mutex<()>,
    comments: Family<StatusLabel, Gauge>,
    queue_length: Gauge,
    pool_connections: Family<PoolLabel, Gauge>,
    pool_idle_connections: Family<PoolLabel, Gauge>,
    writes_waiting: Gauge,
    page_cache_bytes: Gauge,
    page_cache_max_bytes: Gauge,
    page_cache_pages: Gauge,
    page_cache_hits: Counter,
    page_cache_misses: Counter,
    webhook_deliveries_pending: Gauge,
    webhooks_disabled: Gauge,
    mails_pending: Gauge,
    live_clients: Gauge,
    rate_limits_redis_up: Gauge,
    pruned_rows: PrunedRows,
    backups: Backups,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut metrics = Metrics {
            registry: Registry::default(),
            routes: RwLock::default(),
            requests: Family::default(),
            latency: LatencyFamily::new_with_constructor(latency_histogram),
            scrape: Mutex::new(()),
            comments: Family::default(),
            queue_length: Gauge::default(),
            pool_connections: Family::default(),
            pool_idle_connections: Family::default(),
            writes_waiting: Gauge::default(),
            page_cache_bytes: Gauge::default(),
            page_cache_max_bytes: Gauge::default(),
            page_cache_pages: Gauge::default(),
            page_cache_hits: Counter::default(),
            page_cache_misses: Counter::default(),
            webhook_deliveries_pending: Gauge::default(),
            webhooks_disabled: Gauge::default(),
            mails_pending: Gauge::default(),
            live_clients: Gauge::default(),
            rate_limits_redis_up: Gauge::default(),
            pruned_rows: PrunedRows::default(),
            backups: Backups::default(),
        };
        metrics.register();
        metrics
    }
}

impl Metrics {
    fn register(&mut self) {
        let r = &mut self.registry;
        // Counters are written with `_total` after these names.
        r.register(
            "tribune_http_requests",
            "HTTP requests answered",
            self.requests.clone(),
        );
        r.register(
            "tribune_http_request_duration_seconds",
            "Time to answer",
            self.latency.clone(),
        );
        r.register(
            "tribune_comments",
            "Comments by status",
            self.comments.clone(),
        );
        r.register(
            "tribune_queue_length",
            "Comments waiting for a moderator",
            self.queue_length.clone(),
        );
        r.register(
            "tribune_pool_connections",
            "Database connections open, by pool",
            self.pool_connections.clone(),
        );
        r.register(
            "tribune_pool_idle_connections",
            "Database connections idle, by pool",
            self.pool_idle_connections.clone(),
        );
        r.register(
            "tribune_writes_waiting",
            "Writes queued for SQLite's writer or running",
            self.writes_waiting.clone(),
        );
        r.register(
            "tribune_page_cache_bytes",
            "Bytes of thread pages kept for anonymous readers",
            self.page_cache_bytes.clone(),
        );
        r.register(
            "tribune_page_cache_max_bytes",
            "The page cache's budget (cache.thread_pages_max_bytes)",
            self.page_cache_max_bytes.clone(),
        );
        r.register(
            "tribune_page_cache_pages",
            "Thread pages kept",
            self.page_cache_pages.clone(),
        );
        r.register(
            "tribune_page_cache_hits",
            "Thread pages served from the cache",
            self.page_cache_hits.clone(),
        );
        r.register(
            "tribune_page_cache_misses",
            "Thread pages built for anonymous readers",
            self.page_cache_misses.clone(),
        );
        r.register(
            "tribune_webhook_deliveries_pending",
            "Webhook deliveries not yet made, retries included",
            self.webhook_deliveries_pending.clone(),
        );
        r.register(
            "tribune_webhooks_disabled",
            "Webhook endpoints disabled after failing (an admin enables them again)",
            self.webhooks_disabled.clone(),
        );
        r.register(
            "tribune_mails_pending",
            "Mails not yet taken by the SMTP server, retries included",
            self.mails_pending.clone(),
        );
        r.register(
            "tribune_live_clients",
            "Live thread streams open on this instance",
            self.live_clients.clone(),
        );
        r.register(
            "tribune_rate_limits_redis_up",
            "1 while rate limits are counted in Redis, shared by the instances; 0 while this instance counts alone (no rate_limit.redis_url, or Redis failed)",
            self.rate_limits_redis_up.clone(),
        );
        r.register(
            "tribune_pruned_rows",
            "Rows deleted by the retention worker, by table",
            self.pruned_rows.0.clone(),
        );
        r.register(
            "tribune_backup_last_success_timestamp_seconds",
            "When the last scheduled backup was written (Unix time; 0: none yet)",
            self.backups.last_time.clone(),
        );
        r.register(
            "tribune_backup_last_size_bytes",
            "Size of the last scheduled backup",
            self.backups.last_bytes.clone(),
        );
        r.register(
            "tribune_backup_failures",
            "Scheduled backups that failed",
            self.backups.failures.clone(),
        );
    }

    /// The backup gauges, for the backup worker.
    pub fn backups(&self) -> Backups {
        self.backups.clone()
    }

    /// The counter of pruned rows, for the retention worker.
    pub fn pruned_rows(&self) -> PrunedRows {
        self.pruned_rows.clone()
    }

    /// `route` is the matched pattern (`/api/v1/comments/{id}`) or a fixed
    /// word, so labels stay few; a method outside the standard ones is `other`.
    pub fn record(&self, route: &str, method: &str, status: u16, elapsed: Duration) {
        let method = match method {
            "GET" => "GET",
            "HEAD" => "HEAD",
            "POST" => "POST",
            "PUT" => "PUT",
            "PATCH" => "PATCH",
            "DELETE" => "DELETE",
            "OPTIONS" => "OPTIONS",
            _ => "other",
        };
        let route = self.route(route);
        self.requests
            .get_or_create(&RequestLabels {
                route: route.clone(),
                method,
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabel { route })
            .observe(elapsed.as_secs_f64());
    }

    /// The shared copy of a route pattern; only a pattern never seen before allocates.
    fn route(&self, pattern: &str) -> Arc<str> {
        let known = self.routes.read().unwrap_or_else(PoisonError::into_inner);
        if let Some(route) = known.get(pattern) {
            return route.clone();
        }
        drop(known);
        let mut routes = self.routes.write().unwrap_or_else(PoisonError::into_inner);
        routes
            .entry(pattern.to_string())
            .or_insert_with(|| Arc::from(pattern))
            .clone()
    }

    /// The text exposition format, with the gauges read at scrape time.
    pub fn render(&self, gauges: &Gauges) -> String {
        let _one_scrape = self.scrape.lock().unwrap_or_else(PoisonError::into_inner);
        // Statuses the database did not answer for are left out, not kept stale.
        self.comments.clear();
        for (status, n) in &gauges.comments {
            self.comments.get_or_create(&StatusLabel { status }).set(*n);
        }
        self.queue_length.set(gauges.queue_length);
        if let Some(backlog) = gauges.backlog {
            self.webhook_deliveries_pending
                .set(backlog.webhook_deliveries);
            self.webhooks_disabled.set(backlog.webhooks_disabled);
            self.mails_pending.set(backlog.mails);
        }
        self.live_clients
            .set(saturating_i64(gauges.live_clients as u64));
        self.rate_limits_redis_up
            .set(i64::from(gauges.rate_limits_shared == Some(true)));
        let ((read_open, read_idle), (write_open, write_idle)) = gauges.pools;
        for (pool, open, idle) in [
            ("read", read_open, read_idle),
            ("write", write_open, write_idle),
        ] {
            let label = PoolLabel { pool };
            self.pool_connections
                .get_or_create(&label)
                .set(i64::from(open));
            self.pool_idle_connections
                .get_or_create(&label)
                .set(i64::from(idle));
        }
        self.writes_waiting
            .set(saturating_i64(gauges.writes_waiting as u64));
        let cache = &gauges.page_cache;
        self.page_cache_bytes.set(saturating_i64(cache.bytes));
        self.page_cache_max_bytes
            .set(saturating_i64(cache.max_bytes));
        self.page_cache_pages
            .set(saturating_i64(cache.pages as u64));
        // The cache counts; these counters show its totals as they are.
        self.page_cache_hits
            .inner()
            .store(cache.hits, Ordering::Relaxed);
        self.page_cache_misses
            .inner()
            .store(cache.misses, Ordering::Relaxed);

        let mut out = String::new();
        if let Err(e) = prometheus_text::encode(&mut out, &self.registry) {
            tracing::error!(cause = %e, "metrics could not be written");
        }
        out
    }
}

fn saturating_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Values read from the database and the pools when scraped.
pub struct Gauges {
    pub comments: Vec<(&'static str, i64)>,
    /// What the workers still owe; `None` when the database did not answer.
    pub backlog: Option<Backlog>,
    pub live_clients: usize,
    /// Whether the rate limits are counted in Redis now (`None`: not configured).
    pub rate_limits_shared: Option<bool>,
    pub queue_length: i64,
    /// (open, idle) for the read pool and the write pool.
    pub pools: ((u32, u32), (u32, u32)),
    pub writes_waiting: usize,
    pub page_cache: PageCacheStats,
}

/// Work waiting in the outbox: deliveries and mails not yet made.
#[derive(Debug, Clone, Copy, Default)]
pub struct Backlog {
    pub webhook_deliveries: i64,
    pub webhooks_disabled: i64,
    pub mails: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::PageCache;

    #[test]
    fn renders_counters_and_histograms() {
        let m = Metrics::default();
        m.record(
            "/api/v1/comments/{id}",
            "GET",
            200,
            Duration::from_millis(3),
        );
        m.record(
            "/api/v1/comments/{id}",
            "GET",
            200,
            Duration::from_millis(30),
        );
        let text = m.render(&Gauges {
            comments: vec![("approved", 4)],
            backlog: Some(Backlog {
                webhook_deliveries: 7,
                webhooks_disabled: 1,
                mails: 2,
            }),
            live_clients: 3,
            rate_limits_shared: None,
            queue_length: 2,
            pools: ((3, 1), (1, 1)),
            writes_waiting: 5,
            page_cache: PageCacheStats {
                bytes: 2048,
                max_bytes: 4096,
                pages: 3,
                hits: 10,
                misses: 4,
            },
        });
        assert!(text.contains(
            "tribune_http_requests_total{route=\"/api/v1/comments/{id}\",method=\"GET\",status=\"200\"} 2"
        ));
        assert!(text.contains(
            "tribune_http_request_duration_seconds_bucket{route=\"/api/v1/comments/{id}\",le=\"0.005\"} 1"
        ));
        assert!(text.contains(
            "tribune_http_request_duration_seconds_count{route=\"/api/v1/comments/{id}\"} 2"
        ));
        assert!(text.contains("tribune_comments{status=\"approved\"} 4"));
        assert!(text.contains("tribune_queue_length 2"));
        assert!(text.contains("tribune_pool_connections{pool=\"read\"} 3"));
        assert!(text.contains("tribune_writes_waiting 5"));
        assert!(text.contains("tribune_page_cache_bytes 2048\n"));
        assert!(text.contains("tribune_page_cache_hits_total 10\n"));
        assert!(text.contains("tribune_webhook_deliveries_pending 7\n"));
        assert!(text.contains("tribune_webhooks_disabled 1\n"));
        assert!(text.contains("tribune_mails_pending 2\n"));
        assert!(text.contains("tribune_live_clients 3\n"));
    }

    #[test]
    fn backups_show_their_last_time_and_size() {
        let m = Metrics::default();
        let text = m.render(&nothing_else());
        assert!(text.contains("tribune_backup_last_success_timestamp_seconds 0\n"));
        m.backups().done(1_790_000_000, 4096);
        m.backups().failed();
        let text = m.render(&nothing_else());
        assert!(text.contains("tribune_backup_last_success_timestamp_seconds 1790000000\n"));
        assert!(text.contains("tribune_backup_last_size_bytes 4096\n"));
        assert!(text.contains("tribune_backup_failures_total 1\n"));
    }

    /// Gauges of an empty, idle instance.
    fn nothing_else() -> Gauges {
        Gauges {
            comments: vec![],
            backlog: None,
            live_clients: 0,
            rate_limits_shared: None,
            queue_length: 0,
            pools: ((0, 0), (0, 0)),
            writes_waiting: 0,
            page_cache: PageCache::new(0).stats(),
        }
    }

    #[test]
    fn label_values_are_escaped() {
        let m = Metrics::default();
        m.record("a\"b\\c\nd", "GET", 200, Duration::from_millis(1));
        let text = m.render(&nothing_else());
        assert!(text.contains("route=\"a\\\"b\\\\c\\nd\""), "{text}");
    }

    #[test]
    fn methods_outside_the_standard_ones_share_one_label() {
        let m = Metrics::default();
        for method in ["BREW", "PROPFIND", "X-ANYTHING", "GET"] {
            m.record("unmatched", method, 404, Duration::from_millis(1));
        }
        let text = m.render(&nothing_else());
        assert!(text.contains(
            "tribune_http_requests_total{route=\"unmatched\",method=\"other\",status=\"404\"} 3"
        ));
        assert!(text.contains("method=\"GET\""));
        assert!(!text.contains("BREW") && !text.contains("PROPFIND"));
    }
}
