/* uart.c: see uart.h. */
#include "uart.h"

#include <math.h>
#include <stdlib.h>

#include "db.h"
#include "parser.h"
#include "util.h"

/* Fewer samples than this are no estimate. */
#define MIN_SAMPLES 10

/* The live console lines of a boot, in order (the SQL both estimates use). */
#define LIVE_CONSOLE \
    "FROM stream s JOIN line l ON l.id BETWEEN s.first_line_id AND s.last_line_id " \
    "AND l.stream_id = s.id WHERE s.boot_id = ? AND s.name = 'console' AND l.dump = 0 "

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median and interquartile range of v (sorted in place). */
static void robust(double *v, size_t n, double *median, double *iqr)
{
    qsort(v, n, sizeof(*v), cmp_double);
    *median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    *iqr = v[(3 * n) / 4] - v[n / 4];
}

/* Collects per-byte costs from one kind of evidence. */
static size_t collect(sqlite3 *db, int64_t boot, bool line_ends, double **out)
{
    sqlite3_stmt *st = bl_db_prepare(db, line_ends
        ? "SELECT l.host_ns, l.host_end_ns, l.chars " LIVE_CONSOLE
          "AND l.host_end_ns > l.host_ns AND l.chars > 16 ORDER BY l.id"
        : "SELECT l.host_ns, l.printk_us, l.chars " LIVE_CONSOLE
          "AND l.host_ns IS NOT NULL AND l.printk_us IS NOT NULL ORDER BY l.id");
    size_t n = 0, cap = 0;
    int64_t prev_h = 0, prev_p = 0;
    bool have_prev = false;

    *out = NULL;
    if (!st)
        return 0;
    sqlite3_bind_int64(st, 1, boot);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int64_t a = sqlite3_column_int64(st, 0), b = sqlite3_column_int64(st, 1);
        int64_t chars = sqlite3_column_int64(st, 2);
        if (line_ends) {
            /* first byte to last byte: chars - 1 bytes sent */
            BL_PUSH(*out, n, cap, (double)(b - a) / (double)(chars - 2 > 0 ? chars - 2 : 1));
            continue;
        }
        /* a line logged well before the previous one was sent waited in
         * the queue: its gap is its own sending time */
        int64_t gap = a - prev_h;
        if (have_prev && gap > 0 && (b - prev_p) * 1000 < gap / 4 && chars > 0)
            BL_PUSH(*out, n, cap, (double)gap / (double)chars);
        prev_h = a;
        prev_p = b;
        have_prev = true;
    }
    sqlite3_finalize(st);
    return n;
}

/* The live console's total bytes and the 'Run /init' line's place. */
static int console_totals(sqlite3 *db, struct bl_uart *u)
{
    sqlite3_stmt *st = bl_db_prepare(db,
        "SELECT coalesce(sum(l.chars), 0), "
        "(SELECT l2.chars_before FROM stream s2 JOIN line l2 ON l2.id BETWEEN s2.first_line_id "
        " AND s2.last_line_id AND l2.stream_id = s2.id WHERE s2.boot_id = ?1 AND s2.name = 'console' "
        " AND l2.dump = 0 AND l2.printk_us = b.userspace_printk_us AND l2.text LIKE 'Run %' "
        " ORDER BY l2.id LIMIT 1), b.userspace_printk_us "
        "FROM boot b LEFT JOIN stream s ON s.boot_id = b.id AND s.name = 'console' "
        "LEFT JOIN line l ON l.id BETWEEN s.first_line_id AND s.last_line_id AND l.stream_id = s.id "
        "AND l.dump = 0 WHERE b.id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, u->boot_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        u->chars = sqlite3_column_int64(st, 0);
        u->userspace_chars_before = sqlite3_column_type(st, 1) == SQLITE_NULL ? BL_NONE
                                                                             : sqlite3_column_int64(st, 1);
        u->userspace_printk_us = sqlite3_column_type(st, 2) == SQLITE_NULL ? BL_NONE
                                                                          : sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        bl_db_error(db, "cannot read the console");
        return -1;
    }
    return 0;
}

static int exec_boot(sqlite3 *db, const char *sql, int64_t boot, double c)
{
    sqlite3_stmt *st = bl_db_prepare(db, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, boot);
    sqlite3_bind_double(st, 2, c);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bl_db_error(db, "cannot store the console's cost");
        return -1;
    }
    return 0;
}

