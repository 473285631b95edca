#!/usr/bin/env bash
# The photo budget of issue 6: a complaint with 3 photos of 3 MB each is stored in < 1 s
# server-side. Starts the release server on a fresh data directory (demo data, so the
# evidence snapshot and the routing do their usual work), posts the form 20 times one at a
# time, and prints p50/p90/max, the in-process check + strip of one photo, and the size the
# database grew by. Not part of the test suite.
# Usage: bash bench/photos.sh [ROUNDS]   (after `cargo build --release -p daylight`)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/daylight
[ -x "$bin" ] || { echo "build first: cargo build --release -p daylight" >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is missing" >&2; exit 1; }

cargo build --release -q -p daylight-bench --bin photo_submit
dir=$(mktemp -d)
port=${PORT:-3918}
"$bin" --data-dir "$dir/data" serve --port "$port" --site-root target/site --demo-feed-interval 3600 \
  >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 300); do curl -fs "$base/api/v1/stations" >/dev/null && break; sleep 0.1; done

before=$(du -sk "$dir/data" | cut -f1)
target/release/photo_submit "$base" "${1:-20}"
after=$(du -sk "$dir/data" | cut -f1)
echo "database grew by $(( (after - before) / 1024 )) MB (original + copy without metadata of each photo)"
grep -E 'VmHWM' /proc/$pid/status | sed 's/^/server peak memory: /'
