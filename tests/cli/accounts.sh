#!/bin/sh
# The whole boot on one timeline from what the firmware and systemd say of
# their own time (parsers/accounts.c, src/phases.c): a cbmem -t file on its
# own, U-Boot's bootstage report on a console without host stamps, EDK2's
# debug markers given with --firmware, systemd's "Startup finished" line
# with its cross-check, and systemd-analyze's units (--userspace) in
# top-units and compare.
. "$(dirname "$0")/lib.sh"
D="$(dirname "$0")/data"
A="$(dirname "$0")/../parsers/accounts"

# a cbmem -t table alone is a boot: coreboot's stages, on its own clock
"$BOOTLOG" import --label cbmem "$A/coreboot-apu2-cbmem-t.log" >/dev/null || fail "import a cbmem -t file"
golden accounts-cbmem.csv "$BOOTLOG" phases --label cbmem --format csv
# reanalyze reads the accounts again from the stored lines (a boot from
# before schema 12 has none): the same phases
cbmem=$(sql "SELECT id FROM boot WHERE label = 'cbmem'")
sql "DELETE FROM account WHERE boot_id = $cbmem" >/dev/null
sql "UPDATE boot SET analysis = 4 WHERE id = $cbmem" >/dev/null
check_eq "reanalyze" "1 boot derived again (analysis 5)" "$("$BOOTLOG" reanalyze 2>/dev/null)"
golden accounts-cbmem.csv "$BOOTLOG" phases --label cbmem --format csv

# bootstage before a kernel, no host stamps: t = 0 is U-Boot's reset, the
# kernel starts at its last mark (start_kernel), accumulated times have
# no start
{ cat "$A/chromeos-uboot-vpl-bootstage-unnamed.log"; cat "$Q/6.1.192-verbose-1.dmesg"; } >"$SCRATCH/uboot.log"
"$BOOTLOG" import --label uboot "$SCRATCH/uboot.log" >/dev/null || fail "import bootstage + kernel"
golden accounts-uboot.csv "$BOOTLOG" phases --label uboot --format csv
check_eq "kernel after the firmware" "5381751" \
    "$("$BOOTLOG" phases --label uboot --format csv | awk -F, '$1 == "kernel:early" { print $8 }')"

# EDK2's SEC, PEI, DXE and BDS from its debug port, to BdsDxe's hand-off
"$BOOTLOG" import --label edk2 "$Q/6.1.192-verbose-1.console.grabserial" --firmware "$D/edk2-debug.grabserial" \
    >/dev/null || fail "import EDK2's debug output"
check_eq "EDK2 stages" "firmware,496000 firmware:sec,26000 firmware:pei,125000 firmware:dxe,245000 firmware:bds,100000" \
    "$("$BOOTLOG" phases --label edk2 --format csv | awk -F, '$1 ~ /^firmware/ { printf "%s%s,%d", (n++ ? " " : ""), $1, $3 }')"

# a cbmem table given with --firmware: coreboot's stages before the kernel's
"$BOOTLOG" import --label cbmem-fw "$Q/6.1.192-verbose-1.dmesg" --firmware "$A/coreboot-apu2-cbmem-t.log" \
    >/dev/null || fail "import --firmware cbmem"
check_eq "--firmware cbmem: firmware, then the kernel" "firmware,0,2514808 kernel:early,2514808" \
    "$("$BOOTLOG" phases --label cbmem-fw --format csv |
       awk -F, '$1 == "firmware" { f = $1 "," $8 "," $3 + 0 } $1 == "kernel:early" { k = $1 "," $8 } END { print f " " k }')"

# FPDT's figures as the guest printed them: the firmware's own account
{ cat "$Q/6.1.192-verbose-1.console.grabserial"; sed 's/^/[2.400000 0.000001] /' "$A/fpdt-sysfs-grep.log"; } \
    >"$SCRATCH/fpdt.log"
"$BOOTLOG" import --label fpdt "$SCRATCH/fpdt.log" >/dev/null || fail "import FPDT lines"
check_eq "FPDT" "fpdt:firmware,1712345 fpdt:loader,587655 fpdt:exit-boot-services,1000" \
    "$("$BOOTLOG" phases --label fpdt --format csv | awk -F, '$1 ~ /^fpdt:/ { printf "%s%s,%d", (n++ ? " " : ""), $1, $3 }')"

# systemd's account beside bootlog's, and the units
for i in 1 2; do
    { cat "$Q/6.1.192-verbose-$i.console.grabserial"
      echo "[2.500000 0.000001] systemd[1]: Startup finished in 1.700s (kernel) + 600ms (userspace) = 2.300s."
    } >"$SCRATCH/sd$i.log"
    printf '         %s foo.service\n           400ms bar.service\ngraphical.target @590ms\n└─foo.service @10ms +3.2s\n' \
        "$i.5s" >"$SCRATCH/blame$i.txt"
    "$BOOTLOG" import --label "sd$i" "$SCRATCH/sd$i.log" --userspace "$SCRATCH/blame$i.txt" >/dev/null ||
        fail "import with --userspace"
done
"$BOOTLOG" phases --label sd1 >"$SCRATCH/phases" || fail "phases sd1"
grep -q "^systemd's kernel 1.700 s, bootlog's (printk 0 to Run /init) 1.[0-9]* s: they " "$SCRATCH/phases" ||
    fail "no cross-check: $(tail -3 "$SCRATCH/phases")"
check_eq "systemd's figures" "systemd:kernel,1700000 systemd:userspace,600000 systemd:total,2300000" \
    "$("$BOOTLOG" phases --label sd1 --format csv | awk -F, '$1 ~ /^systemd:/ { printf "%s%s,%d", (n++ ? " " : ""), $1, $3 }')"
# blame's time wins over critical-chain's +, critical-chain's @ is kept
golden accounts-top-units.csv "$BOOTLOG" top-units --label sd1 --format csv
check_eq "compare's units" "unit,foo.service,1500000,2500000" \
    "$("$BOOTLOG" compare sd1 sd2 --all --format csv |
       awk -F, '$1 == "unit" && $2 == "foo.service" { print $1 "," $2 "," $3 + 0 "," $4 + 0 }')"
expect_error 2 '^bootlog: import: --firmware, --dmesg and --userspace belong to one boot' \
    "$BOOTLOG" import --userspace "$SCRATCH/blame1.txt" "$SCRATCH/sd1.log" "$SCRATCH/sd2.log"
check_eq "database whole" ok "$(db_check)"
finish
