/*
 * cmd-top-initcalls.c: bootlog top-initcalls: the initcalls that took
 * longest, by the duration the kernel reported. One boot: each function
 * once, its calls summed. Several boots: one row per function with
 * statistics over the boots that ran it (a boot without it is not counted
 * as zero).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "db.h"
#include "output.h"
#include "rank.h"
#include "select.h"
#include "stats.h"
#include "util.h"

static const char help[] =
    "usage: bootlog top-initcalls [--db FILE] [-n N] [--boot ID]... [--label LABEL] [--corrected]\n"
    "                             [--format table|csv|json]\n"
    "\n"
    "Ranks initcalls by the duration the kernel reported (initcall_debug),\n"
    "longest first, ties by name. A function called several times in a boot\n"
    "counts once, its calls summed. Durations that cannot be true (over ten\n"
    "minutes) are not ranked but noted under the table, with initcalls that\n"
    "never returned and those whose kernel printed no duration. Over several boots (default: all; or a\n"
    "label's runs), one row per function: mean, sample standard deviation,\n"
    "min, median and max over the boots that ran it.\n"
    "\n"
    "  -n N             show the first N (default 20; 0 shows all)\n"
    "  --boot ID        this boot (repeatable)\n"
    "  --label LABEL    the boots with this label\n"
    "  --corrected      durations without the console's cost (bootlog uart), where\n"
    "                   it is known\n"
    "  --format F       table (times in ms), csv or json (times in us)\n"
    "\n"
    "CSV/JSON fields: rank, function, module, calls, boots, mean_us, stddev_us,\n"
    "min_us, median_us, max_us, share. calls: calls summed over the boots;\n"
    "share: this function's time over all initcall time of the boots.\n";

/* Table notes: initcalls that never returned (the boot hung or crashed in
 * them, or the log ends there), durations that look wrong, and initcalls
 * whose kernel printed no duration. */
static void print_notes(sqlite3 *db, const int64_t *ids, size_t n)
{
    sqlite3_stmt *st = bl_db_prepare(db,
        "SELECT function, start_printk_us, complete, suspect, reported_us FROM call "
        "WHERE boot_id = ? AND kind = 'initcall' AND (complete = 0 OR suspect IS NOT NULL) "
        "ORDER BY coalesce(start_seq, end_seq)");
    sqlite3_stmt *counts = bl_db_prepare(db, "SELECT noted_count, unreported_count FROM boot WHERE id = ?");
    if (!st || !counts)
        goto out;
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(counts, 1, ids[i]);
        if (sqlite3_step(counts) != SQLITE_ROW)
            break;
        int64_t noted = sqlite3_column_int64(counts, 0), unreported = sqlite3_column_int64(counts, 1);
        sqlite3_reset(counts);
        sqlite3_bind_int64(st, 1, ids[i]);
        while (noted > 0 && sqlite3_step(st) == SQLITE_ROW) {
            printf("note: boot %lld: %s ", (long long)ids[i], (const char *)sqlite3_column_text(st, 0));
            if (sqlite3_column_type(st, 3) != SQLITE_NULL)
                printf("took %.3f ms: %s", (double)sqlite3_column_int64(st, 4) / 1000.0,
                       (const char *)sqlite3_column_text(st, 3));
            else
                printf("never returned");
            if (sqlite3_column_type(st, 1) != SQLITE_NULL)
                printf(" (called at %.3f ms)", (double)sqlite3_column_int64(st, 1) / 1000.0);
            putchar('\n');
        }
        sqlite3_reset(st);
        if (unreported > 0)
            printf("note: boot %lld: %lld initcalls without a printed duration (not ranked)\n",
                   (long long)ids[i], (long long)unreported);
    }
out:
    sqlite3_finalize(st);
    sqlite3_finalize(counts);
}

