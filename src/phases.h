/*
 * phases.h: a boot as named intervals on its one timeline.
 *
 * The timeline is the host clock when the console has host stamps (t = 0
 * at the capture's start), else printk time (always for a deterministic
 * run). printk times are put on the host clock by clock.c's fit. Built-in
 * phases (bl_builtin_phases; docs/DESIGN.md lists their markers with real
 * lines), each present only when its markers are:
 *
 *   vmm                  0 -> the first firmware line
 *   firmware             -> the hand-off ("Booting from ...", the last one)
 *     firmware:pci         step pci-begin ("=== PCI ...") -> the last step pci
 *                          ("PCI: ..."; SeaBIOS' steps are recognized by
 *                          parsers/recognize.c and stored as line.mark)
 *     firmware:option-roms the first step option-roms or option-rom ("Scan
 *                          for option roms", "Running option rom ...") -> the
 *                          line after the last option-rom
 *     firmware:boot-search the first step boot-search ("Searching bootorder")
 *                          -> the hand-off
 *     firmware:STAGE       a bootloader's banner or EDK2's SEC/PEI/DXE/BDS
 *                          marker ("stage:NAME") -> the next one, or the hand-off
 *     firmware:NAME        the firmware's own account (U-Boot's bootstage,
 *                          coreboot's timestamps, table account), its last mark
 *                          at the hand-off; accumulated times unplaced
 *   loader               UEFI's "BdsDxe: starting" -> the EFI stub's line, else
 *                          the loader's (GRUB's) last line
 *   kernel:entry         hand-off (or the loader's end) -> printk 0 (the kernel's start)
 *   kernel:early         -> the start of do_initcalls' first initcall (not
 *                          start_kernel's console initcalls, "@ 0")
 *   kernel:initcalls     -> the last initcall's end before 'Run /init'
 *     kernel:smp           step smp-begin ("smp: Bringing up secondary CPUs")
 *                          -> step smp-end ("smp: Brought up ...")
 *       kernel:smp:cpuN    each secondary CPU ("cpu-start:N" -> the next start,
 *                          "cpu-up:N": the previous up -> it)
 *   kernel:late          -> 'Run /init' (or "Run /sbin/init", ...)
 *   userspace            -> the last line where the kernel stops the machine
 *                          ("reboot: Power down", "reboot: Restarting system",
 *                          2.6's "System halted."; parsers/recognize.c),
 *                          else the console's last line
 *   shutdown             -> the VMM's exit (bootlog capture's wall time)
 *   fpdt:*, systemd:*    other programs' accounts: durations, unplaced
 *
 * With `corrected`, printk times are taken without the console's cost
 * (uart.h): printk - c * bytes printed before the line.
 */
#ifndef BL_PHASES_H
#define BL_PHASES_H

#include "db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcre2.h>

#include "stats.h"
#include "store.h"

/* A user's phase: NAME=START_REGEX..END_REGEX (PCRE2 on line texts). */
struct bl_user_phase {
    char name[64];
    pcre2_code *start, *end;
};

/* Parses "NAME=START..END"; prints an error (naming `where`) and returns -1
 * if it is not one. */
int bl_user_phase_parse(const char *spec, const char *where, struct bl_user_phase *out);
void bl_user_phase_free(struct bl_user_phase *p);

/* Users' phases, as --phase and --phases give them. */
struct bl_user_phases {
    struct bl_user_phase *v;
    size_t n, cap;
};
/* Adds "NAME=START..END"; prints an error and returns -1 if it is not one. */
int bl_user_phases_add(struct bl_user_phases *u, const char *spec, const char *where);
/* Adds a file's phases, one NAME=START..END a line (# comments); prints an
 * error naming the file and line and returns -1 on a bad one. */
int bl_user_phases_read(struct bl_user_phases *u, const char *path);
void bl_user_phases_free(struct bl_user_phases *u);

/* The phases of a boot, in timeline order (user phases last). *total_ns is
 * the end of the boot's timeline (its exit, or its last marker). Returns 0,
 * or -1 after printing an error. *host says whether the timeline is the
 * host clock. */
int bl_boot_phases(struct bl_db *db, int64_t boot, bool corrected, const struct bl_user_phase *user,
                   size_t n_user, struct bl_phase **out, size_t *n, int64_t *total_ns, bool *host);

/* One phase over several boots: statistics over the boots that have it
 * (a boot without it is never counted as zero). Times in us. */
