#!/bin/sh
# Which consoles made printk wait (uart.c, docs/DESIGN.md "Which consoles
# block"), from the console registrations each kernel prints: per line,
# the bytes printk waited for before it (line.wait_chars), and the boot's
# kind (boot.console). The lines are the kernels' own words.
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH" || exit 1
B=$BOOTLOG

# waits LABEL: seq:wait_chars of the boot's lines
waits() {
    sql "SELECT group_concat(w, ' ') FROM (SELECT l.seq || ':' || l.wait_chars AS w FROM line l
        JOIN stream s ON s.id = l.stream_id JOIN boot b ON b.id = s.boot_id WHERE b.label = '$1' ORDER BY l.id) t"
}
# sums LABEL SEQ...: the bytes of the boot's lines 1..SEQ, for each SEQ
sums() {
    label=$1
    shift
    for n in "$@"; do
        sql "SELECT coalesce(sum(l.chars), 0) FROM line l JOIN stream s ON s.id = l.stream_id
            JOIN boot b ON b.id = s.boot_id WHERE b.label = '$label' AND l.seq <= $n"
    done | paste -sd' ' -
}
console() { sql "SELECT console FROM boot WHERE label = '$1'"; }

# 6.13+ with an nbcon console and an earlycon: printk waits while the boot
# console is registered (from its registration, whose backlog is the one
# line before), and no more once it is dropped.
cat >nbcon.log <<'LOG'
[    0.000000] Linux version 6.13.0-test (x@y) (gcc 12) #1 SMP PREEMPT_DYNAMIC
[    0.000000] printk: legacy bootconsole [uart8250] enabled
[    0.010000] Kernel command line: console=ttyS0 earlycon
[    0.020000] printk: console [ttyS0] enabled
[    0.020001] printk: legacy bootconsole [uart8250] disabled
[    0.030000] Freeing unused kernel image memory: 1024K
[    0.040000] Run /init as init process
LOG
"$B" import --label nbcon nbcon.log >/dev/null || fail "import nbcon.log"
set -- $(sums nbcon 1 2 3 4 5)
check_eq "nbcon: waits" "1:0 2:$1 3:$2 4:$3 5:$4 6:$5 7:$5" "$(waits nbcon)"
check_eq "nbcon: kind" "nbcon: printk waited 0.000000..0.020001 s" "$(console nbcon)"

# 6.12: the 8250 is a legacy console: printk waits from its registration
# on, the backlog first.
cat >legacy.log <<'LOG'
[    0.000000] Linux version 6.12.118+deb12-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian
[    0.000000] Command line: console=ttyS0
[    0.120000] printk: legacy console [ttyS0] enabled
[    0.130000] Freeing unused kernel image memory: 1024K
[    0.140000] Run /init as init process
LOG
"$B" import --label legacy legacy.log >/dev/null || fail "import legacy.log"
set -- $(sums legacy 2 3 4)
check_eq "legacy: waits" "1:0 2:0 3:$1 4:$2 5:$3" "$(waits legacy)"
check_eq "legacy: kind" "legacy: printk waited 0.120000..0.140000 s" "$(console legacy)"

# Before 6.12 every console is legacy, though it is printed without the word.
sed -e 's/6.12.118+deb12-amd64/6.1.0-57-amd64/' -e 's/legacy console/console/' legacy.log >old.log
"$B" import --label old old.log >/dev/null || fail "import old.log"
set -- $(sums old 2 3 4)
check_eq "6.1: waits as legacy" "1:0 2:0 3:$1 4:$2 5:$3" "$(waits old)"
check_eq "6.1: kind" "legacy: printk waited 0.120000..0.140000 s" "$(console old)"

# PREEMPT_RT: consoles print from threads; printk never waits.
sed -e 's/PREEMPT_DYNAMIC/PREEMPT_RT/' -e 's/legacy console/console/' legacy.log >rt.log
"$B" import --label rt rt.log >/dev/null || fail "import rt.log"
check_eq "rt: waits" "1:0 2:0 3:0 4:0 5:0" "$(waits rt)"
check_eq "rt: kind" "PREEMPT_RT: printk never waited" "$(console rt)"
check_eq "rt: parse says so" 1 "$("$B" parse rt.log | grep -c '^console .* value=preempt-rt ')"

# No registration in the log (cut short, or a quiet console): assumed to
# have blocked from the start, and said.
sed '/console \[/d' legacy.log >cut.log
"$B" import --label cut cut.log >/dev/null || fail "import cut.log"
set -- $(sums cut 1 2 3)
check_eq "cut: waits" "1:0 2:$1 3:$2 4:$3" "$(waits cut)"
check_eq "cut: kind" "assumed legacy: printk waited 0.000000..0.140000 s" "$(console cut)"
finish
