//! Comments: threads, single comments, an author's history.

use super::models::{AuthorRow, CommentRow, CommentWithAuthor, NewComment};
use super::schema::{articles, comments, users};
use super::StoreError;
use super::{on_backend, DbConnection};
use crate::domain::cursor::Cursor;
use crate::domain::ArticleId;
use crate::domain::UserId;
use crate::domain::{CommentId, CommentStatus, DeletedBy, Reasons};
use diesel::prelude::*;

diesel::alias!(comments as replies: RepliesAlias);

const APPROVED: CommentStatus = CommentStatus::Approved;

type Joined = (CommentRow, Option<AuthorRow>, String);

fn attach((comment, author, article_key): Joined) -> CommentWithAuthor {
    CommentWithAuthor {
        comment,
        author,
        article_key,
    }
}

/// Inserts a comment and returns it as stored, without reading it back.
pub fn insert(conn: &mut DbConnection, new: NewComment<'_>) -> Result<CommentRow, StoreError> {
    let id = super::insert_returning_id!(
        conn,
        diesel::insert_into(comments::table).values(&new),
        comments::id
    )?;
    let approved = new.status == APPROVED;
    super::articles::touch_after_insert(conn, ArticleId(new.article_id), approved)?;
    if let Some(author) = new.author_id {
        super::counters::count_change(conn, UserId(author), None, new.status)?;
    }
    Ok(CommentRow {
        id,
        article_id: new.article_id,
        parent_id: new.parent_id,
        author_id: new.author_id,
        body: new.body.to_string(),
        html: new.html.to_string(),
        dir: new.dir.to_string(),
        status: new.status,
        deleted_by: None,
        reasons: new.reasons,
        depth: new.depth,
        dup_key: new.dup_key.to_string(),
        created_at: new.created_at,
        edited_at: None,
        word_matches: new.word_matches.to_string(),
        reactions: 0,
        featured_at: None,
        featured_by: None,
    })
}

pub fn find_row(conn: &mut DbConnection, id: CommentId) -> Result<Option<CommentRow>, StoreError> {
    Ok(comments::table
        .find(id)
        .select(CommentRow::as_select())
        .first(conn)
        .optional()?)
}

pub fn find(
    conn: &mut DbConnection,
    id: CommentId,
) -> Result<Option<CommentWithAuthor>, StoreError> {
    let row: Option<Joined> = comments::table
        .inner_join(articles::table)
        .left_join(users::table)
        .filter(comments::id.eq(id))
        .select((
            CommentRow::as_select(),
            Option::<AuthorRow>::as_select(),
            articles::key,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(attach))
}

pub fn get(conn: &mut DbConnection, id: CommentId) -> Result<CommentWithAuthor, StoreError> {
    find(conn, id)?.ok_or(StoreError::NotFound)
}

/// Whether an approved reply hangs under the comment (it then shows as a tombstone).
pub fn has_visible_reply(conn: &mut DbConnection, id: CommentId) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        comments::table
            .filter(comments::parent_id.eq(id))
            .filter(comments::status.eq(APPROVED)),
    ))
    .get_result(conn)?)
}

/// Newest first, oldest first, or most reactions first (then newest, by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Oldest,
    Newest,
    Top,
}

impl Order {
    /// The keyset position of a row in this order: `(created_at, id)`, or
    /// `(reactions, id)` for `Top`.
    pub fn cursor_of(self, c: &CommentRow) -> Cursor {
        let key = match self {
            Order::Top => c.reactions,
            Order::Oldest | Order::Newest => c.created_at,
        };
        Cursor { key, id: c.id }
    }
}

/// Which comments of a thread a page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Selection {
    /// The thread as readers see it.
    All,
    /// Staff picks only (approved and featured).
    Featured,
}

