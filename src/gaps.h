/*
 * gaps.h: the time of a boot's kernel that no initcall covers (SMP
 * bring-up, a firmware wait, start_kernel's own work), with the lines
 * printed around it, so that it shows up by name.
 */
#ifndef BL_GAPS_H
#define BL_GAPS_H

#include "db.h"
#include <stddef.h>
#include <stdint.h>

struct bl_gap {
    int64_t boot, start_us, end_us;   /* printk time */
    char before[160];                 /* the last line printed at or before the start */
    char inside[160];                 /* the first line printed during it that marks a
                                       * kernel step (smp: ...), else the first ("" if none) */
    char after[160];                  /* the first line printed at or after the end */
};

/* The gaps between the kernel's first line and 'Run /init' (else its
 * last line) of boots ids[0..n-1] that no initcall covers, longest first,
 * ties by boot and time. Returns 0, or -1 after printing an error. */
int bl_gaps(struct bl_db *db, const int64_t *ids, size_t n, struct bl_gap **out, size_t *n_out);

/* The first `limit` gaps as bootlog gaps shows them (CSV/JSON fields boot,
 * start_us, gap_us, before, inside, after). */
struct bl_table;
struct bl_table *bl_gaps_table(const struct bl_gap *g, size_t n, size_t limit);

#endif
