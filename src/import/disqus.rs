//! Disqus's XML export: `<disqus>` holding `<category>`, `<thread dsq:id>`
//! and `<post dsq:id>` elements. A post names its thread and its parent by
//! their `dsq:id`; its own `<id>` is often empty, so `dsq:id` is what counts.

use super::xml::{Ev, Fields, Xml};
use super::{
    AuthorRec, Body, Class, CommentRec, ImportError, Item, Skip, Source, ThreadRec, SKIPS_SHOWN,
};
use crate::domain::time;
use std::path::Path;

pub struct DisqusSource {
    xml: Xml,
    /// The last record's fields, reused by the next.
    fields: Fields,
    done: bool,
    /// Records skipped so far (only the first ones get a position).
    skips: usize,
}

impl DisqusSource {
    pub fn open(path: &Path) -> Result<DisqusSource, ImportError> {
        let mut xml = Xml::open(path)?;
        let (root, _) = xml.root()?;
        if root != "disqus" {
            return Err(xml.here(format!(
                "not a Disqus export: the root element is <{root}>, not <disqus>"
            )));
        }
        Ok(DisqusSource {
            xml,
            fields: Fields::default(),
            done: false,
            skips: 0,
        })
    }

    /// A record that cannot be placed, where it ends.
    fn skip(&mut self, why: &'static str, comments: u64) -> Option<Item> {
        self.skips += 1;
        let at = if self.skips <= SKIPS_SHOWN {
            self.xml.position()
        } else {
            String::new()
        };
        Some(Item::Skipped(Skip { why, at, comments }))
    }

    fn date(&self, what: &str, id: &str) -> Result<Option<i64>, ImportError> {
        match self.fields.value("createdAt") {
            None => Ok(None),
            Some(s) => time::parse(&s).map(Some).ok_or_else(|| {
                self.xml.here(format!(
                    "{what} {id}: createdAt `{s}` is not an RFC 3339 date"
                ))
            }),
        }
    }
}

impl Source for DisqusSource {
    fn next_item(&mut self) -> Result<Option<Item>, ImportError> {
        while !self.done {
            match self.xml.next()? {
                Ev::Start(name, attrs) if self.xml.depth == 2 => {
                    let id = attrs
                        .into_iter()
                        .find(|(k, _)| k == "id")
                        .map(|(_, v)| v.trim().to_string())
                        .filter(|v| !v.is_empty());
                    match name.as_str() {
                        "thread" => {
                            self.xml.record_into(&mut self.fields)?;
                            let Some(id) = id else {
                                return Ok(self.skip("a <thread> without dsq:id", 0));
                            };
                            let f = &self.fields;
                            return Ok(Some(Item::Thread(ThreadRec {
                                created_at: self.date("thread", &id)?,
                                identifier: f.value("id"),
                                url: f.value("link"),
                                title: f.value("title"),
                                closed: f.flag("isClosed"),
                                id,
                            })));
                        }
                        "post" => {
                            self.xml.record_into(&mut self.fields)?;
                            let Some(id) = id else {
                                return Ok(self.skip("a <post> without dsq:id", 1));
                            };
                            let Some(thread) = self.fields.value("thread@id") else {
                                return Ok(self.skip("a <post> without <thread dsq:id>", 1));
                            };
                            let f = &self.fields;
                            let Some(created_at) = self.date("post", &id)? else {
                                return Err(self.xml.here(format!("post {id}: no <createdAt>")));
                            };
                            let class = if f.flag("isSpam") {
                                Class::Spam
                            } else if f.flag("isDeleted") {
                                Class::Deleted
                            } else if matches!(f.value("isApproved").as_deref(), Some("false")) {
                                Class::Pending
                            } else {
                                Class::Valid
                            };
                            let name = f.value("author/name").or(f.value("author/username"));
                            // Anonymous authors have no username: only a registered one is an account of Disqus's.
                            let account = f
                                .value("author/username")
                                .filter(|_| !f.flag("author/isAnonymous"));
                            return Ok(Some(Item::Comment(CommentRec {
                                thread,
                                parent: f.value("parent@id"),
                                author: AuthorRec {
                                    name,
                                    email: f.value("author/email"),
                                    user: None,
                                    account,
                                },
                                body: Body::Html(f.text("message").unwrap_or("").to_string()),
                                created_at,
                                edited_at: None,
                                class,
                                not_a_comment: None,
                                id,
                            })));
                        }
                        _ => self.xml.skip()?,
                    }
                }
                Ev::Eof => self.done = true,
                _ => {}
            }
        }
        Ok(None)
    }

    fn progress(&self) -> (u64, u64) {
        self.xml.progress()
    }
}
