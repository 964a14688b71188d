#!/bin/sh
# bootlog capture of a UEFI VM: scripts/make-test-vm --uefi boots the test
# kernel with Debian's OVMF under TCG. OVMF's release build prints nothing
# but its screen set-up, glued to the EFI stub's first line: that line is
# the hand-off, and the boot must still be one timeline of vmm, firmware,
# kernel and userspace phases, each starting where the one before ended.
# Needs Debian's package archive the first time (BOOTLOG_SKIP_VM=1 skips).
. "$(dirname "$0")/lib.sh"
if [ "${BOOTLOG_SKIP_VM:-}" = 1 ]; then
    echo "skipped: BOOTLOG_SKIP_VM=1"
    exit 77
fi
TOP="$(cd "$(dirname "$0")/../.." && pwd)"
cmd=$("$TOP/scripts/make-test-vm" --uefi) || { fail "scripts/make-test-vm --uefi failed"; finish; }
echo "$cmd"
case $cmd in *OVMF_CODE*) ;; *) fail "no OVMF in: $cmd" ;; esac
eval "set -- $cmd"
"$BOOTLOG" capture --label uefi --timeout 120 -- "$@" >"$SCRATCH/out" || fail "capture: $(cat "$SCRATCH/out")"
cat "$SCRATCH/out"

check_eq "exit" "0|0" "$(sql 'SELECT exit_status, timed_out FROM boot')"
check_eq "hand-off line" 1 "$(sql "SELECT count(*) FROM stream_line WHERE stream = 'firmware' AND text LIKE '%EFI stub: %'")"
"$BOOTLOG" phases --boot 1 --format csv >"$SCRATCH/phases" || fail "phases"
cat "$SCRATCH/phases"
# the top-level phases in order, and contiguous (a part, kernel:smp, aside)
check_eq "phases" "vmm firmware kernel:entry kernel:early kernel:initcalls kernel:late userspace shutdown" \
    "$(awk -F, 'NR > 1 && $1 != "kernel:smp" { printf "%s%s", (n++ ? " " : ""), $1 }' "$SCRATCH/phases")"
check_eq "contiguous" "" "$(awk -F, 'NR > 1 && $1 != "kernel:smp" {
        d = $8 - end
        if (n++ && (d > 1 || d < -1)) print $1 " starts " d " us after the phase before ends"
        end = $8 + $3 }' "$SCRATCH/phases")"
check_eq "firmware took time" 1 "$(awk -F, '$1 == "firmware" { print ($3 > 10000) }' "$SCRATCH/phases")"
finish
