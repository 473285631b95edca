#!/usr/bin/env bash
# Builds Daylight for release: the server binary (target/release/daylight) and the browser
# bundle in target/site. It does what `cargo leptos build --release` does, without the
# 15-minute install of cargo-leptos on every fresh machine: cargo builds the server and the
# WASM, wasm-bindgen writes the JS glue, wasm-opt shrinks the WASM, and static files are
# copied and precompressed (gzip and brotli) so the server sends them as they are.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m[build]\033[0m %s\n' "$*"; }
site=target/site
wasm_in=target/wasm32-unknown-unknown/wasm-release/daylight_app.wasm

say "server (release)"
cargo build --locked --release -p daylight

say "browser bundle (wasm-release profile: opt-level z, LTO)"
cargo build --locked -p daylight-app --lib --target wasm32-unknown-unknown \
  --profile wasm-release --no-default-features --features hydrate

rm -rf "$site.tmp" && mkdir -p "$site.tmp/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$site.tmp/pkg" --out-name daylight "$wasm_in"
node_modules/.bin/wasm-opt -Oz \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue --enable-mutable-globals \
  "$site.tmp/pkg/daylight_bg.wasm" -o "$site.tmp/pkg/daylight.wasm"
rm "$site.tmp/pkg/daylight_bg.wasm"

cp -r public/. "$site.tmp/"
mkdir -p "$site.tmp/style" && cp style/*.css "$site.tmp/style/"
# Source maps are for developers; they stay out of the served site.
find "$site.tmp" -name '*.map' -delete
sed -i '/^\/\/# sourceMappingURL=/d' "$site.tmp/vendor/leaflet/leaflet.js"

say "precompressing (zopfli for gzip, brotli 11)"
find "$site.tmp" -type f \( -name '*.js' -o -name '*.wasm' -o -name '*.css' -o -name '*.svg' \) \
  -exec zopfli --i5 {} \; -exec brotli -k -f -q 11 {} \;

rm -rf "$site" && mv "$site.tmp" "$site"
say "done: target/release/daylight and $site ($(du -sh "$site" | cut -f1))"
