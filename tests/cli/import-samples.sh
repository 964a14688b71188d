#!/bin/sh
# Imports the 6.1.192 verbose and quiet samples (console + firmware + dmesg)
# and checks the exact output of import, boots and top-initcalls.
. "$(dirname "$0")/lib.sh"
cd "$Q" || exit 1

: >"$SCRATCH/import.out"
for i in 1 2 3 4 5; do
    import_boot 6.1.192-verbose 6.1.192-verbose-$i >>"$SCRATCH/import.out" || fail "import verbose-$i"
    import_boot 6.1.192-quiet 6.1.192-quiet-$i >>"$SCRATCH/import.out" || fail "import quiet-$i"
done
golden import.txt cat "$SCRATCH/import.out"
golden boots.txt "$BOOTLOG" boots
golden boots.csv "$BOOTLOG" boots --format csv
golden boots-quiet.json "$BOOTLOG" boots --label 6.1.192-quiet --format json

golden top-boot1.txt "$BOOTLOG" top-initcalls --boot 1
golden top-boot1.csv "$BOOTLOG" top-initcalls --boot 1 --format csv -n 5
golden top-verbose.txt "$BOOTLOG" top-initcalls --label 6.1.192-verbose
golden top-verbose.json "$BOOTLOG" top-initcalls --label 6.1.192-verbose --format json -n 3
golden top-quiet.csv "$BOOTLOG" top-initcalls --label 6.1.192-quiet --format csv -n 10
golden top-two-boots.txt "$BOOTLOG" top-initcalls --boot 1 --boot 3 -n 5

# Every boot: 575 initcalls, as many as the kernel's own dmesg has records.
for i in 1 2 3 4 5; do
    for kind in verbose quiet; do
        n=$(grep -c '\] initcall .* returned .* after ' 6.1.192-$kind-$i.dmesg)
        got=$(sql "SELECT initcall_count FROM boot WHERE source = '6.1.192-$kind-$i.console.grabserial'")
        check_eq "initcalls of $kind-$i" "$n" "$got"
    done
done

# Foreign keys are declared, not enforced (see src/db.c): check them here.
check_eq "database whole" ok "$(db_check)"

# Re-importing identical content adds nothing and names the boot.
before=$(db_state "$BOOTLOG_DB")
out=$(import_boot 6.1.192-verbose 6.1.192-verbose-3)
check_eq "re-import" "6.1.192-verbose-3.console.grabserial: already imported as boot 5; nothing added" "$out"
check_eq "database after re-import" "$before" "$(db_state "$BOOTLOG_DB")"
finish
