#!/usr/bin/env bash
# Fuzzes the HJ 212 codec (fuzz/, cargo-fuzz + libFuzzer) for SECONDS per target (default 60).
# Usage: bash scripts/fuzz.sh [SECONDS]
# Needs the nightly toolchain (rustup toolchain install nightly); installs cargo-fuzz when it is
# missing. Seeds each target's corpus (fuzz/corpus/<target>, kept between runs, not committed)
# with the packets of the reference examples and the string literals of the codec's tests.
# Exits non-zero on the first crash; the input is saved under fuzz/artifacts/<target>/.
# Not part of the test suite or CI.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
targets=(frame segment)
examples=${HJ212_EXAMPLES:-/work/shared/reference/hj212_examples.tsv}

rustup run nightly rustc --version >/dev/null 2>&1 ||
  { echo "the nightly toolchain is missing: rustup toolchain install nightly" >&2; exit 1; }
cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked

seed() { # seed DIR NAME CONTENT: one corpus file named by a hash of its content
  local file
  file="$1/seed-$(printf '%s' "$3" | cksum | cut -d' ' -f1)"
  printf '%s' "$3" >"$file"
}
for t in "${targets[@]}"; do mkdir -p "fuzz/corpus/$t"; done
if [ -f "$examples" ]; then
  # Column 3 holds a whole packet without its <CR><LF>.
  while IFS=$'\t' read -r _ _ packet; do
    [ "${packet:0:2}" = "##" ] || continue
    for t in "${targets[@]}"; do seed "fuzz/corpus/$t" x "$packet"$'\r\n'; done
    segment=${packet:6:${#packet}-10}
    seed fuzz/corpus/segment x "$segment"
  done <"$examples"
else
  echo "note: $examples not found; seeding from the codec's tests only" >&2
fi
# String literals of the tests that look like segments or packets (Rust line continuations
# joined); python3 when available, else the single-line literals only.
if command -v python3 >/dev/null; then
  python3 - domain/src/hj212/tests/*.rs <<'PY' |
import re, sys
for path in sys.argv[1:]:
    src = open(path, encoding="utf-8").read()
    for m in re.finditer(r'(?<![A-Za-z0-9_#])(b?)"((?:[^"\\]|\\.)*)"', src, re.S):
        s = re.sub(r'\\\n\s*', '', m.group(2))
        s = s.replace('\\r', '\r').replace('\\n', '\n').replace('\\t', '\t').replace('\\"', '"').replace('\\\\', '\\')
        if ('CP=' in s or '##' in s or 'DataTime' in s or '-Rtd' in s) and '\0' not in s:
            sys.stdout.write(s.replace('\n', '\\n') + '\0')
PY
  while IFS= read -r -d '' literal; do
    literal=${literal//\\n/$'\n'}
    for t in "${targets[@]}"; do seed "fuzz/corpus/$t" x "$literal"; done
  done
else
  grep -ho '"[^"]*CP=&&[^"]*"' domain/src/hj212/tests/*.rs | tr -d '"' | while IFS= read -r literal; do
    for t in "${targets[@]}"; do seed "fuzz/corpus/$t" x "$literal"; done
  done
fi
for t in "${targets[@]}"; do
  echo "== fuzz target $t: ${seconds}s, corpus $(ls "fuzz/corpus/$t" | wc -l) inputs"
  # -max_len: the longest lenient frame plus some noise around it.
  status=0
  (cd fuzz && cargo +nightly fuzz run "$t" --release --debug-assertions -- \
    -max_total_time="$seconds" -max_len=4400 -print_final_stats=1) >"fuzz/last-$t.log" 2>&1 ||
    status=$?
  if [ "$status" -ne 0 ]; then
    grep -E 'panicked|SUMMARY|ERROR|error(\[|:)|Test unit written' "fuzz/last-$t.log" >&2 || tail -30 "fuzz/last-$t.log" >&2
    echo "fuzz target $t FAILED (exit $status); see fuzz/last-$t.log and fuzz/artifacts/$t/" >&2
    exit 1
  fi
  grep -E '^#[0-9]+ *DONE' "fuzz/last-$t.log" || true
  grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "fuzz/last-$t.log" || true
done
echo "no crash"