struct bl_phase_stat {
    char name[64];
    int depth;
    bool placed;                     /* false: a duration only (struct bl_phase) */
    struct bl_summary dur, start;
};
struct bl_phase_stats {
    struct bl_phase_stat *v;         /* in the order the boots have them */
    size_t n, cap;
    size_t boots;                    /* those of ids with a timeline: a boot without
                                      * timestamps (bl_store_timeless) is left out */
    struct bl_summary end;           /* the timelines' ends (bl_boot_phases' total) */
    struct bl_summary length;        /* the whole boots (bl_boot_length_ns), of those
                                      * that have one: length.n */
    bool host;                       /* every timeline is the host clock */
};
/* The phases of boots ids[0..n-1] (n > 0) over the boots. Returns 0, or -1
 * after printing an error. */
int bl_phase_stats(struct bl_db *db, const int64_t *ids, size_t n, bool corrected,
                   const struct bl_user_phases *user, struct bl_phase_stats *out);
/* The phase of that name, or NULL. */
const struct bl_phase_stat *bl_phase_stat_find(const struct bl_phase_stats *s, const char *name);
void bl_phase_stats_free(struct bl_phase_stats *s);

/* systemd's account of the kernel ("Startup finished in ... (kernel)")
 * against bootlog's (printk 0 to Run /init): a sentence that says whether
 * they agree and, when not, why; returns 0 if the boots lack either. */
int bl_phase_crosscheck(const struct bl_phase_stats *ps, char *buf, size_t cap);

/* The phases as bootlog phases shows them, with a text timeline (CSV/JSON
 * fields name, boots, mean_us, stddev_us, min_us, max_us, share, start_us). */
struct bl_table;
struct bl_table *bl_phase_table(const struct bl_phase_stats *ps);

/* The host time of printk 0 by clock.c's fit; BL_NONE if the console has
 * no host stamps. Returns 0, or -1 after printing an error. */
int bl_boot_kernel_start_ns(struct bl_db *db, int64_t boot, int64_t *ns);

/* The whole boot's length, comparable between boots whatever their logs
 * show: the VMM's exit (bootlog capture), else the arrival of the boot's
 * last line (host stamps), else its last printk time; BL_NONE if none.
 * Returns 0, or -1 after printing an error. */
int bl_boot_length_ns(struct bl_db *db, int64_t boot, int64_t *ns);

/* What import saw go by of a boot's lines and calls, which working out
 * its phases would otherwise read them all again for (BL_NONE: none). */
struct bl_seen {
    bool host_stamps;                 /* its console has host stamps */
    int64_t last_host_ns, last_printk_us;   /* the largest of its lines' */
    /* the end of its initcalls: of those that returned before userspace
     * started, the last to end (printk time; its end line); known = false
     * when import cannot tell (bl_initcalls_end) */
    bool initcalls_end_known;
    int64_t initcalls_end_us, initcalls_end_line_id;
};

/* Follows the end of a boot's initcalls as import stores them: each
 * initcall's end (printk time and line id, in the order they are stored),
 * with the boot's userspace printk time as known so far (the first "Run
 * /init"; BL_NONE until then). The last to end before userspace, as
 * phases.c's query finds it; when a call stored before "Run /init" turns
 * out to end after it, import cannot tell and says so. */
struct bl_initcalls_end {
    int64_t before_us, before_line;   /* stored before userspace was known */
    int64_t after_us, after_line;     /* stored after, ending before it */
};
void bl_initcalls_end_init(struct bl_initcalls_end *e);
void bl_initcalls_end_add(struct bl_initcalls_end *e, int64_t userspace_us, int64_t end_us, int64_t line_id);
void bl_initcalls_end_result(const struct bl_initcalls_end *e, int64_t userspace_us, struct bl_seen *seen);

/* Works out and stores a boot's built-in phases, as read and corrected,
 * and its length (tables timeline and phase), which bl_boot_phases and
 * bl_boot_length_ns then read instead. Run by import once the boot and its
 * console estimate are stored, with what it saw. Returns 0, or -1 after
 * printing an error. */
int bl_store_phases(struct bl_db *db, int64_t boot, const struct bl_seen *seen);

/* The built-in phases, in timeline order; depth 1: a part of the one before. */
struct bl_builtin_phase {
    const char *name;
    int depth;
};
extern const struct bl_builtin_phase bl_builtin_phases[];
extern const size_t bl_n_builtin_phases;

/* 1 if the boot ran deterministically (bootlog capture of qemu -icount):
 * its timeline is then the guest's clock, printk time; 0 if not; -1. */
int bl_boot_guest_clock(struct bl_db *db, int64_t boot);

#endif
