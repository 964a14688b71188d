/*
 * compare.c: see compare.h. Welch's t-test is the test for a handful of
 * boots per side whose spreads need not be equal (src/stats.c).
 */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "stats.h"
#include "parser.h"
#include "phases.h"
#include "units.h"
#include "store.h"
#include "util.h"


/* One measure of one boot. */
struct obs {
    enum bl_cmp_kind kind;
    char *name;
    int side;                 /* 0: A, 1: B */
    double us;
    int64_t round;            /* the boot's round, when the sides are paired */
};


/* The round of the boot being collected (0: unpaired). */
static int64_t collecting_round;

static void add_obs(struct obs **v, size_t *n, size_t *cap, enum bl_cmp_kind k, const char *name, int side,
                    double us)
{
    struct obs o = { k, bl_xstrdup(name), side, us, collecting_round };
    BL_PUSH(*v, *n, *cap, o);
}

static int cmp_obs(const void *pa, const void *pb)
{
    const struct obs *a = pa, *b = pb;
    if (a->kind != b->kind)
        return (int)a->kind - (int)b->kind;
    int c = strcmp(a->name, b->name);
    if (c || a->side != b->side)
        return c ? c : a->side - b->side;
    return (a->round > b->round) - (a->round < b->round);
}

/* Whether the two sides' boots pair up: all of one capture --config series,
 * every round once on each side. Sets each boot's round in rounds. */
static int paired_rounds(struct bl_db *db, const int64_t *const ids[2], const size_t nids[2], int64_t *rounds[2],
                         bool *paired)
{
    int64_t series = BL_NONE;
    *paired = nids[0] == nids[1] && nids[0] >= 2;
    for (int side = 0; side < 2; side++)
        for (size_t i = 0; i < nids[side]; i++) {
            struct bl_boot_info b;
            if (bl_store_boot(db, ids[side][i], &b) <= 0)
                return -1;
            rounds[side][i] = b.round;
            if (b.series == BL_NONE || b.round == BL_NONE || (series != BL_NONE && b.series != series))
                *paired = false;
            series = b.series;
            bl_store_boot_free(&b);
        }
    /* each round of A once in B */
    for (size_t i = 0; *paired && i < nids[0]; i++) {
        size_t hits = 0, self = 0;
        for (size_t j = 0; j < nids[1]; j++)
            hits += rounds[1][j] == rounds[0][i];
        for (size_t j = 0; j < nids[0]; j++)
            self += rounds[0][j] == rounds[0][i];
        *paired = hits == 1 && self == 1;
    }
    return 0;
}

