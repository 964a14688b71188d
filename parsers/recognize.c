/* recognize.c: the message recognizers. See recognize.h. */
#include "recognize.h"

#include <pcre2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Pieces of the patterns: a kernel symbol as %pF/%pS print it (ppc64
 * function descriptors start with a dot), its offset, its module. */
#define SYM "(?<str>[A-Za-z_.$][A-Za-z0-9_.$]*)"
#define OFF "(?:\\+0x[0-9a-f]+/0x[0-9a-f]+)?"
#define MOD "(?: \\[(?<mod>[^\\]\\s]+)\\])?"
/* 2.6.25-mm printed "fn+0x0/0x1b()" in the new-style records too */
#define PARENS "(?:\\(\\))?"
#define NUM "\\d{1,18}"
#define PCIDEV "(?<dev>[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7])"
#define END "\\s*$"
#define CONSOLE "\\[(?<str>[^\\]\\s]+)\\] (?<state>enabled|disabled)" END

/*
 * The recognizers. `prefix` is a literal every match starts with: checked
 * first, so that PCRE2 only runs on the few lines that can match.
 * Each pattern is anchored and matched against the whole message.
 *
 * How to add one: a row here with a real sample line (or the kernel
 * source that prints it) above it, a kind in recognize.h, its handling in
 * parser.c or calls.c, and the sample line in a golden test under
 * tests/parsers/.
 */
/* How a record can stand (struct recognizer's flags). */
enum {
    ANY = 1,                 /* distinctive enough to be found after any prefix (a
                              * syslog header, another program's log line, a shell
                              * prompt): see bl_recognize_anywhere */
    PIECES = 2,              /* printed in pieces or wrapped by a mail client: a
                              * line that is its beginning waits for the rest */
    GLUED = 4,               /* with ANY: found even right after a word's byte (what
                              * another program left of a line: OVMF's consoles show
                              * "00BdsDxe: starting ...") */
};

