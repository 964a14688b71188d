#!/bin/sh
# bootlog capture with fake children (sh): line stamps (first byte and end),
# run metadata, --save re-imported to exactly the same data, timeouts,
# Ctrl-C, --serial, and every error with nothing stored.
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH" || exit 1
B=$BOOTLOG
q() { sql "$1"; }

# A line whose end arrives 0.3 s after its first byte; the guest's free -m.
child='printf "[    0.000000] Linux version 6.1.0-test (fake)\n[    0.100000] calling  foo_init+0x0/0x10 @ 1\n[    0.200000] initcall foo_init+0x0/0x10 ret"; sleep 0.3; printf "urned 0 after 100000 usecs\n"; printf "Mem:  470  17  442  2  11  442\n"; exit 3'
# --save makes its directory; a warm-up run is said, not stored.
"$B" capture --label fake -n 2 --warmup 1 --save saved -- sh -c "$child" >out.txt 2>err.txt
check_eq "capture status" 0 $?
check_eq "boots" 2 "$(q 'SELECT count(*) FROM boot')"
check_eq "per run" "4|1|3||470|17|442|2|11|442" \
    "$(q "SELECT line_count, initcall_count, exit_status, exit_signal, mem_total_mib, mem_used_mib, mem_free_mib, mem_shared_mib, mem_buff_cache_mib, mem_available_mib FROM boot WHERE id = 1")"
check_eq "stamps in order" 1 "$(q "SELECT min(CASE WHEN host_ns <= host_end_ns THEN 1 ELSE 0 END) FROM line WHERE host_ns IS NOT NULL")"
split=$(q "SELECT host_end_ns - host_ns FROM line l JOIN stream s ON s.id = l.stream_id WHERE s.boot_id = 1 AND text LIKE 'initcall foo_init%'")
[ "$split" -ge 250000000 ] && [ "$split" -lt 2000000000 ] || fail "a line sent in two parts 0.3 s apart: end - first = $split ns"
check_eq "wall, rss, cpu" 1 "$(q "SELECT CASE WHEN wall_ns > 250000000 AND peak_rss_kib > 0 AND user_us + system_us >= 0 THEN 1 ELSE 0 END FROM boot WHERE id = 1")"
grep -q '^run 2/2: boot 2  wall [0-9]*\.[0-9]* s  cpu [0-9.]* s (user [0-9.]*, system [0-9.]*)  peak RSS [0-9.]* MiB  4 lines  1 initcalls  (exit status 3)$' out.txt ||
    fail "run line: $(cat out.txt)"
grep -Eq '^wall s +[0-9]+\.[0-9]{3} ' out.txt || fail "summary: $(cat out.txt)"
grep -Eq '^warm-up 1/1: wall [0-9]+\.[0-9]{3} s \(not stored\)$' out.txt || fail "warm-up line: $(cat out.txt)"
check_eq "runs said" "warm-up 1/1 run 1/2 run 2/2" "$(grep -oE '^(warm-up|run) [0-9]/[0-9]' out.txt | tr '\n' ' ' | sed 's/ $//')"
check_eq "saved runs" 2 "$(ls saved/*.bootlog | wc -l)"

