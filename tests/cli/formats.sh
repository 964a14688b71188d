#!/bin/sh
# The input formats have one list (BL_FORMAT_LIST in parsers/formats.h):
# the registry's, which --help and the errors print, is that list; every
# one has its parser, its fuzz target, and a row in the README's table.
. "$(dirname "$0")/lib.sh"
B=$BOOTLOG
TOP="$(dirname "$0")/../.."

listed=$(sed -n 's/^#define BL_FORMAT_LIST(X) //p' "$TOP/parsers/formats.h" | sed 's/X(\([a-z]*\))/\1/g')
[ -n "$listed" ] || fail "no BL_FORMAT_LIST in parsers/formats.h"
shown=$("$B" import --help | sed -n '/^  --input-format/,/^  --format/p' | sed '1d;$d' | tr -d ',\n' | tr -s ' ')
check_eq "formats in import --help" "$(echo $listed)" "$(echo $shown)"
"$B" import --input-format nosuch x 2>"$SCRATCH/err"
check_eq "exit status of an unknown format" 2 $?
check_eq "formats in the error" "bootlog: --input-format: unknown format 'nosuch' (known: $(echo $listed | sed 's/ /, /g'))" \
    "$(cat "$SCRATCH/err")"
for f in $listed; do
    [ -f "$TOP/parsers/$f.c" ] || fail "format $f has no parsers/$f.c"
    grep -q "^| \`$f\` |" "$TOP/README.md" || fail "README's format table has no row for $f"
done
# and the README's format table lists no other
table=$(sed -n '/^\*\*Input formats\*\*/,/^$/p; /^| format |/,/^$/p' "$TOP/README.md" | sed -n 's/^| `\([a-z]*\)` | .*/\1/p')
check_eq "the README's format table" "$(echo $listed | tr ' ' '\n' | sort | tr '\n' ' ')" \
    "$(echo $table | tr ' ' '\n' | sort | tr '\n' ' ')"
finish
