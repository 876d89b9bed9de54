//! Benchmark ceiling (bench/README.md): the least an actix-web server can do
//! to answer R1 — the same body bytes Tribune gave, from memory, for any GET.
//! bench/events.sh also uses it as a webhook receiver: it reads each
//! request's body, as a receiver does (actix-web closes a connection whose
//! request body was left unread, and the sender would then connect anew
//! for most deliveries).
//!
//! Usage: bench_ceiling <body-file> [bind, default 127.0.0.1:8090] [workers, 0 = one per core]

use actix_web::http::header::{HeaderValue, CONTENT_TYPE};
use actix_web::{web, App, HttpResponse, HttpServer};

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: bench_ceiling <body-file> [bind] [workers]");
    let bind = args.next().unwrap_or_else(|| "127.0.0.1:8090".into());
    let workers: usize = args.next().and_then(|w| w.parse().ok()).unwrap_or(0);
    let body = web::Bytes::from(std::fs::read(&path)?);
    eprintln!("bench_ceiling: {} bytes from {path} on {bind}", body.len());
    let mut server = HttpServer::new(move || {
        let body = body.clone();
        App::new().default_service(web::to(move |_read: web::Bytes| {
            let body = body.clone();
            async move {
                let mut res = HttpResponse::Ok().body(body);
                res.headers_mut()
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
                res
            }
        }))
    });
    if workers > 0 {
        server = server.workers(workers);
    }
    server.bind(&bind)?.run().await
}
