#!/usr/bin/env bash
# Writes the large hostile inputs of the bad-input catalogue into DIR (they are generated at test time,
# never committed): 10^7 duplicate rows, 10^6-byte fields, 10^5-deep hierarchies and part_of chains,
# rules nested 10^5 deep, and files long enough that a quadratic check would hang.
#   generate.sh DIR
set -eu  # no pipefail: `yes | head` ends yes with SIGPIPE
out="$1"
mkdir -p "$out"
cd "$out"
rh='code,name,level,parent'
ih='code,name,unit,kind,decimals,numerator,denominator,factor,part_of'
oh='region,period,indicator,value'
big() { head -c "$1" /dev/zero | tr '\0' "$2"; }

# 10^7 rows, every one the same observation (about 220 MB).
{ echo "$oh"; yes 'a1,2021-01,new_jobs,1' | head -n 10000000; } > observations_dup_1e7.csv
# 10^6-byte fields: a region name, an observation value, a quoted indicator name.
{ echo "$rh"; echo "C1,$(big 1000000 x),city,"; } > regions_long_field.csv
{ echo "$oh"; echo "a1,2021-01,new_jobs,$(big 1000000 7)"; } > observations_long_field.csv
{ echo "$ih"; echo "new_jobs,\"$(big 1000000 y)\",人,flow,0,,,,"; } > indicators_long_quoted_field.csv
# A hierarchy 10^5 regions deep (each the parent of the next, all towns), and the same closed into a cycle.
awk -v h="$rh" 'BEGIN { print h; print "r0,镇,town,"; for (i = 1; i < 100000; i++) printf "r%d,镇,town,r%d\n", i, i - 1 }' > regions_deep_chain.csv
awk -v h="$rh" 'BEGIN { print h; print "r0,镇,town,r99999"; for (i = 1; i < 100000; i++) printf "r%d,镇,town,r%d\n", i, i - 1 }' > regions_deep_cycle.csv
# 10^4 regions, each starting in another month: about 3 600 validity runs × 10^4 regions of trees.
awk 'BEGIN { print "code,name,level,parent,valid_from,valid_to";
             for (i = 0; i < 10000; i++) { m = i % 3612; printf "r%d,镇,town,,%d-%02d,\n", i, 1900 + int(m / 12), m % 12 + 1 } }' > regions_validity_runs.csv
# part_of chains 10^5 long, ending in a loop.
awk -v h="$ih" 'BEGIN { print h; print "i0,指标,人,flow,0,,,,i99999"; for (i = 1; i < 100000; i++) printf "i%d,指标,人,flow,0,,,,i%d\n", i, i - 1 }' > indicators_part_of_chain.csv
# A legitimate part_of chain 10^5 long (each indicator part of the previous), then a ratio that is refused
# only after every chain has been followed.
awk -v h="$ih" 'BEGIN { print h; print "i0,指标,人,flow,0,,,,"; for (i = 1; i < 100000; i++) printf "i%d,指标,人,flow,0,,,,i%d\n", i, i - 1;
                        print "y,人数,人,flow,9,,,,"; print "r,比率,1,ratio,9,i0,y,1000000000," }' > indicators_long_part_of_chain_then_bad_factor.csv
# Rules nested 10^5 deep: parentheses, unary minus, function calls; and an operator chain 10^5 long.
{ printf 'deep | error | '; big 100000 '('; printf 'new_jobs'; big 100000 ')'; printf ' >= 0\n'; } > rules_nested_1e5.txt
{ printf 'neg | error | '; big 100000 '-'; printf 'new_jobs >= 0\n'; } > rules_unary_1e5.txt
{ printf 'fn | error | '; for i in $(seq 1 2000); do printf 'ytd('; done; printf 'new_jobs'; big 2000 ')'; printf ' >= 0\n'; } > rules_calls_2000.txt
{ printf 'chain | error | new_jobs'; yes ' + 1' | head -n 100000 | tr -d '\n'; printf ' >= 0\n'; } > rules_chain_1e5.txt
# 10^5 rules, then a duplicate name; 10^5 scopes, then a duplicate code; ~86 000 targets, then a duplicate.
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "r%d | info | new_jobs >= 0\n", i; print "r0 | info | insured >= 0" }' > rules_many_then_duplicate.txt
awk 'BEGIN { print "code,name,include,exclude"; for (i = 0; i < 100000; i++) printf "s%d,范围,a1,\n", i; print "s0,范围,a2," }' > scopes_many_then_duplicate.csv
awk 'BEGIN { print "region,indicator,period,kind,value"; split("C1 A B a1 a2 b1", r, " "); split("new_jobs loan_amount insured employed", k, " ");
             for (y = 1900; y <= 2200; y++) for (m = 1; m <= 12; m++) for (i = 1; i <= 6; i++) for (j = 1; j <= 4; j++)
               printf "%s,%s,%d-%02d,floor,1\n", r[i], k[j], y, m;
             print "C1,new_jobs,1900-01,floor,2" }' > targets_many_then_duplicate.csv
# A template with 10^5 placeholders that have no value (each a warning with its position), then an
# unterminated one.
{ yes '贷款{loan_amount}万元' | head -n 100000; printf '结尾{new_jobs'; } > template_many_missing.tmpl
echo "generated $(ls | wc -l) files in $out"
