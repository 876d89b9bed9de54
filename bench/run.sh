#!/usr/bin/env bash
# Tribune benchmark: the one command (see bench/README.md).
#   bench/run.sh             full run: 2 rounds, 15 s per measurement -> bench/RESULTS.md, bench/ratios.svg
#   bench/run.sh --scale     the same, plus part 2 (a 1,000,000-comment database)
#   bench/run.sh --quick     smoke run: 1 round, 3 s -> bench/work/RESULTS-quick.md
# Other options: bench/bench.py --help. Needs wrk (apt-get install wrk), cargo and python3.
# Builds in its own target dir (CARGO_TARGET_DIR, default target/bench) so the
# dev build and .ci/run are left alone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/bench}"

command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }

if [ ! -x "$here/.venv/bin/gunicorn" ] || ! "$here/.venv/bin/python" -c 'import isso' 2>/dev/null; then
  echo "bench: installing isso and gunicorn in bench/.venv" >&2
  python3 -m venv "$here/.venv"
  "$here/.venv/bin/pip" install -q -r "$here/requirements.txt"
fi

echo "bench: building release binaries in $CARGO_TARGET_DIR" >&2
(cd "$repo" && cargo build --release --quiet --bin tribune --bin bench_seed --bin bench_ceiling)

exec "$here/.venv/bin/python" "$here/bench.py" --target-dir "$CARGO_TARGET_DIR" "$@"
