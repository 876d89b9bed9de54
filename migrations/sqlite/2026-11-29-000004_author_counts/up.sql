-- Each author's approved and rejected comments, kept by every write, so the
-- moderation queue shows an author's standing without counting their history.
ALTER TABLE users ADD COLUMN approved_count BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN rejected_count BIGINT NOT NULL DEFAULT 0;
UPDATE users SET
    approved_count = (SELECT COUNT(*) FROM comments c WHERE c.author_id = users.id AND c.status = 'approved'),
    rejected_count = (SELECT COUNT(*) FROM comments c WHERE c.author_id = users.id AND c.status = 'rejected');
