/* cmd-edit.c: bootlog relabel and bootlog delete: change which boots the
 * database holds under which label, in one transaction. */
#include <stdio.h>

#include "cmd.h"
#include "db.h"
#include "store.h"
#include "util.h"

/* Applies edit to every selected boot in one transaction; prints what was done. */
static int each_boot(struct bl_cmd *cmd, int (*edit)(struct bl_db *db, int64_t boot, const char *arg), const char *arg,
                     const char *done)
{
    if (!cmd->sel.n_boot_ids && !cmd->sel.n_labels) {
        bl_error("%s: give --boot or --label (it does not %s every boot)", cmd->verb->name, cmd->verb->name);
        return BL_EXIT_USAGE;
    }
    if (bl_db_begin(cmd->db) < 0)
        return BL_EXIT_ERROR;
    for (size_t i = 0; i < cmd->n_ids; i++)
        if (edit(cmd->db, cmd->ids[i], arg) < 0) {
            bl_db_rollback(cmd->db);
            return BL_EXIT_ERROR;
        }
    if (bl_db_commit(cmd->db) < 0)
        return BL_EXIT_ERROR;
    printf("%zu boot%s %s\n", cmd->n_ids, cmd->n_ids == 1 ? "" : "s", done);
    return BL_EXIT_OK;
}

static int delete_one(struct bl_db *db, int64_t boot, const char *arg)
{
    (void)arg;
    return bl_store_delete_boot(db, boot);
}

static int run_delete(struct bl_cmd *cmd)
{
    return each_boot(cmd, delete_one, NULL, "deleted");
}

static int run_relabel(struct bl_cmd *cmd)
{
    char done[300];
    snprintf(done, sizeof(done), "labelled '%s'", cmd->args[0]);
    return each_boot(cmd, bl_store_relabel_boot, cmd->args[0], done);
}

static const struct bl_option options[] = { BL_OPT__DB, BL_OPT__EVERY_BOOT, BL_OPT_END };

const struct bl_verb bl_verb_delete = {
    .name = "delete",
    .run = run_delete,
    .summary = "remove boots and all they hold",
    .max_args = 0,
    .description =
        "Removes the boots given by --boot and --label (at least one is needed),\n"
        "with their lines, calls and derived figures, and the input they came from\n"
        "when no other boot did. One transaction.\n",
    .options = options,
    .setup = BL_SETUP_SELECT | BL_SETUP_WRITE | BL_SETUP_EVERY,
};

const struct bl_verb bl_verb_relabel = {
    .name = "relabel",
    .run = run_relabel,
    .summary = "give boots another label",
    .args = "LABEL",
    .min_args = 1,
    .max_args = 1,
    .args_error = "give the new label",
    .description =
        "Gives the boots given by --boot and --label (at least one is needed) the\n"
        "label LABEL. One transaction.\n",
    .options = options,
    .setup = BL_SETUP_SELECT | BL_SETUP_WRITE | BL_SETUP_EVERY,
};
