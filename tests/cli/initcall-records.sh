#!/bin/sh
# top-initcalls on the hand-made initcall records (tests/parsers/dmesg/
# initcalls.log): a function called twice counts once with its calls summed,
# msecs are normalized to us, modules and negative returns are shown,
# lookalikes (PCI fixups, suspend/resume callbacks) are not initcalls, and a
# call that never returned is kept, marked incomplete, and noted.
. "$(dirname "$0")/lib.sh"
LOG="$(dirname "$0")/../parsers/dmesg/initcalls.log"

"$BOOTLOG" import --label records "$LOG" >/dev/null || fail "import"
golden records-top.txt "$BOOTLOG" top-initcalls
golden records-top.csv "$BOOTLOG" top-initcalls --format csv
check_eq "stored records" "9|8|1" \
    "$(sql 'SELECT count(*), sum(complete), sum(1 - complete) FROM initcall')"
check_eq "old_style_init" "12000|msecs|12000" \
    "$(sql "SELECT reported_us, reported_unit, duration_us FROM initcall WHERE function = 'old_style_init'")"
check_eq "hung call" "hangs_forever_init|2500000|||0" \
    "$(sql "SELECT function, start_printk_us, end_printk_us, reported_us, complete FROM initcall WHERE complete = 0")"
finish
