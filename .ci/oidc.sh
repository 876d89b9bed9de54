#!/usr/bin/env bash
# Sign-in with OpenID Connect against a real provider: oidc-provider (MIT,
# from npm, in tests/oidc/node_modules) started on loopback by the tests of
# tests/api/oidc.rs that `cargo test` leaves out for want of it. On SQLite;
# with PG_URL set (a PostgreSQL server), again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v node >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm
fi
if [ ! -d tests/oidc/node_modules/oidc-provider ] || [ ! -d tests/oidc/node_modules/jose ]; then
    (cd tests/oidc && npm ci --no-audit --no-fund)
fi

echo "== OpenID sign-in on SQLite"
cargo test --locked --test api oidc -- --include-ignored

if [ -n "${PG_URL:-}" ]; then
    echo "== OpenID sign-in on PostgreSQL"
    TRIBUNE_TEST_DATABASE_URL="$PG_URL" cargo test --locked --test api oidc -- --include-ignored
fi
