/* cmd-gaps.c: bootlog gaps: the kernel's time that no initcall covers (gaps.c). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "gaps.h"
#include "select.h"

static int run(struct bl_cmd *cmd)
{
    struct bl_gap *g;
    size_t n;
    if (bl_selection_drop_timeless(cmd->db, cmd->ids, &cmd->n_ids) < 0 ||
        bl_gaps(cmd->db, cmd->ids, cmd->n_ids, &g, &n) < 0)
        return BL_EXIT_ERROR;
    struct bl_table *t = bl_gaps_table(g, n, cmd->n == 0 ? SIZE_MAX : (size_t)cmd->n);
    bl_table_print(t, cmd->format, stdout);
    bl_table_free(t);
    free(g);
    return BL_EXIT_OK;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    BL_OPT__N("show the first N (default 10; 0 shows all)"),
    BL_OPT__SELECTION,
    BL_OPT__FORMAT,
    BL_OPT_END,
};

const struct bl_verb bl_verb_gaps = {
    .name = "gaps",
    .run = run,
    .summary = "the kernel's time that no initcall covers, by name",
    .max_args = 0,
    .description =
        "Lists the longest stretches between the kernel's first line and 'Run\n"
        "/init' (printk time) that no initcall covers, of 1 ms or more: the SMP\n"
        "bring-up, start_kernel's own work, a wait for firmware or a device. Each\n"
        "with the line printed at or before its start, the first printed during\n"
        "it, and the first at or after its end, which name what happened.\n",
    .options = options,
    .trailer = "CSV/JSON fields: boot, start_us, gap_us, before, inside, after\n",
    .setup = BL_SETUP_SELECT,
    .n_default = 10,
};
