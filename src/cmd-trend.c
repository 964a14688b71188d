/*
 * cmd-trend.c: bootlog trend: one figure of each label in turn (a series of
 * kernels, commits, nightly builds), with the steps compare would call
 * significant (trend.c).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "stats.h"
#include "trend.h"
#include "util.h"

static const char *phase;   /* --phase */

static int run(struct bl_cmd *cmd)
{
    struct bl_trend_query q;
    struct bl_trend t;
    int usage = bl_opt_trend_query(cmd, phase, &q);
    if (usage)
        return usage;
    if (bl_trend(cmd->db, &q, &t) < 0)
        return BL_EXIT_ERROR;
    if (cmd->format == BL_OUT_TABLE) {
        char incomplete[80];
        bl_selection_incomplete(incomplete, sizeof(incomplete));
        printf("%s per label, %s%s; a step is significant at " BL_SIGNIFICANCE_TEXT
               " (compare of the two labels)%s\n", t.figure, q.by ? "by " : "",
               q.by ? q.by : q.n_labels ? "in the order given" : "in import order", incomplete);
    }
    struct bl_table *tab = bl_trend_table(&t, q.by);
    bl_table_print(tab, cmd->format, stdout);
    bl_table_free(tab);
    if (cmd->format == BL_OUT_TABLE && t.n > 1)
        puts("note: labels captured at different times differ by the host's drift too; capture --config\n"
             "      interleaves configurations so that a step is theirs alone");
    bl_trend_free(&t);
    return BL_EXIT_OK;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    BL_OPT__LABEL("these labels, in this order (repeatable; default: every\nlabel, in import order)"),
    BL_OPT__TREND,
    { "phase", 0, BL_OPT_STRING, &phase, "P",
      "follow phase P (a name from bootlog phases; " BL_TREND_RUN_INIT ":\nthe time to 'Run /init') instead of the whole boot", 0,
      0, NULL, NULL },
    BL_OPT__INCOMPLETE,
    BL_OPT__FORMAT,
    BL_OPT_END,
};

const struct bl_verb bl_verb_trend = {
    .name = "trend",
    .run = run,
    .summary = "one figure across labels in order, its significant steps marked",
    .description =
        "Follows the whole boot (or a phase, or an initcall) across labels: for\n"
        "each, its boots, mean and sd; for each label after the first, the step\n"
        "from the one before and compare's verdict on it (Welch's t-test, or the\n"
        "paired test for runs of capture --config; slower or faster when\n"
        BL_SIGNIFICANCE_TEXT ", same otherwise; a phase's or an initcall's p adjusted\n"
        "as compare adjusts it). Labels come in import order, in the order given\n"
        "with --label, or by a --meta value recorded at import or capture (--by\n"
        "date orders commits by their date). 'bootlog plot trend' draws it.\n",
    .options = options,
    .trailer = "CSV/JSON fields: label, by (the --by value), boots, mean_us, sd_us, step_us,\n"
               "p_value, verdict (slower, faster, same, untested; empty for the first)\n",
    .setup = BL_SETUP_DB,
};
