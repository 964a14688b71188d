/* report.c: see report.h. */
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "output.h"
#include "parser.h"
#include "phases.h"
#include "kcost.h"
#include "plots.h"
#include "rank.h"
#include "select.h"
#include "stats.h"
#include "store.h"
#include "uart.h"
#include "util.h"

#ifndef BOOTLOG_VERSION
#define BOOTLOG_VERSION "unknown"
#endif

/* How many rows the report's tables and charts show. */
#define TOP_ROWS 10
#define COMPARE_ROWS 20

/* The two documents being written. */
struct doc {
    FILE *md, *html;
    const char *dir;
    struct bl_db *db;
    const struct bl_user_phases *user;   /* --phase, --phases */
    const size_t *pairs;                 /* --pair: A and B as indices into labels */
    size_t n_pairs;
};

static void heading(struct doc *d, int level, const char *text)
{
    fprintf(d->md, "%s%.*s ", level > 1 ? "\n" : "", level, "######");
    bl_markdown_text(d->md, text);
    fputs("\n\n", d->md);
    if (d->html) {
        fprintf(d->html, "<h%d>", level);
        bl_html_text(d->html, text);
        fprintf(d->html, "</h%d>\n", level);
    }
}

static void para(struct doc *d, const char *text)
{
    bl_markdown_text(d->md, text);
    fputs("\n\n", d->md);
    if (d->html) {
        fputs("<p>", d->html);
        bl_html_text(d->html, text);
        fputs("</p>\n", d->html);
    }
}

/* Prints a table in both documents, and frees it. */
static void table(struct doc *d, struct bl_table *t)
{
    bl_table_print(t, BL_OUT_MARKDOWN, d->md);
    if (d->html)
        bl_table_print(t, BL_OUT_HTML, d->html);
    bl_table_free(t);
}

/* Copies an SVG into the page, without its XML declaration (which HTML
 * does not take inside a document). */
static void inline_svg(FILE *out, const char *path)
{
    FILE *f = fopen(path, "rb");
    char buf[8192];
    size_t n;
    bool first = true;
    if (!f)
        return;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        const char *p = buf;
        if (first && n > 5 && memcmp(buf, "<?xml", 5) == 0) {
            const char *end = memchr(buf, '>', n);
            if (end)
                p = end + 1;
        }
        first = false;
        fwrite(p, 1, n - (size_t)(p - buf), out);
    }
    fclose(f);
}

/* Draws a chart into DIR/file and links it. */
static int chart(struct doc *d, const char *kind, const char *file, const char *alt, const char *const *labels,
                 size_t n_labels, const int64_t *boots, size_t n_boots, int64_t rows, bool by_config)
{
    struct bl_plot_args a = { .n = rows, .by_config = by_config };
    void *owned = NULL;
    char what[512], path[4096];
    char *argv[] = { (char *)"report", (char *)"--chart", (char *)kind, NULL };
    int rc;

    snprintf(path, sizeof(path), "%s/%s", d->dir, file);
    rc = bl_plot_select(d->db, labels, n_labels, boots, n_boots, &a, what, sizeof(what), &owned);
    if (rc == 0)
        rc = bl_plot_draw(d->db, kind, &a, path, 3, argv);
    bl_plot_select_free(owned);
    if (rc < 0)
        return -1;
    fprintf(d->md, "![%s](%s)\n\n", alt, file);
    if (d->html) {
        /* the page's charts are gnuplot's interactive SVG, inline: a
         * reviewer hovers a bar to read its figures */
        char svg[4096];
        snprintf(svg, sizeof(svg), "%.*s.svg", (int)(strlen(path) - 4), path);
        rc = bl_plot_select(d->db, labels, n_labels, boots, n_boots, &a, what, sizeof(what), &owned);
        if (rc == 0)
            rc = bl_plot_draw(d->db, kind, &a, svg, 3, argv);
        bl_plot_select_free(owned);
        if (rc < 0)
            return -1;
        fputs("<figure>", d->html);
        inline_svg(d->html, svg);
        fputs("<figcaption>", d->html);
        bl_html_text(d->html, alt);
        fputs("</figcaption></figure>\n", d->html);
    }
    return 0;
}