int cmd_top_initcalls(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "boot", required_argument, NULL, 'b' },
        { "label", required_argument, NULL, 'l' },
        { "format", required_argument, NULL, 'f' },
        { "corrected", no_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct {
        const char *db;
        int64_t n;
        struct bl_selection sel;
        enum bl_out_format format;
        bool corrected;
    } o = { .n = 20, .format = BL_OUT_TABLE };
    int c, status = BL_EXIT_ERROR;

    while ((c = getopt_long(argc, argv, ":hn:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.db = optarg; break;
        case 'l': o.sel.label = optarg; break;
        case 'c': o.corrected = true; break;
        case 'b':
            if (bl_selection_add_boot(&o.sel, optarg) < 0)
                goto usage;
            break;
        case 'n':
            if (bl_parse_int(optarg, &o.n) < 0 || o.n < 0) {
                bl_error("-n: '%s' is not a count", optarg);
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
        bl_error("top-initcalls: unexpected argument '%s'", argv[optind]);
        goto usage;
    }

    sqlite3 *db = bl_db_open(bl_db_path(o.db), BL_DB_READ);
    int64_t *ids = NULL;
    size_t nids = 0;
    struct bl_ranking rk = { 0 };
    if (!db)
        goto out;
    if (bl_selection_resolve(db, &o.sel, &ids, &nids) < 0 ||
        bl_rank_initcalls(db, ids, nids, o.corrected, &rk) < 0)
        goto out;
    size_t nrows = rk.n;
    int64_t grand = rk.grand_total_us;

    bool multi = nids > 1;
    unsigned single_t = multi ? BL_COL_DATA : BL_COL_BOTH, multi_t = multi ? BL_COL_BOTH : BL_COL_DATA;
    const struct bl_col cols[] = {
        { "rank", NULL, BL_COL_INT, 0, BL_COL_DATA },
        { "function", NULL, BL_COL_STR, 0, BL_COL_DATA },
        { "module", NULL, BL_COL_STR, 0, BL_COL_DATA },
        { "calls", NULL, BL_COL_INT, 0, single_t },
        { "boots", NULL, BL_COL_INT, 0, multi_t },
        { "mean_us", multi ? "mean ms" : "ms", BL_COL_US, 1, BL_COL_BOTH },
        { "stddev_us", "sd ms", BL_COL_US, 1, multi_t },
        { "min_us", "min ms", BL_COL_US, 0, BL_COL_DATA },
        { "median_us", "median ms", BL_COL_US, 1, multi_t },
        { "max_us", "max ms", BL_COL_US, 0, BL_COL_DATA },   /* table: 80 columns */
        { "share", NULL, BL_COL_SHARE, 4, BL_COL_BOTH },
        { "ret", NULL, BL_COL_INT, 0, single_t & BL_COL_TABLE },
        { "start", "start ms", BL_COL_US, 0, single_t & BL_COL_TABLE },
        { "name", "function [module]", BL_COL_STR, 0, BL_COL_TABLE },
    };
    struct bl_table *t = bl_table_new(cols, (int)(sizeof(cols) / sizeof(cols[0])));
    size_t shown = o.n == 0 || (size_t)o.n > nrows ? nrows : (size_t)o.n;
    for (size_t i = 0; i < shown; i++) {
        const struct bl_rank_row *r = &rk.rows[i];
        char name[512];
        snprintf(name, sizeof(name), r->module ? "%s [%s]" : "%s", r->function, r->module);
        bl_table_int(t, (int64_t)i + 1);
        bl_table_str(t, r->function);
        bl_table_str(t, r->module);
        bl_table_int(t, r->calls);
        bl_table_int(t, (int64_t)r->s.n);
        bl_table_num(t, r->s.mean);
        bl_table_num(t, r->s.sd);
        bl_table_num(t, r->s.min);
        bl_table_num(t, r->s.median);
        bl_table_num(t, r->s.max);
        bl_table_num(t, grand > 0 ? (double)r->total_us / (double)grand : 0);
        bl_table_int(t, r->ret);
        if (r->start_us < 0)
            bl_table_null(t);
        else
            bl_table_num(t, (double)r->start_us);
        bl_table_str(t, name);
    }
    bl_table_print(t, o.format, stdout);
    bl_table_free(t);
    if (o.format == BL_OUT_TABLE)
        print_notes(db, ids, nids);
    status = BL_EXIT_OK;
out:
    bl_ranking_free(&rk);
    free(ids);
    bl_selection_free(&o.sel);
    bl_db_close(db);
    return status;
usage:
    bl_selection_free(&o.sel);
    return BL_EXIT_USAGE;
}
