/*
 * compare.h: configuration B against A per whole boot, time to userspace,
 * phase and initcall: means, delta, Welch's t-test, a verdict. The
 * p-values of phases and of initcalls are adjusted (Benjamini-Hochberg)
 * for how many of them were compared.
 */
#ifndef BL_COMPARE_H
#define BL_COMPARE_H

#include "db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats.h"

enum bl_cmp_kind { BL_CMP_TOTAL, BL_CMP_PHASE, BL_CMP_INITCALL, BL_CMP_OPTION, BL_CMP_UNIT };
const char *bl_compare_kind_name(enum bl_cmp_kind k);

struct bl_compare_row {
    enum bl_cmp_kind kind;
    char *name;               /* "boot", "userspace", a phase, "fn [mod]" */
    struct bl_summary a, b;   /* us */
    struct bl_welch w;        /* w.p adjusted for phases and initcalls */
    double delta, pct;        /* b - a (us), and % of a (NAN if a is 0) */
    const char *verdict;      /* "faster", "slower", "same" */
};

struct bl_comparison {
    struct bl_compare_row *rows;   /* totals first, then by absolute delta */
    size_t n;
    bool paired;                   /* the runs paired by round: the paired t-test, else Welch's */
};

/* The 95% confidence interval of a row's delta (B - A, us), from its test
 * (the standard error its t implies, its degrees of freedom); false when
 * the row was not tested or its interval is not known. */
bool bl_compare_interval(const struct bl_compare_row *r, double *low, double *high);

/* What may make a comparison of these boots mean less than it says, each
 * a sentence passed to say(ctx, text): the two labels captured in separate
 * blocks (drift reads as a difference), a side's runs trending with run
 * order (Spearman's rho >= 0.8 over 5 runs or more), a run far from its
 * side's median (more than 5 median absolute deviations), a run that used
 * more than twice the median system CPU time. Returns 0, or -1. */
int bl_compare_warnings(struct bl_db *db, const int64_t *const ids[2], const size_t n[2], const char *const names[2],
                        bool paired, void (*say)(void *ctx, const char *text), void *ctx);

/* Compares boots b[0..nb-1] with a[0..na-1] (user: phases of the user's
 * too, or NULL; by_config: the kernel options' summed initcalls in place
 * of each initcall's, rows of kind option). Returns 0, or -1 after
 * printing an error. */
struct bl_user_phases;
int bl_compare(struct bl_db *db, const int64_t *a, size_t na, const int64_t *b, size_t nb,
               const struct bl_user_phases *user, bool by_config, struct bl_comparison *out);
void bl_comparison_free(struct bl_comparison *c);

/* Whether a row's change is significant (adjusted p below BL_SIGNIFICANCE). */
bool bl_compare_significant(const struct bl_compare_row *r);
/* The rows worth showing without --all: the totals, and the significant. */
bool bl_compare_notable(const struct bl_compare_row *r);
/* Whether the whole boot, the time to userspace or a phase is slower by
 * more than pct percent, significantly (compare --fail-on-regression). */
bool bl_compare_regressed(const struct bl_comparison *c, double pct);

/* The comparison as bootlog compare shows it (CSV/JSON fields kind, name,
 * mean_a_us, mean_b_us, delta_us, delta_pct, p_value, verdict, n_a, n_b):
 * every row if `all`, else the notable ones; at most max_rows. */
struct bl_table;
struct bl_table *bl_compare_table(const struct bl_comparison *c, bool all, size_t max_rows);

#endif
