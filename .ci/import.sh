#!/usr/bin/env bash
# A real Isso database for the import tests: installs Isso (PyPI, the version
# bench/ compares against) in a venv under target/, runs it, posts comments
# through its own HTTP API (a reply, an edit, Arabic text, a deleted comment
# with a reply and one without), stops it, and runs tests/import.rs's
# a_real_isso_database_is_imported on that database. With PG_URL set (a
# PostgreSQL server), the whole import suite then runs on PostgreSQL too.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/isso-venv
isso_version=$(sed -n 's/^isso==//p' bench/requirements.txt)
if ! "$venv/bin/python" -c 'import isso' 2>/dev/null; then
    echo "import.sh: installing isso==$isso_version in $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "isso==$isso_version"
fi

work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
cat > "$work/isso.cfg" <<CFG
[general]
dbpath = $work/comments.db
host = http://journal.example/
[server]
listen = $base/
[moderation]
enabled = false
[guard]
enabled = false
CFG
"$venv/bin/isso" -c "$work/isso.cfg" run > "$work/isso.log" 2>&1 &
isso_pid=$!
trap 'kill "$isso_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
    curl -s -o /dev/null "$base/info" && break
    sleep 0.2
done
curl -sf -o /dev/null "$base/info" || { cat "$work/isso.log"; echo "import.sh: isso did not start"; exit 1; }

# POST /new?uri=URI with a JSON comment; prints the new comment's id. The
# cookie jar keeps the signed cookies Isso wants for an edit or a delete.
post() {
    curl -sf -c "$work/jar" -b "$work/jar" -H 'Content-Type: application/json' \
        -X POST "$base/new?uri=$1" -d "$2" |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'
}
fr=$(post /fr/premier-article/ '{"title": "Premier article", "author": "Élodie", "email": "elodie@example.com", "text": "Bonjour, **gras** et l’été & les entités."}')
post /fr/premier-article/ "{\"author\": \"Karim\", \"text\": \"Réponse à Élodie\", \"parent\": $fr}" >/dev/null
edited=$(post /fr/premier-article/ '{"author": "Karim", "text": "Avant la correction"}')
curl -sf -c "$work/jar" -b "$work/jar" -H 'Content-Type: application/json' \
    -X PUT "$base/id/$edited" -d '{"text": "Texte modifié après coup", "author": "Karim"}' >/dev/null
post /ar/maqal '{"title": "مقال", "author": "سارة", "email": "sara@example.org", "text": "مرحبا بالجميع، هذا تعليق بالعربية."}' >/dev/null
gone=$(post /fr/premier-article/ '{"author": "Troll", "text": "À supprimer, avec une réponse"}')
post /fr/premier-article/ "{\"author\": \"Nadia\", \"text\": \"Réponse sous un supprimé\", \"parent\": $gone}" >/dev/null
alone=$(post /ar/maqal '{"author": "Troll", "text": "Supprimé seul"}')
curl -sf -c "$work/jar" -b "$work/jar" -X DELETE "$base/id/$gone" >/dev/null
curl -sf -c "$work/jar" -b "$work/jar" -X DELETE "$base/id/$alone" >/dev/null
kill "$isso_pid"
wait "$isso_pid" 2>/dev/null || true

echo "== import of a real Isso database (SQLite)"
TRIBUNE_ISSO_DB="$work/comments.db" cargo test --locked --test import a_real_isso_database_is_imported -- --exact --include-ignored
if [ -n "${PG_URL:-}" ]; then
    echo "== import tests on PostgreSQL"
    TRIBUNE_ISSO_DB="$work/comments.db" TRIBUNE_TEST_DATABASE_URL="$PG_URL" cargo test --locked --test import -- --include-ignored
fi
