-- Sign-in by the site's own accounts (docs/sso.md).
-- An identity is (site, subject): the site's user id, under the issuer or the
-- key's site. `last_iat` is the newest token seen, so an older one never
-- undoes what a newer one set.
CREATE TABLE sso_identities (
    id INTEGER PRIMARY KEY,
    site TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id BIGINT NOT NULL REFERENCES users (id),
    last_iat BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (site, subject)
);
CREATE INDEX sso_identities_user ON sso_identities (user_id);

-- Single-use tokens: a `jti` is kept until its token expires.
CREATE TABLE sso_used_tokens (
    site TEXT NOT NULL,
    jti TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (site, jti)
);
CREATE INDEX sso_used_tokens_expiry ON sso_used_tokens (expires_at);

-- Badges the site gives its readers, a JSON array of strings ('' when none).
ALTER TABLE users ADD COLUMN badges TEXT NOT NULL DEFAULT '';
