-- Notices of illegal content (EU Digital Services Act, Art. 16): sent by
-- anyone, with or without an account, about a comment. A decision on the
-- comment settles its open notices, in the decision's transaction; the
-- statement it wrote, if any, is kept with them.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY,
    comment_id BIGINT NOT NULL,
    category TEXT NOT NULL,
    explanation TEXT NOT NULL,
    name TEXT,
    email TEXT,
    user_id BIGINT,
    trusted BOOLEAN NOT NULL,
    locale TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    outcome TEXT,
    statement_id BIGINT
);
CREATE INDEX notices_open ON notices (decided_at, trusted, id);
CREATE INDEX notices_comment ON notices (comment_id, decided_at);
CREATE INDEX notices_created ON notices (created_at, id);

-- Trusted flaggers (Art. 22): their notices come first.
ALTER TABLE users ADD COLUMN trusted_flagger BOOLEAN NOT NULL DEFAULT FALSE;

-- Statements whose author the mail worker has yet to tell (DSA Art. 17):
-- those written before this migration count as told.
ALTER TABLE statements ADD COLUMN mailed BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX statements_unmailed ON statements (mailed, id);
