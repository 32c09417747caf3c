#!/usr/bin/env bash
# The city report as shipped, and a bad year, against numbers worked out here with awk over the CSV files:
# 江门市's 城镇新增就业 and its 完成率, its rank among the 21 cities of 广东省 by 完成率, the unemployment rate, and
# 二(四)'s plan-year (2022) targets with their deadlines (全部分配到人 only for a 100 % target), and XX多 / 以上
# from the data's qualifiers.
set -euo pipefail
cli="$1"; root="$2"; tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ex="$root/examples/city"
fail() { echo "FAIL: $*"; exit 1; }
report() { "$cli" report --quiet --strict --model "$1" --region 440700000000 --period 2021; }

# Each city's 2021 城镇新增就业 (its leaves' 1-12月 values, a county's city being its parent), its target,
# 完成率 half-up to 0.1%, and the competition rank (1 + the cities with a strictly higher 完成率).
standing() {  # standing DIR → "JOBS PERMILLE RANK" for 江门市
  awk -F, '
    FILENAME ~ /regions.csv$/ { if (FNR > 1) city[$1] = ($3 == "county") ? $4 : $1; next }
    FILENAME ~ /targets.csv$/ { if ($2 == "urban_new_employment" && $3 == "2021" && $4 == "floor") target[$1] = $5; next }
    FNR > 1 && $2 == "2021-01..2021-12" && $3 == "urban_new_employment" { jobs[city[$1]] += $4 }
    END {
      j = "440700000000"; rank = 1; n = 0
      for (c in target) { n++; if (jobs[c] * target[j] > jobs[j] * target[c]) rank++ }
      if (n != 21) { print "expected 21 cities with a target, not " n > "/dev/stderr"; exit 1 }
      printf "%d %d %d\n", jobs[j], int((2000 * jobs[j] + target[j]) / (2 * target[j])), rank
    }' "$1/regions.csv" "$1/targets.csv" "$1/observations.csv"
}
zh() { local n=(零 一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四 十五 十六 十七 十八 十九 二十 二十一); echo "${n[$1]}"; }
pct() { printf '%d.%d' $(($1 / 10)) $(($1 % 10)); }  # ‰ → 113.7
wan() { printf '%d.%02d' $((($1 + 50) / 10000)) $(((($1 + 50) % 10000) / 100)); }  # 人 → 万人, 2 decimals half-up

good="$(report "$ex")" || fail "the shipped city report must render with --strict"
for bad_char in "—" "{" "}" "X"; do
  ! grep -qF "$bad_char" <<<"$good" || fail "the report has '$bad_char': $good"
done
read -r jobs permille rank < <(standing "$ex")
grep -qF "全市城镇新增就业$(wan "$jobs")万人，超额完成年度任务" <<<"$good" || fail "城镇新增就业 $(wan "$jobs")万人 exceeded: $good"
grep -qF "城镇新增就业目标完成率$(pct "$permille")%，在全省各地级以上市中排名全省第$(zh "$rank")。" <<<"$good" ||
  fail "完成率 $(pct "$permille")% ranks $(zh "$rank"): $good"
# The rate from December's stocks: Σ registered unemployed / (Σ unemployed + Σ employed), half-up to 0.01%.
rate="$(awk -F, '$1 ~ /^4407/ && $2 == "2021-12" && $3 == "registered_unemployed_eop" { u += $4 }
                 $1 ~ /^4407/ && $2 == "2021-12" && $3 == "urban_employed_eop" { e += $4 }
                 END { b = int((20000 * u + (u + e)) / (2 * (u + e))); printf "%d.%02d", b / 100, b % 100 }' "$ex/observations.csv")"
grep -qF "城镇登记失业率控制在${rate}%，控制在年度目标3.5%以内" <<<"$good" || fail "the rate ${rate}% within its cap: $good"
grep -qF "全市就业局势保持稳定" <<<"$good" || fail "a good year reads as stable"
# 二(四): the plan year's targets (2022), their deadlines with the year, and 全部 only for a 100 % target.
plan() {  # plan DIR CODE → "LAST_MONTH VALUE" of 江门市's 2022 target
  awk -F, -v c="$2" '$1 == "440700000000" && $2 == c && $3 ~ /^2022/ { n = split($3, a, "-"); print a[n] + 0, $5 }' "$1/targets.csv"
}
read -r annuity_month annuity_target < <(plan "$ex" annuity_funding_progress)
read -r land_month land_target < <(plan "$ex" land_fund_allocation_rate)
[ "$land_target" = 100 ] || fail "the shipped 2022 target for 分配到人 should be 100 ($land_target)"
grep -qF "推进职业年金实账积累2022年${annuity_month}月底前做实进度达${annuity_target}%。" <<<"$good" || fail "职业年金 2022 target: $good"
grep -qF "推进征地社保留存资金2022年${land_month}月底前全部分配到人。" <<<"$good" || fail "分配到人 2022 target: $good"
# 省级统筹 from the day in 江门市's ui_provincial_pooling_from row (a date parameter set in a 2021 month: 2022-01-01 →
# 2022年1月1日), in force in the 2021 report.
pooling=$(awk -F, '$1 == "440700000000" && $3 == "ui_provincial_pooling_from" { split($4, d, "-"); printf "%d年%d月%d日\n", d[1], d[2], d[3] }' \
  "$ex/observations.csv")
