/* uart.c: see uart.h. */
#include "uart.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "output.h"
#include "parser.h"
#include "stats.h"
#include "store.h"
#include "util.h"

/* Fewer samples than this are no estimate. */
#define MIN_SAMPLES 10

/* Per-byte costs from one kind of evidence, gathered line by line. */
struct evidence {
    bool line_ends;
    double *v;
    size_t n, cap;
    int64_t prev_h, prev_p;
    bool have_prev;
};

static int evidence_line(void *ctx, const struct bl_line_row *l)
{
    struct evidence *e = ctx;
    if (e->line_ends) {
        /* first byte to last byte: chars - 1 bytes sent */
        if (l->host_ns != BL_NONE && l->host_end_ns != BL_NONE && l->host_end_ns > l->host_ns &&
            l->chars != BL_NONE && l->chars > 16)
            BL_PUSH(e->v, e->n, e->cap, (double)(l->host_end_ns - l->host_ns) / (double)(l->chars - 2));
        return 0;
    }
    if (l->host_ns == BL_NONE || l->printk_us == BL_NONE)
        return 0;
    /* a line logged well before the previous one was sent waited in the
     * queue: its gap is its own sending time */
    int64_t gap = l->host_ns - e->prev_h, chars = l->chars == BL_NONE ? 0 : l->chars;
    if (e->have_prev && gap > 0 && (l->printk_us - e->prev_p) * 1000 < gap / 4 && chars > 0)
        BL_PUSH(e->v, e->n, e->cap, (double)gap / (double)chars);
    e->prev_h = l->host_ns;
    e->prev_p = l->printk_us;
    e->have_prev = true;
    return 0;
}

/* Collects per-byte costs from one kind of evidence; -1 on error. */
static int collect(sqlite3 *db, int64_t boot, bool line_ends, double **out, size_t *n)
{
    struct evidence e = { .line_ends = line_ends };
    int rc = bl_store_live_console(db, boot, evidence_line, &e);
    *out = e.v;
    *n = e.n;
    return rc;
}

/* The live console's total bytes and the 'Run /init' line's place. */
static int console_totals(sqlite3 *db, struct bl_uart *u)
{
    struct bl_boot_marks m;
    if (bl_store_boot_marks(db, u->boot_id, &m) < 0 || bl_store_console_bytes(db, u->boot_id, &u->chars) < 0)
        return -1;
    u->userspace_printk_us = m.userspace_printk_us;
    u->userspace_chars_before = m.userspace_chars_before;
    return 0;
}

int bl_analyze_boot(sqlite3 *db, int64_t boot, bool host_stamps)
{
    struct bl_uart u = { .boot_id = boot, .evidence = "line-ends" };
    double *v = NULL, median = 0, iqr = 0;
    size_t n = 0;

    if (host_stamps && collect(db, boot, true, &v, &n) < 0)
        goto fail;
    if (host_stamps && n < MIN_SAMPLES) {
        free(v);
        u.evidence = "arrival-gaps";
        if (collect(db, boot, false, &v, &n) < 0)
            goto fail;
    }
    if (n >= MIN_SAMPLES) {
        bl_median_iqr(v, n, &median, &iqr);
        u.ns_per_char = median;
        u.samples = (int64_t)n;
        u.spread_ns = iqr;
    }
    free(v);
    if (u.samples == 0)
        return 0;
    if (console_totals(db, &u) < 0)
        return -1;
    struct bl_estimate e = {
        .ns_per_char = llround(u.ns_per_char), .samples = u.samples,
        .spread_ns = llround(u.spread_ns), .chars = u.chars,
        .console_us = llround((double)u.chars * u.ns_per_char / 1000.0),
        .userspace_printk_us = u.userspace_printk_us,
        .predicted_userspace_us = u.userspace_printk_us == BL_NONE || u.userspace_chars_before == BL_NONE
            ? BL_NONE
            : u.userspace_printk_us - llround((double)u.userspace_chars_before * u.ns_per_char / 1000.0),
    };
    snprintf(e.evidence, sizeof(e.evidence), "%s", u.evidence);
    /* then the initcalls without the console's cost, and the cross-check
     * again (flagged at import with no console cost) */
    return bl_store_save_estimate(db, boot, &e) < 0 || bl_store_correct_calls(db, boot, u.ns_per_char) < 0 ? -1 : 0;
fail:
    free(v);
    return -1;
}

int bl_uart_load(sqlite3 *db, int64_t boot, struct bl_uart *u)
{
    static const char *const evidence[] = { "line-ends", "arrival-gaps" };
    struct bl_estimate e;
    int found = bl_store_load_estimate(db, boot, &e);

    *u = (struct bl_uart){ .boot_id = boot, .evidence = "-" };
    if (found < 0)
        return -1;
    if (found) {
        u->ns_per_char = (double)e.ns_per_char;
        u->evidence = e.evidence[0] == 'l' ? evidence[0] : evidence[1];
        u->samples = e.samples;
        u->spread_ns = (double)e.spread_ns;
    }
    return console_totals(db, u) < 0 ? -1 : found;
}

