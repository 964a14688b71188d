#!/bin/sh
# bootlog capture of UEFI VMs under TCG, with Debian's OVMF (release build:
# no debug output), two ways, each one contiguous timeline from the exec to
# the power-off:
#   - scripts/make-test-vm --uefi: OVMF boots a disk (an ESP whose
#     BOOTX64.EFI is GRUB): vmm, firmware to "BdsDxe: starting Boot0002",
#     loader (GRUB) to its last line, kernel:entry, ..., shutdown;
#   - qemu -kernel with OVMF: the firmware starts the kernel itself; its
#     screen set-up is glued to the EFI stub's first line, the hand-off.
# Needs Debian's package archive the first time (BOOTLOG_SKIP_VM=1 skips).
. "$(dirname "$0")/lib.sh"
if [ "${BOOTLOG_SKIP_VM:-}" = 1 ]; then
    echo "skipped: BOOTLOG_SKIP_VM=1"
    exit 77
fi
TOP="$(cd "$(dirname "$0")/../.." && pwd)"

# the top-level phases of boot $1, in order, and whether each starts where
# the one before ended (to the microsecond; a part, kernel:smp, aside)
timeline() {
    "$BOOTLOG" phases --boot "$1" --format csv >"$SCRATCH/phases-$1" || fail "phases $1"
    cat "$SCRATCH/phases-$1"
    awk -F, 'NR > 1 && $1 !~ /^kernel:smp/ {
        d = $8 - end
        printf "%s%s", (n ? " " : ""), $1
        if (n++ && (d > 1 || d < -1)) printf "(gap %d us)", d
        end = $8 + $3 }' "$SCRATCH/phases-$1"
}

cmd=$("$TOP/scripts/make-test-vm" --uefi) || { fail "scripts/make-test-vm --uefi failed"; finish; }
echo "$cmd"
case $cmd in *OVMF_CODE*fat:*) ;; *) fail "no OVMF and ESP in: $cmd" ;; esac
eval "set -- $cmd"
"$BOOTLOG" capture --label disk --timeout 120 -- "$@" >"$SCRATCH/out" || fail "capture: $(cat "$SCRATCH/out")"
cat "$SCRATCH/out"
check_eq "disk: exit" "0|0" "$(sql "SELECT exit_status, timed_out FROM boot WHERE label = 'disk'")"
check_eq "disk: OVMF's hand-off" 1 \
    "$(sql "SELECT count(*) FROM stream_line WHERE boot_id = 1 AND stream = 'firmware' AND mark = 'uefi-boot' AND text LIKE 'BdsDxe: starting Boot%'")"
check_eq "disk: timeline" "vmm firmware loader kernel:entry kernel:early kernel:initcalls kernel:late userspace shutdown" \
    "$(timeline 1 | tail -1)"
check_eq "disk: the firmware and GRUB took time" "1 1" \
    "$(awk -F, '$1 == "firmware" { f = ($3 > 10000) } $1 == "loader" { l = ($3 > 10000) } END { print f, l }' \
       "$SCRATCH/phases-1")"

# qemu -kernel with OVMF
cmd=$("$TOP/scripts/make-test-vm") || { fail "scripts/make-test-vm failed"; finish; }
eval "set -- $cmd -drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
    -drive if=pflash,format=raw,unit=1,snapshot=on,file=/usr/share/OVMF/OVMF_VARS_4M.fd"
"$BOOTLOG" capture --label direct --timeout 120 -- "$@" >"$SCRATCH/out" || fail "capture: $(cat "$SCRATCH/out")"
check_eq "direct: hand-off line" 1 \
    "$(sql "SELECT count(*) FROM stream_line WHERE boot_id = 2 AND stream = 'firmware' AND text LIKE '%EFI stub: %'")"
check_eq "direct: timeline" "vmm firmware kernel:entry kernel:early kernel:initcalls kernel:late userspace shutdown" \
    "$(timeline 2 | tail -1)"
finish
