#!/usr/bin/env bash
# The county report's sections 二-四 as shipped, and a bad year, against numbers worked out here with awk over
# observations.csv: ratios from their summed parts (人均提升 = Σ增加额 / Σ人数, 社保卡 完成比例, 好评率, 调解率), a
# span from March (新办法计发), the scope 海丰县（不含深汕）, parts that add up to their totals (岗位聘用, 仲裁), and
# the status words (全部, 已全部退费, 按时足额, 均…办结, 未发生) that must flip when the data does not support them, and
# the 60岁 of 居民养老 from a parameter set once; in section 一 the 建档立卡毕业生 shares and the 见习 batches.
set -euo pipefail
cli="$1"; root="$2"; tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
ex="$root/examples/county"
county=441521000000
fail() { echo "FAIL: $*"; exit 1; }
report() { "$cli" report --quiet --strict --model "$1" --region "$county" --period 2021; }
has() { grep -qF "$1" <<<"$2" || fail "missing '$1' in: $(grep -F "${3:-$1}" <<<"$2" || echo "$2" | tail -8)"; }
lacks() { ! grep -qF "$1" <<<"$2" || fail "'$1' must not be there: $2"; }

# sum DIR CODE REGION_REGEX MONTH_REGEX → Σ of the 2021 values, as an exact integer of hundredths when the
# values have 2 decimals (awk doubles are exact far beyond these sums).
sum() {
  awk -F, -v code="$2" -v re="$3" -v mon="$4" '
    FNR > 1 && $3 == code && $1 ~ re && $2 ~ ("^2021-(" mon ")$") { v = $4; if (v ~ /\./) { sub(/\./, "", v) } s += v }
    END { printf "%d\n", s }' "$1/observations.csv"
}
all='0[1-9]|1[0-2]'; towns='^4415211'; dec='12'
# ratio NUM DEN FACTOR DECIMALS → NUM / DEN × FACTOR half-up to DECIMALS, as text (integers in, exact out)
ratio() {
  awk -v n="$1" -v d="$2" -v f="$3" -v k="$4" 'BEGIN {
    s = 1; for (i = 0; i < k; i++) s *= 10
    q = int((2 * n * f * s + d) / (2 * d)); ip = int(q / s); fp = q - ip * s
    if (k == 0) printf "%d\n", ip; else printf "%d.%0*d\n", ip, k, fp }'
}

good="$(report "$ex")" || fail "the shipped county report must render with --strict"
for bad_char in "—" "{" "}" "X"; do
  ! grep -qF "$bad_char" <<<"$good" || fail "the report has '$bad_char'"
done
for heading in "二、始终坚持以社会保障工作" "三、始终坚持以人事人才工作" "四、始终坚持以劳动关系和谐稳定"; do has "$heading" "$good"; done

# 建档立卡毕业生: December's stocks over the towns, the two shares of poor_grads at 1 decimal; the 见习单位 batches
# a flow at the county (Σ of the year's months), the units a flow over the towns.
poor=$(sum "$ex" poor_grads "$towns" "$dec"); placed=$(sum "$ex" poor_grads_placed "$towns" "$dec")
served=$(sum "$ex" poor_grads_served "$towns" "$dec")
[ "$placed" -le "$poor" ] && [ "$served" -le "$poor" ] && [ "$placed" -ne "$served" ] ||
  fail "the shipped data should have 0 < placed ($placed) != served ($served) <= poor ($poor)"
has "其中建档立卡毕业生${poor}人，$(ratio "$placed" "$poor" 100 1)%实现就业或升学，$(ratio "$served" "$poor" 100 1)%落实就业服务；" "$good" "建档立卡"
batches=$(sum "$ex" internship_batches "^$county" "$all"); units=$(sum "$ex" internship_units "$towns" "$all")
has "认定了${batches}批见习单位共${units}家" "$good" "见习单位"

# 人才计划: the day it came out is the county's talent_policy_date row (a date parameter, 2021-05-16 → 2021年5月16日),
# in force from its month on; a report for 1-3月, before it, says 出台以来 without a day.
policy=$(awk -F, -v c="$county" '$1 == c && $3 == "talent_policy_date" { split($4, d, "-"); printf "%d年%d月%d日\n", d[1], d[2], d[3] }' \
  "$ex/observations.csv")
[ -n "$policy" ] || fail "the shipped data should set talent_policy_date"
has "${policy}我县《海丰县“海纳英才”人才计划》及《海丰县新引进人才补贴申领实施办法》出台至今" "$good" "出台"
early="$("$cli" report --quiet --model "$ex" --region "$county" --period 2021-01..2021-03 2>/dev/null)"
has "我县《海丰县“海纳英才”人才计划》及《海丰县新引进人才补贴申领实施办法》出台以来" "$early" "出台"
lacks "$policy" "$early"
# The 社保卡 target is judged at the year's end (year_end): before it, neither 较好地完成 nor 未达到.
lacks "较好地完成了上级的工作部署" "$early"
lacks "的目标。" "$early"

