/*
 * plots.c: the charts, each written as a gnuplot script (gnuplot.h) from
 * what the database holds. Used by `bootlog plot` and `bootlog report`.
 */
#include "plots.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "clock.h"
#include "db.h"
#include "gaps.h"
#include "parser.h"
#include "output.h"
#include "phases.h"
#include "rank.h"
#include "select.h"
#include "store.h"
#include "stats.h"
#include "trend.h"
#include "uart.h"
#include "util.h"

static const char *const kinds[] = {
    "top-initcalls", "timeline", "phases", "compare", "range", "trend", "uart", "histogram", NULL,
};

bool bl_plot_kind_known(const char *kind)
{
    char known[256] = "";
    for (size_t k = 0; kinds[k]; k++) {
        if (strcmp(kinds[k], kind) == 0)
            return true;
        snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s", k ? ", " : "", kinds[k]);
    }
    bl_error("plot: unknown kind '%s'; kinds: %s", kind, known);
    return false;
}

/* The tics of an axis that names its positions 0, 1, ...: `(NAME 0, ...)`. */
static void name_tics(FILE *f, const char *const *names, size_t n)
{
    fputc('(', f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        bl_plot_text(f, names[i], BL_PLOT_NAME_MAX);
        fprintf(f, " %zu", i);
    }
    fputc(')', f);
}

/* Common settings of horizontal bar charts whose y axis names rows:
 * `names` from the top, with room on the left for the longest (up to
 * BL_PLOT_NAME_MAX). */
static void name_axis(FILE *f, char **names, size_t n)
{
    /* in the font's average widths: a capital is about a third wider
     * (kernel options are all capitals) */
    size_t longest = 10;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]), caps = 0;
        for (size_t k = 0; k < len && k < BL_PLOT_NAME_MAX; k++)
            caps += isupper((unsigned char)names[i][k]) != 0;
        size_t width = (len < BL_PLOT_NAME_MAX ? len : BL_PLOT_NAME_MAX) + (caps + 2) / 3;
        if (width > longest)
            longest = width;
    }
    /* the first row at the top: the range runs downwards */
    fprintf(f, "set lmargin %zu\nset yrange [%zu.5:-0.5]\nset ytics scale 0 ", longest + 2,
            n ? n - 1 : 0);
    name_tics(f, (const char *const *)names, n);
    fputs("\nset grid xtics\nset style fill solid 0.7 border -1\nset key bottom right\n", f);
}

static void title(FILE *f, const char *prefix, const char *what)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "%s%s", prefix, what);
    fputs("set title ", f);
    bl_plot_text(f, buf, BL_PLOT_TITLE_MAX);
    fputc('\n', f);
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* ------------------------------------------------------- top-initcalls */

static int plot_top(struct bl_db *db, const struct bl_plot_args *a, struct bl_plot *p)
{
    struct bl_ranking rk;
    if (bl_rank_initcalls(db, a->ids, a->n_ids, a->corrected, a->by_config, &rk) < 0)
        return -1;
    size_t n = a->n == 0 || rk.n < (size_t)a->n ? rk.n : (size_t)a->n;   /* 0: all */
    char **names = bl_xmalloc((n ? n : 1) * sizeof(*names));
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(rk.rows[i].function) + (rk.rows[i].module ? strlen(rk.rows[i].module) : 0) + 4;
        names[i] = bl_xmalloc(len);
        bl_initcall_name(names[i], len, rk.rows[i].function, rk.rows[i].module);
    }
    title(p->f, a->by_config ? (a->corrected ? "Costliest kernel options without the console's cost: "
                                             : "Costliest kernel options (their initcalls): ")
          : a->corrected ? "Slowest initcalls without the console's cost: " : "Slowest initcalls: ",
          a->what);
    fprintf(p->f, "set xlabel %s\n", a->n_ids > 1 ? "'ms, mean over the boots that ran it (bars: sample sd)'"
                                                  : "'ms, as the kernel reported'");
    name_axis(p->f, names, n);
    for (size_t i = 0; i < n; i++) {
        const struct bl_rank_row *r = &rk.rows[i];
        char tip[600];
        snprintf(tip, sizeof(tip), "%.300s\nmodule %.100s\nmean %.3f ms, sd %.3f ms\n%zu boot%s, %lld call%s",
                 r->function, r->module ? r->module : "(built in)", r->s.mean / 1000.0, r->s.sd / 1000.0, r->s.n,
                 r->s.n == 1 ? "" : "s", (long long)r->calls, r->calls == 1 ? "" : "s");
        bl_plot_hover(p, r->s.mean / 2000.0, (double)i, tip);
    }
    fputs("$data << EOD\n", p->f);
    for (size_t i = 0; i < n; i++)
        fprintf(p->f, "%zu %.3f %.3f\n", i, rk.rows[i].s.mean / 1000.0, rk.rows[i].s.sd / 1000.0);
    fputs("EOD\nset xrange [0:*]\n"
          "plot $data using ($2/2):1:($2/2):(0.35) with boxxyerror lc rgb '#4878a8' notitle", p->f);
    if (a->n_ids > 1)
        fputs(", \\\n     $data using 2:1:3 with xerrorbars pt -1 lc rgb 'black' notitle", p->f);
    fputc('\n', p->f);
    free_names(names, n);
    bl_ranking_free(&rk);
    return 0;
}

