#!/bin/sh
# bootlog kconfig: initcalls mapped to the kernel options that build them.
# A synthetic tree (tests/kconfig/tree: one construct per file, see its
# boot.dmesg) checks each construct; the stub of the samples' real tree
# (../shared/kernel-tree) checks all 575 initcalls of the samples' boots.
. "$(dirname "$0")/lib.sh"
: "${KTREES:?}" "${KERNEL_TREE:?}"
export XDG_CACHE_HOME="$SCRATCH/cache"
B=$BOOTLOG
cp -r "$KTREES/tree" "$SCRATCH/tree"
T=$SCRATCH/tree
C=$KTREES/config
"$B" import --label synth "$KTREES/boot.dmesg" >/dev/null || fail "import boot.dmesg"

# every construct mapped: the golden shows each option and the confidence line
kc() { "$B" kconfig "$@" | sed "s|$SCRATCH|SCRATCH|g; s|$KTREES|KTREES|g; s|$KERNEL_TREE|KERNEL_TREE|g"; }
golden kconfig-synthetic.txt kc --source "$T" --config "$C" -n 0
golden kconfig-synthetic.csv "$B" kconfig --source "$T" --config "$C" -n 0 --format csv
golden kconfig-synthetic-byconfig.txt "$B" top-initcalls --by-config -n 0
check_eq "the view: option of each initcall" \
    "always_init| compo_core_init|COMPO compo_extra_init|COMPO_EXTRA cond_feature_init|COND_FEATURE deferred_a_init| deferred_b_init|COMPO dup_init|DUP_B gov_fast_init| helper_init|HELPER init_compat_elf| init_elf| inmod_init|MODDIR legacy_init| local_go| plat_driver_init|PLAT sock_init|NET trace_init_flags_foo_enter|FOO_TRACE two_init| x86_early|X86_64" \
    "$(sql "SELECT function || '|' || coalesce(option, '') FROM initcall_option ORDER BY function" | tr '\n' ' ' | sed 's/ $//')"
check_eq "registering files" "drivers/dup/b.c:4 lib/elf.c:2 drivers/local.c:6" \
    "$(sql "SELECT source_file || ':' || source_line FROM initcall_option WHERE function IN ('dup_init', 'init_compat_elf', 'local_go') ORDER BY function" | tr '\n' ' ' | sed 's/ $//')"
golden kconfig-synthetic-whatif.txt kc --source "$T" --config "$C" --whatif COMPO ACPI NET TWO_A
# the kernel's own symbols: function, level, line and the object linked (a
# composite's name: compo); dup_init's object is b, not a
check_eq "kallsyms check" "kallsyms: 3 agree, 1 differ, 14 absent" \
    "$("$B" kconfig --source "$T" --config "$C" --kallsyms "$KTREES/kallsyms" | sed -n 2p | grep -o 'kallsyms: .*')"
expect_error 1 "^bootlog: $C: no __initcall__kmod_ symbols in its 22 lines \\(a System.map or /proc/kallsyms read as root\\?\\)\$" \
    "$B" kconfig --source "$T" --config "$C" --kallsyms "$C"

# the scan is cached: nothing read again, then the changed file only, then
# everything when a change makes a new registering macro
first=$("$B" kconfig --source "$T" --config "$C" | head -1)
case $first in *"(0 read, 6 macros found)"*) ;; *) fail "cached run: $first" ;; esac
sleep 0.01; echo '/* touched */' >>"$T/drivers/cond.c"
first=$("$B" kconfig --source "$T" --config "$C" | head -1)
case $first in *"(1 read, 6 macros found)"*) ;; *) fail "one file changed: $first" ;; esac
# a directory no Makefile of this config reaches is not looked at
sleep 0.01; echo '/* touched */' >>"$T/drivers/unused/unused.c"
first=$("$B" kconfig --source "$T" --config "$C" | head -1)
case $first in *"(0 read, 6 macros found)"*) ;; *) fail "an unbuilt directory changed: $first" ;; esac
printf '#define my_bus_driver(d) module_driver(d, bus_register, bus_unregister)\n' >"$T/include/linux/bus.h"
printf '#include <linux/bus.h>\nmy_bus_driver(newbus);\n' >"$T/drivers/newbus.c"
echo 'obj-y += newbus.o' >>"$T/drivers/Makefile"
first=$("$B" kconfig --source "$T" --config "$C" | head -1)
case $first in *"(31 read, 7 macros found)"*) ;; *) fail "a new macro: $first" ;; esac
check_eq "the new macro's initcall is predicted" "the tree builds in 19," \
    "$("$B" kconfig --source "$T" --config "$C" | sed -n 2p | grep -o 'the tree builds in [0-9]*,')"

