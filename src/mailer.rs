//! The mail worker: a thread of its own that reads the event stream for
//! the mails it owes (reply notifications, queue digests), takes due mails
//! from the outbox and sends them over SMTP (lettre, rustls), or writes
//! them to the log when no SMTP server is configured. Mails are rows, so
//! whatever a crash interrupts is sent after the restart; the rules live in
//! `service::mail`.

use crate::config::{Config, MailConfig};
use crate::service::mail::{self, Outcome};
use crate::store::models::MailRow;
use crate::store::Db;
use crate::worker::Worker;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

/// How often the worker asks whether a moderator is owed a digest.
const DIGEST_EVERY: Duration = Duration::from_secs(5);

pub fn start(db: Db, config: Arc<Config>) -> std::io::Result<Worker> {
    Worker::spawn("mail", move |alive| run(db, config, alive))
}

/// Where mails go.
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// No SMTP server configured: each mail is written to the log.
    Log,
}

impl Transport {
    pub fn new(config: &MailConfig) -> Result<Transport, String> {
        let Some(url) = config.smtp() else {
            return Ok(Transport::Log);
        };
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("mail.smtp_url: {e}"))?;
        Ok(Transport::Smtp(
            builder
                .timeout(Some(Duration::from_secs(config.timeout_seconds)))
                .build(),
        ))
    }
}

async fn run(db: Db, config: Arc<Config>, alive: Weak<()>) {
    let pause = Duration::from_millis(config.mail.poll_ms);
    let transport = match Transport::new(&config.mail) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(error = %e, "mail: no transport, nothing will be sent");
            return;
        }
    };
    if matches!(transport, Transport::Log) {
        tracing::warn!(
            "mail.smtp_url is empty: mails, with the one-time links they carry, \
             are written to this log instead of being sent"
        );
    }
    let from: Mailbox = match config.mail.from.parse() {
        Ok(from) => from,
        Err(e) => {
            tracing::error!(error = %e, "mail.from is not an address, nothing will be sent");
            return;
        }
    };
    let mut digests_at = Instant::now();
    while alive.strong_count() > 0 {
        let mut busy = match mail::scan(&db, &config).await {
            Ok(moved) => moved,
            Err(e) => {
                tracing::warn!(error = %e, "mail: cannot read the event stream");
                false
            }
        };
        match crate::service::dsa_mail::statements(&db, &config).await {
            Ok(n) => busy |= n > 0,
            Err(e) => tracing::warn!(error = %e, "mail: cannot queue the statements of reasons"),
        }
        if digests_at.elapsed() >= DIGEST_EVERY {
            digests_at = Instant::now();
            if let Err(e) = mail::digests(&db, &config).await {
                tracing::warn!(error = %e, "mail: cannot queue the queue digests");
            }
        }
        match mail::claim(&db, &config.mail).await {
            Ok(due) if !due.is_empty() => {
                busy = true;
                for m in due {
                    let outcome = send(&transport, &from, &m).await;
                    if let Err(e) = mail::settle(&db, &config.mail, m, outcome).await {
                        // The lease runs out and the mail is sent again.
                        tracing::warn!(error = %e, "mail: cannot record a sent mail");
                    }
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "mail: cannot take due mails"),
        }
        if !busy {
            tokio::time::sleep(pause).await;
        }
    }
}

/// A header lettre has no type for, written as given.
#[derive(Clone)]
struct Raw<const N: usize>(String);

const LIST_UNSUBSCRIBE: usize = 0;
const LIST_UNSUBSCRIBE_POST: usize = 1;
const AUTO_SUBMITTED: usize = 2;

impl<const N: usize> Header for Raw<N> {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str(match N {
            LIST_UNSUBSCRIBE => "List-Unsubscribe",
            LIST_UNSUBSCRIBE_POST => "List-Unsubscribe-Post",
            _ => "Auto-Submitted",
        })
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Raw(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// The message as it goes out: both parts, a stable Message-ID (the same
/// for every attempt, so a receiver can drop a repeat), and for
/// notifications RFC 8058's one-click unsubscribe headers.
pub fn message(from: &Mailbox, m: &MailRow) -> Result<Message, String> {
    let to: Mailbox = m.recipient.parse().map_err(|e| format!("recipient: {e}"))?;
    let domain = from.email.domain().to_string();
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.subject.clone())
        .message_id(Some(format!("<tribune-{}-{}@{domain}>", m.kind, m.id)))
        .header(Raw::<AUTO_SUBMITTED>("auto-generated".into()));
    if let Some(url) = &m.unsubscribe_url {
        builder = builder
            .header(Raw::<LIST_UNSUBSCRIBE>(format!("<{url}>")))
            .header(Raw::<LIST_UNSUBSCRIBE_POST>(
                "List-Unsubscribe=One-Click".into(),
            ));
    }
    builder
        .multipart(MultiPart::alternative_plain_html(
            m.text_body.clone(),
            m.html_body.clone(),
        ))
        .map_err(|e| e.to_string())
}

async fn send(transport: &Transport, from: &Mailbox, m: &MailRow) -> Outcome {
    let message = match message(from, m) {
        Ok(message) => message,
        Err(e) => return Outcome::Permanent(e),
    };
    match transport {
        Transport::Log => {
            let links: Vec<&str> = m
                .text_body
                .lines()
                .filter(|l| l.starts_with("http://") || l.starts_with("https://"))
                .collect();
            tracing::info!(
                to = %m.recipient,
                subject = %m.subject,
                kind = %m.kind,
                links = ?links,
                "mail (no SMTP server configured, written here instead)"
            );
            Outcome::Sent
        }
        Transport::Smtp(smtp) => match smtp.send(message).await {
            Ok(_) => Outcome::Sent,
            Err(e) if e.is_permanent() => Outcome::Permanent(e.to_string()),
            Err(e) => {
                tracing::info!(to = %m.recipient, error = %e, "mail not sent, retried later");
                Outcome::Transient(e.to_string())
            }
        },
    }
}
