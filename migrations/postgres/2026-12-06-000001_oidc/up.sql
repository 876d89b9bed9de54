-- Sign-in with OpenID Connect providers (docs/sso.md): the logins under way,
-- from the redirect to the provider until its callback. A row is taken once
-- (deleted when the callback comes) and lives a few minutes; any instance
-- may answer the callback. Only SHA-256s of `state` and of the secret of the
-- browser that started it (a cookie: the callback must come back to it) are kept.
CREATE TABLE oidc_logins (
    state_hash TEXT PRIMARY KEY,
    browser_hash TEXT NOT NULL,
    provider TEXT NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    return_to TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX oidc_logins_expiry ON oidc_logins (expires_at);
