#!/usr/bin/env bash
# Verifies the benchmark's output, not just its speed: generates W1 at the 1-province scale, rolls it
# up with the zhibiao command and with the independent slow reference (scripts/reference_rollup.py,
# Python decimal + fractions), and compares the two files byte for byte.
#   bench/verify.sh [BUILD_DIR] [SEED]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"; seed="${2:-7}"
dir="$(mktemp -d)"; trap 'rm -rf "$dir"' EXIT
"$build/bench/zhibiao_gen_w1" "$dir" --provinces 1 --seed "$seed"
"$build/zhibiao" rollup --quiet --regions "$dir/regions.csv" --indicators "$dir/indicators.csv" \
  --observations "$dir/observations.csv" --out "$dir/engine.csv"
python3 "$root/scripts/reference_rollup.py" --regions "$dir/regions.csv" --indicators "$dir/indicators.csv" \
  --observations "$dir/observations.csv" --out "$dir/reference.csv"
if cmp -s "$dir/engine.csv" "$dir/reference.csv"; then
  echo "identical: $(wc -l < "$dir/engine.csv") lines ($(wc -c < "$dir/engine.csv") bytes) from $(wc -l < "$dir/observations.csv") observation lines"
else
  diff "$dir/engine.csv" "$dir/reference.csv" | head -20
  exit 1
fi
