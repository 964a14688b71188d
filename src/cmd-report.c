/* cmd-report.c: bootlog report: a review-ready report of labels' boots (report.c). */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "report.h"
#include "store.h"
#include "util.h"

static const char *dir;   /* -o */
static bool html;         /* --html */
static const char *baseline;   /* --baseline: the label the others are compared with */
static const char **pair_args; /* --pair A:B, as given */
static size_t n_pair_args, cap_pair_args;

static int add_pair(struct bl_cmd *cmd, const char *arg)
{
    (void)cmd;
    const char *colon = strchr(arg, ':');
    if (!colon || colon == arg || !colon[1]) {
        bl_error("report: --pair '%s' is not A:B (two labels)", arg);
        return BL_EXIT_USAGE;
    }
    BL_PUSH(pair_args, n_pair_args, cap_pair_args, arg);
    return 0;
}

static int run(struct bl_cmd *cmd)
{
    const char *const *labels = cmd->sel.labels;
    size_t n = cmd->sel.n_labels;
    char **all = NULL;
    int status = BL_EXIT_ERROR;

    if (n == 0) {   /* every label, in the order of their first boots */
        if (bl_store_labels(cmd->db, &all, &n) < 0)
            goto out;
        if (n == 0) {
            bl_error("report: no labelled boots in %s (import with --label)", bl_cmd_db_path(cmd));
            goto out;
        }
        labels = (const char *const *)all;
    }
    const char **order = bl_xmalloc((n ? n : 1) * sizeof(*order));
    size_t k = 0;
    for (size_t i = 0; baseline && i < n; i++)
        if (strcmp(labels[i], baseline) == 0)
            order[k++] = labels[i];
    if (baseline && k == 0) {
        bl_error("report: --baseline %s is not among the labels reported on", baseline);
        free(order);
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (!baseline || strcmp(labels[i], baseline) != 0)
            order[k++] = labels[i];
    /* each --pair's labels, as indices into what is reported on */
    size_t *pairs = bl_xmalloc((n_pair_args ? 2 * n_pair_args : 1) * sizeof(*pairs));
    int rc = 0;
    for (size_t p = 0; p < n_pair_args && rc == 0; p++) {
        const char *colon = strchr(pair_args[p], ':');
        for (int side = 0; side < 2 && rc == 0; side++) {
            const char *name = side ? colon + 1 : pair_args[p];
            size_t len = side ? strlen(name) : (size_t)(colon - name), i = 0;
            while (i < n && !(strlen(order[i]) == len && strncmp(order[i], name, len) == 0))
                i++;
            if (i == n) {
                bl_error("report: --pair %s: '%.*s' is not among the labels reported on", pair_args[p], (int)len,
                         name);
                rc = -1;
            }
            pairs[2 * p + (size_t)side] = i;
        }
    }
    if (rc == 0)
        rc = bl_report_write(cmd->db, bl_cmd_db_path(cmd), order, n, dir, &cmd->user, pairs, n_pair_args, html);
    free(pairs);
    free(order);
    if (rc < 0)
        goto out;
    printf("%s/report.md%s\n", dir, html ? " and report.html" : "");
    status = BL_EXIT_OK;
out:
    bl_store_labels_free(all, all ? n : 0);
    return status;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    BL_OPT__LABEL("a label to report on (repeatable; the first is the\nbaseline of the comparisons; default: every label)"),
    { "o", 'o', BL_OPT_STRING, &dir, "DIR", "the directory to write report.md into", BL_OPT_REQUIRED, 0, NULL,
      NULL },
    { "html", 0, BL_OPT_FLAG, &html, NULL, "also DIR/report.html, one self-contained page whose\ncharts are interactive SVG (hover a bar for its figures)", 0, 0, NULL, NULL },
    { "pair", 0, BL_OPT_CALL, NULL, "A:B", "compare B with A (repeatable; instead of the baseline\nagainst each)",
      BL_OPT_REPEATS, 0, add_pair, NULL },
    { "baseline", 0, BL_OPT_STRING, &baseline, "L", "the label every other is compared with (default: the\nfirst)",
      0, 0, NULL, NULL },
    BL_OPT__INCOMPLETE,
    BL_OPT__USER_PHASES,
    BL_OPT_END,
};

const struct bl_verb bl_verb_report = {
    .name = "report",
    .run = run,
    .summary = "write a Markdown/HTML report with every chart for a review",
    .max_args = 0,
    .description =
        "Writes DIR/report.md for a code review: what was measured (the boots of\n"
        "each label), mean and sd of the whole boot and of each phase, the slowest\n"
        "initcalls, the comparison of each label with the first, and the console's\n"
        "estimated cost, with the charts (PNG, drawn by gnuplot) beside it, linked.\n",
    .options = options,
    .setup = BL_SETUP_DB,
};
