/*
 * cmd-plot.c: bootlog plot: a chart for a code review, drawn by gnuplot
 * from a self-contained script (data inline) that can be kept and tweaked.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "db.h"
#include "plots.h"
#include "select.h"
#include "util.h"

static const char help[] =
    "usage: bootlog plot KIND [--db FILE] [--boot ID]... [--label L]... [--corrected] [-n N]\n"
    "                   [--phase NAME] -o FILE\n"
    "\n"
    "Draws a chart with gnuplot. FILE's extension says what to write: .png,\n"
    ".svg, .pdf, or .gp for the gnuplot script alone (it draws FILE.png when\n"
    "run). The script is self-contained, data inline, and names the command\n"
    "that made it. KIND:\n"
    "  top-initcalls  the N slowest initcalls (sd bars over several boots)\n"
    "  timeline       one boot (the first selected): phases, its N longest\n"
    "                 initcalls, console output when its cost is known\n"
    "  phases         one stacked bar of mean phase durations per label\n"
    "  compare        the N most changed phases and initcalls of two labels\n"
    "  range          mean and sd of the whole boot across labels, in the order\n"
    "                 given (with --phase NAME, of that phase too)\n"
    "  uart           one boot's console arrival against printk time\n"
    "  histogram      the distribution of the selected boots' lengths\n"
    "\n"
    "  --boot ID        this boot (repeatable)\n"
    "  --label L        the boots with this label (repeatable; its order is the\n"
    "                   order of phases, range and compare)\n"
    "  --corrected      without the console's cost (bootlog uart)\n"
    "  --phase NAME     range: also this phase (a name from bootlog phases)\n"
    "  -n N             rows (default 20)\n"
    "  -o FILE          the output\n";

int cmd_plot(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "boot", required_argument, NULL, 'b' },
        { "label", required_argument, NULL, 'l' },
        { "corrected", no_argument, NULL, 'c' },
        { "phase", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct {
        const char *db, *out, *kind, *phase;
        struct bl_selection boots;
        const char **labels;
        size_t n_labels, cap_labels;
        bool corrected;
        int64_t n;
    } o = { .n = 20 };
    int c, status = BL_EXIT_USAGE;
    sqlite3 *db = NULL;
    void *owned = NULL;
    char what[512];
    int all_argc = argc;
    char **all_argv = argv;

    if (argc >= 2 && argv[1][0] != '-') {   /* KIND first, as in `bootlog plot timeline ...` */
        o.kind = argv[1];
        argv = bl_xmalloc((size_t)argc * sizeof(*argv));
        argv[0] = all_argv[0];
        memcpy(argv + 1, all_argv + 2, (size_t)(argc - 2) * sizeof(*argv));
        argc--;
        argv[argc] = NULL;
    }
    while ((c = getopt_long(argc, argv, ":hn:o:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.db = optarg; break;
        case 'o': o.out = optarg; break;
        case 'c': o.corrected = true; break;
        case 'p': o.phase = optarg; break;
        case 'l': BL_PUSH(o.labels, o.n_labels, o.cap_labels, optarg); break;
        case 'b':
            if (bl_selection_add_boot(&o.boots, optarg) < 0)
                goto out;
            break;
        case 'n':
            if (bl_parse_int(optarg, &o.n) < 0 || o.n < 1) {
                bl_error("-n: '%s' is not a count", optarg);
                goto out;
            }
            break;
        case 'h':
            status = bl_help(help);
            goto out;
        default:
            status = bl_bad_option(argv, c);
            goto out;
        }
    }
    if (!o.kind && optind < argc)
        o.kind = argv[optind++];
    const char *const *kinds = bl_plot_kinds();
    size_t k = 0;
    while (o.kind && kinds[k] && strcmp(kinds[k], o.kind) != 0)
        k++;
    if (!o.kind || !kinds[k]) {
        bl_error("plot: %s%s%s; kinds: top-initcalls, timeline, phases, compare, range, uart, histogram",
                 o.kind ? "unknown kind '" : "no KIND given", o.kind ? o.kind : "", o.kind ? "'" : "");
        goto out;
    }
    if (!o.out) {
        bl_error("plot: give the output with -o FILE (.png, .svg, .pdf or .gp)");
        goto out;
    }
    if (optind < argc) {
        bl_error("plot: unexpected argument '%s'", argv[optind]);
        goto out;
    }
    if (strcmp(o.kind, "compare") == 0 && o.n_labels != 2) {
        bl_error("plot compare: give two labels with --label A --label B");
        goto out;
    }
    if (o.phase && strcmp(o.kind, "range") != 0) {
        bl_error("plot: --phase is for the range chart");
        goto out;
    }
    status = BL_EXIT_ERROR;
    struct bl_plot_args a = { .n = o.n, .corrected = o.corrected, .phase = o.phase };
    if (!(db = bl_db_open(bl_db_path(o.db), BL_DB_READ)) ||
        bl_plot_select(db, o.labels, o.n_labels, o.boots.boot_ids, o.boots.n_boot_ids, &a, what,
                       sizeof(what), &owned) < 0)
        goto out;

    if (bl_plot_draw(db, o.kind, &a, o.out, all_argc, all_argv) < 0)
        goto out;
    status = BL_EXIT_OK;
out:
    if (argv != all_argv)
        free(argv);
    bl_plot_select_free(owned);
    free(o.labels);
    bl_selection_free(&o.boots);
    bl_db_close(db);
    return status;
}
