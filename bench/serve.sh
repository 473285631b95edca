#!/usr/bin/env bash
# Budgets of the walking skeleton, measured on this machine against the release build:
#   - first load of `/` (HTML + CSS + JS + WASM, no tiles), compressed as served;
#   - SSR throughput and latency of `/` and of a station page (wrk, 200 connections);
#   - the JSON API for comparison; server RSS with the demo data.
# Usage: bash bench/serve.sh   (after scripts/build-site.sh; needs wrk and curl)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/daylight
[ -x "$bin" ] || { echo "build first: bash scripts/build-site.sh" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

dir=$(mktemp -d)
port=${PORT:-3917}
"$bin" --data-dir "$dir/data" serve --port "$port" --site-root target/site --demo-feed-interval 3600 \
  >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 100); do curl -fs "$base/api/v1/stations" >/dev/null && break; sleep 0.1; done

echo "== first load of / (bytes over the wire)"
size() { curl -s -o /dev/null -w '%{size_download}' -H "Accept-Encoding: $1" "$base$2"; }
assets=(/ /style/daylight.css /vendor/leaflet/leaflet.css /vendor/leaflet/leaflet.js /pkg/daylight.js /pkg/daylight.wasm "/api/v1/districts?simplify=0.001")
for enc in br gzip identity; do
  total=0
  line=""
  for a in "${assets[@]}"; do
    s=$(size "$enc" "$a"); total=$((total + s)); line+=" ${a##*/}=$((s / 1024))K"
  done
  printf '%-8s total %4d KB:%s\n' "$enc" $((total / 1024)) "$line"
done
printf 'WASM alone: brotli %d KB, gzip %d KB, raw %d KB\n' \
  $(( $(size br /pkg/daylight.wasm) / 1024 )) $(( $(size gzip /pkg/daylight.wasm) / 1024 )) \
  $(( $(size identity /pkg/daylight.wasm) / 1024 ))

echo "== uncached server render (unique query string, so every request is a cache miss; 100 sequential)"
for path in / /station/1462A; do
  for i in $(seq 100); do
    curl -s -o /dev/null -w '%{time_total}\n' "$base$path?nocache=$i"
  done | sort -n | awk -v p="$path" '{ t[NR] = $1 } END { printf "%-16s p50 %.1f ms  p90 %.1f ms  max %.1f ms\n", p, t[int(NR*0.5)]*1000, t[int(NR*0.9)]*1000, t[NR]*1000 }'
done

run_wrk() {
  echo "== wrk $1 (200 connections, 2 threads, ${DURATION:-10}s)"
  wrk -t2 -c200 -d"${DURATION:-10}s" --latency "$base$1" | grep -E 'Requests/sec|Latency  |50%|90%|99%|Non-2xx|Socket errors'
}
run_wrk /
run_wrk /station/1462A
run_wrk /api/v1/stations

echo "== server memory"
grep -E 'VmRSS|VmHWM' /proc/$pid/status
