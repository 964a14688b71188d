/* cmd-import.c: bootlog import: each FILE becomes a boot. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "db.h"
#include "import.h"
#include "util.h"

static const char help[] =
    "usage: bootlog import [--db FILE] [--label LABEL] [--format F] [--firmware FILE] [--dmesg FILE] FILE...\n"
    "\n"
    "Stores the boots in each FILE (- for standard input; usually one, several\n"
    "when a machine rebooted in a loop), one transaction per FILE: a file that\n"
    "fails leaves nothing behind, and the others are still imported. Importing\n"
    "the same content again adds nothing and names the boot that has it.\n"
    "\n"
    "  --db FILE        the database (default $BOOTLOG_DB, else ./bootlog.db)\n"
    "  --label LABEL    name the configuration these boots are runs of\n"
    "  --format F       the format of FILE, instead of detecting it:\n"
    "                   dmesg, grabserial, seabios, libguestfs, kmsg, journal,\n"
    "                   timestamped\n"
    "  --firmware FILE  firmware debug output of the same boot (SeaBIOS), on\n"
    "                   the same clock; needs exactly one FILE\n"
    "  --dmesg FILE     the same boot's dmesg; needs exactly one FILE\n"
    "\n"
    "Prints one line per boot: id, label, kernel version, lines, initcalls,\n"
    "and how many lines nothing understood.\n";

/* One line per boot: id, label, kernel version, lines, initcalls. */
void bl_print_import_result(const char *path, const char *label, const struct bl_import_result *r)
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
               label ? label : "-", b->kernel_version, (long long)b->lines,
               (long long)b->initcalls, path, which);
        if (b->unrecognized)
            printf("  %lld lines not understood", (long long)b->unrecognized);
        putchar('\n');
    }
}

int cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "label", required_argument, NULL, 'l' },
        { "format", required_argument, NULL, 'f' },
        { "firmware", required_argument, NULL, 'F' },
        { "dmesg", required_argument, NULL, 'D' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct {
        const char *db, *label, *firmware, *dmesg;
        const struct bl_format *format;
    } o = { 0 };
    int c, status = BL_EXIT_OK;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.db = optarg; break;
        case 'l': o.label = optarg; break;
        case 'F': o.firmware = optarg; break;
        case 'D': o.dmesg = optarg; break;
        case 'f':
            if (!(o.format = bl_format_arg(optarg)))
                return BL_EXIT_USAGE;
            break;
        case 'h': return bl_help(help);
        default: return bl_bad_option(argv, c);
        }
    }
    int nfiles = argc - optind;
    if (nfiles == 0) {
        bl_error("import: no FILE given");
        return BL_EXIT_USAGE;
    }
    if ((o.firmware || o.dmesg) && nfiles != 1) {
        bl_error("import: --firmware and --dmesg belong to one boot: give exactly one FILE");
        return BL_EXIT_USAGE;
    }

    sqlite3 *db = NULL;    /* opened by the first input that is a boot log */
    for (int i = optind; i < argc; i++) {
        struct bl_input in[3];
        struct bl_import_result r;
        int n = 0;
        in[n++] = (struct bl_input){ argv[i], -1, BL_STREAM_CONSOLE, o.format };
        if (o.firmware)
            in[n++] = (struct bl_input){ o.firmware, -1, BL_STREAM_FIRMWARE, NULL };
        if (o.dmesg)
            in[n++] = (struct bl_input){ o.dmesg, -1, BL_STREAM_DMESG, NULL };
        if (bl_import(&db, bl_db_path(o.db), o.label, in, n, &r) < 0) {
            status = BL_EXIT_ERROR;
            continue;
        }
        bl_print_import_result(argv[i], o.label, &r);
        free(r.boots);
    }
    bl_db_close(db);
    return status;
}
