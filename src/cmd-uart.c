/*
 * cmd-uart.c: bootlog uart: what the console cost each boot, how that was
 * estimated, and when userspace would have started without it.
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
#include "select.h"
#include "uart.h"
#include "util.h"

static const char help[] =
    "usage: bootlog uart [--db FILE] [--boot ID]... [--label L] [--us-per-char X] [--format table|csv|json]\n"
    "\n"
    "Per boot: the console's estimated cost in us per byte and how it was\n"
    "estimated (line-ends: bootlog capture's first and last byte stamps of a\n"
    "line; arrival-gaps: lines that arrived queued behind each other, gap /\n"
    "bytes; the median of SAMPLES, SPREAD their interquartile range), the bytes\n"
    "the console printed, the time that took, its share of the time to\n"
    "userspace, the measured printk time of 'Run /init' and the predicted one\n"
    "without console output (what a `quiet` boot would show). Over several\n"
    "boots of a label, a row of means too (boot empty). --us-per-char uses X\n"
    "instead of the estimates. Initcalls whose timestamps disagree with their\n"
    "reported duration beyond what the console explains are counted (mismatches).\n"
    "\n"
    "CSV/JSON fields: boot, label, us_per_char, chars, console_us,\n"
    "measured_userspace_us, predicted_userspace_us, evidence, samples, spread_us,\n"
    "share, mismatches\n";

static const struct bl_col cols[] = {
    { "boot", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "label", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "us_per_char", "us/byte", BL_COL_REAL, 3, BL_COL_BOTH },
    { "chars", "bytes", BL_COL_INT, 0, BL_COL_BOTH },
    { "console_us", "console ms", BL_COL_US, 0, BL_COL_BOTH },
    { "measured_userspace_us", "init ms", BL_COL_US, 0, BL_COL_BOTH },
    { "predicted_userspace_us", "quiet init ms", BL_COL_US, 0, BL_COL_BOTH },
    { "evidence", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "samples", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "spread_us", "spread", BL_COL_REAL, 3, BL_COL_BOTH },
    { "share", NULL, BL_COL_SHARE, 4, BL_COL_BOTH },
    { "mismatches", NULL, BL_COL_INT, 0, BL_COL_BOTH },
};
#define N_COLS ((int)(sizeof(cols) / sizeof(cols[0])))

/* One row's numbers, in the order of the table's numeric columns (NAN: not
 * known); an array, so that the label's means are one loop. */
enum { US_PER_CHAR, CHARS, CONSOLE_US, MEASURED, PREDICTED, SAMPLES, SPREAD, SHARE, MISMATCHES, N_VALUES };
struct row {
    double v[N_VALUES];
};

static void put(struct bl_table *t, double v, bool integer)
{
    if (isnan(v))
        bl_table_null(t);
    else if (integer)
        bl_table_int(t, llround(v));
    else
        bl_table_num(t, v);
}

static void add_row(struct bl_table *t, int64_t boot, const char *label, const char *evidence,
                    const struct row *r)
{
    if (boot > 0)
        bl_table_int(t, boot);
    else
        bl_table_null(t);
    bl_table_str(t, label);
    put(t, r->v[US_PER_CHAR], false);
    put(t, r->v[CHARS], true);
    put(t, r->v[CONSOLE_US], false);
    put(t, r->v[MEASURED], false);
    put(t, r->v[PREDICTED], false);
    bl_table_str(t, evidence);
    put(t, r->v[SAMPLES], true);
    put(t, r->v[SPREAD], false);
    put(t, r->v[SHARE], false);
    put(t, r->v[MISMATCHES], true);
}

/* A boot's label and number of initcalls flagged by the cross-check. */
static int boot_info(sqlite3 *db, int64_t boot, char *label, size_t size, double *mismatches)
{
    sqlite3_stmt *st = bl_db_prepare(db,
        "SELECT label, (SELECT count(*) FROM call WHERE boot_id = b.id AND mismatch_us IS NOT NULL) "
        "FROM boot b WHERE id = ?");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, boot);
    label[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *l = (const char *)sqlite3_column_text(st, 0);
        snprintf(label, size, "%s", l ? l : "");
        *mismatches = (double)sqlite3_column_int64(st, 1);
    }
    sqlite3_finalize(st);
    return 0;
}

