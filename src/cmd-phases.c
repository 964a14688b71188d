/*
 * cmd-phases.c: bootlog phases: where the time of a boot went, as named
 * intervals on its one timeline (src/phases.h), with a text timeline in
 * the spirit of libguestfs' boot-analysis; over several boots, statistics
 * per phase.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "db.h"
#include "output.h"
#include "phases.h"
#include "select.h"
#include "stats.h"
#include "util.h"

static const char help[] =
    "usage: bootlog phases [--db FILE] [--boot ID]... [--label L] [--corrected]\n"
    "                      [--phase NAME=START..END]... [--phases FILE] [--format table|csv|json]\n"
    "\n"
    "The boot as named intervals on its one timeline (the host clock when the\n"
    "console has host stamps, else printk time): vmm, firmware (and SeaBIOS'\n"
    "pci, option-roms, boot-search), kernel:entry, kernel:early,\n"
    "kernel:initcalls, kernel:late, userspace, shutdown; each only when the log\n"
    "has its markers (docs/DESIGN.md). Over several boots: mean, sample sd, min,\n"
    "max and share of the whole boot per phase; a phase missing from some\n"
    "boots shows in how many it was (boots), never averaged in as zero.\n"
    "\n"
    "  --corrected      printk times without the console's cost (bootlog uart)\n"
    "  --phase N=S..E   a phase of your own: from the first line matching the\n"
    "                   PCRE2 regex S to the first after it matching E\n"
    "  --phases FILE    phases of your own, one N=S..E a line (# comments)\n"
    "\n"
    "CSV/JSON fields: name, boots, mean_us, stddev_us, min_us, max_us, share,\n"
    "start_us (mean start)\n";

/* Bars of the text timeline. */
#define BAR_WIDTH 40

/* One phase over the selected boots. */
struct agg {
    char name[64];
    int depth;
    double *dur, *start;      /* per boot that has it, us */
    size_t n, cap;
};

static struct agg *find_agg(struct agg **a, size_t *n, size_t *cap, const struct bl_phase *p)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*a)[i].name, p->name) == 0)
            return &(*a)[i];
    struct agg x = { .depth = p->depth };
    snprintf(x.name, sizeof(x.name), "%s", p->name);
    BL_PUSH(*a, *n, *cap, x);
    return &(*a)[*n - 1];
}