/* ------------------------------------------------------------ timeline */

/* Colours (RGB) of the timeline: firmware blue, kernel orange, userspace
 * green, initcalls grey. */
enum { BLUE = 0x4878a8, ORANGE = 0xe08a3c, GREEN = 0x5aa05a, GREY = 0x9a9a9a, PLUM = 0x9467bd };

static int colour_of(const char *name)
{
    if (strncmp(name, "vmm", 3) == 0 || strncmp(name, "firmware", 8) == 0)
        return BLUE;
    if (strncmp(name, "kernel", 6) == 0)
        return ORANGE;
    if (strncmp(name, "userspace", 9) == 0 || strncmp(name, "shutdown", 8) == 0)
        return GREEN;
    return PLUM;
}

/* A row of the timeline chart: from s to e ms, in a colour. */
struct timeline_row {
    double s, e;
    int colour;
};

/* Where plot_timeline's initcalls go. */
struct timeline_rows {
    char ***names;
    size_t *n, *cap;
    struct timeline_row **rows;
    size_t *n_rows, *cap_rows;
    struct bl_clock_fit fit;     /* printk on the host clock; host false: k0_ns 0, rate 1 */
};

static void timeline_call(void *ctx, const char *function, int64_t start_us, int64_t end_us)
{
    struct timeline_rows *t = ctx;
    struct timeline_row **rows = t->rows;
    BL_PUSH(*t->names, *t->n, *t->cap, bl_xstrdup(function));
    if (*t->n_rows == *t->cap_rows) {
        *t->cap_rows = *t->cap_rows ? 2 * *t->cap_rows : 64;
        *rows = bl_xrealloc(*rows, *t->cap_rows * sizeof(**rows));
    }
    (*rows)[(*t->n_rows)++] = (struct timeline_row){ (double)bl_clock_host_ns(&t->fit, start_us) / 1e6,
                                                     (double)bl_clock_host_ns(&t->fit, end_us) / 1e6, GREY };
}

/* The console's sending of each live line, from its arrival back. */
struct console_out {
    FILE *f;
    double ns_per_char;
};

static int console_line(void *ctx, const struct bl_line_row *l)
{
    struct console_out *c = ctx;
    if (l->host_ns != BL_NONE) {
        double end = (double)l->host_ns / 1e6;
        double len = (double)(l->chars == BL_NONE ? 0 : l->chars) * c->ns_per_char / 1e6;
        fprintf(c->f, "%.4f %.4f\n", end - len, end);
    }
    return 0;
}

/* The lanes of plot timeline: every timed call of a task (pid). */
struct lanes {
    struct bl_clock_fit fit;
    struct { int64_t pid; bool async; double s, e; char *function; size_t row; } *boxes;
    size_t n, cap;
    size_t tasks;                /* pids other than 0 */
};

static void lanes_free(struct lanes *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->boxes[i].function);
    free(l->boxes);
}

static void lane_call(void *ctx, int64_t pid, bool async, const char *function, int64_t start_us, int64_t end_us)
{
    struct lanes *l = ctx;
    if (pid == 0)                /* start_kernel's console initcalls, before any task */
        return;
    if (l->n == 0 || l->boxes[l->n - 1].pid != pid)
        l->tasks++;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->boxes = bl_xrealloc(l->boxes, l->cap * sizeof(*l->boxes));
    }
    l->boxes[l->n].pid = pid;
    l->boxes[l->n].async = async;
    l->boxes[l->n].function = bl_xstrdup(function);
    l->boxes[l->n].s = (double)bl_clock_host_ns(&l->fit, start_us) / 1e6;
    l->boxes[l->n++].e = (double)bl_clock_host_ns(&l->fit, end_us) / 1e6;
}