int cmd_uart(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "boot", required_argument, NULL, 'b' },
        { "label", required_argument, NULL, 'l' },
        { "us-per-char", required_argument, NULL, 'u' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct {
        const char *db;
        struct bl_selection sel;
        double given;             /* --us-per-char, NAN if not given */
        enum bl_out_format format;
    } o = { .given = NAN, .format = BL_OUT_TABLE };
    int c, status = BL_EXIT_ERROR;
    char *end;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.db = optarg; break;
        case 'l': o.sel.label = optarg; break;
        case 'b':
            if (bl_selection_add_boot(&o.sel, optarg) < 0)
                goto usage;
            break;
        case 'u':
            o.given = strtod(optarg, &end);
            if (end == optarg || *end || !(o.given >= 0)) {
                bl_error("--us-per-char: '%s' is not a number", optarg);
                goto usage;
            }
            break;
        case 'f':
            if (bl_out_format_parse(optarg, &o.format) < 0)
                goto usage;
            break;
        case 'h':
            bl_selection_free(&o.sel);
            return bl_help(help);
        default:
            bl_selection_free(&o.sel);
            return bl_bad_option(argv, c);
        }
    }
    if (optind < argc) {
        bl_error("uart: unexpected argument '%s'", argv[optind]);
        goto usage;
    }

    sqlite3 *db = bl_db_open(bl_db_path(o.db), BL_DB_READ);
    int64_t *ids = NULL;
    size_t nids = 0;
    struct bl_table *t = NULL;
    struct row sum = { { 0 } };
    size_t n_sum[N_VALUES] = { 0 };
    char label[256], last_label[256] = "";
    bool one_label = true;
    if (!db || bl_selection_resolve(db, &o.sel, &ids, &nids) < 0)
        goto out;
    t = bl_table_new(cols, N_COLS);
    for (size_t i = 0; i < nids; i++) {
        struct bl_uart u;
        struct row r;
        double mismatches = NAN;
        int found = bl_uart_load(db, ids[i], &u);
        if (found < 0 || boot_info(db, ids[i], label, sizeof(label), &mismatches) < 0)
            goto out;
        if (i > 0 && strcmp(label, last_label) != 0)
            one_label = false;
        snprintf(last_label, sizeof(last_label), "%s", label);
        bool known = found > 0 || !isnan(o.given);
        double ns = !isnan(o.given) ? o.given * 1000.0 : u.ns_per_char;
        r.v[US_PER_CHAR] = known ? ns / 1000.0 : NAN;
        r.v[CHARS] = (double)u.chars;
        r.v[CONSOLE_US] = known ? (double)u.chars * ns / 1000.0 : NAN;
        r.v[MEASURED] = u.userspace_printk_us == BL_NONE ? NAN : (double)u.userspace_printk_us;
        r.v[PREDICTED] = known && !isnan(r.v[MEASURED]) && u.userspace_chars_before != BL_NONE
                             ? r.v[MEASURED] - (double)u.userspace_chars_before * ns / 1000.0 : NAN;
        r.v[SAMPLES] = found > 0 ? (double)u.samples : NAN;
        r.v[SPREAD] = found > 0 ? u.spread_ns / 1000.0 : NAN;
        r.v[SHARE] = !isnan(r.v[PREDICTED]) && r.v[MEASURED] > 0
                         ? (r.v[MEASURED] - r.v[PREDICTED]) / r.v[MEASURED] : NAN;
        r.v[MISMATCHES] = mismatches;
        add_row(t, ids[i], label, !isnan(o.given) ? "given" : u.evidence, &r);

        /* the label's means */
        for (int k = 0; k < N_VALUES; k++)
            if (!isnan(r.v[k])) {
                sum.v[k] += r.v[k];
                n_sum[k]++;
            }
    }
    if (nids > 1 && one_label) {
        for (int k = 0; k < N_VALUES; k++)
            sum.v[k] = n_sum[k] ? sum.v[k] / (double)n_sum[k] : NAN;
        add_row(t, 0, last_label, "mean", &sum);
    }
    bl_table_print(t, o.format, stdout);
    status = BL_EXIT_OK;
out:
    bl_table_free(t);
    free(ids);
    bl_selection_free(&o.sel);
    bl_db_close(db);
    return status;
usage:
    bl_selection_free(&o.sel);
    return BL_EXIT_USAGE;
}
