#!/usr/bin/env bash
# The enterprise exceedance scan: a year of hourly values for 1,000 outlets (argument: series
# per outlet, default 1). Budget (issue 5): < 2 s. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release -p daylight-bench --bin enterprise_scan "$@"
