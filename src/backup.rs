//! Backups of a SQLite database: `tribune backup PATH`, `tribune restore
//! PATH`, the scheduled copies of `[backup]`, and the lock a server holds on
//! its database so that a restore never replaces a file in use. The SQL
//! (`VACUUM INTO`, the checks) is in `store::backup`. PostgreSQL has its own
//! tools (`pg_dump`, `pg_restore`): Tribune says so and copies nothing.

use crate::config::BackupConfig;
use crate::metrics::Backups;
use crate::store::backup::{self as copies, CopyInfo};
use crate::store::Target;
use crate::worker::Worker;
use chrono::{NaiveDateTime, Utc};
use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Weak;
use std::time::Duration;

/// How a scheduled copy is named: `tribune-20261205T165500Z.db` (UTC), so
/// that names sort by time.
const PREFIX: &str = "tribune-";
const SUFFIX: &str = ".db";
const STAMP: &str = "%Y%m%dT%H%M%SZ";

/// How often the waiting worker checks that the server still runs.
const LOOK_UP: Duration = Duration::from_secs(1);

/// The SQLite file a database URL names, or what to run instead on
/// PostgreSQL (`postgres_hint` gets the URL as it may be shown).
fn sqlite_file(url: &str, postgres_hint: impl Fn(&str) -> String) -> Result<PathBuf, String> {
    match Target::parse(url)? {
        Target::Sqlite(path) => Ok(PathBuf::from(path)),
        Target::Postgres(url) => {
            let (shown, had_password) = without_password(&url);
            let mut hint = postgres_hint(&shown);
            if had_password {
                hint.push_str(
                    "
(with PGPASSWORD set to the password of database.url)",
                );
            }
            Err(hint)
        }
    }
}

/// The URL as it may be printed, without its password; and whether it had one.
fn without_password(url: &str) -> (String, bool) {
    match url::Url::parse(url) {
        Ok(mut u) => {
            let had = u.password().is_some();
            let _ = u.set_password(None);
            (u.to_string(), had)
        }
        Err(_) => ("<database.url>".into(), false),
    }
}

/// `tribune backup PATH`: a checked, consistent copy of the running
/// database at `dest`, written under a temporary name and then renamed.
pub fn backup_to(database_url: &str, dest: &Path) -> Result<CopyInfo, String> {
    let source = sqlite_file(database_url, |url| {
        format!(
            "nothing was backed up: the database is PostgreSQL, which tribune backup does not copy; \
             run\n  pg_dump --format=custom --file={} '{url}'\n\
             and restore with pg_restore --clean --if-exists --dbname='{url}' {}",
            dest.display(),
            dest.display()
        )
    })?;
    if !source.is_file() {
        return Err(format!("no database at {}", source.display()));
    }
    if dest.exists() {
        return Err(format!(
            "{} exists: name a new file (a backup never overwrites one)",
            dest.display()
        ));
    }
    write_checked(&source, dest).map(|(info, _)| info)
}

