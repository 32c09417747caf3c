#!/usr/bin/env bash
# zhibiao import, --observations BOOK.xlsx, --revise and the revision log, as a user runs them.
set -uo pipefail
z=$1; root=$2; data=$3
ex=$root/examples/county
m=(--regions "$ex/regions.csv" --indicators "$ex/indicators.csv")
w=(--map "$data/map.csv" --under 441521000000)
fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; else echo "ok: $1"; fi; }

"$z" import "$data/haifeng.xlsx" "${m[@]}" "${w[@]}" --out "$tmp/obs.csv"
check "import writes the expected observations" \
  'diff <(head -1 "$tmp/obs.csv"; tail -n +2 "$tmp/obs.csv" | sort) "$data/haifeng_expected.csv"'
"$z" import "$data/bad_cells.xlsx" --sheet unknown_town "${m[@]}" "${w[@]}" >/dev/null 2>"$tmp/err"; rc=$?
check "a bad cell exits 2" '[ $rc -eq 2 ]'
check "and names workbook, sheet and cell" \
  'grep -qF "zhibiao import: load error: $data/bad_cells.xlsx:unknown_town!B6: unknown town '"'"'新城镇'"'"' under 441521000000" "$tmp/err"'
"$z" import "$data/haifeng.xlsx" "${m[@]}" --under 441521000000 >/dev/null 2>"$tmp/err"; rc=$?
check "an unmatched column without MAP.csv exits 2 naming it" '[ $rc -eq 2 ] && grep -qF "!E3: column E" "$tmp/err"'
"$z" import "$data/haifeng.xlsx" "${m[@]}" --under 441521000000 --suggest-map >"$tmp/map.csv"
check "--suggest-map writes a MAP.csv" 'head -1 "$tmp/map.csv" | grep -qx "column,indicator" && grep -qx "城镇新增就业,urban_new_employment" "$tmp/map.csv"'
"$z" import "$data/bomb.xlsx" "${m[@]}" >/dev/null 2>"$tmp/err"; rc=$?
check "a zip bomb is a limit error" '[ $rc -eq 2 ] && grep -q "limit error: .*bomb.xlsx" "$tmp/err"'

"$z" check "${m[@]}" --observations "$data/haifeng.xlsx" "${w[@]}" --format csv >"$tmp/findings.csv"
check "check reports the 合计 that disagrees with its towns" \
  'grep -q "^reconcile,urban_new_employment,441521000000,2021-09,warning,differs,1163,1160," "$tmp/findings.csv"'
"$z" check "${m[@]}" --observations "$data/haifeng.xlsx" --observations "$data/haifeng_corrected.xlsx" "${w[@]}" >/dev/null 2>"$tmp/err"; rc=$?
check "a second value without --revise is an error naming both places" \
  '[ $rc -eq 2 ] && grep -qF "haifeng_corrected.xlsx:2021年9月!C5: (441521101000, 2021-09, urban_new_employment) = 20 was already loaded from $data/haifeng.xlsx:2021年9月!C5" "$tmp/err"'
"$z" check "${m[@]}" --observations "$data/haifeng.xlsx" --revise "$data/haifeng_corrected.xlsx" --revision-log "$tmp/rev.csv" "${w[@]}" \
  --format csv --quiet >"$tmp/findings2.csv" 2>/dev/null
check "after the revision nothing disagrees" '! grep -q "^reconcile" "$tmp/findings2.csv"'
check "the revision log has a header and one row per change" \
  '[ "$(head -1 "$tmp/rev.csv")" = "time,region,period,indicator,old,new,source" ] && [ $(wc -l <"$tmp/rev.csv") -eq 9 ]'
check "each row names old, new and the cell" \
  'grep -qE "^[0-9T:-]+Z,441521101000,2021-09,urban_new_employment,20,25,.*haifeng_corrected.xlsx:2021年9月!C5$" "$tmp/rev.csv" &&
   grep -qE ",441521102000,2021-09,vocational_training,61,,.*!F6$" "$tmp/rev.csv"'
"$z" explain 441521101000 2021-09 urban_new_employment "${m[@]}" --observations "$data/haifeng.xlsx" \
  --revise "$data/haifeng_corrected.xlsx" "${w[@]}" >"$tmp/explain.txt" 2>/dev/null
check "explain shows the value's revision" 'grep -q "= 25 人" "$tmp/explain.txt" && grep -q "revised 2021-09 urban_new_employment: 20 → 25" "$tmp/explain.txt"'
"$z" explain 441521101000 2021-09 urban_new_employment "${m[@]}" --observations "$data/haifeng.xlsx" \
  --revision-log "$tmp/rev.csv" "${w[@]}" >"$tmp/explain2.txt" 2>/dev/null
check "explain shows the revision an earlier run logged (the value here is unrevised)" \
  'grep -q "= 20 人" "$tmp/explain2.txt" && grep -q "revised 2021-09 urban_new_employment: 20 → 25 (.*haifeng_corrected.xlsx:2021年9月!C5" "$tmp/explain2.txt"'
# The same table saved as CSV is an observations file too, through the same mapping (hand-checked cells of wide.csv:
# 梅陇镇 其中：就业困难人员 2, 发放创业担保贷款 0.25 万元), and revises like a workbook.
o=(--observations "$data/wide.csv" "${w[@]}" --period-of-sheet 2021年9月)
"$z" explain 441521101000 2021-09 hard_to_employ_employed "${m[@]}" "${o[@]}" >"$tmp/wide1.txt" 2>"$tmp/err"
"$z" explain 441521101000 2021-09 startup_guarantee_loan_amount "${m[@]}" "${o[@]}" >"$tmp/wide2.txt" 2>>"$tmp/err"
check "--observations WIDE.csv --map loads through the import" 'grep -q "= 2 人" "$tmp/wide1.txt" && grep -q "= 0.25 万元" "$tmp/wide2.txt"'
"$z" explain 441521101000 2021-09 startup_guarantee_loan_amount "${m[@]}" --observations "$data/haifeng.xlsx" "${w[@]}" \
  --revise "$data/wide.csv" --period-of-sheet 2021年9月 >"$tmp/wide3.txt" 2>/dev/null
check "--revise WIDE.csv reads the wide table" '[ $? -eq 0 ] && grep -q "= 0.25 万元" "$tmp/wide3.txt"'
# The example workbook under examples/county/workbook imports as the README shows.
"$z" import "$ex/workbook/haifeng-2021-09.xlsx" "${m[@]}" --map "$ex/workbook/MAP.csv" --under 441521000000 --out "$tmp/ex.csv"
check "the example workbook imports like the test's" 'cmp -s <(tail -n +2 "$tmp/ex.csv" | sort) <(tail -n +2 "$tmp/obs.csv" | sort)'
exit $fail
