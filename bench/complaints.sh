#!/usr/bin/env bash
# The concurrency budget of issue 6: 200 concurrent submissions are all stored exactly once.
# Starts the release server on a fresh data directory (demo data, so routing and the evidence
# snapshot do their usual work), sends 200 submissions with a key each, every one twice at
# the same moment (a double tap), 400 POST /report at once from 200 loopback addresses, then
# checks through the follow-up pages and the public API that exactly 200 complaints exist,
# one per key, and prints the time per request (p50/p95/max) and what the server logged.
# Exits non-zero otherwise. Not part of the test suite.
# Usage: bash bench/complaints.sh [SUBMISSIONS]   (after `cargo build --release -p daylight`)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/daylight
[ -x "$bin" ] || { echo "build first: cargo build --release -p daylight" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 1; }

cargo build --release -q -p daylight-bench --bin complaint_submit
dir=$(mktemp -d)
port=${PORT:-3919}
"$bin" --data-dir "$dir/data" serve --port "$port" --site-root target/site --demo-feed-interval 3600 \
  >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 300); do curl -fs "$base/api/v1/stations" >/dev/null && break; sleep 0.1; done

target/release/complaint_submit "$base" "${1:-200}"
echo "server log: $(grep -c 'complaint received' "$dir/server.log") 'complaint received'," \
  "$(grep -c 'submitted again; kept once' "$dir/server.log") 'submitted again; kept once'"
