//! Work rows taken by lease, the way the mail and webhook workers take
//! theirs: a row is due when its state is `pending` and its
//! `next_attempt_at` has come. Taking it pushes `next_attempt_at` to the
//! lease's end, so no other worker takes it until then, and if the taker
//! dies the row falls due again by itself (at least once, never lost).

use super::DbConnection;
use super::StoreError;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

/// A table of leased work, as SQL.
pub struct WorkTable {
    pub table: &'static str,
    /// What the candidates are read from: the table as `d`, with any joins.
    pub from: &'static str,
    /// A further condition on the joined rows (` AND …`), or nothing.
    pub and: &'static str,
}

#[derive(QueryableByName)]
struct IdRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Takes up to `limit` due rows of `work` until `lease_until`, oldest due
/// first, and gives their ids. One statement: on PostgreSQL the candidates
/// are locked with SKIP LOCKED, so two instances never take the same row;
/// on SQLite the single writer runs it alone.
pub fn claim(
    conn: &mut DbConnection,
    work: &WorkTable,
    now: i64,
    lease_until: i64,
    limit: i64,
) -> Result<Vec<i64>, StoreError> {
    let lock = match conn {
        DbConnection::Postgres(_) => " FOR UPDATE OF d SKIP LOCKED",
        DbConnection::Sqlite(_) => "",
    };
    // `$n` are positional on both backends: SQLite numbers named
    // parameters in the order they first appear, which is 1, 2, 3 here.
    let sql = format!(
        "UPDATE {table} SET next_attempt_at = $1 WHERE id IN (\
           SELECT d.id FROM {from} WHERE d.state = 'pending' AND d.next_attempt_at <= $2{and} \
           ORDER BY d.next_attempt_at LIMIT $3{lock}) \
         RETURNING id",
        table = work.table,
        from = work.from,
        and = work.and,
    );
    let query = diesel::sql_query(sql)
        .bind::<BigInt, _>(lease_until)
        .bind::<BigInt, _>(now)
        .bind::<BigInt, _>(limit);
    let rows: Vec<IdRow> = match conn {
        DbConnection::Postgres(pg) => query.load(pg)?,
        DbConnection::Sqlite(lite) => query.load(lite)?,
    };
    Ok(rows.into_iter().map(|r| r.id).collect())
}
