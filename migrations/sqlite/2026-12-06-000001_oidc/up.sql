-- Sign-in with OpenID Connect providers (docs/sso.md): the logins under way,
-- from the redirect to the provider until its callback. A row is taken once
-- (deleted when the callback comes) and lives a few minutes; any instance
-- may answer the callback. Only the SHA-256 of `state` is kept.
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    return_to TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_logins_expiry ON oidc_logins (expires_at);