static struct recognizer {
    enum bl_rec_kind kind;
    const char *prefix;
    const char *pattern;
    int flags;
    const char *step;        /* BL_REC_FIRMWARE_STEP: the step's name */
    size_t prefix_len;       /* set by compile_all, like the rest */
    pcre2_code *code;
    int str, mod, dev, addr, pid, ret, dur, unit, words, state;   /* named groups' numbers (0: none) */
} recognizers[] = {
    /* init/main.c since 2.6.25 (%pF, later %pS):
     *   calling  con_init+0x0/0x22c @ 0
     *   calling  virtio_net_driver_init+0x0/0x1000 [virtio_net] @ 123
     * The suspend/resume lookalike "calling  7-0061+ @ 2475, parent: i2c-7"
     * and PCI fixups "pci 0000:00:00.0: calling  quirk_..." do not match.
     * 2.6.25-mm printed "calling  net_ns_init+0x0/0x12a()", with no pid. */
    { .kind = BL_REC_CALLING, .prefix = "calling  ", .flags = ANY | PIECES,
      .pattern = "^calling  " SYM OFF "(?:\\(\\)|" MOD " @ (?<pid>" NUM "))" END },
    /*   initcall con_init+0x0/0x22c returned 0 after 0 usecs
     *   initcall balloon_wait_finish+0x0/0xed returned -19 after 9 usecs
     *   initcall pci_init+0x0/0x30 returned 0 after 12 msecs     (2.6.25-2.6.28)
     *   initcall net_ns_init+0x0/0x12a() returned 0 after 0 msecs (2.6.25-mm)
     * and, with no "after N msecs", the line the sed of elinux.org's
     * Initcall_Debug page leaves once it moved the duration to the front
     * (bl_rec_moved_duration). */
    { .kind = BL_REC_RETURNED, .prefix = "initcall ", .flags = ANY | PIECES,
      .pattern = "^initcall " SYM OFF PARENS MOD " returned (?<ret>-?" NUM ")(?: after (?<dur>" NUM
                 ") (?<unit>usecs|msecs))?" END },
    /* kernel/async.c, async_run_entry_fn():
     *   calling  12_async_port_probe+0x0/0x60 @ 5
     *   initcall 12_async_port_probe+0x0/0x60 returned after 80 usecs
     *   initcall 3_async_port_probe+0x0/0x60 returned 0 after 80 usecs   (before 5.x) */
    { .kind = BL_REC_ASYNC_CALLING, .prefix = "calling  ", .flags = ANY | PIECES,
      .pattern = "^calling  (?<addr>" NUM ")_" SYM OFF MOD " @ (?<pid>" NUM ")" END },
    { .kind = BL_REC_ASYNC_RETURNED, .prefix = "initcall ", .flags = ANY | PIECES,
      .pattern = "^initcall (?<addr>" NUM ")_" SYM OFF MOD " returned (?:(?<ret>-?" NUM
                 ") )?after (?<dur>" NUM ") (?<unit>usecs)" END },
    /* init/main.c, 2.6.1x-2.6.24 (do_initcalls, print_fn_descriptor_symbol):
     *   Calling initcall 0xc0433fe0: init_elf_binfmt+0x0/0x10()
     *   initcall 0xc0433fe0: init_elf_binfmt+0x0/0x10() returned 0.
     *   initcall 0xc0433fe0 ran for 0 msecs: init_elf_binfmt+0x0/0x10()
     * ("ran for" counts units of 2^20 ns, printed as msecs.) */
    { .kind = BL_REC_OLD_CALLING, .prefix = "Calling initcall 0x", .flags = ANY | PIECES,
      .pattern = "^Calling initcall 0x(?<addr>[0-9a-f]{1,16}): " SYM OFF MOD "\\(\\)" END },
    { .kind = BL_REC_OLD_RETURNED, .prefix = "initcall 0x", .flags = ANY | PIECES,
      .pattern = "^initcall 0x(?<addr>[0-9a-f]{1,16}): " SYM OFF MOD "\\(\\) returned (?<ret>-?"
                 NUM ")\\." END },
    { .kind = BL_REC_OLD_RAN_FOR, .prefix = "initcall 0x", .flags = ANY | PIECES,
      .pattern = "^initcall 0x(?<addr>[0-9a-f]{1,16}) ran for (?<dur>" NUM ") (?<unit>msecs): "
                 SYM OFF MOD "\\(\\)" END },
    /* init/main.c, 2.6.16-2.6.2x, an initcall that failed (also without
     * initcall_debug):
     *   initcall at 0xc036fe0b: acpi_system_init+0x0/0x11(): returned with error code -14 */
    { .kind = BL_REC_OLD_ERROR, .prefix = "initcall at 0x", .flags = ANY | PIECES,
      .pattern = "^initcall at 0x(?<addr>[0-9a-f]{1,16}): " SYM OFF MOD "\\(\\): returned with error code "
                 "(?<ret>-?" NUM ")" END },
    /* include/trace/events/initcall.h (4.17+), with tp_printk or in ftrace's
     * trace (its prefix peeled by framing.c):
     *   initcall_level: level=early
     *   initcall_start: func=fuse_len_args+0x0/0x30 [fuse]
     *   initcall_finish: func=fuse_len_args+0x0/0x30 [fuse] ret=0 */
    { .kind = BL_REC_LEVEL, .prefix = "initcall_level: level=", .flags = ANY,
      .pattern = "^initcall_level: level=(?<str>\\S+)" END },
    { .kind = BL_REC_TP_START, .prefix = "initcall_start: func=", .flags = ANY,
      .pattern = "^initcall_start: func=" SYM OFF MOD END },
    { .kind = BL_REC_TP_FINISH, .prefix = "initcall_finish: func=", .flags = ANY,
      .pattern = "^initcall_finish: func=" SYM OFF MOD " ret=(?<ret>-?" NUM ")" END },
    /* init/main.c (6.x): entering initcall level: device */
    { .kind = BL_REC_LEVEL, .prefix = "entering initcall level: ",
      .pattern = "^entering initcall level: (?<str>\\S+)" END },
    /* kernel/async.c: async_waiting @ 1 / async_continuing @ 1 after 1234 usec */
    { .kind = BL_REC_ASYNC_WAITING, .prefix = "async_waiting @ ",
      .pattern = "^async_waiting @ (?<pid>" NUM ")" END },
    { .kind = BL_REC_ASYNC_CONTINUING, .prefix = "async_continuing @ ",
      .pattern = "^async_continuing @ (?<pid>" NUM ") after (?<dur>" NUM ") (?<unit>usec)" END },
    /* drivers/base/dd.c, really_probe_debug():
     *   probe of cpu0 returned 0 after 6521 usecs */
    { .kind = BL_REC_PROBE, .prefix = "probe of ",
      .pattern = "^probe of (?<str>\\S+) returned (?<ret>-?" NUM ") after (?<dur>" NUM
                 ") (?<unit>usecs)" END },
    /* drivers/base/dd.c, deferred_probe_debug():
     *   deferred probe 1-0050 @ 12 / deferred probe 1-0050 returned after 33 usecs */
    { .kind = BL_REC_DEFERRED_START, .prefix = "deferred probe ",
      .pattern = "^deferred probe (?<str>\\S+) @ (?<pid>" NUM ")" END },
    { .kind = BL_REC_DEFERRED_END, .prefix = "deferred probe ",
      .pattern = "^deferred probe (?<str>\\S+) returned after (?<dur>" NUM ") (?<unit>usecs)" END },
    /* drivers/pci/quirks.c, 5.x and later (pci_dbg):
     *   pci 0000:00:00.0: calling  quirk_mmio_always_on+0x0/0x20 @ 1
     *   pci 0000:00:00.0: quirk_mmio_always_on+0x0/0x20 took 0 usecs */
    { .kind = BL_REC_PCI_CALLING, .prefix = "pci ",
      .pattern = "^pci " PCIDEV ": calling  " SYM OFF " @ (?<pid>" NUM ")" END },
    { .kind = BL_REC_PCI_TOOK, .prefix = "pci ",
      .pattern = "^pci " PCIDEV ": " SYM OFF " took (?<dur>" NUM ") (?<unit>usecs)" END },
    /* drivers/pci/quirks.c, 3.x-4.x:
     *   calling  quirk_x+0x0/0x20 @ 1 for 0000:00:1f.0
     *   pci fixup quirk_x+0x0/0x20 returned after 3 usecs for 0000:00:1f.0 */
    { .kind = BL_REC_PCI_OLD_CALLING, .prefix = "calling  ",
      .pattern = "^calling  " SYM OFF " @ (?<pid>" NUM ") for " PCIDEV END },
    { .kind = BL_REC_PCI_OLD_RETURNED, .prefix = "pci fixup ",
      .pattern = "^pci fixup " SYM OFF " returned after (?<dur>" NUM ") (?<unit>usecs) for "
                 PCIDEV END },
    /* drivers/base/power/main.c, device PM callbacks during suspend/resume
     * (pm-graph's skynet 3.15 trace):
     *   calling  7-0061+ @ 2475, parent: i2c-7
     *   call 7-0061+ returned 0 after 1 usecs */
    { .kind = BL_REC_PM_CALLING, .prefix = "calling  ",
      .pattern = "^calling  (?<str>\\S+?)\\+ @ (?<pid>" NUM "), parent: (?<dev>\\S+)" END },
    { .kind = BL_REC_PM_RETURNED, .prefix = "call ",
      .pattern = "^call (?<str>\\S+?)\\+ returned (?<ret>-?" NUM ") after (?<dur>" NUM
                 ") (?<unit>usecs)" END },
    /* Linux version 6.1.0-56-cloud-amd64 (debian-kernel@lists.debian.org) (gcc-12 ... */
    { .kind = BL_REC_KERNEL_VERSION, .prefix = "Linux version ", .flags = ANY,
      .pattern = "^Linux version (?<str>\\d\\S*)" },
    /* Command line: console=ttyS0 initcall_debug ignore_loglevel panic=-1 */
    { .kind = BL_REC_CMDLINE, .prefix = "Command line: ", .flags = ANY | PIECES,
      .pattern = "^Command line: (?<str>.*?)" END },
    /* Kernel command line: console=ttyS0 ... (non-x86 architectures) */
    { .kind = BL_REC_CMDLINE, .prefix = "Kernel command line: ", .flags = ANY | PIECES,
      .pattern = "^Kernel command line: (?<str>.*?)" END },
    /* SeaBIOS (version 1.16.2-debian-1.16.2-1)
     * Starting SeaBIOS (version 0.5.1-20100111_132716-squirrel.codemonkey.ws)   (0.5-0.6)
     * Start bios (version 0.5.1-20100111_132716-squirrel.codemonkey.ws)         (0.4-0.6, debug) */
    { .kind = BL_REC_FIRMWARE_VERSION, .prefix = "SeaBIOS (version ", .flags = ANY,
      .pattern = "^SeaBIOS \\(version (?<str>[^)]+)\\)" },
    { .kind = BL_REC_FIRMWARE_VERSION, .prefix = "Starting SeaBIOS (version ", .flags = ANY,
      .pattern = "^Starting SeaBIOS \\(version (?<str>[^)]+)\\)" },
    { .kind = BL_REC_FIRMWARE_VERSION, .prefix = "Start bios (version ", .flags = ANY,
      .pattern = "^Start bios \\(version (?<str>[^)]+)\\)" },
    /* Bootloaders' first words (real-world samples):
     *   U-Boot SPL 2017.09-rc2 (Aug 15 2017 - 16:05:06)
     *   U-Boot 2014.04-00014-g47880f5 (Apr 22 2014 - 13:23:54)
     *   NOTICE:  BL2: v2.10.0   (release):
     *   OpenSBI v1.3
     *   iPXE (http://ipxe.org) 00:03.0 CA00 PCI2.10 PnP PMM+BFF927B0+BFEF27B0 CA00
     *   coreboot-4.12 Mon Jan 1 00:00:00 UTC 2020 bootblock starting (log level: 7)... */
    { .kind = BL_REC_FIRMWARE_BANNER, .prefix = "U-Boot ", .flags = ANY,
      .pattern = "^(?<str>U-Boot (?:SPL |TPL )?\\d{4}\\.\\d{2}\\S*)" },
    { .kind = BL_REC_FIRMWARE_BANNER, .prefix = "NOTICE:  BL",
      .pattern = "^NOTICE:  (?<str>BL\\d+: v\\d\\S*)" },
    { .kind = BL_REC_FIRMWARE_BANNER, .prefix = "OpenSBI v", .flags = ANY,
      .pattern = "^(?<str>OpenSBI v\\d\\S*)" },
    { .kind = BL_REC_FIRMWARE_BANNER, .prefix = "iPXE ",
      .pattern = "^(?<str>iPXE) (?:\\(http|initialising devices)" },
    { .kind = BL_REC_FIRMWARE_BANNER, .prefix = "coreboot-", .flags = ANY,
      .pattern = "^(?<str>coreboot-\\S+) .*(?<words>bootblock|verstage|romstage|postcar|ramstage) starting" },
    /* U-Boot's prompt, where a log that starts with the user's commands
     * begins (its banner scrolled away); older boards print "U-Boot> ":
     *   => bootm go
     *   U-Boot> setenv boot_targets usb0 mmc0 dhcp
     *   Hit any key to stop autoboot:  0 */
    { .kind = BL_REC_FIRMWARE_PROMPT, .prefix = "=> ", .pattern = "^=> \\S" },
    { .kind = BL_REC_FIRMWARE_PROMPT, .prefix = "U-Boot> ", .pattern = "^U-Boot> " },
    { .kind = BL_REC_FIRMWARE_PROMPT, .prefix = "Hit any key to stop autoboot",
      .pattern = "^Hit any key to stop autoboot" },
    /* SeaBIOS' steps, which its phases are made of (src/phases.h):
     *   === PCI bus & bridge init ===          the PCI set-up starts
     *   PCI: init bdf=00:01.0 id=8086:7000     ... and goes on
     *   Scan for VGA option rom                option ROMs (also "Scan for option roms")
     *   Running option rom at c000:0003        one option ROM runs
     *   Searching bootorder for: HALT          the search for a boot device */
    { .kind = BL_REC_FIRMWARE_STEP, .prefix = "=== PCI ", .pattern = "^=== PCI ", .step = "pci-begin" },
    { .kind = BL_REC_FIRMWARE_STEP, .prefix = "PCI: ", .pattern = "^PCI: ", .step = "pci" },
    { .kind = BL_REC_FIRMWARE_STEP, .prefix = "Scan for ", .pattern = "^Scan for (?:VGA )?option rom",
      .step = "option-roms" },
    { .kind = BL_REC_FIRMWARE_STEP, .prefix = "Running option rom", .pattern = "^Running option rom",
      .step = "option-rom" },
    { .kind = BL_REC_FIRMWARE_STEP, .prefix = "Searching bootorder", .pattern = "^Searching bootorder",
      .step = "boot-search" },
    /* Booting from ROM...
     * Booting from cb00:0054      (the last one is the jump to the kernel) */
    { .kind = BL_REC_HANDOFF, .prefix = "Booting from ",
      .pattern = "^Booting from (?<str>.*?)\\.*" END },
    /* The other firmware's jump to what they load (the last one wins):
     *   Starting kernel ...                         U-Boot, boot/bootm_os.c
     *   BdsDxe: starting Boot0001 "UEFI QEMU HARDDISK QM00001 " from PciRoot(0x0)/...
     *                                               EDK2, MdeModulePkg BdsDxe
     *   Exiting depthcharge with code 4 at timestamp: 42069715
     *   Jumping to boot code at 0x000ff06e(0x7fb3d000)   coreboot's selfboot */
    { .kind = BL_REC_HANDOFF, .prefix = "Starting kernel ...",
      .pattern = "^(?<str>Starting kernel) \\.\\.\\." END },
    { .kind = BL_REC_HANDOFF, .prefix = "BdsDxe: starting ", .flags = ANY | GLUED,
      .pattern = "^BdsDxe: starting (?<str>Boot[0-9A-Fa-f]{4})", .step = "uefi-boot" },
    /*   BdsDxe: loading Boot0002 "UEFI QEMU HARDDISK QM00001 " from PciRoot(0x0)/...
     *   BdsDxe: failed to load Boot0001 "UEFI QEMU DVD-ROM QM00003 " from ...: Not Found
     * OVMF trying its boot options: its first words on a release build */
    { .kind = BL_REC_FIRMWARE_STEP, .prefix = "BdsDxe: ", .flags = ANY | GLUED,
      .pattern = "^BdsDxe: (?:loading|failed to load) Boot[0-9A-Fa-f]{4}", .step = "uefi-load" },
    { .kind = BL_REC_HANDOFF, .prefix = "Exiting depthcharge with code ", .flags = ANY,
      .pattern = "^(?<str>Exiting depthcharge) with code -?\\d+" },
    { .kind = BL_REC_HANDOFF, .prefix = "Jumping to boot code at ",
      .pattern = "^Jumping to boot code at (?<str>0x[0-9a-f]+)" },
    /*   EFI stub: Loaded initrd from LINUX_EFI_INITRD_MEDIA_GUID device path
     * the kernel's EFI stub (drivers/firmware/efi/libstub) runs: the end of
     * the firmware, or of the loader it started (GRUB); with qemu -kernel
     * behind OVMF's screen set-up "\e[2J\e[01;01H" on the same line */
    { .kind = BL_REC_FIRMWARE_STEP, .prefix = "EFI stub: ", .flags = ANY | GLUED, .pattern = "^EFI stub: ",
      .step = "efi-stub" },
    /* EDK2's debug output (a DEBUG build's port 0x402, OvmfPkg): the
     * phases of the PI boot, each to the next (src/phases.c):
     *   SecCoreStartupWithStack(0xFFFCC000, 0x820000)      SEC
     *   The 0th FV start address is 0x00000820000, ...     PEI: its core dispatches
     *   DXE IPL Entry                                      DXE: PEI hands over
     *   [Bds] Entry...                                     BDS */
    { .kind = BL_REC_FIRMWARE_STEP, .prefix = "SecCoreStartupWithStack(", .pattern = "^SecCoreStartupWithStack\\(",
      .step = "stage:sec" },
    { .kind = BL_REC_FIRMWARE_STEP, .prefix = "The 0th FV start address", .pattern = "^The 0th FV start address",
      .step = "stage:pei" },
    { .kind = BL_REC_FIRMWARE_STEP, .prefix = "Platform PEIM Loaded", .pattern = "^Platform PEIM Loaded",
      .step = "stage:pei" },
    { .kind = BL_REC_FIRMWARE_STEP, .prefix = "DXE IPL Entry", .pattern = "^DXE IPL Entry", .step = "stage:dxe" },
    { .kind = BL_REC_FIRMWARE_STEP, .prefix = "[Bds] Entry", .pattern = "^\\[Bds\\] ?Entry", .step = "stage:bds" },
    /* Run /init as init process */
    { .kind = BL_REC_USERSPACE, .prefix = "Run ", .flags = ANY,
      .pattern = "^Run (?<str>\\S+) as init process" },
    /* kernel/reboot.c stops the machine (3.15+; kernel/sys.c before printed
     * the same words with a period, without "reboot: "):
     *   reboot: Power down
     *   reboot: Restarting system with command 'bootloader'
     *   System halted. */
    { .kind = BL_REC_POWEROFF, .prefix = "reboot: ",
      .pattern = "^reboot: (?<str>Power down|Restarting system|System halted)" },
    { .kind = BL_REC_POWEROFF, .prefix = "Power down",
      .pattern = "^(?<str>Power down)\\.?" END },
    { .kind = BL_REC_POWEROFF, .prefix = "Restarting system",
      .pattern = "^(?<str>Restarting system)" },
    { .kind = BL_REC_POWEROFF, .prefix = "System halted",
      .pattern = "^(?<str>System halted)\\.?" END },
    /* kernel/printk/printk.c registers and drops consoles (docs/DESIGN.md,
     * "Which consoles block"); "printk: " since 4.x, "legacy " since 6.12
     * for consoles that are not nbcon, "boot" for early consoles:
     *   console [ttyS0] enabled
     *   printk: bootconsole [uart8250] disabled
     *   printk: legacy bootconsole [uart8250] enabled
     *   printk: legacy console [ttyS0] enabled */
    { .kind = BL_REC_CONSOLE, .prefix = "printk: ", .flags = ANY,
      .pattern = "^printk: (?<words>(?:legacy )?(?:boot)?)console " CONSOLE },
    { .kind = BL_REC_CONSOLE, .prefix = "console [", .pattern = "^(?<words>)console " CONSOLE },
    { .kind = BL_REC_CONSOLE, .prefix = "bootconsole [", .pattern = "^(?<words>boot)console " CONSOLE },
    /* kernel/smp.c, smp_init(): the secondary CPUs come up (a phase of its own)
     *   smp: Bringing up secondary CPUs ...
     *   smp: Brought up 1 node, 4 CPUs
     *   Brought up 4 CPUs                      (before 4.12, no start line) */
    { .kind = BL_REC_SMP, .prefix = "smp: Bringing up secondary CPUs", .step = "smp-begin",
      .pattern = "^smp: Bringing up secondary CPUs" },
    { .kind = BL_REC_SMP, .prefix = "smp: Brought up ", .step = "smp-end",
      .pattern = "^smp: Brought up \\d+ nodes?, \\d+ CPUs?" END },
    { .kind = BL_REC_SMP, .prefix = "Brought up ", .step = "smp-end", .pattern = "^Brought up \\d+ CPUs?" END },
    /* each secondary CPU, where the log shows it (its cost: src/phases.c):
     *   .... node  #0, CPUs:      #1          x86 since 3.x (arch/x86/kernel/smpboot.c,
     *    #2                                   announce_cpu); later CPUs as pr_cont pieces
     *   smpboot: Booting Node   0, Processors  #1     x86, 3.x
     *   smpboot: Booting Node 0 Processor 1 APIC 0x1   x86, 3.x, and 2.6's
     *   Booting processor 1 APIC 0x1 ip 0x6000          ("starts": to the next)
     *   CPU1: Booted secondary processor 0x0000000001 [0x410fd083]   arm64
     *   CPU1: thread -1, cpu 1, socket 0, mpidr 80000001             arm ("up": from the last) */
    { .kind = BL_REC_SMP, .prefix = ".... node  #", .step = "cpu-start",
      .pattern = "^\\.\\.\\.\\. node\\s+#\\d+, CPUs:\\s+#(?<str>\\d+)" END },
    { .kind = BL_REC_SMP, .prefix = " #", .step = "cpu-start", .pattern = "^ +#(?<str>\\d+)" END },
    { .kind = BL_REC_SMP, .prefix = "smpboot: Booting Node ", .step = "cpu-start",
      .pattern = "^smpboot: Booting Node\\s+\\d+,? Processors?\\s+#?(?<str>\\d+)(?: APIC|" END ")" },
    { .kind = BL_REC_SMP, .prefix = "Booting Node ", .step = "cpu-start",
      .pattern = "^Booting Node\\s+\\d+,? Processors?\\s+#?(?<str>\\d+)(?: APIC|" END ")" },
    { .kind = BL_REC_SMP, .prefix = "Booting processor ", .step = "cpu-start",
      .pattern = "^Booting processor (?<str>\\d+)(?:/\\d+)? APIC" },
    { .kind = BL_REC_SMP, .prefix = "CPU", .step = "cpu-up",
      .pattern = "^CPU(?<str>\\d+): (?:Booted secondary processor|thread -?\\d+, cpu \\d+, socket)" },
    /* free -m in the guest (procps and busybox):
     *                total        used        free      shared  buff/cache   available
     *   Mem:            470          17         442           2          11         442 */
    { .kind = BL_REC_MEMORY, .prefix = "Mem:",
      .pattern = "^Mem:\\s+(?<str>\\d{1,12}(?:\\s+\\d{1,12}){5})" END },
};

