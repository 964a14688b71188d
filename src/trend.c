/* trend.c: a figure per label, in order, with compare's verdict on each step. */
#include "trend.h"

#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "select.h"
#include "store.h"
#include "util.h"

/* Values that are all numbers sort as numbers, others as text (ISO dates
 * and times sort right as text); labels without a value last. */
static int cmp_by(const void *pa, const void *pb)
{
    const struct bl_trend_point *a = pa, *b = pb;
    if (!a->by_value || !b->by_value)
        return !a->by_value - !b->by_value;
    char *ea, *eb;
    double da = strtod(a->by_value, &ea), db = strtod(b->by_value, &eb);
    if (*a->by_value && *b->by_value && !*ea && !*eb && da != db)
        return da < db ? -1 : 1;
    return strcmp(a->by_value, b->by_value);
}

/* Whether a comparison row is the figure asked for. */
static bool is_figure(const struct bl_trend_query *q, const struct bl_compare_row *r)
{
    if (q->initcall) {
        size_t len = strlen(q->initcall);
        return r->kind == BL_CMP_INITCALL && strncmp(r->name, q->initcall, len) == 0 &&
               (r->name[len] == '\0' || strncmp(r->name + len, " [", 2) == 0);
    }
    if (q->phase && strcmp(q->phase, BL_TREND_RUN_INIT) == 0)
        return r->kind == BL_CMP_TOTAL && strcmp(r->name, "userspace") == 0;   /* compare's time to userspace */
    if (q->phase)
        return r->kind == BL_CMP_PHASE && strcmp(r->name, q->phase) == 0;
    return r->kind == BL_CMP_TOTAL && strcmp(r->name, "boot") == 0;
}

/* Compares the boots of a and b; the row of the figure, or NULL. */
static int figure_row(struct bl_db *db, const struct bl_trend_query *q, const struct bl_trend_point *a,
                      const struct bl_trend_point *b, struct bl_comparison *c, const struct bl_compare_row **row)
{
    *row = NULL;
    if (bl_compare(db, a->ids, a->n_ids, b->ids, b->n_ids, NULL, false, c) < 0)
        return -1;
    for (size_t i = 0; i < c->n; i++)
        if (is_figure(q, &c->rows[i]))
            *row = &c->rows[i];
    return 0;
}

