#!/usr/bin/env bash
# `zhibiao chart` and `zhibiao report --format html` as a user runs them, on the hand-worked data set
# tests/data/report (甲县 X: jobs 1-9月 145 against a floor of 800 = 18.1%, 序时进度 9/12 = 75.0%; its towns
# x1 90/120 = 75.0%, x2 45/50 = 90.0%, x3 10/30 = 33.3%; the rate 2.80% in September, no earlier month), and
# the usage and input errors (exit 2 with a message naming what is wrong).
# usage: chart_cli.sh ZHIBIAO SOURCE_DIR WORK_DIR
set -uo pipefail
z="$1"; root="$2"; work="$3"
d="$root/tests/data/report"
rm -rf "$work"; mkdir -p "$work"
source "$(dirname "${BASH_SOURCE[0]}")/expect.sh"
printf '{region}{period}新增就业{jobs}人。\n' > "$work/r.tmpl"
m=(--regions "$d/regions.csv" --indicators "$d/indicators.csv" --observations "$d/observations.csv" --scopes "$d/scopes.csv"
   --targets "$d/targets.csv" --quiet)

expect help 0 "usage: zhibiao chart KIND" -- "$z" chart --help
expect progress 0 "完成目标800人的18.1%，序时进度75.0%，慢于序时进度" -- "$z" chart progress "${m[@]}" --region X --period 2021-09 --indicator jobs
expect progress_file 0 "" -- "$z" chart progress "${m[@]}" --region X --period 2021年1-9月 --indicator jobs --out "$work/p.svg"
expect progress_svg 0 "^<svg xmlns=\"http://www.w3.org/2000/svg\"" -- head -n 1 "$work/p.svg"
expect cap_gaps 0 "data-month=\"8\" x=[^>]*>无数据" -- "$z" chart cap "${m[@]}" --region X --period 2021-09 --indicator rate
expect cap_value 0 "data-month=\"9\" data-value=\"2.80\"" -- "$z" chart cap "${m[@]}" --region X --period 2021-09 --indicator rate
expect peers_first 0 "class=\"bar\" data-region=\"x2\" data-rank=\"1\" data-value=\"90.0\"" -- \
  "$z" chart peers "${m[@]}" --region X --period 2021-09 --indicator jobs
expect peers_third 0 "data-region=\"x3\" data-rank=\"3\" data-value=\"33.3\"" -- \
  "$z" chart peers "${m[@]}" --region X --period 2021-09 --indicator jobs
expect peers_sibling 0 "class=\"bar highlight\" data-region=\"x1\" data-rank=\"2\"" -- \
  "$z" chart peers "${m[@]}" --region x1 --period 2021-09 --indicator jobs
expect yoy_scope 0 "<svg" -- "$z" chart yoy "${m[@]}" --region x_ex3 --period 2021-09 --indicator jobs
expect html 0 "" -- "$z" report "${m[@]}" --template "$work/r.tmpl" --region X --period 2021年1-9月 --format html --out "$work/x.html"
expect html_page 0 "<figure class=\"chart\" data-kind=\"peers\">" -- cat "$work/x.html"
expect html_text 0 "<p>甲县2021年1-9月新增就业145人。</p>" -- cat "$work/x.html"

expect unknown_kind 2 "unknown chart 'pie'" -- "$z" chart pie "${m[@]}" --region X --period 2021-09 --indicator jobs
expect no_kind 2 "usage: zhibiao chart KIND" -- "$z" chart "${m[@]}" --region X --period 2021-09 --indicator jobs
expect no_target 2 "not_found error: no cap target for X" -- "$z" chart cap "${m[@]}" --region X --period 2021-09 --indicator jobs
expect no_indicator 2 "missing --indicator" -- "$z" chart progress "${m[@]}" --region X --period 2021-09
expect bad_format 2 "unknown format 'pdf'" -- "$z" report "${m[@]}" --template "$work/r.tmpl" --region X --period 2021 --format pdf

expect_summary
