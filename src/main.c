/*
 * main.c: bootlog's entry point: global options, the verb table, the
 * set-up verbs ask for (the database opened, the boots selected), and the
 * checks every verb shares (stdout flushed and checked at exit, so that a
 * full disk is an error, not silence).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "cmd.h"
#include "db.h"
#include "util.h"

#ifndef BOOTLOG_VERSION
#define BOOTLOG_VERSION "unknown"
#endif

static const struct bl_verb *const verbs[] = {
    &bl_verb_import, &bl_verb_capture, &bl_verb_boots, &bl_verb_top_initcalls, &bl_verb_top_units, &bl_verb_kconfig, &bl_verb_compare, &bl_verb_trend,
    &bl_verb_plot, &bl_verb_report, &bl_verb_merge, &bl_verb_relabel, &bl_verb_delete, &bl_verb_reanalyze, &bl_verb_phases, &bl_verb_gaps, &bl_verb_uart,
    &bl_verb_export, &bl_verb_parse, &bl_verb_cat,
};
#define N_VERBS (sizeof(verbs) / sizeof(verbs[0]))

static const char usage_line[] = "usage: bootlog [--db FILE] [--version] [--help] VERB [ARGS]\n";

static void print_help(FILE *out)
{
    fputs(usage_line, out);
    fputs("\nWhere does boot time go? bootlog reads serial consoles, dmesg and\n"
          "firmware logs, stores boots in SQLite (--db FILE, $BOOTLOG_DB, or\n"
          "./bootlog.db) and ranks what is slow.\n\nVerbs:\n", out);
    for (size_t i = 0; i < N_VERBS; i++)
        fprintf(out, "  %-15s %s\n", verbs[i]->name, verbs[i]->summary);
    fputs("\nSee 'bootlog VERB --help' for a verb's options.\n", out);
}

const char *bl_cmd_db_path(const struct bl_cmd *cmd)
{
    return bl_db_path(cmd->db_path);
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
    const struct bl_verb *best = NULL;
    size_t best_d = 3;
    for (size_t i = 0; i < N_VERBS; i++) {
        size_t d = distance(name, verbs[i]->name);
        if (d < best_d || strncmp(name, verbs[i]->name, strlen(name)) == 0) {
            best = verbs[i];
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

/* Parses the verb's options, does its set-up, runs it, cleans up. */
static int run_verb(struct bl_cmd *cmd, int argc, char **argv)
{
    const struct bl_verb *v = cmd->verb;
    /* getopt_long reorders what it parses: the verb's command line as
     * given stays in cmd->argv (charts name it) */
    char **parsed = bl_xmalloc(((size_t)argc + 1) * sizeof(*parsed));
    int status;

    memcpy(parsed, argv, ((size_t)argc + 1) * sizeof(*parsed));
    cmd->argc = argc;
    cmd->argv = argv;
    cmd->n = v->n_default;
    if ((status = bl_options_parse(cmd, argc, parsed)) >= 0)
        goto out;
    status = BL_EXIT_ERROR;
    if ((v->setup & (BL_SETUP_DB | BL_SETUP_SELECT)) &&
        !(cmd->db = bl_db_open(bl_cmd_db_path(cmd), v->setup & BL_SETUP_WRITE ? BL_DB_WRITE : BL_DB_READ)))
        goto out;
    /* figures from older rules are said to be so (reanalyze derives them again) */
    if (cmd->db && !(v->setup & BL_SETUP_WRITE) && bl_analysis_warn_stale(cmd->db, bl_cmd_db_path(cmd)) < 0)
        goto out;
    if (v->setup & BL_SETUP_EVERY)
        bl_selection_keep_incomplete(true);
    if ((v->setup & BL_SETUP_SELECT) &&
        bl_selection_resolve(cmd->db, &cmd->sel, &cmd->ids, &cmd->n_ids) < 0)
        goto out;
    status = v->run(cmd);
out:
    free(parsed);
    free(cmd->ids);
    bl_selection_free(&cmd->sel);
    bl_user_phases_free(&cmd->user);
    free(cmd->meta.items);
    bl_db_close(cmd->db);
    return status;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    struct bl_cmd cmd = { .format = BL_OUT_TABLE };
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd':
            cmd.db_path = optarg;
            break;
        case 'h':
            print_help(stdout);
            return finish_stdout(BL_EXIT_OK);
        case 'V':
            printf("bootlog %s\n", BOOTLOG_VERSION);
            return finish_stdout(BL_EXIT_OK);
        case ':':
            bl_error("option '%s' needs a value", argv[optind - 1]);
            return BL_EXIT_USAGE;
        default:
            bl_error("unknown option '%s'; see 'bootlog --help'", argv[optind - 1]);
            return BL_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        print_help(stderr);
        return BL_EXIT_USAGE;
    }
    for (size_t i = 0; i < N_VERBS; i++)
        if (strcmp(argv[optind], verbs[i]->name) == 0) {
            cmd.verb = verbs[i];
            return finish_stdout(run_verb(&cmd, argc - optind, argv + optind));
        }
    return unknown_verb(argv[optind]);
}
