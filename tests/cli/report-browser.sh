#!/bin/sh
# report --html in a real browser: Debian's Chromium, headless, driven by
# playwright-core (npm registry, cached outside git) loads report.html from
# the file system. The page must load with no console error and no request
# leaving the file, its screenshot must be a page of charts (not blank),
# and hovering a bar of each interactive SVG chart must show its figures:
# the phase and its mean, the first boot's vmm phase, the slowest
# initcall with its module and boots.
. "$(dirname "$0")/lib.sh"
TOP="$(cd "$(dirname "$0")/../.." && pwd)"
command -v node >/dev/null && command -v npm >/dev/null && [ -x /usr/bin/chromium ] ||
    { fail "needs node, npm and /usr/bin/chromium (scripts/test installs them)"; finish; }

# playwright-core, once per machine (its own browser download is skipped:
# it drives Debian's Chromium)
cache=${BOOTLOG_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bootlog/node}
mkdir -p "$cache"
(
    flock 9
    [ -d "$cache/node_modules/playwright-core" ] ||
        (cd "$cache" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-save --no-audit --no-fund \
            playwright-core@1.64.1 >/dev/null 2>&1)
) 9>"$cache/.lock"
[ -d "$cache/node_modules/playwright-core" ] || { fail "npm install playwright-core failed"; finish; }

for i in 1 2 3; do
    "$BOOTLOG" import --label verbose "$Q/6.1.192-verbose-$i.console.grabserial" \
        --firmware "$Q/6.1.192-verbose-$i.seabios.grabserial" >/dev/null || fail "import $i"
done
"$BOOTLOG" report -o "$SCRATCH/report" --html >/dev/null || fail "report --html"
page="$SCRATCH/report/report.html"
check_eq "no external reference" "" "$(grep -o -E '(src|href)="https?:[^"]*"|url\(https?:' "$page")"
check_eq "inline SVG charts, each with its script" "3 3" "$(grep -o '<svg ' "$page" | wc -l) $(grep -o '<svg  *onload="if (typeof(gnuplot_svg)' "$page" | wc -l)"

NODE_PATH="$cache/node_modules" timeout 120 node "$TOP/tests/browser/report-check.js" "$page" "$SCRATCH/shot.png" \
    >"$SCRATCH/browser.json" 2>"$SCRATCH/browser.err" || fail "chromium: $(cat "$SCRATCH/browser.err")"
cat "$SCRATCH/browser.json"
first=$("$BOOTLOG" top-initcalls --label verbose -n 1 --format csv | awk -F, 'NR == 2 { print $2 }')
python3 - "$SCRATCH/browser.json" "$SCRATCH/shot.png" "$first" >"$SCRATCH/checks" <<'PY' || fail "checks failed to run"
import json, struct, sys
r = json.load(open(sys.argv[1]))
png = open(sys.argv[2], 'rb').read()
w, h = struct.unpack('>II', png[16:24])
tips = [t['text'] or '' for t in r['tips']]
print('errors', r['errors'])
print('requests', r['requests'])
print('charts', r['charts'])
print('shown', all(t['shown'] for t in r['tips']))
print('phase tip', tips[0].startswith('verbose: vmm') and 'mean ' in tips[0] and tips[0].endswith('3 boots'))
print('timeline tip', tips[1].startswith('vmm') and ' ms' in tips[1])
print('initcall tip', tips[2].startswith(sys.argv[3] + 'module (built in)mean ') and tips[2].endswith('3 boots, 3 calls'))
print('screenshot', w == 1280 and h > 1500, len(png) > 100000)
PY
check_eq "browser" "errors []
requests []
charts 3
shown True
phase tip True
timeline tip True
initcall tip True
screenshot True True" "$(cat "$SCRATCH/checks")"
finish
