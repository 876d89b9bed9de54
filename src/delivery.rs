//! The webhook worker: a thread of its own that takes due deliveries from the
//! database, sends them signed, and records what came of each. Deliveries are
//! rows, so whatever a crash interrupts is sent after the restart (at least
//! once); the rules live in `service::webhooks`.

use crate::config::WebhooksConfig;
use crate::domain::events::{is_public_address, WebhookUrl};
use crate::service::webhooks::{self, Outcome, Outgoing};
use crate::store::webhooks::Due;
use crate::store::Db;
use crate::worker::Worker;
use futures_util::StreamExt;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// How long a part batch waits for more before it is settled and the next taken.
const GATHER_MS: u64 = 100;

pub fn start(db: Db, config: WebhooksConfig) -> std::io::Result<Worker> {
    Worker::spawn("webhooks", move |alive| run(db, config, alive))
}

async fn run(db: Db, config: WebhooksConfig, alive: Weak<()>) {
    let pause = Duration::from_millis(config.poll_ms);
    let gather = Duration::from_millis(GATHER_MS);
    let client = match client(&config) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhooks: no HTTP client, nothing will be delivered");
            return;
        }
    };
    let mut due = Vec::new();
    while alive.strong_count() > 0 {
        if due.is_empty() {
            due = match webhooks::claim(&db, &config).await {
                Ok(due) => due,
                Err(e) => {
                    tracing::warn!(error = %e, "webhooks: cannot take due deliveries");
                    Vec::new()
                }
            };
            if due.is_empty() {
                tokio::time::sleep(pause).await;
                continue;
            }
        }
        let sends = due.into_iter().map(|d| deliver(&config, &client, d));
        let sent: Vec<_> = futures_util::stream::iter(sends)
            .buffered(config.in_flight)
            .collect()
            .await;
        if sent.len() < config.batch as usize {
            // Events come slower than they are sent: let the next batch
            // gather a moment, so that under a stream of events the single
            // writer records and takes many deliveries per write, not a few
            // (each write has a cost of its own, paid by the posts queued
            // behind it).
            tokio::time::sleep(gather.min(pause)).await;
        }
        due = match webhooks::settle_and_claim(&db, &config, sent).await {
            Ok(next) => next,
            Err(e) => {
                // The leases run out and the deliveries are made again: at least once.
                tracing::warn!(error = %e, "webhooks: cannot record deliveries");
                Vec::new()
            }
        };
    }
}

/// One client for every delivery: the system's roots, no redirects, the
/// timeout, and a resolver that refuses non-public addresses (checked at
/// connection time, so a name cannot point elsewhere between check and use).
fn client(config: &WebhooksConfig) -> Result<reqwest::Client, reqwest::Error> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(config.timeout_seconds))
        .user_agent(concat!("Tribune/", env!("CARGO_PKG_VERSION")))
        .dns_resolver(Arc::new(PublicOnly {
            allow_private: config.allow_private,
        }));
    // A proxy from the environment (HTTP_PROXY, HTTPS_PROXY) would resolve
    // the endpoint's name itself, out of the address check's reach: only a
    // proxy configured for webhooks is used, and it answers for the check.
    builder = match config.proxy.trim() {
        "" => builder.no_proxy(),
        proxy => builder.proxy(reqwest::Proxy::all(proxy)?),
    };
    for cert in rustls_native_certs::load_native_certs().certs {
        if let Ok(cert) = reqwest::Certificate::from_der(cert.as_ref()) {
            builder = builder.add_root_certificate(cert);
        }
    }
    builder.build()
}

struct PublicOnly {
    allow_private: bool,
}

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<std::net::SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if !allow_private && addrs.iter().any(|a| !is_public_address(a.ip())) {
                return Err("refused: the host resolves to a non-public address".into());
            }
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

async fn deliver(config: &WebhooksConfig, client: &reqwest::Client, due: Due) -> (Due, Outcome) {
    let outgoing = webhooks::outgoing(&due);
    let outcome = send(config, client, &outgoing).await;
    if let Outcome::Error(e) = &outcome {
        tracing::info!(url = %outgoing.url, error = %e, "webhook delivery failed");
    }
    (due, outcome)
}

/// One POST. A host written as an address is checked here; a name is checked
/// by the client's resolver.
async fn send(config: &WebhooksConfig, client: &reqwest::Client, out: &Outgoing) -> Outcome {
    let Ok(url) = WebhookUrl::parse(&out.url) else {
        return Outcome::Error("invalid URL".into());
    };
    let (host, _) = url.host_and_port();
    if let Ok(ip) = host.parse::<std::net::IpAddr>() {
        if !config.allow_private && !is_public_address(ip) {
            return Outcome::Error("refused: a non-public address".into());
        }
    }
    let sent = client
        .post(url.url().clone())
        .header("Content-Type", "application/json")
        .header("Tribune-Signature", &out.signature)
        .header("Tribune-Event", &out.event_type)
        .header("Tribune-Delivery", &out.delivery_key)
        .body(out.body.clone())
        .send()
        .await;
    match sent {
        Ok(res) => Outcome::Status(res.status().as_u16()),
        Err(e) if e.is_timeout() => Outcome::Error("timed out".into()),
        Err(e) if e.is_connect() => Outcome::Error(connect_error(&e)),
        Err(e) => Outcome::Error(e.to_string()),
    }
}

/// "connection failed", or the resolver's refusal when that was the cause.
fn connect_error(e: &reqwest::Error) -> String {
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if text.starts_with("refused:") {
            return text;
        }
        source = cause.source();
    }
    "connection failed".into()
}
