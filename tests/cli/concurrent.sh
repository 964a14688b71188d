#!/bin/sh
# Sixteen concurrent writers into one database, starting from no database
# at all, while a reader keeps querying it: two `bootlog capture`s, twelve
# imports (four boots, each imported by three writers at once, as hosts
# pushing the same boot would), one more import, and one killed with
# kill -9 while it writes. Every boot is stored once, whole; the database
# is consistent; the reader never sees a half-written boot; the killed
# writer left nothing behind. The same on SQLite and on PostgreSQL.
. "$(dirname "$0")/lib.sh"
B=$BOOTLOG
q() { sql "$1"; }
cd "$SCRATCH" || exit 1

# The reader: until told to stop, every boot it sees must be whole (its
# initcalls and its streams' lines all there), and top-initcalls must work.
reader() {
    n=0
    while [ ! -e stop ]; do
        if [ "$BACKEND" = pg ] || [ -e "$BOOTLOG_DB" ]; then
            bad=$(sql "SELECT
                (SELECT count(*) FROM boot b WHERE b.initcall_count !=
                    (SELECT count(*) FROM call c WHERE c.boot_id = b.id AND c.kind = 'initcall'))
              + (SELECT count(*) FROM stream s WHERE s.line_count !=
                    (SELECT count(*) FROM line l WHERE l.stream_id = s.id))
              + (SELECT count(*) FROM boot b WHERE NOT EXISTS (SELECT 1 FROM stream s WHERE s.boot_id = b.id))" 2>/dev/null)
            case $bad in
                0 | "") ;;                 # "": the schema is not there yet
                *) echo "half-written boot seen" >>reader.err ;;
            esac
            if [ -n "$bad" ] && [ "$(q 'SELECT count(*) FROM call' 2>/dev/null)" != 0 ]; then
                "$B" top-initcalls -n 3 >/dev/null 2>>reader.err || echo "top-initcalls failed" >>reader.err
            fi
            n=$((n + 1))
        fi
    done
    echo "$n" >reader.count
}

# The writer that is killed: a large file (a sample's boot 40 times, printk
# time moved on) imported first; the others start once it is writing
# (it then holds the writers' lock), and it is killed while they wait.
large_dmesg 40 large.dmesg

reader &
rpid=$!
"$B" import large.dmesg >/dev/null 2>&1 &
victim=$!
await_writer
child='for i in 1 2 3 4 5 6; do printf "[    0.%06d] calling  f${i}_init+0x0/0x10 @ 1\n[    0.%06d] initcall f${i}_init+0x0/0x10 returned 0 after 1000 usecs\n" $i $i; sleep 0.1; done'
pids=""
for c in cap1 cap2; do
    "$B" capture -n 2 --label $c -- sh -c "printf '[    0.000000] Linux version 6.1.0-$c (c)\n'; $child" >"capture-$c.out" 2>&1 &
    pids="$pids $!"
done
for name in 6.1.192-verbose-1 6.1.192-verbose-2 6.1.192-quiet-1 6.1.170-verbose-1 \
            6.1.192-verbose-1 6.1.192-verbose-2 6.1.192-quiet-1 6.1.170-verbose-1 \
            6.1.192-verbose-1 6.1.192-verbose-2 6.1.192-quiet-1 6.1.170-verbose-1 6.1.192-quiet-2; do
    (cd "$Q" && import_boot "${name%-*}" "$name") >"import-$name-$!.out" 2>&1 &
    pids="$pids $!"
done
sleep 0.2
kill -9 $victim 2>/dev/null || fail "the large import ended before it could be killed"
wait $victim
check_eq "status of the killed writer" 137 $?
for p in $pids; do
    wait "$p" || fail "a writer failed: $(cat ./*.out)"
done
touch stop
wait $rpid
[ -s reader.err ] && fail "reader: $(sort reader.err | uniq -c)"
[ "$(cat reader.count)" -gt 3 ] || fail "the reader ran only $(cat reader.count) times"

check_eq "database whole" ok "$(db_check)"
check_eq "boots" "6.1.170-verbose|1
6.1.192-quiet|2
6.1.192-verbose|2
cap1|2
cap2|2" "$(q 'SELECT label, count(*) FROM boot GROUP BY label ORDER BY label')"
check_eq "initcalls per boot" "6.1.170-verbose|575
6.1.192-quiet|575
6.1.192-verbose|575
cap1|6
cap2|6" "$(q 'SELECT DISTINCT label, initcall_count FROM boot ORDER BY label')"
check_eq "streams per boot" "3|5 1|4" "$(q 'SELECT n, count(*) FROM (SELECT count(*) AS n FROM stream GROUP BY boot_id) AS s GROUP BY n ORDER BY n DESC' | paste -sd' ' -)"
check_eq "boots stored once" 9 "$(q 'SELECT count(DISTINCT content_sha256) FROM boot')"
check_eq "duplicates said" 8 "$(cat import-*.out | grep -c 'already imported')"
check_eq "nothing of the killed writer" 0 "$(q "SELECT count(*) FROM input WHERE path LIKE '%large.dmesg'")"
check_eq "lines all in streams" 0 "$(q 'SELECT count(*) FROM line l WHERE NOT EXISTS (SELECT 1 FROM stream s WHERE s.id = l.stream_id)')"
finish