/* --------------------------------------------------------------- parts */

static const struct bl_col measured_cols[] = {
    { "boot", NULL, BL_COL_INT, 0, BL_COL_TABLE },
    { "kernel", NULL, BL_COL_STR, 0, BL_COL_TABLE },
    { "source", NULL, BL_COL_STR, 0, BL_COL_TABLE },
    { "lines", NULL, BL_COL_INT, 0, BL_COL_TABLE },
    { "initcalls", NULL, BL_COL_INT, 0, BL_COL_TABLE },
    { "whole boot ms", NULL, BL_COL_US, 0, BL_COL_TABLE },
    { "Run /init ms (printk)", NULL, BL_COL_US, 0, BL_COL_TABLE },
    { "incomplete", NULL, BL_COL_STR, 0, BL_COL_TABLE },
};

static int measured(struct doc *d, const char *label, const int64_t *ids, size_t n)
{
    struct bl_table *t = bl_table_new(measured_cols, (int)(sizeof(measured_cols) / sizeof(measured_cols[0])));
    char cmdline[512] = "", command[700] = "", text[1400];
    for (size_t i = 0; i < n; i++) {
        struct bl_boot_info b;
        if (bl_store_boot(d->db, ids[i], &b) <= 0) {
            bl_table_free(t);
            return -1;
        }
        int64_t len;
        if (bl_boot_length_ns(d->db, ids[i], &len) < 0) {
            bl_store_boot_free(&b);
            bl_table_free(t);
            return -1;
        }
        bl_table_int(t, b.id);
        bl_table_str(t, b.kernel_version);
        bl_table_str(t, b.source);
        bl_table_int(t, b.lines);
        bl_table_int(t, b.initcalls);
        bl_table_opt_num(t, len == BL_NONE ? BL_NONE : len / 1000);
        bl_table_opt_num(t, b.userspace_printk_us);
        bl_table_str(t, b.incomplete);
        if (!cmdline[0] && b.kernel_cmdline)
            snprintf(cmdline, sizeof(cmdline), "%s", b.kernel_cmdline);
        if (!command[0] && b.command)
            snprintf(command, sizeof(command), "%s", b.command);
        bl_store_boot_free(&b);
    }
    snprintf(text, sizeof(text), "%s: %zu boot%s; kernel command line: %s%s%s", label, n, n == 1 ? "" : "s",
             cmdline[0] ? cmdline : "-", command[0] ? "; command: " : "", command);
    para(d, text);
    table(d, t);
    return 0;
}

/* The whole boot and each phase over a label's boots, as bootlog phases
 * shows them. */
static int phase_table(struct doc *d, const int64_t *ids, size_t n)
{
    struct bl_phase_stats ps;
    char text[200];
    if (bl_phase_stats(d->db, ids, n, false, d->user, &ps) < 0)
        return -1;
    if (ps.length.n)
        snprintf(text, sizeof(text), "Whole boot: %.3f ms, sd %.3f ms, over %zu boot%s.", ps.length.mean / 1000.0,
                 ps.length.sd / 1000.0, ps.length.n, ps.length.n == 1 ? "" : "s");
    else
        snprintf(text, sizeof(text), "Whole boot: not known (no host stamps, exit or printk times).");
    para(d, text);
    table(d, bl_phase_table(&ps));
    bl_phase_stats_free(&ps);
    return 0;
}

/* The slowest initcalls (or options), as bootlog top-initcalls shows them. */
static int top_table(struct doc *d, const int64_t *ids, size_t n, bool by_config)
{
    struct bl_ranking rk;
    if (bl_rank_initcalls(d->db, ids, n, false, by_config, &rk) < 0)
        return -1;
    table(d, bl_rank_table(&rk, n, TOP_ROWS));
    bl_ranking_free(&rk);
    return 0;
}

