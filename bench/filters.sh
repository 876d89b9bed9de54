#!/usr/bin/env bash
# Micro-benchmark of the word filters (issue 13's speed target: with 1,000
# entries, a 5,000-character comment is filtered in under 1 ms). Builds the
# release binary and prints the median and p99 of folding and scanning one
# comment, with 1,000 entries and with the starter list alone.
# Usage: bench/filters.sh [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked --release -p tribune-bench --bin filter_bench
target/release/filter_bench "${1:-2000}"
