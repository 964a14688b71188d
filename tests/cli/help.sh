#!/bin/sh
# Every verb has --help (exit 0, a usage line on stdout); bootlog --help
# lists every verb; --version prints the version.
. "$(dirname "$0")/lib.sh"
B=$BOOTLOG

"$B" --help >"$SCRATCH/help" || fail "bootlog --help"
for verb in import capture boots top-initcalls phases uart compare plot report merge parse cat; do
    grep -q "^  $verb " "$SCRATCH/help" || fail "bootlog --help does not list $verb"
    "$B" "$verb" --help >"$SCRATCH/out" || fail "$verb --help exit status"
    head -1 "$SCRATCH/out" | grep -q "^usage: bootlog $verb" || fail "$verb --help has no usage line"
done
"$B" --version | grep -Eq '^bootlog [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"
"$B" >/dev/null 2>&1
check_eq "bootlog without a verb" 2 $?
finish
