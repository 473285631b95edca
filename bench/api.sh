#!/usr/bin/env bash
# The open data API behind a CDN or browser cache (issue 7): requests/s of conditional GETs
# (If-None-Match with the current ETag, answered 304 without a body) against the embeddable
# station card and the stations list, and of plain GETs for comparison. The per-address rate
# limit is turned off for the run (every wrk connection comes from 127.0.0.1), then one run
# with the default limit shows what a single flooding address gets.
# Usage: flock /tmp/daylight-cargo.lock bash bench/api.sh   (release build; needs wrk, curl)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/daylight
[ -x "$bin" ] || { echo "build first: cargo build --release -p daylight" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: bash scripts/setup.sh" >&2; exit 1; }

dir=$(mktemp -d)
port=${PORT:-3918}
pid=
start() {
  "$bin" --data-dir "$dir/data" serve --port "$port" --site-root target/site --demo-feed-interval 3600 \
    >>"$dir/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 200); do curl -fs "$base/api/v1/stations" >/dev/null && return; sleep 0.1; done
  echo "server did not start" >&2; cat "$dir/server.log" >&2; exit 1
}
stop() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; pid=; }
trap 'stop; rm -rf "$dir"' EXIT
base=http://127.0.0.1:$port
# Let the demo feed settle (it fills in the last day right after start).
DAYLIGHT_API_RATE_LIMIT_PER_SECOND=0 start
sleep 3

run_wrk() { # label path [header...]
  echo "== $1 (100 connections, 2 threads, ${DURATION:-10}s)"
  local label=$1 path=$2 args=(-t2 -c100 -d"${DURATION:-10}s" --latency)
  shift 2
  for h in "$@"; do args+=(-H "$h"); done
  wrk "${args[@]}" "$base$path" | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx|Socket errors'
}
for path in /embed/station/1462A /api/v1/stations; do
  etag=$(curl -s -D - -o /dev/null -H 'Accept-Encoding: br' "$base$path" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')
  status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept-Encoding: br' -H "If-None-Match: $etag" "$base$path")
  echo "-- $path ETag $etag; conditional GET answers $status"
    run_wrk "conditional GET $path (If-None-Match, br)" "$path" "Accept-Encoding: br" "If-None-Match: $etag"
  run_wrk "plain GET $path (br)" "$path" "Accept-Encoding: br"
done
stop

echo "== one address over the default limit (20/s, burst 100): 429s are cheap"
start
run_wrk "GET /api/v1/stations from one address" /api/v1/stations "Accept-Encoding: br"
stop