[ -n "$pooling" ] || fail "the shipped data should set ui_provincial_pooling_from"
grep -qF "推进失业保险基金${pooling}起实施省级统筹" <<<"$good" || fail "省级统筹 from ${pooling}: $good"
# XX多 / X条以上 from the qualifier column: every county reporting 彩虹 figures reports them as lower bounds, so
# their sums are lower bounds (Σ rainbow_chains → "N条以上产业链"; the others "N多").
total() { awk -F, -v c="$2" '$1 ~ /^4407/ && $3 == c && $2 ~ /^2021/ { s += $4 } END { print s + 0 }' "$1/observations.csv"; }
chains=$(total "$ex" rainbow_chains); platforms=$(total "$ex" rainbow_platforms); served=$(total "$ex" hk_point_served_cumulative)
grep -qF "带动${chains}条以上产业链、${platforms}多家电商平台发展" <<<"$good" || fail "${chains}条以上, ${platforms}多家: $good"
grep -qF "累计服务港澳居民${served}多人次" <<<"$good" || fail "${served}多人次: $good"
echo "good year: $(wan "$jobs")万人, 完成率 $(pct "$permille")%, 排名全省第$(zh "$rank"), 失业率 ${rate}%"

# A bad year: 江门's leaves report 85% of their 2021 new jobs every month (still a non-decreasing series),
# and 蓬江区 has 2 重特大恶性劳资群体性事件.
cp -r "$ex" "$tmp/bad"
awk -F, 'BEGIN { OFS = "," }
  ($1 ~ /^4407/ && $2 ~ /^2021-01\.\.2021-/ && $3 == "urban_new_employment") { $4 = int($4 * 85 / 100) }
  ($1 == "440703000000" && $3 == "labor_mass_incidents") { $4 = 2 }
  ($3 == "rainbow_chains") { $5 = "" }
  { print }' "$ex/observations.csv" > "$tmp/bad/observations.csv"
# …and a 2022 target of 95 % for 分配到人: no 全部.
awk -F, 'BEGIN { OFS = "," } $2 == "land_fund_allocation_rate" && $3 ~ /^2022/ { $5 = 95 } { print }' "$ex/targets.csv" > "$tmp/bad/targets.csv"
bad="$(report "$tmp/bad")" || fail "the bad year must render with --strict"
grep -qF "推进征地社保留存资金2022年${land_month}月底前分配到人比例达95%。" <<<"$bad" || fail "分配到人 at 95 %: $bad"
! grep -qF "全部分配到人" <<<"$bad" || fail "a 95 % target must not read as 全部: $bad"
# …and 彩虹 产业链 reported exactly: no 以上.
grep -qF "带动${chains}条产业链、" <<<"$bad" || fail "exact 产业链 without 以上: $bad"
read -r bjobs bpermille brank < <(standing "$tmp/bad")
[ "$bpermille" -lt 1000 ] || fail "the bad year should miss the 城镇新增就业 target ($bpermille‰)"
[ "$brank" -ne "$rank" ] || fail "the bad year should change the rank (still $rank)"
grep -qF "全市城镇新增就业$(wan "$bjobs")万人，未完成年度任务（完成率$(pct "$bpermille")%）" <<<"$bad" ||
  fail "the missed target with $(pct "$bpermille")%: $bad"
! grep -qE "城镇新增就业[0-9.]+万人，(超额)?完成年度任务" <<<"$bad" || fail "a missed target must not read as done: $bad"
! grep -qF "全市就业局势保持稳定" <<<"$bad" || fail "a missed target must not read as stable: $bad"
grep -qF "排名全省第$(zh "$brank")。" <<<"$bad" || fail "the bad year ranks $(zh "$brank"): $bad"
grep -qF "全市发生2起重特大恶性劳资群体性事件" <<<"$bad" || fail "the incidents named: $bad"
! grep -qF "未发生重特大恶性劳资群体性事件" <<<"$bad" || fail "incidents must not read as none: $bad"
! grep -qF "劳动领域总体和谐稳定" <<<"$bad" || fail "incidents must not read as 和谐稳定: $bad"
echo "bad year: $(wan "$bjobs")万人, 完成率 $(pct "$bpermille")%, 排名全省第$(zh "$brank"), 发生2起"
