#!/usr/bin/env bash
# Runs Daylight's whole test suite on this machine: unit tests, integration tests against
# the real server binary, and end-to-end tests in headless Chromium. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build-site.sh

say() { printf '\033[1m[test]\033[0m %s\n' "$*"; }

# Release profile, paired with the release build above (and so the integration tests reuse
# its binary). Packages are tested one feature set at a time: building the app with ssr and
# hydrate together would render empty pages.
say "unit and integration tests"
cargo test --locked --release -p daylight-domain -p daylight-store -p daylight-app -p daylight -p daylight-tests

say "end-to-end tests (headless Chromium)"
node --test tests/e2e/
