//! What clients see: response shapes built from stored rows.

use crate::domain::{time, CommentStatus, ModerationMode};
use crate::store::models::{ArticleRow, AuthorRow, CommentWithAuthor, UserRow};
use serde::Serialize;

/// The public view of an account.
#[derive(Debug, Serialize)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
}

impl UserView {
    pub fn from_author(a: &AuthorRow) -> UserView {
        UserView {
            id: a.id,
            username: a.username.clone(),
            display_name: a.display_name.clone().unwrap_or_else(|| a.username.clone()),
        }
    }

    pub fn from_user(u: &UserRow) -> UserView {
        UserView {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone().unwrap_or_else(|| u.username.clone()),
        }
    }
}

/// One's own account (admins see it for anyone).
#[derive(Debug, Serialize)]
pub struct MeView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub role: &'static str,
    pub locale: String,
    pub status: &'static str,
    pub banned_until: Option<String>,
    pub created_at: String,
}

impl MeView {
    pub fn new(u: &UserRow, now: i64) -> MeView {
        let banned = u.is_banned(now);
        MeView {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone().unwrap_or_else(|| u.username.clone()),
            email: u.email.clone(),
            role: u.role().as_str(),
            locale: u.locale.clone(),
            status: if banned { "banned" } else { "active" },
            banned_until: u.banned_until.filter(|_| banned).map(time::format),
            created_at: time::format(u.created_at),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ArticleView {
    pub key: String,
    pub title: String,
    pub url: Option<String>,
    pub comments_open: bool,
    pub moderation: &'static str,
    pub comment_count: i64,
}

impl ArticleView {
    pub fn new(a: &ArticleRow, default: ModerationMode, comment_count: i64) -> ArticleView {
        ArticleView {
            key: a.key.clone(),
            title: a.title.clone(),
            url: a.url.clone(),
            comments_open: a.comments_open,
            moderation: a.mode(default).as_str(),
            comment_count,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct CommentView {
    pub id: i64,
    pub article: String,
    pub parent_id: Option<i64>,
    pub author: Option<UserView>,
    pub body: String,
    pub html: String,
    pub dir: String,
    pub status: &'static str,
    pub created_at: String,
    pub edited_at: Option<String>,
}

impl CommentView {
    /// The whole comment, for readers when public, for its author and moderators always.
    pub fn full(c: &CommentWithAuthor) -> CommentView {
        CommentView {
            id: c.comment.id,
            article: c.article_key.clone(),
            parent_id: c.comment.parent_id,
            author: c.author.as_ref().map(UserView::from_author),
            body: c.comment.body.clone(),
            html: c.comment.html.clone(),
            dir: c.comment.dir.clone(),
            status: c.comment.status().as_str(),
            created_at: time::format(c.comment.created_at),
            edited_at: c.comment.edited_at.map(time::format),
        }
    }

    /// A hidden comment kept in place because replies hang under it.
    pub fn tombstone(c: &CommentWithAuthor) -> CommentView {
        CommentView {
            author: None,
            body: String::new(),
            html: String::new(),
            dir: "ltr".into(),
            status: CommentStatus::Deleted.as_str(),
            edited_at: None,
            ..CommentView::full(c)
        }
    }

    /// A thread row as `viewer` may see it: the whole comment when approved or
    /// their own pending one, a tombstone otherwise.
    pub fn in_thread(c: &CommentWithAuthor, viewer: Option<i64>) -> CommentView {
        let status = c.comment.status();
        let own = viewer.is_some() && c.comment.author_id == viewer;
        if status == CommentStatus::Approved || (own && status == CommentStatus::Pending) {
            CommentView::full(c)
        } else {
            CommentView::tombstone(c)
        }
    }
}
