#!/bin/sh
# printk on the host clock is a fit of the printk clock's last segment: a
# restart of the printk clock (tsc: Fast TSC calibration failed, the clock
# going back) does not move printk 0, and a guest clock drifting against
# the host's does not pile its drift into the last phase.
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH" || exit 1
B=$BOOTLOG
# before the restart printk 0 would be at 56.5 ms (100.5 ms - 44 ms); after
# it, the clock restarts at 0.00065 s at 145 ms: printk 0 is at 144.35 ms
cat >restart.bootlog <<'LOG'
#bootlog-capture 1
C 100000000 100100000 [    0.000000] Linux version 6.1.0-test (z)
C 100500000 100600000 [    0.044000] tsc: Fast TSC calibration failed
C 145000000 145100000 [    0.000650] tsc: Detected 2596.143 MHz processor
C 300000000 300100000 [    0.155650] calling  foo_init+0x0/0x10 @ 1
C 300190000 300290000 [    0.155740] initcall foo_init+0x0/0x10 returned 0 after 90 usecs
C 500000000 500100000 [    0.355650] Run /init as init process
LOG
"$B" import --label restart restart.bootlog >/dev/null || fail "import restart"
check_eq "kernel:early from printk 0 of the last segment" "144350,155650.0" \
    "$("$B" phases --label restart --format csv | awk -F, '$1 == "kernel:early" { print $8 "," $3 }')"

# a guest clock 1% fast: printk 1.000 s arrives at host 0.990 s after printk 0
{
    echo '#bootlog-capture 1'
    i=0
    while [ $i -le 100 ]; do
        p=$((i * 10000))                 # printk us
        h=$((200000000 + p * 990))       # host ns: 0.99 ns per printk ns
        printf 'C %d %d [%5d.%06d] line %d\n' "$h" "$((h + 50000))" $((p / 1000000)) $((p % 1000000)) "$i"
        # one line stamped 50 ms ahead, as by another CPU's clock
        [ $i = 20 ] && printf 'C %d %d [%5d.%06d] ahead\n' "$((h + 1000))" "$((h + 2000))" 0 $((p + 50000))
        [ $i = 50 ] && printf 'C %d %d [%5d.%06d] Run /init as init process\n' "$((h + 1000))" "$((h + 2000))" \
            $((p / 1000000)) $((p % 1000000))
        i=$((i + 1))
    done
    printf 'C %d %d [%5d.%06d] reboot: Power down\n' $((200000000 + 1000000 * 990)) $((200000000 + 1000000 * 990 + 5000)) 1 0
} >drift.bootlog
"$B" import --label drift drift.bootlog >/dev/null || fail "import drift"
# userspace: 0.5 s of printk time is 495 ms on the host clock
check_eq "userspace on the host clock" 495000.0 \
    "$("$B" phases --label drift --format csv | awk -F, '$1 == "userspace" { print $3 }')"
check_eq "the line ahead said" 1 \
    "$("$B" phases --label drift | grep -c 'x 0.99000 over 104 lines, .*, 1 line stamped ahead of it')"
finish
