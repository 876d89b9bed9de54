//! The access log's span for each request: what `tracing-actix-web` records,
//! except that secrets in URLs (reset and verification tokens in a query,
//! unsubscribe tokens in a path) are never written to the log.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage};
use std::borrow::Cow;
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

/// Query parameters whose value is a secret.
const SECRET_PARAMETERS: &[&str] = &["token", "code", "state"];

pub struct AccessLog;

impl RootSpanBuilder for AccessLog {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request.match_pattern();
        let target = loggable_target(request.path(), request.query_string(), route.as_deref());
        let request_id = request
            .extensions()
            .get::<RequestId>()
            .map(ToString::to_string)
            .unwrap_or_default();
        let user_agent = request
            .headers()
            .get("User-Agent")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let client_ip = request
            .connection_info()
            .realip_remote_addr()
            .unwrap_or("")
            .to_string();
        tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route.as_deref().unwrap_or("default"),
            http.client_ip = %client_ip,
            http.user_agent = %user_agent,
            http.target = %target,
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            request_id = %request_id,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}

/// The path and query as logged: a route whose path carries a token is
/// logged by its pattern (`/api/v1/unsubscribe/{token}`), and a secret
/// query parameter keeps its name but not its value.
fn loggable_target<'a>(path: &'a str, query: &'a str, route: Option<&'a str>) -> Cow<'a, str> {
    let path = match route {
        Some(pattern) if pattern.contains("{token}") => pattern,
        _ => path,
    };
    if query.is_empty() {
        return Cow::Borrowed(path);
    }
    let query: Vec<Cow<str>> = query
        .split('&')
        .map(|pair| {
            let name = pair.split('=').next().unwrap_or("");
            if SECRET_PARAMETERS.contains(&name) {
                Cow::Owned(format!("{name}=…"))
            } else {
                Cow::Borrowed(pair)
            }
        })
        .collect();
    Cow::Owned(format!("{path}?{}", query.join("&")))
}

#[cfg(test)]
mod tests {
    use super::loggable_target;

    #[test]
    fn secrets_in_urls_are_not_logged() {
        assert_eq!(
            loggable_target("/account/reset-password", "token=s3cret&lang=ar", None),
            "/account/reset-password?token=…&lang=ar"
        );
        assert_eq!(
            loggable_target(
                "/api/v1/unsubscribe/s3cret",
                "",
                Some("/api/v1/unsubscribe/{token}")
            ),
            "/api/v1/unsubscribe/{token}"
        );
        assert_eq!(
            loggable_target(
                "/api/v1/articles/a1/comments",
                "limit=20",
                Some("/api/v1/articles/{key}/comments")
            ),
            "/api/v1/articles/a1/comments?limit=20"
        );
    }
}
