#!/usr/bin/env bash
# Import speed and peak memory, Tribune against Isso, on one generated Disqus
# export (bench/gen_disqus.py): 1,000,000 comments over 50,000 threads.
#   bench/import.sh                          -> bench/RESULTS-import.md
#   bench/import.sh --comments 100000 --threads 5000 --isso-limit 300
# Tribune: the release build with jemalloc (--features jemalloc), `tribune
# import --format disqus` (run by tribune-import) into a fresh
# SQLite database. Isso: `isso import -t disqus` (the version bench/ pins),
# into a fresh database, stopped after --isso-limit seconds (default 900) if it
# has not finished: its rate is then the comments it had stored by then.
# Isso gets --empty-id: without it, it imports nothing from this file (it
# takes every <id> without child elements, however filled, for an empty one).
# Peak RSS is the largest process's maximum resident set (getrusage).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
comments=1000000
threads=50000
isso_limit=900
reuse_isso=""
while [ $# -gt 0 ]; do
  case "$1" in
    --reuse-isso) reuse_isso=1; shift ;;  # keep work/import/isso.json of an earlier run on the same file
    --comments) comments="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --isso-limit) isso_limit="$2"; shift 2 ;;
    *) echo "bench/import.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target/bench}"
work="$here/work/import"
mkdir -p "$work"

venv="$here/.venv"
if ! "$venv/bin/python" -c 'import isso' 2>/dev/null; then
  echo "bench: installing isso and gunicorn in bench/.venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r "$here/requirements.txt"
fi

echo "bench: building the release binaries in $CARGO_TARGET_DIR" >&2
# With jemalloc: `tribune import` hands over to tribune-import (src/alloc.rs).
(cd "$repo" && cargo build --release --locked --features jemalloc --bin tribune --bin tribune-import)
tribune="$CARGO_TARGET_DIR/release/tribune"

file="$work/disqus-$comments-$threads.xml"
if [ ! -s "$file" ]; then
  echo "bench: writing $file" >&2
  python3 "$here/gen_disqus.py" "$file" --comments "$comments" --threads "$threads"
fi
size=$(stat -c %s "$file")

echo "bench: tribune import" >&2
rm -f "$work"/tribune.db*
TRIBUNE_DATABASE__URL="sqlite://$work/tribune.db" \
  python3 "$here/measure.py" -- "$tribune" import --format disqus "$file" \
  > "$work/tribune.json" 2> "$work/tribune.log"
tribune_rows=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from comments").fetchone()[0])' "$work/tribune.db")

if [ -n "$reuse_isso" ] && [ -s "$work/isso.json" ]; then
  echo "bench: keeping the earlier isso run ($work/isso.json)" >&2
else
echo "bench: isso import (at most $isso_limit s)" >&2
rm -f "$work"/isso.db*
cat > "$work/isso.cfg" <<CFG
[general]
dbpath = $work/isso.db
host = https://journal.example/
CFG
python3 "$here/measure.py" --timeout "$isso_limit" -- \
  "$venv/bin/isso" -c "$work/isso.cfg" import -t disqus --empty-id "$file" \
  > "$work/isso.json" 2> "$work/isso.log" < /dev/null
fi
isso_rows=$(python3 -c '
import sqlite3, sys
try:
    print(sqlite3.connect(sys.argv[1]).execute("select count(*) from comments").fetchone()[0])
except Exception:
    print(0)' "$work/isso.db")

commit=$(cd "$repo" && git rev-parse --short HEAD)
python3 - "$work" "$comments" "$threads" "$size" "$tribune_rows" "$isso_rows" "$isso_limit" "$commit" > "$work/report.md" <<'PY'
import json, sys, os, platform
work, comments, threads, size, t_rows, i_rows, limit, commit = sys.argv[1:]
comments, threads, size, t_rows, i_rows = map(int, (comments, threads, size, t_rows, i_rows))
t = json.load(open(os.path.join(work, "tribune.json")))
i = json.load(open(os.path.join(work, "isso.json")))
summary = open(os.path.join(work, "tribune.log")).read().strip().splitlines()
t_rate = comments / t["seconds"]
i_rate = i_rows / i["seconds"] if i["seconds"] else 0
mib = lambda kib: kib / 1024
ok = lambda c: "met" if c else "**not met**"
isso_note = (f"stopped at the {limit} s limit with {i_rows:,} comments stored"
             if i["stopped_at_limit"] else f"finished (exit {i['exit']}), {i_rows:,} comments stored")
print(f"""## `bench/import.sh` at commit {commit}

One generated Disqus export
(`bench/gen_disqus.py`: {comments:,} comments over {threads:,} threads,
{size / 1e6:.0f} MB; a third of them replies, 1 % read before their parent,
2 % spam, 1 % deleted, 100,000 authors), imported into a fresh SQLite
database by each. Machine: {os.cpu_count()} cores, shared with other work
while it ran (load average {os.getloadavg()[0]:.1f} when the report was
written); one run each, so read the figures as an order of magnitude.

| | Tribune (`tribune import --format disqus`) | Isso (`isso import -t disqus`) |
|---|---|---|
| wall time | {t['seconds']:.1f} s | {i['seconds']:.1f} s ({isso_note}) |
| comments/s | **{t_rate:,.0f}** | {i_rate:,.0f} |
| peak RSS | **{mib(t['peak_rss_kib']):.0f} MiB** | {mib(i['peak_rss_kib']):.0f} MiB |
| comments stored | {t_rows:,} | {i_rows:,} |
| exit | {t['exit']} | {i['exit']}{' (killed at the limit)' if i['stopped_at_limit'] else ''} |

Targets (issue 15): at least 50,000 comments/s into SQLite: {ok(t_rate >= 50000)};
peak RSS at most 128 MB: {ok(t['peak_rss_kib'] * 1024 <= 128e6)}.

Isso was run as `isso import -t disqus --empty-id`: without `--empty-id` it
imports nothing from this file (it takes an `<id>` element without child
elements for an empty one, however filled). Its importer reads the whole
file into memory (ElementTree) before writing, and commits each comment on
its own; Tribune streams the file and writes 5,000 comments per transaction.

Tribune's rate counts every comment read (spam and deleted ones included)
over the whole process's wall time: opening and migrating the database,
reading, converting and rendering each body, writing, and the final pass
(tombstones without replies dropped, counters recounted). Isso's counts the
comments in its database at the end (its importer keeps only what it
imports) over its process's wall time.

Tribune's own summary of the run:

```
""" + "\n".join(summary[:12]) + """
```
""")
PY
# This run's section replaces the last run's; the sections written by hand
# (before/after comparisons, notes) are kept below it.
python3 - "$work/report.md" "$here/RESULTS-import.md" <<'PY'
import re, sys
report, results = sys.argv[1:]
new = open(report).read().rstrip() + "\n"
try:
    old = open(results).read()
except FileNotFoundError:
    old = ""
sections = re.split(r"(?m)^(?=## )", old)
kept = [s.rstrip() + "\n" for s in sections[1:] if not s.startswith("## `bench/import.sh` at")]
with open(results, "w") as out:
    out.write("# Import benchmark\n\n" + "\n".join([new] + kept))
PY
cat "$work/report.md"
