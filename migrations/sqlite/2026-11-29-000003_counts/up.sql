-- Approved comments per article, kept by every write, so counts read one row.
ALTER TABLE articles ADD COLUMN approved_count BIGINT NOT NULL DEFAULT 0;
UPDATE articles SET approved_count = (
    SELECT COUNT(*) FROM comments c
    WHERE c.article_id = articles.id AND c.status = 'approved'
);
-- The duplicate check looks up one author's texts by their key (a hash).
CREATE INDEX comments_duplicates ON comments (author_id, dup_key);
