#!/usr/bin/env bash
# HJ 212 parsing throughput (frame + data segment + CP data area) of typical uploads,
# single-threaded. Budget: >= 1,000,000 typical packets/s on one core. Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run --release -p daylight-bench --bin hj212_parse "$@"
