-- Tribune's tables. Timestamps are UTC milliseconds since the Unix epoch (BIGINT),
-- enumerations are TEXT, so the same schema.rs serves SQLite and PostgreSQL.
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    username_skeleton TEXT NOT NULL UNIQUE,
    email TEXT UNIQUE,
    password_hash TEXT NOT NULL,
    display_name TEXT,
    role TEXT NOT NULL DEFAULT 'reader',
    locale TEXT NOT NULL DEFAULT 'fr',
    banned_at BIGINT,
    banned_until BIGINT,
    ban_reason TEXT,
    created_at BIGINT NOT NULL,
    erased_at BIGINT
);
CREATE INDEX users_role ON users (role);

CREATE TABLE sessions (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE articles (
    id BIGSERIAL PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    url TEXT,
    comments_open BOOLEAN NOT NULL DEFAULT TRUE,
    moderation TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE comments (
    id BIGSERIAL PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id),
    parent_id BIGINT REFERENCES comments (id),
    author_id BIGINT REFERENCES users (id),
    body TEXT NOT NULL,
    html TEXT NOT NULL,
    dir TEXT NOT NULL,
    status TEXT NOT NULL,
    deleted_by TEXT,
    reasons TEXT NOT NULL DEFAULT '',
    depth INTEGER NOT NULL,
    dup_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    edited_at BIGINT
);
CREATE INDEX comments_thread ON comments (article_id, status, created_at, id);
CREATE INDEX comments_queue ON comments (status, created_at, id);
CREATE INDEX comments_author ON comments (author_id, created_at);
CREATE INDEX comments_parent ON comments (parent_id, status);

CREATE TABLE reports (
    id BIGSERIAL PRIMARY KEY,
    comment_id BIGINT NOT NULL REFERENCES comments (id),
    reporter_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    note TEXT,
    snapshot TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT,
    UNIQUE (comment_id, reporter_id)
);
CREATE INDEX reports_open ON reports (resolved_at, comment_id);
CREATE INDEX reports_reporter ON reports (reporter_id);

CREATE TABLE moderation_log (
    id BIGSERIAL PRIMARY KEY,
    actor_id BIGINT NOT NULL REFERENCES users (id),
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT,
    reason TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE words (
    id BIGSERIAL PRIMARY KEY,
    pattern TEXT NOT NULL,
    folded TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (folded, kind)
);

-- The admin settings of api.md: one row, shared by every instance.
CREATE TABLE settings (
    id BIGSERIAL PRIMARY KEY,
    default_moderation TEXT NOT NULL,
    edit_window_minutes BIGINT NOT NULL,
    report_threshold BIGINT NOT NULL,
    trusted_after BIGINT NOT NULL,
    max_links BIGINT NOT NULL,
    auto_create_articles BOOLEAN NOT NULL
);
INSERT INTO settings VALUES (1, 'post', 15, 3, 3, 2, FALSE);
