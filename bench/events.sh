#!/usr/bin/env bash
# W1 with webhooks and mail configured (issue 14's budget: within 10 % of
# the same build without them), in one run: `tribune` as bench/run.sh runs
# it, and `tribune-events`, the same binary whose database has one webhook
# subscribed to every comment event and whose mail goes to an SMTP server.
# Both receivers run on this machine: the webhook endpoint is bench_ceiling
# (an actix-web server answering 200 to anything, one worker), the SMTP
# server Python's smtpd, which drops what it gets.
#   bench/events.sh [bench.py options]   -> bench/RESULTS-events.md
# EVENTS=webhook or EVENTS=mail configures only that one, to see what each
# costs (default: both).
#   bench/events.sh --baseline REF [...]   also runs the build of commit REF
#   as `tribune-before` (say, the last commit before the event outbox).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/bench}"
# Absolute: the wrapper below runs in the harness's working directory.
CARGO_TARGET_DIR="$(realpath -m "$CARGO_TARGET_DIR")"
command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
if [ ! -x "$here/.venv/bin/gunicorn" ]; then
  python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install -q -r "$here/requirements.txt"
fi
cd "$repo"
cargo build --release --quiet --bin tribune
cargo build --release --quiet -p tribune-bench --bin bench_seed --bin bench_ceiling
bin="$CARGO_TARGET_DIR/release"

only="tribune,tribune-events"
before=()
if [ "${1:-}" = "--baseline" ]; then
  ref="$2"; shift 2
  src="$here/work/baseline-src"
  rm -rf "$src"; mkdir -p "$src"
  git -C "$repo" archive "$ref" | tar -x -C "$src"
  (cd "$src" && CARGO_TARGET_DIR="$repo/target/bench-baseline" cargo build --release --quiet --locked --bin tribune)
  before=(--variant "tribune-before=$repo/target/bench-baseline/release/tribune"
          --baseline-name "$ref ($(git -C "$repo" rev-parse --short "$ref"))")
  only="tribune-before,$only"
fi

work="$(mktemp -d)"
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# The receivers stand in for other machines (the newsroom's chat, its CMS,
# its mail relay). RECEIVER_NICE=19 runs them at the lowest priority, so
# that they take only the CPU Tribune and wrk leave, as if they were
# elsewhere; the default, 0, lets them compete for this machine's 2 cores.
receiver_nice="${RECEIVER_NICE:-0}"
hook_port=$(free_port)
echo '{}' >"$work/ok.json"
nice -n "$receiver_nice" "$bin/bench_ceiling" "$work/ok.json" "127.0.0.1:$hook_port" 1 2>/dev/null &
pids+=($!)
smtp_port=$(free_port)
nice -n "$receiver_nice" python3 -W ignore -m smtpd -n -c DebuggingServer "127.0.0.1:$smtp_port" >/dev/null 2>&1 &
pids+=($!)

# The variant: registers the webhook in the copy of the database the
# harness gives it, then runs the same binary with mail configured.
events="${EVENTS:-webhook,mail}"
hook_url="http://127.0.0.1:$hook_port/hook"
smtp_url="smtp://127.0.0.1:$smtp_port"
case ",$events," in *,webhook,*) ;; *) hook_url="" ;; esac
case ",$events," in *,mail,*) ;; *) smtp_url="" ;; esac
cat >"$work/tribune-events" <<WRAPPER
#!/usr/bin/env bash
set -euo pipefail
[ -z "$hook_url" ] || python3 - "\${TRIBUNE_DATABASE__URL#sqlite://}" "$hook_url" <<'PY'
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1])
if not db.execute("SELECT 1 FROM webhooks").fetchone():
    kinds = "comment.created,comment.approved,comment.rejected,comment.deleted,comment.edited,comment.reported"
    db.execute("INSERT INTO webhooks (url, events, secret, enabled, failures, created_at)"
               " VALUES (?, ?, 'bench-secret', 1, 0, ?)", (sys.argv[2], kinds, int(time.time() * 1000)))
    db.commit()
PY
export TRIBUNE_WEBHOOKS__ALLOW_PRIVATE=true
export TRIBUNE_MAIL__SMTP_URL="$smtp_url"
exec "$bin/tribune" "\$@"
WRAPPER
chmod +x "$work/tribune-events"

"$here/.venv/bin/python" "$here/bench.py" --target-dir "$CARGO_TARGET_DIR" \
    --only "$only" --variant "tribune-events=$work/tribune-events" "${before[@]}" \
    --out "$here/RESULTS-events.md" "$@"
# What the receivers cost this machine, for the report.
for pid in "${pids[@]}"; do
    read -r -a stat <"/proc/$pid/stat" || continue
    echo "receiver $pid (${stat[1]}): $(( (stat[13] + stat[14]) * 1000 / $(getconf CLK_TCK) )) ms of CPU"
done
# What the webhook endpoint was sent shows in the deliveries; the harness
# keeps the last run's database of each target in bench/work/.
