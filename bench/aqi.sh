#!/usr/bin/env bash
# Hourly AQI throughput (HJ 633 and US EPA) over one million station-hours, single-threaded.
# Budget: < 0.5 s per million on one core. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release -p daylight-bench --bin aqi_throughput "$@"
