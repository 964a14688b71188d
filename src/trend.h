/*
 * trend.h: one figure (the whole boot, a phase, an initcall) of every
 * label in turn, for watching a series of kernels or commits: mean, sd and
 * boots per label, in import order or by a --meta value, and between each
 * label and the one before it the step and whether it is significant,
 * exactly as `bootlog compare` of the two would say (compare.h).
 */
#ifndef BL_TREND_H
#define BL_TREND_H

#include "db.h"
#include <stdbool.h>
#include <stddef.h>

#include "compare.h"
#include "output.h"

/* The --phase that follows the time to 'Run /init' (printk time). */
#define BL_TREND_RUN_INIT "run-init"

struct bl_trend_query {
    const char *const *labels;    /* these labels (in this order unless by); none: every label */
    size_t n_labels;
    const char *label_pattern;    /* or the labels matching this shell pattern */
    const char *phase;            /* the figure: a phase (or BL_TREND_RUN_INIT), */
    const char *initcall;         /* an initcall ("fn" or "fn [module]"); neither: the whole boot */
    const char *by;               /* order by this --meta NAME of the labels' boots */
};

struct bl_trend_point {
    char *label;
    char *by_value;               /* the label's least value of `by` (NULL: none, or no `by`) */
    int64_t *ids;                 /* its boots */
    size_t n_ids;
    bool known;                   /* the figure was measured in its boots */
    struct bl_summary s;          /* us */
    bool has_step;                /* a label before it, both with the figure */
    double step_us, p;            /* mean - the previous mean; compare's p (NAN: untested) */
    const char *verdict;          /* compare's: "slower", "faster", "same", "untested" */
};

struct bl_trend {
    struct bl_trend_point *points;
    size_t n;
    char figure[600];             /* "whole boot", "phase kernel", "initcall fn" */
    struct bl_col *cols;          /* bl_trend_table's columns (its table points to them) */
};

/* Fills t. Returns 0, or -1 after printing an error (no label matches; the
 * figure is nowhere). */
int bl_trend(struct bl_db *db, const struct bl_trend_query *q, struct bl_trend *t);
void bl_trend_free(struct bl_trend *t);

/* The trend as `bootlog trend` prints it (CSV/JSON fields label, by,
 * boots, mean_us, sd_us, step_us, p_value, verdict); by names the BY
 * column's heading (NULL: no such column in the table). Free the table
 * before t. */
struct bl_table *bl_trend_table(struct bl_trend *t, const char *by);

#endif
