#!/bin/sh
# Resource faults and crashes: a full disk (a file size limit), a read-only
# database, a database another program keeps locked, and bootlog killed
# with SIGKILL in the middle of an import and of a capture. Each time: a
# clear one-line error (or the kill), the database passes integrity_check,
# holds no part of the failed boot, and the same import then succeeds.
. "$(dirname "$0")/lib.sh"
B=$BOOTLOG
q() { sql "$1"; }
cd "$SCRATCH" || exit 1
V1=$Q/6.1.192-verbose-1.console.grabserial
V2=$Q/6.1.192-verbose-2.console.grabserial
"$B" import "$Q/6.1.192-quiet-1.console.grabserial" >/dev/null || fail "first import"

# consistent WHAT: integrity_check, and every boot whole: its initcall
# count is the number of its initcalls stored, each of its streams has all
# its lines, and nothing refers to a boot or stream that is not there.
consistent() {
    check_eq "$1: database whole" ok "$(db_check)"
    check_eq "$1: whole boots" 0 "$(q "SELECT count(*) FROM boot b WHERE b.initcall_count !=
        (SELECT count(*) FROM call c WHERE c.boot_id = b.id AND c.kind = 'initcall')")"
    check_eq "$1: whole streams" 0 "$(q "SELECT count(*) FROM stream s WHERE s.line_count !=
        (SELECT count(*) FROM line l WHERE l.stream_id = s.id)")"
    check_eq "$1: boots with streams" 0 "$(q "SELECT count(*) FROM boot b WHERE NOT EXISTS
        (SELECT 1 FROM stream s WHERE s.boot_id = b.id)")"
}

if [ "$BACKEND" = sqlite ]; then   # a server's disk and files are its own
# Disk full: a file size limit the database's write-ahead log runs into
# (SIGXFSZ ignored, as it is for a real full disk's ENOSPC).
expect_error 1 '^bootlog: .*bootlog\.db: disk I/O error while writing \(disk full, or a file size limit\?\)$' \
    sh -c "trap '' XFSZ; ulimit -f 400; exec '$B' import '$V1' --dmesg '$Q/6.1.192-verbose-1.dmesg'"
consistent "after a full disk"

# Read-only: the file, or its directory (where SQLite keeps its -wal file).
# As root, permissions do not stop anything: the import then runs as
# nobody, from a directory of /tmp that nobody can reach (the binary and the
# input are copied there, as the checkout may be private).
ro=$(mktemp -d /tmp/bootlog-ro.XXXXXX)
chmod 755 "$ro"
cp "$B" "$V1" "$ro/" && cp "$BOOTLOG_DB" "$ro/r.db" && chmod 444 "$ro/r.db" || fail "setting up $ro"
as_user=""
[ "$(id -u)" -eq 0 ] && as_user="setpriv --reuid=65534 --regid=65534 --clear-groups"
expect_error 1 "^bootlog: $ro/r\.db: cannot write to the database: Permission denied\$" \
    $as_user "$ro/bootlog" import --db "$ro/r.db" "$ro/${V1##*/}"
chmod 666 "$ro/r.db" && chmod 555 "$ro"
expect_error 1 "^bootlog: $ro/r\.db: cannot write in its directory $ro/ \(SQLite keeps its -wal file there\): Permission denied\$" \
    $as_user "$ro/bootlog" import --db "$ro/r.db" "$ro/${V1##*/}"
chmod 755 "$ro"
rm -rf "$ro"
fi

# write_lock: the statements that take the lock bootlog's writers take
if [ "$BACKEND" = pg ]; then
    write_lock() { echo "BEGIN; SELECT pg_advisory_xact_lock(1114917991);"; }
else
    write_lock() { echo "BEGIN IMMEDIATE; INSERT INTO boot (label) SELECT label FROM boot WHERE 0;"; }
fi

# Locked: another program holds the write lock longer than the busy
# timeout (10 s).
(write_lock; sleep 13; echo "COMMIT;") | sql >/dev/null &
locker=$!
sleep 1
expect_error 1 '^bootlog: .*bootlog\.db: database is locked: another program has been writing to it for more than 10 s$' \
    "$B" import "$V1"
wait $locker
consistent "after a lock"

# kill -9 in the middle of the import of a large file (its boots repeat a
# sample's with printk time moved on): the transaction never happened.
large_dmesg 60 large.dmesg
boots=$(q 'SELECT count(*) FROM boot')
"$B" import large.dmesg >/dev/null 2>&1 &
pid=$!
await_writer
kill -9 $pid 2>/dev/null || fail "the import ended before it could be killed"
wait $pid
check_eq "status of the killed import" 137 $?
consistent "after kill -9 of an import"
check_eq "boots after kill -9 of an import" "$boots" "$(q 'SELECT count(*) FROM boot')"
check_eq "inputs after kill -9 of an import" 0 "$(q "SELECT count(*) FROM input WHERE path LIKE '%large.dmesg'")"
"$B" import large.dmesg >/dev/null || fail "the import after kill -9"
consistent "after the import again"
check_eq "boots from large.dmesg" 1 "$(q "SELECT count(*) - $boots FROM boot")"

# kill -9 during a capture run: the run in progress is not stored, the
# one before is.
boots=$(q 'SELECT count(*) FROM boot')
child='printf "[    0.000000] Linux version 6.1.0-k (k)\n[    0.100000] calling  foo_init+0x0/0x10 @ 1\n"; sleep 0.5; printf "[    0.200000] initcall foo_init+0x0/0x10 returned 0 after 100000 usecs\n"'
"$B" capture -n 1 --label k -- sh -c "$child" >/dev/null 2>&1 || fail "capture"
# (its child sleeps 31 s: the pkill below must not find other tests' "sleep 30")
"$B" capture -n 1 --label k -- sh -c "$child; exec sleep 31" >/dev/null 2>&1 &
pid=$!
sleep 1.5
kill -9 $pid
wait $pid
check_eq "status of the killed capture" 137 $?
consistent "after kill -9 of a capture"
check_eq "boots after kill -9 of a capture" $((boots + 1)) "$(q 'SELECT count(*) FROM boot')"
pkill -x -f "sleep 31" 2>/dev/null   # the orphan, by its exact command line
finish
