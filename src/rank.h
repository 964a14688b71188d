/*
 * rank.h: initcalls ranked by the duration the kernel reported, over one
 * or several boots (bootlog top-initcalls, plot, report). A function called
 * several times in a boot counts once, its calls summed; over several
 * boots, statistics over the boots that ran it.
 */
#ifndef BL_RANK_H
#define BL_RANK_H

#include "db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stats.h"

struct bl_rank_row {
    const char *function, *module;   /* module NULL if built in */
    int64_t calls, total_us;         /* summed over the boots */
    int64_t ret;                     /* one boot: a non-zero return, or 0 (boots: 0) */
    int64_t start_us;                /* one boot: its first call, -1 if not known (boots: -1) */
    bool suspect;                    /* a boot's duration of it cannot be true (call.suspect):
                                      * ranked in place, marked, and noted */
    struct bl_summary s;             /* per-boot durations: n is how many boots */
};

struct bl_rank_entry;

struct bl_ranking {
    struct bl_rank_row *rows;        /* longest mean first, ties by name */
    size_t n;
    int64_t grand_total_us;          /* all initcall time of the boots (suspect rows' not:
                                      * they have no share) */
    struct bl_rank_entry *entries;   /* what rows point into: one per function */
    size_t n_entries;
    bool by_config;                  /* rows are kernel options (function is the option) */
};

/* Ranks the initcalls of boots ids[0..n-1] (corrected: without the
 * console's cost, where known; by_config: by the kernel option that built
 * them, from bootlog kconfig's stored mapping, as if each were one
 * function). Returns 0, or -1 after printing an error. */
int bl_rank_initcalls(struct bl_db *db, const int64_t *ids, size_t n, bool corrected, bool by_config,
                      struct bl_ranking *r);
void bl_ranking_free(struct bl_ranking *r);

/* The first max_rows rows of a ranking over `boots` boots, as bootlog
 * top-initcalls shows them (CSV/JSON fields rank, function, module, calls,
 * boots, mean_us, stddev_us, min_us, median_us, max_us, share, suspect; the
 * table marks a suspect row's name with BL_SUSPECT_MARK). */
#define BL_SUSPECT_MARK " [suspect]"
struct bl_table;
struct bl_table *bl_rank_table(const struct bl_ranking *rk, size_t boots, size_t max_rows);

/* Prints the notes under a ranking of boots ids[0..n-1]: initcalls that
 * never returned (the boot hung or crashed in them, or the log ends
 * there), durations that cannot be true, and how many initcalls printed
 * no duration. Returns 0, or -1 after printing an error. */
int bl_rank_print_notes(struct bl_db *db, const int64_t *ids, size_t n, FILE *out);

#endif
