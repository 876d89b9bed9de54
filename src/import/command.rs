//! The `import` command's arguments and run, shared by `tribune import` and
//! `tribune-import` (the same command on jemalloc, see src/alloc.rs).

use super::{Format, KeyFrom, Options};
use crate::config::Config;
use crate::store::Db;
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The source's format.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Disqus or WordPress XML export, Isso's SQLite database, or a `tribune export` file.
    pub path: PathBuf,
    /// Read everything and report, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// How a thread becomes an article key: its identifier (falling back to
    /// the URL's path), its URL (host and path) or its path.
    #[arg(long, value_enum, default_value_t)]
    pub key_from: KeyFrom,
    /// Replace a URL prefix of the threads, e.g. http://old.example=https://new.example (repeatable).
    #[arg(long = "rewrite-url", value_name = "OLD=NEW")]
    pub rewrite_url: Vec<String>,
    /// Override the status mapping, e.g. spam=pending or valid=pending (repeatable).
    /// CLASS: valid, pending, spam, deleted; STATUS: approved, pending, rejected, deleted, skip.
    #[arg(long = "as-status", value_name = "CLASS=STATUS")]
    pub as_status: Vec<String>,
    /// Stop at the first record that cannot be placed (a Disqus post
    /// without dsq:id, say) instead of skipping it and counting it in the summary.
    #[arg(long)]
    pub strict: bool,
    /// Comments written per transaction.
    #[arg(long, default_value_t = 5000, hide = true)]
    pub batch_size: usize,
}

/// Runs the import and prints its summary; the error is the message to show.
pub fn run(config: &Config, args: ImportArgs) -> Result<(), String> {
    let mut options = Options::new(args.format, args.path);
    options.dry_run = args.dry_run;
    options.strict = args.strict;
    options.key_from = args.key_from;
    options.batch_size = args.batch_size.max(1);
    options.progress = std::io::stderr().is_terminal();
    options.locale = config.i18n.default_locale.as_str().to_string();
    for rewrite in &args.rewrite_url {
        options.add_rewrite(rewrite)?;
    }
    for status in &args.as_status {
        options.statuses.set(status)?;
    }
    crate::alloc::tune_for_batches();
    let db = Db::open(&config.database).map_err(|e| e.to_string())?;
    match super::run(&db, &options) {
        Ok(report) => {
            print!("{report}");
            Ok(())
        }
        Err(failed) => {
            let (error, report) = *failed;
            if report.threads_read > 0 || report.comments_read > 0 {
                print!("{report}");
            }
            Err(format!(
                "import stopped: {error}\nwhat was written before the failing batch stays; \
                 run the same command again once the input is fixed, it goes on from there"
            ))
        }
    }
}