/* The paired test of one measure: obs[i..j-1], sorted by side then round. */
static void paired_row(const struct obs *o, size_t i, size_t j, struct bl_welch *w)
{
    double *d = bl_xmalloc((j - i) * sizeof(*d));
    size_t n = 0;
    for (size_t x = i; x < j && o[x].side == 0; x++)
        for (size_t y = i; y < j; y++)
            if (o[y].side == 1 && o[y].round == o[x].round)
                d[n++] = o[y].us - o[x].us;
    bl_paired_test(d, n, w);
    free(d);
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

/* Where a boot's initcall (or option) sums go. */
struct sums {
    struct obs **v;
    size_t *n, *cap;
    int side;
    enum bl_cmp_kind kind;
};

static void add_sum(void *ctx, const char *function, const char *module, int64_t sum_us)
{
    struct sums *s = ctx;
    char name[512];
    bl_initcall_name(name, sizeof(name), function, module);
    add_obs(s->v, s->n, s->cap, s->kind, name, s->side, (double)sum_us);
}

/* Collects every measure of one boot. */
static int collect(struct bl_db *db, int64_t boot, int side, const struct bl_user_phases *user, bool by_config,
                   struct obs **v, size_t *n, size_t *cap)
{
    struct bl_phase *ph;
    struct bl_boot_info b;
    struct sums sums = { v, n, cap, side, by_config ? BL_CMP_OPTION : BL_CMP_INITCALL };
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

    if (bl_boot_phases(db, boot, false, user ? user->v : NULL, user ? user->n : 0, &ph, &np, &total, &host) < 0)
        return -1;
    for (size_t i = 0; i < np; i++)
        add_obs(v, n, cap, BL_CMP_PHASE, ph[i].name, side, (double)(ph[i].end_ns - ph[i].start_ns) / 1000.0);
    free(ph);
    /* the userspace's units that systemd-analyze timed */
    struct bl_unit_stats us;
    if (bl_unit_stats(db, &boot, 1, &us) < 0)
        return -1;
    for (size_t i = 0; i < us.n; i++)
        if (us.v[i].time.n)
            add_obs(v, n, cap, BL_CMP_UNIT, us.v[i].name, side, us.v[i].time.mean);
    bl_unit_stats_free(&us);
    return bl_store_initcall_sums(db, boot, by_config, add_sum, &sums);
}

int bl_compare(struct bl_db *db, const int64_t *a, size_t na, const int64_t *b, size_t nb,
               const struct bl_user_phases *user, bool by_config, struct bl_comparison *out)
{
    struct obs *obs = NULL;
    size_t n_obs = 0, cap_obs = 0;
    const int64_t *ids[2] = { a, b };
    size_t nids[2] = { na, nb };

    int64_t *rounds[2] = { bl_xmalloc((na ? na : 1) * sizeof(int64_t)), bl_xmalloc((nb ? nb : 1) * sizeof(int64_t)) };
    bool paired = false;
    memset(out, 0, sizeof(*out));
    int rc = by_config && (bl_store_kconfig_mapped(db, a, na) < 0 || bl_store_kconfig_mapped(db, b, nb) < 0) ? -1 : 0;
    if (rc == 0)
        rc = paired_rounds(db, ids, nids, rounds, &paired);
    for (int side = 0; side < 2 && rc == 0; side++)
        for (size_t i = 0; i < nids[side] && rc == 0; i++) {
            collecting_round = paired ? rounds[side][i] : 0;
            rc = collect(db, ids[side][i], side, user, by_config, &obs, &n_obs, &cap_obs);
        }
    collecting_round = 0;
    free(rounds[0]);
    free(rounds[1]);
    if (rc < 0)
        goto fail;
    out->paired = paired;

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
            if (ka >= 2 && kb >= 2 && paired)
                paired_row(obs, i, j, &r->w);
            else if (ka >= 2 && kb >= 2)
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
    adjust(rows, n_rows, BL_CMP_OPTION);
    adjust(rows, n_rows, BL_CMP_UNIT);
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
    static const char *const names[] = { "total", "phase", "initcall", "option", "unit" };
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
        if ((r->kind == BL_CMP_TOTAL || r->kind == BL_CMP_PHASE) && bl_compare_significant(r) && r->delta > 0 && r->pct > pct)
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

/* Spearman's rank correlation of v[0..n-1] with its order (no ties in the
 * order; ties in v get the mean rank). */
static double spearman(const double *v, size_t n)
{
    double *rank = bl_xmalloc(n * sizeof(*rank)), sum = 0, sxx = 0, syy = 0, sxy = 0, mean = ((double)n - 1) / 2;
    for (size_t i = 0; i < n; i++) {
        double less = 0, same = 0;
        for (size_t j = 0; j < n; j++) {
            less += v[j] < v[i];
            same += v[j] == v[i];
        }
        rank[i] = less + (same - 1) / 2;
    }
    for (size_t i = 0; i < n; i++) {
        double x = (double)i - mean, y = rank[i] - mean;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
        sum += y;
    }
    (void)sum;
    free(rank);
    return sxx > 0 && syy > 0 ? sxy / sqrt(sxx * syy) : 0;
}

int bl_compare_warnings(struct bl_db *db, const int64_t *const ids[2], const size_t n[2], const char *const names[2],
                        bool paired, void (*say)(void *ctx, const char *text), void *ctx)
{
    char msg[512];
    bool captured = true;
    for (int side = 0; side < 2; side++) {
        size_t m = n[side];
        double *len = bl_xmalloc((m ? m : 1) * sizeof(double)), *sys = bl_xmalloc((m ? m : 1) * sizeof(double));
        size_t n_sys = 0, timeless = 0;
        for (size_t i = 0; i < m; i++) {
            int64_t ns;
            struct bl_boot_info b;
            int t = bl_store_timeless(db, ids[side][i]);
            if (t < 0) {
                free(len);
                free(sys);
                return -1;
            }
            timeless += t;
            if (bl_boot_length_ns(db, ids[side][i], &ns) < 0 || bl_store_boot(db, ids[side][i], &b) <= 0) {
                free(len);
                free(sys);
                return -1;
            }
            len[i] = ns == BL_NONE ? NAN : (double)ns / 1e6;
            int64_t other;
            int overlap = bl_store_overlapping(db, ids[side][i], &other);
            if (overlap < 0) {
                bl_store_boot_free(&b);
                free(len);
                free(sys);
                return -1;
            }
            if (overlap) {
                snprintf(msg, sizeof(msg), "boot %lld of %s ran while boot %lld was being captured: they "
                         "competed for the host", (long long)ids[side][i], names[side], (long long)other);
                say(ctx, msg);
            }
            captured &= b.wall_ns != BL_NONE;
            sys[i] = b.system_us == BL_NONE ? NAN : (double)b.system_us;
            n_sys += b.system_us != BL_NONE;
            bl_store_boot_free(&b);
        }
        if (timeless) {
            snprintf(msg, sizeof(msg), "%s has %zu boot%s without timestamps: no whole boot or phases for "
                     "%s, only the initcall durations the kernel reported", names[side], timeless,
                     timeless == 1 ? "" : "s", timeless == 1 ? "it" : "them");
            say(ctx, msg);
        }
        if (m >= 5) {
            double rho = spearman(len, m);
            if (fabs(rho) >= 0.8) {
                snprintf(msg, sizeof(msg), "%s's runs trend with run order (Spearman's rho %.2f over %zu runs): "
                         "the host drifted, or the runs warmed something up", names[side], rho, m);
                say(ctx, msg);
            }
        }
        if (m >= 4) {
            double *dev = bl_xmalloc(m * sizeof(double)), *copy = bl_xmalloc(m * sizeof(double));
            memcpy(copy, len, m * sizeof(double));
            double med = bl_median(copy, m);
            for (size_t i = 0; i < m; i++)
                dev[i] = fabs(len[i] - med);
            memcpy(copy, dev, m * sizeof(double));
            double mad = bl_median(copy, m);
            for (size_t i = 0; i < m; i++)
                if (mad > 0 && dev[i] > 5 * mad) {
                    snprintf(msg, sizeof(msg), "boot %lld of %s is an outlier: %.3f ms against a median of "
                             "%.3f ms (%.0f median absolute deviations)", (long long)ids[side][i], names[side],
                             len[i], med, dev[i] / mad);
                    say(ctx, msg);
                }
            free(dev);
            free(copy);
        }
        if (n_sys >= 4) {
            double *copy = bl_xmalloc(n_sys * sizeof(double));
            for (size_t i = 0, k = 0; i < m; i++)
                if (!isnan(sys[i]))
                    copy[k++] = sys[i];
            double med = bl_median(copy, n_sys);
            free(copy);
            for (size_t i = 0; i < m; i++)
                if (med > 0 && !isnan(sys[i]) && sys[i] > 2 * med) {
                    snprintf(msg, sizeof(msg), "boot %lld of %s used %.1fx the median system CPU time of its "
                             "side: disturbed?", (long long)ids[side][i], names[side], sys[i] / med);
                    say(ctx, msg);
                }
        }
        free(len);
        free(sys);
    }
    /* boot ids are in capture order */
    if (!paired && captured && n[0] && n[1]) {
        int64_t max[2] = { 0, 0 }, min[2] = { INT64_MAX, INT64_MAX };
        for (int side = 0; side < 2; side++)
            for (size_t i = 0; i < n[side]; i++) {
                max[side] = ids[side][i] > max[side] ? ids[side][i] : max[side];
                min[side] = ids[side][i] < min[side] ? ids[side][i] : min[side];
            }
        if (max[0] < min[1] || max[1] < min[0]) {
            snprintf(msg, sizeof(msg), "%s and %s were captured in separate blocks: drift between them reads as a "
                     "difference (capture them interleaved: bootlog capture --config)", names[0], names[1]);
            say(ctx, msg);
        }
    }
    return 0;
}

bool bl_compare_interval(const struct bl_compare_row *r, double *low, double *high)
{
    *low = *high = NAN;
    if (isnan(r->w.p) || r->w.df <= 0)
        return false;
    if (r->w.t == 0) {   /* no spread: the delta is exact */
        *low = *high = r->delta;
        return r->a.sd == 0 && r->b.sd == 0;
    }
    double se = fabs(r->delta / r->w.t), half = bl_student_quantile(1 - 0.95, r->w.df) * se;
    *low = r->delta - half;
    *high = r->delta + half;
    return true;
}
