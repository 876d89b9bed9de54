#!/usr/bin/env bash
# Tribune benchmark: the one command (see bench/README.md).
#   bench/run.sh             full run: 2 rounds, 15 s per measurement -> bench/RESULTS.md, bench/ratios.svg
#   bench/run.sh --scale     the same, plus part 2 (a 1,000,000-comment database)
#   bench/run.sh --quick     smoke run: 1 round, 3 s -> bench/work/RESULTS-quick.md
#   bench/run.sh --baseline REF   also runs the build of commit REF (before/after, same run)
#   bench/run.sh --allocators     also runs this tree built with mimalloc and with jemalloc
#   bench/run.sh --postgres URL   also R1, R2 and W1 on PostgreSQL (a server where it may create databases)
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

baseline=""
allocators=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) baseline="$2"; shift 2 ;;
    --baseline=*) baseline="${1#*=}"; shift ;;
    --allocators) allocators=1; shift ;;
    *) args+=("$1"); shift ;;
  esac
done

echo "bench: building release binaries in $CARGO_TARGET_DIR" >&2
cd "$repo"
if [ -n "$allocators" ]; then
  # Same target dir: only the tribune crate is rebuilt per feature set.
  for alloc in mimalloc jemalloc; do
    feature=$alloc; [ "$alloc" = jemalloc ] && feature=server-jemalloc  # the whole process
    cargo build --release --quiet --bin tribune --features "$feature"
    cp "$CARGO_TARGET_DIR/release/tribune" "$CARGO_TARGET_DIR/tribune-$alloc"
    args+=(--variant "tribune-$alloc=$CARGO_TARGET_DIR/tribune-$alloc")
  done
fi
cargo build --release --quiet --bin tribune
cargo build --release --quiet -p tribune-bench --bin bench_seed --bin bench_ceiling

if [ -n "$baseline" ]; then
  # The commit's own tree, built with its own lock file and settings.
  src="$here/work/baseline-src"
  rm -rf "$src" && mkdir -p "$src"
  git -C "$repo" archive "$baseline" | tar -x -C "$src"
  echo "bench: building $baseline ($(git -C "$repo" rev-parse --short "$baseline")) in $repo/target/bench-baseline" >&2
  (cd "$src" && CARGO_TARGET_DIR="$repo/target/bench-baseline" cargo build --release --quiet --locked --bin tribune)
  args+=(--variant "tribune-before=$repo/target/bench-baseline/release/tribune"
         --baseline-name "$baseline ($(git -C "$repo" rev-parse --short "$baseline"))")
fi

exec "$here/.venv/bin/python" "$here/bench.py" --target-dir "$CARGO_TARGET_DIR" "${args[@]}"
