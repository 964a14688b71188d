#!/bin/sh
# bootlog merge: databases from two "hosts" with a boot in common pool into
# one where every boot is stored once, numbered on from the boots already
# there, and reads back exactly as in its source (lines byte for byte, the
# same rankings, phases and console estimate). Merging again adds nothing.
# The hosts' databases are SQLite files; the output is the test's backend
# (on PostgreSQL: a lab host pushing to the team's server), and it is
# merged back into a file, which must read the same.
. "$(dirname "$0")/lib.sh"
B=$BOOTLOG
cd "$SCRATCH" || exit 1
OUT=$(new_db out)
imp() { db=$1; label=$2; name=$3; shift 3
    case $db in /*|*=*) ;; *) db=$SCRATCH/$db ;; esac
    (cd "$Q" && "$B" import --db "$db" --label "$label" "$name.console.grabserial" "$@") >/dev/null ||
        fail "import $name into $db"; }
# the output's name as the goldens show it
merge_out() { "$B" merge "$OUT" "$@" | sed "s|$OUT|out.db|"; }
imp a.db verbose 6.1.192-verbose-1 --firmware "6.1.192-verbose-1.seabios.grabserial" --dmesg "6.1.192-verbose-1.dmesg"
imp a.db quiet 6.1.192-quiet-1
imp b.db quiet 6.1.192-quiet-1                  # on both hosts
imp b.db old 6.1.170-verbose-1
imp b.db quiet 6.1.192-quiet-2
imp "$OUT" smp4 6.1.192-smp4-verbose-1           # already in the output

golden merge.txt merge_out a.db b.db
golden merge-again.txt merge_out a.db b.db
golden merge-boots.csv "$B" boots --db "$OUT" --format csv
check_eq "output whole" ok "$(db_check "$OUT")"

# same BOOT-IN-SOURCE SOURCE BOOT-IN-OUT: everything about it reads the same
same() {
    for s in console firmware dmesg; do
        if "$B" cat --db "$2" --stream $s "$1" >src.out 2>/dev/null; then
            "$B" cat --db "$OUT" --stream $s "$3" >out.out || fail "cat --stream $s of out.db boot $3"
            cmp -s src.out out.out || fail "cat --stream $s of $2 boot $1 != out.db boot $3"
        else    # a stream the boot does not have
            "$B" cat --db "$OUT" --stream $s "$3" >/dev/null 2>&1 && fail "out.db boot $3 has a $s stream"
        fi
    done
    # (a user phase makes phases work everything out again from the lines)
    for verb in "top-initcalls -n 0 --format csv" "phases --format csv" "phases --phase up=Run..reboot --format csv" \
                "uart --format csv"; do
        # shellcheck disable=SC2086
        "$B" $verb --db "$2" --boot "$1" >src.out 2>&1
        # shellcheck disable=SC2086
        "$B" $verb --db "$OUT" --boot "$3" >out.out 2>&1
        case $verb in uart*) sed -i "s/^$3,/$1,/" out.out ;; esac   # its first field is the boot
        cmp -s src.out out.out || fail "$verb of $2 boot $1 != out.db boot $3: $(diff src.out out.out | head -5)"
    done
}
same 1 a.db 2
same 2 a.db 3
same 2 b.db 4
same 3 b.db 5
[ "$(wc -c <src.out)" -gt 100 ] || fail "nothing compared"

# and back: the output into a new file, every boot reading the same
"$B" merge back.db "$OUT" >/dev/null || fail "merge the output back into a file"
check_eq "boots back" "$(cat "$EXPECTED/merge-boots.csv")" "$("$B" boots --db back.db --format csv)"
for id in 1 2 3 4 5; do
    for s in console firmware dmesg; do
        "$B" cat --db "$OUT" --stream $s $id >src.out 2>/dev/null || continue
        "$B" cat --db back.db --stream $s $id >out.out 2>/dev/null
        cmp -s src.out out.out || fail "cat --stream $s of boot $id differs after merging back"
    done
done

out_before=$(db_state "$OUT")
expect_error 1 "^bootlog: missing\\.db: no such database \\(create it with 'bootlog import'\\)$" \
    "$B" merge "$OUT" a.db missing.db
echo "not a database" >text.db
expect_error 1 "^bootlog: text\\.db: not a bootlog database" "$B" merge "$OUT" text.db
if [ "$BACKEND" = sqlite ]; then
    expect_error 2 "^bootlog: merge: \\./out\\.db is the output database itself$" "$B" merge out.db ./out.db
else
    expect_error 2 "^bootlog: merge: .* is the output database itself$" "$B" merge "$OUT" "$OUT"
fi
expect_error 2 "^bootlog: merge: give the output database and at least one to merge into it$" "$B" merge "$OUT"
check_eq "out.db after failed merges" "$out_before" "$(db_state "$OUT")"
expect_error 1 "no such database" "$B" merge new.db missing.db
[ ! -e new.db ] || fail "a failed merge created its output"
finish
