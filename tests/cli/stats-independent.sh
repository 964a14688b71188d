#!/bin/sh
# top-initcalls' statistics over five boots, checked against an
# independent computation: awk reads the kernel's own dmesg files (not
# bootlog's database) and computes, per function, the sum over its calls
# in each boot, then mean, sample standard deviation (n - 1), min, median,
# max and share over the boots, printed with the same precision as the CSV.
. "$(dirname "$0")/lib.sh"
cd "$Q" || exit 1

for kind in verbose quiet; do
    for i in 1 2 3 4 5; do
        import_boot 6.1.192-$kind 6.1.192-$kind-$i >/dev/null || fail "import $kind-$i"
    done
    "$BOOTLOG" top-initcalls --label 6.1.192-$kind --format csv -n 0 |
        tail -n +2 | cut -d, -f2-11 | sort >"$SCRATCH/bootlog.csv"   # up to share (then suspect)

    awk '
    # "[    0.201241] initcall con_init+0x0/0x22c returned 0 after 0 usecs"
    / initcall .* returned -?[0-9]+ after [0-9]+ usecs/ {
        fn = $0
        sub(/^.* initcall /, "", fn); sub(/[+ ].*$/, "", fn)
        d = $0; sub(/ usecs.*$/, "", d); sub(/^.* after /, "", d)
        key = fn SUBSEP FILENAME
        if (!(key in sum)) { n[fn]++; boots[fn, n[fn]] = FILENAME }
        sum[key] += d; calls[fn]++; total += d; ftotal[fn] += d
    }
    END {
        for (fn in n) {
            k = n[fn]; s = 0
            for (j = 1; j <= k; j++) { v[j] = sum[fn, boots[fn, j]]; s += v[j] }
            for (a = 1; a <= k; a++) for (b = a + 1; b <= k; b++)
                if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
            mean = s / k; ss = 0
            for (j = 1; j <= k; j++) ss += (v[j] - mean) ^ 2
            sd = k > 1 ? sqrt(ss / (k - 1)) : 0
            med = k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
            printf "%s,,%d,%d,%.1f,%.1f,%d,%.1f,%d,%.4f\n", fn, calls[fn], k, mean, sd, v[1], med, v[k], ftotal[fn] / total
        }
    }' 6.1.192-$kind-[1-5].dmesg | sort >"$SCRATCH/awk.csv"

    rows=$(wc -l <"$SCRATCH/awk.csv")
    [ "$rows" -gt 500 ] || fail "$kind: awk found only $rows functions"
    diff -u "$SCRATCH/awk.csv" "$SCRATCH/bootlog.csv" >&2 || fail "$kind: bootlog and awk disagree"
done
finish
