//! A comment's text and what the rules and the page need of it, derived once.

use super::FoldedText;

/// A comment's text with everything derived from it, computed before the
/// write transaction so that the single writer only writes.
pub struct Written {
    pub body: String,
    pub html: String,
    pub dir: &'static str,
    pub dup_key: String,
    pub folded: FoldedText,
    pub links: usize,
}

impl Written {
    /// `body` is already in stored form (`CommentBody::parse`).
    pub fn new(body: String) -> Written {
        let html = super::render_html(&body);
        // Filters read the text as written and as shown: the renderer decodes
        // character references (`c&#111;nnard`) that the raw text hides.
        let mut folded = super::fold_text(&body);
        let shown = super::visible_text(&html);
        if shown.trim() != body {
            folded.merge(super::fold_text(&shown));
        }
        Written {
            dir: super::direction(&body).as_str(),
            dup_key: super::duplicate_key(&body),
            folded,
            links: super::count_links(&body),
            html,
            body,
        }
    }
}
