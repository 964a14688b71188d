#!/bin/sh
# The console correction on a stored series it was not built on
# (samples/accuracy: deterministic -icount boots of a Debian 6.1 kernel,
# three verbose and three quiet): scripts/accuracy's table, exactly, and the
# prediction of the quiet boots' 'Run /init' from the verbose ones alone,
# and the corrected initcall sum, within 1.5% of what the quiet boots show.
. "$(dirname "$0")/lib.sh"
TOP="$(cd "$(dirname "$0")/../.." && pwd)"
golden accuracy-icount.txt "$TOP/scripts/accuracy" --from "$SAMPLES/accuracy" --bootlog "$BOOTLOG" \
    --db "$SCRATCH/accuracy.db" 6.1-cloud-icount
check_eq "verdict" within "$(awk 'NR == 2 { print $NF }' "$SCRATCH/out")"
check_eq "quiet boots deterministic" "11312782" \
    "$(sqlite3 "$SCRATCH/accuracy.db" "SELECT group_concat(DISTINCT userspace_printk_us) FROM boot WHERE label = '6.1-cloud-icount-q'")"
check_eq "guest clock: no host phases" 0 \
    "$("$BOOTLOG" phases --db "$SCRATCH/accuracy.db" --label 6.1-cloud-icount-v --format csv | grep -c '^vmm\|^firmware')"
finish