static int plot_timeline(struct bl_db *db, const struct bl_plot_args *a, struct bl_plot *p)
{
    int64_t boot = a->ids[0], total;
    struct bl_phase *ph;
    size_t n_ph, n = 0, cap = 0;
    bool host;
    char **names = NULL;
    struct timeline_row *rows = NULL;
    size_t cap_rows = 0, n_rows = 0;

    int timeless = bl_store_timeless(db, boot);
    if (timeless != 0) {
        if (timeless > 0)
            bl_error("plot timeline: boot %lld has " BL_TIMELESS ": no "
                     "timeline can be told of it; 'plot top-initcalls' draws its reported durations",
                     (long long)boot);
        return -1;
    }
    if (bl_boot_phases(db, boot, a->corrected, a->user ? a->user->v : NULL, a->user ? a->user->n : 0, &ph, &n_ph,
                       &total, &host) < 0)
        return -1;
    for (size_t i = 0; i < n_ph; i++) {
        char name[80];
        if (!ph[i].placed)       /* a duration only: no place to draw it */
            continue;
        snprintf(name, sizeof(name), "%s%s", ph[i].depth ? "  " : "", ph[i].name);
        BL_PUSH(names, n, cap, bl_xstrdup(name));
        if (n_rows == cap_rows) {
            cap_rows = cap_rows ? 2 * cap_rows : 64;
            rows = bl_xrealloc(rows, cap_rows * sizeof(*rows));
        }
        rows[n_rows].s = (double)ph[i].start_ns / 1e6;
        rows[n_rows].e = (double)ph[i].end_ns / 1e6;
        rows[n_rows++].colour = colour_of(ph[i].name);
    }
    free(ph);

    /* the longest initcalls, where they ran */
    struct timeline_rows tr = { &names, &n, &cap, &rows, &n_rows, &cap_rows, { .k0_ns = 0, .rate = 1.0 } };
    if ((host && bl_clock_fit(db, boot, &tr.fit) < 0) ||
        bl_store_longest_initcalls(db, boot, a->n, timeline_call, &tr) < 0) {
        free_names(names, n);
        free(rows);
        return -1;
    }

    /* the longest gaps no initcall covers, named by a line in them (gaps.c) */
    struct bl_gap *gaps;
    size_t n_gaps;
    if (bl_gaps(db, &boot, 1, &gaps, &n_gaps) < 0) {
        free_names(names, n);
        free(rows);
        return -1;
    }
    for (size_t i = 0; i < n_gaps && i < 3; i++) {
        char name[200];
        snprintf(name, sizeof(name), "gap: %s", gaps[i].inside[0] ? gaps[i].inside : gaps[i].before);
        BL_PUSH(names, n, cap, bl_xstrdup(name));
        struct timeline_row r = { (double)bl_clock_host_ns(&tr.fit, gaps[i].start_us) / 1e6,
                                  (double)bl_clock_host_ns(&tr.fit, gaps[i].end_us) / 1e6, PLUM };
        BL_PUSH(rows, n_rows, cap_rows, r);
    }
    free(gaps);

    /* the initcalls and async entries by the task that ran them, a lane
     * each (bootgraph.pl's rows), when more than one task ran them:
     * parallel work side by side (start_kernel's "@ 0" aside) */
    struct lanes ln = { .fit = tr.fit };
    if (bl_store_task_calls(db, boot, lane_call, &ln) < 0) {
        free_names(names, n);
        free(rows);
        lanes_free(&ln);
        return -1;
    }
    size_t n_lanes = 0;
    if (ln.tasks > 1)
        for (size_t i = 0; i < ln.n; i++)
            if (i == 0 || ln.boxes[i].pid != ln.boxes[i - 1].pid) {
                char name[64];
                size_t calls = 0;
                for (size_t j = i; j < ln.n && ln.boxes[j].pid == ln.boxes[i].pid; j++)
                    calls++;
                snprintf(name, sizeof(name), "task @ %lld (%zu call%s)", (long long)ln.boxes[i].pid, calls,
                         calls == 1 ? "" : "s");
                for (size_t j = i; j < i + calls; j++)
                    ln.boxes[j].row = n;      /* the lane's row of the chart */
                BL_PUSH(names, n, cap, bl_xstrdup(name));
                n_lanes++;
            }

    /* console output: each live line's sending time, when the UART is known */
    struct bl_uart u;
    int estimated = host ? bl_uart_load(db, boot, &u) : 0;
    bool console = estimated > 0;
    if (estimated < 0) {
        free_names(names, n);
        free(rows);
        lanes_free(&ln);
        return -1;
    }
    if (console)
        BL_PUSH(names, n, cap, bl_xstrdup("console output"));

    title(p->f, "Boot timeline: ", a->what);
    fprintf(p->f, "set xlabel %s\n", host ? "'ms since the capture started (host clock)'"
                                          : "'ms since the kernel started (printk clock)'");
    name_axis(p->f, names, n);
    for (size_t i = 0; i < n_rows; i++) {
        char tip[400];
        snprintf(tip, sizeof(tip), "%.200s\n%.3f to %.3f ms\n%.3f ms", names[i][0] == ' ' ? names[i] + 2 : names[i],
                 rows[i].s, rows[i].e, rows[i].e - rows[i].s);
        bl_plot_hover(p, (rows[i].s + rows[i].e) / 2, (double)i, tip);
    }
    fputs("set xrange [0:*]\n$data << EOD\n", p->f);
    for (size_t i = 0; i < n_rows; i++)
        fprintf(p->f, "%zu %.3f %.3f %d\n", i, rows[i].s, rows[i].e, rows[i].colour);
    fputs("EOD\n", p->f);
    if (console) {
        struct console_out co = { p->f, u.ns_per_char };
        fputs("$console << EOD\n", p->f);
        if (bl_store_live_console(db, boot, console_line, &co) < 0) {
            free_names(names, n);
            free(rows);
            lanes_free(&ln);
            return -1;
        }
        fputs("EOD\n", p->f);
    }
    for (size_t i = 0; i < ln.n && n_lanes; i++) {
        char tip[400];
        snprintf(tip, sizeof(tip), "%.300s @ %lld\n%.3f ms", ln.boxes[i].function, (long long)ln.boxes[i].pid,
                 ln.boxes[i].e - ln.boxes[i].s);
        bl_plot_hover(p, (ln.boxes[i].s + ln.boxes[i].e) / 2, (double)ln.boxes[i].row, tip);
    }
    if (n_lanes) {
        fputs("$lanes << EOD\n", p->f);
        for (size_t i = 0; i < ln.n; i++)
            fprintf(p->f, "%zu %.3f %.3f %d\n", ln.boxes[i].row, ln.boxes[i].s, ln.boxes[i].e,
                    ln.boxes[i].async ? PLUM : GREY);
        fputs("EOD\n", p->f);
    }
    fputs("plot $data using (($2+$3)/2):1:2:3:($1-0.4):($1+0.4):4 with boxxyerror lc rgb variable notitle",
          p->f);
    if (n_lanes)
        fputs(", \\\n     $lanes using (($2+$3)/2):1:2:3:($1-0.4):($1+0.4):4 with boxxyerror fs solid 0.5 noborder "
              "lc rgb variable notitle", p->f);
    if (console)
        fprintf(p->f, ", \\\n     $console using (($1+$2)/2):(%zu):1:2:(%zu-0.4):(%zu+0.4) "
                      "with boxxyerror fs solid 0.35 noborder lc rgb 'grey40' notitle",
                n - 1, n - 1, n - 1);
    fputc('\n', p->f);
    free_names(names, n);
    free(rows);
    lanes_free(&ln);
    return 0;
}

