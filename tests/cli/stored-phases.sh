#!/bin/sh
# Phases stored at import equal phases worked out from the stored lines and
# calls: import finds some markers as they go by (the power-off line, the
# end of the initcalls, the last line's time) instead of reading the boot
# again, and must find what the queries find. Every sample and test log,
# as read and corrected; then the stored phases are deleted and `bootlog
# phases` works them out on the fly (as for a boot of an older database).
. "$(dirname "$0")/lib.sh"
TESTS="$(cd "$(dirname "$0")/.." && pwd)"
cd "$SCRATCH" || exit 1
for f in "$Q"/*.grabserial "$Q"/*.dmesg "$TESTS"/parsers/*/*.log "$REAL_WORLD"/*.txt; do
    [ -e "$f" ] || continue
    "$BOOTLOG" import "$f" >/dev/null 2>&1 || fail "import $f"
done
V="$Q/6.1.192-verbose-1"
"$BOOTLOG" import "$V.console.grabserial" --firmware "$V.seabios.grabserial" --label with-firmware >/dev/null ||
    fail "import with firmware"

# all boots' phases, as read and corrected, with the boot length
phases() {
    for id in $(sql "SELECT id FROM boot ORDER BY id"); do
        for c in "" --corrected; do
            echo "boot $id $c"
            "$BOOTLOG" phases --boot "$id" $c --format csv 2>&1
        done
    done
}
phases >stored.txt
boots=$(sql "SELECT count(*) FROM boot")
[ "$boots" -gt 60 ] || fail "only $boots boots"
check_eq "boots with stored phases" "$boots" "$(sql "SELECT count(DISTINCT boot_id) FROM timeline")"
sql "DELETE FROM phase; DELETE FROM timeline"
phases >computed.txt
cmp -s stored.txt computed.txt || fail "stored and computed phases differ: $(diff stored.txt computed.txt | head -6)"
[ "$(grep -c '^kernel:initcalls,' stored.txt)" -gt 60 ] || fail "few boots with an initcalls phase"
[ "$(grep -c '^userspace,' stored.txt)" -gt 40 ] || fail "few boots with a userspace phase"
finish
