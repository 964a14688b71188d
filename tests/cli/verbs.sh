#!/bin/sh
# What a new user hits first: global options before the verb, --format as
# the output on every verb, old spellings kept, and the paper cuts of the
# first version, each with its message.
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH" || exit 1
B=$BOOTLOG
"$B" import --label quiet "$Q/6.1.192-quiet-1.console.grabserial" >/dev/null || fail "import quiet"
"$B" import --label dmesg "$Q/6.1.192-quiet-1.dmesg" >/dev/null || fail "import dmesg"
DB=$BOOTLOG_DB
[ "$BACKEND" = sqlite ] && DB=bootlog.db
unset BOOTLOG_DB

# --db before the verb (git -C, perf -i), after it, and the last one wins.
"$B" --db "$DB" top-initcalls -n 3 >before.txt || fail "bootlog --db F top-initcalls"
"$B" top-initcalls -n 3 --db "$DB" >after.txt || fail "bootlog top-initcalls --db F"
cmp -s before.txt after.txt || fail "--db before and after the verb differ"
check_eq "rows of top-initcalls -n 3" 4 "$(wc -l <before.txt)"
"$B" --db nosuch.db boots --db "$DB" >/dev/null || fail "the verb's --db wins over the global one"
BOOTLOG_DB="$DB" "$B" boots --format csv >/dev/null || fail "BOOTLOG_DB"
DB_SAVED=$DB
[ "$BACKEND" = sqlite ] && DB_SAVED=$SCRATCH/bootlog.db
export BOOTLOG_DB="$DB_SAVED"
expect_error 2 "^bootlog: option '--db' needs a value$" "$B" --db
expect_error 2 "^bootlog: unknown option '--frob'; see 'bootlog --help'$" "$B" --frob boots

# --format is the output format everywhere; the input format has its own
# option, and import's and parse's old --format F still work.
"$B" parse --format json "$Q/6.1.192-quiet-1.dmesg" | head -1 | grep -q '^{"format": "dmesg"' ||
    fail "parse --format json"
"$B" parse --json "$Q/6.1.192-quiet-1.dmesg" | head -1 | grep -q '^{"format": "dmesg"' || fail "parse --json"
"$B" parse --input-format dmesg "$Q/6.1.192-quiet-1.dmesg" | head -1 | grep -q '^format dmesg' ||
    fail "parse --input-format"
"$B" parse --format dmesg "$Q/6.1.192-quiet-1.dmesg" | head -1 | grep -q '^format dmesg' ||
    fail "parse --format dmesg (the old spelling)"
expect_error 2 "^bootlog: --format: 'csv' is not table or json$" "$B" parse --format csv "$Q/6.1.192-quiet-1.dmesg"
printf 'hello\nworld\n' >notes.txt
"$B" import --input-format dmesg --label notes notes.txt >/dev/null || fail "import --input-format dmesg"
expect_error 2 "^bootlog: --input-format: unknown format 'xml'" "$B" import --input-format xml notes.txt

# The paper cuts.
expect_error 1 "^bootlog: .*bootlog.db: no boot 9999$" "$B" cat 9999
expect_error 2 "^bootlog: cat: 'x' is not a boot id \(see 'bootlog boots'\)$" "$B" cat x
expect_error 2 "^bootlog: --stream: 'bogus' is not console, firmware or dmesg$" "$B" cat --stream bogus 1
expect_error 1 "^bootlog: .*bootlog.db: boot 2 has no firmware stream$" "$B" cat --stream firmware 2
expect_error 2 "^bootlog: --us-per-char: -3 is negative \(give 0 or more\)$" "$B" uart --us-per-char -3
expect_error 2 "^bootlog: --us-per-char: 'abc' is not a number$" "$B" uart --us-per-char abc
expect_error 1 "^bootlog: .*bootlog.db: no boots with label 'nosuch' \(see 'bootlog boots'\)$" \
    "$B" boots --label nosuch
expect_error 1 "^bootlog: plot uart: boot 1 has no kernel line that arrived live on its console \(a quiet boot: its records came in a dump\)$" \
    "$B" plot uart --boot 1 -o u.gp
expect_error 1 "^bootlog: plot uart: boot 2 has no host stamps on its console$" "$B" plot uart --boot 2 -o u.gp
expect_error 2 "^bootlog: plot: give -o FILE \(the output: .png, .svg, .pdf, or .gp\)$" "$B" plot timeline
expect_error 2 "^bootlog: plot: unknown kind 'pie'; kinds: top-initcalls, timeline, phases, compare, range, trend, uart, histogram$" \
    "$B" plot pie -o x.gp
# -n 0 means all, on plot as on top-initcalls
"$B" plot top-initcalls --boot 2 -n 0 -o all.gp || fail "plot -n 0"
ranked=$("$B" top-initcalls --boot 2 -n 0 --format csv | tail -n +2 | wc -l)
[ "$ranked" -gt 500 ] || fail "top-initcalls -n 0 ranked only $ranked"
check_eq "bars of plot -n 0" "$ranked" "$(sed -n '/^\$data << EOD/,/^EOD/p' all.gp | sed '1d;$d' | wc -l)"
# read-only verbs leave no -wal or -shm files behind
rm -f "$BOOTLOG_DB-wal" "$BOOTLOG_DB-shm"
for verb in boots top-initcalls phases uart; do
    "$B" "$verb" >/dev/null || fail "$verb"
done
[ ! -e "$BOOTLOG_DB-wal" ] && [ ! -e "$BOOTLOG_DB-shm" ] || fail "read verbs left $(ls "$BOOTLOG_DB"-*)"
finish
