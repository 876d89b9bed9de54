-- The transactional outbox: every change that matters writes one row here in
-- the transaction of the change. `uid` is the stable id receivers see;
-- `data` is the event's JSON payload.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Webhook endpoints. `events` is a comma-separated list of event types;
-- `failures` counts consecutive failed attempts (the endpoint is disabled at
-- webhooks.disable_after).
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    failures BIGINT NOT NULL DEFAULT 0,
    disabled_at BIGINT,
    created_at BIGINT NOT NULL
);

-- One event to deliver to one endpoint, written with the event. The worker
-- takes due rows (`state` pending, `next_attempt_at` past) and pushes
-- `next_attempt_at` forward while it works: that lease is what a restart
-- or another instance waits for.
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL REFERENCES events (id),
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    done_at BIGINT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_attempt_at);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id);

-- Each attempt, as admins read it: HTTP status or the error.
CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    status_code INTEGER,
    error TEXT,
    ok BOOLEAN NOT NULL,
    attempted_at BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_webhook ON webhook_attempts (webhook_id, id);
