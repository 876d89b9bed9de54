-- Statements of reasons (EU Digital Services Act, Art. 17): one per
-- removal, restriction or suspension, written in the decision's
-- transaction. The author and the comment are kept as ids (no foreign key:
-- a statement outlives the account's erasure, as the log does).
CREATE TABLE statements (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT,
    comment_id BIGINT,
    decision TEXT NOT NULL,
    ground_type TEXT NOT NULL,
    ground_rule TEXT,
    ground_law TEXT,
    ground_explanation TEXT,
    facts TEXT NOT NULL,
    automated_detection BOOLEAN NOT NULL,
    automated_decision TEXT NOT NULL,
    source TEXT NOT NULL,
    excerpt TEXT,
    actor_id BIGINT,
    decided_at BIGINT NOT NULL,
    appeal_status TEXT NOT NULL
);
CREATE INDEX statements_user ON statements (user_id, id);
CREATE INDEX statements_decided ON statements (decided_at, id);
CREATE INDEX statements_comment ON statements (comment_id);

-- Appeals against a statement (Art. 20): at most one per statement.
CREATE TABLE appeals (
    id BIGSERIAL PRIMARY KEY,
    statement_id BIGINT NOT NULL UNIQUE REFERENCES statements (id),
    user_id BIGINT NOT NULL,
    text TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT,
    reason TEXT
);
CREATE INDEX appeals_status ON appeals (status, id);
CREATE INDEX appeals_user ON appeals (user_id, id);
