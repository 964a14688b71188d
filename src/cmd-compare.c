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
#include "compare.h"
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
    size_t nids[2] = { 0, 0 };
    struct bl_comparison cmp = { 0 };
    struct bl_table *t = NULL;
    bool regression = false;

    if (!db || resolve_side(db, argv[optind], &ids[0], &nids[0]) < 0 ||
        resolve_side(db, argv[optind + 1], &ids[1], &nids[1]) < 0)
        goto out;
    if (bl_compare(db, ids[0], nids[0], ids[1], nids[1], &cmp) < 0)
        goto out;
    for (size_t i = 0; i < cmp.n; i++) {
        const struct bl_compare_row *r = &cmp.rows[i];
        if (r->kind != BL_CMP_INITCALL && r->w.p < 0.05 && r->delta > 0 && !isnan(o.fail_pct) &&
            r->pct > o.fail_pct)
            regression = true;
    }

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
    for (size_t i = 0; i < cmp.n; i++) {
        const struct bl_compare_row *r = &cmp.rows[i];
        if (!o.all && r->kind != BL_CMP_TOTAL && r->w.p >= 0.05)
            continue;
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
    bl_comparison_free(&cmp);
    bl_table_free(t);
    free(ids[0]);
    free(ids[1]);
    bl_db_close(db);
    return status;
}
