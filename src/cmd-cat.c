/* cmd-cat.c: bootlog cat: a stored stream back out, byte for byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "parser.h"
#include "store.h"
#include "util.h"

static const char *stream;   /* --stream */

/* --stream must name a stream, whatever the boot has. */
static int set_stream(struct bl_cmd *cmd, const char *arg)
{
    (void)cmd;
    for (int s = BL_STREAM_CONSOLE; s <= BL_STREAM_DMESG; s++)
        if (strcmp(arg, bl_stream_name((enum bl_stream)s)) == 0) {
            stream = arg;
            return 0;
        }
    bl_error("--stream: '%s' is not console, firmware or dmesg", arg);
    return BL_EXIT_USAGE;
}

static int run(struct bl_cmd *cmd)
{
    const char *path = bl_db_name(cmd->db);
    struct bl_selection sel = { 0 };
    int64_t lines, *ids;
    size_t n;
    int has;

    int64_t boot;
    if (bl_parse_int(cmd->args[0], &boot) < 0 || boot <= 0) {
        bl_error("cat: '%s' is not a boot id (see 'bootlog boots')", cmd->args[0]);
        return BL_EXIT_USAGE;
    }
    BL_PUSH(sel.boot_ids, sel.n_boot_ids, sel.cap_boot_ids, boot);
    int found = bl_selection_resolve(cmd->db, &sel, &ids, &n);
    bl_selection_free(&sel);
    if (found < 0)
        return BL_EXIT_ERROR;
    free(ids);
    if (stream && (has = bl_store_has_stream(cmd->db, boot, stream)) <= 0) {
        if (has == 0)
            bl_error("%s: boot %lld has no %s stream", path, (long long)boot, stream);
        return BL_EXIT_ERROR;
    }
    return bl_store_write_lines(cmd->db, boot, stream, stdout, &lines) < 0 ? BL_EXIT_ERROR : BL_EXIT_OK;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    { "stream", 0, BL_OPT_CALL, NULL, "console|firmware|dmesg", "only this stream", 0, 0, set_stream, NULL },
    BL_OPT_END,
};

const struct bl_verb bl_verb_cat = {
    .name = "cat",
    .run = run,
    .summary = "write a stored stream back out, byte for byte",
    .args = "BOOT",
    .min_args = 1,
    .max_args = 1,
    .args_error = "give one boot id",
    .description =
        "Writes the lines of boot BOOT exactly as they were imported: by default\n"
        "its part of the file it came from (console and the bootloader lines\n"
        "before the kernel), or one stream with --stream. bootlog stores every\n"
        "line losslessly: the boots of a file, in order, are the file.\n",
    .options = options,
    .setup = BL_SETUP_DB,
};
