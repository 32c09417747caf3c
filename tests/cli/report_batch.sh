#!/usr/bin/env bash
# `zhibiao report --level LEVEL --out DIR`: one report per region of the level under --region, each equal
# to the report of that region alone; an unknown level is a usage error.
set -euo pipefail
cli="$1"; root="$2"; tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ex="$root/examples/county"
fail() { echo "FAIL: $*"; exit 1; }
printf '%s\n' '{region}{period}城镇新增就业{urban_new_employment}人，全县第{urban_new_employment:rank_zh:county}。' > "$tmp/town.tmpl"
"$cli" report --model "$ex" --template "$tmp/town.tmpl" --period 2021 --level town --region 441521000000 --out "$tmp/out" 2> "$tmp/err"
n="$(ls "$tmp/out" | wc -l)"
towns="$(awk -F, '$3 == "town"' "$ex/regions.csv" | wc -l)"
[ "$n" = "$towns" ] || fail "$n reports for $towns towns"
grep -q "^$towns reports written" "$tmp/err" || fail "summary: $(cat "$tmp/err")"
for code in $(awk -F, '$3 == "town" { print $1 }' "$ex/regions.csv"); do
  one="$("$cli" report --model "$ex" --template "$tmp/town.tmpl" --period 2021 --region "$code" --quiet)"
  [ "$one" = "$(cat "$tmp/out/$code.txt")" ] || fail "$code: batch and single reports differ"
done
# 海城镇 has the most new jobs of the county in 2021 (679 of the 报表): 全县第一.
grep -q "^海城镇2021年城镇新增就业679人，全县第一。$" "$tmp/out/441521115000.txt" || fail "海城镇: $(cat "$tmp/out/441521115000.txt")"
set +e
"$cli" report --model "$ex" --template "$tmp/town.tmpl" --period 2021 --level hamlet --out "$tmp/bad" 2> "$tmp/err"
rc=$?
set -e
[ "$rc" = 2 ] && grep -q "unknown level 'hamlet'" "$tmp/err" || fail "unknown level: exit $rc, $(cat "$tmp/err")"
echo "report --level: $n town reports, each equal to its single report"
