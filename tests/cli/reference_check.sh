#!/usr/bin/env bash
# The roll-up of `zhibiao rollup` must equal, byte for byte, the independent slow reference
# (scripts/reference_rollup.py: Python decimal + fractions) on a data set directory.
set -euo pipefail
cli="$1"; root="$2"; dir="$3"; tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$cli" rollup --quiet --regions "$dir/regions.csv" --indicators "$dir/indicators.csv" \
  --observations "$dir/observations.csv" --out "$tmp/engine.csv"
python3 "$root/scripts/reference_rollup.py" --regions "$dir/regions.csv" --indicators "$dir/indicators.csv" \
  --observations "$dir/observations.csv" --out "$tmp/reference.csv"
if ! cmp -s "$tmp/engine.csv" "$tmp/reference.csv"; then
  diff "$tmp/engine.csv" "$tmp/reference.csv" | head -20
  exit 1
fi
echo "identical: $(wc -l < "$tmp/engine.csv") lines"
