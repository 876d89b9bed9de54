//! Logging through `tracing`: human-readable by default, JSON when configured.

use crate::config::LogConfig;
use std::io::IsTerminal;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

pub fn init(config: &LogConfig) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&config.level));
    // A line when each request's span closes: the access log, with the request id.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(std::io::stdout().is_terminal())
        .with_span_events(FmtSpan::CLOSE);
    // A second initialisation (tests) keeps the first subscriber.
    let _ = if config.format == crate::config::LogFormat::Json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
