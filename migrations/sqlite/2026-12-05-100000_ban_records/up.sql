-- What is kept of a banned account after its erasure: only hashes of its
-- address and of its username's skeleton, and the ban's end, so that the
-- same person registering again is banned again.
CREATE TABLE ban_records (
    id INTEGER PRIMARY KEY,
    email_hash TEXT,
    name_hash TEXT NOT NULL,
    banned_until BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX ban_records_email ON ban_records (email_hash);
CREATE INDEX ban_records_name ON ban_records (name_hash);
