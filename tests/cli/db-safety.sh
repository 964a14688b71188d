#!/bin/sh
# The database: a file that is not a bootlog database is refused without
# being touched; a database from a newer bootlog is refused; the schema is
# versioned and marked as bootlog's.
. "$(dirname "$0")/lib.sh"
sqlite_only "file headers, permissions and migrations of SQLite files (the PostgreSQL equivalents: cli-pg/pg-server)"
cd "$SCRATCH" || exit 1
B=$BOOTLOG
LOG="$Q/6.1.192-quiet-1.dmesg"

# A text file given as the database.
printf 'precious notes\n' >notes.txt
cp notes.txt notes.orig
expect_error 1 '^bootlog: notes.txt: not a bootlog database \(not an SQLite file\); refusing to touch it$' \
    "$B" import --db notes.txt "$LOG"
cmp notes.txt notes.orig || fail "notes.txt was modified"

# Someone else's SQLite database.
sqlite3 other.db 'CREATE TABLE t (x); INSERT INTO t VALUES (42);'
cp other.db other.orig
expect_error 1 "^bootlog: other.db: an SQLite database, but not bootlog's; refusing to touch it$" \
    "$B" import --db other.db "$LOG"
expect_error 1 "^bootlog: other.db: an SQLite database, but not bootlog's" "$B" boots --db other.db
cmp other.db other.orig || fail "other.db was modified"

# A read verb on a database that does not exist creates nothing.
expect_error 1 "^bootlog: nothing.db: no such database \(create it with 'bootlog import'\)$" \
    "$B" boots --db nothing.db
[ ! -e nothing.db ] || fail "boots created nothing.db"

# A fresh database: the latest schema version, bootlog's application id.
"$B" import --db new.db "$LOG" >/dev/null || fail "import into new.db"
check_eq "user_version" 12 "$(sqlite3 new.db 'PRAGMA user_version')"
check_eq "application_id" 1114917991 "$(sqlite3 new.db 'PRAGMA application_id')"
check_eq "integrity" ok "$(sqlite3 new.db 'PRAGMA integrity_check')"

# $BOOTLOG_DB and --db: --db wins.
BOOTLOG_DB=new.db "$B" boots --format csv >env.csv || fail "boots with BOOTLOG_DB"
check_eq "boots via BOOTLOG_DB" 2 "$(wc -l <env.csv)"

# A database from a newer bootlog.
sqlite3 new.db 'PRAGMA user_version = 99'
expect_error 1 '^bootlog: new.db: written by a newer bootlog \(schema 99; this bootlog knows up to 12\): upgrade bootlog$' \
    "$B" import --db new.db "$Q/6.1.192-quiet-2.dmesg"
expect_error 1 '^bootlog: new.db: written by a newer bootlog' "$B" top-initcalls --db new.db
check_eq "boots in the newer database" 1 "$(sqlite3 new.db 'SELECT count(*) FROM boot')"

# A database of schema 1 (as the first release wrote it: no note indexes,
# no stored phases, no power-off line or note counts, no firmware steps or
# userspace line, no console kind or stored corrected times): read verbs
# ask for an upgrade, import migrates it, finds the power-off line and
# counts the notes as import does; the old boots are then said to be
# derived by older rules, their figures without the console are not those
# of today's rules, and once bootlog reanalyze has derived them again,
# their phases and console figures are those import stores.
V="$Q/6.1.192-verbose-1"
"$B" import --db old.db "$V.console.grabserial" --firmware "$V.seabios.grabserial" >/dev/null || fail "import old.db"
for c in "" --corrected; do "$B" phases --db old.db --boot 1 $c --format csv >>stored.csv; done
"$B" uart --db old.db --boot 1 --format csv >uart-stored.csv || fail "uart old.db"
"$B" phases --db old.db --boot 1 --corrected --format csv >corrected-stored.csv || fail "phases old.db"
"$B" plot range --db old.db --boot 1 -o stored.gp || fail "plot range old.db"
poweroff=$(sqlite3 old.db 'SELECT l.seq || ": " || l.text FROM boot b JOIN line l ON l.id = b.poweroff_line_id')
check_eq "power-off line" "3097: reboot: Power down" "$poweroff"
P="$(dirname "$0")/../parsers"
for f in dmesg/initcalls eras/2.6.17-calling-only damage/absurd; do
    "$B" import --db old.db "$P/$f.log" >/dev/null || fail "import $f into old.db"
