/*
 * cmd-compare.c: bootlog compare: is configuration B faster or slower than
 * A, beyond the noise? (compare.c: per whole boot, phase and initcall,
 * Welch's t-test.)
 */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "compare.h"
#include "util.h"

static bool all;                  /* --all */
static double fail_pct = NAN;     /* --fail-on-regression */

/* The boots of one side: a label, or "@1,2,3". */
static int resolve_side(struct bl_db *db, const char *arg, int64_t **ids, size_t *n)
{
    struct bl_selection sel = { 0 };
    char *copy = bl_xstrdup(arg + 1), *save = NULL;
    int rc = 0;
    if (arg[0] != '@')
        bl_selection_add_label(&sel, arg);
    for (char *tok = strtok_r(copy, ",", &save); arg[0] == '@' && tok && rc == 0;
         tok = strtok_r(NULL, ",", &save))
        rc = bl_selection_add_boot(&sel, tok);
    free(copy);
    rc = rc < 0 ? -1 : bl_selection_resolve(db, &sel, ids, n);
    bl_selection_free(&sel);
    return rc;
}

/* A warning after the table (table output), else on stderr. */
static void say(void *ctx, const char *text)
{
    const struct bl_cmd *cmd = ctx;
    if (cmd->format == BL_OUT_TABLE)
        printf("warning: %s\n", text);
    else
        fprintf(stderr, "bootlog: warning: %s\n", text);
}

static int run(struct bl_cmd *cmd)
{
    int64_t *ids[2] = { NULL, NULL };
    size_t nids[2] = { 0, 0 };
    struct bl_comparison cmp = { 0 };
    int status = BL_EXIT_ERROR;

    if (resolve_side(cmd->db, cmd->args[0], &ids[0], &nids[0]) < 0 ||
        resolve_side(cmd->db, cmd->args[1], &ids[1], &nids[1]) < 0 ||
        bl_compare(cmd->db, ids[0], nids[0], ids[1], nids[1], &cmd->user, cmd->by_config, &cmp) < 0)
        goto out;
    struct bl_table *t = bl_compare_table(&cmp, all, SIZE_MAX);
    if (cmd->format == BL_OUT_TABLE)
    {
        char incomplete[80];
        bl_selection_incomplete(incomplete, sizeof(incomplete));
        printf("A: %s (%zu boots)  B: %s (%zu boots); %s, significant at " BL_SIGNIFICANCE_TEXT "%s\n",
               cmd->args[0], nids[0], cmd->args[1], nids[1],
               cmp.paired ? "paired t-test (runs paired by round)" : "Welch's t-test", incomplete);
    }
    if (nids[0] < 2 || nids[1] < 2)
        fprintf(stderr, "bootlog: compare: %s has %zu boot%s: one boot has no spread to test against, so the "
                        "rows are means only (verdict untested)\n", nids[0] < 2 ? cmd->args[0] : cmd->args[1],
                nids[0] < 2 ? nids[0] : nids[1], (nids[0] < 2 ? nids[0] : nids[1]) == 1 ? "" : "s");
    bl_table_print(t, cmd->format, stdout);
    bl_table_free(t);
    const int64_t *const sides[2] = { ids[0], ids[1] };
    const char *const names[2] = { cmd->args[0], cmd->args[1] };
    if (bl_compare_warnings(cmd->db, sides, nids, names, cmp.paired, say, cmd) < 0)
        goto out;
    status = BL_EXIT_OK;
    if (!isnan(fail_pct) && bl_compare_regressed(&cmp, fail_pct)) {
        if (cmd->format == BL_OUT_TABLE)
            printf("regression: slower by more than %g%% with " BL_SIGNIFICANCE_TEXT "\n", fail_pct);
        status = BL_EXIT_REGRESSION;
    }
out:
    bl_comparison_free(&cmp);
    free(ids[0]);
    free(ids[1]);
    return status;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    { "all", 0, BL_OPT_FLAG, &all, NULL, "every row", 0, 0, NULL, NULL },
    { "fail-on-regression", 0, BL_OPT_NUMBER, &fail_pct, "PCT",
      "exit 3 if the whole boot, the time to userspace or a\nphase is slower by more than PCT% "
      "with " BL_SIGNIFICANCE_TEXT, 0, 0, NULL, NULL },
    BL_OPT__INCOMPLETE,
    BL_OPT__USER_PHASES,
    BL_OPT__BY_CONFIG,
    BL_OPT__FORMAT,
    BL_OPT_END,
};

const struct bl_verb bl_verb_compare = {
    .name = "compare",
    .run = run,
    .summary = "is B faster or slower than A, beyond the noise",
    .args = "A B",
    .min_args = 2,
    .max_args = 2,
    .args_error = "give two labels (or @ID,... boot sets), A and B",
    .description =
        "Compares the boots of A with those of B (labels; or @ID,ID,... for boot\n"
        "ids): the whole boot (the VMM's exit, else the arrival of the last line),\n"
        "the time to userspace ('Run /init', printk time), each phase and each\n"
        "initcall: mean A, mean B, delta, delta %, the p-value of Welch's t-test\n"
        "(unequal variances; small samples) and a verdict: faster or slower when\n"
        BL_SIGNIFICANCE_TEXT ", else same. The p-values of phases and of initcalls are adjusted\n"
        "for how many of them were compared (Benjamini-Hochberg), so that hundreds\n"
        "of initcalls do not yield dozens of chance findings. Totals first, then by\n"
        "absolute delta. Without --all, only significant rows (and the totals).\n",
    .options = options,
    .trailer = "CSV/JSON fields: kind (total, phase, initcall; option with --by-config), name,\n"
               "mean_a_us, mean_b_us, delta_us, delta_pct, p_value, verdict (faster, slower, same),\n"
               "n_a, n_b\n",
    .setup = BL_SETUP_DB,
};
