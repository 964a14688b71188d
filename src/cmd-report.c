/*
 * cmd-report.c: bootlog report: a review-ready report of labels' boots,
 * DIR/report.md with the charts beside it (and, with --html, one
 * self-contained DIR/report.html with the charts inline).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "compare.h"
#include "db.h"
#include "parser.h"
#include "phases.h"
#include "plots.h"
#include "rank.h"
#include "select.h"
#include "stats.h"
#include "uart.h"
#include "util.h"

#ifndef BOOTLOG_VERSION
#define BOOTLOG_VERSION "unknown"
#endif

static const char help[] =
    "usage: bootlog report [--db FILE] [--label L]... -o DIR [--html]\n"
    "\n"
    "Writes DIR/report.md for a code review: what was measured (the boots of\n"
    "each label), mean and sd of the whole boot and of each phase, the slowest\n"
    "initcalls, the comparison of each label with the first, and the console's\n"
    "estimated cost, with the charts (PNG, drawn by gnuplot) beside it, linked.\n"
    "Without --label, every label in the database. With --html, also\n"
    "DIR/report.html, one self-contained page.\n";

/* ----------------------------------------------------- the two documents */

struct doc {
    FILE *md, *html;
    const char *dir;
};

static void html_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* Markdown text: characters that would start markup are escaped. */
static void md_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (strchr("\\`*_[]|<>#", *s))
            fputc('\\', f);
        fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
    }
}

static void heading(struct doc *d, int level, const char *text)
{
    fprintf(d->md, "%s%.*s ", level > 1 ? "\n" : "", level, "######");
    md_text(d->md, text);
    fputs("\n\n", d->md);
    if (d->html) {
        fprintf(d->html, "<h%d>", level);
        html_text(d->html, text);
        fprintf(d->html, "</h%d>\n", level);
    }
}

static void para(struct doc *d, const char *text)
{
    md_text(d->md, text);
    fputs("\n\n", d->md);
    if (d->html) {
        fputs("<p>", d->html);
        html_text(d->html, text);
        fputs("</p>\n", d->html);
    }
}

/* A column of figures ("-" stands for none) is right-aligned, text left. */
static bool numeric_column(char **cells, size_t rows, size_t ncols, size_t col)
{
    for (size_t r = 1; r < rows; r++) {
        const char *s = cells[r * ncols + col], *end;
        if (strcmp(s, "-") == 0)
            continue;
        strtod(s, (char **)&end);
        if (end == s || (*end && strcmp(end, "%") != 0))
            return false;
    }
    return true;
}

/* A table of strings: cells[row * ncols + col], the first row is the head. */
static void table(struct doc *d, char **cells, size_t rows, size_t ncols)
{
    for (size_t r = 0; r < rows; r++) {
        fputc('|', d->md);
        for (size_t c = 0; c < ncols; c++) {
            fputc(' ', d->md);
            md_text(d->md, cells[r * ncols + c]);
            fputs(" |", d->md);
        }
        fputc('\n', d->md);
        if (r == 0) {
            fputc('|', d->md);
            for (size_t c = 0; c < ncols; c++)
                fputs(numeric_column(cells, rows, ncols, c) ? "---:|" : "---|", d->md);
            fputc('\n', d->md);
        }
    }
    fputc('\n', d->md);
    if (d->html) {
        fputs("<table>\n", d->html);
        for (size_t r = 0; r < rows; r++) {
            fputs("<tr>", d->html);
            for (size_t c = 0; c < ncols; c++) {
                bool right = numeric_column(cells, rows, ncols, c);
                fputs(r ? (right ? "<td>" : "<td class=t>") : (right ? "<th>" : "<th class=t>"), d->html);
                html_text(d->html, cells[r * ncols + c]);
                fputs(r ? "</td>" : "</th>", d->html);
            }
            fputs("</tr>\n", d->html);
        }
        fputs("</table>\n", d->html);
    }
}

/* Appends a cell (a copy) to a growing table. */
struct cells {
    char **v;
    size_t n, cap;
};

static void cell(struct cells *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void cell(struct cells *c, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    BL_PUSH(c->v, c->n, c->cap, bl_xstrdup(buf));
}

static void cells_free(struct cells *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i]);
    free(c->v);
    memset(c, 0, sizeof(*c));
}

static void emit_table(struct doc *d, struct cells *c, size_t ncols)
{
    table(d, c->v, c->n / ncols, ncols);
    cells_free(c);
}

