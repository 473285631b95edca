#!/usr/bin/env bash
# The HJ 212 gateway end to end: LOGGERS (default 200) registered loggers upload hourly
# values over TCP for SECONDS (default 20), one packet in flight per connection; prints
# packets/s and the p50/p95/p99 latency of the 9014 acks (sent only after the commit).
# Budget: with 200 loggers, >= 20,000 packets/s sustained, p99 < 50 ms.
# Starts the release server on a fresh data directory with the demo (its air stations get
# the loggers). Usage: bash bench/gateway.sh [SECONDS]   (after cargo build --release -p daylight)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/daylight
[ -x "$bin" ] || { echo "build first: cargo build --release -p daylight" >&2; exit 1; }
seconds=${1:-20}
loggers=${LOGGERS:-200}
port=${PORT:-3918}
hj212_port=${HJ212_PORT:-9918}
cargo build --release -q -p daylight-bench --bin hj212_gateway
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

dir=$(mktemp -d)
"$bin" --data-dir "$dir/data" serve --port "$port" --hj212-port "$hj212_port" \
  --demo-feed-interval 3600 >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$dir"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 100); do curl -fs "$base/api/v1/stations" >/dev/null && break; sleep 0.1; done

mapfile -t air < <(curl -fs "$base/api/v1/stations" | python3 -c '
import json, sys
body = json.load(sys.stdin)
for f in body["features"]:  # GeoJSON
    if f["properties"]["kind"] == "air":
        print(f["properties"]["code"])')
[ "${#air[@]}" -gt 0 ] || { echo "no air stations in the demo" >&2; exit 1; }
echo "== registering $loggers loggers on ${#air[@]} air stations"
for i in $(seq "$loggers"); do
  printf 'BENCH%019d 123456 %s\n' "$i" "${air[$(((i - 1) % ${#air[@]}))]}"
done >"$dir/loggers"
xargs -P 4 -L 1 sh -c '"$0" logger add "$1" --password "$2" --station "$3" --data-dir "$4"' \
  "$bin" <<<"$(sed "s|\$| $dir/data|" "$dir/loggers")" >/dev/null

echo "== $loggers loggers, ${seconds}s"
target/release/hj212_gateway "127.0.0.1:$hj212_port" "$dir/loggers" "$seconds"
echo "== server"
grep -E 'VmRSS|VmHWM' /proc/$pid/status
ls -l "$dir/data" | awk 'NR > 1 { printf "%s %s bytes\n", $9, $5 }'
grep -cE ' (WARN|ERROR) ' "$dir/server.log" | sed 's/^/warnings and errors in the log: /' || true