/* -------------------------------------------------------------- phases */

/* The boots of label l of a chart's selection, and bl_phase_stats over
 * them; -1 after printing an error. *n is 0 for a label without boots. */
static int label_stats(struct bl_db *db, const struct bl_plot_args *a, size_t l, struct bl_phase_stats *ps, size_t *n)
{
    int64_t *ids = bl_xmalloc((a->n_ids ? a->n_ids : 1) * sizeof(*ids));
    *n = 0;
    for (size_t i = 0; i < a->n_ids; i++)
        if (a->id_label[i] == l)
            ids[(*n)++] = a->ids[i];
    int rc = *n ? bl_phase_stats(db, ids, *n, a->corrected, a->user, ps) : 0;
    if (*n == 0)
        memset(ps, 0, sizeof(*ps));
    free(ids);
    return rc;
}

static int plot_phases(struct bl_db *db, const struct bl_plot_args *a, struct bl_plot *p)
{
    /* the top-level built-in phases: they tile the boot, so they stack */
    const char *order[16];
    size_t N = 0;
    for (size_t k = 0; k < bl_n_builtin_phases && N < 16; k++)
        if (bl_builtin_phases[k].depth == 0)
            order[N++] = bl_builtin_phases[k].name;

    title(p->f, "Mean phases per label: ", a->what);
    fputs("set ylabel 'ms'\nset style data histograms\nset style histogram rowstacked\n"
          "set style fill solid 0.8 border -1\nset boxwidth 0.6\nset key outside right\n"
          "set grid ytics\nset xtics ", p->f);
    name_tics(p->f, a->labels, a->n_labels);
    fputc('\n', p->f);
    /* the rows, kept while the tooltips (commands) are written */
    char *rows = NULL;
    size_t rows_len = 0;
    FILE *data = open_memstream(&rows, &rows_len);
    if (!data)
        abort();
    for (size_t l = 0; l < a->n_labels; l++) {
        struct bl_phase_stats ps;
        size_t n;
        if (label_stats(db, a, l, &ps, &n) < 0) {
            fclose(data);
            free(rows);
            return -1;
        }
        double at = 0;
        for (size_t j = 0; j < N; j++) {
            const struct bl_phase_stat *st = bl_phase_stat_find(&ps, order[j]);
            if (!st)
                continue;
            char tip[400];
            snprintf(tip, sizeof(tip), "%.100s: %s\nmean %.3f ms, sd %.3f ms\n%zu boot%s", a->labels[l], order[j],
                     st->dur.mean / 1000.0, st->dur.sd / 1000.0, st->dur.n, st->dur.n == 1 ? "" : "s");
            bl_plot_hover(p, (double)l, (at + st->dur.mean / 2) / 1000.0, tip);
            at += st->dur.mean;
        }
        fprintf(data, "%zu", l);
        for (size_t j = 0; j < N; j++) {
            const struct bl_phase_stat *st = bl_phase_stat_find(&ps, order[j]);
            fprintf(data, " %.3f", st ? st->dur.mean / 1000.0 : 0.0);
        }
        fputc('\n', data);
        bl_phase_stats_free(&ps);
    }
    fclose(data);
    fprintf(p->f, "$data << EOD\n%sEOD\nplot", rows);
    free(rows);
    for (size_t j = 0; j < N; j++)
        fprintf(p->f, "%s $data using %zu title '%s'", j ? ", \\\n    " : "", j + 2, order[j]);
    fputc('\n', p->f);
    return 0;
}

/* ------------------------------------------------------------- compare */

