#!/usr/bin/env bash
# Instructions per request, counted by valgrind's callgrind: unlike req/s,
# the count does not move with what else the machine is doing, so two builds
# can be compared on a shared machine. One worker; the counters are reset
# after a warm-up and read after the measured requests.
#   bench/instructions.sh NAME BINARY DB
#   R1: 200 GETs of the 200-comment thread (served from the page cache);
#   W1: 200 posts by one reader over 50 articles.
# DB: a database seeded by bench_seed (bench/run.sh leaves one in
# bench/work/base.db); it is copied, never written.
# HOOK_URL=http://…: W1 with one webhook subscribed to every comment event
# (a receiver must answer there, e.g. bench_ceiling); the count then waits
# until every delivery is made, so a post's count includes its delivery.
set -euo pipefail
name=$1 bin=$2 db=$3
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start() {  # start PHASE: the server under callgrind on a copy of DB
    cp "$db" "$work/$1.db"
    if [ -n "${HOOK_URL:-}" ]; then
        python3 - "$work/$1.db" "$HOOK_URL" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
kinds = "comment.created,comment.approved,comment.rejected,comment.deleted,comment.edited,comment.reported"
db.execute("INSERT INTO webhooks (url, events, secret, enabled, failures, created_at)"
           " VALUES (?, ?, 'bench-secret', 1, 0, ?)", (sys.argv[2], kinds, int(time.time() * 1000)))
db.commit()
PY
    fi
    port=$(free_port)
    TRIBUNE_DATABASE__URL="sqlite://$work/$1.db" TRIBUNE_SERVER__BIND="127.0.0.1:$port" \
    TRIBUNE_RATE_LIMIT__ENABLED=false TRIBUNE_LOG__LEVEL=warn TRIBUNE_SERVER__WORKERS=1 \
    TRIBUNE_AUTH__ARGON2_MEMORY_KIB=64 TRIBUNE_AUTH__ARGON2_ITERATIONS=1 TRIBUNE_WEBHOOKS__ALLOW_PRIVATE=true \
        valgrind --tool=callgrind --callgrind-out-file="$work/$1.out" "$bin" serve >"$work/$1.log" 2>&1 &
    pid=$!
    base="http://127.0.0.1:$port/api/v1"
    for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && return; sleep 1; done
    echo "the server did not start" >&2; exit 1
}

finish() {  # finish PHASE: read the counters, stop the server, print the total
    callgrind_control -d "$pid" >/dev/null 2>&1
    sleep 1
    kill "$pid"; wait "$pid" 2>/dev/null || true
    total=$(callgrind_annotate "$work/$1".out.1 | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    echo "$name $1: $total instructions, $((total / 200)) per request"
}

start r1
thread="$base/articles/a0/comments?limit=200"
for _ in $(seq 1 20); do curl -s -o /dev/null "$thread"; done
callgrind_control -z "$pid" >/dev/null 2>&1
for _ in $(seq 1 200); do curl -s -o /dev/null "$thread"; done
finish r1

start w1
token=$(curl -s "$base/auth/register" -H 'Content-Type: application/json' \
    -d '{"username": "counted", "email": "counted@example.com", "password": "a long password"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
post() { curl -s -o /dev/null "$base/articles/a$1/comments" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "{\"body\": \"Un avis numéro $2 sur cet article.\"}"; }
for i in $(seq 1 10); do post 1 "warm-up $i"; done
callgrind_control -z "$pid" >/dev/null 2>&1
for i in $(seq 1 200); do post $((i % 50 + 1)) "$i"; done
if [ -n "${HOOK_URL:-}" ]; then
    for _ in $(seq 1 240); do
        owed=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
            "SELECT count(*) FROM webhook_deliveries WHERE state = '"'"'pending'"'"'").fetchone()[0])' "$work/w1.db")
        [ "$owed" = 0 ] && break
        sleep 0.5
    done
    [ "$owed" = 0 ] || { echo "deliveries still pending: $owed" >&2; exit 1; }
fi
finish w1
