#!/bin/sh
# bootlog plot and bootlog report on the samples: every kind renders a real
# PNG of the size its script asks for; the scripts of two kinds are golden;
# hostile labels reach gnuplot, Markdown and HTML only as inert text; the
# report has every section and every file it links to.
. "$(dirname "$0")/lib.sh"
B=$BOOTLOG
cd "$Q" || exit 1
for i in 1 2 3; do
    import_boot 6.1.192-verbose 6.1.192-verbose-$i >/dev/null || fail "import verbose-$i"
    import_boot 6.1.192-quiet 6.1.192-quiet-$i >/dev/null || fail "import quiet-$i"
done
cd "$SCRATCH" || exit 1

# png_size FILE: "WIDTHxHEIGHT" from the IHDR chunk, or "not a png".
png_size() {
    if [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
        echo "not a png"
        return
    fi
    od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }'
}

# Every kind: a PNG whose pixel size is the one the script set, with
# something drawn (an empty chart of that size compresses below 5 kB).
for kind in top-initcalls timeline phases compare range uart histogram; do
    case $kind in
        timeline | uart) sel="--boot 1" ;;
        *) sel="--label 6.1.192-verbose --label 6.1.192-quiet" ;;
    esac
    # shellcheck disable=SC2086
    "$B" plot "$kind" $sel -o "$kind.gp" || fail "plot $kind -o $kind.gp"
    # shellcheck disable=SC2086
    "$B" plot "$kind" $sel -o "direct-$kind.png" || fail "plot $kind -o direct-$kind.png"
    want=$(sed -n 's/^set terminal pngcairo noenhanced size \([0-9]*\),\([0-9]*\) .*/\1x\2/p' "$kind.gp")
    check_eq "$kind.png size" "$want" "$(png_size "direct-$kind.png")"
    [ "$(wc -c <"direct-$kind.png")" -gt 5000 ] || fail "$kind.png: only $(wc -c <"direct-$kind.png") bytes"
    # the kept script draws the very same picture
    gnuplot "$kind.gp" 2>"$SCRATCH/err" || fail "gnuplot $kind.gp: $(cat "$SCRATCH/err")"
    cmp -s "$kind.png" "direct-$kind.png" || fail "$kind.gp does not draw what plot -o $kind.png drew"
    [ "$kind" = histogram ] && { grep -q '^plot $data0 .* title "6.1.192-verbose", \\$' histogram.gp &&
        grep -q '^     $data1 .* title "6.1.192-quiet"$' histogram.gp || fail "histogram: not one series per label"; }
done
"$B" plot phases --label 6.1.192-verbose -o phases.svg || fail "plot -o .svg"
grep -q '<svg' phases.svg || fail "phases.svg is not SVG"
"$B" plot phases --label 6.1.192-verbose -o phases.pdf || fail "plot -o .pdf"
check_eq "phases.pdf" "%PDF" "$(head -c 4 phases.pdf)"

# range with a phase: a second series, one row per label
"$B" plot range --label 6.1.192-quiet --label 6.1.192-verbose --phase kernel:initcalls -o range-phase.gp ||
    fail "plot range --phase"
check_eq "range --phase rows" 2 "$(sed -n '/^\$phase << EOD/,/^EOD/p' range-phase.gp | grep -c '^[01] ')"
expect_error 1 "^bootlog: plot range: no boot has a phase 'nope' \(see 'bootlog phases'\)$" \
    "$B" plot range --label 6.1.192-quiet --phase nope -o r.png
expect_error 2 '^bootlog: plot: --phase is for the range and trend charts$' \
    "$B" plot phases --label 6.1.192-quiet --phase kernel:early -o r.png

# Golden scripts (relative paths, so that the header naming the command is
# the same wherever the tests run).
DB_SAVED=$BOOTLOG_DB
[ "$BACKEND" = sqlite ] && export BOOTLOG_DB=bootlog.db
golden plot-top.gp sh -c "'$B' plot top-initcalls --label 6.1.192-verbose -n 8 -o top.gp && cat top.gp"
golden plot-phases.gp sh -c "'$B' plot phases --label 6.1.192-verbose --label 6.1.192-quiet -o ph.gp && cat ph.gp"

# Bad requests: one line, status 1, nothing written.
expect_error 1 'out\.jpg: the output must end in \.png, \.svg, \.pdf or \.gp' \
    "$B" plot phases --label 6.1.192-verbose -o out.jpg
expect_error 2 'plot compare: give two labels' "$B" plot compare --label 6.1.192-verbose -o c.png
expect_error 2 "plot: unknown kind 'pie'" "$B" plot pie --label 6.1.192-verbose -o p.png
[ ! -e out.jpg ] && [ ! -e c.png ] && [ ! -e p.png ] || fail "a failed plot wrote a file"
# gnuplot missing, or failing: its own last line is the error
expect_error 1 'gnuplot is not installed \(apt-get install gnuplot-nox\), or write the script alone' \
    env PATH=/nonexistent "$B" plot phases --label 6.1.192-verbose -o p.png
mkdir -p fakebin
printf '#!/bin/sh\necho\necho "  plot x"\necho "\\"s.gp\\" line 3: boom"\necho\nexit 1\n' >fakebin/gnuplot
chmod +x fakebin/gnuplot
expect_error 1 '^bootlog: plot: gnuplot failed drawing p\.png: "s\.gp" line 3: boom$' \
    env PATH="$SCRATCH/fakebin:$PATH" "$B" plot phases --label 6.1.192-verbose -o p.png

