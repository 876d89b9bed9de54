//! A comment's text made ready to store, on the preparing threads: the
//! stored form, its HTML rendered like the write path's, and its author's key.

use super::*;

/// A comment's text in stored form, with what is derived from it.
pub(super) struct Rendered {
    pub(super) body: String,
    pub(super) html: String,
    pub(super) dir: &'static str,
    pub(super) dup_key: String,
    pub(super) author: authors::Author,
}

/// Turns a source's text into Tribune's stored form and renders it the way
/// the write path does.
pub(super) fn prepare(c: &CommentRec) -> Result<Rendered, &'static str> {
    if let Some(why) = c.not_a_comment {
        return Err(why);
    }
    let markdown = match &c.body {
        Body::Html(h) => html::to_markdown(h, false),
        Body::HtmlWithBreaks(h) => html::to_markdown(h, true),
        Body::Markdown(m) => m.clone(),
    };
    let body = text::normalize_body(&markdown);
    if body.is_empty() && c.class != Class::Deleted {
        return Err("empty text");
    }
    Ok(Rendered {
        html: text::render_html(&body),
        dir: text::direction(&body).as_str(),
        dup_key: text::duplicate_key(&body),
        body,
        author: authors::author_key(&c.author),
    })
}
