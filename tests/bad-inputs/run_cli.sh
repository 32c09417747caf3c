#!/usr/bin/env bash
# The bad-input catalogue through the zhibiao command: every file of manifest.csv must make the command
# exit with status 2 and print "<errc> error: …<fragment>…" on stderr — no crash, no hang (a timeout per
# case), bounded memory (ulimit -v 2 GB, except in the sanitizer build whose shadow memory needs more
# address space) — and the command then still rolls up the good small data (A 2021-02 new_jobs = 20).
#   run_cli.sh ZHIBIAO CATALOGUE_DIR GENERATED_DIR SMALL_DIR [sanitized: ON|OFF] [SECONDS_PER_CASE]
set -u
z="$1"; dir="$2"; gen="$3"; small="$4"; sanitized="${5:-OFF}"; budget="${6:-120}"
m_small=(--regions "$small/regions.csv" --indicators "$small/indicators.csv" --observations "$small/observations.csv" --quiet)
cases=0; failed=0
limited() {  # runs a command under the memory limit and the time budget
  if [ "$sanitized" = ON ]; then timeout "$budget" "$@"; else (ulimit -v 2097152; exec timeout "$budget" "$@"); fi
}
while IFS= read -r line || [ -n "$line" ]; do
  line="${line%$'\r'}"
  [ -z "$line" ] && continue
  file="${line%%,*}"; rest="${line#*,}"; kind="${rest%%,*}"; rest="${rest#*,}"; errc="${rest%%,*}"; fragment="${rest#*,}"
  [ "$file" = file ] && continue
  cases=$((cases + 1))
  case "$file" in @gen/*) path="$gen/${file#@gen/}" ;; *) path="$dir/$file" ;; esac
  case "$kind" in
    regions) cmd=("$z" regions "$path") ;;
    indicators) cmd=("$z" indicators "$path") ;;
    scopes) cmd=("$z" rollup "${m_small[@]}" --scopes "$path") ;;
    observations) cmd=("$z" rollup --regions "$small/regions.csv" --indicators "$small/indicators.csv" --observations "$path" --quiet) ;;
    reported_at_observations) ra="$small/../reported_at"
      cmd=("$z" rollup --regions "$ra/regions.csv" --indicators "$ra/indicators.csv" --observations "$path" --quiet) ;;
    dates_observations) dd="$small/../dates"
      cmd=("$z" rollup --regions "$dd/regions.csv" --indicators "$dd/indicators.csv" --observations "$path" --quiet) ;;
    workbook) cmd=("$z" rollup --regions "$small/regions.csv" --indicators "$small/indicators.csv" --observations "$path" --quiet) ;;
    targets) cmd=("$z" check "${m_small[@]}" --targets "$path") ;;
    rules) cmd=("$z" check "${m_small[@]}" --rules "$path") ;;
    template) cmd=("$z" report "${m_small[@]}" --template "$path" --region A --period 2021-02) ;;
    *) echo "FAIL $file: unknown kind '$kind'"; failed=$((failed + 1)); continue ;;
  esac
  err="$(limited "${cmd[@]}" 2>&1 >/dev/null)"; status=$?
  problem=""
  if [ "$status" -eq 124 ]; then problem="timed out after $budget s"
  elif [ "$status" -ne 2 ]; then problem="exit status $status (want 2)"
  elif ! grep -qF -- "$errc error: " <<<"$err"; then problem="not a '$errc error'"
  elif ! grep -qF -- "$fragment" <<<"$err"; then problem="message without the fragment"
  fi
  # The command still works on good data.
  if [ -z "$problem" ] && ! limited "$z" rollup "${m_small[@]}" --region A --period 2021-02 | grep -qx 'A,2021-02,new_jobs,20,35,1,2,,'; then
    problem="the good data no longer rolls up"
  fi
  if [ -n "$problem" ]; then
    failed=$((failed + 1))
    echo "FAIL $file ($kind, want $errc '$fragment'): $problem"
    head -c 400 <<<"$err"; echo
  fi
done < "$dir/manifest.csv"
echo "$cases bad inputs through the CLI: $((cases - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$cases" -gt 0 ]
