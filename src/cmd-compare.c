/*
 * cmd-compare.c: bootlog compare: is configuration B faster or slower than
 * A, beyond the noise? Per whole boot, per phase and per initcall: means,
 * delta, and Welch's t-test (src/stats.c), the test for a handful of boots
 * per side whose spreads need not be equal.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "db.h"
#include "output.h"
#include "parser.h"
#include "phases.h"
#include "select.h"
#include "stats.h"
#include "util.h"

static const char help[] =
    "usage: bootlog compare [--db FILE] [--all] [--fail-on-regression PCT] [--format table|csv|json] A B\n"
    "\n"
    "Compares the boots of A with those of B (labels; or @ID,ID,... for boot\n"
    "ids): the whole boot (the VMM's exit, else the arrival of the last line),\n"
    "the time to userspace ('Run /init', printk time), each phase and each\n"
    "initcall: mean A, mean B, delta, delta %, the p-value of Welch's t-test\n"
    "(unequal variances; small samples) and a verdict: faster or slower when\n"
    "p < 0.05, else same. The p-values of phases and of initcalls are adjusted\n"
    "for how many of them were compared (Benjamini-Hochberg), so that hundreds\n"
    "of initcalls do not yield dozens of chance findings. Totals first, then by\n"
    "absolute delta. Without --all, only significant rows (and the totals).\n"
    "\n"
    "  --all                       every row\n"
    "  --fail-on-regression PCT    exit 3 if the whole boot, the time to\n"
    "                              userspace or a phase is slower by more than\n"
    "                              PCT% with p < 0.05\n"
    "\n"
    "CSV/JSON fields: kind (total, phase, initcall), name, mean_a_us, mean_b_us,\n"
    "delta_us, delta_pct, p_value, verdict (faster, slower, same), n_a, n_b\n";

enum kind { TOTAL, PHASE, INITCALL };
static const char *const kind_names[] = { "total", "phase", "initcall" };

/* One measure of one boot. */
struct obs {
    enum kind kind;
    char *name;
    int side;                 /* 0: A, 1: B */
    double us;
};

/* One output row. */
struct row {
    enum kind kind;
    const char *name;
    struct bl_summary a, b;
    struct bl_welch w;
    double delta, pct;
    const char *verdict;
};

static void add_obs(struct obs **v, size_t *n, size_t *cap, enum kind k, const char *name, int side,
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
    const struct row *a = pa, *b = pb;
    if ((a->kind == TOTAL) != (b->kind == TOTAL))
        return a->kind == TOTAL ? -1 : 1;
    if (fabs(a->delta) != fabs(b->delta))
        return fabs(a->delta) < fabs(b->delta) ? 1 : -1;
    int c = (int)a->kind - (int)b->kind;
    return c ? c : strcmp(a->name, b->name);
}

static int cmp_p(const void *pa, const void *pb)
{
    double a = (*(struct row *const *)pa)->w.p, b = (*(struct row *const *)pb)->w.p;
    return (a > b) - (a < b);
}

/* Benjamini-Hochberg: hundreds of initcalls tested at once would give
 * dozens of "significant" changes by chance at p < 0.05; the p-values of
 * one kind of row are adjusted for how many were tested (false discovery
 * rate), so that a verdict means the same with 5 rows or 500. */
