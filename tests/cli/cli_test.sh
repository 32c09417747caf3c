#!/usr/bin/env bash
# The zhibiao command as a user runs it: output, exit codes (0 ok, 1 error findings with
# --fail-on-error, 2 bad input) and error messages naming file, line and column.
set -uo pipefail
z="$1"; root="$2"
small="$root/tests/data/small"; county="$root/examples/county"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"
m_small=(--regions "$small/regions.csv" --indicators "$small/indicators.csv" --observations "$small/observations.csv" --quiet)
m_county=(--regions "$county/regions.csv" --indicators "$county/indicators.csv" --observations "$county/observations.csv"
          --scopes "$county/scopes.csv" --quiet)

expect help 0 "rollup" -- "$z" --help
expect version 0 "^zhibiao 0\.1\.0$" -- "$z" --version
expect no_command 2 "usage" -- "$z"
expect unknown_command 2 "unknown command 'frob'" -- "$z" frob
for c in regions indicators rollup check explain report test; do
  expect "help_$c" 0 "usage: zhibiao $c" -- "$z" "$c" --help
done

# regions / indicators
expect regions_counts 0 "town +3" -- "$z" regions "$small/regions.csv"
printf 'code,name,level,parent\nA,甲,city,\nB,乙,county,A\nB,丙,county,A\n' > "$tmp/dup.csv"
expect regions_duplicate 2 "dup.csv:4:1 \(code\): duplicate region code 'B'" -- "$z" regions "$tmp/dup.csv"
expect regions_missing_file 2 "cannot open" -- "$z" regions "$tmp/nope.csv"
expect indicators_list 0 "rate +ratio" -- "$z" indicators "$small/indicators.csv"
printf 'code,name,unit,kind,decimals,numerator,denominator,factor,part_of\nx,X,人,flux,0,,,,\n' > "$tmp/ind.csv"
expect indicators_bad_kind 2 "ind.csv:2:4 \(kind\): unknown kind 'flux'" -- "$z" indicators "$tmp/ind.csv"

