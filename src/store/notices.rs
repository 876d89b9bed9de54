//! Notices of illegal content (DSA Art. 16): filed by anyone, settled by
//! the decision on their comment.

use super::schema::notices;
use super::DbConnection;
use super::StoreError;
use crate::domain::cursor::Cursor;
use crate::domain::dsa::{Notice, NoticeCategory, NoticeOutcome};
use crate::domain::{CommentId, StatementId};
use crate::i18n::Locale;
use diesel::prelude::*;

type Row = (
    (
        i64,
        i64,
        NoticeCategory,
        String,
        Option<String>,
        Option<String>,
    ),
    (
        Option<i64>,
        bool,
        Locale,
        i64,
        Option<i64>,
        Option<NoticeOutcome>,
    ),
    Option<i64>,
);

macro_rules! columns {
    () => {
        (
            (
                notices::id,
                notices::comment_id,
                notices::category,
                notices::explanation,
                notices::name,
                notices::email,
            ),
            (
                notices::user_id,
                notices::trusted,
                notices::locale,
                notices::created_at,
                notices::decided_at,
                notices::outcome,
            ),
            notices::statement_id,
        )
    };
}

/// A row decoded to its types: an unknown stored value is an error.
fn decode(row: Row) -> Result<Notice, StoreError> {
    let ((id, comment_id, category, explanation, name, email), rest, statement_id) = row;
    let (user_id, trusted, locale, created_at, decided_at, outcome) = rest;
    Ok(Notice {
        id,
        comment_id,
        category,
        explanation,
        name,
        email,
        user_id,
        trusted,
        locale: locale.as_str().to_string(),
        created_at,
        decided_at,
        outcome,
        statement_id,
    })
}

/// Inserts `n` (its `id` and decision are ignored) and returns its id.
pub fn insert(conn: &mut DbConnection, n: &Notice) -> Result<i64, StoreError> {
    let id = super::insert_returning_id!(
        conn,
        diesel::insert_into(notices::table).values((
            notices::comment_id.eq(n.comment_id),
            notices::category.eq(n.category.as_str()),
            notices::explanation.eq(&n.explanation),
            notices::name.eq(n.name.as_deref()),
            notices::email.eq(n.email.as_deref()),
            notices::user_id.eq(n.user_id),
            notices::trusted.eq(n.trusted),
            notices::locale.eq(&n.locale),
            notices::created_at.eq(n.created_at),
        )),
        notices::id
    )?;
    Ok(id)
}

pub fn get(conn: &mut DbConnection, id: i64) -> Result<Notice, StoreError> {
    let row: Row = notices::table
        .filter(notices::id.eq(id))
        .select(columns!())
        .first(conn)?;
    decode(row)
}

/// The open notices of a comment, oldest first.
pub fn open_for(conn: &mut DbConnection, comment_id: CommentId) -> Result<Vec<Notice>, StoreError> {
    let rows: Vec<Row> = notices::table
        .filter(notices::comment_id.eq(comment_id))
        .filter(notices::decided_at.is_null())
        .order(notices::id.asc())
        .select(columns!())
        .load(conn)?;
    rows.into_iter().map(decode).collect()
}

/// Settles the open notices of a comment; returns them as they were.
pub fn settle(
    conn: &mut DbConnection,
    comment_id: CommentId,
    outcome: NoticeOutcome,
    statement_id: Option<i64>,
    now: i64,
) -> Result<Vec<Notice>, StoreError> {
    let open = open_for(conn, comment_id)?;
    if !open.is_empty() {
        diesel::update(
            notices::table
                .filter(notices::comment_id.eq(comment_id))
                .filter(notices::decided_at.is_null()),
        )
        .set((
            notices::decided_at.eq(Some(now)),
            notices::outcome.eq(Some(outcome)),
            notices::statement_id.eq(statement_id),
        ))
        .execute(conn)?;
    }
    Ok(open)
}

/// The cursor of the open queue: trusted flaggers' notices (rank 0) come
/// before the others (rank 1), each oldest first.
pub fn queue_cursor(n: &Notice) -> Cursor {
    Cursor {
        key: if n.trusted { 0 } else { 1 },
        id: n.id,
    }
}

/// Open notices: trusted flaggers' first, then oldest first.
pub fn open_queue(
    conn: &mut DbConnection,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<Notice>, StoreError> {
    let mut query = notices::table
        .filter(notices::decided_at.is_null())
        .select(columns!())
        .order((notices::trusted.desc(), notices::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some(c) = after {
        query = if c.key == 0 {
            query.filter(
                notices::trusted
                    .eq(false)
                    .or(notices::trusted.eq(true).and(notices::id.gt(c.id))),
            )
        } else {
            query.filter(notices::trusted.eq(false).and(notices::id.gt(c.id)))
        };
    }
    let rows: Vec<Row> = query.load(conn)?;
    rows.into_iter().map(decode).collect()
}

/// Notices received in `[from, to)`, oldest first (the transparency report).
pub fn between(conn: &mut DbConnection, from: i64, to: i64) -> Result<Vec<Notice>, StoreError> {
    let rows: Vec<Row> = notices::table
        .filter(notices::created_at.ge(from))
        .filter(notices::created_at.lt(to))
        .select(columns!())
        .order(notices::id.asc())
        .load(conn)?;
    rows.into_iter().map(decode).collect()
}

/// The notices a statement settled (the export names their category).
pub fn of_statement(
    conn: &mut DbConnection,
    statement_id: StatementId,
) -> Result<Vec<Notice>, StoreError> {
    let rows: Vec<Row> = notices::table
        .filter(notices::statement_id.eq(statement_id))
        .select(columns!())
        .order(notices::id.asc())
        .load(conn)?;
    rows.into_iter().map(decode).collect()
}
