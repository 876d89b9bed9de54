//! Prometheus metrics: requests by route, method and status, a latency
//! histogram, and (read at scrape time) comments by status, pool usage and the
//! page cache. Every label comes from a fixed set (the routes' patterns, the
//! standard methods, status codes), never from what a client sends, so the
//! series cannot grow with traffic.

use crate::cache::PageCacheStats;

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

#[derive(Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// Requests of one route by (method, status).
type ByMethodAndStatus = HashMap<(&'static str, u16), u64>;

#[derive(Default)]
pub struct Metrics {
    /// Requests by route, then by (method, status).
    requests: Mutex<HashMap<String, ByMethodAndStatus>>,
    latency: Mutex<HashMap<String, Histogram>>,
}

impl Metrics {
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
        // Looked up by `&str` first: a route seen before costs no allocation.
        if let Ok(mut requests) = self.requests.lock() {
            let by_route = match requests.get_mut(route) {
                Some(by_route) => by_route,
                None => requests.entry(route.to_string()).or_default(),
            };
            *by_route.entry((method, status)).or_default() += 1;
        }
        if let Ok(mut latency) = self.latency.lock() {
            let h = match latency.get_mut(route) {
                Some(h) => h,
                None => latency.entry(route.to_string()).or_default(),
            };
            let seconds = elapsed.as_secs_f64();
            for (i, bound) in BUCKETS.iter().enumerate() {
                if seconds <= *bound {
                    h.counts[i] += 1;
                }
            }
            h.count += 1;
            h.sum += seconds;
        }
    }

    /// The text exposition format, with the gauges read at scrape time.
    pub fn render(&self, gauges: &Gauges) -> String {
        let mut out = String::new();
        out.push_str("# HELP tribune_http_requests_total HTTP requests answered.\n");
        out.push_str("# TYPE tribune_http_requests_total counter\n");
        if let Ok(requests) = self.requests.lock() {
            let mut rows: Vec<_> = requests
                .iter()
                .flat_map(|(route, by)| by.iter().map(move |((m, s), n)| (route, *m, *s, *n)))
                .collect();
            rows.sort();
            for (route, method, status, n) in rows {
                let _ = writeln!(
                    out,
                    "tribune_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{status}\"}} {n}",
                    escape(route),
                    escape(method)
                );
            }
        }
        out.push_str("# HELP tribune_http_request_duration_seconds Time to answer.\n");
        out.push_str("# TYPE tribune_http_request_duration_seconds histogram\n");
        if let Ok(latency) = self.latency.lock() {
            let mut rows: Vec<_> = latency.iter().collect();
            rows.sort_by(|a, b| a.0.cmp(b.0));
            for (route, h) in rows {
                let route = escape(route);
                for (bound, n) in BUCKETS.iter().zip(h.counts) {
                    let _ = writeln!(
                        out,
                        "tribune_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"{bound}\"}} {n}"
                    );
                }
                let _ = writeln!(
                    out,
                    "tribune_http_request_duration_seconds_bucket{{route=\"{route}\",le=\"+Inf\"}} {}\n\
                     tribune_http_request_duration_seconds_sum{{route=\"{route}\"}} {}\n\
                     tribune_http_request_duration_seconds_count{{route=\"{route}\"}} {}",
                    h.count, h.sum, h.count
                );
            }
        }
        out.push_str(
            "# HELP tribune_comments Comments by status.\n# TYPE tribune_comments gauge\n",
        );
        for (status, n) in &gauges.comments {
            let _ = writeln!(out, "tribune_comments{{status=\"{status}\"}} {n}");
        }
        let _ = write!(
            out,
            "# HELP tribune_queue_length Comments waiting for a moderator.\n\
             # TYPE tribune_queue_length gauge\ntribune_queue_length {}\n\
             # HELP tribune_pool_connections Database connections open, by pool.\n\
             # TYPE tribune_pool_connections gauge\n\
             tribune_pool_connections{{pool=\"read\"}} {}\ntribune_pool_connections{{pool=\"write\"}} {}\n\
             # HELP tribune_pool_idle_connections Database connections idle, by pool.\n\
             # TYPE tribune_pool_idle_connections gauge\n\
             tribune_pool_idle_connections{{pool=\"read\"}} {}\ntribune_pool_idle_connections{{pool=\"write\"}} {}\n\
             # HELP tribune_writes_waiting Writes queued for SQLite's writer or running.\n\
             # TYPE tribune_writes_waiting gauge\ntribune_writes_waiting {}\n\
             # HELP tribune_page_cache_bytes Bytes of thread pages kept for anonymous readers.\n\
             # TYPE tribune_page_cache_bytes gauge\ntribune_page_cache_bytes {}\n\
             # HELP tribune_page_cache_max_bytes The page cache's budget (cache.thread_pages_max_bytes).\n\
             # TYPE tribune_page_cache_max_bytes gauge\ntribune_page_cache_max_bytes {}\n\
             # HELP tribune_page_cache_pages Thread pages kept.\n\
             # TYPE tribune_page_cache_pages gauge\ntribune_page_cache_pages {}\n\
             # HELP tribune_page_cache_hits_total Thread pages served from the cache.\n\
             # TYPE tribune_page_cache_hits_total counter\ntribune_page_cache_hits_total {}\n\
             # HELP tribune_page_cache_misses_total Thread pages built for anonymous readers.\n\
             # TYPE tribune_page_cache_misses_total counter\ntribune_page_cache_misses_total {}\n",
            gauges.queue_length,
            gauges.pools.0 .0,
            gauges.pools.1 .0,
            gauges.pools.0 .1,
            gauges.pools.1 .1,
            gauges.writes_waiting,
            gauges.page_cache.bytes,
            gauges.page_cache.max_bytes,
            gauges.page_cache.pages,
            gauges.page_cache.hits,
            gauges.page_cache.misses,
        );
        out
    }
}

/// Values read from the database and the pools when scraped.
pub struct Gauges {
    pub comments: Vec<(&'static str, i64)>,
    pub queue_length: i64,
    /// (open, idle) for the read pool and the write pool.
    pub pools: ((u32, u32), (u32, u32)),
    pub writes_waiting: usize,
    pub page_cache: PageCacheStats,
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
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
    }

    #[test]
    fn methods_outside_the_standard_ones_share_one_label() {
        let m = Metrics::default();
        for method in ["BREW", "PROPFIND", "X-ANYTHING", "GET"] {
            m.record("unmatched", method, 404, Duration::from_millis(1));
        }
        let text = m.render(&Gauges {
            comments: vec![],
            queue_length: 0,
            pools: ((0, 0), (0, 0)),
            writes_waiting: 0,
            page_cache: PageCache::new(0).stats(),
        });
        assert!(text.contains(
            "tribune_http_requests_total{route=\"unmatched\",method=\"other\",status=\"404\"} 3"
        ));
        assert!(text.contains("method=\"GET\""));
        assert!(!text.contains("BREW") && !text.contains("PROPFIND"));
    }
}