/* The words of b that a lacks, "+w +w", into out. */
static void words_missing(const char *a, const char *b, const char *sign, char *out, size_t size)
{
    char **wa = bl_split_words(a ? a : "", "report"), **wb = bl_split_words(b ? b : "", "report");
    size_t o = strlen(out);
    for (size_t i = 0; wb && wb[i]; i++) {
        bool found = false;
        for (size_t j = 0; wa && wa[j] && !found; j++)
            found = strcmp(wa[j], wb[i]) == 0;
        if (!found && o + strlen(wb[i]) + 3 < size)
            o += (size_t)snprintf(out + o, size - o, "%s%s%s", o ? " " : "", sign, wb[i]);
    }
    bl_words_free(wa);
    bl_words_free(wb);
}

/* What differs between two labels' first boots: kernel command line and
 * capture command, word by word. */
static int differences(struct doc *d, int64_t a, int64_t b)
{
    struct bl_boot_info x, y;
    char cmdline[600] = "", command[600] = "", text[1400];
    if (bl_store_boot(d->db, a, &x) <= 0)
        return -1;
    if (bl_store_boot(d->db, b, &y) <= 0) {
        bl_store_boot_free(&x);
        return -1;
    }
    words_missing(x.kernel_cmdline, y.kernel_cmdline, "+", cmdline, sizeof(cmdline));
    words_missing(y.kernel_cmdline, x.kernel_cmdline, "-", cmdline, sizeof(cmdline));
    words_missing(x.command, y.command, "+", command, sizeof(command));
    words_missing(y.command, x.command, "-", command, sizeof(command));
    snprintf(text, sizeof(text), "What differs (B against A): kernel command line: %s; command: %s.",
             cmdline[0] ? cmdline : "the same", command[0] ? command : "the same");
    para(d, text);
    bl_store_boot_free(&x);
    bl_store_boot_free(&y);
    return 0;
}

/* A warning of bl_compare_warnings, as a paragraph. */
static void warn(void *ctx, const char *text)
{
    char line[600];
    snprintf(line, sizeof(line), "Warning: %s.", text);
    para(ctx, line);
}

/* The totals and the significant changes, as bootlog compare shows them. */
static int compare_table(struct doc *d, const int64_t *a, size_t na, const int64_t *b, size_t nb,
                         const char *const names[2])
{
    struct bl_comparison cmp;
    if (bl_compare(d->db, a, na, b, nb, d->user, false, &cmp) < 0 || (na && nb && differences(d, a[0], b[0]) < 0))
        return -1;
    para(d, cmp.paired ? "The runs were captured interleaved and are paired by round: the paired t-test."
                       : "Welch's t-test (the runs are not paired).");
    table(d, bl_compare_table(&cmp, false, COMPARE_ROWS));
    const int64_t *const sides[2] = { a, b };
    const size_t n[2] = { na, nb };
    int rc = bl_compare_warnings(d->db, sides, n, names, cmp.paired, warn, d);
    bl_comparison_free(&cmp);
    if (rc < 0)
        return -1;
    return 0;
}

/* Per label: bootlog uart's means over its boots (or its one boot). */
static int uart_table(struct doc *d, const char *const *labels, int64_t *const *ids, const size_t *n_ids,
                      size_t n_labels)
{
    struct bl_uart_row *means = bl_xmalloc(n_labels * sizeof(*means));
    char text[600];
    for (size_t l = 0; l < n_labels; l++) {
        struct bl_uart_row *rows;
        size_t n, estimated = 0;
        if (bl_uart_rows(d->db, ids[l], n_ids[l], NAN, &rows, &n) < 0) {
            free(rows);
            free(means);
            return -1;
        }
        for (size_t i = 0; i < n_ids[l]; i++)
            estimated += !isnan(rows[i].v[BL_UART_US_PER_CHAR]);
        means[l] = rows[n - 1];
        free(rows);
        snprintf(text, sizeof(text), "%s: an estimate for %zu of %zu boots.", labels[l], estimated, n_ids[l]);
        para(d, text);
    }
    table(d, bl_uart_table(means, n_labels));
    free(means);
    return 0;
}

