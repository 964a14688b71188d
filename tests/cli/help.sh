#!/bin/sh
# Every verb has --help (exit 0, a usage line on stdout, its options listed
# from the same table its parser reads); bootlog --help lists every verb;
# the README's verb table shows each verb's synopsis exactly as --help
# prints it; --version prints the version.
. "$(dirname "$0")/lib.sh"
B=$BOOTLOG
README="$(dirname "$0")/../../README.md"

"$B" --help >"$SCRATCH/help" || fail "bootlog --help"
verbs=$(sed -n 's/^  \([a-z-]*\)  .*/\1/p' "$SCRATCH/help")
check_eq "verbs in bootlog --help" "import capture boots top-initcalls top-units kconfig compare trend plot report merge relabel delete reanalyze phases gaps uart export parse cat" \
    "$(echo $verbs)"
for verb in $verbs; do
    "$B" "$verb" --help >"$SCRATCH/out" || fail "$verb --help exit status"
    head -1 "$SCRATCH/out" | grep -q "^usage: bootlog $verb" || fail "$verb --help has no usage line"
    # the synopsis, its continuation lines joined
    synopsis=$(awk 'NR == 1 { sub(/^usage: /, ""); s = $0; next }
                    /^ / { sub(/^ +/, " "); s = s $0; next } { print s; exit }' "$SCRATCH/out")
    row=$(printf '%s' "$synopsis" | sed 's/|/\\|/g')
    grep -qF "| \`$row\` |" "$README" || fail "README's verb table lacks '$row'"
    # every option in the synopsis is described in the list below it
    for opt in $(printf '%s' "$synopsis" | grep -oE '(^| |\[)-{1,2}[a-z-]+' | tr -d '[ '); do
        [ "$opt" = "--" ] && continue
        grep -qE "^  $opt( |$)" "$SCRATCH/out" || fail "$verb --help does not describe $opt"
    done
done
# --help wins over everything else on the line, and does nothing else
"$B" report -o "$SCRATCH/r" --help >"$SCRATCH/out" || fail "report -o DIR --help"
head -1 "$SCRATCH/out" | grep -q "^usage: bootlog report" || fail "report -o DIR --help prints no usage"
[ ! -e "$SCRATCH/r" ] || fail "report -o DIR --help wrote DIR"
grep -q "(null)" "$SCRATCH/out" && fail "report --help prints (null)"
"$B" --version | grep -Eq '^bootlog [0-9]+\.[0-9]+\.[0-9]+$' || fail "--version"
"$B" >/dev/null 2>&1
check_eq "bootlog without a verb" 2 $?
finish