/* Writes an image's bytes as base64 (for the self-contained page). */
static void base64_file(FILE *out, const char *path)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    FILE *f = fopen(path, "rb");
    unsigned char in[3];
    size_t n;
    if (!f)
        return;
    while ((n = fread(in, 1, 3, f)) > 0) {
        unsigned v = (unsigned)in[0] << 16 | (n > 1 ? (unsigned)in[1] << 8 : 0) | (n > 2 ? in[2] : 0);
        fputc(b64[v >> 18 & 63], out);
        fputc(b64[v >> 12 & 63], out);
        fputc(n > 1 ? b64[v >> 6 & 63] : '=', out);
        fputc(n > 2 ? b64[v & 63] : '=', out);
    }
    fclose(f);
}

/* Draws a chart into DIR/file and links it. */
static int chart(struct doc *d, sqlite3 *db, const char *kind, const char *file, const char *alt,
                 const char *const *labels, size_t n_labels, const int64_t *boots, size_t n_boots,
                 int64_t rows)
{
    struct bl_plot_args a = { .n = rows };
    void *owned = NULL;
    char what[512], path[4096];
    char *argv[] = { (char *)"report", (char *)"--chart", (char *)kind, NULL };

    snprintf(path, sizeof(path), "%s/%s", d->dir, file);
    if (bl_plot_select(db, labels, n_labels, boots, n_boots, &a, what, sizeof(what), &owned) < 0)
        goto fail;
    if (bl_plot_draw(db, kind, &a, path, 3, argv) < 0)
        goto fail;
    bl_plot_select_free(owned);
    fprintf(d->md, "![%s](%s)\n\n", alt, file);
    if (d->html) {
        fputs("<p><img alt=\"", d->html);
        html_text(d->html, alt);
        fputs("\" src=\"data:image/png;base64,", d->html);
        base64_file(d->html, path);
        fputs("\"></p>\n", d->html);
    }
    return 0;
fail:
    bl_plot_select_free(owned);
    return -1;
}

/* --------------------------------------------------------------- parts */

static int label_boots(sqlite3 *db, const char *label, int64_t **ids, size_t *n)
{
    struct bl_selection sel = { .label = label };
    return bl_selection_resolve(db, &sel, ids, n);
}

