#!/usr/bin/env bash
# PNG share cards (issue 7, budget: a card rendered in < 20 ms): 200 imported air stations
# with an hour of values each, so that every (station, language, scale) is a card nobody
# asked for yet, i.e. a cold render (the server keeps rendered cards in memory).
#   1. 400 cold renders one after the other: the render time the server reports
#      (Server-Timing: render;dur=…: parse, text layout, drawing, PNG encoding) and the
#      whole request (database read, SVG, render, HTTP) as curl sees it; p50 / p99 / max.
#   2. 400 other cold cards, 4 requests at a time: cold renders per second.
#   3. wrk on one card: requests/s from the in-memory copy, and of conditional GETs (304).
# Usage: bash bench/card.sh   (release build; needs curl and wrk; DAYLIGHT_BIN to pick a binary)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${DAYLIGHT_BIN:-target/release/daylight}
[ -x "$bin" ] || { echo "build first: cargo build --release -p daylight" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: bash scripts/setup.sh" >&2; exit 1; }

dir=$(mktemp -d)
port=${PORT:-3919}
base=http://127.0.0.1:$port
stations=200
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$dir"' EXIT

# Stations B0001… with names of different lengths and PM2.5 from clean to hazardous, so the
# cards differ in their texts and colours as real ones do.
{
  echo "code,name,kind,lon,lat,district,water_body,river,approximate,provenance"
  for i in $(seq "$stations"); do
    printf 'B%04d,基准测试站%d号监测点,air,%.4f,%.4f,碑林区,,,,bench\n' "$i" "$i" \
      "$(echo "108.80 + $i * 0.001" | bc)" "$(echo "34.20 + $i * 0.001" | bc)"
  done
} >"$dir/stations.csv"
{
  echo "station_code,time,parameter,value,unit"
  for i in $(seq "$stations"); do
    c=$(printf 'B%04d' "$i")
    t=2026-01-01T10:00:00+08:00
    echo "$c,$t,PM2.5,$(( (i * 37) % 400 + 5 )),ug/m3"
    echo "$c,$t,PM10,$(( (i * 53) % 500 + 10 )),ug/m3"
    echo "$c,$t,SO2,12,ug/m3"
    echo "$c,$t,NO2,$(( (i * 7) % 150 + 10 )),ug/m3"
    echo "$c,$t,CO,0.8,mg/m3"
    echo "$c,$t,O3,$(( (i * 11) % 200 + 5 )),ug/m3"
  done
} >"$dir/readings.csv"

mkdir -p "$dir/data"
"$bin" --data-dir "$dir/data" import stations "$dir/stations.csv" >/dev/null
"$bin" --data-dir "$dir/data" import readings "$dir/readings.csv" >/dev/null
"$bin" --data-dir "$dir/data" serve --port "$port" --hj212-port 0 --no-demo --site-root target/site \
  >"$dir/server.log" 2>&1 &
pid=$!
for _ in $(seq 200); do curl -fs "$base/api/v1/stations" >/dev/null && break; sleep 0.1; done
grep -o 'share-card fonts loaded.*' "$dir/server.log" || { grep -i font "$dir/server.log"; exit 1; }
curl -fs -o /dev/null "$base/card/station/B0001.png?lang=en&scale=us-epa" # first render of the process: the fonts' tables are read

stats() { # label: reads milliseconds, one a line
  sort -n | awk -v l="$1" '{ t[NR] = $1 } END {
    printf "%-34s n=%d  p50 %.1f ms  p99 %.1f ms  max %.1f ms\n", l, NR, t[int(NR*0.5+0.5)], t[int(NR*0.99+0.5)], t[NR] }'
}

echo "== 1. cold renders, one at a time (${stations} stations x zh/en, scale hj633)"
: >"$dir/render.ms"; : >"$dir/total.ms"
for lang in zh en; do
  for i in $(seq "$stations"); do
    url=$(printf '%s/card/station/B%04d.png?lang=%s&scale=hj633' "$base" "$i" "$lang")
    curl -s -D "$dir/h" -o "$dir/card.png" -w '%{http_code} %{time_total}\n' "$url" >"$dir/w"
    read -r code total <"$dir/w"
    [ "$code" = 200 ] || { echo "$url answered $code" >&2; exit 1; }
    grep -io 'render;dur=[0-9.]*' "$dir/h" | cut -d= -f2 >>"$dir/render.ms" \
      || { echo "$url was not a cold render" >&2; exit 1; }
    echo "$total * 1000" | bc -l >>"$dir/total.ms"
  done
done
stats "render (Server-Timing)" <"$dir/render.ms"
stats "request (curl, end to end)" <"$dir/total.ms"
file_size=$(stat -c %s "$dir/card.png")
echo "a card is $((file_size / 1024)) KB"

echo "== 2. cold renders, 4 requests at a time (${stations} stations x zh/en, scale us-epa)"
for lang in zh en; do
  for i in $(seq "$stations"); do
    printf '%s/card/station/B%04d.png?lang=%s&scale=us-epa\n' "$base" "$i" "$lang"
  done
done >"$dir/urls"
started=$(date +%s.%N)
xargs -P 4 -I{} curl -s -o /dev/null -w '%{http_code}\n' {} <"$dir/urls" >"$dir/codes"
elapsed=$(echo "$(date +%s.%N) - $started" | bc -l)
ok=$(grep -c '^200$' "$dir/codes" || true)
printf '%d cards (%d answered 200) in %.2f s: %.0f cold renders/s\n' \
  "$(wc -l <"$dir/urls")" "$ok" "$elapsed" "$(echo "$ok / $elapsed" | bc -l)"

run_wrk() { # label path [header...]
  echo "== 3. $1 (50 connections, 2 threads, ${DURATION:-10}s)"
  local path=$2 args=(-t2 -c50 -d"${DURATION:-10}s" --latency)
  shift 2
  for h in "$@"; do args+=(-H "$h"); done
  wrk "${args[@]}" "$base$path" | grep -E 'Requests/sec|Latency  |50%|99%|Non-2xx|Socket errors'
}
path=/card/station/B0001.png
etag=$(curl -s -D - -o /dev/null "$base$path" | awk 'tolower($1)=="etag:" {print $2}' | tr -d '\r')
run_wrk "GET $path (the in-memory copy)" "$path"
run_wrk "conditional GET $path (If-None-Match: 304)" "$path" "If-None-Match: $etag"

echo "== server memory"
grep -E 'VmRSS|VmHWM' "/proc/$pid/status"