# 重核: December's stocks at the county, done = eligible → 全部.
done_=$(sum "$ex" pension_recheck_done "^$county" "$dec"); eligible=$(sum "$ex" pension_recheck_eligible "^$county" "$dec")
[ "$done_" -eq "$eligible" ] || fail "the shipped data should have every 重核 done ($done_ of $eligible)"
has "已完成全部退休中人${done_}人老办法待遇重核" "$good" "重核"
# 多缴 and 退费 (flows at the county): refunded = overpaid → 已全部完成退费工作.
over=$(sum "$ex" overpaid_persons "^$county" "$all"); refunded=$(sum "$ex" overpaid_refunded "^$county" "$all")
[ "$over" -eq "$refunded" ] || fail "the shipped data should refund every 多缴 ($refunded of $over)"
has "目前存在多缴的中人有${over}人，已全部完成退费工作，单位缴费退费部分已由单位退回国库。" "$good" "多缴"
# 新办法计发 over 2021年3月至2021年12月 (the seed's form of the span): Σ paid / Σ retirees of March to December, 1 decimal.
span='0[3-9]|1[0-2]'
ret=$(sum "$ex" new_method_retirees "^$county" "$span"); paid=$(sum "$ex" new_method_paid "^$county" "$span")
has "机关事业单位2021年3月至2021年12月的退休中人有${ret}人，已进行新办法待遇计发的有${paid}人，完成率为$(ratio "$paid" "$ret" 100 1)%" "$good" "新办法"
# 人均提升: the weighted average over the towns, Σ增加额 (in 分) / Σ人数, in 元 at 2 and 1 decimals.
ent_n=$(sum "$ex" ent_pension_adjusted "$towns" "$all"); ent_fen=$(sum "$ex" ent_pension_increase "$towns" "$all")
org_n=$(sum "$ex" org_pension_adjusted "$towns" "$all"); org_fen=$(sum "$ex" org_pension_increase "$towns" "$all")
has "参与调整人数达到${ent_n}人，人均提升$(ratio "$ent_fen" "$((ent_n * 100))" 1 2)元" "$good" "人均提升"
has "机关事业养老保险参与调整人数达到${org_n}人，人均提升$(ratio "$org_fen" "$((org_n * 100))" 1 1)元" "$good" "人均提升"
# 社保卡: December's stocks over the towns, 0 decimals.
pens=$(sum "$ex" ent_pensioners "$towns" "$dec"); card=$(sum "$ex" ent_pensioners_sscard "$towns" "$dec")
# The floor target on that 完成比例 (targets.csv, 95 %) is met: card × 100 ≥ target × pens → 较好地完成了上级的工作部署.
sscard_target=$(awk -F, -v c="$county" '$1 == c && $2 == "ent_pensioners_sscard_rate" && $3 == 2021 && $4 == "floor" { print $5 }' \
  "$ex/targets.csv")
[ "$sscard_target" = 95 ] || fail "targets.csv should hold the 95 % floor on the 社保卡 完成比例: '$sscard_target'"
[ $((card * 100)) -ge $((sscard_target * pens)) ] || fail "the shipped data should meet the 社保卡 target ($card of $pens)"
has "共有退休人员${pens}人，已完成社保卡发放的人数${card}人，完成比例$(ratio "$card" "$pens" 100 0)%，较好地完成了上级的工作部署。" "$good" "社保卡"
# 海丰县（不含深汕）: the towns without 小漠 鹅埠 赤石 鮜门 (441521102000-441521105000).
org=$(awk -F, 'FNR > 1 && $2 == "2021-12" && $3 == "org_pensioners" && $1 !~ /^44152110[2-5]/ { s += $4 } END { print s }' "$ex/observations.csv")
has "按时足额支付全县${org}名机关事业单位养老保险离退休人员" "$good" "机关事业单位养老保险离退休人员"
# 按时足额: no pension paid late or short in any town (zero targets for the county; the 机关事业单位 sentence, 不含深汕,
# reads the scope's count).
[ "$(sum "$ex" ent_pension_late "$towns" "$all")" -eq 0 ] && [ "$(sum "$ex" org_pension_late "$towns" "$all")" -eq 0 ] ||
  fail "the shipped data should pay every pension on time and in full"
