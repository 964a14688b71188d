# lib.sh: helpers for the CLI tests, sourced by each tests/cli/*.sh.
# The environment (set by tests/CMakeLists.txt): BOOTLOG (the binary),
# SAMPLES (samples/), REAL_WORLD, EXPECTED (tests/cli/expected/), SCRATCH
# (a directory of the test's own, emptied here).
set -u
: "${BOOTLOG:?}" "${SAMPLES:?}" "${EXPECTED:?}" "${SCRATCH:?}"
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
export BOOTLOG_DB="$SCRATCH/bootlog.db"
Q="$SAMPLES/qemu-tcg"
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
    [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

# golden NAME COMMAND...: the command's stdout must equal expected/NAME
# (BOOTLOG_UPDATE_GOLDEN=1 rewrites it).
golden() {
    name=$1
    shift
    "$@" >"$SCRATCH/out" 2>"$SCRATCH/err" || fail "$name: exit $? from $*: $(cat "$SCRATCH/err")"
    if [ "${BOOTLOG_UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$SCRATCH/out" "$EXPECTED/$name"
    elif ! diff -u "$EXPECTED/$name" "$SCRATCH/out"; then
        fail "$name: output differs"
    fi
}

# The database's whole content, to show that a failed command changed nothing.
db_state() {
    if [ -e "$1" ]; then
        sqlite3 "$1" .dump | sha256sum
    else
        echo absent
    fi
}

# expect_error STATUS PATTERN COMMAND...: the command must exit with STATUS,
# print exactly one line on stderr that matches PATTERN (grep -E), and
# leave $BOOTLOG_DB as it was.
expect_error() {
    want=$1 pattern=$2
    shift 2
    before=$(db_state "$BOOTLOG_DB")
    "$@" >"$SCRATCH/out" 2>"$SCRATCH/err"
    status=$?
    check_eq "exit status of $*" "$want" "$status"
    check_eq "stderr lines of $*" 1 "$(wc -l <"$SCRATCH/err")"
    grep -Eq -- "$pattern" "$SCRATCH/err" || fail "$*: stderr '$(cat "$SCRATCH/err")' does not match '$pattern'"
    check_eq "database after $*" "$before" "$(db_state "$BOOTLOG_DB")"
}

# import_boot LABEL NAME: one sample boot with its three streams.
import_boot() {
    "$BOOTLOG" import --label "$1" "$2.console.grabserial" --firmware "$2.seabios.grabserial" \
        --dmesg "$2.dmesg"
}

finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures check(s) failed" >&2
        exit 1
    fi
    exit 0
}