/// One page of a thread: approved comments, tombstones of hidden comments
/// with approved replies, and the viewer's own pending comments.
pub fn thread(
    conn: &mut DbConnection,
    article_id: ArticleId,
    viewer: Option<i64>,
    (order, selection): (Order, Selection),
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<CommentWithAuthor>, StoreError> {
    let has_visible_reply = diesel::dsl::exists(
        replies
            .filter(
                replies
                    .field(comments::parent_id)
                    .eq(comments::id.nullable()),
            )
            .filter(replies.field(comments::status).eq(APPROVED)),
    );
    let own_pending = comments::author_id
        .eq(viewer.unwrap_or(0))
        .and(comments::status.eq(CommentStatus::Pending));
    let mut query = comments::table
        .inner_join(articles::table)
        .left_join(users::table)
        .filter(comments::article_id.eq(article_id))
        .filter(
            comments::status
                .eq(APPROVED)
                .or(own_pending.assume_not_null())
                .or(has_visible_reply),
        )
        .select((
            CommentRow::as_select(),
            Option::<AuthorRow>::as_select(),
            articles::key,
        ))
        .limit(limit)
        .into_boxed();
    if selection == Selection::Featured {
        query = query
            .filter(comments::status.eq(APPROVED))
            .filter(comments::featured_at.is_not_null());
    }
    query = match order {
        Order::Oldest => query.order((comments::created_at.asc(), comments::id.asc())),
        Order::Newest => query.order((comments::created_at.desc(), comments::id.desc())),
        Order::Top => query.order((comments::reactions.desc(), comments::id.desc())),
    };
    if let Some(c) = after {
        query = match order {
            // Read against the counts as they are now: see docs/api.md,
            // "Sorting by reactions", for what that guarantees.
            Order::Top => query.filter(
                comments::reactions
                    .lt(c.key)
                    .or(comments::reactions.eq(c.key).and(comments::id.lt(c.id))),
            ),
            Order::Oldest => query.filter(
                comments::created_at
                    .gt(c.key)
                    .or(comments::created_at.eq(c.key).and(comments::id.gt(c.id))),
            ),
            Order::Newest => query.filter(
                comments::created_at
                    .lt(c.key)
                    .or(comments::created_at.eq(c.key).and(comments::id.lt(c.id))),
            ),
        };
    }
    let rows: Vec<Joined> = query.load(conn)?;
    Ok(rows.into_iter().map(attach).collect())
}

/// Whether the reader has a comment waiting in the article's queue: their
/// thread pages then differ from everyone else's (they see it).
pub fn has_pending_in(
    conn: &mut DbConnection,
    article_id: ArticleId,
    author_id: UserId,
) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        comments::table
            .filter(comments::article_id.eq(article_id))
            .filter(comments::status.eq(CommentStatus::Pending))
            .filter(comments::author_id.eq(author_id)),
    ))
    .get_result(conn)?)
}

/// Everything an author wrote, every status, oldest first (for export).
pub fn by_author(
    conn: &mut DbConnection,
    author_id: UserId,
) -> Result<Vec<CommentWithAuthor>, StoreError> {
    let rows: Vec<Joined> = comments::table
        .inner_join(articles::table)
        .left_join(users::table)
        .filter(comments::author_id.eq(author_id))
        .order((comments::created_at.asc(), comments::id.asc()))
        .select((
            CommentRow::as_select(),
            Option::<AuthorRow>::as_select(),
            articles::key,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(attach).collect())
}

/// The author's latest comments, newest first.
pub fn recent_by_author(
    conn: &mut DbConnection,
    author_id: UserId,
    limit: i64,
) -> Result<Vec<CommentWithAuthor>, StoreError> {
    let rows: Vec<Joined> = comments::table
        .inner_join(articles::table)
        .left_join(users::table)
        .filter(comments::author_id.eq(author_id))
        .order((comments::created_at.desc(), comments::id.desc()))
        .limit(limit)
        .select((
            CommentRow::as_select(),
            Option::<AuthorRow>::as_select(),
            articles::key,
        ))
        .load(conn)?;
    Ok(rows.into_iter().map(attach).collect())
}

/// What changes when an author edits a comment.
pub struct Edit<'a> {
    pub body: &'a str,
    pub html: &'a str,
    pub dir: &'a str,
    pub status: CommentStatus,
    pub reasons: Reasons,
    pub dup_key: &'a str,
    pub edited_at: i64,
    pub word_matches: &'a str,
}

pub fn apply_edit(
    conn: &mut DbConnection,
    id: CommentId,
    edit: Edit<'_>,
) -> Result<(), StoreError> {
    let article_id = super::articles::of_comment(conn, CommentId(id.get()))?;
    super::articles::touch(conn, ArticleId(article_id))?;
    let before = author_and_status(conn, id.get())?;
    diesel::update(comments::table.find(id))
        .set((
            comments::body.eq(edit.body),
            comments::html.eq(edit.html),
            comments::dir.eq(edit.dir),
            comments::status.eq(edit.status),
            comments::reasons.eq(edit.reasons),
            comments::dup_key.eq(edit.dup_key),
            comments::edited_at.eq(Some(edit.edited_at)),
            comments::word_matches.eq(edit.word_matches),
        ))
        .execute(conn)?;
    leave_picks_unless_approved(conn, id.get(), edit.status)?;
    author_counts_follow(conn, before, edit.status)?;
    super::articles::recount(conn, ArticleId(article_id))
}

