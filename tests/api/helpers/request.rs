//! Sending requests and reading answers.

use reqwest::{Method, StatusCode};
use serde_json::Value;

/// Where one Tribune listens, and the client that talks to it.
#[derive(Debug, Clone)]
pub struct Api {
    pub address: String,
    pub client: reqwest::Client,
}

/// A request body.
pub enum Body<'a> {
    None,
    Json(Value),
    /// Bytes sent as they are, with this `Content-Type` if any.
    Raw {
        content_type: Option<&'a str>,
        bytes: Vec<u8>,
    },
}

impl<'a> Body<'a> {
    pub fn raw(content_type: Option<&'a str>, bytes: Vec<u8>) -> Body<'a> {
        Body::Raw {
            content_type,
            bytes,
        }
    }
}

impl From<Option<Value>> for Body<'_> {
    fn from(body: Option<Value>) -> Self {
        body.map_or(Body::None, Body::Json)
    }
}

impl Api {
    pub fn new(address: String) -> Api {
        // Each answer closes its connection, so that a stopping server has no
        // idle keep-alive connection to wait for.
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::CONNECTION,
            reqwest::header::HeaderValue::from_static("close"),
        );
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .build()
            .expect("HTTP client");
        Api { address, client }
    }

    /// `path` under /api/v1, unless it starts with `//` (then under the root).
    pub fn url(&self, path: &str) -> String {
        match path.strip_prefix("//") {
            Some(root) => format!("{}/{root}", self.address),
            None => format!("{}/api/v1{path}", self.address),
        }
    }

    /// The one way every request of the tests is sent.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Body<'_>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut req = self.client.request(method, self.url(path));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req = match body {
            Body::None => req,
            Body::Json(value) => req.json(&value),
            Body::Raw {
                content_type,
                bytes,
            } => {
                if let Some(ct) = content_type {
                    req = req.header("Content-Type", ct);
                }
                req.body(bytes)
            }
        };
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        Resp::read(req.send().await.expect("request sent")).await
    }
}

/// An answer: status, headers and the JSON body (Null when empty).
#[derive(Debug)]
pub struct Resp {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Resp {
    pub async fn read(res: reqwest::Response) -> Resp {
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.expect("body");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|_| {
                panic!("not JSON ({status}): {}", String::from_utf8_lossy(&bytes))
            })
        };
        Resp {
            status,
            headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected answer: {}",
            self.body
        );
        &self.body
    }

    /// The error shape of the API with this status and code.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected answer: {}",
            self.body
        );
        assert_eq!(self.body["error"]["code"], code, "body: {}", self.body);
        let message = self.body["error"]["message"].as_str().unwrap_or("");
        assert!(
            !message.is_empty(),
            "an error needs a message: {}",
            self.body
        );
        assert_eq!(
            self.body["error"].get("fields").is_some(),
            code == "validation_failed",
            "fields only with validation_failed: {}",
            self.body
        );
    }

    /// A 422 naming this field.
    #[track_caller]
    pub fn assert_field_error(&self, field: &str) {
        self.assert_error(422, "validation_failed");
        assert!(
            self.body["error"]["fields"][field].is_array(),
            "expected a problem with `{field}`: {}",
            self.body
        );
    }
}
