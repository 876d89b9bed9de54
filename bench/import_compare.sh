#!/usr/bin/env bash
# Import speed and peak memory of two Tribune builds, before and after, in one
# run on one file: `tribune import --format disqus FILE` into a fresh SQLite
# database, measured by bench/measure.py as bench/import.sh measures it,
# alternating before, after, before, after... Prints a markdown table.
#   bench/import_compare.sh BEFORE_TRIBUNE AFTER_TRIBUNE FILE [ROUNDS]
# FILE: a Disqus export from bench/gen_disqus.py (default 1,000,000 comments;
# set COMMENTS to the file's count, used for comments/s as import.sh does).
# ROUNDS: runs per build (default 3). Databases, logs and JSON go to
# WORK (default: FILE's directory, compare/). No Isso; the binaries are not built.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -ge 3 ] || { sed -n 2,10p "${BASH_SOURCE[0]}" >&2; exit 2; }
before="$(realpath "$1")"; after="$(realpath "$2")"; file="$(realpath "$3")"
rounds="${4:-3}"
comments="${COMMENTS:-1000000}"
work="${WORK:-$(dirname "$file")/compare}"
mkdir -p "$work"
rm -f "$work"/*.json "$work"/*.log "$work"/*.rows

# One import: fresh database, measure.py's JSON line, the stored counts.
run() {  # run NAME BINARY ROUND
  local name="$1" bin="$2" i="$3" db="$work/$1-$3.db"
  rm -f "$db" "$db"-wal "$db"-shm
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  echo "bench: $name round $i (load $load)" >&2
  TRIBUNE_DATABASE__URL="sqlite://$db" \
    python3 "$here/measure.py" -- "$bin" import --format disqus "$file" \
    > "$work/$name-$i.json" 2> "$work/$name-$i.log" < /dev/null
  python3 - "$db" "$load" > "$work/$name-$i.rows" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
n = lambda t: c.execute(f"select count(*) from {t}").fetchone()[0]
print(n("comments"), n("users"), n("articles"), sys.argv[2])
PY
  rm -f "$db" "$db"-wal "$db"-shm  # about 1 GB each: keep one at a time
}

for i in $(seq 1 "$rounds"); do
  run before "$before" "$i"
  run after "$after" "$i"
done

# The table: one row per run, then the medians and after/before ratios.
python3 - "$work" "$rounds" "$comments" <<'PY'
import json, os, statistics, sys
work, rounds, comments = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
runs = {"before": [], "after": []}
for i in range(1, rounds + 1):
    for b in runs:
        m = json.load(open(os.path.join(work, f"{b}-{i}.json")))
        rows, users, articles, load = open(os.path.join(work, f"{b}-{i}.rows")).read().split()
        runs[b].append(dict(s=m["seconds"], rate=comments / m["seconds"], mib=m["peak_rss_kib"] / 1024,
                            rows=int(rows), users=int(users), articles=int(articles),
                            load=float(load), exit=m["exit"]))
print("| build | round | load (1 min) at start | wall time | comments/s | peak RSS | comments stored | users, articles | exit |")
print("|---|---|---|---|---|---|---|---|---|")
for i in range(rounds):
    for b in runs:
        r = runs[b][i]
        print(f"| {b} | {i + 1} | {r['load']:.2f} | {r['s']:.1f} s | {r['rate']:,.0f} | {r['mib']:.1f} MiB "
              f"| {r['rows']:,} | {r['users']:,}; {r['articles']:,} | {r['exit']} |")
med = {b: {k: statistics.median(r[k] for r in runs[b]) for k in ("s", "rate", "mib")} for b in runs}
print()
print("| | before (median) | after (median) | after / before |")
print("|---|---|---|---|")
print(f"| wall time | {med['before']['s']:.1f} s | {med['after']['s']:.1f} s | {med['after']['s'] / med['before']['s']:.3f} |")
speed = med["after"]["rate"] / med["before"]["rate"]
memory = med["after"]["mib"] / med["before"]["mib"]
print(f"| comments/s | {med['before']['rate']:,.0f} | {med['after']['rate']:,.0f} | {speed:.3f} |")
print(f"| peak RSS | {med['before']['mib']:.1f} MiB | {med['after']['mib']:.1f} MiB | {memory:.3f} |")
same = len({(r["rows"], r["users"], r["articles"]) for b in runs for r in runs[b]}) == 1
ok = all(r["exit"] == 0 for b in runs for r in runs[b])
print()
print(f"Within 10 %: speed (after >= 0.9x before's comments/s) {'yes' if speed >= 0.9 else '**no**'}; "
      f"memory (after's peak RSS <= 1.1x before's) {'yes' if memory <= 1.1 else '**no**'}. "
      f"Stored counts {'the same in every run' if same else '**differ between runs**'}; "
      f"exit codes {'all 0' if ok else '**not all 0**'}.")
PY
