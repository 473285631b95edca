#!/usr/bin/env bash
# Installs everything Daylight needs to build and test on a fresh machine (Debian, Rust
# toolchain by rustup, Node.js). Idempotent: whatever is already there is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
command -v brotli >/dev/null 2>&1 || need_apt+=(brotli)
command -v zopfli >/dev/null 2>&1 || need_apt+=(zopfli)
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)
# The Chinese font the server draws its PNG share cards with (/card/…png).
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  say "installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen's CLI must match the library version in Cargo.lock exactly.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$want" != "$have" ]; then
  say "installing wasm-bindgen-cli $want (have: ${have:-none})"
  # Without --locked: with it, a yanked dependency of the CLI fails the install.
  cargo install wasm-bindgen-cli --version "$want"
fi

# wasm-opt from npm's binaryen (Debian's older one breaks hydration), and playwright-core
# for the browser tests; both pinned in package-lock.json.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ]; then
  say "installing npm tools (binaryen, playwright-core)"
  npm ci --no-audit --no-fund --silent
fi
# openapi-spec-validator for the OpenAPI test (tests/tests/open_data.rs), micawber, a
# real oEmbed consumer, for tests/tests/oembed_consumer.rs, and schemathesis, which calls
# every documented endpoint with generated input (tests/tests/schemathesis.rs), in a venv
# under target/.
if ! target/openapi-venv/bin/python -c 'import openapi_spec_validator, micawber, schemathesis' >/dev/null 2>&1; then
  say "installing openapi-spec-validator, micawber and schemathesis (target/openapi-venv)"
  python3 -m venv target/openapi-venv
  target/openapi-venv/bin/pip install -q openapi-spec-validator micawber 'schemathesis>=4,<5'
fi
say "ready"
