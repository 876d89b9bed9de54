//! Builds the server: shared state, middleware, routes.

use crate::api;
use crate::api::docs::{self, ApiDoc};
use crate::error::ApiError;
use crate::http::{finish_response, limit_requests, record_metrics, AccessLog};
use crate::service::ServiceError;
pub use crate::state::AppState;
use crate::worker::Worker;
use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{RequestHead, Server, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer, ResponseError};
use std::net::TcpListener;
use std::sync::Arc;
use tracing_actix_web::TracingLogger;
use utoipa_actix_web::AppExt;

/// No handler matched: 405 with `Allow` when the path is documented with
/// other methods (each handler is its own method-guarded resource, so a wrong
/// method lands here rather than on the path's resource), else 404.
async fn unknown_route(req: HttpRequest, doc: web::Data<ApiDoc>) -> Result<HttpResponse, ApiError> {
    match doc.methods_of(req.path()) {
        Some(mut methods) => {
            // A GET route answers HEAD too (`head_as_get`).
            if methods.contains(&"GET") {
                methods.push("HEAD");
            }
            let allow = methods.join(", ");
            let mut res = ApiError::MethodNotAllowed.error_response();
            if let Ok(value) = header::HeaderValue::from_str(&allow) {
                res.headers_mut().insert(header::ALLOW, value);
            }
            Ok(res)
        }
        None => Err(ServiceError::NotFound.into()),
    }
}

/// HEAD is GET without the body (RFC 9110). Routes are registered for GET
/// only, so a HEAD is routed as its GET; actix-http then sends the headers
/// (with the GET body's Content-Length) and leaves the body out. A streamed
/// body (a live thread) is dropped here, or the answer would never end.
async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let head = req.method() == Method::HEAD;
    if head {
        req.head_mut().method = Method::GET;
    }
    let res = next.call(req).await?;
    if head && res.response().body().size() == BodySize::Stream {
        return Ok(res.map_body(|_, _| BoxBody::new(actix_web::body::None::new())));
    }
    Ok(res)
}

/// The public reads: anonymous GETs that hold nothing of the caller (the
/// counts, an article, a thread, the catalogs). Any site may make them, so
/// that a listing page shows its counts without being listed anywhere.
const PUBLIC_READS: [&str; 4] = [
    "/api/v1/counts",
    "/api/v1/articles/{key}",
    "/api/v1/articles/{key}/comments",
    "/api/v1/i18n/{locale}",
];

/// A GET or HEAD of a public read, or the preflight of one.
fn is_public_read(head: &RequestHead) -> bool {
    let method = if head.method == Method::OPTIONS {
        head.headers
            .get(header::ACCESS_CONTROL_REQUEST_METHOD)
            .and_then(|m| Method::from_bytes(m.as_bytes()).ok())
    } else {
        Some(head.method.clone())
    };
    matches!(method, Some(Method::GET | Method::HEAD))
        && PUBLIC_READS
            .iter()
            .any(|template| docs::matches_template(template, head.uri.path()))
}

/// Cross-origin access: public reads for any site, everything else for
/// `server.cors_origins` only. Tokens travel in a header, not in cookies,
/// so no credentials are allowed.
fn cors(origins: &[String]) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default()
        .allowed_origin_fn(|_, head| is_public_read(head))
        .allowed_methods(["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT_LANGUAGE,
        ])
        .expose_headers(["Retry-After", "X-Request-Id", "Content-Language"])
        .max_age(3600);
    for origin in origins {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// What `cors` leaves as it is: a public read says `*` (whoever asks, so
/// that a cache may keep one answer for every site), and a refused
/// preflight is an error like the others (`forbidden`, in the caller's
/// language, by `finish_response`) rather than actix-cors' plain text.
async fn finish_cors<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let public = is_public_read(req.head());
    let res = next.call(req).await?.map_into_boxed_body();
    let refused = res
        .response()
        .error()
        .is_some_and(|e| e.as_error::<actix_cors::CorsError>().is_some());
    let mut res = if refused {
        let (req, _) = res.into_parts();
        ServiceResponse::from_err(ApiError::from(ServiceError::Forbidden), req)
    } else {
        res
    };
    if public {
        let headers = res.headers_mut();
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            header::HeaderValue::from_static("*"),
        );
        headers.remove(header::ACCESS_CONTROL_ALLOW_CREDENTIALS);
    }
    Ok(res)
}

/// The threads this process runs beside the request handlers (webhook
/// deliveries, mails, pruning the outbox), each stopped when its handle is
/// dropped. The process owns them, not the handlers: `server` starts them
/// and they live as long as the server's app factories, that is until the
/// server has stopped.
pub struct Workers {
    _delivery: Option<Worker>,
    _mailer: Option<Worker>,
    _retention: Worker,
}

impl Workers {
    /// Starts the workers `state.config` asks for: deliveries and mails when
    /// this process sends them, pruning on every instance.
    pub fn start(state: &AppState) -> std::io::Result<Workers> {
        let config = &state.config;
        let delivery = if config.webhooks.deliver {
            Some(crate::delivery::start(
                state.db.clone(),
                config.webhooks.clone(),
            )?)
        } else {
            None
        };
        let mailer = if config.mail.deliver {
            Some(crate::mailer::start(state.db.clone(), config.clone())?)
        } else {
            None
        };
        let retention = crate::retention::start(
            state.db.clone(),
            config.clone(),
            state.metrics.pruned_rows(),
        )?;
        Ok(Workers {
            _delivery: delivery,
            _mailer: mailer,
            _retention: retention,
        })
    }
}

/// A server on an already bound listener (port 0 in tests), not yet running.
pub fn server(state: AppState, listener: TcpListener) -> std::io::Result<Server> {
    let workers = state.config.server.workers;
    let shutdown = state.config.server.shutdown_timeout;
    let max_connections = state.config.server.max_connections.max(1);
    // Blocking threads run database work (and rendering before a write);
    // past the pool's size they would only wait for a connection, each
    // keeping its own allocator arena and buffers.
    let blocking_threads = state.config.database.pool_size as usize + 4;
    let cors_origins = state.config.server.cors_origins.clone();
    // The background workers live as long as the app factories below.
    let background = Arc::new(Workers::start(&state)?);
    // Live threads are fed by a thread of their own, gone with the state.
    state.live.start()?;
    let state = web::Data::new(state);
    let mut server = HttpServer::new(move || {
        let _background = Arc::clone(&background);
        let (app, doc) = App::new()
            .into_utoipa_app()
            .configure(api::routes)
            .split_for_parts();
        let doc = web::Data::new(ApiDoc::new(&docs::finish(doc)));
        app.app_data(state.clone())
            .app_data(doc)
            // A path id or key that cannot name anything is an unknown thing.
            .app_data(
                web::PathConfig::default()
                    .error_handler(|_, _| ApiError::from(ServiceError::NotFound).into()),
            )
            .configure(crate::web::routes)
            .wrap(from_fn(head_as_get))
            .wrap(from_fn(limit_requests))
            .wrap(cors(&cors_origins))
            .wrap(from_fn(finish_cors))
            .wrap(from_fn(finish_response))
            .wrap(from_fn(record_metrics))
            .wrap(TracingLogger::<AccessLog>::new())
            .default_service(web::to(unknown_route))
    })
    .shutdown_timeout(shutdown)
    .max_connections(max_connections)
    .worker_max_blocking_threads(blocking_threads)
    .listen(listener)?;
    if workers > 0 {
        server = server.workers(workers);
    }
    Ok(server.run())
}
