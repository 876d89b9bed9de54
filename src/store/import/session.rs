//! The job connection's SQLite settings while an import writes its batches,
//! and those it gets back before the final pass.
//!
//! - Foreign keys are not checked per row: every reference an import writes
//!   (article, parent, author, waiting reply) is an id it read or made in the
//!   same transaction, and nothing an import writes is ever deleted by a
//!   batch. Three B-tree look-ups per comment saved. The final pass, which
//!   deletes, runs with them checked again.
//! - Checkpoints every 16,384 pages (64 MiB of WAL) rather than every 1,000:
//!   each one syncs the WAL and the database file, and a batch's pages are
//!   written once per checkpoint rather than several times. `synchronous`
//!   stays as configured: a `kill -9` loses nothing committed either way, but
//!   OFF could leave a corrupt file after a power cut, which a re-run cannot
//!   resume from.
//! - Temporary files in memory: a statement that inserts many rows keeps a
//!   statement journal (the pages it changed, to undo it alone if one row
//!   fails), which SQLite spills to a file in /var/tmp past 64 KiB. Written
//!   there, it doubled the writes of every batch; in memory it is a few
//!   hundred KiB at a time. Set back before the final pass, whose index
//!   builds sort through temporary files that must not be held in memory.
//!
//! All are per-connection settings: a killed import leaves nothing behind.
//! `PRAGMA foreign_keys` is a no-op inside a transaction, so both are set
//! before the first batch's transaction and after the last one.

use crate::store::DbConnection;
use crate::store::StoreError;
use diesel::connection::SimpleConnection;

/// WAL pages between two checkpoints while an import writes.
const IMPORT_CHECKPOINT_PAGES: u32 = 16384;
/// SQLite's default, which every other connection keeps.
const DEFAULT_CHECKPOINT_PAGES: u32 = 1000;

/// Before the batches, outside any transaction. A no-op on PostgreSQL.
pub fn begin_bulk(conn: &mut DbConnection) -> Result<(), StoreError> {
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute("PRAGMA foreign_keys = OFF")?;
        c.batch_execute("PRAGMA temp_store = MEMORY")?;
        c.batch_execute(&format!(
            "PRAGMA wal_autocheckpoint = {IMPORT_CHECKPOINT_PAGES}"
        ))?;
    }
    Ok(())
}

/// After the batches, before the final pass, outside any transaction.
pub fn end_bulk(conn: &mut DbConnection) -> Result<(), StoreError> {
    if let DbConnection::Sqlite(c) = conn {
        c.batch_execute("PRAGMA foreign_keys = ON")?;
        c.batch_execute("PRAGMA temp_store = FILE")?;
        c.batch_execute(&format!(
            "PRAGMA wal_autocheckpoint = {DEFAULT_CHECKPOINT_PAGES}"
        ))?;
    }
    Ok(())
}
