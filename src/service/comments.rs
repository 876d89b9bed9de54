//! A comment's life: posting, reading, editing, deleting.

use super::ServiceError;
use crate::cache::WordCache;
use crate::config::CommentsConfig;
use crate::config::Config;
use crate::domain::events::EventType;
use crate::domain::ArticleId;
use crate::domain::UserId;
use crate::domain::{
    ArticleKey, CommentBody, CommentId, CommentStatus, DeletedBy, ModerationMode, Reason, Reasons,
    Settings,
};
use crate::domain::{FieldError, MsgArg};
use crate::screening::{self, AuthorRecord, Submission, Verdict};
use crate::service::accounts::ensure_not_banned;
use crate::service::articles;
use crate::service::events;
use crate::service::words;
use crate::store::models::{ArticleRow, AuthorRow, CommentWithAuthor, NewComment, UserRow};
use crate::store::Db;
use crate::store::{self, now_ms, DbConnection};
use crate::text::Written;
use std::sync::Arc;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The article to post under; created on the fly when the admin setting allows it.
fn article_for_posting(
    conn: &mut DbConnection,
    key: &str,
    settings: &Settings,
) -> Result<ArticleRow, ServiceError> {
    match store::articles::find_by_key(conn, key)? {
        Some(article) => Ok(article),
        None if settings.auto_create_articles => articles::insert_unattended(conn, key, key, None),
        None => Err(ServiceError::NotFound),
    }
}

/// What the pipeline needs to know of an author. Trust only matters on a
/// pre-moderated article, and then only up to `trusted_after` approved comments.
pub fn author_record(
    conn: &mut DbConnection,
    author: &UserRow,
    mode: ModerationMode,
    settings: &Settings,
) -> Result<AuthorRecord, ServiceError> {
    if mode == ModerationMode::Post || author.role.is_staff() {
        return Ok(AuthorRecord {
            role: author.role,
            approved_count: 0,
            recently_rejected: false,
        });
    }
    let since = now_ms() - 30 * DAY_MS;
    Ok(AuthorRecord {
        role: author.role,
        approved_count: store::comments::count_approved_up_to(
            conn,
            UserId(author.id),
            settings.trusted_after,
        )?,
        recently_rejected: store::comments::count_by_author(
            conn,
            UserId(author.id),
            CommentStatus::Rejected,
            Some(since),
        )? > 0,
    })
}

/// Who writes where, under which settings and word lists.
struct Context<'a> {
    word_cache: &'a WordCache,
    /// The lists' version, read with the settings.
    words_version: i64,
    author: &'a UserRow,
    article: &'a ArticleRow,
    settings: &'a Settings,
}

fn judge(
    conn: &mut DbConnection,
    cx: &Context<'_>,
    written: &Written,
    editing: Option<i64>,
) -> Result<Verdict, ServiceError> {
    let words = words::compiled_at(conn, cx.word_cache, cx.words_version)?;
    let duplicate = store::comments::has_duplicate(
        conn,
        UserId(cx.author.id),
        &written.dup_key,
        now_ms() - DAY_MS,
        editing,
    )?;
    let mode = cx.article.mode(cx.settings.default_moderation);
    Ok(screening::decide(&Submission {
        folded: &written.folded,
        links: written.links,
        author: author_record(conn, cx.author, mode, cx.settings)?,
        mode,
        settings: cx.settings,
        words: &words,
        duplicate,
        is_edit: editing.is_some(),
    }))
}

/// A new comment, or a reply to `parent`, under the article `article`.
pub struct NewPost {
    pub article: ArticleKey,
    pub parent: Option<CommentId>,
    pub body: CommentBody,
}

/// Posts a comment (or a reply) and returns it as stored. The text is
/// rendered and folded before the write, so the single writer only writes.
pub async fn post(
    db: &Db,
    words: &Arc<WordCache>,
    config: &Config,
    author: UserRow,
    post: NewPost,
) -> Result<CommentWithAuthor, ServiceError> {
    let limits = config.comments.clone();
    let words = words.clone();
    let NewPost {
        article,
        parent,
        body,
    } = post;
    let write = move |conn: &mut DbConnection, written: &Written| {
        let cx = PostContext {
            limits: &limits,
            word_cache: &words,
            author: &author,
        };
        insert_post(conn, &cx, &article, parent, written)
    };
    let body = body.into_string();
    if body.len() <= PREPARE_HERE {
        return db.write_with(Written::new(body), write).await;
    }
    db.write_prepared(move || Written::new(body), write).await
}

