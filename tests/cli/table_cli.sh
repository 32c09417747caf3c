#!/usr/bin/env bash
# `zhibiao table` as a user runs it: the CSV on the hand-worked data (tests/data/report; the numbers are worked
# out in tests/unit/test_table.cpp), one file per county with --out-dir, a workbook per city with --level,
# and the usage and input errors (exit 2 with a message naming what is wrong).
# usage: table_cli.sh ZHIBIAO SOURCE_DIR WORK_DIR
set -uo pipefail
z="$1"; root="$2"; work="$3"
d="$root/tests/data/report"; county="$root/examples/county"
rm -rf "$work"; mkdir -p "$work"
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"
m=(--regions "$d/regions.csv" --indicators "$d/indicators.csv" --observations "$d/observations.csv" --scopes "$d/scopes.csv"
   --targets "$d/targets.csv" --quiet)

expect help 0 "usage: zhibiao table" -- "$z" table --help
expect csv_total 0 "^X,全县合计,85,145,800,18.1,75.0,慢于序时进度,2/3,$" -- \
  "$z" table "${m[@]}" --region X --period 2021-09 --indicators-only jobs --out /dev/stdout --format csv
expect csv_missing_town 0 "^x3,甲三镇,,10,30,33.3,,年末考核,0/1,9月未报送$" -- \
  "$z" table "${m[@]}" --region X --period 2021年1-9月 --indicators-only jobs --out /dev/stdout --format csv
expect csv_by_extension 0 "" -- "$z" table "${m[@]}" --region X --period 2021-09 --out "$work/x.csv"
expect csv_by_extension_text 0 "^代码,名称,城镇新增就业（人）" -- head -n 1 "$work/x.csv"
expect out_dir 0 "" -- "$z" table "${m[@]}" --region C --level county --period 2021-09 --out-dir "$work/counties"
expect out_dir_files 0 "^X.xlsx Y.xlsx$" -- bash -c "cd '$work/counties' && echo *"
expect level_workbook 0 "" -- "$z" table "${m[@]}" --region C --level county --period 2021-09 --out "$work/c.xlsx"
expect subject 0 "甲县2021年1-9月人社工作主要指标完成情况表" -- bash -c \
  "'$z' table ${m[*]} --region X --period 2021-09 --subject 人社工作 --out '$work/s.xlsx' && python3 -c 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(\"xl/worksheets/sheet1.xml\").decode())' '$work/s.xlsx'"

expect no_out 2 "missing --out" -- "$z" table "${m[@]}" --region X --period 2021-09
expect both_outs 2 "exclude each other" -- "$z" table "${m[@]}" --region X --period 2021-09 --out a.xlsx --out-dir b
expect bad_format 2 "unknown format 'pdf'" -- "$z" table "${m[@]}" --region X --period 2021-09 --out a.pdf --format pdf
expect quarter 2 "invalid_argument error: a 报表 is for a month" -- "$z" table "${m[@]}" --region X --period 2021Q3 --out "$work/q.xlsx"
expect unknown_region 2 "not_found error: .*nowhere" -- "$z" table "${m[@]}" --region nowhere --period 2021-09 --out "$work/n.xlsx"
expect unknown_indicator 2 "not_found error: .*nope" -- \
  "$z" table "${m[@]}" --region X --period 2021-09 --indicators-only jobs,nope --out "$work/n.xlsx"
expect unknown_level 2 "unknown level 'hamlet'" -- "$z" table "${m[@]}" --region C --level hamlet --period 2021-09 --out "$work/n.xlsx"
expect no_such_level_below 2 "no region of level village" -- \
  "$z" table "${m[@]}" --region C --level village --period 2021-09 --out "$work/n.xlsx"
expect unwritable 2 "io error: cannot" -- "$z" table "${m[@]}" --region X --period 2021-09 --out /nonexistent-dir/x.xlsx
expect county_example 0 "" -- "$z" table --regions "$county/regions.csv" --indicators "$county/indicators.csv" \
  --observations "$county/observations.csv" --scopes "$county/scopes.csv" --targets "$county/targets.csv" --rules "$county/rules.txt" \
  --quiet --region 441521000000 --period 2021-07 --out "$work/haifeng.xlsx"

expect_summary
