#!/bin/sh
# Phases, the UART model and comparisons on the samples: exact outputs, the
# accuracy of the console model against the quiet boots, and the verdicts
# the samples must give.
. "$(dirname "$0")/lib.sh"
cd "$Q" || exit 1
for i in 1 2 3 4 5; do
    import_boot 6.1.192-verbose 6.1.192-verbose-$i >/dev/null || fail "import verbose-$i"
    import_boot 6.1.192-quiet 6.1.192-quiet-$i >/dev/null || fail "import quiet-$i"
done
for i in 1 2 3; do
    import_boot 6.1.192-smp4-verbose 6.1.192-smp4-verbose-$i >/dev/null || fail "import smp4-$i"
    import_boot 6.1.170-verbose 6.1.170-verbose-$i >/dev/null || fail "import 170-$i"
done
B=$BOOTLOG
q() { sql "$1"; }

golden phases-boot1.txt "$B" phases --boot 1
golden phases-verbose.csv "$B" phases --label 6.1.192-verbose --format csv
golden phases-quiet-corrected.txt "$B" phases --label 6.1.192-quiet --corrected
golden phases-user.json "$B" phases --boot 1 --format json \
    --phase 'acpi=^ACPI: Interpreter enabled..^ACPI: PCI Root Bridge' --phase 'never=^no such line..x'
golden uart-verbose.txt "$B" uart --label 6.1.192-verbose
golden uart-verbose.json "$B" uart --label 6.1.192-verbose --format json
golden uart-given.csv "$B" uart --boot 1 --us-per-char 2 --format csv
golden top-corrected.txt "$B" top-initcalls --label 6.1.192-verbose --corrected -n 8
check_eq "corrected line times" "1784397|1639273" \
    "$(q "SELECT printk_us, corrected_printk_us FROM line_corrected WHERE text = 'Run /init as init process' AND dump = 0 ORDER BY id LIMIT 1")"
golden compare-smp4.csv "$B" compare 6.1.192-verbose 6.1.192-smp4-verbose --format csv
golden compare-170.txt "$B" compare 6.1.170-verbose 6.1.192-verbose

# Accuracy of the UART model (issue 5): from the verbose boots alone, the
# predicted userspace time and the corrected sum of initcall durations must
# land within 5% of what the quiet boots measured.
err() { awk -v a="$1" -v b="$2" 'BEGIN { e = (a - b) / b; printf "%.4f", e < 0 ? -e : e }'; }
quiet_init=$(q "SELECT avg(userspace_printk_us) FROM boot WHERE label = '6.1.192-quiet'")
predicted=$(q "SELECT avg(u.predicted_userspace_us) FROM uart u JOIN boot b ON b.id = u.boot_id WHERE b.label = '6.1.192-verbose'")
measured=$(q "SELECT avg(userspace_printk_us) FROM boot WHERE label = '6.1.192-verbose'")
quiet_sum=$(q "SELECT avg(s) FROM (SELECT sum(c.reported_us) s FROM call c JOIN boot b ON b.id = c.boot_id WHERE b.label = '6.1.192-quiet' AND c.kind = 'initcall' GROUP BY b.id) t")
corrected_sum=$(q "SELECT avg(s) FROM (SELECT sum(c.corrected_us) s FROM call c JOIN boot b ON b.id = c.boot_id WHERE b.label = '6.1.192-verbose' AND c.kind = 'initcall' GROUP BY b.id) t")
raw_sum=$(q "SELECT avg(s) FROM (SELECT sum(c.reported_us) s FROM call c JOIN boot b ON b.id = c.boot_id WHERE b.label = '6.1.192-verbose' AND c.kind = 'initcall' GROUP BY b.id) t")
echo "userspace: quiet $quiet_init, verbose measured $measured ($(err "$measured" "$quiet_init")), predicted $predicted ($(err "$predicted" "$quiet_init"))"
echo "initcall sum: quiet $quiet_sum, verbose raw $raw_sum ($(err "$raw_sum" "$quiet_sum")), corrected $corrected_sum ($(err "$corrected_sum" "$quiet_sum"))"
awk -v e="$(err "$predicted" "$quiet_init")" 'BEGIN { exit !(e < 0.05) }' || fail "predicted userspace off by more than 5%"
awk -v e="$(err "$corrected_sum" "$quiet_sum")" 'BEGIN { exit !(e < 0.05) }' || fail "corrected initcall sum off by more than 5%"
awk -v e="$(err "$measured" "$quiet_init")" 'BEGIN { exit !(e > 0.10) }' || fail "the uncorrected figure should be >10% off"

# The verdicts the samples must give.
verdict() { "$B" compare "$1" "$2" --format csv --all | awk -F, -v k="$3" -v n="$4" '$1 == k && $2 == n { print $8 }'; }
check_eq "4 vCPUs: whole boot" slower "$(verdict 6.1.192-verbose 6.1.192-smp4-verbose total boot)"
check_eq "6.1.170 -> 6.1.192: whole boot" same "$(verdict 6.1.170-verbose 6.1.192-verbose total boot)"
check_eq "quiet: userspace" faster "$(verdict 6.1.192-verbose 6.1.192-quiet total userspace)"
"$B" compare 6.1.192-verbose 6.1.192-smp4-verbose --fail-on-regression 5 >/dev/null
check_eq "regression status" 3 $?
"$B" compare 6.1.192-verbose 6.1.192-quiet --fail-on-regression 5 >/dev/null
check_eq "no regression status" 0 $?
"$B" compare @1,3,5 @2,4,6 --format csv >/dev/null || fail "compare boot sets"
expect_error 2 "^bootlog: compare: give two labels" "$B" compare 6.1.192-verbose
expect_error 2 "^bootlog: --phase: 'oops' is not NAME=START_REGEX..END_REGEX$" "$B" phases --phase oops
finish
