/* cmd-merge.c: bootlog merge: pools the boots of several databases (merge.c). */
#include <stdio.h>

#include "cmd.h"
#include "db.h"
#include "merge.h"
#include "util.h"

static int run(struct bl_cmd *cmd)
{
    const char *out = cmd->args[0];
    struct bl_db *db;
    int status = BL_EXIT_OK;

    int checked = bl_merge_check_sources(out, (const char *const *)cmd->args + 1, (size_t)cmd->n_args - 1);
    if (checked < 0)
        return checked == -2 ? BL_EXIT_USAGE : BL_EXIT_ERROR;
    if (!(db = bl_db_open(out, BL_DB_WRITE)))
        return BL_EXIT_ERROR;
    for (int i = 1; i < cmd->n_args; i++) {
        int64_t added = 0, present = 0;
        if (bl_merge(db, cmd->args[i], &added, &present) < 0) {
            status = BL_EXIT_ERROR;
            continue;
        }
        printf("%s: %lld boot%s added, %lld already in %s\n", cmd->args[i], (long long)added,
               added == 1 ? "" : "s", (long long)present, out);
    }
    bl_db_close(db);
    return status;
}

static const struct bl_option options[] = { BL_OPT_END };

const struct bl_verb bl_verb_merge = {
    .name = "merge",
    .run = run,
    .summary = "pool the boots of several databases, each boot once",
    .args = "OUT.db IN.db...",
    .min_args = 2,
    .max_args = -1,
    .args_error = "give the output database and at least one to merge into it",
    .description =
        "Copies the boots of each IN.db (bootlog databases, e.g. from several\n"
        "capture hosts) into OUT.db, created if need be, with their lines, calls\n"
        "and console estimates. A boot already in OUT.db (the same content hash)\n"
        "is not copied again, so merging twice adds nothing. One transaction per\n"
        "IN.db: one that fails leaves OUT.db as it was and does not stop the\n"
        "others (the exit status is then 1). Prints per IN.db how many boots were\n"
        "added and how many were already there.\n",
    .options = options,
};