# Hostile labels: quotes, a backslash (at the end too), gnuplot's macro,
# variable and command syntax, HTML, and a very long name.
export BOOTLOG_DB="$SCRATCH/hostile.db"
evil="'\"\\ \$H @GPVAL_TERM a_b \`touch P1\` '.system('touch P2').'<b>x"   # 60 bytes: shown whole
long="\$data $(printf 'x%.0s' $(seq 300))\\"
for i in 1 2; do
    "$B" import --label "$evil" "$Q/6.1.192-verbose-$i.console.grabserial" >/dev/null || fail "import evil"
    "$B" import --label "$long" "$Q/6.1.192-quiet-$i.console.grabserial" >/dev/null || fail "import long"
done
expect_error 1 'control characters' "$B" import --label "$(printf 'two\nlines')" "$Q/6.1.192-quiet-3.console.grabserial"
for kind in top-initcalls phases compare range histogram; do
    "$B" plot "$kind" --label "$evil" --label "$long" -o "evil-$kind.svg" || fail "plot $kind with hostile labels"
done
"$B" plot timeline --boot 1 -o evil-timeline.svg || fail "plot timeline with a hostile label"
[ ! -e P1 ] && [ ! -e P2 ] || fail "gnuplot ran a command from a label"
# The label is drawn as given (SVG escapes < and &), the long one elided.
grep -qF "'\"\\ \$H @GPVAL_TERM a_b \`touch P1\` '.system('touch P2').'&lt;b>x" evil-phases.svg ||
    fail "the hostile label is not drawn verbatim"
grep -q 'xxx…xxx' evil-range.svg || fail "the long label is not elided"
# Initcall and module names are the kernel's, but a module's can hold
# anything but "]" and spaces.
cat >evil.dmesg <<'END'
[    0.000000] Linux version 6.1.0-evil (gcc) #1 SMP
[    0.100000] calling  a$b.c_d+0x0/0x10 [m'o"d\`touch${IFS}P3`@GPVAL_TERM] @ 1
[    0.105000] initcall a$b.c_d+0x0/0x10 [m'o"d\`touch${IFS}P3`@GPVAL_TERM] returned 0 after 5000 usecs
[    0.106000] calling  $data+0x0/0x10 @ 1
[    0.108000] initcall $data+0x0/0x10 returned 0 after 2000 usecs
[    0.200000] Run /init as init process
END
"$B" import --db evil-names.db evil.dmesg >/dev/null || fail "import evil.dmesg"
"$B" plot top-initcalls --db evil-names.db --boot 1 -o evil-names.svg || fail "plot hostile initcall names"
[ ! -e P3 ] || fail "gnuplot ran a command from a module name"
grep -qF 'a$b.c_d [m'"'"'o"d\`touch${IFS}P3`@GPVAL_TERM]' evil-names.svg || fail "hostile module name not drawn verbatim"
grep -qF '>$data<' evil-names.svg || fail "initcall \$data not drawn verbatim"
"$B" report --label "$evil" --label "$long" -o evil-report --html >/dev/null || fail "report with hostile labels"
grep -q '<b>' evil-report/report.html && fail "report.html lets a label's HTML through"
grep -qF "'\"\\\\ \$H @GPVAL\\_TERM a\\_b \\\`touch P1\\\` '.system('touch P2').'\\<b\\>x" evil-report/report.md ||
    fail "report.md does not escape the label's Markdown"

# The report: every section, every linked chart present and a real PNG,
# and the HTML with every chart inline.
export BOOTLOG_DB="$DB_SAVED"
"$B" report -o report --html >"$SCRATCH/out" || fail "report"
for h in '# Boot report' '## What was measured' '## Whole boot and phases' '## Top initcalls' \
    '## Comparison' '## Console (UART)'; do
    grep -qx "$h" report/report.md || fail "report.md has no '$h'"
done
links=$(sed -n 's/^!\[.*\](\(.*\))$/\1/p' report/report.md)
check_eq "charts in report.md" 6 "$(echo "$links" | wc -l)"
for f in $links; do
    case $(png_size "report/$f") in "not a png") fail "report/$f is not a PNG" ;; esac
done
check_eq "charts inline in report.html (interactive SVG)" 6 "$(grep -o '<svg  *onload="if (typeof(gnuplot_svg)' report/report.html | wc -l)"
grep -q '6.1.192-quiet (B)' report/report.md || fail "report.md does not compare the labels"
expect_error 1 "^bootlog: .*: no boots with label 'nope' \(see 'bootlog boots'\)$" "$B" report --label nope -o bad
# --baseline puts that label first; each pair says what differs and which test
"$B" report -o base --baseline 6.1.192-quiet >/dev/null || fail "report --baseline"
grep -q '^### 6.1.192-quiet (A) against 6.1.192-verbose (B)' base/report.md || fail "baseline not A"
grep -q '^What differs (B against A): kernel command line: +ignore\\_loglevel -quiet' base/report.md ||
    fail "differences: $(grep 'What differs' base/report.md)"
grep -q "^Welch's t-test (the runs are not paired)\.$" base/report.md || fail "the test not said"
expect_error 1 "^bootlog: report: --baseline nope is not among the labels reported on$" "$B" report --baseline nope -o bad2
"$B" report -o pairs --pair 6.1.192-verbose:6.1.192-quiet >/dev/null || fail "report --pair"
check_eq "the pair asked for" "### 6.1.192-verbose (A) against 6.1.192-quiet (B)" "$(grep '^### .* against ' pairs/report.md)"
expect_error 1 "^bootlog: report: --pair a:b: 'a' is not among the labels reported on$" "$B" report --pair a:b -o bad3
[ ! -e bad ] || fail "a failed report left a directory"
expect_error 2 '^bootlog: report: give -o DIR \(the directory to write report.md into\)$' "$B" report
finish
