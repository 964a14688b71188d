#!/bin/sh
# relabel and delete: the boots asked for (sets of ids: 3,5-9), in one
# transaction; delete takes a boot's lines, calls and derived rows with it,
# and its input when no other boot came from it; neither acts on every boot
# by default.
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH" || exit 1
B=$BOOTLOG
for i in 1 2 3 4; do
    "$B" import --label q "$Q/6.1.192-quiet-$i.dmesg" >/dev/null || fail "import $i"
done
q() { sql "$1"; }
check_eq "relabel" "2 boots labelled 'other'" "$("$B" relabel other --boot 2,4)"
check_eq "labels" "q,other,q,other" "$(q 'SELECT label FROM boot ORDER BY id' | paste -sd, -)"
check_eq "a set" "2 3" "$("$B" boots --boot 2-3 --format csv | awk -F, 'NR > 1 { print $1 }' | paste -sd' ' -)"
expect_error 2 "^bootlog: delete: give --boot or --label \(it does not delete every boot\)$" "$B" delete
check_eq "delete" "2 boots deleted" "$("$B" delete --label other)"
check_eq "left" "1 3" "$(q 'SELECT id FROM boot ORDER BY id' | paste -sd' ' -)"
check_eq "nothing of them left" "0|0|0|0|0|2" "$(q "SELECT
    (SELECT count(*) FROM line l WHERE NOT EXISTS (SELECT 1 FROM stream s WHERE s.id = l.stream_id)),
    (SELECT count(*) FROM call WHERE boot_id IN (2, 4)), (SELECT count(*) FROM stream WHERE boot_id IN (2, 4)),
    (SELECT count(*) FROM phase WHERE boot_id IN (2, 4)), (SELECT count(*) FROM uart WHERE boot_id IN (2, 4)),
    (SELECT count(*) FROM input)")"
check_eq "database whole" ok "$(db_check)"
expect_error 1 "^bootlog: .*: no boot 2$" "$B" delete --boot 2
finish
