/*
 * cmd-top-units.c: bootlog top-units: the userspace's units that took
 * longest to start (systemd-analyze blame and critical-chain, given to
 * import --userspace), the sibling of top-initcalls.
 */
#include <stdint.h>
#include <stdio.h>

#include "cmd.h"
#include "output.h"
#include "units.h"

static int run(struct bl_cmd *cmd)
{
    struct bl_unit_stats us;
    if (bl_unit_stats(cmd->db, cmd->ids, cmd->n_ids, &us) < 0)
        return BL_EXIT_ERROR;
    if (us.n == 0 && cmd->format == BL_OUT_TABLE)
        fprintf(stderr, "bootlog: no unit times in the boots selected: import systemd-analyze blame or "
                        "critical-chain output with 'bootlog import --userspace FILE'\n");
    struct bl_table *t = bl_unit_table(&us, cmd->n_ids, cmd->n == 0 ? SIZE_MAX : (size_t)cmd->n);
    bl_table_print(t, cmd->format, stdout);
    bl_table_free(t);
    bl_unit_stats_free(&us);
    return BL_EXIT_OK;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    BL_OPT__N("show the first N (default 20; 0 shows all)"),
    BL_OPT__SELECTION,
    BL_OPT__FORMAT,
    BL_OPT_END,
};

const struct bl_verb bl_verb_top_units = {
    .name = "top-units",
    .run = run,
    .summary = "rank userspace units by the time they took to start",
    .max_args = 0,
    .description =
        "Ranks the userspace's units by the time they took to start, longest\n"
        "first, ties by name, as systemd-analyze blame and critical-chain told\n"
        "them (bootlog import --userspace FILE). Units with no time of their own\n"
        "(targets) come last, with when they became active. Over several boots,\n"
        "one row per unit: mean, sample standard deviation, min and max over the\n"
        "boots that timed it.\n",
    .options = options,
    .trailer = "CSV/JSON fields: rank, unit, boots, mean_us, stddev_us, min_us, max_us,\n"
               "active_us (mean time from userspace's start to active, critical-chain's @)\n",
    .setup = BL_SETUP_SELECT,
    .n_default = 20,
};