int bl_trend(struct bl_db *db, const struct bl_trend_query *q, struct bl_trend *t)
{
    char **labels = NULL;
    size_t n_labels = 0;
    int rc = -1;

    memset(t, 0, sizeof(*t));
    if (q->initcall)
        snprintf(t->figure, sizeof(t->figure), "initcall %s", q->initcall);
    else if (q->phase && strcmp(q->phase, BL_TREND_RUN_INIT) == 0)
        snprintf(t->figure, sizeof(t->figure), "time to userspace ('Run /init', printk time)");
    else if (q->phase)
        snprintf(t->figure, sizeof(t->figure), "phase %s", q->phase);
    else
        snprintf(t->figure, sizeof(t->figure), "whole boot");
    if (q->n_labels) {
        labels = bl_xmalloc(q->n_labels * sizeof(*labels));
        for (size_t i = 0; i < q->n_labels; i++)
            labels[n_labels++] = bl_xstrdup(q->labels[i]);
    } else if (bl_store_labels(db, &labels, &n_labels) < 0) {
        goto out;
    }
    t->points = bl_xmalloc((n_labels ? n_labels : 1) * sizeof(*t->points));
    for (size_t i = 0; i < n_labels; i++) {
        if (q->label_pattern && fnmatch(q->label_pattern, labels[i], 0) != 0)
            continue;
        struct bl_trend_point *p = &t->points[t->n];
        memset(p, 0, sizeof(*p));
        p->label = labels[i];
        labels[i] = NULL;
        t->n++;
        p->p = NAN;
        if (bl_label_boots(db, p->label, &p->ids, &p->n_ids) < 0 ||
            (q->by && bl_store_label_meta(db, p->label, q->by, &p->by_value) < 0))
            goto out;
    }
    if (t->n == 0) {
        if (q->label_pattern)
            bl_error("trend: no label matches '%s' (see 'bootlog boots')", q->label_pattern);
        else
            bl_error("trend: no boot has a label (import and capture take --label)");
        goto out;
    }
    if (q->by)
        qsort(t->points, t->n, sizeof(*t->points), cmp_by);

    /* each label against the one before: its summary, and the step */
    bool any = false;
    for (size_t i = 0; i < t->n; i++) {
        struct bl_trend_point *p = &t->points[i];
        const struct bl_trend_point *prev = i > 0 ? &t->points[i - 1] : p;
        struct bl_comparison c;
        const struct bl_compare_row *r;
        if (figure_row(db, q, prev, p, &c, &r) < 0)
            goto out;
        if (!r && i > 0) {   /* not in the one before: its own figure, without a step */
            bl_comparison_free(&c);
            if (figure_row(db, q, p, p, &c, &r) < 0)
                goto out;
        }
        if (r) {
            p->known = any = true;
            p->s = r->b;
            if (i > 0 && prev->known) {
                p->has_step = true;
                p->step_us = r->delta;
                p->p = r->w.p;
                p->verdict = r->verdict;
            }
        }
        bl_comparison_free(&c);
    }
    if (!any) {
        bl_error("trend: no boot selected has the %s (see 'bootlog phases', 'bootlog top-initcalls')", t->figure);
        goto out;
    }
    rc = 0;
out:
    for (size_t i = 0; i < n_labels; i++)
        free(labels[i]);
    free(labels);
    if (rc < 0)
        bl_trend_free(t);
    return rc;
}

void bl_trend_free(struct bl_trend *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->points[i].label);
        free(t->points[i].by_value);
        free(t->points[i].ids);
    }
    free(t->points);
    free(t->cols);
    memset(t, 0, sizeof(*t));
}

struct bl_table *bl_trend_table(struct bl_trend *t, const char *by)
{
    const struct bl_col cols[] = {
        { "label", NULL, BL_COL_STR, 0, BL_COL_BOTH },
        { "by", by, BL_COL_STR, 0, by ? BL_COL_BOTH : BL_COL_DATA },
        { "boots", NULL, BL_COL_INT, 0, BL_COL_BOTH },
        { "mean_us", "mean ms", BL_COL_US, 1, BL_COL_BOTH },
        { "sd_us", "sd ms", BL_COL_US, 1, BL_COL_BOTH },
        { "step_us", "step ms", BL_COL_US, 1, BL_COL_BOTH },
        { "p_value", "p", BL_COL_REAL, 4, BL_COL_BOTH },
        { "verdict", "step", BL_COL_STR, 0, BL_COL_BOTH },
    };
    free(t->cols);
    t->cols = bl_xmalloc(sizeof(cols));
    memcpy(t->cols, cols, sizeof(cols));
    struct bl_table *tab = bl_table_new(t->cols, (int)(sizeof(cols) / sizeof(cols[0])));
    for (size_t i = 0; i < t->n; i++) {
        const struct bl_trend_point *p = &t->points[i];
        bl_table_str(tab, p->label);
        bl_table_str(tab, p->by_value);
        bl_table_int(tab, (int64_t)(p->known ? p->s.n : p->n_ids));
        if (p->known) {
            bl_table_num(tab, p->s.mean);
            bl_table_num(tab, p->s.sd);
        } else {
            bl_table_null(tab);
            bl_table_null(tab);
        }
        if (p->has_step) {
            bl_table_num(tab, p->step_us);
            if (isnan(p->p))
                bl_table_null(tab);
            else
                bl_table_num(tab, p->p);
            bl_table_str(tab, p->verdict);
        } else {
            bl_table_null(tab);
            bl_table_null(tab);
            bl_table_null(tab);
        }
    }
    return tab;
}
