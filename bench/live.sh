#!/usr/bin/env bash
# Live fan-out: CLIENTS (default 1000) connections to GET /api/v1/live, then PACKETS (default
# 200) hourly uploads through the HJ 212 gateway at RATE per second (default 10); prints the
# p50/p95/p99/max time from each packet's 9014 ack to each client reading its `readings` event.
# Budget: reading committed -> seen by 1,000 connected clients, p95 < 200 ms.
# Usage: bash bench/live.sh   (after cargo build --release -p daylight)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/daylight
[ -x "$bin" ] || { echo "build first: cargo build --release -p daylight" >&2; exit 1; }
clients=${CLIENTS:-1000}
packets=${PACKETS:-200}
rate=${RATE:-10}
port=${PORT:-3919}
hj212_port=${HJ212_PORT:-9919}
cargo build --release -q -p daylight-bench --bin hj212_live
# Two descriptors per client (one each side) plus the server's own.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

dir=$(mktemp -d)
"$bin" --data-dir "$dir/data" serve --port "$port" --hj212-port "$hj212_port" \
  --demo-feed-interval 3600 >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/api/v1/stations" >/dev/null && break; sleep 0.1; done
"$bin" logger add BENCHLIVE00000000000001 --password 123456 --station 1462A --data-dir "$dir/data" >/dev/null
echo "BENCHLIVE00000000000001 123456 1462A" >"$dir/loggers"

target/release/hj212_live "127.0.0.1:$port" "127.0.0.1:$hj212_port" "$dir/loggers" \
  "$clients" "$packets" "$rate"
echo "== server"
grep -E 'VmRSS|VmHWM' /proc/$pid/status
grep -cE ' (WARN|ERROR) ' "$dir/server.log" | sed 's/^/warnings and errors in the log: /' || true
