//! A Server-Sent Events client for live threads: opens
//! `GET /articles/{key}/events` and reads its events one by one.

use super::app::TestApp;
use super::request::Resp;
use serde_json::Value;
use std::time::{Duration, Instant};

/// One event of the stream; a comment line (`: heartbeat`) has `comment` set.
#[derive(Debug, Clone, Default)]
pub struct SseEvent {
    pub id: Option<String>,
    pub event: String,
    pub data: String,
    pub comment: Option<String>,
    pub retry: Option<u64>,
}

impl SseEvent {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).expect("event data is JSON")
    }

    fn parse(block: &str) -> SseEvent {
        let mut event = SseEvent {
            event: "message".into(),
            ..SseEvent::default()
        };
        let mut data = Vec::new();
        for line in block.lines() {
            if let Some(text) = line.strip_prefix(':') {
                event.comment = Some(text.trim().to_string());
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "id" => event.id = Some(value.to_string()),
                "event" => event.event = value.to_string(),
                "data" => data.push(value.to_string()),
                "retry" => event.retry = value.parse().ok(),
                _ => {}
            }
        }
        event.data = data.join("\n");
        event
    }
}

/// An open stream.
pub struct Sse {
    response: reqwest::Response,
    buffer: String,
}

impl TestApp {
    /// Opens the live stream of `key` with extra headers; the answer when
    /// it is not a stream.
    pub async fn live_with(&self, key: &str, headers: &[(&str, &str)]) -> Result<Sse, Resp> {
        // A client of its own: the shared one closes each connection.
        let client = reqwest::Client::new();
        let mut request = client.get(self.url(&format!("/articles/{key}/events")));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("stream request sent");
        let is_stream = response.status() == 200
            && response
                .headers()
                .get("content-type")
                .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
        if is_stream {
            Ok(Sse {
                response,
                buffer: String::new(),
            })
        } else {
            Err(Resp::read(response).await)
        }
    }

    /// Opens the live stream of `key`; it must open.
    pub async fn live(&self, key: &str) -> Sse {
        match self.live_with(key, &[]).await {
            Ok(sse) => sse,
            Err(res) => panic!("the stream did not open: {} {}", res.status, res.body),
        }
    }
}

impl Sse {
    pub fn header(&self, name: &str) -> Option<String> {
        self.response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    /// The next event, or `None` when `within` passes first or the stream ends.
    pub async fn next(&mut self, within: Duration) -> Option<SseEvent> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                return Some(SseEvent::parse(block.trim_end_matches('\n')));
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            match tokio::time::timeout(left, self.response.chunk()).await {
                Ok(Ok(Some(bytes))) => self.buffer.push_str(&String::from_utf8_lossy(&bytes)),
                _ => return None,
            }
        }
    }

    /// Every event that arrives within `within`.
    pub async fn events_for(&mut self, within: Duration) -> Vec<SseEvent> {
        let deadline = Instant::now() + within;
        let mut events = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.next(left).await {
                Some(e) => events.push(e),
                None => break,
            }
        }
        events
    }

    /// The first event named `name` within `within`, skipping the others.
    pub async fn next_named(&mut self, name: &str, within: Duration) -> Option<SseEvent> {
        let deadline = Instant::now() + within;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.next(left).await {
                Some(e) if e.event == name && e.comment.is_none() => return Some(e),
                Some(_) => {}
                None => return None,
            }
        }
        None
    }
}
