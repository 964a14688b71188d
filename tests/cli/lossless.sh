#!/bin/sh
# Every stored line is kept losslessly: `bootlog cat` gives back each input
# byte for byte (CRLF, stray CR, NUL, no final newline, very long lines).
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH" || exit 1

printf '[    0.000000] Linux version 6.1.0\r\n[    0.1] odd\0NUL\r\r\n\n[    1.000000] last line without newline' >odd.log
head -c 300000 /dev/zero | tr '\0' 'x' | sed 's/^/[    0.500000] /' >long.log

n=0
for f in odd.log long.log "$Q/6.1.192-verbose-2.console.grabserial" \
         "$REAL_WORLD/tf201-android-2.6.36-tegra3-dmesg-crlf.txt" \
         "$REAL_WORLD/grabserial-bbb-uboot-console-raw.txt"; do
    [ -e "$f" ] || { echo "skipping $f: not found"; continue; }
    n=$((n + 1))
    "$BOOTLOG" import --format dmesg "$f" >/dev/null || { fail "import $f"; continue; }
    "$BOOTLOG" cat "$n" >back.log || fail "cat $n"
    cmp "$f" back.log || fail "$f does not come back byte for byte"
done

# All three streams of one boot.
"$BOOTLOG" import "$Q/6.1.192-quiet-4.console.grabserial" --firmware "$Q/6.1.192-quiet-4.seabios.grabserial" \
    --dmesg "$Q/6.1.192-quiet-4.dmesg" >/dev/null || fail "import quiet-4"
n=$((n + 1))
for s in console:console.grabserial firmware:seabios.grabserial dmesg:dmesg; do
    "$BOOTLOG" cat --stream "${s%%:*}" "$n" >back.log || fail "cat --stream ${s%%:*}"
    cmp "$Q/6.1.192-quiet-4.${s#*:}" back.log || fail "stream ${s%%:*} differs"
done

# Standard input is the same content: already imported.
out=$("$BOOTLOG" import - <"$Q/6.1.192-verbose-2.console.grabserial")
check_eq "import from stdin" "-: already imported as boot 3; nothing added" "$out"
# Real logs whose records stand behind prefixes, in quotes with escapes,
# in quoted-printable: read through all that, stored as read.
P="$(dirname "$0")/../parsers"
for f in "$P"/corpus/*.log "$P"/forms/*.log; do
    out=$("$BOOTLOG" import --label corpus "$f") || { fail "import $f"; continue; }
    [ "$(printf '%s\n' "$out" | wc -l)" = 1 ] || continue     # several boots: each has its part
    id=$(printf '%s\n' "$out" | sed -n 's/^boot \([0-9]*\) .*/\1/p')
    "$BOOTLOG" cat "$id" >back.log || fail "cat $id"
    cmp -s "$f" back.log || fail "$f does not come back byte for byte"
done
finish
