/*
 * compare.c: see compare.h. Welch's t-test is the test for a handful of
 * boots per side whose spreads need not be equal (src/stats.c).
 */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "parser.h"
#include "phases.h"
#include "store.h"
#include "util.h"


/* One measure of one boot. */
struct obs {
    enum bl_cmp_kind kind;
    char *name;
    int side;                 /* 0: A, 1: B */
    double us;
};


static void add_obs(struct obs **v, size_t *n, size_t *cap, enum bl_cmp_kind k, const char *name, int side,
                    double us)
{
    struct obs o = { k, bl_xstrdup(name), side, us };
    BL_PUSH(*v, *n, *cap, o);
}

static int cmp_obs(const void *pa, const void *pb)
{
    const struct obs *a = pa, *b = pb;
    if (a->kind != b->kind)
        return (int)a->kind - (int)b->kind;
    int c = strcmp(a->name, b->name);
    return c ? c : a->side - b->side;
}

static int cmp_row(const void *pa, const void *pb)
{
    const struct bl_compare_row *a = pa, *b = pb;
    if ((a->kind == BL_CMP_TOTAL) != (b->kind == BL_CMP_TOTAL))
        return a->kind == BL_CMP_TOTAL ? -1 : 1;
    if (fabs(a->delta) != fabs(b->delta))
        return fabs(a->delta) < fabs(b->delta) ? 1 : -1;
    int c = (int)a->kind - (int)b->kind;
    return c ? c : strcmp(a->name, b->name);
}

static int cmp_p(const void *pa, const void *pb)
{
    double a = (*(struct bl_compare_row *const *)pa)->w.p, b = (*(struct bl_compare_row *const *)pb)->w.p;
    return (a > b) - (a < b);
}

/* Benjamini-Hochberg: hundreds of initcalls tested at once would give
 * dozens of "significant" changes by chance at p < 0.05; the p-values of
 * one kind of row are adjusted for how many were tested (false discovery
 * rate), so that a verdict means the same with 5 rows or 500. */
static void adjust(struct bl_compare_row *rows, size_t n, enum bl_cmp_kind kind)
{
    struct bl_compare_row **r = bl_xmalloc((n ? n : 1) * sizeof(*r));
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].kind == kind && !isnan(rows[i].w.p))   /* untested rows are not tests */
            r[m++] = &rows[i];
    qsort(r, m, sizeof(*r), cmp_p);
    double running = 1.0;
    for (size_t i = m; i-- > 0;) {
        double q = r[i]->w.p * (double)m / (double)(i + 1);
        if (q < running)
            running = q;
        r[i]->w.p = running;
    }
    free(r);
}

/* Where a boot's initcall sums go. */
struct sums {
    struct obs **v;
    size_t *n, *cap;
    int side;
};

static void add_sum(void *ctx, const char *function, const char *module, int64_t sum_us)
{
    struct sums *s = ctx;
    char name[512];
    bl_initcall_name(name, sizeof(name), function, module);
    add_obs(s->v, s->n, s->cap, BL_CMP_INITCALL, name, s->side, (double)sum_us);
}

/* Collects every measure of one boot. */
static int collect(sqlite3 *db, int64_t boot, int side, struct obs **v, size_t *n, size_t *cap)
{
    struct bl_phase *ph;
    struct bl_boot_info b;
    struct sums sums = { v, n, cap, side };
    size_t np;
    int64_t total;
    bool host;

    int64_t length;
    if (bl_boot_length_ns(db, boot, &length) < 0)
        return -1;
    if (length != BL_NONE)
        add_obs(v, n, cap, BL_CMP_TOTAL, "boot", side, (double)length / 1000.0);
    if (bl_store_boot(db, boot, &b) <= 0)
        return -1;
    if (b.userspace_printk_us != BL_NONE)
        add_obs(v, n, cap, BL_CMP_TOTAL, "userspace", side, (double)b.userspace_printk_us);
    bl_store_boot_free(&b);

    if (bl_boot_phases(db, boot, false, NULL, 0, &ph, &np, &total, &host) < 0)
        return -1;
    for (size_t i = 0; i < np; i++)
        add_obs(v, n, cap, BL_CMP_PHASE, ph[i].name, side, (double)(ph[i].end_ns - ph[i].start_ns) / 1000.0);
    free(ph);
    return bl_store_initcall_sums(db, boot, add_sum, &sums);
}

int bl_compare(sqlite3 *db, const int64_t *a, size_t na, const int64_t *b, size_t nb,
               struct bl_comparison *out)
{
    struct obs *obs = NULL;
    size_t n_obs = 0, cap_obs = 0;
    const int64_t *ids[2] = { a, b };
    size_t nids[2] = { na, nb };

    memset(out, 0, sizeof(*out));
    for (int side = 0; side < 2; side++)
        for (size_t i = 0; i < nids[side]; i++)
            if (collect(db, ids[side][i], side, &obs, &n_obs, &cap_obs) < 0)
                goto fail;

