/*
 * plots.h: bootlog's charts (plots.c), written as gnuplot scripts.
 *   top-initcalls  horizontal bars of the N slowest initcalls (sd bars over boots)
 *   timeline       one boot: phases, the N longest initcalls, console output
 *   phases         one stacked bar of mean phase durations per label
 *   compare        the N most changed phases and initcalls of two labels
 *   range          mean ± sd of the whole boot across labels, in order
 *   trend          one figure across labels (bootlog trend), significant steps marked
 *   uart           one boot's console arrival against printk time
 *   histogram      the distribution of the selected boots' lengths
 */
#ifndef BL_PLOTS_H
#define BL_PLOTS_H

#include "db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gnuplot.h"

struct bl_user_phases;
struct bl_trend_query;
struct bl_plot_args {
    const int64_t *ids;       /* the boots, grouped by label in label order */
    const size_t *id_label;   /* for each boot, its index in labels (or SIZE_MAX) */
    size_t n_ids;
    const char *const *labels;
    size_t n_labels;
    const char *what;         /* a description of the selection, for titles */
    int64_t n;                /* how many rows */
    bool corrected;
    bool by_config;           /* top-initcalls by kernel option */
    const char *phase;        /* range: this phase too (NULL: the whole boot only) */
    const struct bl_user_phases *user;   /* phases of the user's too (NULL: none) */
    const struct bl_trend_query *trend;  /* trend: what it follows */
};

/* Whether bootlog draws charts of that kind; if not, says so, listing
 * the kinds. */
bool bl_plot_kind_known(const char *kind);

/* Draws the chart of `kind` into path (its extension: png, svg, pdf, or
 * gp for the script alone), sized for its rows, with a header naming the
 * command argv. Returns 0, or -1 after printing an error. */
int bl_plot_draw(struct bl_db *db, const char *kind, const struct bl_plot_args *a, const char *path, int argc,
                 char **argv);

/* Resolves labels and boot ids into the boots of a chart, grouped by label
 * (the labels first, in the order given; then the boots' own labels).
 * `what` receives a description; free *owned with bl_plot_select_free. */
int bl_plot_select(struct bl_db *db, const char *const *labels, size_t n_labels, const int64_t *boots,
                   size_t n_boots, struct bl_plot_args *a, char *what, size_t what_size, void **owned);
void bl_plot_select_free(void *owned);

#endif
