/* cmd-boots.c: bootlog boots: the stored boots, oldest first. */
#include <stdio.h>

#include "cmd.h"
#include "parser.h"
#include "store.h"

static const struct bl_col cols[] = {
    { "id", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "label", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "source", NULL, BL_COL_STR, 0, BL_COL_DATA },
    { "kernel_version", "kernel", BL_COL_STR, 0, BL_COL_BOTH },
    { "lines", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "initcalls", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "userspace_printk_us", "init ms (printk)", BL_COL_US, 0, BL_COL_BOTH },
    { "wall_us", "wall ms", BL_COL_US, 0, BL_COL_BOTH },
    { "user_us", "user ms", BL_COL_US, 0, BL_COL_BOTH },
    { "system_us", "sys ms", BL_COL_US, 0, BL_COL_BOTH },
    { "incomplete", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "source", "source", BL_COL_STR, 0, BL_COL_TABLE },   /* last: long paths */
};

static int run(struct bl_cmd *cmd)
{
    struct bl_table *t = bl_table_new(cols, (int)(sizeof(cols) / sizeof(cols[0])));
    int status = BL_EXIT_OK;
    for (size_t i = 0; i < cmd->n_ids && status == BL_EXIT_OK; i++) {
        struct bl_boot_info b;
        if (bl_store_boot(cmd->db, cmd->ids[i], &b) <= 0) {
            status = BL_EXIT_ERROR;
            break;
        }
        bl_table_int(t, b.id);
        bl_table_str(t, b.label);
        bl_table_str(t, b.source);
        bl_table_str(t, b.kernel_version);
        bl_table_int(t, b.lines);
        bl_table_int(t, b.initcalls);
        bl_table_opt_num(t, b.userspace_printk_us);
        bl_table_opt_num(t, b.wall_ns == BL_NONE ? BL_NONE : b.wall_ns / 1000);
        bl_table_opt_num(t, b.user_us);
        bl_table_opt_num(t, b.system_us);
        bl_table_str(t, b.incomplete);
        bl_table_str(t, b.source);
        bl_store_boot_free(&b);
    }
    if (status == BL_EXIT_OK)
        bl_table_print(t, cmd->format, stdout);
    bl_table_free(t);
    return status;
}

static const struct bl_option options[] = { BL_OPT__DB, BL_OPT__EVERY_BOOT, BL_OPT__FORMAT, BL_OPT_END };

const struct bl_verb bl_verb_boots = {
    .name = "boots",
    .run = run,
    .summary = "list the stored boots",
    .max_args = 0,
    .description =
        "Lists the stored boots (default: all): id, label, source file, kernel\n"
        "version, lines, initcalls, and the printk time of 'Run /init' (userspace\n"
        "starts) when the log has it, a capture's wall time and the CPU time its\n"
        "command used (user, system: a run that used more than the others was\n"
        "disturbed), and why a boot is incomplete (timed out,\n"
        "ended by a signal, an initcall never returned): the other verbs leave\n"
        "those out of their statistics unless given --include-incomplete.\n",
    .options = options,
    .trailer = "CSV/JSON fields: id, label, source, kernel_version, lines, initcalls,\n"
               "userspace_printk_us, wall_us, user_us, system_us, incomplete\n",
    .setup = BL_SETUP_SELECT | BL_SETUP_EVERY,
};