/* ------------------------------------------------------------- the whole */

static int open_docs(struct doc *d, bool html)
{
    char path[4096];
    if (mkdir(d->dir, 0777) < 0 && errno != EEXIST) {
        bl_error("%s: %s", d->dir, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof(path), "%s/report.md", d->dir);
    if (!(d->md = fopen(path, "w"))) {
        bl_error("%s: %s", path, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof(path), "%s/report.html", d->dir);
    if (html && !(d->html = fopen(path, "w"))) {
        bl_error("%s: %s", path, strerror(errno));
        return -1;
    }
    if (d->html)
        fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Boot report</title>\n"
              "<style>body{font-family:sans-serif;max-width:72em;margin:2em auto}"
              "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;"
              "text-align:right}.t{text-align:left}img{max-width:100%}"
              "</style></head><body>\n", d->html);
    return 0;
}

/* Closes the documents; a report that failed is removed, so that no half
 * report is left to be pasted. */
static int close_docs(struct doc *d, int rc)
{
    char path[4096];
    if (d->html)
        fputs("</body></html>\n", d->html);
    if (d->md && fclose(d->md) != 0 && rc == 0) {
        bl_error("%s/report.md: %s", d->dir, strerror(errno));
        rc = -1;
    }
    if (d->html && fclose(d->html) != 0 && rc == 0) {
        bl_error("%s/report.html: %s", d->dir, strerror(errno));
        rc = -1;
    }
    if (rc < 0 && d->md) {
        snprintf(path, sizeof(path), "%s/report.md", d->dir);
        unlink(path);
        snprintf(path, sizeof(path), "%s/report.html", d->dir);
        unlink(path);
    }
    return rc;
}

/* The sections, one after the other. */
static int write_sections(struct doc *d, const char *db_path, const char *const *labels, int64_t *const *ids,
                          const size_t *nids, size_t n)
{
    char text[1024], file[128], alt[300];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(file, sizeof(file), "%Y-%m-%d %H:%M UTC", &tm);
    heading(d, 1, "Boot report");
    snprintf(text, sizeof(text), "Generated by bootlog %s on %s from %s. Times in ms; sd is the sample "
             "standard deviation; shares are of the mean whole boot.", BOOTLOG_VERSION, file, db_path);
    para(d, text);

    heading(d, 2, "What was measured");
    for (size_t l = 0; l < n; l++)
        if (measured(d, labels[l], ids[l], nids[l]) < 0)
            return -1;

    heading(d, 2, "Whole boot and phases");
    for (size_t l = 0; l < n; l++) {
        heading(d, 3, labels[l]);
        if (phase_table(d, ids[l], nids[l]) < 0)
            return -1;
    }
    /* the timeline of the first boot that has one (a boot without timestamps has none) */
    const int64_t *first = NULL;
    for (size_t l = 0; l < n && !first; l++)
        for (size_t k = 0; k < nids[l] && !first; k++) {
            int t = bl_store_timeless(d->db, ids[l][k]);
            if (t < 0)
                return -1;
            first = t ? NULL : &ids[l][k];
        }
    if (chart(d, "phases", "phases.png", "mean phases per label", labels, n, NULL, 0, 20, false) < 0 ||
        (n > 1 && chart(d, "range", "range.png", "whole boot per label", labels, n, NULL, 0, 20, false) < 0) ||
        (first && chart(d, "timeline", "timeline.png", "timeline of the first boot with timestamps", NULL, 0,
                        first, 1, 15, false) < 0))
        return -1;
    if (!first)
        para(d, "No boot here has timestamps (no printk or host stamp on any line): no timeline; the "
                "initcalls below are the durations the kernel reported.");

    heading(d, 2, "Top initcalls");
    for (size_t l = 0; l < n; l++) {
        heading(d, 3, labels[l]);
        snprintf(file, sizeof(file), "top-initcalls-%zu.png", l + 1);
        snprintf(alt, sizeof(alt), "slowest initcalls of %s", labels[l]);
        if (top_table(d, ids[l], nids[l], false) < 0 ||
            chart(d, "top-initcalls", file, alt, &labels[l], 1, NULL, 0, 20, false) < 0)
            return -1;
    }

    heading(d, 2, "What the options cost");
    para(d, "The initcalls summed per kernel option that built them (bootlog kconfig's mapping): what "
            "turning an option off can save at most. " BL_KCOST_ESTIMATE);
    for (size_t l = 0; l < n; l++) {
        heading(d, 3, labels[l]);
        int64_t unmapped = bl_store_kconfig_unmapped(d->db, ids[l], nids[l]);
        if (unmapped < 0 || (nids[l] && !unmapped && bl_store_kconfig_source(d->db, ids[l][0], text, sizeof(text)) < 0))
            return -1;
        if (unmapped) {
            snprintf(text, sizeof(text), "Boot %lld is not mapped to kernel options: run bootlog kconfig "
                     "--source DIR --label %s.", (long long)unmapped, labels[l]);
            para(d, text);
            continue;
        }
        char mapped[1200];
        snprintf(mapped, sizeof(mapped), "Mapped with %s.", text);
        para(d, mapped);
        snprintf(file, sizeof(file), "options-%zu.png", l + 1);
        snprintf(alt, sizeof(alt), "costliest kernel options of %s", labels[l]);
        if (top_table(d, ids[l], nids[l], true) < 0 ||
            chart(d, "top-initcalls", file, alt, &labels[l], 1, NULL, 0, 20, true) < 0)
            return -1;
    }

    heading(d, 2, "Comparison");
    if (n < 2)
        para(d, "One label: nothing to compare.");
    /* the pairs asked for (A B, by index into labels), else the first against each other */
    size_t n_cmp = d->n_pairs ? d->n_pairs : n > 0 ? n - 1 : 0;
    for (size_t c = 0; c < n_cmp; c++) {
        size_t k = d->n_pairs ? d->pairs[2 * c] : 0, l = d->n_pairs ? d->pairs[2 * c + 1] : c + 1;
        const char *pair[2] = { labels[k], labels[l] };
        snprintf(text, sizeof(text), "%s (A) against %s (B)", labels[k], labels[l]);
        heading(d, 3, text);
        para(d, "The p-values of phases and initcalls are adjusted for how many were compared "
                "(Benjamini-Hochberg); the totals and the significant rows (" BL_SIGNIFICANCE_TEXT ").");
        snprintf(file, sizeof(file), "compare-%zu.png", c + 2);
        snprintf(alt, sizeof(alt), "%s against %s", labels[k], labels[l]);
        if (compare_table(d, ids[k], nids[k], ids[l], nids[l], pair) < 0 || chart(d, "compare", file, alt, pair, 2, NULL, 0, 15, false) < 0)
            return -1;
    }

    heading(d, 2, "Console (UART)");
    para(d, "The console's estimated cost per byte, the time the console took, and Run /init as "
            "measured and as predicted without console output (bootlog uart; means over the boots "
            "with an estimate).");
    return uart_table(d, labels, ids, nids, n);
}

int bl_report_write(struct bl_db *db, const char *db_path, const char *const *labels, size_t n, const char *dir,
                    const struct bl_user_phases *user, const size_t *pairs, size_t n_pairs, bool html)
{
    struct doc d = { .dir = dir, .db = db, .user = user, .pairs = pairs, .n_pairs = n_pairs };
    int64_t **ids = calloc(n, sizeof(*ids));
    size_t *nids = calloc(n, sizeof(*nids));
    int rc = -1;

    if (!ids || !nids)
        abort();
    for (size_t l = 0; l < n; l++)   /* every label resolved before anything is written */
        if (bl_label_boots(db, labels[l], &ids[l], &nids[l]) < 0)
            goto out;
    if (open_docs(&d, html) == 0)
        rc = write_sections(&d, db_path, labels, ids, nids, n);
    rc = close_docs(&d, rc);
out:
    for (size_t l = 0; l < n; l++)
        free(ids[l]);
    free(ids);
    free(nids);
    return rc;
}