#define N_RECOGNIZERS (sizeof(recognizers) / sizeof(recognizers[0]))

static pcre2_match_data *match_data;
static bool compiled;
/* The ANY recognizers by the first byte of their prefix (index + 1, 0 ends
 * a list): where a record may start, only these are tried. */
#define MAX_PER_BYTE 12
static unsigned char by_first_byte[256][MAX_PER_BYTE + 1];

static int group_number(const pcre2_code *code, const char *name)
{
    int n = pcre2_substring_number_from_name(code, (PCRE2_SPTR)name);
    return n > 0 ? n : 0;
}

/* Compiles every pattern once. A pattern that does not compile is a bug in
 * this file, caught by every test: abort loudly rather than misparse. */
static void compile_all(void)
{
    for (size_t i = 0; i < N_RECOGNIZERS; i++) {
        int err;
        PCRE2_SIZE off;
        struct recognizer *r = &recognizers[i];
        r->code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED, 0,
                                &err, &off, NULL);
        if (!r->code)
            abort();
        pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE); /* optional: may be unsupported */
        r->prefix_len = strlen(r->prefix);
        r->str = group_number(r->code, "str");
        r->mod = group_number(r->code, "mod");
        r->dev = group_number(r->code, "dev");
        r->addr = group_number(r->code, "addr");
        r->pid = group_number(r->code, "pid");
        r->ret = group_number(r->code, "ret");
        r->dur = group_number(r->code, "dur");
        r->unit = group_number(r->code, "unit");
        r->words = group_number(r->code, "words");
        r->state = group_number(r->code, "state");
        if (r->flags & ANY) {
            unsigned char *list = by_first_byte[(unsigned char)r->prefix[0]];
            size_t k = 0;
            while (list[k])
                k++;
            if (k >= MAX_PER_BYTE)
                abort();   /* a table that cannot hold this file's recognizers: a bug here */
            list[k] = (unsigned char)(i + 1);
        }
    }
    match_data = pcre2_match_data_create(20, NULL);
    if (!match_data)
        abort();
    compiled = true;
}