static int measured(struct doc *d, sqlite3 *db, const char *label, const int64_t *ids, size_t n)
{
    struct cells c = { 0 };
    static const char *const head[] = { "boot", "kernel", "source", "lines", "initcalls", "whole boot ms",
                                        "Run /init ms" };
    for (size_t i = 0; i < 7; i++)
        cell(&c, "%s", head[i]);
    sqlite3_stmt *st = bl_db_prepare(db,
        "SELECT coalesce(kernel_version, '-'), source, line_count, initcall_count, userspace_printk_us, "
        "kernel_cmdline FROM boot WHERE id = ?");
    if (!st)
        return -1;
    char cmdline[512] = "";
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(st, 1, ids[i]);
        if (sqlite3_step(st) == SQLITE_ROW) {
            int64_t len = bl_boot_length_ns(db, ids[i]);
            cell(&c, "%lld", (long long)ids[i]);
            cell(&c, "%s", (const char *)sqlite3_column_text(st, 0));
            cell(&c, "%s", (const char *)sqlite3_column_text(st, 1));
            cell(&c, "%lld", (long long)sqlite3_column_int64(st, 2));
            cell(&c, "%lld", (long long)sqlite3_column_int64(st, 3));
            if (len == INT64_MIN)
                cell(&c, "-");
            else
                cell(&c, "%.3f", (double)len / 1e6);
            if (sqlite3_column_type(st, 4) == SQLITE_NULL)
                cell(&c, "-");
            else
                cell(&c, "%.3f", (double)sqlite3_column_int64(st, 4) / 1000.0);
            if (!cmdline[0] && sqlite3_column_type(st, 5) != SQLITE_NULL)
                snprintf(cmdline, sizeof(cmdline), "%s", (const char *)sqlite3_column_text(st, 5));
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    char text[700];
    snprintf(text, sizeof(text), "%s: %zu boot%s; kernel command line: %s", label, n, n == 1 ? "" : "s",
             cmdline[0] ? cmdline : "-");
    para(d, text);
    emit_table(d, &c, 7);
    return 0;
}

/* Mean ± sd of the whole boot and of each phase, over a label's boots. */
static int phase_table(struct doc *d, sqlite3 *db, const int64_t *ids, size_t n)
{
    struct { char name[64]; double *v; size_t n; } ph[32];
    size_t nph = 0;
    double *total = bl_xmalloc((n ? n : 1) * sizeof(*total));
    size_t nt = 0;
    struct cells c = { 0 };

    for (size_t i = 0; i < n; i++) {
        struct bl_phase *p;
        size_t np;
        int64_t t;
        bool host;
        int64_t len = bl_boot_length_ns(db, ids[i]);
        if (len != INT64_MIN)
            total[nt++] = (double)len / 1000.0;
        if (bl_boot_phases(db, ids[i], false, NULL, 0, &p, &np, &t, &host) < 0)
            return -1;
        for (size_t k = 0; k < np; k++) {
            size_t j = 0;
            while (j < nph && strcmp(ph[j].name, p[k].name) != 0)
                j++;
            if (j == nph && nph < 32) {
                snprintf(ph[nph].name, sizeof(ph[nph].name), "%s", p[k].name);
                ph[nph].v = bl_xmalloc(n * sizeof(double));
                ph[nph++].n = 0;
            }
            if (j < nph)
                ph[j].v[ph[j].n++] = (double)(p[k].end_ns - p[k].start_ns) / 1000.0;
        }
        free(p);
    }
    struct bl_summary st = { 0 };
    if (nt)
        bl_summarize(total, nt, &st);
    cell(&c, "phase");
    cell(&c, "boots");
    cell(&c, "mean ms");
    cell(&c, "sd ms");
    cell(&c, "share");
    cell(&c, "whole boot");
    cell(&c, "%zu", nt);
    cell(&c, "%.3f", st.mean / 1000.0);
    cell(&c, "%.3f", st.sd / 1000.0);
    cell(&c, "100%%");
    for (size_t j = 0; j < nph; j++) {
        struct bl_summary s;
        bl_summarize(ph[j].v, ph[j].n, &s);
        cell(&c, "%s", ph[j].name);
        cell(&c, "%zu", s.n);
        cell(&c, "%.3f", s.mean / 1000.0);
        cell(&c, "%.3f", s.sd / 1000.0);
        cell(&c, "%.1f%%", st.mean > 0 ? s.mean / st.mean * 100.0 : 0);
        free(ph[j].v);
    }
    free(total);
    emit_table(d, &c, 5);
    return 0;
}

static int top_table(struct doc *d, sqlite3 *db, const int64_t *ids, size_t n)
{
    struct bl_ranking rk;
    struct cells c = { 0 };
    if (bl_rank_initcalls(db, ids, n, false, &rk) < 0)
        return -1;
    static const char *const head[] = { "initcall", "boots", "mean ms", "sd ms", "share" };
    for (size_t i = 0; i < 5; i++)
        cell(&c, "%s", head[i]);
    for (size_t i = 0; i < rk.n && i < 10; i++) {
        const struct bl_rank_row *r = &rk.rows[i];
        cell(&c, r->module ? "%s [%s]" : "%s", r->function, r->module);
        cell(&c, "%zu", r->s.n);
        cell(&c, "%.3f", r->s.mean / 1000.0);
        cell(&c, "%.3f", r->s.sd / 1000.0);
        cell(&c, "%.1f%%", rk.grand_total_us ? (double)r->total_us / (double)rk.grand_total_us * 100 : 0);
    }
    bl_ranking_free(&rk);
    emit_table(d, &c, 5);
    return 0;
}

static int compare_table(struct doc *d, sqlite3 *db, const int64_t *a, size_t na, const int64_t *b,
                         size_t nb)
{
    struct bl_comparison cmp;
    struct cells c = { 0 };
    if (bl_compare(db, a, na, b, nb, &cmp) < 0)
        return -1;
    static const char *const head[] = { "kind", "name", "A ms", "B ms", "delta ms", "delta %", "p",
                                        "verdict" };
    for (size_t i = 0; i < 8; i++)
        cell(&c, "%s", head[i]);
    size_t shown = 0;
    for (size_t i = 0; i < cmp.n && shown < 20; i++) {
        const struct bl_compare_row *r = &cmp.rows[i];
        if (r->kind != BL_CMP_TOTAL && r->w.p >= 0.05)
            continue;
        shown++;
        cell(&c, "%s", bl_compare_kind_name(r->kind));
        cell(&c, "%s", r->name);
        cell(&c, "%.3f", r->a.mean / 1000.0);
        cell(&c, "%.3f", r->b.mean / 1000.0);
        cell(&c, "%+.3f", r->delta / 1000.0);
        cell(&c, isnan(r->pct) ? "-" : "%+.1f", r->pct);
        cell(&c, "%.4f", r->w.p);
        cell(&c, "%s", r->verdict);
    }
    bl_comparison_free(&cmp);
    emit_table(d, &c, 8);
    return 0;
}

static int uart_table(struct doc *d, sqlite3 *db, const char *const *labels, size_t n_labels)
{
    struct cells c = { 0 };
    static const char *const head[] = { "label", "boots with an estimate", "us per byte", "console ms",
                                        "Run /init ms", "without the console ms" };
    for (size_t i = 0; i < 6; i++)
        cell(&c, "%s", head[i]);
    for (size_t l = 0; l < n_labels; l++) {
        int64_t *ids;
        size_t n, k = 0;
        double sum[4] = { 0 };
        if (label_boots(db, labels[l], &ids, &n) < 0)
            return -1;
        for (size_t i = 0; i < n; i++) {
            struct bl_uart u;
            if (bl_uart_load(db, ids[i], &u) > 0 && u.userspace_printk_us != INT64_MIN &&
                u.userspace_chars_before != INT64_MIN) {
                sum[0] += u.ns_per_char / 1000.0;
                sum[1] += (double)u.chars * u.ns_per_char / 1e6;
                sum[2] += (double)u.userspace_printk_us / 1000.0;
                sum[3] += ((double)u.userspace_printk_us -
                           (double)u.userspace_chars_before * u.ns_per_char / 1000.0) / 1000.0;
                k++;
            }
        }
        free(ids);
        cell(&c, "%s", labels[l]);
        cell(&c, "%zu of %zu", k, n);
        for (int j = 0; j < 4; j++) {
            if (k)
                cell(&c, j ? "%.3f" : "%.3f", sum[j] / (double)k);
            else
                cell(&c, "-");
        }
    }
    emit_table(d, &c, 6);
    return 0;
}

/* ---------------------------------------------------------------- verb */

int cmd_report(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },
        { "label", required_argument, NULL, 'l' },
        { "html", no_argument, NULL, 'H' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct {
        const char *db, *dir;
        char **labels;
        size_t n_labels, cap_labels;
        bool html;
    } o = { 0 };
    int c, status = BL_EXIT_USAGE;
    sqlite3 *db = NULL;
    struct doc d = { 0 };
    char path[4096];
    int64_t **ids = NULL;
    size_t *nids = NULL;

    while ((c = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.db = optarg; break;
        case 'o': o.dir = optarg; break;
        case 'H': o.html = true; break;
        case 'l': BL_PUSH(o.labels, o.n_labels, o.cap_labels, bl_xstrdup(optarg)); break;
        case 'h':
            status = bl_help(help);
            goto out;
        default:
            status = bl_bad_option(argv, c);
            goto out;
        }
    }
    if (!o.dir || optind < argc) {
        bl_error("report: give the output directory with -o DIR%s", optind < argc ? ", and no other argument" : "");
        goto out;
    }
    status = BL_EXIT_ERROR;
    if (!(db = bl_db_open(bl_db_path(o.db), BL_DB_READ)))
        goto out;
    if (o.n_labels == 0) {      /* every label, in the order of their first boots */
        sqlite3_stmt *st = bl_db_prepare(db, "SELECT coalesce(label, '') FROM boot GROUP BY label ORDER BY min(id)");
        if (!st)
            goto out;
        while (sqlite3_step(st) == SQLITE_ROW)
            if (*(const char *)sqlite3_column_text(st, 0))
                BL_PUSH(o.labels, o.n_labels, o.cap_labels, bl_xstrdup((const char *)sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        if (o.n_labels == 0) {
            bl_error("report: no labelled boots in %s (import with --label)", bl_db_path(o.db));
            goto out;
        }
    }
    /* every label resolved before anything is written */
    ids = bl_xmalloc(o.n_labels * sizeof(*ids));
    nids = bl_xmalloc(o.n_labels * sizeof(*nids));
    for (size_t l = 0; l < o.n_labels; l++)
        ids[l] = NULL;
    for (size_t l = 0; l < o.n_labels; l++)
        if (label_boots(db, o.labels[l], &ids[l], &nids[l]) < 0)
            goto out;
    if (mkdir(o.dir, 0777) < 0 && errno != EEXIST) {
        bl_error("%s: %s", o.dir, strerror(errno));
        goto out;
    }
    d.dir = o.dir;
    snprintf(path, sizeof(path), "%s/report.md", o.dir);
    if (!(d.md = fopen(path, "w"))) {
        bl_error("%s: %s", path, strerror(errno));
        goto out;
    }
    if (o.html) {
        snprintf(path, sizeof(path), "%s/report.html", o.dir);
        if (!(d.html = fopen(path, "w"))) {
            bl_error("%s: %s", path, strerror(errno));
            goto out;
        }
        fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Boot report</title>\n"
              "<style>body{font-family:sans-serif;max-width:72em;margin:2em auto}"
              "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;"
              "text-align:right}.t{text-align:left}img{max-width:100%}"
              "</style></head><body>\n", d.html);
    }

    const char *const *labels = (const char *const *)o.labels;
    char text[1024], file[128], alt[300];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(file, sizeof(file), "%Y-%m-%d %H:%M UTC", &tm);
    heading(&d, 1, "Boot report");
    snprintf(text, sizeof(text), "Generated by bootlog %s on %s from %s. Times in ms; sd is the sample "
             "standard deviation; shares are of the mean whole boot.", BOOTLOG_VERSION, file,
             bl_db_path(o.db));
    para(&d, text);

    heading(&d, 2, "What was measured");
    for (size_t l = 0; l < o.n_labels; l++)
        if (measured(&d, db, labels[l], ids[l], nids[l]) < 0)
            goto out;

    heading(&d, 2, "Whole boot and phases");
    for (size_t l = 0; l < o.n_labels; l++) {
        heading(&d, 3, labels[l]);
        if (phase_table(&d, db, ids[l], nids[l]) < 0)
            goto out;
    }
    if (chart(&d, db, "phases", "phases.png", "mean phases per label", labels, o.n_labels, NULL, 0, 20) < 0)
        goto out;
    if (o.n_labels > 1 &&
        chart(&d, db, "range", "range.png", "whole boot per label", labels, o.n_labels, NULL, 0, 20) < 0)
        goto out;
    if (chart(&d, db, "timeline", "timeline.png", "timeline of the first boot", NULL, 0, ids[0], 1, 15) < 0)
        goto out;

    heading(&d, 2, "Top initcalls");
    for (size_t l = 0; l < o.n_labels; l++) {
        heading(&d, 3, labels[l]);
        if (top_table(&d, db, ids[l], nids[l]) < 0)
            goto out;
        snprintf(file, sizeof(file), "top-initcalls-%zu.png", l + 1);
        snprintf(alt, sizeof(alt), "slowest initcalls of %s", labels[l]);
        if (chart(&d, db, "top-initcalls", file, alt, &labels[l], 1, NULL, 0, 20) < 0)
            goto out;
    }

    heading(&d, 2, "Comparison");
    if (o.n_labels < 2) {
        para(&d, "One label: nothing to compare.");
    }
    for (size_t l = 1; l < o.n_labels; l++) {
        snprintf(text, sizeof(text), "%s (A) against %s (B)", labels[0], labels[l]);
        heading(&d, 3, text);
        para(&d, "Welch's t-test; the p-values of phases and initcalls are adjusted for how many were "
                 "compared (Benjamini-Hochberg); the totals and the significant rows (p < 0.05).");
        if (compare_table(&d, db, ids[0], nids[0], ids[l], nids[l]) < 0)
            goto out;
        const char *pair[2] = { labels[0], labels[l] };
        snprintf(file, sizeof(file), "compare-%zu.png", l + 1);
        snprintf(alt, sizeof(alt), "%s against %s", labels[0], labels[l]);
        if (chart(&d, db, "compare", file, alt, pair, 2, NULL, 0, 15) < 0)
            goto out;
    }

    heading(&d, 2, "Console (UART)");
    para(&d, "The console's estimated cost per byte, the time the console took, and Run /init as "
             "measured and as predicted without console output (bootlog uart; means over the boots "
             "with an estimate).");
    if (uart_table(&d, db, labels, o.n_labels) < 0)
        goto out;
    if (d.html)
        fputs("</body></html>\n", d.html);
    status = BL_EXIT_OK;
out:
    for (size_t l = 0; ids && l < o.n_labels; l++)
        free(ids[l]);
    free(ids);
    free(nids);
    if (d.md && fclose(d.md) != 0 && status == BL_EXIT_OK) {
        bl_error("%s/report.md: %s", o.dir, strerror(errno));
        status = BL_EXIT_ERROR;
    }
    if (d.html && fclose(d.html) != 0 && status == BL_EXIT_OK) {
        bl_error("%s/report.html: %s", o.dir, strerror(errno));
        status = BL_EXIT_ERROR;
    }
    if (status != BL_EXIT_OK && d.md) {     /* no half report is left to be pasted */
        snprintf(path, sizeof(path), "%s/report.md", o.dir);
        unlink(path);
        snprintf(path, sizeof(path), "%s/report.html", o.dir);
        unlink(path);
    }
    if (status == BL_EXIT_OK)
        printf("%s/report.md%s\n", o.dir, o.html ? " and report.html" : "");
    for (size_t l = 0; l < o.n_labels; l++)
        free(o.labels[l]);
    free(o.labels);
    bl_db_close(db);
    return status;
}
