#!/bin/sh
# golden.sh EXPECTED COMMAND [ARGS...]
# Runs COMMAND and compares its standard output with the file EXPECTED;
# a difference fails the test and is shown as a diff. With
# BOOTLOG_UPDATE_GOLDEN=1 the output is written to EXPECTED instead (then
# review it with git diff before committing).
set -u
expected=$1
shift
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" >"$out"
status=$?
if [ $status -ne 0 ]; then
    echo "golden: command failed with status $status: $*" >&2
    exit 1
fi
if [ "${BOOTLOG_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$out" "$expected"
    echo "golden: wrote $expected"
    exit 0
fi
diff -u "$expected" "$out" || { echo "golden: output differs from $expected" >&2; exit 1; }
