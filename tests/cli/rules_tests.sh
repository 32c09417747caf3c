#!/usr/bin/env bash
# `zhibiao test` as a bureau runs it: the example cases pass (exit 0), a deliberately wrong expectation
# fails with a readable diff (exit 1), --junit writes JUnit XML, and a malformed case file is bad input
# (exit 2) naming file, line and column.
set -uo pipefail
z="$1"; root="$2"
county="$root/examples/county"; failing="$root/tests/data/rules-tests-failing"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
has() {  # has NAME FILE PATTERN (grep -E, fixed line)
  if grep -qE -- "$3" "$2"; then ok; else bad "$1: no line matching '$3' in:"; head -n 20 "$2"; fi
}

# The examples: every case passes.
"$z" test --model "$county" --cases "$county/rules-tests" --junit "$tmp/ok.xml" >"$tmp/ok.out" 2>"$tmp/ok.err"
st=$?; [ "$st" -eq 0 ] && ok || { bad "examples: exit $st"; cat "$tmp/ok.out" "$tmp/ok.err"; }
n=$(grep -c '^PASS ' "$tmp/ok.out")
[ "$n" -ge 12 ] && ok || bad "examples: only $n PASS lines"
[ "$(tail -n 1 "$tmp/ok.out")" = "$n passed, 0 failed" ] && ok || bad "examples: closing line '$(tail -n 1 "$tmp/ok.out")'"
has junit_ok "$tmp/ok.xml" "<testsuite name=\"rules-tests\" tests=\"$n\" failures=\"0\""
[ "$(grep -c '<testcase ' "$tmp/ok.xml")" -eq "$n" ] && ok || bad "junit_ok: testcase count"

# A deliberately wrong expectation: exit 1, the diff, the closing line.
"$z" test --model "$county" --cases "$failing" --junit "$tmp/fail.xml" >"$tmp/fail.out" 2>"$tmp/fail.err"
st=$?; [ "$st" -eq 1 ] && ok || { bad "failing: exit $st (want 1)"; cat "$tmp/fail.out" "$tmp/fail.err"; }
has fail_line "$tmp/fail.out" '^FAIL wrong-status$'
has fail_expected "$tmp/fail.out" '^    - expected: target,441521000000,2021-01\.\.2021-06,ahead,urban_new_employment \(expected\.csv:2\)$'
has fail_actual "$tmp/fail.out" '^      actual findings: target,441521000000,2021-01\.\.2021-06,behind,urban_new_employment,1200,3600 \[warning\]$'
has fail_unexpected "$tmp/fail.out" '^    \+ unexpected: target,441521000000,2021-01\.\.2021-06,behind,urban_new_employment,1200,3600 \[warning\] 海丰县 2021年1-6月'
[ "$(tail -n 1 "$tmp/fail.out")" = "0 passed, 1 failed" ] && ok || bad "failing: closing line '$(tail -n 1 "$tmp/fail.out")'"
has junit_fail_counts "$tmp/fail.xml" 'tests="1" failures="1"'
has junit_fail_message "$tmp/fail.xml" '<failure message="- expected: target,441521000000,2021-01\.\.2021-06,ahead,urban_new_employment \(expected\.csv:2\)&#10;  actual findings: '
if command -v python3 >/dev/null; then
  for x in ok fail; do
    python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$tmp/$x.xml" && ok || bad "junit_$x: not well-formed XML"
  done
fi

# Bad input: exit 2 and file:line:column on stderr.
mkdir -p "$tmp/cases/c"
printf 'region,period,indicator,value\n441521101000,2021-06,urban_new_employment,1\n' >"$tmp/cases/c/values.csv"
printf 'check,region,period,status\ntarget,441521000000,2021-13,behind\n' >"$tmp/cases/c/expected.csv"
"$z" test --model "$county" --cases "$tmp/cases" >"$tmp/bad.out" 2>"$tmp/bad.err"
st=$?; [ "$st" -eq 2 ] && ok || bad "bad_period: exit $st (want 2)"
has bad_period "$tmp/bad.err" "c/expected\.csv:2:3 \(period\): '2021-13': month 13 is outside 1\.\.12"
printf 'check,region,period,status\n' >"$tmp/cases/c/expected.csv"
printf 'description: x\nonly_listed: maybe\n' >"$tmp/cases/c/case.txt"
"$z" test --model "$county" --cases "$tmp/cases" >"$tmp/bad.out" 2>"$tmp/bad.err"
st=$?; [ "$st" -eq 2 ] && ok || bad "bad_case_txt: exit $st (want 2)"
has bad_case_txt "$tmp/bad.err" "c/case\.txt:2:14: only_listed must be yes or no, not 'maybe'"
"$z" test --model "$county" >"$tmp/bad.out" 2>"$tmp/bad.err"
st=$?; [ "$st" -eq 2 ] && ok || bad "no_cases: exit $st (want 2)"
"$z" test --help >"$tmp/help.out" 2>&1 && ok || bad "help: exit $?"
has help "$tmp/help.out" '^usage: zhibiao test --model DIR --cases DIR \[--junit FILE\]$'

echo "rules_tests: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