static int plot_compare(struct bl_db *db, const struct bl_plot_args *a, struct bl_plot *p)
{
    struct bl_comparison cmp;
    size_t na = 0, nb = 0;
    int64_t *ia = bl_xmalloc(a->n_ids * sizeof(*ia)), *ib = bl_xmalloc(a->n_ids * sizeof(*ib));
    for (size_t i = 0; i < a->n_ids; i++) {
        if (a->id_label[i] == 0)
            ia[na++] = a->ids[i];
        else if (a->id_label[i] == 1)
            ib[nb++] = a->ids[i];
    }
    int rc = bl_compare(db, ia, na, ib, nb, a->user, a->by_config, &cmp);
    free(ia);
    free(ib);
    if (rc < 0)
        return -1;

    /* the most changed phases and initcalls */
    size_t n = 0;
    char **names = bl_xmalloc((cmp.n ? cmp.n : 1) * sizeof(*names));
    const struct bl_compare_row **rows = bl_xmalloc((cmp.n ? cmp.n : 1) * sizeof(*rows));
    for (size_t i = 0; i < cmp.n && (a->n == 0 || n < (size_t)a->n); i++) {
        const struct bl_compare_row *r = &cmp.rows[i];
        if (r->kind == BL_CMP_TOTAL)
            continue;
        size_t len = strlen(r->name) + 16;
        names[n] = bl_xmalloc(len);
        snprintf(names[n], len, "%s%s", r->name, bl_compare_significant(r) ? " (*)" : "");
        rows[n++] = r;
    }
    char what[400], la[BL_PLOT_TITLE_LABEL_MAX + 1], lb[BL_PLOT_TITLE_LABEL_MAX + 1];
    bl_elide(la, sizeof(la), a->labels[0], BL_PLOT_TITLE_LABEL_MAX);
    bl_elide(lb, sizeof(lb), a->labels[1], BL_PLOT_TITLE_LABEL_MAX);
    snprintf(what, sizeof(what), "%s (B) - %s (A), (*): " BL_SIGNIFICANCE_TEXT, lb, la);
    title(p->f, "Most changed: ", what);
    fprintf(p->f, "set xlabel \"B - A, ms (bars: 95%% confidence interval, %s)\"\n",
            cmp.paired ? "paired t-test" : "Welch's t-test");
    name_axis(p->f, names, n);
    /* deltas from zero: a large phase does not squash the rest */
    fputs("set xzeroaxis\nset arrow from 0, graph 0 to 0, graph 1 nohead lc rgb 'black'\n$data << EOD\n", p->f);
    for (size_t i = 0; i < n; i++) {
        double low, high;
        if (!bl_compare_interval(rows[i], &low, &high))
            low = high = rows[i]->delta;
        fprintf(p->f, "%zu %.3f %.3f %.3f %d\n", i, rows[i]->delta / 1000.0, low / 1000.0, high / 1000.0,
                rows[i]->kind == BL_CMP_INITCALL || rows[i]->kind == BL_CMP_OPTION);
    }
    fprintf(p->f, "EOD\nplot $data using ($5 == 0 ? $2/2 : 1/0):1:($2/2 < 0 ? -$2/2 : $2/2):(0.35) with boxxyerror "
            "lc rgb '#4878a8' title 'phase', \\\n"
            "     $data using ($5 == 1 ? $2/2 : 1/0):1:($2/2 < 0 ? -$2/2 : $2/2):(0.35) with boxxyerror "
            "lc rgb '#e69138' title '%s', \\\n", a->by_config ? "kernel option" : "initcall");
    fputs("     $data using 2:1:3:4 with xerrorbars pt -1 lc rgb 'black' notitle\n", p->f);
    free_names(names, n);
    free(rows);
    bl_comparison_free(&cmp);
    return 0;
}

/* --------------------------------------------------------------- range */

/* Mean and sd, in seconds, of one label's boots: whole boots, or the
 * phase `phase`. Writes nothing for a label without a value; returns how
 * many boots had one. */
static int range_row(struct bl_db *db, const struct bl_plot_args *a, size_t l, const char *phase, FILE *f)
{
    struct bl_phase_stats ps;
    size_t n;
    if (label_stats(db, a, l, &ps, &n) < 0)
        return -1;
    const struct bl_phase_stat *st = phase ? bl_phase_stat_find(&ps, phase) : NULL;
    const struct bl_summary *s = phase ? (st ? &st->dur : NULL) : &ps.length;
    int k = s ? (int)s->n : 0;
    if (k)
        fprintf(f, "%zu %.4f %.4f\n", l, s->mean / 1e6, s->sd / 1e6);
    bl_phase_stats_free(&ps);
    return k;
}

static int plot_range(struct bl_db *db, const struct bl_plot_args *a, struct bl_plot *p)
{
    int rc = -1, found = 0;
    title(p->f, a->phase ? "Whole boot and phase per label: " : "Whole boot per label: ", a->what);
    fputs("set ylabel 's, mean (bars: sample sd)'\nset grid ytics\nset offsets 0.5, 0.5, 0, 0\n"
          "set yrange [0:*]\nset key top left\nset xtics rotate by -30 ", p->f);
    name_tics(p->f, a->labels, a->n_labels);
    fputs("\n$boot << EOD\n", p->f);
    for (size_t l = 0; l < a->n_labels; l++)
        if (range_row(db, a, l, NULL, p->f) < 0)
            goto out;
    fputs("EOD\n", p->f);
    if (a->phase) {
        fputs("$phase << EOD\n", p->f);
        for (size_t l = 0; l < a->n_labels; l++) {
            int k = range_row(db, a, l, a->phase, p->f);
            if (k < 0)
                goto out;
            found += k;
        }
        fputs("EOD\n", p->f);
        if (!found) {
            bl_error("plot range: no boot has a phase '%s' (see 'bootlog phases')", a->phase);
            goto out;
        }
    }
    fputs("plot $boot using 1:2:3 with yerrorlines lw 2 pt 7 lc rgb '#4878a8' title 'whole boot'", p->f);
    if (a->phase) {
        fputs(", \\\n     $phase using 1:2:3 with yerrorlines lw 2 pt 5 lc rgb '#d65f5f' title ", p->f);
        bl_plot_text(p->f, a->phase, BL_PLOT_NAME_MAX);
    }
    fputc('\n', p->f);
    rc = 0;
out:
    return rc;
}

