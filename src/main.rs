//! The `tribune` command: serve (the default), migrate, create-admin, words,
//! import, export, backup, restore.

use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use tribune::app::{self, AppState};
use tribune::config::Config;
use tribune::domain::{DisplayName, Email, Failure, Password, Role, Username};
use tribune::import::command::ImportArgs;
use tribune::service::accounts::{self, NewAccount};
use tribune::store::Db;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(all(feature = "server-jemalloc", not(feature = "mimalloc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "tribune",
    version,
    about = "Comment backend for French and Arabic news sites."
)]
#[command(long_about = "Comment backend for French and Arabic news sites.\n\n\
Settings come from config/default.toml, an optional config/local.toml (or the file named by \
TRIBUNE_CONFIG) and TRIBUNE_<SECTION>__<KEY> environment variables, e.g. \
TRIBUNE_DATABASE__URL=sqlite://data/tribune.db or TRIBUNE_SERVER__BIND=0.0.0.0:8080.")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the HTTP server (the default). Creates and migrates the database first.
    Serve,
    /// Create the database if needed and apply pending migrations, then exit.
    Migrate,
    /// Create an admin account. The password is read from TRIBUNE_ADMIN_PASSWORD, or asked for on a terminal.
    CreateAdmin {
        /// Username: 3–32 letters of one script, digits, `_ - .`
        #[arg(long)]
        username: String,
        /// Email address (used to sign in, like the username).
        #[arg(long)]
        email: String,
    },
    /// Manage the word lists.
    Words {
        #[command(subcommand)]
        action: WordsCommand,
    },
    /// Import comments from Disqus, WordPress, Isso or a Tribune export.
    /// Running it again adds nothing twice, and finishes an interrupted run.
    Import(ImportArgs),
    /// Export every article, account and comment as JSON lines (docs/export-format.md).
    Export {
        /// The file to write.
        path: std::path::PathBuf,
    },
    /// The EU Digital Services Act's tools.
    Dsa {
        #[command(subcommand)]
        action: DsaCommand,
    },
    /// Copy the SQLite database to a new file while the server runs, and
    /// check the copy. On PostgreSQL, prints the pg_dump command to run instead.
    Backup {
        /// The copy to write (it must not exist).
        path: std::path::PathBuf,
    },
    /// Put a copy made by `tribune backup` in place of the SQLite database.
    /// The copy is checked first; no server may be running on the database.
    Restore {
        /// The copy to restore.
        path: std::path::PathBuf,
        /// Replace the database when one exists.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum DsaCommand {
    /// Write the statements of reasons decided since DATE as JSON lines in
    /// the DSA Transparency Database's statement schema (Art. 24(5)).
    ExportStatements {
        /// The first day, YYYY-MM-DD (UTC).
        #[arg(long, value_name = "DATE")]
        since: String,
        /// The file to write (standard output by default).
        #[arg(long, value_name = "PATH")]
        out: Option<std::path::PathBuf>,
    },
}

#[derive(Subcommand)]
enum WordsCommand {
    /// Add the starter list of common French and Arabic insults (30 or more in
    /// each language) to the word lists; words already listed are kept as they are.
    LoadStarter {
        /// The admin the moderation log names (default: the oldest admin).
        #[arg(long)]
        admin: Option<String>,
    },
}

/// `tribune dsa export-statements`: JSON lines to `out` or standard output.
fn export_statements(
    config: &Config,
    since: &str,
    out: Option<&std::path::Path>,
) -> Result<(), String> {
    let since = chrono::NaiveDate::parse_from_str(since, "%Y-%m-%d")
        .map_err(|_| format!("--since {since}: expected a date, YYYY-MM-DD"))?
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc().timestamp_millis())
        .unwrap_or_default();
    let db = Db::open(&config.database).map_err(|e| e.to_string())?;
    let moderation = config.moderation.clone();
    let mut sink: Box<dyn std::io::Write> = match out {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let count = db
        .write_now(|conn| {
            tribune::service::statements::export_tdb(conn, &moderation, since, &mut *sink)
        })
        .map_err(|e| e.to_string())?;
    sink.flush().map_err(|e| e.to_string())?;
    if let Some(path) = out {
        eprintln!("exported {count} statements to {}", path.display());
    }
    Ok(())
}

fn main() -> ExitCode {
    tribune::alloc::tune();
    let cli = Cli::parse();
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tribune: configuration: {e}");
            return ExitCode::FAILURE;
        }
    };
    tribune::telemetry::init(&config.log);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Migrate => Db::open(&config.database)
            .map(|_| println!("database is up to date: {}", config.database.url))
            .map_err(|e| e.to_string()),
        Command::CreateAdmin { username, email } => create_admin(config, &username, &email),
        Command::Words {
            action: WordsCommand::LoadStarter { admin },
        } => load_starter(config, admin.as_deref()),
        Command::Import(args) => return import(&config, args),
        Command::Export { path } => Db::open(&config.database)
            .map_err(|e| e.to_string())
            .and_then(|db| tribune::import::export::export(&db, &path))
            .map(|(a, u, c)| {
                println!(
                    "exported {a} articles, {u} users, {c} comments to {}",
                    path.display()
                )
            }),
        Command::Dsa {
            action: DsaCommand::ExportStatements { since, out },
        } => export_statements(&config, &since, out.as_deref()),
        Command::Backup { path } => {
            tribune::backup::backup_to(&config.database.url, &path).map(|info| {
                println!(
                    "backed up {} comments to {} (integrity_check: ok)",
                    info.comments,
                    path.display()
                )
            })
        }
        Command::Restore { path, force } => {
            tribune::backup::restore_from(&config.database.url, &path, force).map(|info| {
                println!(
                    "restored {} comments from {} to {}; start the server to serve them",
                    info.comments,
                    path.display(),
                    config.database.url
                )
            })
        }
    };
    report(result)
}