/* The span of group n in the last match, len 0 if unset or n is 0. */
static struct bl_span group(const char *text, int n)
{
    struct bl_span s = { text, 0 };
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(match_data);
    if (n > 0 && ov[2 * n] != PCRE2_UNSET) {
        s.p = text + ov[2 * n];
        s.len = ov[2 * n + 1] - ov[2 * n];
    }
    return s;
}

/* A decimal number from a span the pattern limited to 18 digits. */
static int64_t span_int(struct bl_span s)
{
    int64_t v = 0;
    bool neg = s.len > 0 && s.p[0] == '-';
    for (size_t i = neg; i < s.len; i++)
        v = v * 10 + (s.p[i] - '0');
    return neg ? -v : v;
}

/* Whether recognizer r's literal prefix starts text. */
static bool has_prefix(const struct recognizer *r, const char *text, size_t len)
{
    return len >= r->prefix_len && text[0] == r->prefix[0] && memcmp(text, r->prefix, r->prefix_len) == 0;
}

/* Recognizer r on text: fills rec and returns true if it matches. */
static bool match_one(const struct recognizer *r, const char *text, size_t len, struct bl_rec *rec)
{
    if (pcre2_match(r->code, (PCRE2_SPTR)text, len, 0, 0, match_data, NULL) < 0)
        return false;
    memset(rec, 0, sizeof(*rec));
    rec->kind = r->kind;
    rec->step = r->step;
    struct bl_span ret = group(text, r->ret), pid = group(text, r->pid);
    rec->str = group(text, r->str);
    rec->module = group(text, r->mod);
    rec->device = group(text, r->dev);
    rec->addr = group(text, r->addr);
    rec->words = group(text, r->words);
    if (r->state)
        rec->step = group(text, r->state).p[0] == 'e' ? "enabled" : "disabled";
    rec->pid = pid.len ? span_int(pid) : -1;
    rec->has_ret = ret.len > 0;
    rec->ret = span_int(ret);
    struct bl_span dur = group(text, r->dur);
    rec->duration = dur.len ? span_int(dur) : -1;
    rec->msecs = r->unit && group(text, r->unit).p[0] == 'm';
    if (r->kind == BL_REC_MEMORY) {
        const char *q = rec->str.p, *end = rec->str.p + rec->str.len;
        for (int k = 0; k < 6; k++) {
            while (q < end && (*q == ' ' || *q == '\t'))
                q++;
            while (q < end && *q >= '0' && *q <= '9')
                rec->mem[k] = rec->mem[k] * 10 + (*q++ - '0');
        }
    }
    return true;
}

