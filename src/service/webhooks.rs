//! Webhook endpoints and what is owed to them: registering an endpoint (and
//! refusing addresses inside the network), signing a delivery, deciding
//! what a failure leads to (a retry, giving up, disabling the endpoint).
//! The worker that sends them is `crate::delivery`.

use super::ServiceError;
use crate::config::Config;
use crate::config::WebhooksConfig;
use crate::domain::events::{is_public_address, EventType, WebhookUrl};
use crate::domain::{retry, time, FieldError, WebhookId};
use crate::store::models::{AttemptWithEvent, NewWebhook, WebhookRow};
use crate::store::webhooks::{Attempt, Due, FAILED, PENDING};
use crate::store::{self, now_ms, Db, DbConnection};
use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::value::RawValue;
use sha2::Sha256;
use std::collections::HashSet;
use std::net::SocketAddr;

/// How many attempts an admin sees.
pub const ATTEMPTS_SHOWN: i64 = 50;

/// An endpoint as created: its secret is shown this once.
pub struct Created {
    pub webhook: WebhookRow,
}

/// Where a URL's host points, refused when it is not public and
/// `allow_private` is off. Gives the addresses to connect to.
pub async fn check_address(
    url: &WebhookUrl,
    allow_private: bool,
) -> Result<Vec<SocketAddr>, FieldError> {
    let (host, port) = url.host_and_port();
    let addrs: Vec<SocketAddr> = match host.parse::<std::net::IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((host.as_str(), port))
            .await
            .map_err(|_| FieldError::new("url", "validation-webhook-unresolved"))?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(FieldError::new("url", "validation-webhook-unresolved"));
    }
    if !allow_private && addrs.iter().any(|a| !is_public_address(a.ip())) {
        return Err(FieldError::new("url", "validation-webhook-address"));
    }
    Ok(addrs)
}

fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    format!("whsec_{}", crate::text::hex(&bytes))
}

pub async fn create(
    db: &Db,
    config: &Config,
    url: WebhookUrl,
    events: Vec<EventType>,
) -> Result<Created, ServiceError> {
    if !config.webhooks.allow_private {
        check_address(&url, false).await?;
    }
    let events: Vec<&str> = events.iter().map(|e| e.as_str()).collect();
    let events = events.join(",");
    let webhook = db
        .write(move |conn| {
            store::webhooks::insert(
                conn,
                NewWebhook {
                    url: url.as_str(),
                    events: &events,
                    secret: &new_secret(),
                    enabled: true,
                    failures: 0,
                    created_at: now_ms(),
                },
            )
        })
        .await?;
    Ok(Created { webhook })
}

pub fn list(conn: &mut DbConnection) -> Result<Vec<WebhookRow>, ServiceError> {
    Ok(store::webhooks::list(conn)?)
}

pub fn remove(conn: &mut DbConnection, id: WebhookId) -> Result<(), ServiceError> {
    Ok(store::webhooks::delete(conn, WebhookId(id.get()))?)
}

/// Turns an endpoint on again (what it is owed is retried now) or off.
pub fn set_enabled(
    conn: &mut DbConnection,
    id: WebhookId,
    enabled: bool,
) -> Result<WebhookRow, ServiceError> {
    Ok(store::webhooks::set_enabled(
        conn,
        WebhookId(id.get()),
        enabled,
        now_ms(),
    )?)
}

pub fn attempts(
    conn: &mut DbConnection,
    id: WebhookId,
) -> Result<Vec<AttemptWithEvent>, ServiceError> {
    store::webhooks::get(conn, WebhookId(id.get()))?;
    Ok(store::webhooks::attempts(
        conn,
        WebhookId(id.get()),
        ATTEMPTS_SHOWN,
    )?)
}

/// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
pub fn signature(secret: &str, t: i64, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!(
        "t={t},v1={}",
        crate::text::hex(&mac.finalize().into_bytes())
    )
}

/// A delivery ready to send: where, the body, and its headers' values.
pub struct Outgoing {
    pub url: String,
    pub body: Vec<u8>,
    pub event_type: String,
    pub delivery_key: String,
    pub signature: String,
}

/// The body a receiver gets: the event as recorded. Its data is JSON the
/// outbox wrote from the typed event (`domain::events::Event`), passed on
/// as it is rather than parsed and written again: during an upgrade, an
/// instance of the older version would drop the fields it does not know.
#[derive(Serialize)]
struct Body<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    created_at: String,
    data: &'a RawValue,
}

pub fn outgoing(due: &Due) -> Outgoing {
    let null = RawValue::NULL;
    let data = serde_json::from_str::<&RawValue>(&due.event.data).unwrap_or(null);
    let body = serde_json::to_vec(&Body {
        id: &due.event.uid,
        kind: &due.event.kind,
        created_at: time::format(due.event.created_at),
        data,
    })
    .expect("JSON");
    let t = now_ms() / 1000;
    Outgoing {
        url: due.webhook.url.clone(),
        signature: signature(&due.webhook.secret, t, &body),
        body,
        event_type: due.event.kind.clone(),
        // The same for every attempt of this delivery: receivers deduplicate on it.
        delivery_key: format!("{}-{}", due.event.uid, due.webhook.id),
    }
}

