#!/usr/bin/env bash
# What 1,000 idle live-thread streams cost in memory (issue 14: at most
# 32 MB of RSS), and how long one comment takes to reach all of them.
#   bench/sse.sh [CLIENTS]     default 1000 -> bench/RESULTS-sse.md
# Builds the release binary in target/bench (as bench/run.sh does), starts
# `tribune serve` on a fresh SQLite database with default settings (rate
# limits off, as in every benchmark), opens the streams with bench/sse.py
# (Python's standard library only) and reads the server's VmRSS. Run it on
# an otherwise idle machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
clients="${1:-1000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/bench}"
# One socket per stream on each side.
ulimit -n "$(( clients * 2 + 1024 ))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"

(cd "$repo" && cargo build --release --quiet --bin tribune)
bin="$CARGO_TARGET_DIR/release/tribune"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export TRIBUNE_DATABASE__URL="sqlite://$work/tribune.db" TRIBUNE_SERVER__BIND="127.0.0.1:$port" \
  TRIBUNE_RATE_LIMIT__ENABLED=false TRIBUNE_LOG__LEVEL=warn
TRIBUNE_ADMIN_PASSWORD='a long admin password' \
  "$bin" create-admin --username chef --email chef@example.com >/dev/null 2>&1
(cd "$work" && exec "$bin" serve >"$work/server.log" 2>&1) &
pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -s -o /dev/null "$base/healthz" && break; sleep 0.1; done
json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }
admin=$(curl -s "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"login": "chef", "password": "a long admin password"}' | json '["token"]')
curl -s -o /dev/null "$base/api/v1/admin/articles" -H "Authorization: Bearer $admin" \
  -H 'Content-Type: application/json' -d '{"key": "live", "title": "En direct"}'

result=$(python3 "$here/sse.py" --pid "$pid" --base "$base" --token "$admin" --clients "$clients")
echo "$result"
commit=$(git -C "$repo" rev-parse --short HEAD)
python3 - "$result" "$commit" "$(nproc)" "$(uptime | sed 's/.*load average: //')" > "$here/RESULTS-sse.md" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
commit, cores, load = sys.argv[2], sys.argv[3], sys.argv[4]
mb = r["delta_kib"] / 1024
print(f"""# Idle live-thread streams: memory

`bench/sse.sh` at {commit}, on {cores} cores (load average {load} at the end):
`tribune serve` (release build, default settings, SQLite, rate limits off),
{r['clients']:,} Server-Sent Events clients (`bench/sse.py`, one Python
process) on one article's `GET /api/v1/articles/live/events`, all idle.
Resident memory is the server's VmRSS, read 3 s after the last stream opened.

| | |
|---|---:|
| RSS before (10 streams opened and closed to warm up, then 6 s idle) | {r['rss_before_kib'] / 1024:.1f} MB |
| RSS with {r['clients']:,} idle streams | {r['rss_with_clients_kib'] / 1024:.1f} MB |
| cost of the streams | **{mb:.1f} MB** (target: at most 32 MB) |
| per stream | {r['per_client_bytes'] / 1024:.1f} KB |
| RSS 6 s after they all closed | {r['rss_after_close_kib'] / 1024:.1f} MB |
| time to open them (100 at a time) | {r['open_seconds']} s |
| one comment posted → received by all {r['clients']:,} | {r['fanout_ms']} ms |

A stream holds its connection's buffers, one receiver of the article's
broadcast channel (frames are rendered once per change and shared) and a
heartbeat timer; the channel keeps at most 64 frames, and a stream that
falls behind is closed rather than buffered for (its browser reconnects
with `Last-Event-ID`). The memory stays with malloc once the streams
close (the next ones reuse it).
""")
PY
echo "bench: wrote bench/RESULTS-sse.md" >&2