/// Bodies up to this many bytes are rendered and folded on the request's
/// own thread: a few microseconds, less than the hop to a blocking thread
/// and back (bench/RESULTS-instructions.md).
const PREPARE_HERE: usize = 256;

/// What posting needs besides the comment itself.
struct PostContext<'a> {
    limits: &'a CommentsConfig,
    word_cache: &'a WordCache,
    author: &'a UserRow,
}

fn insert_post(
    conn: &mut DbConnection,
    post: &PostContext<'_>,
    key: &ArticleKey,
    parent: Option<CommentId>,
    written: &Written,
) -> Result<CommentWithAuthor, ServiceError> {
    let (limits, word_cache, author) = (post.limits, post.word_cache, post.author);
    let parent_id = parent.map(CommentId::get);
    let (settings, words_version) = store::settings::load_with_words_version(conn)?;
    let article = article_for_posting(conn, key.as_str(), &settings)?;
    if !article.comments_open {
        return Err(ServiceError::ArticleClosed);
    }
    let depth = match parent_id {
        None => 1,
        Some(pid) => {
            let parent = store::comments::find_row(conn, CommentId(pid))?
                .filter(|p| p.article_id == article.id && p.status == CommentStatus::Approved)
                .ok_or(ServiceError::NotFound)?;
            if parent.depth >= limits.max_depth {
                return Err(ServiceError::Validation(vec![FieldError::new(
                    "parent_id",
                    "validation-too-deep",
                )
                .with("max", MsgArg::Num(limits.max_depth as i64))]));
            }
            parent.depth + 1
        }
    };
    let cx = Context {
        word_cache,
        words_version,
        author,
        article: &article,
        settings: &settings,
    };
    let verdict = judge(conn, &cx, written, None)?;
    let comment = store::comments::insert(
        conn,
        NewComment {
            article_id: article.id,
            parent_id,
            author_id: Some(author.id),
            body: &written.body,
            html: &written.html,
            dir: written.dir,
            status: verdict.status,
            reasons: Reasons(verdict.reasons.clone()),
            depth,
            dup_key: &written.dup_key,
            created_at: now_ms(),
            word_matches: &verdict.matches_json(),
        },
    )?;
    let posted = CommentWithAuthor {
        comment,
        author: Some(AuthorRow::of(author)),
        article_key: article.key,
    };
    events::record_comment(conn, EventType::CommentCreated, &posted, None)?;
    super::statements::record_screening(conn, &posted.comment, &verdict, false)?;
    Ok(posted)
}

/// How a viewer may see a single comment.
pub enum Visibility {
    Full,
    Tombstone,
}

/// Public when approved; its author and moderators see it in any state;
/// a hidden comment with visible replies shows as a tombstone; else 404.
pub fn visibility(
    conn: &mut DbConnection,
    c: &CommentWithAuthor,
    viewer: Option<&UserRow>,
) -> Result<Visibility, ServiceError> {
    let status = c.comment.status;
    let is_author = viewer.is_some_and(|v| c.comment.author_id == Some(v.id));
    let is_staff = viewer.is_some_and(|v| v.role.is_staff());
    if status == CommentStatus::Approved
        || is_staff
        || (is_author && status != CommentStatus::Deleted)
    {
        return Ok(Visibility::Full);
    }
    if store::comments::has_visible_reply(conn, CommentId(c.comment.id))? {
        return Ok(Visibility::Tombstone);
    }
    Err(ServiceError::NotFound)
}

/// A comment as `viewer` may see it: in full, as a tombstone, or 404.
pub fn get_visible(
    conn: &mut DbConnection,
    id: CommentId,
    viewer: Option<&UserRow>,
) -> Result<(CommentWithAuthor, Visibility), ServiceError> {
    let c = store::comments::get(conn, id)?;
    let visibility = visibility(conn, &c, viewer)?;
    Ok((c, visibility))
}

