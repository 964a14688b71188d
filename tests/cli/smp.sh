#!/bin/sh
# Parallel work on the timeline: each secondary CPU's bring-up as a phase
# (x86's "#N" as each starts, arm64's "CPUn: Booted secondary processor"
# as each is up; none from a resume's CPU hotplug), and plot timeline's
# lanes, one per task, only when more than one task ran initcalls.
. "$(dirname "$0")/lib.sh"
cpus() { "$BOOTLOG" phases --label "$1" --format csv | awk -F, '$1 ~ /^kernel:smp:cpu/ {
    printf "%s%s=%d", (n++ ? " " : ""), substr($1, 12), $3 }'; }

"$BOOTLOG" import --label x86 "$Q/6.1.192-smp4-verbose-1.dmesg" >/dev/null || fail "import x86"
check_eq "x86: from each start to the next" "cpu1=93393 cpu2=80125 cpu3=83592" "$(cpus x86)"
"$BOOTLOG" import --label arm64 "$REAL_WORLD/rg353v-rk3566-6.6-rc2-arm64-dmesg-crlf.txt" >/dev/null ||
    fail "import arm64"
check_eq "arm64: from each up to the next" "cpu1=1421 cpu2=1650 cpu3=1430" "$(cpus arm64)"
"$BOOTLOG" import --label resume "$REAL_WORLD/pmgraph-skynet-3.15-standby-suspend-dmesg.txt" >/dev/null ||
    fail "import a resume"
check_eq "a resume's CPUs are no bring-up" "" "$(cpus resume)"

"$BOOTLOG" import --label async "$(dirname "$0")/../parsers/calls/levels-async-probes.log" >/dev/null ||
    fail "import async"
async=$(sql "SELECT id FROM boot WHERE label = 'async'")
"$BOOTLOG" plot timeline --boot "$async" -o "$SCRATCH/async.gp" || fail "plot async"
check_eq "a lane per task" 'task \100 1 (1 call)|task \100 5 (1 call)|task \100 6 (1 call)' \
    "$(grep -o '"task [^"]*"' "$SCRATCH/async.gp" | tr -d '"' | paste -sd'|' -)"
x86=$(sql "SELECT id FROM boot WHERE label = 'x86'")
"$BOOTLOG" plot timeline --boot "$x86" -o "$SCRATCH/x86.gp" || fail "plot x86"
check_eq "one task: no lanes" 0 "$(grep -c '"task ' "$SCRATCH/x86.gp")"
finish
