/*
 * main.c: bootlog's entry point: global options, the verb table, and the
 * checks every verb shares (stdout flushed and checked at exit, so that a
 * full disk is an error, not silence).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "parser.h"
#include "util.h"

#ifndef BOOTLOG_VERSION
#define BOOTLOG_VERSION "unknown"
#endif

struct verb {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct verb verbs[] = {
    { "import", cmd_import, "store boot logs (console, firmware, dmesg) as boots" },
    { "capture", cmd_capture, "boot a machine N times and store every run" },
    { "boots", cmd_boots, "list the stored boots" },
    { "top-initcalls", cmd_top_initcalls, "rank initcalls by the time the kernel reported" },
    { "compare", cmd_compare, "is B faster or slower than A, beyond the noise" },
    { "plot", cmd_plot, "draw a chart with gnuplot (png, svg, pdf, or the script)" },
    { "report", cmd_report, "write a Markdown/HTML report with every chart for a review" },
    { "merge", cmd_merge, "pool the boots of several databases, each boot once" },
    { "phases", cmd_phases, "where a boot's time went, phase by phase" },
    { "uart", cmd_uart, "what the console cost each boot, and userspace without it" },
    { "parse", cmd_parse, "show what bootlog reads in a log, without storing it" },
    { "cat", cmd_cat, "write a stored stream back out, byte for byte" },
};
#define N_VERBS (sizeof(verbs) / sizeof(verbs[0]))

static const char usage_text[] =
    "usage: bootlog [--version] [--help] VERB [ARGS]\n"
    "\n"
    "Where does boot time go? bootlog reads serial consoles, dmesg and\n"
    "firmware logs, stores boots in SQLite (--db FILE, $BOOTLOG_DB, or\n"
    "./bootlog.db) and ranks what is slow.\n"
    "\n"
    "Verbs:\n";

int bl_help(const char *text)
{
    fputs(text, stdout);
    return BL_EXIT_OK;
}

int bl_bad_option(char **argv, int c)
{
    const char *word = argv[optind - 1];
    int len = (int)strcspn(word, "=");
    if (c == ':')
        bl_error("%s: option '%.*s' needs a value", argv[0], len, word);
    else if (optopt)
        bl_error("%s: unknown option '-%c'; see 'bootlog %s --help'", argv[0], optopt, argv[0]);
    else
        bl_error("%s: unknown option '%.*s'; see 'bootlog %s --help'", argv[0], len, word, argv[0]);
    return BL_EXIT_USAGE;
}

const struct bl_format *bl_format_arg(const char *name)
{
    const struct bl_format *const *all = bl_formats();
    const struct bl_format *f = bl_format_find(name);
    char known[256] = "";

    if (f)
        return f;
    for (size_t i = 0; all[i]; i++)
        snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s", i ? ", " : "",
                 all[i]->name);
    bl_error("--format: unknown format '%s' (known: %s)", name, known);
    return NULL;
}

static void print_help(FILE *out)
{
    fputs(usage_text, out);
    for (size_t i = 0; i < N_VERBS; i++)
        fprintf(out, "  %-15s %s\n", verbs[i].name, verbs[i].summary);
    fputs("\nSee 'bootlog VERB --help' for a verb's options.\n", out);
}

/* Edit distance, for "did you mean". */
static size_t distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];
    if (la >= 63 || lb >= 63)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, sizeof(prev));
    }
    return prev[lb];
}

static int unknown_verb(const char *name)
{
    const struct verb *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < N_VERBS; i++) {
        size_t d = distance(name, verbs[i].name);
        if (d < best_d || strncmp(name, verbs[i].name, strlen(name)) == 0) {
            best = &verbs[i];
            best_d = d < best_d ? d : best_d;
        }
    }
    if (best)
        bl_error("'%s' is not a bootlog verb; did you mean '%s'?", name, best->name);
    else
        bl_error("'%s' is not a bootlog verb; see 'bootlog --help'", name);
    return BL_EXIT_USAGE;
}

/* A verb's output that could not be written (full disk, closed pipe) is a
 * failure, reported once here. */
static int finish_stdout(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno != EPIPE)
            bl_error("cannot write the output: %s", strerror(errno));
        return BL_EXIT_ERROR;
    }
    return status;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            print_help(stdout);
            return finish_stdout(BL_EXIT_OK);
        case 'V':
            printf("bootlog %s\n", BOOTLOG_VERSION);
            return finish_stdout(BL_EXIT_OK);
        default:
            fputs("usage: bootlog [--version] [--help] VERB [ARGS]\n", stderr);
            return BL_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        print_help(stderr);
        return BL_EXIT_USAGE;
    }

    const char *name = argv[optind];
    for (size_t i = 0; i < N_VERBS; i++) {
        if (strcmp(name, verbs[i].name) == 0) {
            char **vargv = argv + optind;
            int vargc = argc - optind;
            optind = 0;            /* glibc: start the verb's getopt afresh */
            opterr = 0;            /* verbs report bad options in one line */
            return finish_stdout(verbs[i].fn(vargc, vargv));
        }
    }
    return unknown_verb(name);
}
