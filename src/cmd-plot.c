/*
 * cmd-plot.c: bootlog plot: a chart for a code review, drawn by gnuplot
 * from a self-contained script (data inline) that can be kept and tweaked
 * (plots.c draws each kind).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "plots.h"
#include "util.h"

static const char *out, *phase;   /* -o, --phase NAME */

/* --phase NAME picks range's phase; --phase N=S..E defines one of the user's */
static int set_phase(struct bl_cmd *cmd, const char *arg)
{
    if (strchr(arg, '='))
        return bl_opt_add_phase(cmd, arg);
    phase = arg;
    return 0;
}

static int run(struct bl_cmd *cmd)
{
    const char *kind = cmd->args[0];
    if (!bl_plot_kind_known(kind))
        return BL_EXIT_USAGE;
    if (strcmp(kind, "compare") == 0 && cmd->sel.n_labels != 2) {
        bl_error("plot compare: give two labels with --label A --label B");
        return BL_EXIT_USAGE;
    }
    bool trend = strcmp(kind, "trend") == 0;
    if (phase && strcmp(kind, "range") != 0 && !trend) {
        bl_error("plot: --phase is for the range and trend charts");
        return BL_EXIT_USAGE;
    }
    if (!trend && (cmd->trend.label_pattern || cmd->trend.initcall || cmd->trend.by)) {
        bl_error("plot: --label-pattern, --initcall and --by are for the trend chart");
        return BL_EXIT_USAGE;
    }
    struct bl_trend_query q;
    int usage = bl_opt_trend_query(cmd, phase, &q);
    if (usage)
        return usage;
    struct bl_plot_args a = { .n = cmd->n, .corrected = cmd->corrected, .by_config = cmd->by_config, .phase = phase,
                              .user = &cmd->user, .trend = &q };
    void *owned = NULL;
    char what[512];
    int rc = bl_plot_select(cmd->db, cmd->sel.labels, cmd->sel.n_labels, cmd->sel.boot_ids,
                            cmd->sel.n_boot_ids, &a, what, sizeof(what), &owned);
    if (rc == 0)
        rc = bl_plot_draw(cmd->db, kind, &a, out, cmd->argc, cmd->argv);
    bl_plot_select_free(owned);
    return rc < 0 ? BL_EXIT_ERROR : BL_EXIT_OK;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    BL_OPT__BOOT,
    BL_OPT__LABEL("the boots with this label (repeatable; its order is the\norder of phases, range and compare)"),
    BL_OPT__INCOMPLETE,
    BL_OPT__CORRECTED,
    BL_OPT__BY_CONFIG,
    BL_OPT__N("rows (default 20; 0: all)"),
    BL_OPT__TREND,
    { "phase", 0, BL_OPT_CALL, NULL, "NAME", "range: also this phase (a name from bootlog phases);\n"
      "N=S..E: a phase of your own, as bootlog phases takes it", BL_OPT_REPEATS, 0, set_phase, NULL },
    { "phases", 0, BL_OPT_CALL, NULL, "FILE", "phases of your own, one N=S..E a line (# comments)", 0, 0,
      bl_opt_read_phases, NULL },
    { "o", 'o', BL_OPT_STRING, &out, "FILE", "the output: .png, .svg, .pdf, or .gp", BL_OPT_REQUIRED, 0, NULL,
      NULL },
    BL_OPT_END,
};

const struct bl_verb bl_verb_plot = {
    .name = "plot",
    .run = run,
    .summary = "draw a chart with gnuplot (png, svg, pdf, or the script)",
    .args = "KIND",
    .min_args = 1,
    .max_args = 1,
    .args_error = "give one KIND of chart (see 'bootlog plot --help')",
    .description =
        "Draws a chart with gnuplot. FILE's extension says what to write: .png,\n"
        ".svg, .pdf, or .gp for the gnuplot script alone (it draws FILE.png when\n"
        "run). The script is self-contained, data inline, and names the command\n"
        "that made it. KIND:\n"
        "  top-initcalls  the N slowest initcalls (sd bars over several boots)\n"
        "  timeline       one boot (the first selected): phases, its N longest\n"
        "                 initcalls, console output when its cost is known\n"
        "  phases         one stacked bar of mean phase durations per label\n"
        "  compare        the N most changed phases and initcalls of two labels\n"
        "  range          mean and sd of the whole boot across labels, in the order\n"
        "                 given (with --phase NAME, of that phase too)\n"
        "  trend          what bootlog trend follows (the whole boot, --phase,\n"
        "                 --initcall), in its order, significant steps marked\n"
        "  uart           one boot's console arrival against printk time\n"
        "  histogram      the distribution of the selected boots' lengths\n",
    .options = options,
    .setup = BL_SETUP_DB,
    .n_default = 20,
};
