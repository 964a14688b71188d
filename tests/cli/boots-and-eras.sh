#!/bin/sh
# Files of several boots become several boots, with the bootloader's lines
# in each boot's firmware stream; initcalls of every kernel era are ranked;
# what cannot be ranked (no printed duration, absurd durations) is noted.
. "$(dirname "$0")/lib.sh"
P="$(dirname "$0")/../parsers"
cd "$P" || exit 1

golden multi-boot-import.txt "$BOOTLOG" import --label loop boots/reboot-loop-uboot.log
golden multi-boot-boots.csv "$BOOTLOG" boots --format csv
check_eq "streams of the loop" "1|console|8|1,1|firmware|5|1,2|console|8|1,2|firmware|5|1" \
    "$(sql "SELECT boot_id, name, line_count, input_id FROM stream ORDER BY boot_id, name" | paste -sd, -)"
check_eq "firmware versions" "U-Boot SPL 2017.09-rc2,U-Boot SPL 2017.09-rc2" \
    "$(sql "SELECT firmware_version FROM boot ORDER BY id" | paste -sd, -)"
out=$("$BOOTLOG" import boots/reboot-loop-uboot.log)
check_eq "re-import of a file of two boots" \
    "boots/reboot-loop-uboot.log (boot 1 of 2): already imported as boot 1; nothing added
boots/reboot-loop-uboot.log (boot 2 of 2): already imported as boot 2; nothing added" "$out"

"$BOOTLOG" import --label eras eras/2.6.17-calling-only.log eras/2.6.24-ran-for.log \
    eras/2.6.27-msecs.log eras/ppc64.log damage/absurd.log >/dev/null || fail "import eras"
golden eras-top.txt "$BOOTLOG" top-initcalls --label eras -n 0
check_eq "2.6.17 calls: not knowable" "4||" \
    "$(sql "SELECT count(*), max(complete), max(reported_us) FROM initcall WHERE boot_id = 3")"
check_eq "the absurd one" "slow_init|1200000000|duration over 10 minutes" \
    "$(sql "SELECT function, reported_us, suspect FROM initcall WHERE suspect IS NOT NULL")"

"$BOOTLOG" import calls/levels-async-probes.log calls/lookalikes.log >/dev/null || fail "import calls"
check_eq "kinds" "async|2,async_wait|1,initcall|2,pci_fixup|2,pm|2,probe|2" \
    "$(sql "SELECT kind, count(*) FROM call WHERE boot_id IN (8, 9) GROUP BY kind" | paste -sd, -)"
check_eq "levels" "con_init|console,ata_init|device" \
    "$(sql "SELECT function, level FROM initcall WHERE boot_id = 8 ORDER BY id" | paste -sd, -)"

# Records behind a prefix no framing knows (elinux.org's sorted grep): read,
# counted, said; out of time order, still one boot with no dumps.
out=$("$BOOTLOG" import --label sorted corpus/elinux-sorted-grep.log) || fail "import sorted grep"
case "$out" in *"13 initcalls"*"13 records behind an unknown prefix"*) ;; *) fail "sorted grep: $out" ;; esac
id=$(printf '%s\n' "$out" | sed -n 's/^boot \([0-9]*\) .*/\1/p')
check_eq "sorted grep stored" "13|0" \
    "$(sql "SELECT prefixed_count, (SELECT count(*) FROM line l JOIN stream s ON s.id = l.stream_id WHERE s.boot_id = $id AND l.dump = 1) FROM boot WHERE id = $id")"
check_eq "sorted grep ranked" "1,ip_auto_config,,1,1,1490000.0" \
    "$("$BOOTLOG" top-initcalls --boot "$id" -n 1 --format csv | sed -n 2p | cut -d, -f1-6)"

# A log without timestamps: durations as reported, no timeline claimed.
"$BOOTLOG" import --label timeless corpus/mips-ip32-2.6.2x-mail-no-stamps.log >/dev/null || fail "import timeless"
"$BOOTLOG" phases --label timeless >/dev/null 2>"$SCRATCH/err"; st=$?
check_eq "phases of a boot without timestamps: status" 1 "$st"
check_eq "phases of a boot without timestamps: why" \
    "bootlog: boot 11 has no timestamps (no printk or host stamp on any line): no timeline can be told of it; its initcalls' reported durations: 'bootlog top-initcalls'
bootlog: no boot selected has timestamps" "$(cat "$SCRATCH/err")"
"$BOOTLOG" report --label timeless -o "$SCRATCH/timeless" >/dev/null 2>&1 || fail "report of a boot without timestamps"
grep -q "No boot here has timestamps" "$SCRATCH/timeless/report.md" || fail "the report claims a timeline"
check_eq "its ranking" "1,maceps2_init,,1,1,1000.0" \
    "$("$BOOTLOG" top-initcalls --label timeless -n 1 --format csv | sed -n 2p | cut -d, -f1-6)"
"$BOOTLOG" compare timeless eras >"$SCRATCH/err" 2>&1 || fail "compare with a boot without timestamps"
grep -q "^warning: timeless has 1 boot without timestamps: no whole boot or phases for it" "$SCRATCH/err" ||
    fail "compare does not say the boot has no timestamps: $(cat "$SCRATCH/err")"
finish