has "（二）待遇按时足额发放" "$good"
has "按时足额支付全县${pens}名企业养老保险离退休人员" "$good" "企业养老保险离退休人员"
lacks "逾期或未足额" "$good"
# 居民养老: the age is a parameter set once, in 2020-01, at the county.
age=$(awk -F, 'FNR > 1 && $3 == "resident_pension_age" { print $4 }' "$ex/observations.csv")
[ "$(wc -l <<<"$age")" -eq 1 ] || fail "resident_pension_age should be set once: $age"
[ "$(awk -F, 'FNR > 1 && $3 == "resident_pension_age" { print $2 }' "$ex/observations.csv")" = 2020-01 ] ||
  fail "resident_pension_age should be set in 2020-01"
has "全县${age}岁以上领取城乡居民养老保险待遇$(sum "$ex" resident_pension_recipients "$towns" "$dec")人" "$good" "岁以上"
# 好差评: Σ good / Σ reviews, 2 decimals.
rev=$(sum "$ex" service_reviews "^$county" "$all"); goodrev=$(sum "$ex" service_reviews_good "^$county" "$all")
has "共收到群众评价${rev}条，好评率为$(ratio "$goodrev" "$rev" 100 2)%" "$good" "好评率"
# 岗位聘用 = 管理 + 专技 + 工勤, 仲裁 处理 = 案外调解 + 立案, 调解率 = 调解结案 / 处理.
m=$(sum "$ex" post_appointments_management "^$county" "$all"); p=$(sum "$ex" post_appointments_professional "^$county" "$all")
s=$(sum "$ex" post_appointments_support "^$county" "$all")
has "办理岗位聘用人数共$((m + p + s))人。按岗位种类区分：聘用管理岗位${m}人；聘用专业技术岗位${p}人；聘用工勤岗位${s}人" "$good" "岗位聘用"
outside=$(sum "$ex" arbitration_mediated_outside "^$county" "$all"); filed=$(sum "$ex" arbitration_filed "^$county" "$all")
mediated=$(sum "$ex" arbitration_mediated "^$county" "$all")
has "处理劳动人事争议案件$((outside + filed))宗，案外调解${outside}宗，受理立案案件${filed}宗" "$good" "劳动人事争议"
has "调解率$(ratio "$mediated" "$((outside + filed))" 100 0)%" "$good" "调解率"
# Every 信访 item closed on time (办结率 100 %) and no incident: both 及时 sentences, then 和谐稳定 and 未发生.
has "我局均及时接收、处置，并在规定时间内办结、回复。用人单位欠薪等问题都及时得到处置，并积极做好日常投诉处理工作，及时化解了劳资纠纷，保障了我县劳动领域和谐稳定，未发生重大群体性事件。" "$good" "群体性事件"
echo "good year: 建档立卡 ${placed}+${served}/${poor}, 见习 ${batches}批, 重核 ${done_}/${eligible}, 新办法 ${paid}/${ret}, 人均提升 $(ratio "$ent_fen" "$((ent_n * 100))" 1 2)元, 社保卡 ${card}/${pens}, 好评率 $(ratio "$goodrev" "$rev" 100 2)%"

# A bad year: 3 of the 中人 not yet rechecked at the end of December, one 多缴 not refunded in November, one
# 信访 item of June not closed on time, an incident in 海城镇 in May against the zero target, and pensions paid
# late or short: 企业 2 人次 in 海城镇 in March; 机关事业单位 1 in 海城镇 in August and 1 in 小漠镇 (深汕, outside the
# scope) in September, so 1 for 海丰县（不含深汕）; in December 海城镇's 社保卡 400 fewer (below the 95 % target), its
# 建档立卡毕业生 placed 2 fewer and served 1 fewer, and two 见习 batches at the county instead of one.
cp -r "$ex" "$tmp/bad"
awk -F, -v c="$county" 'BEGIN { OFS = "," }
  $1 == c && $2 == "2021-12" && $3 == "pension_recheck_done" { $4 -= 3 }
  $1 == c && $2 == "2021-11" && $3 == "overpaid_refunded" { $4 -= 1 }
  $1 == c && $2 == "2021-06" && $3 == "petitions_closed_on_time" { $4 -= 1 }
  $1 == "441521115000" && $2 == "2021-05" && $3 == "major_mass_incidents" { $4 = 1 }
  $1 == "441521115000" && $2 == "2021-03" && $3 == "ent_pension_late" { $4 = 2 }
  $1 == "441521115000" && $2 == "2021-08" && $3 == "org_pension_late" { $4 = 1 }
  $1 == "441521102000" && $2 == "2021-09" && $3 == "org_pension_late" { $4 = 1 }
  $1 == "441521115000" && $2 == "2021-12" && $3 == "ent_pensioners_sscard" { $4 -= 400 }
  $1 == "441521115000" && $2 == "2021-12" && $3 == "poor_grads_placed" { $4 -= 2 }
  $1 == "441521115000" && $2 == "2021-12" && $3 == "poor_grads_served" { $4 -= 1 }
  $1 == c && $2 == "2021-12" && $3 == "internship_batches" { $4 = 2 }
  { print }' "$ex/observations.csv" > "$tmp/bad/observations.csv"