int bl_analyze_boot(sqlite3 *db, int64_t boot, bool host_stamps)
{
    struct bl_uart u = { .boot_id = boot };
    double *v = NULL, median = 0, iqr = 0;
    size_t n = host_stamps ? collect(db, boot, true, &v) : 0;

    u.evidence = "line-ends";
    if (host_stamps && n < MIN_SAMPLES) {
        free(v);
        n = collect(db, boot, false, &v);
        u.evidence = "arrival-gaps";
    }
    if (n >= MIN_SAMPLES) {
        robust(v, n, &median, &iqr);
        u.ns_per_char = median;
        u.samples = (int64_t)n;
        u.spread_ns = iqr;
    }
    free(v);

    if (u.samples > 0) {
        if (console_totals(db, &u) < 0)
            return -1;
        sqlite3_stmt *st = bl_db_prepare(db,
            "INSERT INTO uart (boot_id, ns_per_char, evidence, samples, spread_ns, chars, console_us, "
            "userspace_printk_us, predicted_userspace_us) VALUES (?,?,?,?,?,?,?,?,?)");
        if (!st)
            return -1;
        sqlite3_bind_int64(st, 1, boot);
        sqlite3_bind_int64(st, 2, llround(u.ns_per_char));
        sqlite3_bind_text(st, 3, u.evidence, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, u.samples);
        sqlite3_bind_int64(st, 5, llround(u.spread_ns));
        sqlite3_bind_int64(st, 6, u.chars);
        sqlite3_bind_int64(st, 7, llround((double)u.chars * u.ns_per_char / 1000.0));
        bl_bind_opt(st, 8, u.userspace_printk_us);
        bl_bind_opt(st, 9, u.userspace_printk_us == BL_NONE || u.userspace_chars_before == BL_NONE
                               ? BL_NONE
                               : u.userspace_printk_us -
                                     llround((double)u.userspace_chars_before * u.ns_per_char / 1000.0));
        int rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE) {
            bl_db_error(db, "cannot store the console's cost");
            return -1;
        }
        if (exec_boot(db, "UPDATE call SET corrected_us = reported_us - round(chars_between * ?2 / 1000.0) "
                          "WHERE boot_id = ?1 AND reported_us IS NOT NULL AND chars_between IS NOT NULL",
                      boot, u.ns_per_char) < 0)
            return -1;
    }

    /* The cross-check (flagged at import with no console cost): printk
     * start to end is the reported duration plus the console's time for
     * the "calling" line itself, printed before the kernel starts its
     * clock. */
    if (u.samples == 0)
        return 0;
    return exec_boot(db,
        "UPDATE call SET mismatch_us = (SELECT CASE WHEN abs(m) > 1000 + reported_us / 10 THEN m END "
        "FROM (SELECT duration_us - reported_us - CAST(round(?2 / 1000.0 * coalesce(("
        "SELECT l.chars FROM stream s JOIN input i ON i.id = s.input_id "
        "JOIN line l ON l.id = i.first_line_id + call.start_seq - 1 WHERE s.id = call.stream_id), 0)) "
        "AS INTEGER) AS m)) WHERE boot_id = ?1 AND mismatch_us IS NOT NULL",
        boot, u.ns_per_char);
}

int bl_uart_load(sqlite3 *db, int64_t boot, struct bl_uart *u)
{
    static const char *const evidence[] = { "line-ends", "arrival-gaps" };
    sqlite3_stmt *st = bl_db_prepare(db,
        "SELECT ns_per_char, evidence, samples, spread_ns FROM uart WHERE boot_id = ?");
    int found = 0;

    *u = (struct bl_uart){ .boot_id = boot, .evidence = "-" };
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, boot);
    if (sqlite3_step(st) == SQLITE_ROW) {
        u->ns_per_char = sqlite3_column_double(st, 0);
        const char *e = (const char *)sqlite3_column_text(st, 1);
        u->evidence = e && e[0] == 'l' ? evidence[0] : evidence[1];
        u->samples = sqlite3_column_int64(st, 2);
        u->spread_ns = sqlite3_column_double(st, 3);
        found = 1;
    }
    sqlite3_finalize(st);
    return console_totals(db, u) < 0 ? -1 : found;
}
