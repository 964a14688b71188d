#!/bin/sh
# No line is lost: for every sample and test log, the lines stored equal
# the lines of the file, `bootlog cat` of its boots in order gives the file
# back byte for byte, and the lines nothing understood are counted, the
# same number as `bootlog parse` reports.
. "$(dirname "$0")/lib.sh"
TESTS="$(dirname "$0")/.."
n=0
for f in "$Q"/*.grabserial "$Q"/*.dmesg "$SAMPLES"/*.txt "$TESTS"/parsers/*/*.log "$REAL_WORLD"/*.txt; do
    [ -e "$f" ] || continue
    n=$((n + 1))
    "$BOOTLOG" import "$f" >/dev/null || { fail "import $f"; continue; }
    # lines in the file: newlines, plus a last line without one
    want=$(wc -l <"$f")
    [ -s "$f" ] && [ "$(tail -c 1 "$f" | od -An -c | tr -d ' ')" != '\n' ] && want=$((want + 1))
    got=$(sql "SELECT line_count FROM input WHERE id = (SELECT max(id) FROM input)")
    check_eq "lines stored of $f" "$want" "$got"
    : >"$SCRATCH/back"
    for boot in $(sql "SELECT DISTINCT s.boot_id FROM stream s
                   WHERE s.input_id = (SELECT max(id) FROM input) ORDER BY s.boot_id"); do
        "$BOOTLOG" cat "$boot" >>"$SCRATCH/back" || fail "cat $boot"
    done
    cmp -s "$f" "$SCRATCH/back" || fail "$f does not come back byte for byte"
    unrecognized=$("$BOOTLOG" parse "$f" | tail -n 1 | sed 's/.*unrecognized: \([0-9]*\).*/\1/')
    stored=$(sql "SELECT sum(unrecognized_count) FROM boot WHERE id IN
             (SELECT boot_id FROM stream WHERE input_id = (SELECT max(id) FROM input))")
    check_eq "unrecognized lines of $f" "$unrecognized" "$stored"
done
[ "$n" -gt 40 ] || fail "only $n files checked"
echo "$n files checked"
finish