/// Copies `source` to a hidden temporary file beside `dest`, checks it,
/// makes it durable, then renames it to `dest`: `dest` is whole or absent.
/// Gives what the copy holds and its size.
fn write_checked(source: &Path, dest: &Path) -> Result<(CopyInfo, u64), String> {
    let partial = partial_name(dest);
    // A temporary file left by a copy that was killed is ours to replace.
    let _ = std::fs::remove_file(&partial);
    let result = copies::copy(&source.to_string_lossy(), &partial)
        .map_err(|e| e.to_string())
        .and_then(|()| copies::check(&partial).map_err(|e| e.to_string()))
        .and_then(|info| {
            let file = File::open(&partial).map_err(|e| e.to_string())?;
            file.sync_all().map_err(|e| e.to_string())?;
            let size = file.metadata().map_err(|e| e.to_string())?.len();
            std::fs::rename(&partial, dest)
                .map_err(|e| format!("cannot rename the copy to {}: {e}", dest.display()))?;
            sync_folder(dest);
            Ok((info, size))
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

fn partial_name(dest: &Path) -> PathBuf {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tribune".into());
    dest.with_file_name(format!(".{name}.partial"))
}

/// Makes a rename in `file`'s folder durable (best effort: some file
/// systems cannot sync a folder).
fn sync_folder(file: &Path) {
    let dir = match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// `tribune restore PATH`: checks the copy, then puts it in place of the
/// configured database, which no server may hold, and which exists only
/// with `force`.
pub fn restore_from(database_url: &str, copy: &Path, force: bool) -> Result<CopyInfo, String> {
    let target = sqlite_file(database_url, |url| {
        format!(
            "nothing was restored: the database is PostgreSQL; restore a pg_dump copy with\n  \
             pg_restore --clean --if-exists --dbname='{url}' {}",
            copy.display()
        )
    })?;
    copies::check(copy).map_err(|e| format!("{e}; nothing was restored"))?;
    let _lock = DatabaseLock::exclusive(&target)?;
    if target.exists() && !force {
        return Err(format!(
            "{} exists: pass --force to replace it with {}",
            target.display(),
            copy.display()
        ));
    }
    // The copy may be a live database itself: VACUUM INTO reads it whole,
    // its WAL included, without writing to it.
    let partial = partial_name(&target);
    let _ = std::fs::remove_file(&partial);
    let source = copies::read_only_uri(copy);
    let result = copies::copy(&source, &partial)
        .map_err(|e| e.to_string())
        .and_then(|()| copies::check(&partial).map_err(|e| e.to_string()))
        .and_then(|info| {
            File::open(&partial)
                .and_then(|f| f.sync_all())
                .map_err(|e| e.to_string())?;
            // The old database's WAL belongs to the old file: left beside
            // the new one, SQLite would replay it into it.
            for side in ["-wal", "-shm"] {
                let mut name = target.clone().into_os_string();
                name.push(side);
                match std::fs::remove_file(&name) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(format!("cannot remove {}: {e}", name.to_string_lossy())),
                }
            }
            std::fs::rename(&partial, &target)
                .map_err(|e| format!("cannot put the copy at {}: {e}", target.display()))?;
            sync_folder(&target);
            Ok(info)
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// A lock on `DB.lock` beside a SQLite database, held for the life of a
/// process: shared by servers (several may run on one file), exclusive for
/// a restore. The kernel drops it when the process ends, even by SIGKILL,
/// so a crash leaves nothing stale.
pub struct DatabaseLock {
    _file: File,
}

impl DatabaseLock {
    fn open(database: &Path) -> Result<File, String> {
        let mut name = database.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create the folder {}: {e}", dir.display()))?;
        }
        File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| format!("cannot open {}: {e}", path.display()))
    }

    /// What a server holds while it runs; `None` on PostgreSQL.
    pub fn for_server(database_url: &str) -> Result<Option<DatabaseLock>, String> {
        let Ok(Target::Sqlite(path)) = Target::parse(database_url) else {
            return Ok(None);
        };
        let file = Self::open(Path::new(&path))?;
        match file.try_lock_shared() {
            Ok(()) => Ok(Some(DatabaseLock { _file: file })),
            Err(TryLockError::WouldBlock) => Err(format!(
                "{path} is being restored (tribune restore holds {path}.lock): start the server once it is done"
            )),
            Err(TryLockError::Error(e)) => Err(format!("cannot lock {path}.lock: {e}")),
        }
    }

    fn exclusive(database: &Path) -> Result<DatabaseLock, String> {
        let file = Self::open(database)?;
        match file.try_lock() {
            Ok(()) => Ok(DatabaseLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(format!(
                "a server is running on {} (it holds {}.lock): stop it before restoring; nothing was restored",
                database.display(),
                database.display()
            )),
            Err(TryLockError::Error(e)) => Err(format!(
                "cannot lock {}.lock: {e}",
                database.display()
            )),
        }
    }
}

/// Starts the scheduled backups when `[backup] dir` is set and the
/// database is SQLite; `None` otherwise (on PostgreSQL with a warning).
pub fn schedule(
    database_url: &str,
    config: &BackupConfig,
    gauges: Backups,
) -> std::io::Result<Option<Worker>> {
    let Some(dir) = config.dir() else {
        return Ok(None);
    };
    let source = match Target::parse(database_url) {
        Ok(Target::Sqlite(path)) => PathBuf::from(path),
        _ => {
            tracing::warn!("backup.dir is set but the database is PostgreSQL: no scheduled backups (use pg_dump)");
            return Ok(None);
        }
    };
    let schedule = Schedule {
        source,
        dir: dir.to_path_buf(),
        interval: Duration::from_secs(config.interval_hours.saturating_mul(3600)),
        keep: config.keep,
    };
    Worker::spawn("backup", move |alive| run(schedule, gauges, alive)).map(Some)
}

struct Schedule {
    source: PathBuf,
    dir: PathBuf,
    interval: Duration,
    keep: usize,
}

async fn run(schedule: Schedule, gauges: Backups, alive: Weak<()>) {
    let existing = schedule.copies();
    for (_, name) in existing.iter().filter(|(_, n)| n.starts_with('.')) {
        let _ = std::fs::remove_file(schedule.dir.join(name));
    }
    let newest = existing.iter().rev().find(|(time, _)| time.is_some());
    if let Some((Some(time), name)) = newest {
        let size = std::fs::metadata(schedule.dir.join(name)).map_or(0, |m| m.len());
        gauges.done(time.and_utc().timestamp(), size);
    }
    // Due one interval after the newest copy there, so restarts add none.
    let mut due = newest
        .and_then(|(time, _)| *time)
        .map(|t| t.and_utc() + schedule.interval)
        .unwrap_or_else(Utc::now);
    while alive.strong_count() > 0 {
        let now = Utc::now();
        if now >= due {
            schedule.once(&gauges);
            due = Utc::now() + schedule.interval;
            continue;
        }
        let wait = (due - now).to_std().unwrap_or(Duration::ZERO);
        tokio::time::sleep(LOOK_UP.min(wait)).await;
    }
}

impl Schedule {
    /// The scheduled copies (and temporary files) in the folder, oldest
    /// first: (the time in the name, the name); temporary files have none.
    fn copies(&self) -> Vec<(Option<NaiveDateTime>, String)> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut found: Vec<(Option<NaiveDateTime>, String)> = entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter_map(|name| {
                if name.starts_with(&format!(".{PREFIX}")) && name.ends_with(".partial") {
                    return Some((None, name));
                }
                let stamp = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
                let time = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?;
                Some((Some(time), name))
            })
            .collect();
        found.sort();
        found
    }

    /// One scheduled copy, then the oldest beyond `keep` removed.
    fn once(&self, gauges: &Backups) {
        let now = Utc::now();
        let dest = self
            .dir
            .join(format!("{PREFIX}{}{SUFFIX}", now.format(STAMP)));
        let written = std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create {}: {e}", self.dir.display()))
            .and_then(|()| write_checked(&self.source, &dest));
        match written {
            Ok((info, size)) => {
                gauges.done(now.timestamp(), size);
                tracing::info!(
                    file = %dest.display(),
                    bytes = size,
                    comments = info.comments,
                    "backup written"
                );
            }
            Err(e) => {
                gauges.failed();
                tracing::error!(file = %dest.display(), error = %e, "backup failed; the next one is due in backup.interval_hours");
                return;
            }
        }
        let dated: Vec<String> = self
            .copies()
            .into_iter()
            .filter_map(|(time, name)| time.map(|_| name))
            .collect();
        let extra = dated.len().saturating_sub(self.keep);
        for name in &dated[..extra] {
            if let Err(e) = std::fs::remove_file(self.dir.join(name)) {
                tracing::warn!(file = %name, error = %e, "cannot remove an old backup");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_in_the_url_is_never_shown() {
        assert_eq!(
            without_password("postgres://tribune:s3cret@db.example:5432/comments"),
            (
                "postgres://tribune@db.example:5432/comments".to_string(),
                true
            )
        );
        assert_eq!(
            without_password("postgres://postgres@127.0.0.1:5432/postgres"),
            (
                "postgres://postgres@127.0.0.1:5432/postgres".to_string(),
                false
            )
        );
    }

    #[test]
    fn a_temporary_copy_is_hidden_beside_the_copy() {
        assert_eq!(
            partial_name(Path::new("/b/tribune-20261205T165500Z.db")),
            Path::new("/b/.tribune-20261205T165500Z.db.partial")
        );
    }
}