    /* group by (kind, name): a row where both sides have the measure */
    if (n_obs)      /* qsort wants a valid pointer even for no elements */
        qsort(obs, n_obs, sizeof(*obs), cmp_obs);
    struct bl_compare_row *rows = bl_xmalloc((n_obs ? n_obs : 1) * sizeof(*rows));
    double *va = bl_xmalloc((n_obs ? n_obs : 1) * sizeof(*va)), *vb = bl_xmalloc((n_obs ? n_obs : 1) * sizeof(*vb));
    size_t n_rows = 0;
    for (size_t i = 0; i < n_obs;) {
        size_t j = i, ka = 0, kb = 0;
        while (j < n_obs && obs[j].kind == obs[i].kind && strcmp(obs[j].name, obs[i].name) == 0) {
            if (obs[j].side == 0)
                va[ka++] = obs[j].us;
            else
                vb[kb++] = obs[j].us;
            j++;
        }
        if (ka > 0 && kb > 0) {
            struct bl_compare_row *r = &rows[n_rows++];
            r->kind = obs[i].kind;
            r->name = bl_xstrdup(obs[i].name);
            bl_summarize(va, ka, &r->a);
            bl_summarize(vb, kb, &r->b);
            /* one value on a side has no spread: no test, the means only */
            if (ka >= 2 && kb >= 2)
                bl_welch_test(&r->a, &r->b, &r->w);
            else
                r->w.p = NAN;
            r->delta = r->b.mean - r->a.mean;
            r->pct = r->a.mean != 0 ? r->delta / r->a.mean * 100.0 : NAN;
        }
        i = j;
    }
    free(va);
    free(vb);
    adjust(rows, n_rows, BL_CMP_PHASE);
    adjust(rows, n_rows, BL_CMP_INITCALL);
    for (size_t i = 0; i < n_rows; i++)
        rows[i].verdict = isnan(rows[i].w.p) ? "untested"
                          : bl_compare_significant(&rows[i]) ? (rows[i].delta > 0 ? "slower" : "faster") : "same";
    qsort(rows, n_rows, sizeof(*rows), cmp_row);
    out->rows = rows;
    out->n = n_rows;
    for (size_t i = 0; i < n_obs; i++)
        free(obs[i].name);
    free(obs);
    return 0;
fail:
    for (size_t i = 0; i < n_obs; i++)
        free(obs[i].name);
    free(obs);
    return -1;
}

void bl_comparison_free(struct bl_comparison *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->rows[i].name);
    free(c->rows);
    memset(c, 0, sizeof(*c));
}

const char *bl_compare_kind_name(enum bl_cmp_kind k)
{
    static const char *const names[] = { "total", "phase", "initcall" };
    return names[k];
}

bool bl_compare_significant(const struct bl_compare_row *r)
{
    return r->w.p < BL_SIGNIFICANCE;
}

bool bl_compare_notable(const struct bl_compare_row *r)
{
    return r->kind == BL_CMP_TOTAL || bl_compare_significant(r);
}

bool bl_compare_regressed(const struct bl_comparison *c, double pct)
{
    for (size_t i = 0; i < c->n; i++) {
        const struct bl_compare_row *r = &c->rows[i];
        if (r->kind != BL_CMP_INITCALL && bl_compare_significant(r) && r->delta > 0 && r->pct > pct)
            return true;
    }
    return false;
}

/* ------------------------------------------------------------- the table */

static const struct bl_col table_cols[] = {
    { "kind", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "name", NULL, BL_COL_STR, 0, BL_COL_DATA },
    { "mean_a_us", "A ms", BL_COL_US, 1, BL_COL_BOTH },
    { "mean_b_us", "B ms", BL_COL_US, 1, BL_COL_BOTH },
    { "delta_us", "delta ms", BL_COL_US, 1, BL_COL_BOTH },
    { "delta_pct", "delta %", BL_COL_REAL, 1, BL_COL_BOTH },
    { "p_value", "p", BL_COL_REAL, 4, BL_COL_BOTH },
    { "verdict", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "n_a", NULL, BL_COL_INT, 0, BL_COL_DATA },
    { "n_b", NULL, BL_COL_INT, 0, BL_COL_DATA },
    { "name", "name", BL_COL_STR, 0, BL_COL_TABLE },
};

struct bl_table *bl_compare_table(const struct bl_comparison *c, bool all, size_t max_rows)
{
    struct bl_table *t = bl_table_new(table_cols, (int)(sizeof(table_cols) / sizeof(table_cols[0])));
    for (size_t i = 0, shown = 0; i < c->n && shown < max_rows; i++) {
        const struct bl_compare_row *r = &c->rows[i];
        if (!all && !bl_compare_notable(r))
            continue;
        shown++;
        bl_table_str(t, bl_compare_kind_name(r->kind));
        bl_table_str(t, r->name);
        bl_table_num(t, r->a.mean);
        bl_table_num(t, r->b.mean);
        bl_table_num(t, r->delta);
        if (isnan(r->pct))
            bl_table_null(t);
        else
            bl_table_num(t, r->pct);
        bl_table_num(t, r->w.p);
        bl_table_str(t, r->verdict);
        bl_table_int(t, (int64_t)r->a.n);
        bl_table_int(t, (int64_t)r->b.n);
        bl_table_str(t, r->name);
    }
    return t;
}
