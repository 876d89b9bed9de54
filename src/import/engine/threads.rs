//! The article of each thread a source names, made with its first comment
//! or found again by its key.

use super::*;

impl Writer<'_> {
    /// The article of a comment's thread, made with its first comment.
    pub(super) fn article(
        &mut self,
        conn: &mut DbConnection,
        c: &CommentRec,
    ) -> Result<Option<i64>, ImportError> {
        if let Some(&id) = self.articles.get(&c.thread) {
            return Ok(Some(id));
        }
        if let Some(Some(id)) =
            store::lookup(conn, self.source, "thread", &[&c.thread])?.remove(&c.thread)
        {
            self.threads.remove(&c.thread);
            self.articles.insert(c.thread.clone(), id);
            return Ok(Some(id));
        }
        // Known from here on by its article: the record is not kept.
        let Some(thread) = self.threads.remove(&c.thread) else {
            return Ok(None);
        };
        let thread = &thread;
        let url = thread
            .url
            .as_deref()
            .map(|u| rewrite(u, &self.opts.rewrites));
        let key = article_key(thread, url.as_deref(), self.opts.key_from);
        let title = thread
            .title
            .as_deref()
            .and_then(|t| Title::parse(t).ok().map(Title::into_string))
            .unwrap_or_else(|| key.clone());
        let url = url.and_then(|u| ArticleUrl::parse(&u).ok().map(ArticleUrl::into_string));
        let (id, created) = store::article_for(
            conn,
            &store::NewArticleRow {
                key: &key,
                title: &title,
                url: url.as_deref(),
                comments_open: !thread.closed,
                created_at: thread.created_at.unwrap_or(c.created_at),
            },
        )?;
        if created {
            self.report.articles_created += 1;
        } else {
            self.report.articles_matched += 1;
        }
        store::record(
            conn,
            &[MapRow {
                source: self.source,
                kind: "thread",
                source_id: c.thread.clone(),
                target_id: Some(id),
                note: None,
            }],
        )?;
        self.articles.insert(c.thread.clone(), id);
        Ok(Some(id))
    }
}