# a tree or config that is not the booted kernel's is an error, and the
# database stays as it was
sum() { db_state "$BOOTLOG_DB"; }
kept=$(sum)
sed 's/6.1.7/6.1.9/' "$C" >"$SCRATCH/config-other"
expect_error 1 "^bootlog: $SCRATCH/config-other: a config of Linux 6.1.9, but tree $T is 6.1.7\$" \
    "$B" kconfig --source "$T" --config "$SCRATCH/config-other"
sed 's/^CONFIG_NET=y/# CONFIG_NET is not set/; s/^CONFIG_COMPO=y//; s/^CONFIG_PLAT=y//' "$C" >"$SCRATCH/config-less"
expect_error 1 "^bootlog: boot 1 ran 5 initcalls that config $SCRATCH/config-less does not build in \\(0 not in the tree, e.g. sock_init\\): not the config of the kernel that booted\$" \
    "$B" kconfig --source "$T" --config "$SCRATCH/config-less"
expect_error 1 "^bootlog: NO_SUCH: no Kconfig file of tree $T defines it\$" \
    "$B" kconfig --source "$T" --config "$C" --whatif NO_SUCH
check_eq "database untouched by refusals" "$kept" "$(sum)"

# the samples' kernel: the stub of its tree, with its config
tarball=$KERNEL_TREE/linux-6.1.192-2-stub.tar.xz
if [ -f "$tarball" ]; then
    mkdir -p "$SCRATCH/stub" && tar xJf "$tarball" -C "$SCRATCH/stub" || fail "extract the stub tree"
    S=$SCRATCH/stub
    export BOOTLOG_DB="$SCRATCH/stub.db"
    "$B" import --label verbose "$Q/6.1.192-verbose-1.console.grabserial" >/dev/null || fail "import verbose-1"
    "$B" import --label quiet "$Q/6.1.192-quiet-1.dmesg" >/dev/null || fail "import quiet-1"
    "$B" import --label old "$Q/6.1.170-verbose-1.dmesg" >/dev/null || fail "import 6.1.170"
    expect_error 1 "^bootlog: boot 1 has no kernel-option mapping: run 'bootlog kconfig --source DIR --boot 1' first\$" \
        "$B" top-initcalls --by-config --label verbose
    out=$("$B" kconfig --source "$S" --config "$KERNEL_TREE/config-6.1.0-56-cloud-amd64" --label verbose --label quiet -n 12) ||
        fail "kconfig on the stub tree"
    check_eq "stub: boot 1" "boot 1: 575 initcalls: 575 to one registration, 527 behind an option (92.4% of their time); the tree builds in 575, the boot ran 575 of them; order: 575 of 575 as predicted" \
        "$(echo "$out" | sed -n 2p)"
    check_eq "stub: boot 2" "boot 2: 575 initcalls: 575 to one registration, 527 behind an option (91.2% of their time); the tree builds in 575, the boot ran 575 of them; order: 575 of 575 as predicted" \
        "$(echo "$out" | sed -n 3p)"
    echo "$out" | sed 1,3d >"$SCRATCH/out"
    if [ "${BOOTLOG_UPDATE_GOLDEN:-}" = 1 ]; then cp "$SCRATCH/out" "$EXPECTED/kconfig-stub.txt"; fi
    diff -u "$EXPECTED/kconfig-stub.txt" "$SCRATCH/out" >&2 || fail "kconfig-stub.txt differs"
    golden kconfig-stub-compare.csv "$B" compare --by-config --all --format csv verbose quiet
    "$B" plot --by-config --label verbose --label quiet -n 5 -o "$SCRATCH/options.gp" compare 2>/dev/null ||
        fail "plot --by-config compare"
    grep -q "title 'kernel option'" "$SCRATCH/options.gp" || fail "plot --by-config compare: no option bars"
    "$B" plot --by-config --label verbose -n 5 -o "$SCRATCH/top.gp" top-initcalls || fail "plot --by-config top-initcalls"
    check_eq "plot --by-config top-initcalls: its bars" \
        'set ytics scale 0 ("CRYPTO_ALGAPI2" 0, "ACPI" 1, "KPROBE_EVENTS" 2, "(always built)" 3, "SYSTEM_TRUSTED_KEYRING" 4)' \
        "$(grep '^set ytics' "$SCRATCH/top.gp")"
    expect_error 1 "^bootlog: boot 3 has no kernel-option mapping: run 'bootlog kconfig --source DIR --boot 3' first\$" \
        "$B" compare --by-config verbose old
    # the report's section: per label, its options, or how to map them
    "$B" report --label verbose --label old -o "$SCRATCH/report" >/dev/null 2>&1 || fail "report"
    sed -n '/^## What the options cost/,/^## Comparison/p' "$SCRATCH/report/report.md" |
        sed "s|$SCRATCH|SCRATCH|g; s|$KERNEL_TREE|KERNEL_TREE|g" >"$SCRATCH/out"
    if [ "${BOOTLOG_UPDATE_GOLDEN:-}" = 1 ]; then cp "$SCRATCH/out" "$EXPECTED/kconfig-report.md"; fi
    diff -u "$EXPECTED/kconfig-report.md" "$SCRATCH/out" >&2 || fail "kconfig-report.md differs"
    [ -s "$SCRATCH/report/options-1.png" ] || fail "report: no options chart"
    # the kernel's own initcall symbols, read off the running kernel
    # (scripts/make-test-vm ... bootlog.kallsyms): every one agrees
    check_eq "stub: kallsyms" "kallsyms: 575 agree, 0 differ, 0 absent" \
        "$("$B" kconfig --source "$S" --config "$KERNEL_TREE/config-6.1.0-56-cloud-amd64" --label verbose \
             --kallsyms "$KTREES/kallsyms-6.1.0-56-cloud-amd64" | sed -n 2p | grep -o 'kallsyms: .*')"
    golden kconfig-stub-whatif.txt kc --source "$S" --config "$KERNEL_TREE/config-6.1.0-56-cloud-amd64" \
        --label verbose --whatif ACPI CRYPTO_ALGAPI2 CRYPTO_MANAGER_DISABLE_TESTS DEBUG_INFO_BTF
    # a kernel the mapping was not made on: Debian's generic 6.1 (another
    # config, another Debian revision of 6.1.192), with its own symbols
    G=$KTREES/generic
    export BOOTLOG_DB="$SCRATCH/generic.db"
    "$B" import --label generic "$G/6.1.0-57-amd64.console" >/dev/null || fail "import the generic boot"
    check_eq "generic kernel: every initcall, in the kernel's order, as its symbols say" \
        "boot 1: 670 initcalls: 670 to one registration, 622 behind an option (91.2% of their time); the tree builds in 670, the boot ran 670 of them; order: 670 of 670 as predicted; kallsyms: 670 agree, 0 differ, 0 absent" \
        "$("$B" kconfig --source "$S" --config "$G/config-6.1.0-57-amd64" --kallsyms "$G/kallsyms-6.1.0-57-amd64" | sed -n 2p)"
    export BOOTLOG_DB="$SCRATCH/stub.db"
    expect_error 1 "^bootlog: boot 3 ran Linux 6.1.170, but tree $S is 6.1.192 \\(give the tree of the kernel that booted\\)\$" \
        "$B" kconfig --source "$S" --config "$KERNEL_TREE/config-6.1.0-56-cloud-amd64" --label old
else
    echo "skip: no $tarball"
fi
exit $((failures > 0))