# A saved run imports to exactly what the live capture stored.
dump() {
    sql "$1" "SELECT label, source, kernel_version, line_count, initcall_count, command, wall_ns,
        exit_status, exit_signal, timed_out, peak_rss_kib, user_us, system_us, mem_total_mib,
        mem_available_mib, userspace_host_ns FROM boot ORDER BY id;
        SELECT s.name, l.seq, l.host_ns, l.host_end_ns, l.printk_us, l.recognized, l.prefix, l.text, l.raw
        FROM line l JOIN stream s ON s.id = l.stream_id ORDER BY l.id;
        SELECT kind, function, start_host_ns, end_host_ns, reported_us, ret FROM call ORDER BY id"
}
AGAIN=$(new_db again)
for f in saved/*.bootlog; do "$B" import --db "$AGAIN" --label fake "$f" >/dev/null || fail "import $f"; done
check_eq "saved = live" "$(dump "$BOOTLOG_DB" | sha256sum)" "$(dump "$AGAIN" | sha256sum)"
[ "$(dump "$AGAIN" | wc -l)" -gt 10 ] || fail "nothing compared"

# A run that hangs: ended, stored, marked.
"$B" capture --db t.db --timeout 1 -- sh -c 'echo "[    0.000000] Linux version x (y)"; exec sleep 30' >/dev/null 2>t.err
check_eq "status of a timed-out capture" 1 $?
check_eq "timeout message" "bootlog: capture: run 1 timed out after 1 s; stored as boot 1, marked timed out" "$(cat t.err)"
check_eq "timed out run" "1||15" "$(sqlite3 t.db 'SELECT timed_out, exit_status, exit_signal FROM boot')"

# Ctrl-C: the child is killed, the run is not stored.
start=$(date +%s)
"$B" capture --db int.db -- sh -c 'echo "[    0.000000] Linux version x (y)"; exec sleep 30' >/dev/null 2>int.err &
pid=$!
sleep 1
kill -INT $pid
wait $pid
check_eq "status after Ctrl-C" 130 $?
[ $(($(date +%s) - start)) -lt 10 ] || fail "Ctrl-C did not stop the run"
check_eq "Ctrl-C message" "bootlog: capture: interrupted; run 1 not stored" "$(cat int.err)"
check_eq "nothing stored after Ctrl-C" 0 "$(sqlite3 int.db 'SELECT count(*) FROM boot' 2>/dev/null || echo 0)"

# --serial: the console comes from a device (here a FIFO), the command is
# only what makes the machine print.
mkfifo console
"$B" capture --db serial.db --serial console -- sh -c 'printf "[    0.000000] Linux version 6.1.0-serial (z)\n[    1.000000] Run /init as init process\n" >console' \
    >/dev/null || fail "capture --serial"
check_eq "serial boot" "6.1.0-serial|2|1000000" \
    "$(sqlite3 serial.db 'SELECT kernel_version, line_count, userspace_printk_us FROM boot')"

# Errors: one line, non-zero status, nothing stored.
expect_error 1 "^bootlog: capture: no-such-command-xyz: No such file or directory$" \
    "$B" capture -- no-such-command-xyz
expect_error 1 "^bootlog: capture: sh ended \(status 3\) before printing anything: qemu-system-x86_64: -kernel: Could not open$" \
    "$B" capture -- sh -c 'echo "qemu-system-x86_64: -kernel: Could not open" >&2; exit 3'
expect_error 1 "^bootlog: capture: no console output from sh \(is the kernel's console on the serial port: console=ttyS0, and qemu's -serial stdio\?\)$" \
    "$B" capture -- sh -c 'exit 0'
expect_error 1 "^bootlog: /nonexistent/ttyS9: cannot open the serial console: No such file or directory$" \
    "$B" capture --serial /nonexistent/ttyS9 --timeout 1
expect_error 2 "^bootlog: capture: no COMMAND given \(or --serial\)$" "$B" capture
expect_error 1 "^bootlog: --save: no/such/dir: cannot create: No such file or directory$" \
    "$B" capture --save no/such/dir -- sh -c "$child"
: >afile
expect_error 1 "^bootlog: --save: afile: not a directory$" "$B" capture --save afile -- sh -c "$child"
# Two captures at once: compare says their runs competed for the host.
boot_cmd='printf "[    0.000000] Linux version 6.1.0-o (z)\n[    1.000000] Run /init as init process\n"; sleep 1'
"$B" capture --db overlap.db --label x -n 1 -- sh -c "$boot_cmd" >/dev/null &
sleep 0.3
"$B" capture --db overlap.db --label y -n 1 -- sh -c "$boot_cmd" >/dev/null
wait
"$B" compare --db overlap.db x y >overlap.txt 2>/dev/null || fail "compare overlap"
grep -q '^warning: boot 1 of x ran while boot 2 was being captured: they competed for the host$' overlap.txt ||
    fail "overlap not said: $(cat overlap.txt)"
finish
