/* cmd-reanalyze.c: bootlog reanalyze: derives stored boots again by
 * today's rules (analysis.c). */
#include <stdio.h>
#include <stdlib.h>

#include "analysis.h"
#include "cmd.h"
#include "db.h"
#include "store.h"

static int run(struct bl_cmd *cmd)
{
    int64_t *stale = NULL, *ids = cmd->ids;
    size_t n = cmd->n_ids;
    bool asked = cmd->sel.n_boot_ids || cmd->sel.n_labels;
    int status = BL_EXIT_ERROR;

    if (!asked) {
        if (bl_store_stale_boots(cmd->db, BL_ANALYSIS_VERSION, &stale, &n) < 0)
            return BL_EXIT_ERROR;
        ids = stale;
    }
    /* one transaction: all boots by the new rules, or none */
    if (bl_db_begin(cmd->db) < 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (bl_analysis_rederive(cmd->db, ids[i]) < 0) {
            bl_db_rollback(cmd->db);
            goto out;
        }
    if (bl_db_commit(cmd->db) < 0)
        goto out;
    printf("%zu boot%s derived again (analysis %d)\n", n, n == 1 ? "" : "s", BL_ANALYSIS_VERSION);
    status = BL_EXIT_OK;
out:
    free(stale);
    return status;
}

static const struct bl_option options[] = { BL_OPT__DB, BL_OPT__EVERY_BOOT, BL_OPT_END };

const struct bl_verb bl_verb_reanalyze = {
    .name = "reanalyze",
    .run = run,
    .summary = "derive stored boots again by this bootlog's rules",
    .max_args = 0,
    .description =
        "Works out again what bootlog derives from a stored boot's lines and\n"
        "calls: the console's kind and cost per byte, the times and durations\n"
        "without it, the timestamp cross-check, the built-in phases. Without\n"
        "--boot or --label, the boots derived by an older bootlog's rules (the\n"
        "other verbs say when there are some); with them, the boots asked for.\n"
        "One transaction: on an error the database is left as it was.\n",
    .options = options,
    .setup = BL_SETUP_SELECT | BL_SETUP_WRITE | BL_SETUP_EVERY,
};
