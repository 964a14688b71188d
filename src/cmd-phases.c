/*
 * cmd-phases.c: bootlog phases: where the time of a boot went, as named
 * intervals on its one timeline (src/phases.h), with a text timeline in
 * the spirit of libguestfs' boot-analysis; over several boots, statistics
 * per phase.
 */
#include <stdio.h>

#include "clock.h"
#include "cmd.h"
#include "parser.h"
#include "phases.h"
#include "select.h"

static int run(struct bl_cmd *cmd)
{
    struct bl_phase_stats ps;
    if (bl_selection_drop_timeless(cmd->db, cmd->ids, &cmd->n_ids) < 0)
        return BL_EXIT_ERROR;
    int rc = bl_phase_stats(cmd->db, cmd->ids, cmd->n_ids, cmd->corrected, &cmd->user, &ps);
    if (rc < 0)
        return BL_EXIT_ERROR;
    struct bl_table *t = bl_phase_table(&ps);
    char incomplete[80];
    bl_selection_incomplete(incomplete, sizeof(incomplete));
    if (cmd->format == BL_OUT_TABLE && cmd->n_ids > 1)
        printf("%zu boots, %s clock, %s; whole boot %.3f ± %.3f ms%s\n", cmd->n_ids, ps.host ? "host" : "printk",
               cmd->corrected ? "corrected" : "raw", ps.end.mean / 1000.0, ps.end.sd / 1000.0, incomplete);
    else if (cmd->format == BL_OUT_TABLE)
        printf("boot %lld, %s clock, %s; whole boot %.3f ms%s\n", (long long)cmd->ids[0],
               ps.host ? "host" : "printk", cmd->corrected ? "corrected" : "raw", ps.end.mean / 1000.0, incomplete);
    /* one boot on the host clock: how printk time was put on it */
    struct bl_clock_fit fit;
    if (cmd->format == BL_OUT_TABLE && cmd->n_ids == 1 && ps.host) {
        if (bl_clock_fit(cmd->db, cmd->ids[0], &fit) < 0)
            return BL_EXIT_ERROR;
        printf("printk on the host clock: x %.5f over %zu lines, median lag above the fit %.3f ms", fit.rate,
               fit.lines, fit.residual_us / 1000.0);
        if (fit.ahead)
            printf(", %zu line%s stamped ahead of it (another CPU's clock?)", fit.ahead, fit.ahead == 1 ? "" : "s");
        if (fit.restart_us != BL_NONE)
            printf(", the clock restarted after printk %.6f s", (double)fit.restart_us / 1e6);
        putchar('\n');
    }
    bl_table_print(t, cmd->format, stdout);
    char check[400];
    if (cmd->format == BL_OUT_TABLE && bl_phase_crosscheck(&ps, check, sizeof(check)))
        printf("%s\n", check);
    bl_table_free(t);
    bl_phase_stats_free(&ps);
    return BL_EXIT_OK;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    BL_OPT__SELECTION,
    { "corrected", 0, BL_OPT_CALL, NULL, NULL, "printk times without the console's cost (bootlog uart)", 0, 0,
      bl_opt_set_corrected, NULL },
    BL_OPT__USER_PHASES,
    BL_OPT__FORMAT,
    BL_OPT_END,
};

const struct bl_verb bl_verb_phases = {
    .name = "phases",
    .run = run,
    .summary = "where a boot's time went, phase by phase",
    .max_args = 0,
    .description =
        "The boot as named intervals on its one timeline (the host clock when the\n"
        "console has host stamps, else printk time): vmm, firmware (and SeaBIOS'\n"
        "pci, option-roms, boot-search; the stages of a bootloader chain, EDK2's\n"
        "SEC/PEI/DXE/BDS, U-Boot's bootstage and coreboot's timestamps),\n"
        "kernel:entry, kernel:early,\n"
        "kernel:initcalls, kernel:late, userspace, shutdown; each only when the log\n"
        "has its markers (docs/DESIGN.md). Over several boots: mean, sample sd, min,\n"
        "max and share of the whole boot per phase; a phase missing from some\n"
        "boots shows in how many it was (boots), never averaged in as zero.\n"
        "Durations other programs measured are rows without a start: U-Boot's\n"
        "accumulated times (NAME (total)), FPDT's (fpdt:...) and systemd's\n"
        "(systemd:...); systemd's kernel is checked against bootlog's.\n",
    .options = options,
    .trailer = "CSV/JSON fields: name, boots, mean_us, stddev_us, min_us, max_us, share,\n"
               "start_us (mean start)\n",
    .setup = BL_SETUP_SELECT,
};
