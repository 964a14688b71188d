#!/bin/sh
# bootlog capture on a real VM: scripts/make-test-vm builds it (cached
# between runs, outside git), two boots under TCG, then the database must
# hold: 2 boots, firmware lines before kernel lines on one clock, initcalls,
# exit status 0, peak RSS, the guest's memory figures.
# Needs Debian's package archive the first time (CI has it); set
# BOOTLOG_SKIP_VM=1 to skip it on a machine without.
. "$(dirname "$0")/lib.sh"
if [ "${BOOTLOG_SKIP_VM:-}" = 1 ]; then
    echo "skipped: BOOTLOG_SKIP_VM=1"
    exit 77
fi
TOP="$(cd "$(dirname "$0")/../.." && pwd)"
cmd=$("$TOP/scripts/make-test-vm") || { fail "scripts/make-test-vm failed"; finish; }
echo "$cmd"
eval "set -- $cmd"
"$BOOTLOG" capture --label vm -n 2 --timeout 120 -- "$@" >"$SCRATCH/out" || fail "capture: $(cat "$SCRATCH/out")"
cat "$SCRATCH/out"
q() { sql "$1"; }

check_eq "boots" 2 "$(q 'SELECT count(*) FROM boot')"
check_eq "exit, timeout" "0|0,0|0" "$(q 'SELECT exit_status, timed_out FROM boot ORDER BY id' | paste -sd, -)"
check_eq "peak RSS, wall" 1 "$(q 'SELECT min(CASE WHEN peak_rss_kib > 10000 AND wall_ns > 0 THEN 1 ELSE 0 END) FROM boot')"
check_eq "guest memory" 1 "$(q 'SELECT min(CASE WHEN mem_total_mib > 0 AND mem_used_mib > 0 AND mem_available_mib > 0 THEN 1 ELSE 0 END) FROM boot')"
check_eq "initcalls" 1 "$(q 'SELECT min(CASE WHEN initcall_count > 400 THEN 1 ELSE 0 END) FROM boot')"
check_eq "SeaBIOS" 1 "$(q "SELECT min(CASE WHEN firmware_version LIKE '1.%' THEN 1 ELSE 0 END) FROM boot")"
# one clock: all firmware output arrives before the kernel's first line,
# and the hand-off (SeaBIOS "Booting from") comes before that line too
check_eq "firmware before kernel" "1,1" "$(q "
    SELECT CASE WHEN (SELECT max(l.host_ns) FROM line l JOIN stream s ON s.id = l.stream_id
                       WHERE s.boot_id = b.id AND s.name = 'firmware')
                   < (SELECT min(l.host_ns) FROM line l JOIN stream s ON s.id = l.stream_id
                       WHERE s.boot_id = b.id AND s.name = 'console' AND l.printk_us IS NOT NULL)
                 AND b.handoff_host_ns < b.userspace_host_ns THEN 1 ELSE 0 END
    FROM boot b ORDER BY b.id" | paste -sd, -)"
check_eq "line end stamps" 1 "$(q 'SELECT min(CASE WHEN host_end_ns >= host_ns THEN 1 ELSE 0 END) FROM line WHERE host_end_ns IS NOT NULL')"

# The console from qemu's -serial unix: socket, which qemu creates itself.
sock="$SCRATCH/console.sock"
eval "set -- $(echo "$cmd" | sed "s|-serial stdio|-serial unix:$sock,server=on,wait=on|")"
"$BOOTLOG" capture --db "$SCRATCH/sock.db" --serial "$sock" --timeout 120 -- "$@" >/dev/null ||
    fail "capture --serial unix socket"
check_eq "boot from the socket" "1|1|0" \
    "$(sqlite3 "$SCRATCH/sock.db" 'SELECT count(*), min(initcall_count > 400), max(exit_status) FROM boot')"

# Parallel work: two vCPUs, drivers probed asynchronously, and kernel/async.c's
# debug records on (initcall_debug prints them with pr_debug): the async
# entries run in tasks other than init, each a lane of plot timeline, and the
# secondary CPU's bring-up is a phase of its own.
cmd=$("$TOP/scripts/make-test-vm" --smp 2 \
      --append 'initcall_debug ignore_loglevel panic=-1 driver_async_probe=* dyndbg="file kernel/async.c +p"') ||
    { fail "make-test-vm --smp 2"; finish; }
eval "set -- $cmd"
"$BOOTLOG" capture --db "$SCRATCH/async.db" --label async --timeout 120 -- "$@" >/dev/null || fail "capture async"
check_eq "async entries in other tasks" 1 \
    "$(sqlite3 "$SCRATCH/async.db" "SELECT count(DISTINCT pid) > 1 FROM call WHERE kind = 'async'")"
"$BOOTLOG" phases --db "$SCRATCH/async.db" --format csv >"$SCRATCH/async-phases" || fail "phases async"
check_eq "CPU 1's bring-up" 1 "$(awk -F, '$1 == "kernel:smp:cpu1" { print ($3 > 0) }' "$SCRATCH/async-phases")"
"$BOOTLOG" plot timeline --db "$SCRATCH/async.db" --boot 1 -o "$SCRATCH/async.gp" || fail "plot timeline async"
check_eq "lanes" 1 "$(grep -o '"task \\100 [0-9]* ([0-9]* calls\{0,1\})"' "$SCRATCH/async.gp" | awk 'END { print (NR > 2) }')"
finish
