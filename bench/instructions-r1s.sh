#!/usr/bin/env bash
# Instructions per request of R1S against R1 (issue 30), counted by
# valgrind's callgrind as bench/instructions.sh counts R1: the same
# 200-comment page of `a0`, 200 GETs each, one worker, in one server run:
# first anonymous, then signed in as `lecteur1` (who marked some of a0's
# comments: the DB must be seeded with `bench_seed --hot-reactions`).
#   bench/instructions-r1s.sh NAME BINARY DB
# DB is copied, never written.
set -euo pipefail
name=$1 bin=$2 db=$3
command -v valgrind >/dev/null || { echo "needs valgrind (apt-get install valgrind)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cp "$db" "$work/r1s.db"
TRIBUNE_DATABASE__URL="sqlite://$work/r1s.db" TRIBUNE_SERVER__BIND="127.0.0.1:$port" \
TRIBUNE_RATE_LIMIT__ENABLED=false TRIBUNE_LOG__LEVEL=warn TRIBUNE_SERVER__WORKERS=1 \
    valgrind --tool=callgrind --callgrind-out-file="$work/r1s.out" "$bin" serve >"$work/r1s.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port/api/v1"
for _ in $(seq 1 120); do curl -s -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 1; done
# The seeded password hash has the default Argon2 cost: slow under valgrind.
token=$(curl -s --max-time 600 "$base/auth/login" -H 'Content-Type: application/json' \
    -d '{"login": "lecteur1", "password": "banc-d-essai-2026"}' |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["token"])')
thread="$base/articles/a0/comments?limit=200"
marked=$(curl -s "$thread" -H "Authorization: Bearer $token" |
    python3 -c 'import json, sys; c = json.load(sys.stdin)["comments"]; print(sum(x.get("reacted") is True for x in c), len(c))')
echo "$name: lecteur1 marked $marked comments of the page"
for _ in $(seq 1 20); do
    curl -s -o /dev/null "$thread"
    curl -s -o /dev/null "$thread" -H "Authorization: Bearer $token"
done
count() {  # count PHASE N: the counters since the last dump, dumped as part N
    callgrind_control -d "$pid" >/dev/null 2>&1
    sleep 1
    total=$(callgrind_annotate "$work/r1s.out.$2" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    echo "$name $1: $total instructions, $((total / 200)) per request"
    [ -z "${KEEP:-}" ] || cp "$work/r1s.out.$2" "$KEEP.$1"
}
callgrind_control -z "$pid" >/dev/null 2>&1
for _ in $(seq 1 200); do curl -s -o /dev/null "$thread"; done
count r1 1
for _ in $(seq 1 200); do curl -s -o /dev/null "$thread" -H "Authorization: Bearer $token"; done
count r1s 2
kill "$pid"; wait "$pid" 2>/dev/null || true
