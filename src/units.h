/*
 * units.h: the userspace's units (systemd-analyze blame and critical-chain,
 * read at import: table unit) ranked over boots, as top-initcalls ranks
 * initcalls: bootlog top-units, and the units section of compare.
 */
#ifndef BL_UNITS_H
#define BL_UNITS_H

#include "db.h"
#include <stddef.h>
#include <stdint.h>

#include "stats.h"

struct bl_unit_stat {
    char *name;
    struct bl_summary time;          /* us to start, over the boots that timed it */
    struct bl_summary active;        /* us from userspace's start to active; n 0: never said */
};
struct bl_unit_stats {
    struct bl_unit_stat *v;          /* longest mean time first, ties by name */
    size_t n;
};

/* The units of boots ids[0..n-1]. Returns 0, or -1 after printing an error. */
int bl_unit_stats(struct bl_db *db, const int64_t *ids, size_t n, struct bl_unit_stats *out);
/* The unit of that name, or NULL. */
const struct bl_unit_stat *bl_unit_stat_find(const struct bl_unit_stats *s, const char *name);
void bl_unit_stats_free(struct bl_unit_stats *s);

/* The first `limit` units as a table (CSV/JSON fields rank, unit, boots,
 * mean_us, stddev_us, min_us, max_us, active_us). */
struct bl_table;
struct bl_table *bl_unit_table(const struct bl_unit_stats *s, size_t boots, size_t limit);

#endif