done
counts="1|0|0 2|1|0 3|0|4 4|1|0"
check_eq "note counts" "$counts" "$(sqlite3 old.db 'SELECT id, noted_count, unreported_count FROM boot' | tr '\n' ' ' | sed 's/ $//')"
"$B" top-initcalls --db old.db --include-incomplete >notes-stored.txt || fail "top-initcalls old.db"
sqlite3 old.db 'DROP VIEW boot_summary; DROP TABLE boot_meta; DROP TABLE phase; DROP TABLE timeline;
                DROP TABLE account; DROP TABLE unit;
                ALTER TABLE boot DROP COLUMN poweroff_line_id; ALTER TABLE boot DROP COLUMN noted_count;
                ALTER TABLE boot DROP COLUMN unreported_count; DROP VIEW stream_line;
                ALTER TABLE line DROP COLUMN mark; ALTER TABLE boot DROP COLUMN userspace_line_id;
                ALTER TABLE uart DROP COLUMN ns_per_char_low; ALTER TABLE uart DROP COLUMN ns_per_char_high;
                ALTER TABLE uart DROP COLUMN checked; ALTER TABLE boot DROP COLUMN analysis;
                DROP VIEW line_corrected; ALTER TABLE line DROP COLUMN wait_chars;
                ALTER TABLE line DROP COLUMN corrected_us; ALTER TABLE boot DROP COLUMN console;
                ALTER TABLE boot DROP COLUMN series; ALTER TABLE boot DROP COLUMN round;
                ALTER TABLE boot DROP COLUMN started_us; ALTER TABLE boot DROP COLUMN prefixed_count;
                ALTER TABLE line DROP COLUMN host_coarse; DROP VIEW initcall_option;
                DROP TABLE kconfig_call; DROP TABLE boot_kconfig; DROP TABLE kconfig_initcall;
                DROP TABLE kconfig_symbol; DROP TABLE kconfig_map;
                CREATE VIEW line_corrected AS
                    SELECT l.*, l.printk_us - CAST(round(u.ns_per_char * l.chars_before / 1000.0) AS INTEGER)
                               AS corrected_printk_us
                      FROM line l JOIN stream s ON s.id = l.stream_id LEFT JOIN uart u ON u.boot_id = s.boot_id;
                PRAGMA user_version = 1'
expect_error 1 "^bootlog: old.db: schema 1 is older than this bootlog's 12: run 'bootlog import' once to upgrade it$" \
    "$B" phases --db old.db --boot 1
"$B" import --db old.db "$Q/6.1.192-quiet-2.dmesg" >/dev/null || fail "import migrating old.db"
check_eq "migrated user_version" 12 "$(sqlite3 old.db 'PRAGMA user_version')"
check_eq "migrated integrity" ok "$(sqlite3 old.db 'PRAGMA integrity_check')"
check_eq "stored phases of the old boot" 0 "$(sqlite3 old.db 'SELECT count(*) FROM phase WHERE boot_id = 1')"
check_eq "migrated note counts" "$counts 5|0|0" \
    "$(sqlite3 old.db 'SELECT id, noted_count, unreported_count FROM boot' | tr '\n' ' ' | sed 's/ $//')"
"$B" top-initcalls --db old.db --boot 1 --boot 2 --boot 3 --boot 4 >notes-migrated.txt 2>stale.err ||
    fail "top-initcalls migrated"
check_eq "stale boots said" "bootlog: old.db: 4 boots were derived by older rules (their console correction and phases may differ): run 'bootlog reanalyze'" \
    "$(cat stale.err)"
"$B" phases --db old.db --boot 1 --corrected --format csv >old-rules.csv 2>/dev/null
cmp -s old-rules.csv corrected-stored.csv &&
    fail "the old boot's corrected phases did not differ before reanalyze"
check_eq "reanalyze" "4 boots derived again (analysis 5)" "$("$B" reanalyze --db old.db)"
check_eq "reanalyze again" "0 boots derived again (analysis 5)" "$("$B" reanalyze --db old.db)"
"$B" uart --db old.db --boot 1 --format csv >uart-reanalyzed.csv 2>stale.err || fail "uart reanalyzed"
cmp -s uart-stored.csv uart-reanalyzed.csv || fail "console figures differ after reanalyze: $(diff uart-stored.csv uart-reanalyzed.csv)"
check_eq "nothing stale after reanalyze" "" "$(cat stale.err)"
cmp -s notes-stored.txt notes-migrated.txt || fail "notes differ after migration: $(diff notes-stored.txt notes-migrated.txt | head -5)"
[ "$(grep -c '^note:' notes-migrated.txt)" = 3 ] || fail "notes: expected 3, got $(grep '^note:' notes-migrated.txt)"
check_eq "migrated power-off line" "$poweroff" \
    "$(sqlite3 old.db 'SELECT l.seq || ": " || l.text FROM boot b JOIN line l ON l.id = b.poweroff_line_id WHERE b.id = 1')"
for c in "" --corrected; do "$B" phases --db old.db --boot 1 $c --format csv >>computed.csv; done
cmp -s stored.csv computed.csv || fail "stored and computed phases differ: $(diff stored.csv computed.csv | head -5)"
"$B" plot range --db old.db --boot 1 -o computed.gp || fail "plot range migrated old.db"
check_eq "boot length, stored and computed" "$(sed -n '/^\$boot/,/^EOD/p' stored.gp)" "$(sed -n '/^\$boot/,/^EOD/p' computed.gp)"
[ "$(wc -l <stored.csv)" -gt 10 ] || fail "no phases compared"
finish