bad="$(report "$tmp/bad")" || fail "the bad year must render with --strict"
has "应重核退休中人${eligible}人，已完成$((eligible - 3))人老办法待遇重核，完成率$(ratio $((eligible - 3)) "$eligible" 100 1)%" "$bad" "重核"
lacks "已完成全部" "$bad"
has "目前存在多缴的中人有${over}人，已完成退费$((refunded - 1))人" "$bad" "多缴"
lacks "已全部完成退费" "$bad"
lacks "退回国库" "$bad"
has "其中建档立卡毕业生${poor}人，$(ratio $((placed - 2)) "$poor" 100 1)%实现就业或升学，$(ratio $((served - 1)) "$poor" 100 1)%落实就业服务；" "$bad" "建档立卡"
has "认定了$((batches + 1))批见习单位共${units}家" "$bad" "见习单位"
# 社保卡: (card − 400) × 100 < 95 × pens, the target not met → its status instead of 较好地完成.
[ $(((card - 400) * 100)) -lt $((sscard_target * pens)) ] || fail "the bad year should miss the 社保卡 target"
has "已完成社保卡发放的人数$((card - 400))人，完成比例$(ratio $((card - 400)) "$pens" 100 0)%，未达到${sscard_target}%的目标。" "$bad" "社保卡"
lacks "较好地完成了上级的工作部署" "$bad"
received=$(( $(sum "$ex" labor_petitions "^$county" "$all") + $(sum "$ex" platform_complaints "^$county" "$all") + $(sum "$ex" arrears_clues "^$county" "$all") ))
closed=$(( $(sum "$ex" petitions_closed_on_time "^$county" "$all") - 1 ))
# A 信访 item late and an incident: no 及时 at all, only the count closed on time and the incident.
has "我局接收、处置后，在规定时间内办结、回复${closed}件（办结率$(ratio "$closed" "$received" 100 1)%）。全县发生1起重大群体性事件。" "$bad" "办结"
lacks "及时" "$bad"
has "全县发生1起重大群体性事件" "$bad" "群体性事件"
lacks "未发生重大群体性事件" "$bad"
lacks "保障了我县劳动领域和谐稳定" "$bad"
ent_paid=$(sum "$ex" ent_pension_paid "$towns" "$all")
has "支付全县${pens}名企业养老保险离退休人员，累计发放养老金$(ratio "$ent_paid" 100 1 2)万元，其中逾期或未足额发放2人次。" "$bad" "企业养老保险离退休人员"
has "支付全县${org}名机关事业单位养老保险离退休人员，累计发放养老金" "$bad" "机关事业单位养老保险离退休人员"
has "万元（不含深汕），其中逾期或未足额发放1人次。" "$bad" "不含深汕"
has "（二）待遇发放" "$bad"
lacks "按时足额" "$bad"

# The two other combinations, each on the shipped data with one change: a 信访 item late with no incident
# (no 及时; 和谐稳定 and 未发生 from the incidents), and every item on time with an incident in 海城镇 (及时 kept, no 和谐稳定).
mkdir "$tmp/late" "$tmp/incident"
for case_ in late incident; do cp -r "$ex/." "$tmp/$case_"; done
awk -F, -v c="$county" 'BEGIN { OFS = "," } $1 == c && $2 == "2021-06" && $3 == "petitions_closed_on_time" { $4 -= 1 } { print }' \
  "$ex/observations.csv" > "$tmp/late/observations.csv"
awk -F, 'BEGIN { OFS = "," } $1 == "441521115000" && $2 == "2021-05" && $3 == "major_mass_incidents" { $4 = 1 } { print }' \
  "$ex/observations.csv" > "$tmp/incident/observations.csv"
late="$(report "$tmp/late")" || fail "the year with a late 信访 item must render with --strict"
has "我局接收、处置后，在规定时间内办结、回复${closed}件（办结率$(ratio "$closed" "$received" 100 1)%）。我局积极做好日常投诉处理工作，保障了我县劳动领域和谐稳定，全县未发生重大群体性事件。" "$late" "办结"
lacks "及时" "$late"
incident="$(report "$tmp/incident")" || fail "the year with an incident must render with --strict"
has "我局均及时接收、处置，并在规定时间内办结、回复。用人单位欠薪等问题都及时得到处置，并积极做好日常投诉处理工作，但全县发生1起重大群体性事件。" "$incident" "办结"
lacks "劳动领域和谐稳定" "$incident"
lacks "未发生重大群体性事件" "$incident"
echo "bad year: 重核 $((eligible - 3))/${eligible}, 退费 $((refunded - 1))/${over}, 办结 ${closed}/${received}, 发生1起"
