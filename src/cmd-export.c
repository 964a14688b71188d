/*
 * cmd-export.c: bootlog export: the selected boots in another system's
 * format; today KCIDB's, for submitting boot time to KernelCI (kcidb.c).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "kcidb.h"
#include "util.h"

static const char *origin = "bootlog", *build_id;   /* --origin, --build-id */

/* The options are checked as they are read, before the selection is. */
static int set_format(struct bl_cmd *cmd, const char *arg)
{
    (void)cmd;
    if (strcmp(arg, "kcidb") != 0) {
        bl_error("export: --format: '%s' is not a format export writes (kcidb)", arg);
        return BL_EXIT_USAGE;
    }
    return 0;
}

static int set_origin(struct bl_cmd *cmd, const char *arg)
{
    (void)cmd;
    if (!bl_kcidb_origin_valid(arg)) {
        bl_error("export: --origin: '%s' is not a KCIDB origin (a-z, 0-9, _)", arg);
        return BL_EXIT_USAGE;
    }
    origin = arg;
    return 0;
}

static int set_build_id(struct bl_cmd *cmd, const char *arg)
{
    (void)cmd;
    if (!bl_kcidb_id_valid(arg)) {
        bl_error("export: --build-id: '%s' is not ORIGIN:ID (ORIGIN of a-z, 0-9, _)", arg);
        return BL_EXIT_USAGE;
    }
    build_id = arg;
    return 0;
}

static int run(struct bl_cmd *cmd)
{
    return bl_kcidb_write(cmd->db, cmd->ids, cmd->n_ids, origin, build_id, stdout) < 0 ? BL_EXIT_ERROR
                                                                                         : BL_EXIT_OK;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    BL_OPT__SELECTION,
    { "format", 0, BL_OPT_CALL, NULL, "kcidb", "what to write (default kcidb: KCIDB's I/O schema v5)", 0, 0,
      set_format, NULL },
    { "origin", 0, BL_OPT_CALL, NULL, "NAME", "the CI system submitting (KCIDB's origin; default bootlog)", 0, 0,
      set_origin, NULL },
    { "build-id", 0, BL_OPT_CALL, NULL, "ID",
      "the tested build's KCIDB id (ORIGIN:...); default: the\nboot's --meta kcidb_build_id, else ORIGIN:KERNEL_VERSION",
      0, 0, set_build_id, NULL },
    BL_OPT_END,
};

const struct bl_verb bl_verb_export = {
    .name = "export",
    .run = run,
    .summary = "write boots for another system (KCIDB, to submit to KernelCI)",
    .description =
        "Writes the selected boots (default: every complete boot) as one KCIDB\n"
        "document on standard output, for `kcidb-submit`: per boot a test at path\n"
        "boot.time (the whole boot) and boot.time.run_init, .vmm, .firmware,\n"
        ".kernel and .userspace where the boot has them, each with number {value,\n"
        "unit \"s\"}, duration, status DONE (ERROR for a run that timed out),\n"
        "start_time, and misc.bootlog (bootlog's figures without the console's\n"
        "cost, the boot's --meta); boot.time has the log_excerpt (the kernel's\n"
        "banner, 'Run /init', the power-off). A test's id derives from the\n"
        "boot's content, so a boot exported again has the same ids.\n",
    .options = options,
    .setup = BL_SETUP_SELECT,
};
