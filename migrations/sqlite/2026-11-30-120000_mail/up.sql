-- Mail: verified addresses, notification choices, one-time account tokens,
-- the outbox of mails and the mail worker's place in the event stream.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
ALTER TABLE users ADD COLUMN notify_replies BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN notify_queue BOOLEAN NOT NULL DEFAULT FALSE;
-- When the last queue digest went to this moderator.
ALTER TABLE users ADD COLUMN queue_digest_at BIGINT;

-- Verification and password-reset tokens: only their SHA-256 is kept.
CREATE TABLE account_tokens (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    purpose TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- The outbox of mails. `dedup_key` names what a mail is for (one reply to
-- one reader, one digest...), so nothing is queued twice. The worker takes
-- due rows and pushes `next_attempt_at` forward while it sends (a lease).
-- The bodies of mails carrying a token are emptied once sent.
CREATE TABLE mails (
    id INTEGER PRIMARY KEY,
    dedup_key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    user_id BIGINT,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    unsubscribe_url TEXT,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX mails_due ON mails (state, next_attempt_at);

-- One row: how far the mail worker has read the event stream, when the
-- queue last received a comment, and the key that signs unsubscribe links
-- (made by the first instance that needs it).
CREATE TABLE mail_state (
    id BIGINT PRIMARY KEY,
    last_event_id BIGINT NOT NULL,
    queue_changed_at BIGINT NOT NULL,
    secret TEXT NOT NULL
);
INSERT INTO mail_state (id, last_event_id, queue_changed_at, secret)
    SELECT 1, COALESCE(MAX(id), 0), 0, '' FROM events;
