//! WordPress's export (WXR 1.0 to 1.2): an RSS `<channel>` of `<item>`s (posts
//! and pages) holding `<wp:comment>`s. `comment_approved` is 1, 0, spam or
//! trash; `comment_parent` 0 means none; pingbacks and trackbacks are not
//! comments.

use super::xml::{Ev, Fields, Xml};
use super::{
    AuthorRec, Body, Class, CommentRec, ImportError, Item, Skip, Source, ThreadRec, SKIPS_SHOWN,
};
use std::collections::VecDeque;
use std::path::Path;

pub struct WordpressSource {
    xml: Xml,
    queue: VecDeque<Item>,
    done: bool,
    /// Records skipped so far (only the first ones get a position).
    skips: usize,
}

impl WordpressSource {
    pub fn open(path: &Path) -> Result<WordpressSource, ImportError> {
        let mut xml = Xml::open(path)?;
        let (root, attrs) = xml.root()?;
        let wxr = attrs
            .iter()
            .any(|(k, v)| k == "wp" || v.starts_with("http://wordpress.org/export/"));
        if root != "rss" || !wxr {
            return Err(xml.here(format!(
                "not a WordPress export (WXR): the root element is <{root}>{}",
                if root == "rss" {
                    " without the wp namespace"
                } else {
                    ", not <rss>"
                }
            )));
        }
        Ok(WordpressSource {
            xml,
            queue: VecDeque::new(),
            done: false,
            skips: 0,
        })
    }

    /// A record that cannot be placed, queued to be counted.
    fn skip(&mut self, why: &'static str, comments: u64) {
        self.skips += 1;
        let at = if self.skips <= SKIPS_SHOWN {
            self.xml.position()
        } else {
            String::new()
        };
        self.queue
            .push_back(Item::Skipped(Skip { why, at, comments }));
    }

    /// Reads one `<item>`: the thread, then its comments.
    fn item(&mut self) -> Result<(), ImportError> {
        let base = self.xml.depth;
        let mut thread = Fields::default();
        let mut path: Vec<String> = Vec::new();
        let mut comments = Vec::new();
        loop {
            match self.xml.next()? {
                Ev::Start(name, _) if self.xml.depth == base + 1 && name == "comment" => {
                    let comment = self.xml.record()?;
                    // Counted here, where the comment ends.
                    if comment.value("comment_id").is_none() {
                        self.skip("a <wp:comment> without <wp:comment_id>", 1);
                    } else {
                        comments.push(comment);
                    }
                }
                Ev::Start(name, _) => path.push(name),
                Ev::End => {
                    if self.xml.depth < base {
                        break;
                    }
                    path.pop();
                }
                Ev::Text(t) => {
                    if path.len() == 1 {
                        thread.append(&path[0], &t);
                    }
                }
                Ev::Eof => return Err(self.xml.here("the file ends inside an <item>".into())),
            }
        }
        if comments.is_empty() {
            return Ok(());
        }
        // Without a post id, the page's link keys the thread (as the
        // other importers do); without either, nothing places the comments.
        let Some(id) = thread.value("post_id").or(thread.value("link")) else {
            self.skip(
                "an <item> with comments but neither <wp:post_id> nor <link>",
                comments.len() as u64,
            );
            return Ok(());
        };
        self.queue.push_back(Item::Thread(ThreadRec {
            identifier: thread.value("post_name"),
            url: thread.value("link"),
            title: thread.value("title"),
            created_at: thread.value("post_date_gmt").and_then(|d| gmt(&d)),
            closed: thread.value("comment_status").as_deref() == Some("closed"),
            id: id.clone(),
        }));
        for c in comments {
            let Some(cid) = c.value("comment_id") else {
                continue;
            };
            let date = c.value("comment_date_gmt").or(c.value("comment_date"));
            let Some(created_at) = date.as_deref().and_then(gmt) else {
                return Err(self.xml.here(format!(
                    "comment {cid}: comment_date_gmt `{}` is not a date (YYYY-MM-DD HH:MM:SS)",
                    date.unwrap_or_default()
                )));
            };
            let class = match c.value("comment_approved").as_deref() {
                Some("1") | Some("approve") => Class::Valid,
                Some("spam") => Class::Spam,
                Some("trash") | Some("post-trashed") => Class::Deleted,
                _ => Class::Pending,
            };
            let kind = c.value("comment_type").unwrap_or_default();
            let not_a_comment = match kind.as_str() {
                "pingback" => Some("pingback"),
                "trackback" => Some("trackback"),
                _ => None,
            };
            self.queue.push_back(Item::Comment(CommentRec {
                thread: id.clone(),
                parent: c.value("comment_parent").filter(|p| p != "0"),
                author: AuthorRec {
                    name: c.value("comment_author"),
                    email: c.value("comment_author_email"),
                    user: None,
                    // 0: not signed in.
                    account: c.value("comment_user_id").filter(|u| u != "0"),
                },
                body: Body::HtmlWithBreaks(c.text("comment_content").unwrap_or("").to_string()),
                created_at,
                edited_at: None,
                class,
                not_a_comment,
                id: cid,
            }));
        }
        Ok(())
    }
}

/// WordPress's `2013-01-31 18:05:00` (UTC in the `_gmt` fields).
fn gmt(s: &str) -> Option<i64> {
    let t = chrono::NaiveDateTime::parse_from_str(s.trim(), "%Y-%m-%d %H:%M:%S").ok()?;
    // WordPress writes 0000-00-00 00:00:00 for drafts: not a date.
    Some(t.and_utc().timestamp_millis())
}

impl Source for WordpressSource {
    fn next_item(&mut self) -> Result<Option<Item>, ImportError> {
        loop {
            if let Some(item) = self.queue.pop_front() {
                return Ok(Some(item));
            }
            if self.done {
                return Ok(None);
            }
            match self.xml.next()? {
                Ev::Start(name, _) if name == "item" => self.item()?,
                Ev::Eof => self.done = true,
                _ => {}
            }
        }
    }

    fn progress(&self) -> (u64, u64) {
        self.xml.progress()
    }
}