/* Tries every recognizer on text. */
static enum bl_rec_kind match(const char *text, size_t len, struct bl_rec *rec)
{
    memset(rec, 0, sizeof(*rec));
    for (size_t i = 0; i < N_RECOGNIZERS; i++) {
        const struct recognizer *r = &recognizers[i];
        /* most lines match no prefix: their first byte says so */
        if (has_prefix(r, text, len) && match_one(r, text, len, rec))
            return rec->kind;
    }
    return BL_REC_NONE;
}

enum bl_rec_kind bl_recognize(const char *text, size_t len, struct bl_rec *rec)
{
    if (!compiled)
        compile_all();
    return match(text, len, rec);
}

static bool is_word_byte(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Whether a "Linux version" found inside other text is the kernel's banner
 * ("Linux version 6.1.0-56 (debian-kernel@...) ..."), not prose that names
 * one ("tested on Linux version 6.1 and later"): the builder follows. */
static bool kernel_banner(const struct bl_rec *rec, const char *end)
{
    const char *after = rec->str.p + rec->str.len;
    return end - after >= 2 && after[0] == ' ' && after[1] == '(';
}

enum bl_rec_kind bl_recognize_anywhere(const char *text, size_t len, struct bl_rec *rec, size_t *at)
{
    size_t b = 0;
    *at = 0;
    if (bl_recognize(text, len, rec) != BL_REC_NONE)
        return rec->kind;
    /* behind an indent or a mail quote, any record: "  Booting from ..." */
    while (b < len && (text[b] == ' ' || text[b] == '\t' || text[b] == '>'))
        b++;
    if (b > 0 && b < len && match(text + b, len - b, rec) != BL_REC_NONE) {
        *at = b;
        return rec->kind;
    }
    for (size_t i = 1; i < len; i++) {
        /* a cheap filter first: the byte can start a distinctive record */
        const unsigned char *list = by_first_byte[(unsigned char)text[i]];
        if (!list[0])
            continue;
        for (size_t k = 0; list[k]; k++) {
            struct recognizer *r = &recognizers[list[k] - 1];
            if (is_word_byte(text[i - 1]) && !(r->flags & GLUED))
                continue;
            if (has_prefix(r, text + i, len - i) && match_one(r, text + i, len - i, rec) &&
                !(rec->kind == BL_REC_KERNEL_VERSION && !kernel_banner(rec, text + len))) {
                *at = i;
                return rec->kind;
            }
        }
    }
    memset(rec, 0, sizeof(*rec));
    return BL_REC_NONE;
}

bool bl_rec_partial(const char *text, size_t len)
{
    if (!compiled)
        compile_all();
    for (size_t i = 0; i < N_RECOGNIZERS; i++) {
        struct recognizer *r = &recognizers[i];
        /* a piece says more than the literal prefix: "calling  " alone is
         * not the start of a record yet */
        if (!(r->flags & PIECES) || len > 512)
            continue;
        /* a line wrapped after the literal's first word ("initcall" alone) */
        if (len + 1 == r->prefix_len && r->prefix[len] == ' ' && memcmp(text, r->prefix, len) == 0)
            return true;
        if (len <= r->prefix_len || !has_prefix(r, text, len))
            continue;
        if (pcre2_match(r->code, (PCRE2_SPTR)text, len, 0, PCRE2_PARTIAL_HARD, match_data, NULL) ==
            PCRE2_ERROR_PARTIAL)
            return true;
    }
    return false;
}

bool bl_rec_moved_duration(const char *prefix, size_t len, struct bl_rec *rec)
{
    int64_t v = 0;
    size_t i = 0;
    if (rec->kind != BL_REC_RETURNED || rec->duration >= 0)
        return false;
    while (i < len && i < 18 && prefix[i] >= '0' && prefix[i] <= '9')
        v = v * 10 + (prefix[i++] - '0');
    if (i == 0 || i >= len)
        return false;
    bool msecs = len - i == 7 && memcmp(prefix + i, " msecs ", 7) == 0;
    if (!msecs && !(len - i == 7 && memcmp(prefix + i, " usecs ", 7) == 0))
        return false;
    rec->duration = v;
    rec->msecs = msecs;
    return true;
}

/* Whether text[0..len-1] holds word (memmem is not POSIX). */
static bool has_word(const char *text, size_t len, const char *word)
{
    size_t n = strlen(word);
    for (size_t i = 0; i + n <= len; i++)
        if (text[i] == word[0] && memcmp(text + i, word, n) == 0)
            return true;
    return false;
}

/* "stage:u-boot-spl", "stage:bl31", "stage:romstage": the stage a
 * bootloader's banner starts. */
static const char *banner_stage(const struct bl_rec *rec, char *buf, size_t size)
{
    const char *p = rec->str.p;
    size_t n = rec->str.len, o = 0;
    if (rec->words.len) {          /* coreboot's stage */
        p = rec->words.p;
        n = rec->words.len;
    } else if (n > 4 && memcmp(p, "BL", 2) == 0) {
        n = (size_t)((const char *)memchr(p, ':', n) - p);
    } else {                       /* "U-Boot SPL 2017.09", "OpenSBI v1.3", "iPXE" */
        size_t words = 0;
        for (size_t i = 0; i < n; i++)
            if (p[i] == ' ' && ++words && (i + 1 >= n || (p[i + 1] >= '0' && p[i + 1] <= '9') || p[i + 1] == 'v')) {
                n = i;
                break;
            }
    }
    o = (size_t)snprintf(buf, size, "stage:");
    for (size_t i = 0; i < n && o + 1 < size; i++)
        buf[o++] = p[i] == ' ' ? '-' : (p[i] >= 'A' && p[i] <= 'Z') ? (char)(p[i] - 'A' + 'a') : p[i];
    buf[o] = '\0';
    return buf;
}

const char *bl_rec_mark(const struct bl_rec *rec, const char *text, size_t len, bool kernel, char *buf,
                        size_t size)
{
    switch (rec->kind) {
    case BL_REC_FIRMWARE_STEP:
        return kernel ? NULL : rec->step;   /* the kernel's "PCI: ..." lines are not */
    case BL_REC_HANDOFF:
        return rec->step;                    /* "uefi-boot": a loader follows */
    case BL_REC_SMP:
        if (!kernel)
            return NULL;
        if (rec->str.len == 0)
            return rec->step;
        snprintf(buf, size, "%s:%.*s", rec->step, (int)rec->str.len, rec->str.p);   /* "cpu-start:2" */
        return buf;
    case BL_REC_CONSOLE:
        snprintf(buf, size, "%.*sconsole %s", (int)rec->words.len, rec->words.p, rec->step);
        return buf;
    case BL_REC_FIRMWARE_BANNER:
        /* each bootloader of the chain is a stage of the firmware */
        return banner_stage(rec, buf, size);
    case BL_REC_KERNEL_VERSION:
        /* "... SMP PREEMPT_RT ...": its consoles print from threads */
        return has_word(text, len, " PREEMPT_RT ") ? "preempt-rt" : NULL;
    default:
        return NULL;
    }
}
