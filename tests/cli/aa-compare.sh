#!/bin/sh
# An A/A experiment captured interleaved (samples/aa-icount: the same
# deterministic command as two labels, three rounds): compare pairs the runs
# by round, uses the paired t-test, and finds nothing: every whole-boot and
# phase row 'same', no initcall 'slower' or 'faster'. Stored runs of
# deterministic boots: this cannot flake.
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH" || exit 1
for f in "$SAMPLES"/aa-icount/*.bootlog; do
    name=$(basename "$f" .bootlog)
    "$BOOTLOG" import --label "${name%-*}" "$f" >/dev/null || fail "import $f"
done
check_eq "rounds" "A:1,2,3 A2:1,2,3" \
    "$(sql "SELECT label || ':' || group_concat(round, ',') FROM (SELECT label, round FROM boot ORDER BY label, round) t GROUP BY label" | paste -sd' ' -)"
"$BOOTLOG" compare A A2 >out.txt 2>err.txt || fail "compare: $(cat err.txt)"
head -1 out.txt | grep -q "paired t-test (runs paired by round)" || fail "not paired: $(head -1 out.txt)"
check_eq "verdicts" "same" "$(awk 'NR > 2 && $1 != "warning:" { print $(NF-1) }' out.txt | sort -u | paste -sd' ' -)"
"$BOOTLOG" compare A A2 --format csv >out.csv || fail "compare csv"
check_eq "whole boot: no difference" "total,boot,0.0,1.0000,same" \
    "$(awk -F, '$2 == "boot" { print $1 "," $2 "," $5 "," $7 "," $8 }' out.csv)"
finish