/* One boot's row. */
static int boot_row(sqlite3 *db, int64_t boot, double given_us, struct bl_uart_row *r)
{
    struct bl_uart u;
    struct bl_boot_info b;
    int64_t mismatches;
    int found = bl_uart_load(db, boot, &u);
    if (found < 0 || bl_store_boot(db, boot, &b) <= 0 || bl_store_mismatches(db, boot, &mismatches) < 0)
        return -1;
    bool known = found > 0 || !isnan(given_us);
    double ns = !isnan(given_us) ? given_us * 1000.0 : u.ns_per_char, *v = r->v;
    r->boot = boot;
    snprintf(r->label, sizeof(r->label), "%s", b.label ? b.label : "");
    bl_store_boot_free(&b);
    r->evidence = !isnan(given_us) ? "given" : u.evidence;
    v[BL_UART_US_PER_CHAR] = known ? ns / 1000.0 : NAN;
    v[BL_UART_CHARS] = (double)u.chars;
    v[BL_UART_CONSOLE_US] = known ? (double)u.chars * ns / 1000.0 : NAN;
    v[BL_UART_MEASURED] = u.userspace_printk_us == BL_NONE ? NAN : (double)u.userspace_printk_us;
    v[BL_UART_PREDICTED] = known && !isnan(v[BL_UART_MEASURED]) && u.userspace_chars_before != BL_NONE
                               ? v[BL_UART_MEASURED] - (double)u.userspace_chars_before * ns / 1000.0
                               : NAN;
    v[BL_UART_SAMPLES] = found > 0 ? (double)u.samples : NAN;
    v[BL_UART_SPREAD] = found > 0 ? u.spread_ns / 1000.0 : NAN;
    v[BL_UART_SHARE] = !isnan(v[BL_UART_PREDICTED]) && v[BL_UART_MEASURED] > 0
                           ? (v[BL_UART_MEASURED] - v[BL_UART_PREDICTED]) / v[BL_UART_MEASURED]
                           : NAN;
    v[BL_UART_MISMATCHES] = (double)mismatches;
    return 0;
}

int bl_uart_rows(sqlite3 *db, const int64_t *ids, size_t n, double given_us, struct bl_uart_row **rows,
                 size_t *n_rows)
{
    struct bl_uart_row *r = bl_xmalloc((n + 1) * sizeof(*r)), mean = { .evidence = "mean" };
    size_t known[BL_UART_N_VALUES] = { 0 };
    bool one_label = true;

    *rows = r;
    *n_rows = 0;
    for (size_t i = 0; i < n; i++) {
        if (boot_row(db, ids[i], given_us, &r[i]) < 0)
            return -1;
        one_label &= i == 0 || strcmp(r[i].label, r[0].label) == 0;
        for (int k = 0; k < BL_UART_N_VALUES; k++)
            if (!isnan(r[i].v[k])) {
                mean.v[k] += r[i].v[k];
                known[k]++;
            }
    }
    *n_rows = n;
    if (n > 1 && one_label) {
        for (int k = 0; k < BL_UART_N_VALUES; k++)
            mean.v[k] = known[k] ? mean.v[k] / (double)known[k] : NAN;
        snprintf(mean.label, sizeof(mean.label), "%s", r[0].label);
        r[(*n_rows)++] = mean;
    }
    return 0;
}

/* ---------------------------------------------------------------- table */

static const struct bl_col table_cols[] = {
    { "boot", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "label", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "us_per_char", "us/byte", BL_COL_REAL, 3, BL_COL_BOTH },
    { "chars", "bytes", BL_COL_INT, 0, BL_COL_BOTH },
    { "console_us", "console ms", BL_COL_US, 0, BL_COL_BOTH },
    { "measured_userspace_us", "init ms", BL_COL_US, 0, BL_COL_BOTH },
    { "predicted_userspace_us", "quiet init ms", BL_COL_US, 0, BL_COL_BOTH },
    { "evidence", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "samples", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "spread_us", "spread", BL_COL_REAL, 3, BL_COL_BOTH },
    { "share", NULL, BL_COL_SHARE, 4, BL_COL_BOTH },
    { "mismatches", NULL, BL_COL_INT, 0, BL_COL_BOTH },
};

/* A figure, or null when not known; integers rounded. */
static void put(struct bl_table *t, double v, bool integer)
{
    if (isnan(v))
        bl_table_null(t);
    else if (integer)
        bl_table_int(t, llround(v));
    else
        bl_table_num(t, v);
}

struct bl_table *bl_uart_table(const struct bl_uart_row *rows, size_t n)
{
    struct bl_table *t = bl_table_new(table_cols, (int)(sizeof(table_cols) / sizeof(table_cols[0])));
    for (size_t i = 0; i < n; i++) {
        const double *v = rows[i].v;
        put(t, rows[i].boot > 0 ? (double)rows[i].boot : NAN, true);
        bl_table_str(t, rows[i].label);
        put(t, v[BL_UART_US_PER_CHAR], false);
        put(t, v[BL_UART_CHARS], true);
        put(t, v[BL_UART_CONSOLE_US], false);
        put(t, v[BL_UART_MEASURED], false);
        put(t, v[BL_UART_PREDICTED], false);
        bl_table_str(t, rows[i].evidence);
        put(t, v[BL_UART_SAMPLES], true);
        put(t, v[BL_UART_SPREAD], false);
        put(t, v[BL_UART_SHARE], false);
        put(t, v[BL_UART_MISMATCHES], true);
    }
    return t;
}