fn report(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tribune: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(config: Config) -> Result<(), String> {
    // Held until the server stops, so that `tribune restore` refuses to
    // replace the file under it.
    let _lock = tribune::backup::DatabaseLock::for_server(&config.database.url)?;
    let db = Db::open(&config.database).map_err(|e| e.to_string())?;
    let has_admin = db
        .write_now(tribune::store::users::any_admin)
        .unwrap_or(true);
    let listener = std::net::TcpListener::bind(&config.server.bind)
        .map_err(|e| format!("cannot listen on {}: {e}", config.server.bind))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%address, database = %config.database.url, "Tribune is listening on http://{address}");
    if !has_admin {
        tracing::warn!(
            "no admin account yet: create one with \
             `TRIBUNE_ADMIN_PASSWORD=... tribune create-admin --username NAME --email EMAIL` \
             (cargo run --release -- create-admin ...), then sign in with POST /api/v1/auth/login"
        );
    }
    if config.server.embed_origins.is_empty() && !address.ip().is_loopback() {
        tracing::warn!(
            "server.embed_origins is empty on a public address: any site may frame the \
             widget (frame-ancestors *) and hand it messages; list your site's origins \
             in production"
        );
    }
    let backup = config.backup.clone();
    let url = config.database.url.clone();
    let state = AppState::new(config, db)?;
    // Stops with the server (when this handle is dropped).
    let _backups = tribune::backup::schedule(&url, &backup, state.metrics.backups())
        .map_err(|e| format!("cannot start the backup worker: {e}"))?;
    let server = app::server(state, listener).map_err(|e| e.to_string())?;
    actix_web::rt::System::new()
        .block_on(server)
        .map_err(|e| e.to_string())
}

fn create_admin(config: Config, username: &str, email: &str) -> Result<(), String> {
    let password = match std::env::var("TRIBUNE_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) if std::io::stdin().is_terminal() => {
            rpassword::prompt_password("Password for the new admin: ").map_err(|e| e.to_string())?
        }
        Err(_) => return Err("set TRIBUNE_ADMIN_PASSWORD (no terminal to ask on)".into()),
    };
    let username = Username::parse(username).map_err(|e| format!("--username: {}", e.key))?;
    let email = Email::parse(email).map_err(|e| format!("--email: {}", e.key))?;
    let password = Password::parse("password", password)
        .map_err(|_| "the password must have 10 to 128 characters".to_string())?
        .into_string();
    // One password to hash: the hasher alone, not a server's state.
    let hasher = tribune::auth::Hasher::new(&config.auth)?;
    let db = Db::open(&config.database).map_err(|e| e.to_string())?;
    let account = NewAccount {
        display_name: DisplayName::from_username(&username),
        username,
        email,
        locale: config.i18n.default_locale,
        password_hash: hasher.hash_now(&password)?,
    };
    let user = db
        .write_now(|conn| accounts::create(conn, &account, Role::Admin))
        .map_err(|e| format!("cannot create the admin: {e}"))?;
    println!(
        "admin `{}` created (id {}); sign in with POST /api/v1/auth/login {{\"login\": \"{}\", \"password\": ...}}",
        user.username, user.id, user.username
    );
    Ok(())
}

fn load_starter(config: Config, admin: Option<&str>) -> Result<(), String> {
    let db = Db::open(&config.database).map_err(|e| e.to_string())?;
    let (added, present) = db
        .write_now(|conn| {
            let actor = match admin {
                Some(name) => tribune::store::users::find_by_skeleton(
                    conn,
                    &tribune::text::username_skeleton(name),
                )?
                .filter(|u| u.role == Role::Admin),
                None => tribune::store::users::first_admin(conn)?,
            };
            // No admin: nothing written, and the caller is told below.
            actor
                .map(|actor| tribune::service::words::load_starter(conn, actor.id))
                .transpose()
        })
        .map_err(|e: tribune::service::ServiceError| {
            format!("cannot load the starter list: {}", Failure::chain(&e))
        })?
        .ok_or("no such admin: create one with `tribune create-admin` first")?;
    println!("starter list: {added} words added, {present} already listed");
    Ok(())
}

/// `tribune import`: run by `tribune-import`, the same command on jemalloc
/// (src/alloc.rs), when the build made one (the `jemalloc` feature); here on
/// glibc's malloc otherwise.
fn import(config: &Config, args: ImportArgs) -> ExitCode {
    #[cfg(feature = "jemalloc")]
    if let Some(code) = in_tribune_import() {
        return code;
    }
    report(tribune::import::command::run(config, args))
}

/// Runs this command line's import in the `tribune-import` that stands next
/// to this binary, and gives its exit status; `None` when there is none.
#[cfg(feature = "jemalloc")]
fn in_tribune_import() -> Option<ExitCode> {
    let exe = std::env::current_exe()
        .ok()?
        .with_file_name(format!("tribune-import{}", std::env::consts::EXE_SUFFIX));
    if !exe.is_file() {
        tracing::info!(missing = %exe.display(), "no tribune-import: importing on glibc's malloc");
        return None;
    }
    // The import's own arguments: everything after the subcommand, which
    // clap has just accepted.
    let args = std::env::args_os().skip_while(|a| a != "import").skip(1);
    match std::process::Command::new(&exe).args(args).status() {
        Ok(status) => Some(match status.code() {
            Some(0) => ExitCode::SUCCESS,
            Some(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            None => ExitCode::FAILURE,
        }),
        Err(e) => {
            tracing::warn!(error = %e, exe = %exe.display(), "cannot run tribune-import: importing here");
            None
        }
    }
}