/// The comment as its author may change it: visible to them, theirs, not banned,
/// inside the edit window.
fn own_editable(
    conn: &mut DbConnection,
    id: i64,
    caller: &UserRow,
    edit_window_minutes: i64,
) -> Result<CommentWithAuthor, ServiceError> {
    let c = store::comments::get(conn, CommentId(id))?;
    visibility(conn, &c, Some(caller))?;
    if c.comment.status == CommentStatus::Deleted {
        return Err(ServiceError::NotFound);
    }
    if c.comment.author_id != Some(caller.id) {
        return Err(ServiceError::Forbidden);
    }
    ensure_not_banned(caller)?;
    if now_ms() > c.comment.created_at + edit_window_minutes * 60_000 {
        return Err(ServiceError::EditWindowPassed);
    }
    Ok(c)
}

/// An author's edit: the filters run again on the new text.
pub async fn edit(
    db: &Db,
    words: &Arc<WordCache>,
    author: UserRow,
    id: CommentId,
    body: CommentBody,
) -> Result<CommentWithAuthor, ServiceError> {
    let words = words.clone();
    db.write_prepared(
        move || Written::new(body.into_string()),
        move |conn, written| apply_edit(conn, &words, &author, id.get(), written),
    )
    .await
}

fn apply_edit(
    conn: &mut DbConnection,
    word_cache: &WordCache,
    caller: &UserRow,
    id: i64,
    written: &Written,
) -> Result<CommentWithAuthor, ServiceError> {
    let (settings, words_version) = store::settings::load_with_words_version(conn)?;
    let c = own_editable(conn, id, caller, settings.edit_window_minutes)?;
    let article = store::articles::get(conn, ArticleId(c.comment.article_id))?;
    if !article.comments_open {
        return Err(ServiceError::ArticleClosed);
    }
    if c.comment.status == CommentStatus::Rejected {
        // A moderator's (or the filter's) rejection is not undone by rewording.
        return Err(ServiceError::Forbidden);
    }
    let cx = Context {
        word_cache,
        words_version,
        author: caller,
        article: &article,
        settings: &settings,
    };
    let mut verdict = judge(conn, &cx, written, Some(id))?;
    let held_for_reports =
        c.comment.reasons.contains(Reason::Reports) && c.comment.status == CommentStatus::Pending;
    if held_for_reports && verdict.status == CommentStatus::Approved {
        // Reports are settled by a moderator, not by an edit.
        verdict = Verdict {
            status: CommentStatus::Pending,
            reasons: vec![Reason::Reports, Reason::Edited],
            matches: vec![],
        };
    }
    store::comments::apply_edit(
        conn,
        CommentId(id),
        store::comments::Edit {
            body: &written.body,
            html: &written.html,
            dir: written.dir,
            status: verdict.status,
            reasons: Reasons(verdict.reasons.clone()),
            dup_key: &written.dup_key,
            edited_at: now_ms(),
            word_matches: &verdict.matches_json(),
        },
    )?;
    let edited = store::comments::get(conn, CommentId(id))?;
    let was_public = c.comment.status == CommentStatus::Approved;
    super::statements::record_screening(conn, &edited.comment, &verdict, was_public)?;
    events::record_comment_change(conn, EventType::CommentEdited, &edited, None, was_public)?;
    Ok(edited)
}

/// Deletion by its author (inside the window) or by a moderator (logged).
pub fn delete(
    conn: &mut DbConnection,
    caller: &UserRow,
    id: CommentId,
) -> Result<(), ServiceError> {
    let comment_id = id;
    if caller.role.is_staff() {
        ensure_not_banned(caller)?;
        let c = store::comments::get(conn, id)?;
        if c.comment.author_id != Some(caller.id) {
            // The same decision as the queue's delete, logged there.
            let action = super::decisions::Action::Delete;
            return super::decisions::act(conn, caller.id, comment_id, action, None, None)
                .map(|_| ());
        }
        return delete_own(conn, id.get());
    }
    let settings = store::settings::load(conn)?;
    own_editable(conn, id.get(), caller, settings.edit_window_minutes)?;
    delete_own(conn, id.get())
}

/// The author's deletion, and its event.
fn delete_own(conn: &mut DbConnection, id: i64) -> Result<(), ServiceError> {
    let was_public = store::comments::find_row(conn, CommentId(id))?
        .is_some_and(|c| c.status == CommentStatus::Approved);
    store::comments::set_status(
        conn,
        CommentId(id),
        CommentStatus::Deleted,
        Some(DeletedBy::Author),
        None,
    )?;
    let deleted = store::comments::get(conn, CommentId(id))?;
    events::record_comment_change(conn, EventType::CommentDeleted, &deleted, None, was_public)
}
