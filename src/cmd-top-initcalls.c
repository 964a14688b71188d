/*
 * cmd-top-initcalls.c: bootlog top-initcalls: the initcalls that took
 * longest, by the duration the kernel reported (rank.c ranks them).
 */
#include <stdio.h>

#include "cmd.h"
#include "rank.h"

static const struct bl_col cols[] = {
    { "rank", NULL, BL_COL_INT, 0, BL_COL_DATA },
    { "function", NULL, BL_COL_STR, 0, BL_COL_DATA },
    { "module", NULL, BL_COL_STR, 0, BL_COL_DATA },
    { "calls", NULL, BL_COL_INT, 0, BL_COL_BOTH | BL_COL_SINGLE },
    { "boots", NULL, BL_COL_INT, 0, BL_COL_BOTH | BL_COL_MULTI },
    { "mean_us", "ms", BL_COL_US, 1, BL_COL_BOTH | BL_COL_MEAN },
    { "stddev_us", "sd ms", BL_COL_US, 1, BL_COL_BOTH | BL_COL_MULTI },
    { "min_us", "min ms", BL_COL_US, 0, BL_COL_DATA },
    { "median_us", "median ms", BL_COL_US, 1, BL_COL_BOTH | BL_COL_MULTI },
    { "max_us", "max ms", BL_COL_US, 0, BL_COL_DATA },   /* table: 80 columns */
    { "share", NULL, BL_COL_SHARE, 4, BL_COL_BOTH },
    { "ret", NULL, BL_COL_INT, 0, BL_COL_TABLE | BL_COL_SINGLE },
    { "start", "start ms", BL_COL_US, 0, BL_COL_TABLE | BL_COL_SINGLE },
    { "name", "function [module]", BL_COL_STR, 0, BL_COL_TABLE },
};

static int run(struct bl_cmd *cmd)
{
    struct bl_ranking rk;
    if (bl_rank_initcalls(cmd->db, cmd->ids, cmd->n_ids, cmd->corrected, &rk) < 0)
        return BL_EXIT_ERROR;
    struct bl_table *t = bl_table_new(cols, (int)(sizeof(cols) / sizeof(cols[0])));
    bl_table_set_boots(t, cmd->n_ids);
    for (size_t i = 0; i < rk.n && (cmd->n == 0 || i < (size_t)cmd->n); i++) {
        const struct bl_rank_row *r = &rk.rows[i];
        char name[512];
        bl_initcall_name(name, sizeof(name), r->function, r->module);
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
        bl_table_num(t, rk.grand_total_us > 0 ? (double)r->total_us / (double)rk.grand_total_us : 0);
        bl_table_int(t, r->ret);
        bl_table_opt_num(t, r->start_us < 0 ? INT64_MIN : r->start_us);   /* -1: not known */
        bl_table_str(t, name);
    }
    bl_table_print(t, cmd->format, stdout);
    bl_table_free(t);
    bl_ranking_free(&rk);
    if (cmd->format == BL_OUT_TABLE && bl_rank_print_notes(cmd->db, cmd->ids, cmd->n_ids, stdout) < 0)
        return BL_EXIT_ERROR;
    return BL_EXIT_OK;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    BL_OPT__N("show the first N (default 20; 0 shows all)"),
    BL_OPT__SELECTION,
    BL_OPT__CORRECTED,
    BL_OPT__FORMAT,
    BL_OPT_END,
};

const struct bl_verb bl_verb_top_initcalls = {
    .name = "top-initcalls",
    .run = run,
    .summary = "rank initcalls by the time the kernel reported",
    .max_args = 0,
    .description =
        "Ranks initcalls by the duration the kernel reported (initcall_debug),\n"
        "longest first, ties by name. A function called several times in a boot\n"
        "counts once, its calls summed. Durations that cannot be true (over ten\n"
        "minutes) are not ranked but noted under the table, with initcalls that\n"
        "never returned and those whose kernel printed no duration. Over several\n"
        "boots (default: all; or a label's runs), one row per function: mean,\n"
        "sample standard deviation, min, median and max over the boots that ran it.\n",
    .options = options,
    .trailer =
        "CSV/JSON fields: rank, function, module, calls, boots, mean_us, stddev_us,\n"
        "min_us, median_us, max_us, share. calls: calls summed over the boots;\n"
        "share: this function's time over all initcall time of the boots.\n",
    .setup = BL_SETUP_SELECT,
    .n_default = 20,
};
