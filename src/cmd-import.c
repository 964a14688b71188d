/* cmd-import.c: bootlog import: each FILE becomes a boot (import.c). */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "db.h"
#include "import.h"
#include "util.h"

static const char *label, *firmware, *dmesg, *userspace;   /* --label, --firmware, --dmesg, --userspace */

/* One line per boot: id, label, kernel version, lines, initcalls. */
void bl_print_import_result(const char *path, const char *label_, const struct bl_import_result *r)
{
    for (size_t i = 0; i < r->n_boots; i++) {
        const struct bl_import_boot *b = &r->boots[i];
        char which[64] = "";
        if (r->n_boots > 1)
            snprintf(which, sizeof(which), " (boot %zu of %zu)", i + 1, r->n_boots);
        if (b->duplicate) {
            printf("%s%s: already imported as boot %lld; nothing added\n", path, which,
                   (long long)b->boot_id);
            continue;
        }
        printf("boot %lld  %s  %s  %lld lines  %lld initcalls  (%s%s)", (long long)b->boot_id,
               label_ ? label_ : "-", b->kernel_version, (long long)b->lines,
               (long long)b->initcalls, path, which);
        if (b->unrecognized)
            printf("  %lld lines not understood", (long long)b->unrecognized);
        fputs(bl_prefixed_note(b->prefixed), stdout);
        if (!b->stamped)
            fputs("  no timestamps: durations as the kernel reported them, no timeline", stdout);
        putchar('\n');
    }
}

static int run(struct bl_cmd *cmd)
{
    struct bl_db *db = NULL;    /* opened by the first input that is a boot log */
    int status = BL_EXIT_OK;

    if ((firmware || dmesg || userspace) && cmd->n_args != 1) {
        bl_error("import: --firmware, --dmesg and --userspace belong to one boot: give exactly one FILE");
        return BL_EXIT_USAGE;
    }
    for (int i = 0; i < cmd->n_args; i++) {
        struct bl_input in[4];
        struct bl_import_result r;
        int n = 0;
        in[n++] = (struct bl_input){ cmd->args[i], -1, BL_STREAM_CONSOLE, cmd->input_format };
        if (firmware)
            in[n++] = (struct bl_input){ firmware, -1, BL_STREAM_FIRMWARE, NULL };
        if (dmesg)
            in[n++] = (struct bl_input){ dmesg, -1, BL_STREAM_DMESG, NULL };
        if (userspace)
            in[n++] = (struct bl_input){ userspace, -1, BL_STREAM_USERSPACE, NULL };
        if (bl_import(&db, bl_cmd_db_path(cmd), label, &cmd->meta, in, n, &r) < 0) {
            status = BL_EXIT_ERROR;
            continue;
        }
        bl_print_import_result(cmd->args[i], label, &r);
        free(r.boots);
    }
    bl_db_close(db);
    return status;
}

static const struct bl_option options[] = {
    BL_OPT__DB,
    { "label", 0, BL_OPT_STRING, &label, "L", "name the configuration these boots are runs of", 0, 0, NULL, NULL },
    BL_OPT__META,
    BL_OPT__INPUT_FORMAT,
    BL_OPT__OLD_INPUT_FORMAT,
    { "firmware", 0, BL_OPT_STRING, &firmware, "FILE",
      "the same boot's firmware output: SeaBIOS' or EDK2's debug\nport on the same clock, U-Boot's bootstage report,\ncoreboot's cbmem -t or -T; needs exactly one FILE", 0, 0,
      NULL, NULL },
    { "dmesg", 0, BL_OPT_STRING, &dmesg, "FILE", "the same boot's dmesg; needs exactly one FILE", 0, 0, NULL,
      NULL },
    { "userspace", 0, BL_OPT_STRING, &userspace, "FILE",
      "the same boot's systemd-analyze output (blame,\ncritical-chain, time): its units; needs exactly one FILE",
      0, 0, NULL, NULL },
    BL_OPT_END,
};

const struct bl_verb bl_verb_import = {
    .name = "import",
    .run = run,
    .summary = "store boot logs (console, firmware, dmesg) as boots",
    .args = "FILE...",
    .min_args = 1,
    .max_args = -1,
    .args_error = "no FILE given",
    .description =
        "Stores the boots in each FILE (- for standard input; usually one, several\n"
        "when a machine rebooted in a loop), one transaction per FILE: a file that\n"
        "fails leaves nothing behind, and the others are still imported. Importing\n"
        "the same content again adds nothing and names the boot that has it.\n",
    .options = options,
    .trailer = "Prints one line per boot: id, label, kernel version, lines, initcalls,\n"
               "how many lines nothing understood, how many records stood behind a\n"
               "prefix no framing knows, and \"no timestamps\" for a log without any.\n"
               "Records are found wherever they stand in a line; a file no format\n"
               "knows is a boot if one stands anywhere in it.\n",
};
