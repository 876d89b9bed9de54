//! What clients see: response shapes built from stored rows.

use crate::domain::fields::ARTICLE_KEY_PATTERN;
use crate::domain::{time, AccountStatus, CommentStatus, ModerationMode, Role};
use crate::i18n::Locale;
use crate::store::models::{parse_badges, ArticleRow, AuthorRow, CommentWithAuthor, UserRow};
use crate::text::Direction;
use serde::Serialize;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::openapi::Required;
use utoipa::{IntoParams, ToSchema};

/// A mark shown beside a name. The server sends stable data, never text in
/// one language: thread pages are cached for every reader alike, so the
/// widget and the console write `staff` in the reader's language
/// (catalog key `badge-staff`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Badge {
    /// A moderator or an admin: *Rédaction*, *فريق التحرير*, *Staff*.
    Staff,
    /// Given by the site's sign-in (`badges` claim), shown as written.
    Site {
        /// At most 24 characters.
        label: String,
    },
}

/// Staff first, then the site's badges in the order the site gave them.
fn badges_of(role: Role, stored: &str) -> Vec<Badge> {
    role.is_staff()
        .then_some(Badge::Staff)
        .into_iter()
        .chain(
            parse_badges(stored)
                .into_iter()
                .map(|label| Badge::Site { label }),
        )
        .collect()
}

/// The public view of an account.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = User)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// Shown beside the name; empty for most readers.
    pub badges: Vec<Badge>,
}

impl UserView {
    pub fn from_author(a: &AuthorRow) -> UserView {
        UserView {
            id: a.id,
            username: a.username.clone(),
            display_name: a.display_name.clone().unwrap_or_else(|| a.username.clone()),
            badges: badges_of(a.role, &a.badges),
        }
    }

    pub fn from_user(u: &UserRow) -> UserView {
        UserView {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone().unwrap_or_else(|| u.username.clone()),
            badges: badges_of(u.role, &u.badges),
        }
    }
}

/// One's own account (admins see it for anyone).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Me)]
pub struct MeView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    /// `null` once the account was erased.
    #[schema(required = true, format = Email)]
    pub email: Option<String>,
    #[schema(value_type = crate::domain::Role)]
    pub role: &'static str,
    #[schema(value_type = Locale)]
    pub locale: String,
    pub status: AccountStatus,
    #[schema(required = true, format = DateTime)]
    pub banned_until: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Whether the address was verified (a link sent to it was followed).
    pub email_verified: bool,
    /// Reply notifications by mail (opt-in).
    pub notify_replies: bool,
    /// Queue digests by mail (opt-in, moderators and admins).
    pub notify_queue: bool,
    /// As comment views show them beside the name.
    pub badges: Vec<Badge>,
    /// A trusted flagger (DSA Art. 22): their notices come first.
    pub trusted_flagger: bool,
}

impl MeView {
    pub fn new(u: &UserRow, now: i64) -> MeView {
        let banned = u.is_banned(now);
        MeView {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone().unwrap_or_else(|| u.username.clone()),
            email: u.email.clone(),
            role: u.role.as_str(),
            locale: u.locale.as_str().to_string(),
            status: AccountStatus::of(banned),
            banned_until: u.banned_until.filter(|_| banned).map(time::format),
            created_at: time::format(u.created_at),
            email_verified: u.email_verified_at.is_some(),
            notify_replies: u.notify_replies,
            notify_queue: u.notify_queue,
            badges: badges_of(u.role, &u.badges),
            trusted_flagger: u.trusted_flagger,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Article)]
pub struct ArticleView {
    pub key: String,
    pub title: String,
    #[schema(required = true)]
    pub url: Option<String>,
    pub comments_open: bool,
    /// The mode in force: the article's own, or the site default.
    #[schema(value_type = ModerationMode)]
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

#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Comment)]
pub struct CommentView {
    pub id: i64,
    /// The article's key.
    pub article: String,
    #[schema(required = true)]
    pub parent_id: Option<i64>,
    /// `null` once the account was erased, and on tombstones.
    #[schema(required = true)]
    pub author: Option<UserView>,
    pub body: String,
    pub html: String,
    #[schema(value_type = Direction)]
    pub dir: String,
    #[schema(value_type = CommentStatus)]
    pub status: &'static str,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(required = true, format = DateTime)]
    pub edited_at: Option<String>,
    /// Readers who marked it (the one positive reaction).
    pub reactions: i64,
    /// Whether the signed-in caller marked it; absent for anonymous callers
    /// and outside threads. Never set here: thread pages are shared by every
    /// reader, and `api::articles` writes each caller's marks into them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reacted: Option<bool>,
    /// A staff pick.
    pub featured: bool,
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
            status: c.comment.status.as_str(),
            created_at: time::format(c.comment.created_at),
            edited_at: c.comment.edited_at.map(time::format),
            reactions: c.comment.reactions,
            reacted: None,
            featured: c.comment.featured_at.is_some(),
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
            reactions: 0,
            featured: false,
            ..CommentView::full(c)
        }
    }

    /// A thread row as `viewer` may see it: the whole comment when approved or
    /// their own pending one, a tombstone otherwise.
    pub fn in_thread(c: &CommentWithAuthor, viewer: Option<i64>) -> CommentView {
        let status = c.comment.status;
        let own = viewer.is_some() && c.comment.author_id == viewer;
        if status == CommentStatus::Approved || (own && status == CommentStatus::Pending) {
            CommentView::full(c)
        } else {
            CommentView::tombstone(c)
        }
    }
}

/// A parameter naming articles by key, as the OpenAPI document shows it.
fn key_parameter(
    name: &str,
    at: ParameterIn,
    required: bool,
    description: &str,
    pattern: String,
) -> Parameter {
    let schema = ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .pattern(Some(pattern));
    ParameterBuilder::new()
        .name(name)
        .parameter_in(at)
        .required(if required {
            Required::True
        } else {
            Required::False
        })
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

/// The `{key}` of an article's routes.
pub struct ArticleKeyPath;

impl IntoParams for ArticleKeyPath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let pattern = ARTICLE_KEY_PATTERN.to_string();
        vec![key_parameter(
            "key",
            ParameterIn::Path,
            true,
            "The article's key",
            pattern,
        )]
    }
}

/// `?article=`: only this article's items.
pub struct ArticleFilter;

impl IntoParams for ArticleFilter {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let pattern = ARTICLE_KEY_PATTERN.to_string();
        let about = "Only this article's comments";
        vec![key_parameter(
            "article",
            ParameterIn::Query,
            false,
            about,
            pattern,
        )]
    }
}

/// `?articles=a,b,c`: up to 100 keys.
pub struct ArticleKeyList;

impl IntoParams for ArticleKeyList {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let key = ARTICLE_KEY_PATTERN
            .trim_start_matches('^')
            .trim_end_matches('$');
        let pattern = format!("^{key}(,{key}){{0,99}}$");
        let about = "Comma-separated article keys, at most 100";
        vec![key_parameter(
            "articles",
            ParameterIn::Query,
            true,
            about,
            pattern,
        )]
    }
}
