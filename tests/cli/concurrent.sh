#!/bin/sh
# Concurrent writers: 4 `bootlog import` processes and one `bootlog capture`
# write to one database at once, starting from no database at all, while a
# reader keeps querying it. Every boot is stored once, the database passes
# integrity_check, and the reader never sees a half-written boot.
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

reader &
rpid=$!
child='for i in 1 2 3 4 5 6; do printf "[    0.%06d] calling  f${i}_init+0x0/0x10 @ 1\n[    0.%06d] initcall f${i}_init+0x0/0x10 returned 0 after 1000 usecs\n" $i $i; sleep 0.1; done'
"$B" capture -n 3 --label cap -- sh -c "printf '[    0.000000] Linux version 6.1.0-c (c)\n'; $child" >capture.out 2>&1 &
pids=$!
for name in 6.1.192-verbose-1 6.1.192-verbose-2 6.1.192-quiet-1 6.1.170-verbose-1; do
    (cd "$Q" && import_boot "${name%-*}" "$name") >"import-$name.out" 2>&1 &
    pids="$pids $!"
done
for p in $pids; do
    wait "$p" || fail "a writer failed: $(cat ./*.out)"
done
touch stop
wait $rpid
[ -s reader.err ] && fail "reader: $(sort reader.err | uniq -c)"
[ "$(cat reader.count)" -gt 3 ] || fail "the reader ran only $(cat reader.count) times"

check_eq "database whole" ok "$(db_check)"
check_eq "boots" "6.1.170-verbose|1
6.1.192-quiet|1
6.1.192-verbose|2
cap|3" "$(q 'SELECT label, count(*) FROM boot GROUP BY label ORDER BY label')"
check_eq "initcalls per boot" "6.1.170-verbose|575
6.1.192-quiet|575
6.1.192-verbose|575
cap|6" "$(q 'SELECT DISTINCT label, initcall_count FROM boot ORDER BY label')"
check_eq "streams" "3
3
3
3
1
1
1" "$(q 'SELECT count(*) FROM stream GROUP BY boot_id ORDER BY 1 DESC')"
check_eq "boots stored once" 7 "$(q 'SELECT count(DISTINCT content_sha256) FROM boot')"
finish
