#!/usr/bin/env bash
# Status wording through the CLI: tests/data/status, where every target holds, and copies of it with single
# values changed so that each wording is false. The expected strings are worked out by hand: the numbers of
# the county are in tests/data/status/README.md, the changed ones next to each variant.
set -uo pipefail
cli="$1"; root="$2"; tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
source "$root/tests/cli/expect.sh"
data="$root/tests/data/status"

# variant NAME [FILE KEY VALUE]…: a copy of the county in $tmp/NAME with the value after KEY (the first fields
# of a line of FILE) set to VALUE; fails when the key is not there.
variant() {
  local dir="$tmp/$1"; shift
  cp -r "$data" "$dir"
  while [ $# -gt 0 ]; do
    awk -F, -v OFS=, -v key="$2" -v value="$3" 'BEGIN { n = split(key, k, ",") }
      { hit = 1; for (i = 1; i <= n; i++) if ($i != k[i]) hit = 0; if (hit) { $(n + 1) = value; found = 1 } print }
      END { exit !found }' "$dir/$1" >"$dir/$1.new" || { echo "no line $2 in $1"; exit 1; }
    mv "$dir/$1.new" "$dir/$1"
    shift 3
  done
}
cat >"$tmp/status.tmpl" <<'TMPL'
就业：{jobs:status}{#if jobs:met}，达标{#else}，未达标{/if}
失业率：{rate:status}{#if rate:breached}，超标{/if}
在训：{trainees:status}
事件：全县{incidents:status}重大群体性事件
培训：{training:status}
分解：{jobs:allocation}{#if jobs:allocated}，一致{#elif jobs:allocation == under_allocated}，不足{#else}，超额{/if}
工资：{min_wage:status}{#if min_wage:missed}，未达标{/if}
TMPL
report() {  # report DIR PERIOD [TEMPLATE]
  "$cli" report --regions "$1/regions.csv" --indicators "$1/indicators.csv" --observations "$1/observations.csv" \
    --targets "$1/targets.csv" --template "${3:-$tmp/status.tmpl}" --region K --period "$2"
}
check_csv() {  # check_csv DIR: the findings as of December
  "$cli" check --format csv --regions "$1/regions.csv" --indicators "$1/indicators.csv" --observations "$1/observations.csv" \
    --targets "$1/targets.csv" --period 2021-12
}

# Everything holds: 36 + 24 = 60 of 60; (3 + 2) / (3 + 97 + 2 + 98) = 2.50 %; 30 + 30 = 60 in 50–80; no incident;
# 50 against 50; the towns' 36 + 24 = the county's 60; 最低工资标准 1900 from July.
expect floor_met 0 '^就业：完成年度任务，达标$' -- report "$data" 2021
expect cap_held 0 '^失业率：控制在3\.5%以内$' -- report "$data" 2021
expect band_inside 0 '^在训：保持在50至80人之间$' -- report "$data" 2021
expect zero_held 0 '^事件：全县未发生重大群体性事件$' -- report "$data" 2021
expect no_decrease_same 0 '^培训：与上年同期持平$' -- report "$data" 2021
expect allocated 0 '^分解：已全部分解下达，一致$' -- report "$data" 2021
expect allocated_check 0 '^allocation,jobs,K,2021,info,allocated,60,60,' -- check_csv "$data"
expect parameter_reached 0 '^工资：达到1900元的目标$' -- report "$data" 2021
# By June 20 + 10 = 30 of 60 = 50.0 %, 序时进度 6/12 = 50.0 %; 最低工资标准 still 1800, the year not over.
expect floor_on_track 0 '^就业：符合序时进度，达标$' -- report "$data" 2021年1-6月
expect parameter_pending 0 '^工资：尚未达到1900元的目标$' -- report "$data" 2021年1-6月

# Each wording made false by the values alone.
variant more observations.csv k2,2021-01..2021-12,jobs 30        # 36 + 30 = 66 > 60
expect floor_exceeded 0 '^就业：超额完成年度任务，达标$' -- report "$tmp/more" 2021
variant less observations.csv k2,2021-01..2021-12,jobs 14        # 36 + 14 = 50: 50 / 60 = 83.33… → 83.3 %
expect floor_not_met 0 '^就业：未完成年度任务（完成率83\.3%），未达标$' -- report "$tmp/less" 2021
expect floor_not_met_check 0 '^target,jobs,K,2021-01\.\.2021-12,error,not_met,50,60,' -- check_csv "$tmp/less"
variant ahead observations.csv k2,2021-01..2021-06,jobs 16       # 20 + 16 = 36: 60.0 % > 50.0 %
expect floor_ahead 0 '^就业：快于序时进度，达标$' -- report "$tmp/ahead" 2021年1-6月
variant behind observations.csv k2,2021-01..2021-06,jobs 4       # 20 + 4 = 24: 40.0 % < 50.0 %
expect floor_behind 0 '^就业：慢于序时进度，未达标$' -- report "$tmp/behind" 2021年1-6月
variant year_end observations.csv k2,2021-01..2021-06,jobs 4 targets.csv K,jobs,2021,floor,60, year_end
expect floor_year_end 0 '^就业：年末考核，达标$' -- report "$tmp/year_end" 2021年1-6月
# A lower bound decides only a floor it already reaches: 16多 is at least 60.0 % (ahead), 4多 at least 40.0 %.
printf '{jobs:status}\n' >"$tmp/jobs.tmpl"
variant at_least_ahead observations.csv k2,2021-01..2021-06,jobs 16 observations.csv k2,2021-01..2021-06,jobs,16 lower_bound
expect lower_bound_ahead 0 '^快于序时进度$' -- report "$tmp/at_least_ahead" 2021年1-6月 "$tmp/jobs.tmpl"
variant at_least_behind observations.csv k2,2021-01..2021-06,jobs 4 observations.csv k2,2021-01..2021-06,jobs,4 lower_bound
expect lower_bound_undecided 0 '^数据为约数或下限，无法判定$' -- report "$tmp/at_least_behind" 2021年1-6月 "$tmp/jobs.tmpl"
variant short_of observations.csv K,2021-07,min_wage 1850        # 1850 < 1900 when the year ends
expect parameter_not_reached 0 '^工资：未达到1900元的目标，未达标$' -- report "$tmp/short_of" 2021
variant breach observations.csv k1,2021-12,unemployed 9          # 11 / 206 = 5.339… → 5.34 %: 1.84 over
expect cap_breached 0 '^失业率：超出控制线1\.84个百分点（12月），超标$' -- report "$tmp/breach" 2021
variant above observations.csv k2,2021-12,trainees 60            # 30 + 60 = 90 > 80
expect band_above 0 '^在训：超出50至80人的区间（12月）$' -- report "$tmp/above" 2021
variant below observations.csv k2,2021-12,trainees 10            # 30 + 10 = 40 < 50
expect band_below 0 '^在训：超出50至80人的区间（12月）$' -- report "$tmp/below" 2021
variant incident observations.csv k1,2021-03,incidents 2
expect zero_breached 0 '^事件：全县发生2起重大群体性事件$' -- report "$tmp/incident" 2021
variant up observations.csv k1,2021-03,training 60               # (60 − 50) / 50 = +20.0 %
expect no_decrease_up 0 '^培训：比上年同期增长20\.0%$' -- report "$tmp/up" 2021
variant down observations.csv k1,2021-03,training 40             # (40 − 50) / 50 = −20.0 %
expect no_decrease_down 0 '^培训：比上年同期下降20\.0%$' -- report "$tmp/down" 2021
variant under targets.csv k2,jobs,2021,floor 20                  # 36 + 20 = 56 < 60
expect under_allocated 0 '^分解：分解下达56人，少于年度任务60人，不足$' -- report "$tmp/under" 2021
expect under_allocated_check 0 '^allocation,jobs,K,2021,warning,under_allocated,56,60,' -- check_csv "$tmp/under"
variant over targets.csv k2,jobs,2021,floor 30                   # 36 + 30 = 66 > 60
expect over_allocated 0 '^分解：分解下达66人，超过年度任务60人，超额$' -- report "$tmp/over" 2021
expect over_allocated_check 0 '^allocation,jobs,K,2021,info,over_allocated,66,60,' -- check_csv "$tmp/over"

# Nothing to allocate at 丙一镇 (no children): —, with the warning; a misspelt modifier: its line and column.
printf '丙一镇：{jobs@k1:allocation}\n' >"$tmp/k1.tmpl"
expect allocation_missing 0 '\{jobs@k1:allocation\}: no allocation \(分解下达\)' -- report "$data" 2021 "$tmp/k1.tmpl"
expect allocation_missing_text 0 '^丙一镇：—$' -- report "$data" 2021 "$tmp/k1.tmpl"
printf '分解\n  {jobs:allocatoin}\n' >"$tmp/typo.tmpl"
expect allocation_typo 2 "typo\.tmpl:2:3: unknown modifier 'allocatoin'" -- report "$data" 2021 "$tmp/typo.tmpl"
expect help_lists_allocation 0 '\{code:allocation\} \(分解下达\)' -- "$cli" report --help
expect_summary status_words
