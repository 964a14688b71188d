#!/bin/sh
# Incomplete boots (timed out, ended by a signal, an initcall never
# returned) are marked by boots and left out of statistics, said on stderr,
# unless --include-incomplete; a boot asked for by id is kept; when nothing
# else is selected they are counted and said to be. compare with one boot on
# a side prints means and says it cannot test.
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH" || exit 1
B=$BOOTLOG
HUNG="$(dirname "$0")/../parsers/dmesg/initcalls.log"
"$B" import --label mix "$Q/6.1.192-quiet-1.dmesg" >/dev/null || fail "import quiet-1"
"$B" import --label mix "$HUNG" >/dev/null || fail "import hung"
"$B" import --label mix "$Q/6.1.192-quiet-2.dmesg" >/dev/null || fail "import quiet-2"
check_eq "boots marks it" ",an initcall never returned," \
    "$("$B" boots --format csv | awk -F, 'NR > 1 { print $NF }' | paste -sd, -)"

"$B" phases --label mix --format csv >phases.csv 2>err || fail "phases: $(cat err)"
check_eq "left out, said" "bootlog: left out 1 incomplete boot (2: an initcall never returned); --include-incomplete counts them" \
    "$(cat err)"
check_eq "two boots counted" 2 "$(awk -F, '$1 == "kernel:early" { print $2 }' phases.csv)"
"$B" phases --label mix --include-incomplete --format csv >all.csv 2>err || fail "phases --include-incomplete"
check_eq "nothing said with --include-incomplete" "" "$(cat err)"
check_eq "three boots counted" 3 "$(awk -F, '$1 == "kernel:early" { print $2 }' all.csv)"
check_eq "header says left out" 1 "$("$B" phases --label mix 2>/dev/null | head -1 | grep -c '; 1 incomplete boot left out$')"
check_eq "header says counted" 1 \
    "$("$B" phases --label mix --include-incomplete | head -1 | grep -c '; 1 incomplete boot counted$')"
"$B" top-initcalls --boot 2 >/dev/null 2>err || fail "top-initcalls --boot 2"
check_eq "asked for by id: kept, nothing said" "" "$(cat err)"

"$B" import --label hung-only "$HUNG" --db only.db >/dev/null 2>&1 || true
"$B" top-initcalls --db only.db >/dev/null 2>err || fail "top-initcalls on only incomplete boots"
check_eq "only incomplete: counted, said" \
    "bootlog: the 1 boot selected is incomplete (1: an initcall never returned): counted, there being no others" \
    "$(cat err)"

"$B" compare @1 @3 --format csv >cmp.csv 2>err || fail "compare @1 @3"
check_eq "one boot a side: said" \
    "bootlog: compare: @1 has 1 boot: one boot has no spread to test against, so the rows are means only (verdict untested)" \
    "$(cat err)"
check_eq "untested, no p" ",untested" "$(awk -F, 'NR == 2 { print $(NF-3) "," $(NF-2) }' cmp.csv)"
finish
