#!/bin/sh
# --meta at import and capture, bootlog trend (import order, --by, a phase,
# an initcall, a label pattern), plot trend, the boot_summary view's meta,
# and merge carrying --meta along. Same outputs on both backends.
. "$(dirname "$0")/lib.sh"
B=$BOOTLOG
cd "$SCRATCH" || exit 1

# three kernels, recorded with the commit and date they were built from
imp() {   # imp LABEL SAMPLE DATE COMMIT
    (cd "$Q" && "$B" import --label "$1" --meta date="$3" --meta commit="$4" "$2.console.grabserial" \
        --firmware "$2.seabios.grabserial" --dmesg "$2.dmesg") >/dev/null || fail "import $2"
}
for i in 1 2 3; do imp v170 "6.1.170-verbose-$i" 2026-01-10 a170; done
for i in 1 2 3 4 5; do imp q192 "6.1.192-quiet-$i" 2026-03-01 c192; done
for i in 1 2 3; do imp v192 "6.1.192-verbose-$i" 2026-02-01 b192; done
check_eq "meta stored" "22" "$(sql 'SELECT count(*) FROM boot_meta')"
check_eq "meta of boot 1" "commit=a170 date=2026-01-10" \
    "$(sql "SELECT name || '=' || value FROM boot_meta WHERE boot_id = 1 ORDER BY name" | paste -sd' ' -)"
# the dashboards' view: one row per boot, its --meta as a JSON object
check_eq "boot_summary" '11|{"commit":"a170","date":"2026-01-10"}' \
    "$(sql "SELECT (SELECT count(*) FROM boot_summary), meta FROM boot_summary WHERE boot_id = 1" | tr -d ' ')"
check_eq "boot_summary figures" "v170|575|t" "$(sql "SELECT label, initcall_count,
    CASE WHEN whole_boot_ns > kernel_ns AND run_init_us > 0 AND firmware_ns > 0 THEN 't' ELSE 'f' END
    FROM boot_summary WHERE boot_id = 2")"

golden trend.txt "$B" trend
golden trend-by-date.csv "$B" trend --by date --format csv
golden trend-initcall.txt "$B" trend --initcall acpi_init --by date
golden trend-run-init.json "$B" trend --phase run-init --label-pattern 'v*' --format json
golden trend-phase.csv "$B" trend --phase kernel:initcalls --label v192 --label v170 --format csv
"$B" plot trend -o trend.gp || fail "plot trend"
sed 1d trend.gp >trend-body.gp
golden plot-trend.gp cat trend-body.gp
if command -v gnuplot >/dev/null; then
    "$B" plot trend --by date --initcall acpi_init -o trend.png || fail "plot trend png"
    [ "$(head -c 4 trend.png | od -An -c | tr -d ' ')" = "211PNG" ] || fail "trend.png is not a PNG"
fi

expect_error 2 "^bootlog: --meta: 'no-equals' is not NAME=VALUE \(a NAME of letters, digits, '_', '\.', '-'\)$" \
    "$B" import --meta no-equals "$Q/6.1.192-quiet-1.dmesg"
expect_error 2 "^bootlog: --meta: date given twice$" \
    "$B" import --meta date=1 --meta date=2 "$Q/6.1.192-quiet-1.dmesg"
expect_error 2 "^bootlog: trend: give --label or --label-pattern, not both$" \
    "$B" trend --label v170 --label-pattern 'v*'
expect_error 2 "^bootlog: plot: give --label or --label-pattern, not both$" \
    "$B" plot trend --label v170 --label-pattern 'v*' -o x.gp
expect_error 2 "^bootlog: trend: give --phase or --initcall, not both$" \
    "$B" trend --phase kernel:initcalls --initcall acpi_init
expect_error 1 "^bootlog: trend: no label matches 'x\*' \(see 'bootlog boots'\)$" "$B" trend --label-pattern 'x*'
expect_error 1 "^bootlog: trend: no boot selected has the phase nosuch " "$B" trend --phase nosuch
expect_error 2 "^bootlog: plot: --label-pattern, --initcall and --by are for the trend chart$" \
    "$B" plot range --by date -o x.gp

# capture records --meta with each run it stores
"$B" capture -n 2 --label cap --meta commit=d000 -- sh -c \
    'printf "[    0.000000] Linux version 6.1.0-c (c)\n[    0.500000] Run /init as init process\n"' >/dev/null ||
    fail "capture --meta"
check_eq "capture's meta" "d000 d000" \
    "$(sql "SELECT m.value FROM boot_meta m JOIN boot b ON b.id = m.boot_id WHERE b.label = 'cap'" | paste -sd' ' -)"

# merge carries a boot's --meta
OTHER=$(new_db other)
"$B" merge "$OTHER" "$BOOTLOG_DB" >/dev/null || fail "merge"
check_eq "merged meta" "$(sql 'SELECT count(*) FROM boot_meta')" "$(sql "$OTHER" 'SELECT count(*) FROM boot_meta')"
check_eq "merged boot_summary" "$(sql 'SELECT boot_id, meta FROM boot_summary ORDER BY 1' | tr -d ' ')" \
    "$(sql "$OTHER" 'SELECT boot_id, meta FROM boot_summary ORDER BY 1' | tr -d ' ')"
finish
