#!/usr/bin/env bash
# Formatting and lints, for the server (ssr) and the browser (hydrate) builds alike.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --locked --release -p daylight-domain -p daylight-store -p daylight -p daylight-tests -p daylight-bench --all-targets -- -D warnings
# The app alone with ssr (the server crate's build does not lint it), tests included.
cargo clippy --locked --release -p daylight-app --no-default-features --features ssr --all-targets -- -D warnings
cargo clippy --locked -p daylight-app --lib --target wasm32-unknown-unknown --profile wasm-release \
  --no-default-features --features hydrate -- -D warnings
