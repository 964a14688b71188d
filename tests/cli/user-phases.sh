#!/bin/sh
# Phases of the user's: a name of a built-in phase is refused, an ambiguous
# START..END split is refused with the way out, a bad regex is reported with
# PCRE2's message and offset, a phase some boots lack is said, and compare
# takes --phase too.
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH" || exit 1
B=$BOOTLOG
V="$Q/6.1.192-smp4-verbose"
for i in 1 2; do
    "$B" import --label smp4 "$V-$i.console.grabserial" >/dev/null || fail "import $i"
done
expect_error 2 "^bootlog: --phase: phase userspace is a built-in phase's name: choose another$" \
    "$B" phases --phase 'userspace=a..b'
expect_error 2 "^bootlog: --phase: 'smp=CPUs \.\.\.Brought' is ambiguous: write literal dots as \\\\\. so that one '\.\.' splits START from END$" \
    "$B" phases --phase 'smp=CPUs ...Brought'
expect_error 2 "^bootlog: --phase: phase x: start regex 'a\(': missing closing parenthesis at offset 2$" \
    "$B" phases --phase 'x=a(..b'
"$B" phases --label smp4 --format csv --phase 'smp=Bringing up secondary CPUs \.\.\...Brought up' \
    --phase 'never=^no such line..x' >out.csv 2>err || fail "phases"
check_eq "literal dots" 2 "$(awk -F, '$1 == "smp" { print $2 }' out.csv)"
check_eq "the same as kernel:smp" "$(awk -F, '$1 == "kernel:smp" { print $3 }' out.csv)" "$(awk -F, '$1 == "smp" { print $3 }' out.csv)"
check_eq "never matched, said" "bootlog: phase never matched in 0 of 2 boots" "$(cat err)"
"$B" import --label one "$Q/6.1.192-verbose-1.console.grabserial" >/dev/null || fail "import one"
"$B" compare one smp4 --all --format csv --phase 'smp=Bringing up secondary CPUs \.\.\...Brought up' >cmp.csv 2>/dev/null ||
    fail "compare --phase"
check_eq "compare has the phase" 1 "$(grep -c '^phase,smp,' cmp.csv)"
"$B" plot range --label smp4 --phase 'smp=Bringing up secondary CPUs \.\.\...Brought up' --phase smp -o range.gp ||
    fail "plot --phase N=S..E"
grep -q "smp" range.gp || fail "the chart lacks the phase"
"$B" report --label one --label smp4 -o rep --phase 'smp=Bringing up secondary CPUs \.\.\...Brought up' >/dev/null ||
    fail "report --phase"
grep -q '^| smp ' rep/report.md || fail "the report lacks the phase"
# a quiet boot printed those lines only in its dmesg dump: found there
"$B" import --label quiet "$Q/6.1.192-quiet-1.console.grabserial" >/dev/null || fail "import quiet"
check_eq "found in a dump" 1 "$("$B" phases --label quiet --format csv --phase 'smp=^smp: Bringing up..^smp: Brought up' |
    awk -F, '$1 == "smp" { print $2 }')"
finish
