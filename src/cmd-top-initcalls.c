/*
 * cmd-top-initcalls.c: bootlog top-initcalls: the initcalls that took
 * longest, by the duration the kernel reported (rank.c ranks them).
 */
#include <stdint.h>
#include <stdio.h>

#include "cmd.h"
#include "rank.h"

static int run(struct bl_cmd *cmd)
{
    struct bl_ranking rk;
    if (bl_rank_initcalls(cmd->db, cmd->ids, cmd->n_ids, cmd->corrected, cmd->by_config, &rk) < 0)
        return BL_EXIT_ERROR;
    struct bl_table *t = bl_rank_table(&rk, cmd->n_ids, cmd->n == 0 ? SIZE_MAX : (size_t)cmd->n);
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
    BL_OPT__BY_CONFIG,
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
        "share: this function's time over all initcall time of the boots.\n"
        "--by-config: option in place of function (module empty), one row per option.\n",
    .setup = BL_SETUP_SELECT,
    .n_default = 20,
};
