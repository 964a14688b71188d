#!/bin/sh
# bootlog gaps on a 4-vCPU sample boot: the kernel's time no initcall
# covers, longest first, named by the lines around it: the SMP bring-up
# (smp: Bringing up secondary CPUs ...) is one of them.
. "$(dirname "$0")/lib.sh"
"$BOOTLOG" import "$Q/6.1.192-smp4-verbose-1.console.grabserial" >/dev/null || fail "import"
golden gaps-smp4.csv "$BOOTLOG" gaps -n 5 --format csv
check_eq "the SMP bring-up named" 1 "$(grep -c ',smp: Bringing up secondary CPUs \.\.\.,' "$SCRATCH/out")"
finish
