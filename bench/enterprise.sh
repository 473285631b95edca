#!/usr/bin/env bash
# Budgets of issue 5, against the release server (build first: cargo build --release -p daylight):
#   (a) /enterprise/{code} server render p50 < 10 ms with a year of hourly values for five
#       pollutants (100 sequential uncached requests: unique query strings miss the page cache);
#   (b) the exceedance scan over a year of hourly values for 1,000 outlets < 2 s: every
#       enterprise's /api/v1/enterprises/{code}/exceedances once, uncached, one after another
#       (100 enterprises × 10 outlets; each request reads the store and runs the domain's
#       exceedance detection and completeness as the page does).
# The registry goes in with `daylight import`, the values with one SQL statement (8.76 M rows
# for (b) take a minute). Usage: bash bench/enterprise.sh   (needs sqlite3 and curl)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/release/daylight
[ -x "$bin" ] || { echo "build first: cargo build --release -p daylight" >&2; exit 1; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is missing: apt-get install sqlite3" >&2; exit 1; }

dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT
cargo run --quiet --release -p daylight-bench --bin enterprise_fixture -- "$dir/csv"

# A year of hourly values up to this hour for every limit: 0.5 % of hours missing, values
# 20–101 % of the limit (about 1.2 % over it). Integer hashing keeps it deterministic.
fill() {
  sqlite3 "$1/daylight.sqlite3" <<SQL
PRAGMA synchronous = OFF;
WITH RECURSIVE h(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM h WHERE n < 8759)
INSERT INTO outlet_readings (outlet_id, time, parameter, value, unit, flag, source, provenance)
SELECT l.outlet_id, (CAST(strftime('%s', 'now') AS INTEGER) / 3600 - 8759 + h.n) * 3600,
       l.pollutant,
       round(l.limit_value * (0.2 + 0.81 * (((h.n * 2654435761 + l.outlet_id * 40503
             + CAST(substr(l.pollutant, 2) AS INTEGER) * 7919) % 100003) / 100003.0)), 3),
       l.unit, 'N', 'self_reported', ''
FROM outlet_limits AS l, h
WHERE (h.n * 48271 + l.outlet_id * 16807) % 1000 >= 5
ORDER BY l.outlet_id, h.n;
SELECT count(*) || ' values for ' || (SELECT count(*) FROM outlet_limits) || ' series' FROM outlet_readings;
SQL
}

setup() { # name
  local data="$dir/$1"
  for what in enterprises outlets limits; do
    "$bin" --data-dir "$data" import "$what" "$dir/csv/$1/$what.csv" >/dev/null
  done
  local t0=$SECONDS
  fill "$data"
  echo "   ($1: values written in $((SECONDS - t0)) s)"
}

serve() { # name port
  # The API's per-address limit is off: every request comes from 127.0.0.1, and 429s
  # (cheap) would pass for fast answers.
  DAYLIGHT_API_RATE_LIMIT_PER_SECOND=0 \
    "$bin" --data-dir "$dir/$1" serve --no-demo --port "$2" --hj212-port 0 >"$dir/$1.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$2/api/v1/enterprises" >/dev/null && return; sleep 0.1; done
  echo "the server did not start:" >&2; cat "$dir/$1.log" >&2; exit 1
}

stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

stats() { # label, reads seconds per line
  sort -n | awk -v p="$1" '{ t[NR] = $1; s += $1 } END { printf "%-44s p50 %.1f ms  p90 %.1f ms  max %.1f ms  total %.2f s (%d requests)\n", p, t[int(NR*0.5)]*1000, t[int(NR*0.9)]*1000, t[NR]*1000, s, NR }'
}

port=${PORT:-3919}
base=http://127.0.0.1:$port

echo "== (a) /enterprise/{code}, a year of hourly values for 5 pollutants"
setup page
code=$(head -1 "$dir/csv/page/codes.txt")
serve page "$port"
curl -s -o /dev/null "$base/enterprise/$code?warm=1"
for i in $(seq 100); do
  curl -s -o /dev/null -w '%{time_total}\n' "$base/enterprise/$code?nocache=$i"
done | stats "/enterprise/{code} (uncached render)"
printf 'HTML size %d KB\n' $(( $(curl -s "$base/enterprise/$code?size=1" | wc -c) / 1024 ))
for i in $(seq 20); do
  curl -s -o /dev/null -w '%{time_total}\n' "$base/api/v1/enterprises/$code?nocache=$i"
done | stats "/api/v1/enterprises/{code} (uncached)"
stop

echo "== (b) exceedance scan: 1,000 outlets × a year of hourly SO2"
setup scan
serve scan "$port"
for round in 1 2; do
  while read -r c; do
    curl -s -o /dev/null -w '%{time_total}\n' "$base/api/v1/enterprises/$c/exceedances?nocache=$round"
  done <"$dir/csv/scan/codes.txt" | stats "round $round: 100 × …/exceedances (10 outlets)"
done
events=0
while read -r c; do
  n=$(curl -s "$base/api/v1/enterprises/$c/exceedances?count=1" | grep -o '"start"' | wc -l || true)
  events=$((events + n))
done <"$dir/csv/scan/codes.txt"
echo "exceedance events found: $events"
stop
