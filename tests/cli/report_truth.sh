#!/usr/bin/env bash
# A report never says more than the data. The county example as shipped reads as a success; the same
# county with a bad year — no 南粤家政 training in October–December, 3000 registered unemployed in 海城镇
# in December — must read as a bad year: no 均超额完成, no 控制在…以内, the missed target and the breach
# named, with the same numbers `zhibiao check` finds.
set -euo pipefail
cli="$1"; root="$2"; tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ex="$root/examples/county"
report() {  # report DIR → the rendered county report for 2021
  "$cli" report --quiet --regions "$1/regions.csv" --indicators "$1/indicators.csv" --observations "$1/observations.csv" \
    --targets "$1/targets.csv" --scopes "$1/scopes.csv" --template "$1/report.tmpl" --region 441521000000 --period 2021
}
fail() { echo "FAIL: $*"; exit 1; }
good="$(report "$ex")"
grep -q "城镇登记失业率[0-9.]*%，控制在3.5%以内" <<<"$good" || fail "the real year should hold the cap: $good"
grep -q "均超额完成年度任务" <<<"$good" || fail "the real year exceeded every training target"

cp -r "$ex" "$tmp/bad"
awk -F, 'BEGIN { OFS = "," }
  $3 == "training_nanyue_housekeeping" && ($2 == "2021-10" || $2 == "2021-11" || $2 == "2021-12") { $4 = 0 }
  $1 == "441521115000" && $2 == "2021-12" && $3 == "registered_unemployed_eop" { $4 = 3000 }
  { print }' "$ex/observations.csv" > "$tmp/bad/observations.csv"
bad="$(report "$tmp/bad")"
checks="$("$cli" check --quiet --format csv --regions "$tmp/bad/regions.csv" --indicators "$tmp/bad/indicators.csv" \
  --observations "$tmp/bad/observations.csv" --targets "$tmp/bad/targets.csv" --rules "$tmp/bad/rules.txt" --period 2021-12)"
! grep -q "均超额完成" <<<"$bad" || fail "a bad year must not say 均超额完成: $bad"
! grep -q "控制在3.5%以内" <<<"$bad" || fail "a breached cap must not read as held: $bad"
# The missed target with the completion rate the check computes.
rate_line="$(grep '^target,training_nanyue_housekeeping,441521000000,' <<<"$checks")"
grep -q ',not_met,' <<<"$rate_line" || fail "the check should find 南粤家政 not met: $rate_line"
pct="$(sed -n 's/.*的\([0-9.]*\)%：未完成.*/\1/p' <<<"$rate_line")"
[ -n "$pct" ] || fail "no completion in: $rate_line"
grep -q "其中“南粤家政”培训未完成年度任务（完成率${pct}%）" <<<"$bad" || fail "the missed target should be named with ${pct}%: $bad"
# The breach: the December rate and its excess over the cap, as the check states them.
cap_line="$(grep '^target,registered_urban_unemployment_rate,441521000000,2021-01..2021-12,' <<<"$checks")"
grep -q ',breached,' <<<"$cap_line" || fail "the check should find the cap breached in December: $cap_line"
excess="$(sed -n 's/.*超出\([0-9.]*\)个百分点.*/\1/p' <<<"$cap_line")"
grep -q "超出控制线${excess}个百分点（12月）" <<<"$bad" || fail "the breach should be named: excess ${excess} in: $bad"
echo "truthful: the real year reads as a success, the bad year names 南粤家政 (${pct}%) and the December breach (+${excess})"
# --strict: 黄羌镇 did not report July, so the county's July numbers are partial: exit 1, and the warning says so.
set +e
"$cli" report --quiet --strict --regions "$ex/regions.csv" --indicators "$ex/indicators.csv" --observations "$ex/observations.csv" \
  --targets "$ex/targets.csv" --scopes "$ex/scopes.csv" --template "$ex/report.tmpl" --region 441521000000 --period 2021-07 \
  >/dev/null 2>"$tmp/strict.err"
code=$?
set -e
[ "$code" -eq 1 ] || fail "--strict with a partial July must exit 1, not $code"
grep -q "partial: 15 of 16 reported" "$tmp/strict.err" || fail "the partial warning should count 15 of 16: $(head -3 "$tmp/strict.err")"
echo "strict: a partial July exits 1"