# rollup
expect rollup_stdout 0 "^A,2021-02,new_jobs,20,35,1,2,,$" -- "$z" rollup "${m_small[@]}"
expect rollup_filters 0 "^region,period" -- "$z" rollup "${m_small[@]}" --level county --region A --period 2021Q1
lines=$("$z" rollup "${m_small[@]}" --level county --region A --period 2021Q1 | wc -l)
if [ "$lines" -eq $((3 * 6 + 1)) ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL rollup_filter_rows: $lines"; fi
"$z" rollup "${m_small[@]}" --out "$tmp/out.csv"
expect rollup_out_file 0 "^C1,2021-03,insured,145,255,2,3,,$" -- cat "$tmp/out.csv"
printf 'region,period,indicator,value\na1,2021-13,new_jobs,1\n' > "$tmp/obs.csv"
expect rollup_bad_period 2 "obs.csv:2:2 \(period\): '2021-13': month 13 is outside 1..12" -- \
  "$z" rollup --regions "$small/regions.csv" --indicators "$small/indicators.csv" --observations "$tmp/obs.csv"
printf 'region,period,indicator,value\na1,2021-01,rate,1\n' > "$tmp/obs2.csv"
expect rollup_ratio_value 2 "obs2.csv:2:3 \(indicator\): 'rate' is a ratio" -- \
  "$z" rollup --regions "$small/regions.csv" --indicators "$small/indicators.csv" --observations "$tmp/obs2.csv"
expect rollup_missing_option 2 "missing --observations" -- "$z" rollup --regions "$small/regions.csv" --indicators "$small/indicators.csv"
expect rollup_unknown_option 2 "unknown option --frob" -- "$z" rollup --frob 1
expect rollup_bad_level 2 "unknown level 'planet'" -- "$z" rollup "${m_small[@]}" --level planet

# explain
expect explain 0 "not reported for 2021-02: a2 甲二镇" -- "$z" explain A 2021-02 new_jobs "${m_small[@]}"
expect explain_scope 0 "海丰县（不含深汕）" -- "$z" explain haifeng_ex_shenshan 2021 org_pension_paid "${m_county[@]}"
expect explain_unknown 2 "unknown indicator 'nope'" -- "$z" explain A 2021-02 nope "${m_small[@]}"

# check
expect check_table 0 "under_allocated" -- "$z" check "${m_county[@]}" --targets "$county/targets.csv" --rules "$county/rules.txt" --period 2021-06
expect check_csv 0 "^check,subject,region,period,severity,status,actual,expected,message$" -- \
  "$z" check "${m_county[@]}" --targets "$county/targets.csv" --format csv
expect check_json 0 '"status": "exceeded"' -- "$z" check "${m_county[@]}" --targets "$county/targets.csv" --format json --period 2021-12
printf 'region,indicator,period,kind,value\nC1,new_jobs,2021,floor,1000\n' > "$tmp/t.csv"
expect check_fail_on_error 1 "not_met" -- "$z" check "${m_small[@]}" --targets "$tmp/t.csv" --period 2021-12 --fail-on-error
expect check_no_fail_flag 0 "not_met" -- "$z" check "${m_small[@]}" --targets "$tmp/t.csv" --period 2021-12
printf 'region,indicator,period,kind,value,upper\nC1,new_jobs,2021,band,10,5\n' > "$tmp/t2.csv"
expect check_bad_band 2 "t2.csv:2:6 \(upper\): band lower bound 10 is above its upper bound 5" -- "$z" check "${m_small[@]}" --targets "$tmp/t2.csv"
printf 'r1 | error | new_jobs <= (insured\n' > "$tmp/r.txt"
expect check_bad_rule 2 "r.txt:1:[0-9]+: expected '\)'" -- "$z" check "${m_small[@]}" --rules "$tmp/r.txt"
expect check_bad_format 2 "unknown format 'xml'" -- "$z" check "${m_small[@]}" --format xml

# report
expect report_county 0 "全县|海丰县实现城镇新增就业3784人" -- "$z" report "${m_county[@]}" --targets "$county/targets.csv" \
  --template "$county/report.tmpl" --region 441521000000 --period 2021
printf '新增就业{new_jobs}人\n第二行{nope:万元}\n' > "$tmp/bad.tmpl"
expect report_unknown_indicator 2 "bad.tmpl:2:4: unknown indicator 'nope'" -- "$z" report "${m_small[@]}" --template "$tmp/bad.tmpl" --region C1 --period 2021
printf '失业率{rate} {insured:coverage}\n' > "$tmp/m.tmpl"
expect report_missing_value 0 "warning: .*m.tmpl:1:4: \{rate\}: no value" -- "$z" report "${m_small[@]}" --template "$tmp/m.tmpl" --region C1 --period 2021-04

# bad text, units in rules, targets on scopes, spans of months
printf 'code,name,level,parent\nC1,示例市,city,\nA,甲\0县,county,C1\n' > "$tmp/nul.csv"
expect regions_nul_in_name 2 "load error: .*nul.csv:3:2 \(name\): control character U\+0000 \(NUL\)" -- "$z" regions "$tmp/nul.csv"
printf 'mix | error | new_jobs <= loan_amount\n' > "$tmp/mix.txt"
expect check_rule_dimensions 2 "mix.txt:1:24: rule 'mix' compares new_jobs \(人, people\) with loan_amount \(万元, money\): different dimensions" -- \
  "$z" check "${m_small[@]}" --rules "$tmp/mix.txt"
printf 'region,indicator,period,kind,value\nhaifeng_ex_shenshan,urban_new_employment,2021,floor,3000\n' > "$tmp/scope_t.csv"
expect check_scope_target 0 "^target,urban_new_employment,haifeng_ex_shenshan,2021-01..2021-06,[a-z]+,[a-z_]+,[0-9]+,3000," -- \
  "$z" check "${m_county[@]}" --targets "$tmp/scope_t.csv" --period 2021-06 --format csv
printf '{period} {new_jobs} {new_jobs:coverage}\n' > "$tmp/span.tmpl"
# 甲县 2-3月: a1 20 + 30, a2 15 (no February report) = 65; coverage as of March 2/2.
expect report_span 0 "^2021年2-3月 65 2/2$" -- "$z" report "${m_small[@]}" --template "$tmp/span.tmpl" --region A --period 2021年2月至3月
expect rollup_span_filter 0 "^A,2021-03,new_jobs,45,80,2,2,,$" -- "$z" rollup "${m_small[@]}" --region A --period 2021-02..2021-03

# Day dates (tests/data/dates): a parameter of unit 日期, read as a date, written as one at every edge.
d="$root/tests/data/dates"
m_d=(--regions "$d/regions.csv" --indicators "$d/indicators.csv" --observations "$d/observations.csv" --quiet)
# 一镇 reads 甲县's 2020-11-05 (set in November 2020) in 2021: its nearest ancestor's, across the year.
expect explain_date 0 "^一镇 t1 2021年 人才政策出台日期 \(policy_date\) = 2020-11-05 日期$" -- "$z" explain t1 2021 policy_date "${m_d[@]}"
printf '{policy_date}出台；{provincial_pooling_from:md}起\n' > "$tmp/d.tmpl"
expect report_date 0 "^2020年11月5日出台；1月1日起$" -- "$z" report "${m_d[@]}" --template "$tmp/d.tmpl" --region K --period 2021
printf '{policy_date:yoy}\n' > "$tmp/d2.tmpl"
expect report_date_yoy 2 "d2.tmpl:1:1: 'policy_date' is a date" -- "$z" report "${m_d[@]}" --template "$tmp/d2.tmpl" --region K --period 2021
printf 'region,period,indicator,value\nK,2021-02,policy_date,2021-02-30\n' > "$tmp/d.csv"
expect observations_bad_date 2 "d.csv:2:4 \(value\): '2021-02-30': there is no day 30 in 2021年2月" -- "$z" rollup --quiet \
  --regions "$d/regions.csv" --indicators "$d/indicators.csv" --observations "$tmp/d.csv" --out "$tmp/d-out.csv"

# Qualifiers (tests/data/qualifiers): XX多 / 约 through the roll-up CSV, reports and checks.
q="$root/tests/data/qualifiers"
m_q=(--regions "$q/regions.csv" --indicators "$q/indicators.csv" --observations "$q/observations.csv" --quiet)
# 甲县 February: a1's 20多 alone (lower_bound); 1-2月 a1 10 + 20多, a2 约5 = 35, approximate.
expect rollup_qualifiers 0 "^A,2021-02,jobs,20,35,1,2,lower_bound,approximate$" -- "$z" rollup "${m_q[@]}" --region A --period 2021-02
printf '{jobs}人，{jobs:plain}人，{posts}个，{cover}%%\n' > "$tmp/q.tmpl"
# cover = 20多 / 50多 = 40.0, a bounded denominator: 约40.0.
expect report_qualifiers 0 "^20多人，20人，50多个，约40.0%$" -- "$z" report "${m_q[@]}" --template "$tmp/q.tmpl" --region A --period 2021-02
printf '{jobs}人\n' > "$tmp/q2.tmpl"
expect report_approximate 0 "^约35人$" -- "$z" report "${m_q[@]}" --template "$tmp/q2.tmpl" --region A --period 2021年1-2月
printf 'needs30 | error | jobs >= 30 | levels=county\n' > "$tmp/q.txt"
# Checks judge 1-2月: 甲县 约35 ≥ 30 holds on the shown value only → approximate, a warning, not a pass.
expect check_rule_approximate 0 "^needs30,jobs >= 30,A,2021-01..2021-02,warning,approximate,35,30,.*含约数或下限，无法确定是否成立" -- \
  "$z" check "${m_q[@]}" --rules "$tmp/q.txt" --period 2021-02 --format csv --fail-on-error
expect explain_qualifier 0 "qualifier: lower_bound .*a1 甲一镇 \(lower_bound\)" -- "$z" explain A 2021-02 jobs "${m_q[@]}"

# indicators reported at a level (tests/data/reported_at): counties are the units, 东莞式市 D reports itself
ra="$root/tests/data/reported_at"
m_ra=(--regions "$ra/regions.csv" --indicators "$ra/indicators.csv" --observations "$ra/observations.csv" --quiet)
expect indicators_reported_at 0 "快办事项 \(reported at county level\)$" -- "$z" indicators "$ra/indicators.csv"
# 甲市 A January: A1 10 + A2 7 = 17, 2 of 2 counties; D February 9, 1 of 1; a town 0 of 0.
expect rollup_reported_at_city 0 "^A,2021-01,quick,17,17,2,2,,$" -- "$z" rollup "${m_ra[@]}"
expect rollup_reported_at_dongguan 0 "^D,2021-02,quick,9,9,1,1,,$" -- "$z" rollup "${m_ra[@]}"
expect rollup_reported_at_town 0 "^t11,2021-01,quick,,,0,0,,$" -- "$z" rollup "${m_ra[@]}"
# 示例省 P reported 30 against its units' 17 (D did not report January); A's 17 and A1's own 10 are not flagged.
expect check_reported_at 0 "示例省 2021年1月 快办事项 上报合计 30件，下级汇总 17件：不一致" -- "$z" check "${m_ra[@]}" --period 2021-01
expect check_reported_at_count 0 "^1 findings: 0 errors, 1 warnings$" -- "$z" check "${m_ra[@]}" --period 2021-01
expect explain_reported_at 0 "coverage: 2 of 3 county-level units reported 2021-01" -- "$z" explain P 2021-01 quick "${m_ra[@]}"
expect explain_reported_at_missing 0 "not reported for 2021-01: D 东莞式市$" -- "$z" explain P 2021-01 quick "${m_ra[@]}"
printf 'region,period,indicator,value\nA1,2021-01,quick,10\nt11,2021-01,quick,3\n' > "$tmp/below.csv"
expect rollup_reported_at_below 2 "below.csv:3:1 \(region\): 'quick' is reported at level county: 't11' is a town, below that level" -- \
  "$z" rollup --regions "$ra/regions.csv" --indicators "$ra/indicators.csv" --observations "$tmp/below.csv" --quiet

expect_summary