/* ---------------------------------------------------------------- uart */

/* One live console line's printk time, arrival, and printk time without
 * the console's cost. */
static int uart_point(void *ctx, const struct bl_line_row *l)
{
    struct console_out *c = ctx;
    if (l->printk_us == BL_NONE || l->host_ns == BL_NONE)
        return 0;
    double pk = (double)l->printk_us / 1e6, h = (double)l->host_ns / 1e9;
    int64_t corrected = l->corrected_us == BL_NONE ? l->printk_us : l->corrected_us;
    fprintf(c->f, "%.6f %.6f %.6f\n", pk, h, (double)corrected / 1e6);
    return 0;
}

static int plot_uart(struct bl_db *db, const struct bl_plot_args *a, struct bl_plot *p)
{
    int64_t boot = a->ids[0], k0, last;
    struct bl_uart u;
    int found = bl_uart_load(db, boot, &u);
    if (found < 0 || bl_boot_kernel_start_ns(db, boot, &k0) < 0 || bl_store_console_end_ns(db, boot, &last) < 0)
        return -1;
    if (k0 == BL_NONE) {
        if (last == BL_NONE)
            bl_error("plot uart: boot %lld has no host stamps on its console", (long long)boot);
        else
            bl_error("plot uart: boot %lld has no kernel line that arrived live on its console (a quiet "
                     "boot: its records came in a dump)", (long long)boot);
        return -1;
    }
    char what[300];
    snprintf(what, sizeof(what), "%s, %.3f us per byte (%s)", a->what, u.ns_per_char / 1000.0,
             found ? u.evidence : "no estimate");
    title(p->f, "Console arrival against printk time: ", what);
    fputs("set xlabel 'printk time, s'\nset ylabel 'arrival on the host, s'\nset grid\n"
          "set key top left\n$data << EOD\n", p->f);
    struct console_out co = { p->f, u.ns_per_char };
    if (bl_store_live_console(db, boot, uart_point, &co) < 0)
        return -1;
    fprintf(p->f, "EOD\nplot $data using 1:2 with points pt 7 ps 0.3 lc rgb '#4878a8' title 'printk time', \\\n"
                  "     $data using 3:2 with points pt 7 ps 0.3 lc rgb '#d65f5f' "
                  "title 'without the console (c x bytes printk waited for)', \\\n"
                  "     x + %.6f with lines lc rgb 'black' dt 2 title 'printk 0 = %.3f s on the host'\n",
            (double)k0 / 1e9, (double)k0 / 1e9);
    return 0;
}

/* ----------------------------------------------------------- histogram */

/* The distribution of the boots' lengths: one series per label, on shared
 * bins, overlaid (not pooled: two labels' boots are two distributions). */
static int plot_histogram(struct bl_db *db, const struct bl_plot_args *a, struct bl_plot *p)
{
    static const char *const colours[] = { "#4878a8", "#d65f5f", "#6aa84f", "#e69138", "#8e7cc3" };
    double *v = bl_xmalloc((a->n_ids ? a->n_ids : 1) * sizeof(*v));
    size_t *lab = bl_xmalloc((a->n_ids ? a->n_ids : 1) * sizeof(*lab));
    size_t k = 0, groups = a->n_labels ? a->n_labels : 1;
    for (size_t i = 0; i < a->n_ids; i++) {
        int64_t len;
        if (bl_boot_length_ns(db, a->ids[i], &len) < 0) {
            free(v);
            free(lab);
            return -1;
        }
        if (len != BL_NONE) {
            lab[k] = a->n_labels && a->id_label[i] < a->n_labels ? a->id_label[i] : 0;
            v[k++] = (double)len / 1e6;
        }
    }
    struct bl_summary s = { 0 };
    double *copy = bl_xmalloc((k ? k : 1) * sizeof(*copy));
    memcpy(copy, v, k * sizeof(*copy));
    if (k)
        bl_summarize(copy, k, &s);
    free(copy);
    double width = k > 1 && s.max > s.min ? (s.max - s.min) / 10.0 : 10.0;
    title(p->f, "Boot times: ", a->what);
    fprintf(p->f, "set xlabel 'whole boot, ms'\nset ylabel 'boots'\nset grid ytics\n"
                  "set style fill transparent solid 0.5 border -1\nset yrange [0:*]\n"
                  "bin(x) = %.6f * floor(x / %.6f) + %.6f\nset boxwidth %.6f\n", width, width, width / 2,
            width * 0.9);
    for (size_t g = 0; g < groups; g++) {
        fprintf(p->f, "$data%zu << EOD\n", g);
        for (size_t i = 0; i < k; i++)
            if (lab[i] == g)
                fprintf(p->f, "%.3f\n", v[i]);
        fputs("EOD\n", p->f);
    }
    fputs("plot", p->f);
    for (size_t g = 0; g < groups; g++) {
        fprintf(p->f, "%s $data%zu using (bin($1)):(1.0) smooth freq with boxes lc rgb '%s' ", g ? ", \\\n    " : "",
                g, colours[g % (sizeof(colours) / sizeof(colours[0]))]);
        if (a->n_labels)
            fputs("title ", p->f), bl_plot_text(p->f, a->labels[g], BL_PLOT_NAME_MAX);
        else
            fputs("notitle", p->f);
    }
    fputc('\n', p->f);
    free(v);
    free(lab);
    return 0;
}