/// Sets a comment's status; `deleted_by` is kept only for deletions.
pub fn set_status(
    conn: &mut DbConnection,
    id: CommentId,
    status: CommentStatus,
    deleted_by: Option<DeletedBy>,
    reasons: Option<&Reasons>,
) -> Result<(), StoreError> {
    let article_id = super::articles::of_comment(conn, CommentId(id.get()))?;
    super::articles::touch(conn, ArticleId(article_id))?;
    let before = author_and_status(conn, id.get())?;
    diesel::update(comments::table.find(id))
        .set((
            comments::status.eq(status),
            comments::deleted_by.eq(deleted_by),
        ))
        .execute(conn)?;
    leave_picks_unless_approved(conn, id.get(), status)?;
    if let Some(reasons) = reasons {
        diesel::update(comments::table.find(id))
            .set(comments::reasons.eq(reasons))
            .execute(conn)?;
    }
    author_counts_follow(conn, before, status)?;
    super::articles::recount(conn, ArticleId(article_id))
}

/// A pick is an approved comment: rejecting, deleting or an edit sent back
/// to the queue takes it out of the picks (featuring it again is a new pick).
fn leave_picks_unless_approved(
    conn: &mut DbConnection,
    id: i64,
    status: CommentStatus,
) -> Result<(), StoreError> {
    if status != CommentStatus::Approved {
        set_featured(conn, CommentId(id), None)?;
    }
    Ok(())
}

