#!/bin/sh
# Bad input: a one-line error naming the file (and line), a non-zero exit,
# and a database exactly as it was, for every kind of bad input.
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH" || exit 1
B=$BOOTLOG

# Nothing imported yet: a failing import must not even create the database.
: >empty.log
expect_error 1 '^bootlog: empty.log: file is empty$' "$B" import empty.log
check_eq "database after failed first import" absent "$(db_state "$BOOTLOG_DB")"

# Now with a database holding one boot.
"$B" import --label good "$Q/6.1.192-quiet-1.dmesg" >/dev/null || fail "import good"

head -c 8192 /dev/urandom >junk.bin
printf 'hello\nthis is a shopping list\nmilk\n' >notes.txt
mkdir -p adir
expect_error 1 '^bootlog: empty.log: file is empty$' "$B" import empty.log
expect_error 1 '^bootlog: junk.bin:1: binary data, not a boot log$' "$B" import junk.bin
expect_error 1 '^bootlog: missing.log: No such file or directory$' "$B" import missing.log
expect_error 1 '^bootlog: adir: is a directory$' "$B" import adir
expect_error 1 '^bootlog: notes.txt:3: not a boot log: no kernel or firmware record in its 3 lines \(looked for printk timestamps, initcall records, .*anywhere in a line\); use --input-format' "$B" import notes.txt
expect_error 1 '^bootlog: notes.txt:3: not a boot log: no kernel or firmware record in its 3 lines' "$B" parse notes.txt
check_eq "boots after refused notes.txt" 1 "$(sql 'SELECT count(*) FROM boot')"
expect_error 1 '^bootlog: <stdin>: file is empty$' "$B" import - </dev/null
expect_error 1 '^bootlog: missing.log: No such file or directory$' \
    "$B" import "$Q/6.1.192-quiet-2.console.grabserial" --dmesg missing.log
expect_error 2 "^bootlog: --format: unknown format 'syslog'" "$B" import --format syslog notes.txt
expect_error 2 "^bootlog: 'imprt' is not a bootlog verb; did you mean 'import'\?$" "$B" imprt x
expect_error 2 "^bootlog: 'frobnicate' is not a bootlog verb; see 'bootlog --help'$" "$B" frobnicate
expect_error 2 "^bootlog: top-initcalls: unknown option '--frobnicate'; see 'bootlog top-initcalls --help'$" \
    "$B" top-initcalls --frobnicate
expect_error 2 "^bootlog: boots: unknown option '-x'; see 'bootlog boots --help'$" "$B" boots -x
expect_error 2 "^bootlog: import: option '--label' needs a value$" "$B" import --label
expect_error 2 "^bootlog: boots: unknown option '--lable'; see" "$B" boots --lable=x
expect_error 2 "^bootlog: --format: 'xml' is not table, csv or json$" "$B" boots --format xml
expect_error 2 "^bootlog: -n: 'many' is not a count$" "$B" top-initcalls -n many
expect_error 2 "^bootlog: --boot: 'x' is not a boot id" "$B" top-initcalls --boot x
expect_error 1 "^bootlog: .*bootlog.db: no boot 99$" "$B" top-initcalls --boot 99
expect_error 1 "^bootlog: .*bootlog.db: no boots with label 'nope'" "$B" top-initcalls --label nope
expect_error 2 "^bootlog: import: --firmware, --dmesg and --userspace belong to one boot" \
    "$B" import --dmesg x a b

# A bad file among good ones: the others are imported, the status says 1.
"$B" import --label mixed "$Q/6.1.192-quiet-2.dmesg" junk.bin "$Q/6.1.192-quiet-3.dmesg" \
    >out.txt 2>err.txt
check_eq "status of a mixed import" 1 $?
check_eq "boots after a mixed import" 3 "$(sql 'SELECT count(*) FROM boot')"
check_eq "mixed import errors" "bootlog: junk.bin:1: binary data, not a boot log" "$(cat err.txt)"

# Explicit --format imports a file with no recognizable content: every line
# is kept, nothing is invented.
"$B" import --format dmesg --label notes notes.txt >/dev/null || fail "import --format dmesg notes.txt"
check_eq "lines of notes.txt" "3|0" \
    "$(sql "SELECT line_count, initcall_count FROM boot WHERE label = 'notes'")"
# Records anywhere in a file, not only in its first lines (64 KiB of a
# mail before the log): a boot, with no timestamps, said.
{ for i in $(seq 2000); do echo "line $i of a long mail that talks about everything but boot logs"; done
  echo 'Calling initcall 0xc036f3c4: acpi_init+0x0/0x1a1()'
  echo 'Calling initcall 0xc036f897: acpi_ec_init+0x0/0x1f()'; } >late.txt
out=$("$B" import --label late late.txt) || fail "import late.txt"
case "$out" in *"2002 lines  2 initcalls"*"no timestamps"*) ;; *) fail "late.txt: $out" ;; esac
finish
