#!/usr/bin/env bash
# Spans across years and stocks whose value is an earlier month's end (max_age), through the zhibiao
# command, on tests/data/stale. Expected values are worked out by hand in the comments.
set -uo pipefail
z="$1"; root="$2"
d="$root/tests/data/stale"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"
m=(--regions "$d/regions.csv" --indicators "$d/indicators.csv" --observations "$d/observations.csv" --quiet)

# insured_q has max_age 2: 甲县's March values (一镇 300, 二镇 200 — a lower bound, so is their sum) count
# through May; in June 一镇 reports 310 and 二镇's March value is three months old, so 310 (1 of 2 reported,
# exact again: the lower bound went with the value); from September nothing is current.
expect q_may 0 "^K,2021-05,insured_q,,500,0,2,,lower_bound$" -- "$z" rollup "${m[@]}" --region K --level county
expect q_jun 0 "^K,2021-06,insured_q,310,310,1,2,,$" -- "$z" rollup "${m[@]}" --region K --level county
expect q_aug 0 "^K,2021-08,insured_q,,310,0,2,,$" -- "$z" rollup "${m[@]}" --region K --level county
expect q_sep 0 "^K,2021-09,insured_q,,,0,2,,$" -- "$z" rollup "${m[@]}" --region K --level county
# 乙县: 三镇's January 90 holds through March, then is gone.
expect q_l_mar 0 "^L,2021-03,insured_q,,90,0,1,,$" -- "$z" rollup "${m[@]}" --region L
expect q_l_apr 0 "^L,2021-04,insured_q,,,0,1,,$" -- "$z" rollup "${m[@]}" --region L
# A rate from stocks with different max_age: February = (30 + 20) / (30 + 20 + 1010) × 100 = 4.7169… → 4.72
# (二镇's January 就业人数 is too old with max_age 0); March: no 就业人数 is current, so no rate.
expect rate_jan 0 "^K,2021-01,rate,3.23,3.23,2,2,,$" -- "$z" rollup "${m[@]}" --region K --level county
expect rate_feb 0 "^K,2021-02,rate,,4.72,0,2,,$" -- "$z" rollup "${m[@]}" --region K --level county
expect rate_mar 0 "^K,2021-03,rate,,,0,2,,$" -- "$z" rollup "${m[@]}" --region K --level county
# A county-level stock (reported_at county, max_age 1): the counties report it themselves. 甲县's January 100
# (approximate) holds through February, not March; 乙县's January 50, then its own March 60 (a lower bound).
expect own_feb 0 "^K,2021-02,pension_retirees,,100,0,1,,approximate$" -- "$z" rollup "${m[@]}" --region K --level county
expect own_mar 0 "^K,2021-03,pension_retirees,,,0,1,,$" -- "$z" rollup "${m[@]}" --region K --level county
expect own_l_feb 0 "^L,2021-02,pension_retirees,,50,0,1,,$" -- "$z" rollup "${m[@]}" --region L --level county
expect own_l_mar 0 "^L,2021-03,pension_retirees,60,60,1,1,lower_bound,lower_bound$" -- "$z" rollup "${m[@]}" --region L --level county
expect own_town 0 "^t1,2021-02,pension_retirees,,,0,0,,$" -- "$z" rollup "${m[@]}" --region K
# The roll-up filtered to a span across years keeps exactly its months: 2020-12 .. 2021-02 for K × 7 indicators.
expect span_filter 0 "^21$" -- bash -c "'$z' rollup ${m[*]} --region K --level county --period 2020-12..2021-02 | tail -n +2 | wc -l"
expect span_filter_first 0 "^K,2020-12,jobs,7,7,1,2,,$" -- "$z" rollup "${m[@]}" --region K --level county --period 2020-12..2021-02

# explain: the carried values with their months, and the coverage line.
expect explain_carried 0 "carried from an earlier month \(not reported for 2021-04\): t1 一镇 \(2021-03\); t2 二镇 \(2021-03\)" -- \
  "$z" explain K 2021-04-30 insured_q "${m[@]}"