/* --------------------------------------------------------------- trend */

static int plot_trend(struct bl_db *db, const struct bl_plot_args *a, struct bl_plot *p)
{
    struct bl_trend t;
    size_t steps = 0;
    if (bl_trend(db, a->trend, &t) < 0)
        return -1;
    char what[400];
    snprintf(what, sizeof(what), "%.200s per label%s%.100s", t.figure, a->trend->by ? ", by " : "",
             a->trend->by ? a->trend->by : "");
    title(p->f, "", what);
    fputs("set ylabel 'ms, mean (bars: sample sd)'\nset grid ytics\nset offsets 0.5, 0.5, 0, 0\n"
          "set yrange [0:*]\nset key top left\nset xtics rotate by -30 ", p->f);
    const char **names = bl_xmalloc(t.n * sizeof(*names));
    for (size_t i = 0; i < t.n; i++)
        names[i] = t.points[i].label;
    name_tics(p->f, names, t.n);
    free(names);
    fputs("\n$trend << EOD\n", p->f);
    for (size_t i = 0; i < t.n; i++)
        if (t.points[i].known)
            fprintf(p->f, "%zu %.4f %.4f\n", i, t.points[i].s.mean / 1e3, t.points[i].s.sd / 1e3);
    fputs("EOD\n$steps << EOD\n", p->f);
    for (size_t i = 0; i < t.n; i++) {
        const struct bl_trend_point *pt = &t.points[i];
        if (!pt->has_step || (strcmp(pt->verdict, "slower") != 0 && strcmp(pt->verdict, "faster") != 0))
            continue;
        fprintf(p->f, "%zu %.4f \"%s %+.1f ms\"\n", i, pt->s.mean / 1e3, pt->verdict, pt->step_us / 1e3);
        steps++;
    }
    fputs("EOD\nplot $trend using 1:2:3 with yerrorlines lw 2 pt 7 lc rgb '#4878a8' title ", p->f);
    bl_plot_text(p->f, t.figure, BL_PLOT_NAME_MAX);
    if (steps)
        fputs(", \\\n     $steps using 1:2 with points pt 6 ps 3 lw 2 lc rgb '#d65f5f' "
              "title 'significant step (" BL_SIGNIFICANCE_TEXT ")', \\\n"
              "     $steps using 1:2:3 with labels offset 0, 2 tc rgb '#d65f5f' notitle", p->f);
    fputc('\n', p->f);
    bl_trend_free(&t);
    return 0;
}

static int plot_kind(struct bl_db *db, const char *kind, const struct bl_plot_args *a, struct bl_plot *p)
{
    if (strcmp(kind, "top-initcalls") == 0)
        return plot_top(db, a, p);
    if (strcmp(kind, "timeline") == 0)
        return plot_timeline(db, a, p);
    if (strcmp(kind, "phases") == 0)
        return plot_phases(db, a, p);
    if (strcmp(kind, "compare") == 0)
        return plot_compare(db, a, p);
    if (strcmp(kind, "range") == 0)
        return plot_range(db, a, p);
    if (strcmp(kind, "trend") == 0)
        return plot_trend(db, a, p);
    if (strcmp(kind, "uart") == 0)
        return plot_uart(db, a, p);
    if (strcmp(kind, "histogram") == 0)
        return plot_histogram(db, a, p);
    return -1;
}

/* How many rows a chart of every row (-n 0) has: its initcalls, or its
 * changes (an upper bound, which only sizes the chart). */
static int all_rows(struct bl_db *db, const char *kind, const struct bl_plot_args *a, int64_t *rows)
{
    struct bl_boot_info b;
    *rows = 20;
    if (strcmp(kind, "top-initcalls") != 0 && strcmp(kind, "compare") != 0 && strcmp(kind, "timeline") != 0)
        return 0;
    *rows = 0;
    for (size_t i = 0; i < a->n_ids; i++) {
        if (bl_store_boot(db, a->ids[i], &b) <= 0)
            return -1;
        *rows = b.initcalls > *rows ? b.initcalls : *rows;
        bl_store_boot_free(&b);
        if (strcmp(kind, "timeline") == 0)
            break;
    }
    if (strcmp(kind, "compare") == 0)
        *rows += 16;   /* and the phases */
    return 0;
}