/// How long a claimed delivery stays with its worker: a batch is sent
/// `in_flight` at a time, so as many timeouts as there are rounds, and a margin.
pub fn lease_ms(config: &WebhooksConfig) -> i64 {
    let rounds = (config.batch.max(1) as u64).div_ceil(config.in_flight.max(1) as u64);
    (rounds * config.timeout_seconds + 5) as i64 * 1000
}

/// Takes due deliveries; a cheap read first, so an idle instance writes nothing.
pub async fn claim(db: &Db, config: &WebhooksConfig) -> Result<Vec<Due>, ServiceError> {
    let now = now_ms();
    if !db
        .read_quick(move |conn| store::webhooks::any_due(conn, now))
        .await?
    {
        return Ok(Vec::new());
    }
    let (lease, batch) = (lease_ms(config), config.batch);
    let ids = db
        .write(move |conn| store::webhooks::claim_due(conn, now, now + lease, batch))
        .await?;
    load(db, ids).await
}

/// The taken deliveries' rows, read outside the write: the single writer
/// only moves their leases.
async fn load(db: &Db, ids: Vec<i64>) -> Result<Vec<Due>, ServiceError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(db
        .read(move |conn| store::webhooks::load_due(conn, &ids))
        .await?)
}

/// What sending gave: the HTTP status, or why there was none.
pub enum Outcome {
    Status(u16),
    Error(String),
}

/// Records what came of a batch of attempts and takes the next due batch,
/// in one write: under a stream of events the worker then costs the
/// single writer one write per batch, not one per delivery, and the
/// successes (the usual case) take two statements whatever their number.
pub async fn settle_and_claim(
    db: &Db,
    config: &WebhooksConfig,
    sent: Vec<(Due, Outcome)>,
) -> Result<Vec<Due>, ServiceError> {
    let config = config.clone();
    let jitters: Vec<f64> = sent.iter().map(|_| rand::random()).collect();
    let taken = db
        .write(move |conn| -> Result<_, ServiceError> {
            let now = now_ms();
            // Endpoints whose failure count may be above zero now.
            let mut failing: HashSet<i64> = sent
                .iter()
                .filter(|(due, _)| due.webhook.failures > 0)
                .map(|(due, _)| due.webhook.id)
                .collect();
            let mut attempts = Vec::with_capacity(sent.len());
            let mut delivered = Vec::with_capacity(sent.len());
            for ((due, outcome), jitter) in sent.iter().zip(jitters) {
                let (status_code, error, ok) = match outcome {
                    Outcome::Status(s) => (Some(*s as i32), None, (200..300).contains(s)),
                    Outcome::Error(e) => (None, Some(e.as_str()), false),
                };
                attempts.push(Attempt {
                    webhook_id: due.webhook.id,
                    delivery_id: due.delivery_id,
                    status_code,
                    error,
                    ok,
                    at: now,
                });
                if ok {
                    delivered.push(due.delivery_id);
                    // A success ends a run of failures (no statement when there was none).
                    if failing.remove(&due.webhook.id) {
                        store::webhooks::reset_failures(conn, WebhookId(due.webhook.id))?;
                    }
                } else {
                    failing.insert(due.webhook.id);
                    retry_later(conn, &config, due, now, jitter)?;
                }
            }
            store::webhooks::insert_attempts(conn, &attempts)?;
            store::webhooks::mark_delivered(conn, &delivered, now)?;
            Ok(store::webhooks::claim_due(
                conn,
                now,
                now + lease_ms(&config),
                config.batch,
            )?)
        })
        .await?;
    load(db, taken).await
}

/// After a failed attempt: a retry later, or giving up past the retry
/// window; counts the failure against the endpoint and disables it at the limit.
fn retry_later(
    conn: &mut DbConnection,
    config: &WebhooksConfig,
    due: &Due,
    now: i64,
    jitter: f64,
) -> Result<(), ServiceError> {
    let attempts = due.attempts + 1;
    let next = now + retry::backoff_ms(config.retry_base_ms, config.retry_max_ms, attempts, jitter);
    let deadline = due.created_at + config.retry_for_hours as i64 * 3_600_000;
    let state = if next > deadline { FAILED } else { PENDING };
    store::webhooks::settle(conn, due.delivery_id, attempts, state, next, now)?;
    if store::webhooks::count_failure(conn, WebhookId(due.webhook.id))? >= config.disable_after {
        store::webhooks::disable(conn, WebhookId(due.webhook.id), now)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_an_hmac_of_time_and_body() {
        // RFC 4231 test case 2, with the key and data shaped as t.body.
        let sig = signature("Jefe", 0, b"what do ya want for nothing?");
        assert!(sig.starts_with("t=0,v1="));
        assert_eq!(sig.len(), "t=0,v1=".len() + 64);
        assert_ne!(sig, signature("Jefe", 1, b"what do ya want for nothing?"));
    }

    #[test]
    fn a_lease_lasts_as_many_timeouts_as_a_batch_has_rounds() {
        let mut config = crate::config::Config::defaults().webhooks;
        config.timeout_seconds = 10;
        (config.batch, config.in_flight) = (16, 16);
        assert_eq!(lease_ms(&config), 15_000);
        (config.batch, config.in_flight) = (128, 16);
        assert_eq!(lease_ms(&config), 85_000);
        (config.batch, config.in_flight) = (17, 16);
        assert_eq!(lease_ms(&config), 25_000);
    }
}
