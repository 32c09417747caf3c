#!/usr/bin/env bash
# W1 over ten years (2015–2024) rolled up on Dask, one model per province × year, against `zhibiao rollup`:
#   bench/distributed.sh BUILD_DIR WORK_DIR [PROVINCES] [WORKERS]
# Prints the wall time and peak RSS of both, each Dask worker's peak RSS, and whether the files are identical.
set -euo pipefail
build=$(cd "$1" && pwd) work=$2 provinces=${3:-4} workers=${4:-2}
src=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
obs=()
for y in $(seq 2015 2024); do
  mkdir -p "$work/$y"
  [ -f "$work/$y/observations.csv" ] || "$build/bench/zhibiao_gen_w1" "$work/$y" --seed 1 --provinces "$provinces" --year "$y"
  obs+=("$work/$y/observations.csv")
done
single=()
for o in "${obs[@]}"; do single+=(--observations "$o"); done
/usr/bin/time -f "zhibiao rollup: %e s wall, %M KB peak RSS" "$build/zhibiao" rollup --quiet --regions "$work/2015/regions.csv" \
  --indicators "$work/2015/indicators.csv" "${single[@]}" --out "$work/single.csv"
/usr/bin/time -f "python -m zhibiao.distributed (client): %e s wall, %M KB peak RSS" \
  env ZHIBIAO_LIBRARY="$build/libzhibiao.so" PYTHONPATH="$src/bindings/python" /usr/bin/python3 -m zhibiao.distributed rollup \
  --regions "$work/2015/regions.csv" --indicators "$work/2015/indicators.csv" --observations "${obs[@]}" \
  --partition-level province --split-years --workers "$workers" --stats --out "$work/distributed.csv" 2>&1 | grep -v Warning
cmp "$work/single.csv" "$work/distributed.csv" && echo "identical: $(wc -l < "$work/single.csv") lines, $(du -h "$work/single.csv" | cut -f1)"
