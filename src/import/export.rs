//! `tribune export PATH`: every article, account and comment, in the format
//! `tribune import --format tribune` reads (docs/export-format.md). Written to
//! a temporary file beside PATH and renamed, so PATH is whole or absent.

use super::tribune::{stamp, Header, Record, FORMAT, VERSION};
use crate::domain::Failure;
use crate::store::export as store;
use crate::store::{Db, DbConnection, StoreError};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use std::io::{BufWriter, Write};
use std::path::Path;

const PAGE: i64 = 5000;

/// (articles, users, comments) written.
pub fn export(db: &Db, path: &Path) -> Result<(u64, u64, u64), String> {
    let mut conn = db.job_connection().map_err(|e| Failure::chain(&e))?;
    let tmp = path.with_extension("partial");
    let file = create_private(&tmp).map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    let mut out = BufWriter::with_capacity(1 << 16, file);
    // One snapshot: what is counted in the header is what follows it.
    let counts = conn
        .transaction::<_, diesel::result::Error, _>(|c| {
            if let DbConnection::Postgres(_) = c {
                c.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
            }
            Ok(write_all(c, &mut out))
        })
        .map_err(|e| format!("database: {e}"))??;
    out.flush()
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    drop(out);
    std::fs::rename(&tmp, path).map_err(|e| format!("cannot rename to {}: {e}", path.display()))?;
    Ok(counts)
}

/// A new file only its owner may read (it lists every account's e-mail):
/// mode 0600 from its creation, which the rename keeps. Whatever is at
/// `path` (a file left by a killed export, or a symbolic link planted
/// there) is removed, not followed; `create_new` then refuses anything put
/// back in between, so the export never writes through a link.
fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

fn write_all(conn: &mut DbConnection, out: &mut impl Write) -> Result<(u64, u64, u64), String> {
    let db = |e: StoreError| Failure::chain(&e);
    let io = |e: std::io::Error| format!("cannot write: {e}");
    let (articles, users, comments) = store::totals(conn).map_err(db)?;
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: stamp(crate::store::now_ms()),
        articles: articles as u64,
        users: users as u64,
        comments: comments as u64,
    };
    let line = |out: &mut dyn Write, value: &dyn erased::Line| -> Result<(), String> {
        value.write_to(out).map_err(io)?;
        out.write_all(b"\n").map_err(io)
    };
    line(out, &header)?;
    let mut after = 0;
    loop {
        let rows = store::articles_after(conn, after, PAGE).map_err(db)?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for a in rows {
            line(
                out,
                &Record::Article {
                    id: a.id,
                    key: a.key,
                    title: a.title,
                    url: a.url,
                    comments_open: a.comments_open,
                    moderation: a.moderation.map(|m| m.as_str().to_string()),
                    created_at: stamp(a.created_at),
                },
            )?;
        }
    }
    after = 0;
    loop {
        let rows = store::users_after(conn, after, PAGE).map_err(db)?;
        let Some((last, _)) = rows.last() else { break };
        after = last.id;
        for (u, imported) in rows {
            line(
                out,
                &Record::User {
                    id: u.id,
                    username: u.username,
                    display_name: u.display_name,
                    email: u.email,
                    role: u.role.as_str().to_string(),
                    locale: u.locale.as_str().to_string(),
                    created_at: stamp(u.created_at),
                    imported,
                },
            )?;
        }
    }
    after = 0;
    loop {
        let rows = store::comments_after(conn, after, PAGE).map_err(db)?;
        let Some(last) = rows.last() else { break };
        after = last.id;
        for c in rows {
            line(
                out,
                &Record::Comment {
                    id: c.id,
                    article: c.article_id,
                    parent: c.parent_id,
                    author: c.author_id,
                    body: c.body,
                    status: c.status.as_str().to_string(),
                    deleted_by: c.deleted_by.map(|d| d.as_str().to_string()),
                    created_at: stamp(c.created_at),
                    edited_at: c.edited_at.map(stamp),
                },
            )?;
        }
    }
    Ok((articles as u64, users as u64, comments as u64))
}

mod erased {
    /// A value written as one JSON line.
    pub trait Line {
        fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()>;
    }

    impl<T: serde::Serialize> Line for T {
        fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
            serde_json::to_writer(out, self).map_err(std::io::Error::other)
        }
    }
}