/* Reads --phases FILE: one NAME=START..END a line. */
static int read_phase_file(const char *path, struct bl_user_phase **u, size_t *n, size_t *cap)
{
    FILE *f = fopen(path, "r");
    char line[2048], where[512];
    int lineno = 0;
    if (!f) {
        bl_error("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#')
            continue;
        struct bl_user_phase p;
        snprintf(where, sizeof(where), "%s:%d", path, lineno);
        if (bl_user_phase_parse(line, where, &p) < 0) {
            fclose(f);
            return -1;
        }
        BL_PUSH(*u, *n, *cap, p);
    }
    fclose(f);
    return 0;
}

/* The timeline bar of a phase: its place and length in the boot. */
static void bar(char *buf, size_t size, double start, double dur, double total)
{
    size_t o = 0;
    if (total <= 0 || size < BAR_WIDTH + 2) {
        buf[0] = '\0';
        return;
    }
    int from = (int)(start / total * BAR_WIDTH + 0.5), len = (int)(dur / total * BAR_WIDTH + 0.5);
    if (from < 0)
        from = 0;
    if (from > BAR_WIDTH)
        from = BAR_WIDTH;
    if (len < 1)
        len = 1;
    if (from + len > BAR_WIDTH + 1)
        len = BAR_WIDTH + 1 - from;
    for (int i = 0; i < from; i++)
        buf[o++] = ' ';
    for (int i = 0; i < len; i++)
        buf[o++] = '#';
    buf[o] = '\0';
}

int cmd_phases(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "boot", required_argument, NULL, 'b' },
        { "label", required_argument, NULL, 'l' },
        { "corrected", no_argument, NULL, 'c' },
        { "phase", required_argument, NULL, 'p' },
        { "phases", required_argument, NULL, 'P' },
        { "format", required_argument, NULL, 'f' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct {
        const char *db;
        struct bl_selection sel;
        bool corrected;
        enum bl_out_format format;
        struct bl_user_phase *user;
        size_t n_user, cap_user;
    } o = { .format = BL_OUT_TABLE };
    int c, status = BL_EXIT_USAGE;
    struct agg *aggs = NULL;
    size_t n_aggs = 0, cap_aggs = 0;
    double *totals = NULL;
    int64_t *ids = NULL;
    size_t nids = 0;
    sqlite3 *db = NULL;
    struct bl_table *t = NULL;

    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        struct bl_user_phase p;
        switch (c) {
        case 'd': o.db = optarg; break;
        case 'l': o.sel.label = optarg; break;
        case 'c': o.corrected = true; break;
        case 'b':
            if (bl_selection_add_boot(&o.sel, optarg) < 0)
                goto out;
            break;
        case 'p':
            if (bl_user_phase_parse(optarg, "--phase", &p) < 0)
                goto out;
            BL_PUSH(o.user, o.n_user, o.cap_user, p);
            break;
        case 'P':
            if (read_phase_file(optarg, &o.user, &o.n_user, &o.cap_user) < 0) {
                status = BL_EXIT_ERROR;
                goto out;
            }
            break;
        case 'f':
            if (bl_out_format_parse(optarg, &o.format) < 0)
                goto out;
            break;
        case 'h':
            status = bl_help(help);
            goto out;
        default:
            status = bl_bad_option(argv, c);
            goto out;
        }
    }
    if (optind < argc) {
        bl_error("phases: unexpected argument '%s'", argv[optind]);
        goto out;
    }
    status = BL_EXIT_ERROR;
    if (!(db = bl_db_open(bl_db_path(o.db), BL_DB_READ)) ||
        bl_selection_resolve(db, &o.sel, &ids, &nids) < 0)
        goto out;

    bool host_all = true;
    totals = bl_xmalloc(nids * sizeof(*totals));
    for (size_t i = 0; i < nids; i++) {
        struct bl_phase *ph;
        size_t n;
        int64_t total;
        bool host;
        if (bl_boot_phases(db, ids[i], o.corrected, o.user, o.n_user, &ph, &n, &total, &host) < 0)
            goto out;
        totals[i] = (double)total / 1000.0;
        host_all &= host;
        for (size_t k = 0; k < n; k++) {
            struct agg *a = find_agg(&aggs, &n_aggs, &cap_aggs, &ph[k]);
            if (a->n == a->cap) {
                a->cap = a->cap ? 2 * a->cap : 8;
                a->dur = bl_xrealloc(a->dur, a->cap * sizeof(*a->dur));
                a->start = bl_xrealloc(a->start, a->cap * sizeof(*a->start));
            }
            a->dur[a->n] = (double)(ph[k].end_ns - ph[k].start_ns) / 1000.0;
            a->start[a->n++] = (double)ph[k].start_ns / 1000.0;
        }
        free(ph);
    }

    struct bl_summary total;
    double *tv = bl_xmalloc((nids ? nids : 1) * sizeof(*tv));
    memcpy(tv, totals, nids * sizeof(*tv));
    bl_summarize(tv, nids, &total);
    free(tv);
    bool multi = nids > 1;
    const struct bl_col cols[] = {
        { "name", "phase", BL_COL_STR, 0, BL_COL_DATA },
        { "label", "phase", BL_COL_STR, 0, BL_COL_TABLE },
        { "boots", NULL, BL_COL_INT, 0, multi ? BL_COL_BOTH : BL_COL_DATA },
        { "start", "start ms", BL_COL_US, 0, BL_COL_TABLE },
        { "mean_us", multi ? "mean ms" : "ms", BL_COL_US, 1, BL_COL_BOTH },
        { "stddev_us", "sd ms", BL_COL_US, 1, multi ? BL_COL_BOTH : BL_COL_DATA },
        { "min_us", "min ms", BL_COL_US, 0, multi ? BL_COL_BOTH : BL_COL_DATA },
        { "max_us", "max ms", BL_COL_US, 0, multi ? BL_COL_BOTH : BL_COL_DATA },
        { "share", NULL, BL_COL_SHARE, 4, BL_COL_BOTH },
        { "start_us", NULL, BL_COL_US, 0, BL_COL_DATA },
        { "timeline", NULL, BL_COL_STR, 0, BL_COL_TABLE },
    };
    t = bl_table_new(cols, (int)(sizeof(cols) / sizeof(cols[0])));
    for (size_t i = 0; i < n_aggs; i++) {
        struct agg *a = &aggs[i];
        struct bl_summary d, s;
        char shown[80], timeline[BAR_WIDTH + 2];
        bl_summarize(a->dur, a->n, &d);
        bl_summarize(a->start, a->n, &s);
        snprintf(shown, sizeof(shown), "%s%s", a->depth ? "  " : "", a->name);
        bar(timeline, sizeof(timeline), s.mean, d.mean, total.mean);
        bl_table_str(t, a->name);
        bl_table_str(t, shown);
        bl_table_int(t, (int64_t)a->n);
        bl_table_num(t, s.mean);
        bl_table_num(t, d.mean);
        bl_table_num(t, d.sd);
        bl_table_num(t, d.min);
        bl_table_num(t, d.max);
        bl_table_num(t, total.mean > 0 ? d.mean / total.mean : 0);
        bl_table_num(t, s.mean);
        bl_table_str(t, timeline);
    }
    if (o.format == BL_OUT_TABLE) {
        if (multi)
            printf("%zu boots, %s clock, %s; whole boot %.3f ± %.3f ms\n", nids,
                   host_all ? "host" : "printk", o.corrected ? "corrected" : "raw", total.mean / 1000.0,
                   total.sd / 1000.0);
        else
            printf("boot %lld, %s clock, %s; whole boot %.3f ms\n", (long long)ids[0],
                   host_all ? "host" : "printk", o.corrected ? "corrected" : "raw", total.mean / 1000.0);
    }
    bl_table_print(t, o.format, stdout);
    status = BL_EXIT_OK;
out:
    for (size_t i = 0; i < n_aggs; i++) {
        free(aggs[i].dur);
        free(aggs[i].start);
    }
    free(aggs);
    free(totals);
    for (size_t i = 0; i < o.n_user; i++)
        bl_user_phase_free(&o.user[i]);
    free(o.user);
    bl_table_free(t);
    free(ids);
    bl_selection_free(&o.sel);
    bl_db_close(db);
    return status;
}
