-- `tribune import`: what each source's ids became here, so that running an
-- import again (after an interruption, or twice) adds nothing.
-- kind: thread, comment, email, name, user; target_id NULL: read, not imported
-- (note says why), so a re-run skips it too.
CREATE TABLE import_map (
    source TEXT NOT NULL,
    kind TEXT NOT NULL,
    source_id TEXT NOT NULL,
    target_id BIGINT,
    note TEXT,
    PRIMARY KEY (source, kind, source_id)
);
CREATE INDEX import_map_target ON import_map (kind, target_id);

-- Replies read before their parent: linked when the parent arrives.
CREATE TABLE import_pending (
    source TEXT NOT NULL,
    parent_source_id TEXT NOT NULL,
    child_id BIGINT NOT NULL REFERENCES comments (id),
    PRIMARY KEY (source, parent_source_id, child_id)
);

-- Accounts made for people who commented elsewhere: no password (they cannot
-- sign in), and the name they had there.
CREATE TABLE imported_users (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    source TEXT NOT NULL,
    original_name TEXT,
    created_at BIGINT NOT NULL
);
