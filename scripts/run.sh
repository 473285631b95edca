#!/usr/bin/env bash
# Sets everything up and runs Daylight on its embedded defaults: an SQLite file in ./data
# and the built-in Xi'an demo, with the demo feed ticking every 10 seconds. Idempotent.
# Extra arguments go to `daylight serve` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build-site.sh
exec target/release/daylight serve --demo-feed-interval 10 "$@"
