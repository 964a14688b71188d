#!/bin/sh
# A console that ends with a dmesg dump counts no initcall twice: records
# seen live keep their arrival times; records seen only in the dump (quiet
# boots) are used and have none. The same boot's dmesg file adds nothing.
. "$(dirname "$0")/lib.sh"
cd "$Q" || exit 1
q() { sql "$1"; }
B=$BOOTLOG

$B import --label console-only 6.1.192-verbose-4.console.grabserial >/dev/null || fail import
$B import --label dmesg-only 6.1.192-verbose-4.dmesg >/dev/null || fail import
import_boot all-three 6.1.192-verbose-4 >/dev/null || fail import
$B import --label quiet-console 6.1.192-quiet-4.console.grabserial >/dev/null || fail import

# The same 575 records, with the same durations, whichever way they came.
set_of() {
    q "SELECT function, start_printk_us, reported_us, ret FROM initcall i JOIN boot b ON b.id = i.boot_id
       WHERE b.label = '$1' ORDER BY 1, 2" | sha256sum
}
check_eq "console-only vs dmesg-only" "$(set_of dmesg-only)" "$(set_of console-only)"
check_eq "all-three vs dmesg-only" "$(set_of dmesg-only)" "$(set_of all-three)"
check_eq "records of verbose-4" 575 "$(q "SELECT count(*) FROM initcall WHERE boot_id = 1")"

# Live records keep their arrival; the dump's lines are marked.
check_eq "live initcalls with arrival times" "575|575" \
    "$(q "SELECT count(start_host_ns), count(end_host_ns) FROM initcall WHERE boot_id = 1")"
dump_lines=$(wc -l <6.1.192-verbose-4.dmesg)
check_eq "dump lines on the console" "$dump_lines" "$(q "SELECT sum(dump) FROM line l JOIN stream s ON s.id = l.stream_id WHERE s.boot_id = 1")"
check_eq "first initcall's arrival" "con_init|561965000" \
    "$(q "SELECT function, start_host_ns FROM initcall WHERE boot_id = 1 ORDER BY start_printk_us LIMIT 1")"
# (con_init is the first initcall: "[0.561965 0.000059] [    0.156059] calling  con_init")
# The live shutdown messages after the dump are live, not part of it.
check_eq "power-off line" "0" \
    "$(q "SELECT dump FROM line l JOIN stream s ON s.id = l.stream_id WHERE s.boot_id = 1 AND text = 'reboot: Power down'")"

# A quiet console: only the dump has the records; no arrival times.
check_eq "quiet console records" "575|0|575" \
    "$(q "SELECT count(*), count(start_host_ns), sum(dump) FROM initcall WHERE boot_id = 4")"
check_eq "quiet console userspace" "1512994|" \
    "$(q "SELECT userspace_printk_us, userspace_host_ns FROM boot WHERE id = 4")"
check_eq "verbose userspace" "1647894|2042097000" \
    "$(q "SELECT userspace_printk_us, userspace_host_ns FROM boot WHERE id = 1")"
finish
