//! Copies of a SQLite database: a consistent copy taken while the server
//! writes (`VACUUM INTO`), and what a copy holds (its integrity, the
//! migrations it records). `crate::backup` decides where copies go.

use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::SqliteConnection;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("cannot open {0}: {1}")]
    Open(String, String),
    #[error("cannot copy the database: {0}")]
    Copy(String),
    #[error("{0} fails SQLite's integrity check: {1}")]
    Damaged(String, String),
    #[error("{0} is not a Tribune database (it records no migrations)")]
    NotTribune(String),
    #[error(
        "{0} was made by a newer Tribune: it records migrations this binary does not know ({1})"
    )]
    UnknownMigrations(String, String),
}

/// What a checked copy holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyInfo {
    pub migrations: usize,
    pub comments: i64,
}

#[derive(QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    line: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// Writes a consistent copy of the database at `source` to `dest` (which
/// must not exist). `VACUUM INTO` reads in one transaction, so the copy is
/// the database as of one commit, while the writer goes on (WAL).
pub fn copy(source: &str, dest: &Path) -> Result<(), CopyError> {
    let mut conn = SqliteConnection::establish(source)
        .map_err(|e| CopyError::Open(source.to_string(), e.to_string()))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000")
        .map_err(|e| CopyError::Copy(e.to_string()))?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(dest.to_string_lossy())
        .execute(&mut conn)
        .map_err(|e| CopyError::Copy(e.to_string()))?;
    Ok(())
}

/// Checks the copy at `path`, opened read-only: `PRAGMA integrity_check`,
/// and every migration it records must be one this binary carries.
pub fn check(path: &Path) -> Result<CopyInfo, CopyError> {
    let shown = path.display().to_string();
    if !path.is_file() {
        return Err(CopyError::Open(shown, "no such file".into()));
    }
    let mut conn = SqliteConnection::establish(&read_only_uri(path))
        .map_err(|e| CopyError::Open(shown.clone(), e.to_string()))?;
    let lines: Vec<Line> =
        diesel::sql_query("SELECT integrity_check AS line FROM pragma_integrity_check()")
            .load(&mut conn)
            .map_err(|e| CopyError::Damaged(shown.clone(), e.to_string()))?;
    let verdict: Vec<String> = lines.into_iter().map(|l| l.line).collect();
    if verdict != ["ok"] {
        return Err(CopyError::Damaged(shown, verdict.join("; ")));
    }
    let recorded: Vec<Line> =
        diesel::sql_query("SELECT version AS line FROM __diesel_schema_migrations")
            .load(&mut conn)
            .map_err(|_| CopyError::NotTribune(shown.clone()))?;
    if recorded.is_empty() {
        return Err(CopyError::NotTribune(shown));
    }
    let known = known_versions();
    let unknown: Vec<&str> = recorded
        .iter()
        .map(|l| l.line.as_str())
        .filter(|v| !known.iter().any(|k| k == v))
        .collect();
    if !unknown.is_empty() {
        return Err(CopyError::UnknownMigrations(shown, unknown.join(", ")));
    }
    let comments = diesel::sql_query("SELECT COUNT(*) AS n FROM comments")
        .get_result::<Count>(&mut conn)
        .map_err(|e| CopyError::Damaged(shown.clone(), e.to_string()))?
        .n;
    Ok(CopyInfo {
        migrations: recorded.len(),
        comments,
    })
}

/// The versions of the SQLite migrations compiled into this binary.
fn known_versions() -> Vec<String> {
    MigrationSource::<diesel::sqlite::Sqlite>::migrations(&super::SQLITE_MIGRATIONS)
        .map(|all| all.iter().map(|m| m.name().version().to_string()).collect())
        .unwrap_or_default()
}

/// A `file:` URI that opens `path` read-only: a check writes nothing, not
/// even the `-wal` and `-shm` files beside it. `?`, `#` and `%` are the
/// characters a URI path cannot carry as they are.
pub fn read_only_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            c => uri.push(c),
        }
    }
    uri.push_str("?mode=ro");
    uri
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_uri_escapes_what_a_uri_path_cannot_hold() {
        assert_eq!(
            read_only_uri(Path::new("/b/a?#%.db")),
            "file:/b/a%3f%23%25.db?mode=ro"
        );
    }

    #[test]
    fn the_binary_knows_its_own_migrations() {
        assert!(!known_versions().is_empty());
    }
}