static void adjust(struct row *rows, size_t n, enum kind kind)
{
    struct row **r = bl_xmalloc((n ? n : 1) * sizeof(*r));
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (rows[i].kind == kind)
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

/* The boots of one side: a label, or "@1,2,3". */
static int resolve_side(sqlite3 *db, const char *arg, int64_t **ids, size_t *n)
{
    struct bl_selection sel = { 0 };
    int rc;
    if (arg[0] == '@') {
        char *copy = bl_xstrdup(arg + 1), *save = NULL;
        for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
            if (bl_selection_add_boot(&sel, tok) < 0) {
                free(copy);
                bl_selection_free(&sel);
                return -1;
            }
        free(copy);
    } else {
        sel.label = arg;
    }
    rc = bl_selection_resolve(db, &sel, ids, n);
    bl_selection_free(&sel);
    return rc;
}

/* Collects every measure of one boot. */
static int collect(sqlite3 *db, int64_t boot, int side, struct obs **v, size_t *n, size_t *cap)
{
    struct bl_phase *ph;
    size_t np;
    int64_t total;
    bool host;

    int64_t length = bl_boot_length_ns(db, boot);
    if (length != BL_NONE)
        add_obs(v, n, cap, TOTAL, "boot", side, (double)length / 1000.0);
    sqlite3_stmt *st = bl_db_prepare(db, "SELECT userspace_printk_us FROM boot WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, boot);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
        add_obs(v, n, cap, TOTAL, "userspace", side, (double)sqlite3_column_int64(st, 0));
    sqlite3_finalize(st);

    if (bl_boot_phases(db, boot, false, NULL, 0, &ph, &np, &total, &host) < 0)
        return -1;
    for (size_t i = 0; i < np; i++)
        add_obs(v, n, cap, PHASE, ph[i].name, side, (double)(ph[i].end_ns - ph[i].start_ns) / 1000.0);
    free(ph);

    st = bl_db_prepare(db,
        "SELECT function || CASE WHEN module IS NULL THEN '' ELSE ' [' || module || ']' END, "
        "sum(reported_us) FROM call WHERE boot_id = ? AND kind = 'initcall' "
        "AND reported_us IS NOT NULL AND suspect IS NULL GROUP BY function, module");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, boot);
    while (sqlite3_step(st) == SQLITE_ROW)
        add_obs(v, n, cap, INITCALL, (const char *)sqlite3_column_text(st, 0), side,
                (double)sqlite3_column_int64(st, 1));
    sqlite3_finalize(st);
    return 0;
}

int cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "all", no_argument, NULL, 'a' },
        { "fail-on-regression", required_argument, NULL, 'r' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct {
        const char *db;
        bool all;
        double fail_pct;         /* NAN: not asked */
        enum bl_out_format format;
    } o = { .fail_pct = NAN, .format = BL_OUT_TABLE };
    int c, status = BL_EXIT_ERROR;
    char *end;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.db = optarg; break;
        case 'a': o.all = true; break;
        case 'r':
            o.fail_pct = strtod(optarg, &end);
            if (end == optarg || *end || !(o.fail_pct >= 0)) {
                bl_error("--fail-on-regression: '%s' is not a percentage", optarg);
                return BL_EXIT_USAGE;
            }
            break;
        case 'f':
            if (bl_out_format_parse(optarg, &o.format) < 0)
                return BL_EXIT_USAGE;
            break;
        case 'h': return bl_help(help);
        default: return bl_bad_option(argv, c);
        }
    }
    if (argc - optind != 2) {
        bl_error("compare: give two labels (or @ID,... boot sets), A and B");
        return BL_EXIT_USAGE;
    }

    sqlite3 *db = bl_db_open(bl_db_path(o.db), BL_DB_READ);
    int64_t *ids[2] = { NULL, NULL };
    size_t nids[2] = { 0, 0 }, n_obs = 0, cap_obs = 0, n_rows = 0;
    struct obs *obs = NULL;
    struct row *rows = NULL;
    struct bl_table *t = NULL;
    bool regression = false;

    if (!db || resolve_side(db, argv[optind], &ids[0], &nids[0]) < 0 ||
        resolve_side(db, argv[optind + 1], &ids[1], &nids[1]) < 0)
        goto out;
    for (int side = 0; side < 2; side++)
        for (size_t i = 0; i < nids[side]; i++)
            if (collect(db, ids[side][i], side, &obs, &n_obs, &cap_obs) < 0)
                goto out;

    /* group by (kind, name): a row where both sides have the measure */
    qsort(obs, n_obs, sizeof(*obs), cmp_obs);
    rows = bl_xmalloc((n_obs ? n_obs : 1) * sizeof(*rows));
    double *va = bl_xmalloc((n_obs ? n_obs : 1) * sizeof(*va)), *vb = bl_xmalloc((n_obs ? n_obs : 1) * sizeof(*vb));
    for (size_t i = 0; i < n_obs;) {
        size_t j = i, na = 0, nb = 0;
        while (j < n_obs && obs[j].kind == obs[i].kind && strcmp(obs[j].name, obs[i].name) == 0) {
            if (obs[j].side == 0)
                va[na++] = obs[j].us;
            else
                vb[nb++] = obs[j].us;
            j++;
        }
        if (na > 0 && nb > 0) {
            struct row *r = &rows[n_rows++];
            r->kind = obs[i].kind;
            r->name = obs[i].name;
            bl_summarize(va, na, &r->a);
            bl_summarize(vb, nb, &r->b);
            bl_welch_test(&r->a, &r->b, &r->w);
            r->delta = r->b.mean - r->a.mean;
            r->pct = r->a.mean != 0 ? r->delta / r->a.mean * 100.0 : NAN;
        }
        i = j;
    }
    free(va);
    free(vb);
    adjust(rows, n_rows, PHASE);
    adjust(rows, n_rows, INITCALL);
    for (size_t i = 0; i < n_rows; i++) {
        struct row *r = &rows[i];
        r->verdict = r->w.p < 0.05 ? (r->delta > 0 ? "slower" : "faster") : "same";
        if (r->kind != INITCALL && r->w.p < 0.05 && r->delta > 0 && !isnan(o.fail_pct) &&
            r->pct > o.fail_pct)
            regression = true;
    }
    qsort(rows, n_rows, sizeof(*rows), cmp_row);

    static const struct bl_col cols[] = {
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
    t = bl_table_new(cols, (int)(sizeof(cols) / sizeof(cols[0])));
    for (size_t i = 0; i < n_rows; i++) {
        const struct row *r = &rows[i];
        if (!o.all && r->kind != TOTAL && r->w.p >= 0.05)
            continue;
        bl_table_str(t, kind_names[r->kind]);
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
    if (o.format == BL_OUT_TABLE)
        printf("A: %s (%zu boots)  B: %s (%zu boots); Welch's t-test, significant at p < 0.05\n",
               argv[optind], nids[0], argv[optind + 1], nids[1]);
    bl_table_print(t, o.format, stdout);
    status = BL_EXIT_OK;
    if (regression) {
        if (o.format == BL_OUT_TABLE)
            printf("regression: slower by more than %g%% with p < 0.05\n", o.fail_pct);
        status = 3;
    }
out:
    for (size_t i = 0; i < n_obs; i++)
        free(obs[i].name);
    free(obs);
    free(rows);
    bl_table_free(t);
    free(ids[0]);
    free(ids[1]);
    bl_db_close(db);
    return status;
}
