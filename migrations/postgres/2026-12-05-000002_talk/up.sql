-- Issue 30: one positive reaction per reader and comment, staff picks, and
-- moderators' notes on readers.
-- The count is kept beside the comment, updated in the transaction that
-- adds or removes the row (store::reactions), so threads sort on one column.
ALTER TABLE comments ADD COLUMN reactions BIGINT NOT NULL DEFAULT 0;
-- A staff pick: when and by whom; NULL when the comment is not featured.
ALTER TABLE comments ADD COLUMN featured_at BIGINT;
ALTER TABLE comments ADD COLUMN featured_by BIGINT;
CREATE TABLE reactions (
    comment_id BIGINT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (comment_id, user_id)
);
-- `reacted` for one reader over a page of comment ids.
CREATE INDEX reactions_user ON reactions (user_id, comment_id);
-- `sort=top`: (reactions, id) keyset within an article.
CREATE INDEX comments_top ON comments (article_id, reactions, id);
CREATE INDEX comments_featured ON comments (article_id, featured_at) WHERE featured_at IS NOT NULL;
CREATE TABLE user_notes (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id BIGINT NOT NULL REFERENCES users (id),
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX user_notes_user ON user_notes (user_id, created_at, id);
