# The CLI tests' one assertion, sourced by each script: `expect NAME STATUS PATTERN -- command...` runs the
# command and passes when it exits with STATUS and its output (stdout and stderr) matches the extended regex
# PATTERN; `expect_summary` prints the counts and fails the script when any check failed.
pass=0; fail=0
expect() {
  local name="$1" want="$2" pattern="$3"; shift 4
  local out status
  out="$("$@" 2>&1)"; status=$?
  if [ "$status" -eq "$want" ] && grep -qE -- "$pattern" <<<"$out"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL $name: status $status (want $want), pattern '$pattern' in:"; echo "$out" | head -n 8
  fi
}
expect_summary() {
  echo "${1:+$1: }$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
