//! The secondary indexes of `comments` an import into an empty table builds
//! once, at its end, instead of updating them row by row.
//!
//! A thread page (by time and by reactions), the picks, the queue, an
//! author's history and the duplicate check each have an index on `comments`; an import touches a page of each of them at a
//! random place per comment, and a batch of 5,000 comments rewrites most of
//! their pages in the WAL. Sorting the rows once at the end costs a fraction
//! of that. Only the import's own reads run in between, and none of them uses
//! these (the source-id map, the primary key and `comments_parent` stay).
//!
//! The indexes are dropped in an import's first transaction and built again
//! in its last one, success or failure. A process killed in between leaves
//! them missing: every start (`Db::open`, which `tribune import` and
//! `tribune serve` both call) builds whichever is missing, so a re-run, or the
//! server, finds them again before anything reads.

use crate::store::schema::comments;
use crate::store::DbConnection;
use crate::store::StoreError;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;

/// The deferred indexes, as the SQLite migrations create them. A migration
/// that changes one of them changes it here too.
const DEFERRED: [(&str, &str); 6] = [
    (
        "comments_thread",
        "CREATE INDEX IF NOT EXISTS comments_thread ON comments (article_id, status, created_at, id)",
    ),
    (
        "comments_queue",
        "CREATE INDEX IF NOT EXISTS comments_queue ON comments (status, created_at, id)",
    ),
    (
        "comments_author",
        "CREATE INDEX IF NOT EXISTS comments_author ON comments (author_id, created_at)",
    ),
    (
        "comments_duplicates",
        "CREATE INDEX IF NOT EXISTS comments_duplicates ON comments (author_id, dup_key)",
    ),
    (
        "comments_top",
        "CREATE INDEX IF NOT EXISTS comments_top ON comments (article_id, reactions, id)",
    ),
    (
        "comments_featured",
        "CREATE INDEX IF NOT EXISTS comments_featured ON comments (article_id, featured_at) WHERE featured_at IS NOT NULL",
    ),
];

/// On SQLite, when no comment is stored yet: drops the deferred indexes, in
/// the caller's transaction (which holds the write lock). Whether it did.
/// PostgreSQL keeps its indexes: its import is not bound by them.
pub fn defer_indexes(conn: &mut DbConnection) -> Result<bool, StoreError> {
    let DbConnection::Sqlite(c) = conn else {
        return Ok(false);
    };
    let any: bool =
        diesel::select(diesel::dsl::exists(comments::table.select(comments::id))).get_result(c)?;
    if any {
        return Ok(false);
    }
    for (name, _) in DEFERRED {
        c.batch_execute(&format!("DROP INDEX IF EXISTS {name}"))?;
    }
    // What is left to update grows at its end (ids, source ids in order) and
    // fits a small cache: the memory goes back to the batches in flight.
    c.batch_execute(&format!("PRAGMA cache_size = -{DEFERRED_CACHE_KIB}"))?;
    Ok(true)
}

/// The job connection's page cache while the indexes are deferred, in KiB.
const DEFERRED_CACHE_KIB: u32 = 8192;

/// Builds the deferred indexes that are missing (none, almost always: then
/// it costs four look-ups in the schema).
/// Also gives the job connection its usual page cache back.
pub fn restore_indexes(conn: &mut DbConnection) -> Result<(), StoreError> {
    if let DbConnection::Sqlite(c) = conn {
        restore_sqlite_indexes(c)?;
        c.batch_execute(&format!("PRAGMA cache_size = -{}", super::JOB_CACHE_KIB))?;
    }
    Ok(())
}

pub(crate) fn restore_sqlite_indexes(c: &mut SqliteConnection) -> Result<(), StoreError> {
    // Lets each build sort on a second thread (SQLite's default is none).
    let helpers = std::thread::available_parallelism().map_or(0, |n| n.get().min(4) - 1);
    c.batch_execute(&format!("PRAGMA threads = {helpers}"))?;
    for (_, sql) in DEFERRED {
        c.batch_execute(sql)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::DatabaseConfig;
    use crate::store::Db;

    fn open(dir: &tempfile::TempDir) -> Db {
        Db::open(&DatabaseConfig {
            url: format!("sqlite://{}/t.db", dir.path().display()),
            pool_size: 1,
            connect_timeout: 2,
            synchronous: crate::config::Synchronous::Normal,
            sqlite_cache_kib: 2048,
            sqlite_writer_cache_kib: 2048,
        })
        .expect("database opens")
    }

    fn indexes(conn: &mut DbConnection) -> Vec<String> {
        #[derive(QueryableByName)]
        struct Name {
            #[diesel(sql_type = diesel::sql_types::Text)]
            name: String,
        }
        let DbConnection::Sqlite(c) = conn else {
            unreachable!("a SQLite database")
        };
        let rows: Vec<Name> = diesel::sql_query(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'comments' \
             ORDER BY name",
        )
        .load(c)
        .unwrap();
        rows.into_iter().map(|r| r.name).collect()
    }

    #[test]
    fn deferred_indexes_are_the_migrations_ones_and_a_start_builds_them_again() {
        let dir = tempfile::tempdir().unwrap();
        let db = open(&dir);
        let mut conn = db.job_connection().unwrap();
        let before = indexes(&mut conn);
        // Every index the migrations put on `comments`, but the parent one
        // (the import reads it to link replies).
        let mut expected: Vec<&str> = DEFERRED.iter().map(|(n, _)| *n).collect();
        expected.push("comments_parent");
        expected.sort_unstable();
        assert_eq!(before, expected);

        assert!(defer_indexes(&mut conn).unwrap());
        assert_eq!(indexes(&mut conn), vec!["comments_parent".to_string()]);
        drop(conn);
        drop(db);

        // As after an import killed before its end.
        let db = open(&dir);
        let mut conn = db.job_connection().unwrap();
        assert_eq!(indexes(&mut conn), before);
    }
}
