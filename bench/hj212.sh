#!/usr/bin/env bash
# HJ 212 parsing throughput (frame + data segment + CP data area) of typical uploads,
# single-threaded. Budget: >= 1,000,000 typical packets/s on one core. Not part of the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p daylight-bench --bin hj212_parse "$@"
# Where one typical packet's time goes, stage by stage.
cargo run --release -q -p daylight-bench --bin hj212_stages
