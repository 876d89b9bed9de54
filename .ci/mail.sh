#!/usr/bin/env bash
# The mail flows against a real SMTP server: aiosmtpd (Apache-2.0, from
# PyPI, in a venv under target/) catches what a real `tribune serve` sends,
# and tests/mail/ follows the links and tokens as a reader would
# (verification, reset with expired and reused tokens, a reply notification
# and its headers, one-click unsubscribe, the moderator digest, Arabic
# mails, kill -9 with a mail queued). On a fresh SQLite database; with
# PG_URL set (a PostgreSQL server), again on a fresh PostgreSQL database.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/mail-venv
if ! "$venv/bin/python" -c 'import aiosmtpd, pytest, requests' 2>/dev/null; then
    echo "mail.sh: installing tests/mail/requirements.txt in $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q -r tests/mail/requirements.txt
fi
# The binary as `cargo test` builds it (same features: nothing to rebuild
# after the test suite has run).
cargo test --locked --no-run --test process
export TRIBUNE_BIN="$PWD/target/debug/tribune"

echo "== mail flows on SQLite"
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests/mail

if [ -n "${PG_URL:-}" ]; then
    db="tribune_test_mail_$$"
    psql -q "$PG_URL" -c "CREATE DATABASE $db" >/dev/null
    trap 'psql -q "$PG_URL" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null' EXIT
    base="${PG_URL%/*}"
    echo "== mail flows on PostgreSQL"
    TRIBUNE_MAIL_DATABASE_URL="$base/$db" "$venv/bin/python" -m pytest -q -p no:cacheprovider tests/mail
fi