expect explain_coverage 0 "coverage: 0 of 2 leaves reported 2021-04; 2 more carried from an earlier month" -- \
  "$z" explain K 2021-04-30 insured_q "${m[@]}"
# A span across years: jobs 2020-12..2021-02 = 7 + 10 + 4 = 21.
expect explain_span 0 "2020年12月至2021年2月 新增就业 \(jobs\) = 21" -- "$z" explain K 2020-12..2021-02 jobs "${m[@]}"
expect explain_span_zh 0 "= 21" -- "$z" explain K 2020年12月至2021年2月 jobs "${m[@]}"

# A report: 累计 since a start, its label, and the warning for a carried stock.
printf '自{period~2020-12}累计新增就业{jobs~2020-12}人；参保{insured}人。\n' > "$tmp/r.tmpl"
expect report_since 0 "^自2020年12月至2021年4月累计新增就业21人；参保170人。" -- \
  "$z" report "${m[@]}" --template "$tmp/r.tmpl" --region K --period 2021-04-30
# insured 截至4月底: 一镇 120 (March) + 二镇 50 (February), both carried.
expect report_carried_warning 0 "warning: .*\{insured\}: carried: 2 of 2 values are an earlier month's end" -- \
  "$z" report "${m[@]}" --template "$tmp/r.tmpl" --region K --period 2021-04-30
# A span with its own end, and its label with each end's year: jobs 2021-01..2021-02 = 10 (一镇) + 4 (二镇) = 14,
# whatever the report period's end (April); 2020-12..2021-02 = 7 + 10 + 4 = 21. A span that ends after April, or
# before it starts, is an error at its '{'. (report_at NAME STATUS PATTERN TEMPLATE renders TEMPLATE for 甲县 2021-04.)
report_at() {
  printf '%s\n' "$4" > "$tmp/$1.tmpl"
  expect "$1" "$2" "$3" -- "$z" report "${m[@]}" --template "$tmp/$1.tmpl" --region K --period 2021-04
}
report_at span_end 0 "^2021年1月至2021年2月新增就业14人，2020年12月至2021年2月21人，2021年2月至4月$" \
  '{period~2021-01..2021-02:dated}新增就业{jobs~2021-01..2021-02}人，{period~2020-12..2021-02:span}{jobs~2020-12..2021-02}人，{period~2021-02:year}{period~2021-02:span}'
report_at span_end_late 2 "span_end_late.tmpl:1:1: .*'~2021-01..2021-05' ends after the report period 2021-04 ends" '{jobs~2021-01..2021-05}'
report_at span_backwards 2 "span_backwards.tmpl:1:1: .*the span ends before it starts" '{period~2021-03..2021-02}'
printf '{jobs~2021-05}\n' > "$tmp/late.tmpl"
expect report_since_late 2 "late.tmpl:1:1: .*'~2021-05' starts after the report period 2021-04 ends" -- \
  "$z" report "${m[@]}" --template "$tmp/late.tmpl" --region K --period 2021-04

# Bad input: max_age on a flow, and a target across years, name file, line and column.
sed 's/^jobs,新增就业,人,flow,0,,,,,,$/jobs,新增就业,人,flow,0,,,,,3,/' "$d/indicators.csv" > "$tmp/bad_ind.csv"
expect bad_max_age 2 "bad_ind.csv:2:.*max_age is for stocks" -- \
  "$z" rollup --regions "$d/regions.csv" --indicators "$tmp/bad_ind.csv" --observations "$d/observations.csv" --quiet
printf 'region,indicator,period,kind,value\nK,jobs,2020-12..2021-02,floor,10\n' > "$tmp/targets.csv"
expect bad_target_span 2 "targets.csv:2:3 \(period\): a target's period lies within one year" -- \
  "$z" check "${m[@]}" --targets "$tmp/targets.csv"

expect_summary stale_and_spans