/* A good size in pixels for the chart of `rows` rows. */
static void plot_size(const char *kind, int64_t rows, int *width, int *height)
{
    *width = 1000;
    *height = 600;
    if (strcmp(kind, "top-initcalls") == 0 || strcmp(kind, "compare") == 0)
        *height = 140 + 24 * (int)rows * (strcmp(kind, "compare") == 0 ? 2 : 1);
    else if (strcmp(kind, "timeline") == 0)
        *height = 200 + 22 * ((int)rows + 12);
}

int bl_plot_draw(struct bl_db *db, const char *kind, const struct bl_plot_args *a, const char *path, int argc,
                 char **argv)
{
    struct bl_plot p;
    int width, height;
    int64_t rows = a->n;
    if (rows == 0 && all_rows(db, kind, a, &rows) < 0)
        return -1;
    plot_size(kind, rows, &width, &height);
    if (bl_plot_open(&p, path, argc, argv, width, height) < 0)
        return -1;
    if (plot_kind(db, kind, a, &p) < 0) {
        bl_plot_abandon(&p);
        return -1;
    }
    return bl_plot_finish(&p);
}

/* ------------------------------------------------------------ selection */

/* What bl_plot_select resolved: boots grouped by label. */
struct sel {
    int64_t *ids;
    size_t *id_label, n, cap;
    char **labels;
    size_t n_labels, cap_labels;
};

static size_t label_index(struct sel *s, const char *label)
{
    for (size_t i = 0; i < s->n_labels; i++)
        if (strcmp(s->labels[i], label) == 0)
            return i;
    BL_PUSH(s->labels, s->n_labels, s->cap_labels, bl_xstrdup(label));
    return s->n_labels - 1;
}

static void add_boot(struct sel *s, int64_t id, size_t label)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->ids[i] == id)
            return;
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 16;
        s->ids = bl_xrealloc(s->ids, s->cap * sizeof(*s->ids));
        s->id_label = bl_xrealloc(s->id_label, s->cap * sizeof(*s->id_label));
    }
    s->ids[s->n] = id;
    s->id_label[s->n++] = label;
}

/* A boot's label for a chart ("-" if it has none). */
static int label_of(struct bl_db *db, int64_t id, char *buf, size_t size)
{
    struct bl_boot_info b;
    if (bl_store_boot(db, id, &b) <= 0)
        return -1;
    snprintf(buf, size, "%s", b.label ? b.label : "-");
    bl_store_boot_free(&b);
    return 0;
}

/* Resolves --label and --boot into boots grouped by label (labels first,
 * in the order given; then the --boot ones, by their own labels). */
int bl_plot_select(struct bl_db *db, const char *const *labels, size_t n_labels, const int64_t *boots,
                   size_t n_boots, struct bl_plot_args *a, char *what, size_t what_size, void **owned)
{
    struct sel *s = calloc(1, sizeof(*s));
    char buf[256];
    if (!s)
        abort();
    *owned = s;
    for (size_t l = 0; l < n_labels; l++) {
        int64_t *ids;
        size_t n;
        if (bl_label_boots(db, labels[l], &ids, &n) < 0)
            return -1;
        size_t li = label_index(s, labels[l]);
        for (size_t i = 0; i < n; i++)
            add_boot(s, ids[i], li);
        free(ids);
    }
    if (n_boots || !n_labels) {
        struct bl_selection sel = { .boot_ids = (int64_t *)boots, .n_boot_ids = n_boots };
        int64_t *ids;
        size_t n;
        if (bl_selection_resolve(db, &sel, &ids, &n) < 0)
            return -1;
        for (size_t i = 0; i < n; i++) {
            if (label_of(db, ids[i], buf, sizeof(buf)) < 0) {
                free(ids);
                return -1;
            }
            add_boot(s, ids[i], label_index(s, buf));
        }
        free(ids);
    }
    size_t o = 0;
    char label[BL_PLOT_TITLE_LABEL_MAX + 1];
    what[0] = '\0';
    if (s->n == 1) {
        bl_elide(label, sizeof(label), s->labels[s->id_label[0]], BL_PLOT_TITLE_LABEL_MAX);
        snprintf(what, what_size, "boot %lld (%s)", (long long)s->ids[0], label);
    } else {
        for (size_t l = 0; l < s->n_labels && o + 4 < what_size; l++) {
            bl_elide(label, sizeof(label), s->labels[l], BL_PLOT_TITLE_LABEL_MAX);
            o += (size_t)snprintf(what + o, what_size - o, "%s%s", l ? ", " : "", label);
        }
        if (o + 4 < what_size)
            snprintf(what + o, what_size - o, " (%zu boots)", s->n);
    }
    a->ids = s->ids;
    a->id_label = s->id_label;
    a->n_ids = s->n;
    a->labels = (const char *const *)s->labels;
    a->n_labels = s->n_labels;
    a->what = what;
    return 0;
}

void bl_plot_select_free(void *owned)
{
    struct sel *s = owned;
    if (!s)
        return;
    for (size_t i = 0; i < s->n_labels; i++)
        free(s->labels[i]);
    free(s->labels);
    free(s->ids);
    free(s->id_label);
    free(s);
}