/// Features the comment (`Some((when, by whom))`) or takes it out of the picks.
pub fn set_featured(
    conn: &mut DbConnection,
    id: CommentId,
    pick: Option<(i64, i64)>,
) -> Result<(), StoreError> {
    diesel::update(comments::table.find(id))
        .set((
            comments::featured_at.eq(pick.map(|p| p.0)),
            comments::featured_by.eq(pick.map(|p| p.1)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The comment's author and status, read once its article is locked.
fn author_and_status(
    conn: &mut DbConnection,
    id: i64,
) -> Result<(Option<i64>, CommentStatus), StoreError> {
    Ok(comments::table
        .find(id)
        .select((comments::author_id, comments::status))
        .first(conn)?)
}

fn author_counts_follow(
    conn: &mut DbConnection,
    (author, old): (Option<i64>, CommentStatus),
    new: CommentStatus,
) -> Result<(), StoreError> {
    match author {
        Some(author) => super::counters::count_change(conn, UserId(author), Some(old), new),
        None => Ok(()),
    }
}

/// Whether the author posted the same text (by duplicate key) since `since`.
pub fn has_duplicate(
    conn: &mut DbConnection,
    author_id: UserId,
    dup_key: &str,
    since: i64,
    except: Option<i64>,
) -> Result<bool, StoreError> {
    // Ids are positive, so 0 excludes nothing.
    let query = comments::table
        .filter(comments::author_id.eq(author_id))
        .filter(comments::dup_key.eq(dup_key))
        .filter(comments::created_at.ge(since))
        .filter(comments::id.ne(except.unwrap_or(0)));
    let exists = diesel::select(diesel::dsl::exists(query));
    Ok(on_backend!(conn, |c| exists.get_result(c))?)
}

/// Number of the author's comments with the status (since `since`, when given).
pub fn count_by_author(
    conn: &mut DbConnection,
    author_id: UserId,
    status: CommentStatus,
    since: Option<i64>,
) -> Result<i64, StoreError> {
    let mut query = comments::table
        .filter(comments::author_id.eq(author_id))
        .filter(comments::status.eq(status))
        .into_boxed();
    if let Some(since) = since {
        query = query.filter(comments::created_at.ge(since));
    }
    Ok(query.count().get_result(conn)?)
}

/// The author's approved comments, counted no further than `cap` (trust
/// needs only to know whether the threshold is reached).
pub fn count_approved_up_to(
    conn: &mut DbConnection,
    author_id: UserId,
    cap: i64,
) -> Result<i64, StoreError> {
    let ids: Vec<i64> = comments::table
        .filter(comments::author_id.eq(author_id))
        .filter(comments::status.eq(APPROVED))
        .select(comments::id)
        .limit(cap.max(0))
        .load(conn)?;
    Ok(ids.len() as i64)
}

/// Comments of an erased account stay, without an author.
pub fn detach_author(conn: &mut DbConnection, user_id: UserId) -> Result<(), StoreError> {
    super::articles::touch_for_author(conn, user_id)?;
    diesel::update(comments::table.filter(comments::author_id.eq(user_id)))
        .set(comments::author_id.eq(None::<i64>))
        .execute(conn)?;
    Ok(())
}

/// Comments by status, for the stats.
pub fn count_by_status(conn: &mut DbConnection, status: CommentStatus) -> Result<i64, StoreError> {
    Ok(comments::table
        .filter(comments::status.eq(status))
        .count()
        .get_result(conn)?)
}

pub fn count_since(conn: &mut DbConnection, since: i64) -> Result<i64, StoreError> {
    Ok(comments::table
        .filter(comments::created_at.ge(since))
        .count()
        .get_result(conn)?)
}

/// Which comments a moderation queue lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Queue {
    Pending,
    Rejected,
    /// Any status, with at least one open report.
    Reported,
}

/// The same filter on two query shapes: the count reads the comments alone
/// (a join there made SQLite walk every article), the page joins.
macro_rules! in_queue {
    ($query:expr, $which:expr, $article_id:expr) => {{
        use super::schema::reports;
        let reported = reports::table
            .filter(reports::resolved_at.is_null())
            .select(reports::comment_id);
        let mut q = $query;
        q = match $which {
            Queue::Pending => q.filter(comments::status.eq(CommentStatus::Pending)),
            Queue::Rejected => q.filter(comments::status.eq(CommentStatus::Rejected)),
            Queue::Reported => q.filter(comments::id.eq_any(reported)),
        };
        if let Some(id) = $article_id {
            q = q.filter(comments::article_id.eq(id));
        }
        q
    }};
}

/// The size of a whole queue.
pub fn queue_total(
    conn: &mut DbConnection,
    which: Queue,
    article_id: Option<i64>,
) -> Result<i64, StoreError> {
    Ok(in_queue!(comments::table.into_boxed(), which, article_id)
        .count()
        .get_result(conn)?)
}

/// One page of a queue, oldest first.
pub fn queue(
    conn: &mut DbConnection,
    which: Queue,
    article_id: Option<i64>,
    after: Option<Cursor>,
    limit: i64,
) -> Result<Vec<CommentWithAuthor>, StoreError> {
    let mut page = in_queue!(
        comments::table
            .inner_join(articles::table)
            .left_join(users::table)
            .into_boxed(),
        which,
        article_id
    )
    .select((
        CommentRow::as_select(),
        Option::<AuthorRow>::as_select(),
        articles::key,
    ))
    .order((comments::created_at.asc(), comments::id.asc()))
    .limit(limit);
    if let Some(c) = after {
        page = page.filter(
            comments::created_at
                .gt(c.key)
                .or(comments::created_at.eq(c.key).and(comments::id.gt(c.id))),
        );
    }
    let rows: Vec<Joined> = page.load(conn)?;
    Ok(rows.into_iter().map(attach).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: i64, created_at: i64, reactions: i64) -> CommentRow {
        CommentRow {
            id,
            article_id: 1,
            parent_id: None,
            author_id: None,
            body: String::new(),
            html: String::new(),
            dir: "ltr".into(),
            status: APPROVED,
            deleted_by: None,
            reasons: Reasons::default(),
            depth: 1,
            dup_key: String::new(),
            created_at,
            edited_at: None,
            word_matches: "[]".into(),
            reactions,
            featured_at: None,
            featured_by: None,
        }
    }

    #[test]
    fn each_order_pages_on_its_own_key() {
        let c = row(7, 1_764_000_000_000, 3);
        let by_time = Cursor {
            key: 1_764_000_000_000,
            id: 7,
        };
        assert_eq!(Order::Oldest.cursor_of(&c), by_time);
        assert_eq!(Order::Newest.cursor_of(&c), by_time);
        assert_eq!(Order::Top.cursor_of(&c), Cursor { key: 3, id: 7 });
        // A `top` cursor survives the round trip through its text.
        let text = Order::Top.cursor_of(&c).encode();
        assert_eq!(Cursor::decode(&text), Some(Cursor { key: 3, id: 7 }));
    }
}
