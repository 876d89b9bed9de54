//! `tribune-import`: `tribune import` on jemalloc (src/alloc.rs says why),
//! built with the `jemalloc` feature; `tribune import` hands over to it.
//! Takes the import's arguments: `tribune-import --format disqus FILE`.

use clap::Parser;
use std::process::ExitCode;
use tribune::config::Config;
use tribune::import::command::{self, ImportArgs};

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// Import comments from Disqus, WordPress, Isso or a Tribune export, as
/// `tribune import` does. Running it again adds nothing twice, and finishes
/// an interrupted run.
#[derive(Parser)]
#[command(name = "tribune-import", version)]
struct Cli {
    #[command(flatten)]
    args: ImportArgs,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tribune: configuration: {e}");
            return ExitCode::FAILURE;
        }
    };
    tribune::telemetry::init(&config.log);
    match command::run(&config, cli.args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tribune: {e}");
            ExitCode::FAILURE
        }
    }
}
