/* store.c: see store.h. */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "kconfig.h"
#include "parser.h"
#include "util.h"

/* A coarse host stamp (line.host_coarse: when a daemon wrote the line) is
 * no arrival time: its readers see none. */
#define LINE_HOST "CASE WHEN host_coarse = 1 THEN NULL ELSE host_ns END"

/* A text column as an allocated string (NULL for NULL). */
static char *text_dup(struct bl_stmt *st, int col)
{
    const char *s = (const char *)bl_column_text(st, col);
    return s ? bl_xstrdup(s) : NULL;
}

/* Why a boot (table boot) is incomplete, or NULL: see bl_store_boot_labels.
 * (An initcall that never returned is among the noted ones: boots without
 * any are not searched, which every verb's selection would pay for; a
 * scalar subquery, not EXISTS, which PostgreSQL would answer by hashing the
 * whole call table.) */
#define INCOMPLETE "CASE WHEN timed_out = 1 THEN 'timed out' " \
    "WHEN exit_signal > 0 THEN 'ended by signal ' || exit_signal " \
    "WHEN noted_count > 0 AND (SELECT 1 FROM call c WHERE c.boot_id = boot.id AND c.kind = 'initcall' " \
    "AND c.complete = 0 LIMIT 1) IS NOT NULL " \
    "THEN 'an initcall never returned' END"

int bl_store_boot_labels(struct bl_db *db, struct bl_boot_label **out, size_t *n)
{
    struct bl_stmt *st = bl_db_stmt(db, "SELECT id, label, " INCOMPLETE " FROM boot ORDER BY id");
    size_t cap = 0;
    int rc;

    *out = NULL;
    *n = 0;
    if (!st)
        return -1;
    while ((rc = bl_step(st)) == BL_ROW) {
        struct bl_boot_label b = { bl_column_int64(st, 0), text_dup(st, 1), text_dup(st, 2) };
        BL_PUSH(*out, *n, cap, b);
    }
    bl_reset(st);
    return bl_db_done(db, rc, "cannot list boots");
}

void bl_store_boot_labels_free(struct bl_boot_label *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].label);
        free(v[i].incomplete);
    }
    free(v);
}

int bl_store_labels(struct bl_db *db, char ***labels, size_t *n)
{
    struct bl_stmt *st = bl_db_stmt(db,
        "SELECT label FROM boot WHERE label IS NOT NULL AND label <> '' GROUP BY label ORDER BY min(id)");
    size_t cap = 0;
    int rc;

    *labels = NULL;
    *n = 0;
    if (!st)
        return -1;
    while ((rc = bl_step(st)) == BL_ROW)
        BL_PUSH(*labels, *n, cap, text_dup(st, 0));
    bl_reset(st);
    return bl_db_done(db, rc, "cannot list labels");
}

int bl_store_label_meta(struct bl_db *db, const char *label, const char *name, char **value)
{
    struct bl_stmt *st = bl_db_stmt(db, "SELECT min(m.value) FROM boot_meta m JOIN boot b ON b.id = m.boot_id "
                                        "WHERE b.label = ?1 AND m.name = ?2");
    *value = NULL;
    if (!st)
        return -1;
    bl_bind_text(st, 1, label, -1, BL_STATIC);
    bl_bind_text(st, 2, name, -1, BL_STATIC);
    int rc = bl_step(st);
    if (rc == BL_ROW)
        *value = text_dup(st, 0);
    bl_reset(st);
    return rc == BL_ROW ? 0 : bl_db_done(db, rc, "cannot read --meta values");
}

void bl_store_labels_free(char **labels, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(labels[i]);
    free(labels);
}

static int64_t opt_int(struct bl_stmt *st, int col)
{
    return bl_column_type(st, col) == BL_NULL ? BL_NONE : bl_column_int64(st, col);
}

int bl_store_boot(struct bl_db *db, int64_t id, struct bl_boot_info *out)
{
    struct bl_stmt *st = bl_db_stmt(db,
        "SELECT label, source, kernel_version, kernel_cmdline, line_count, initcall_count, "
        "userspace_printk_us, userspace_host_ns, console, command, " INCOMPLETE ", series, round, wall_ns, user_us, system_us FROM boot WHERE id = ?1");
    int rc;

    memset(out, 0, sizeof(*out));
    if (!st)
        return -1;
    bl_bind_int64(st, 1, id);
    if ((rc = bl_step(st)) == BL_ROW) {
        *out = (struct bl_boot_info){
            .id = id, .label = text_dup(st, 0), .source = text_dup(st, 1),
            .kernel_version = text_dup(st, 2), .kernel_cmdline = text_dup(st, 3),
            .lines = bl_column_int64(st, 4), .initcalls = bl_column_int64(st, 5),
            .userspace_printk_us = opt_int(st, 6), .userspace_host_ns = opt_int(st, 7),
            .console = text_dup(st, 8), .command = text_dup(st, 9), .incomplete = text_dup(st, 10),
            .series = opt_int(st, 11), .round = opt_int(st, 12),
            .wall_ns = opt_int(st, 13), .user_us = opt_int(st, 14), .system_us = opt_int(st, 15),
        };
    }
    bl_reset(st);
    if (rc == BL_ROW)
        return 1;
    return bl_db_done(db, rc, "cannot read a boot");
}

void bl_store_boot_free(struct bl_boot_info *b)
{
    free(b->label);
    free(b->source);
    free(b->kernel_version);
    free(b->kernel_cmdline);
    free(b->console);
    free(b->command);
    free(b->incomplete);
    memset(b, 0, sizeof(*b));
}

int bl_store_write_lines(struct bl_db *db, int64_t boot, const char *stream, FILE *out, int64_t *lines)
{
    struct bl_stmt *st = bl_db_stmt(db,
        "SELECT l.prefix, l.text, l.raw, i.ends_with_newline, l.seq = i.line_count "
        "FROM stream_line l JOIN input i ON i.id = l.input_id "
        "WHERE l.boot_id = ?1 AND (l.stream = ?2 OR (CAST(?2 AS TEXT) IS NULL AND l.input_id = "
        "(SELECT input_id FROM stream WHERE boot_id = ?1 ORDER BY id LIMIT 1))) ORDER BY l.id");
    int rc;

    *lines = 0;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    bl_bind_str(st, 2, stream);
    while ((rc = bl_step(st)) == BL_ROW) {
        /* raw if stored, else prefix || text (see schema/001-initial.sql) */
        int cols[2] = { 0, 1 }, ncols = 2;
        (*lines)++;
        if (bl_column_type(st, 2) != BL_NULL) {
            cols[0] = 2;
            ncols = 1;
        }
        for (int i = 0; i < ncols; i++) {
            int n = bl_column_bytes(st, cols[i]);
            if (n > 0)
                fwrite(bl_column_blob(st, cols[i]), 1, (size_t)n, out);
        }
        if (bl_column_int(st, 3) || !bl_column_int(st, 4))
            fputc('\n', out);
    }
    bl_reset(st);
    return bl_db_done(db, rc, "cannot read lines");
}

int bl_store_initcall_notes(struct bl_db *db, int64_t boot, int64_t *unreported,
                            void (*each)(void *ctx, const struct bl_initcall_note *note), void *ctx)
{
    struct bl_stmt *counts = bl_db_stmt(db, "SELECT noted_count, unreported_count FROM boot WHERE id = ?1");
    struct bl_stmt *st = bl_db_stmt(db,
        "SELECT function, start_printk_us, suspect, reported_us FROM call "
        "WHERE boot_id = ?1 AND kind = 'initcall' AND (complete = 0 OR suspect IS NOT NULL) "
        "ORDER BY coalesce(start_seq, end_seq)");
    int rc = BL_ERROR;
    int64_t noted = 0;

    *unreported = 0;
    if (!st || !counts)
        goto out;
    bl_bind_int64(counts, 1, boot);
    if ((rc = bl_step(counts)) == BL_ROW) {
        noted = bl_column_int64(counts, 0);
        *unreported = bl_column_int64(counts, 1);
        rc = BL_DONE;
    }
    bl_bind_int64(st, 1, boot);
    /* the counts stored at import spare a scan of boots with nothing to note */
    if (rc == BL_DONE && noted > 0) {
        while ((rc = bl_step(st)) == BL_ROW) {
            struct bl_initcall_note n = {
                .function = (const char *)bl_column_text(st, 0), .start_us = opt_int(st, 1),
                .suspect = (const char *)bl_column_text(st, 2), .reported_us = opt_int(st, 3),
            };
            each(ctx, &n);
        }
    }
out:
    bl_reset(st);
    bl_reset(counts);
    return st && counts ? bl_db_done(db, rc, "cannot read the noted initcalls") : -1;
}

int bl_store_mismatches(struct bl_db *db, int64_t boot, int64_t *n)
{
    return bl_db_int(db, "SELECT count(*) FROM call WHERE boot_id = ?1 AND mismatch_us IS NOT NULL",
                     boot, NULL, n) < 0 ? -1 : 0;
}

int bl_store_has_stream(struct bl_db *db, int64_t boot, const char *stream)
{
    int64_t n;
    return bl_db_int(db, "SELECT count(*) FROM stream WHERE boot_id = ?1 AND name = ?2", boot, stream, &n) < 0
               ? -1 : n > 0;
}

/* Calls as table call has them, with the kernel option that built each
 * (bootlog kconfig's mapping) as its function: the one source of every
 * by-option reading (--by-config). */
#define CALLS_BY_OPTION                                                                                      \
    "(SELECT c.kind, NULL AS module, c.reported_us, c.corrected_us, c.start_printk_us, c.ret, c.boot_id, "   \
    "c.suspect, c.id, CASE WHEN k.id IS NULL THEN '" BL_NOT_MAPPED "' WHEN k.symbol IS NULL THEN '"          \
    BL_ALWAYS_BUILT "' ELSE k.symbol END AS function FROM call c LEFT JOIN kconfig_call kc ON kc.call_id = c.id " \
    "LEFT JOIN kconfig_initcall k ON k.id = kc.initcall_id) AS by_option"

int bl_store_initcall_sums(struct bl_db *db, int64_t boot, bool by_config,
                           void (*each)(void *ctx, const char *function, const char *module, int64_t sum_us),
                           void *ctx)
{
    struct bl_stmt *st = bl_db_stmt(db, by_config
        ? "SELECT function, module, sum(reported_us) FROM " CALLS_BY_OPTION " WHERE boot_id = ?1 AND "
          "kind = 'initcall' AND reported_us IS NOT NULL AND suspect IS NULL GROUP BY function, module"
        : "SELECT function, module, sum(reported_us) FROM call WHERE boot_id = ?1 AND kind = 'initcall' "
          "AND reported_us IS NOT NULL AND suspect IS NULL GROUP BY function, module");
    int rc;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    while ((rc = bl_step(st)) == BL_ROW)
        each(ctx, (const char *)bl_column_text(st, 0), (const char *)bl_column_text(st, 1),
             bl_column_int64(st, 2));
    bl_reset(st);
    return bl_db_done(db, rc, "cannot read the initcalls");
}

/* ------------------------------------------------ what phases are made of */

int bl_store_boot_marks(struct bl_db *db, int64_t boot, struct bl_boot_marks *m)
{
    struct bl_stmt *st = bl_db_stmt(db,
        "SELECT b.handoff_host_ns, b.wall_ns, b.userspace_printk_us, u.corrected_us, u.wait_chars, "
        "b.poweroff_line_id, p.printk_us, p.corrected_us FROM boot b "
        "LEFT JOIN line u ON u.id = b.userspace_line_id LEFT JOIN line p ON p.id = b.poweroff_line_id "
        "WHERE b.id = ?1");
    int rc;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    if ((rc = bl_step(st)) == BL_ROW)
        *m = (struct bl_boot_marks){
            .handoff_host_ns = opt_int(st, 0), .wall_ns = opt_int(st, 1),
            .userspace_printk_us = opt_int(st, 2), .userspace_corrected_us = opt_int(st, 3),
            .userspace_wait_chars = opt_int(st, 4), .poweroff = bl_column_type(st, 5) != BL_NULL,
            .poweroff_printk_us = opt_int(st, 6), .poweroff_corrected_us = opt_int(st, 7),
        };
    bl_reset(st);
    if (rc == BL_ROW)
        return 0;
    if (rc == BL_DONE)
        bl_error("%s: no boot %lld", bl_db_name(db), (long long)boot);
    else
        bl_db_error(db, "cannot read a boot");
    return -1;
}

int bl_store_timeless(struct bl_db *db, int64_t boot)
{
    int64_t stamped;
    /* a firmware's or systemd's account tells times of its own */
    if (bl_db_int(db, "SELECT EXISTS (SELECT 1 FROM stream_line WHERE boot_id = ?1 AND "
                      "(printk_us IS NOT NULL OR " LINE_HOST " IS NOT NULL)) OR "
                      "EXISTS (SELECT 1 FROM account WHERE boot_id = ?1)", boot, NULL, &stamped) < 0)
        return -1;
    return stamped == 0;
}

int bl_store_console_end_ns(struct bl_db *db, int64_t boot, int64_t *ns)
{
    return bl_db_int(db, "SELECT max(" LINE_HOST ") FROM stream_line WHERE boot_id = ?1 AND stream = 'console'",
                     boot, NULL, ns) < 0 ? -1 : 0;
}

int bl_store_lines_end_ns(struct bl_db *db, int64_t boot, int64_t *ns)
{
    /* one pass: the last arrival, else the last printk time */
    return bl_db_int(db, "SELECT coalesce(max(" LINE_HOST "), max(printk_us) * 1000) FROM stream_line "
                         "WHERE boot_id = ?1", boot, NULL, ns) < 0 ? -1 : 0;
}

int bl_store_last_printk_us(struct bl_db *db, int64_t boot, int64_t *us)
{
    return bl_db_int(db, "SELECT max(printk_us) FROM stream_line WHERE boot_id = ?1", boot, NULL, us) < 0 ? -1 : 0;
}

int bl_store_line_corrected(struct bl_db *db, int64_t line_id, int64_t *corrected_us)
{
    return bl_db_int(db, "SELECT corrected_us FROM line WHERE id = ?1", line_id, NULL, corrected_us) < 0 ? -1 : 0;
}

int bl_store_initcall_edge(struct bl_db *db, int64_t boot, bool last, int64_t before_us, int64_t *printk_us,
                           int64_t *corrected_us)
{
    /* the call's line: its input's first line id + its seq - 1 */
    struct bl_stmt *st = bl_db_stmt(db, last
        ? "SELECT c.end_printk_us, (SELECT l.corrected_us FROM stream s JOIN input i ON i.id = s.input_id "
          "JOIN line l ON l.id = i.first_line_id + c.end_seq - 1 WHERE s.id = c.stream_id) "
          "FROM call c WHERE c.boot_id = ?1 AND c.kind = 'initcall' AND c.end_printk_us IS NOT NULL "
          "AND (CAST(?2 AS INTEGER) IS NULL OR c.end_printk_us <= ?2) ORDER BY c.end_printk_us DESC, c.id DESC LIMIT 1"
        : "SELECT c.start_printk_us, (SELECT l.corrected_us FROM stream s JOIN input i ON i.id = s.input_id "
          "JOIN line l ON l.id = i.first_line_id + c.start_seq - 1 WHERE s.id = c.stream_id) "
          "FROM call c WHERE c.boot_id = ?1 AND c.kind = 'initcall' AND c.start_printk_us IS NOT NULL "
          /* not start_kernel's console initcalls (console_init, "@ 0"): do_initcalls' */
          "AND (c.pid IS NULL OR c.pid <> 0) ORDER BY c.start_printk_us LIMIT 1");
    int rc;
    *printk_us = *corrected_us = BL_NONE;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    bl_bind_opt(st, 2, before_us);
    if ((rc = bl_step(st)) == BL_ROW) {
        *printk_us = bl_column_int64(st, 0);
        *corrected_us = opt_int(st, 1);
    }
    bl_reset(st);
    return rc == BL_ROW ? 1 : bl_db_done(db, rc, "cannot read the initcalls");
}

int bl_store_kernel_steps(struct bl_db *db, int64_t boot,
                          void (*each)(void *ctx, const char *mark, int64_t printk_us, int64_t corrected_us),
                          void *ctx)
{
    struct bl_stmt *st = bl_db_stmt(db, "SELECT mark, printk_us, corrected_us FROM stream_line WHERE boot_id = ?1 "
                                      "AND printk_us IS NOT NULL AND (mark IN ('smp-begin', 'smp-end') OR mark LIKE 'cpu-%') "
                                      "ORDER BY dump, id");
    int rc;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    while ((rc = bl_step(st)) == BL_ROW)
        each(ctx, (const char *)bl_column_text(st, 0), bl_column_int64(st, 1), opt_int(st, 2));
    bl_reset(st);
    return bl_db_done(db, rc, "cannot read the kernel's steps");
}

int bl_store_firmware_lines(struct bl_db *db, int64_t boot,
                            void (*each)(void *ctx, int64_t host_ns, int64_t end_ns, const char *mark), void *ctx)
{
    struct bl_stmt *st = bl_db_stmt(db, "SELECT host_ns, coalesce(host_end_ns, host_ns), mark FROM stream_line "
                                         "WHERE boot_id = ?1 AND stream = 'firmware' AND " LINE_HOST " IS NOT NULL "
                                         "ORDER BY id");
    int rc;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    while ((rc = bl_step(st)) == BL_ROW)
        each(ctx, bl_column_int64(st, 0), bl_column_int64(st, 1), (const char *)bl_column_text(st, 2));
    bl_reset(st);
    return bl_db_done(db, rc, "cannot read the firmware's lines");
}

/* The columns of a line_row, and the row from them; NO_TEXT: for the
 * readers that need only times and sizes (reading every line's text was a
 * tenth of a large import). */
#define LINE_ROW "id, " LINE_HOST ", printk_us, chars, corrected_us, host_end_ns, mark, text"
#define LINE_ROW_NO_TEXT "id, " LINE_HOST ", printk_us, chars, corrected_us, host_end_ns, mark, NULL"
static struct bl_line_row line_row(struct bl_stmt *st)
{
    return (struct bl_line_row){
        .id = bl_column_int64(st, 0), .host_ns = opt_int(st, 1), .printk_us = opt_int(st, 2),
        .chars = opt_int(st, 3), .corrected_us = opt_int(st, 4), .host_end_ns = opt_int(st, 5),
        .mark = (const char *)bl_column_text(st, 6),
        .text = (const char *)bl_column_text(st, 7), .len = (size_t)bl_column_bytes(st, 7),
    };
}

/* Calls each(ctx, line) for the rows of a query of LINE_ROW columns with
 * the boot bound to ?1, until each returns non-zero (< 0: an error). */
static int each_line(struct bl_db *db, const char *sql, int64_t boot,
                     int (*each)(void *ctx, const struct bl_line_row *l), void *ctx, const char *what)
{
    struct bl_stmt *st = bl_db_stmt(db, sql);
    int rc, stop = 0;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    while (!stop && (rc = bl_step(st)) == BL_ROW) {
        struct bl_line_row l = line_row(st);
        stop = each(ctx, &l);
    }
    bl_reset(st);
    return stop < 0 ? -1 : stop ? 0 : bl_db_done(db, rc, what);
}

int bl_store_lines_by_time(struct bl_db *db, int64_t boot, bool dump,
                           int (*each)(void *ctx, const struct bl_line_row *l), void *ctx)
{
    struct bl_stmt *st = bl_db_stmt(db, dump
        ? "SELECT " LINE_ROW " FROM stream_line WHERE boot_id = ?1 AND dump = 1 ORDER BY printk_us, id"
        : "SELECT " LINE_ROW " FROM stream_line WHERE boot_id = ?1 AND dump = 0 "
          "ORDER BY coalesce(" LINE_HOST ", printk_us * 1000), id");
    int rc, stop = 0;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    while (!stop && (rc = bl_step(st)) == BL_ROW) {
        struct bl_line_row l = line_row(st);
        stop = l.text ? each(ctx, &l) : 0;
    }
    bl_reset(st);
    return stop ? 0 : bl_db_done(db, rc, "cannot read the lines");
}

int bl_store_live_console(struct bl_db *db, int64_t boot, int (*each)(void *ctx, const struct bl_line_row *l), void *ctx)
{
    return each_line(db, "SELECT " LINE_ROW_NO_TEXT " FROM stream_line WHERE boot_id = ?1 AND stream = 'console' "
                         "AND dump = 0 ORDER BY id", boot, each, ctx, "cannot read the console");
}

int bl_store_task_calls(struct bl_db *db, int64_t boot,
                        void (*each)(void *ctx, int64_t pid, bool async, const char *function, int64_t start_us,
                                     int64_t end_us),
                        void *ctx)
{
    struct bl_stmt *st = bl_db_stmt(db,
        "SELECT pid, CASE WHEN kind = 'async' THEN 1 ELSE 0 END, function, start_printk_us, end_printk_us "
        "FROM call WHERE boot_id = ?1 AND kind IN ('initcall', 'async') AND pid IS NOT NULL "
        "AND start_printk_us IS NOT NULL AND end_printk_us IS NOT NULL ORDER BY pid, start_printk_us, id");
    int rc;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    while ((rc = bl_step(st)) == BL_ROW)
        each(ctx, bl_column_int64(st, 0), bl_column_int(st, 1), (const char *)bl_column_text(st, 2),
             bl_column_int64(st, 3), bl_column_int64(st, 4));
    bl_reset(st);
    return bl_db_done(db, rc, "cannot read the calls by task");
}

int bl_store_longest_initcalls(struct bl_db *db, int64_t boot, int64_t n,
                               void (*each)(void *ctx, const char *function, int64_t start_us, int64_t end_us),
                               void *ctx)
{
    struct bl_stmt *st = bl_db_stmt(db,
        "SELECT function, start_printk_us, end_printk_us FROM call WHERE boot_id = ?1 "
        "AND kind = 'initcall' AND start_printk_us IS NOT NULL AND end_printk_us IS NOT NULL "
        "ORDER BY end_printk_us - start_printk_us DESC, function LIMIT ?2");
    int rc;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    bl_bind_int64(st, 2, n > 0 ? n : INT64_MAX);   /* no limit (PostgreSQL refuses SQLite's -1) */
    while ((rc = bl_step(st)) == BL_ROW)
        each(ctx, (const char *)bl_column_text(st, 0), bl_column_int64(st, 1),
             bl_column_int64(st, 2));
    bl_reset(st);
    return bl_db_done(db, rc, "cannot read the initcalls");
}

int bl_store_load_timeline(struct bl_db *db, int64_t boot, bool corrected, bool *host, int64_t *total_ns,
                           struct bl_phase **out, size_t *n)
{
    struct bl_stmt *t = bl_db_stmt(db, "SELECT host, total_ns FROM timeline WHERE boot_id = ?1 AND corrected = ?2");
    struct bl_stmt *p = bl_db_stmt(db, "SELECT name, depth, start_ns, end_ns, placed FROM phase "
                                        "WHERE boot_id = ?1 AND corrected = ?2 ORDER BY seq");
    size_t cap = 0;
    int rc = -1;

    *out = NULL;
    *n = 0;
    if (!t || !p)
        goto out;
    bl_bind_int64(t, 1, boot);
    bl_bind_int(t, 2, corrected);
    if ((rc = bl_step(t)) != BL_ROW) {
        rc = rc == BL_DONE ? 0 : -1;
        goto out;
    }
    *host = bl_column_int(t, 0);
    *total_ns = bl_column_int64(t, 1);
    bl_bind_int64(p, 1, boot);
    bl_bind_int(p, 2, corrected);
    while ((rc = bl_step(p)) == BL_ROW) {
        struct bl_phase ph = { .depth = bl_column_int(p, 1), .start_ns = bl_column_int64(p, 2),
                               .end_ns = bl_column_int64(p, 3), .placed = bl_column_int(p, 4) };
        snprintf(ph.name, sizeof(ph.name), "%s", (const char *)bl_column_text(p, 0));
        BL_PUSH(*out, *n, cap, ph);
    }
    rc = rc == BL_DONE ? 1 : -1;
out:
    if (rc < 0) {
        bl_db_error(db, "cannot read the stored phases");
        free(*out);
        *out = NULL;
        *n = 0;
    }
    bl_reset(t);
    bl_reset(p);
    return rc;
}

int bl_store_save_timeline(struct bl_db *db, int64_t boot, bool corrected, bool host, int64_t total_ns,
                           int64_t length_ns, const struct bl_phase *phases, size_t n)
{
    struct bl_stmt *t = bl_db_stmt(db, "INSERT INTO timeline (boot_id, corrected, host, total_ns, length_ns) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5)");
    struct bl_stmt *p = bl_db_stmt(db, "INSERT INTO phase (boot_id, corrected, seq, name, depth, start_ns, end_ns, "
                                        "placed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    int step = BL_ERROR;
    if (t && p) {
        bl_bind_int64(t, 1, boot);
        bl_bind_int(t, 2, corrected);
        bl_bind_int(t, 3, host);
        bl_bind_int64(t, 4, total_ns);
        bl_bind_opt(t, 5, length_ns);
        step = bl_step(t);
    }
    for (size_t i = 0; i < n && step == BL_DONE; i++) {
        bl_bind_int64(p, 1, boot);
        bl_bind_int(p, 2, corrected);
        bl_bind_int64(p, 3, (int64_t)i);
        bl_bind_text(p, 4, phases[i].name, -1, BL_STATIC);
        bl_bind_int(p, 5, phases[i].depth);
        bl_bind_int64(p, 6, phases[i].start_ns);
        bl_bind_int64(p, 7, phases[i].end_ns);
        bl_bind_int(p, 8, phases[i].placed);
        step = bl_step(p);
        bl_reset(p);
    }
    bl_reset(t);
    bl_reset(p);
    if (!t || !p)
        return -1;
    return bl_db_done(db, step, "cannot store the phases");
}

/* Steps a statement that changes rows: 0, or -1 after printing an error. */
static int change(struct bl_db *db, struct bl_stmt *st, const char *what)
{
    int rc = bl_step(st);
    bl_reset(st);
    return bl_db_done(db, rc, what);
}

int bl_store_add_account(struct bl_db *db, int64_t boot, int64_t seq, const struct bl_account_row *r, int64_t line_id)
{
    struct bl_stmt *st = bl_db_stmt(db,
        "INSERT INTO account (boot_id, seq, source, table_no, kind, name, value_us, line_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    bl_bind_int64(st, 2, seq);
    bl_bind_text(st, 3, r->source, -1, BL_TRANSIENT);
    bl_bind_int(st, 4, r->table_no);
    bl_bind_text(st, 5, bl_account_kind_name(r->kind), -1, BL_TRANSIENT);
    bl_bind_text(st, 6, r->name, -1, BL_TRANSIENT);
    bl_bind_int64(st, 7, r->value_us);
    bl_bind_int64(st, 8, line_id);
    return change(db, st, "cannot store an account's row");
}

int bl_store_add_unit(struct bl_db *db, int64_t boot, const struct bl_unit_row *u, int64_t line_id)
{
    /* blame and critical-chain each say part of a unit: one row */
    struct bl_stmt *st = bl_db_stmt(db,
        "INSERT INTO unit (boot_id, name, time_us, active_us, line_id) VALUES (?1, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (boot_id, name) DO UPDATE SET time_us = coalesce(unit.time_us, excluded.time_us), "
        "active_us = coalesce(excluded.active_us, unit.active_us)");
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    bl_bind_text(st, 2, u->name, -1, BL_TRANSIENT);
    bl_bind_opt(st, 3, u->time_us);
    bl_bind_opt(st, 4, u->active_us);
    bl_bind_int64(st, 5, line_id);
    return change(db, st, "cannot store a unit");
}

int bl_store_accounts(struct bl_db *db, int64_t boot, struct bl_account **out, size_t *n)
{
    struct bl_stmt *st = bl_db_stmt(db, "SELECT source, table_no, kind, name, value_us FROM account "
                                         "WHERE boot_id = ?1 ORDER BY seq");
    size_t cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    while ((rc = bl_step(st)) == BL_ROW) {
        struct bl_account a = { .table_no = bl_column_int(st, 1), .value_us = bl_column_int64(st, 4) };
        snprintf(a.source, sizeof(a.source), "%s", (const char *)bl_column_text(st, 0));
        snprintf(a.kind, sizeof(a.kind), "%s", (const char *)bl_column_text(st, 2));
        snprintf(a.name, sizeof(a.name), "%s", (const char *)bl_column_text(st, 3));
        BL_PUSH(*out, *n, cap, a);
    }
    bl_reset(st);
    if (rc != BL_DONE) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return bl_db_done(db, rc, "cannot read the boot's accounts");
}

int bl_store_stored_length(struct bl_db *db, int64_t boot, int64_t *ns)
{
    return bl_db_int(db, "SELECT length_ns FROM timeline WHERE boot_id = ?1 AND corrected = 0", boot, NULL, ns) < 0
               ? -1 : 0;
}

int bl_store_has_estimate(struct bl_db *db, int64_t boot)
{
    int64_t n;
    return bl_db_int(db, "SELECT count(*) FROM uart WHERE boot_id = ?1", boot, NULL, &n) < 0 ? -1 : n > 0;
}

/* ------------------------------------------------------ the console's cost */

int bl_store_load_estimate(struct bl_db *db, int64_t boot, struct bl_estimate *e)
{
    struct bl_stmt *st = bl_db_stmt(db,
        "SELECT ns_per_char, evidence, samples, spread_ns, chars, console_us, userspace_printk_us, "
        "predicted_userspace_us, ns_per_char_low, ns_per_char_high, checked FROM uart WHERE boot_id = ?1");
    int rc;
    memset(e, 0, sizeof(*e));
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    if ((rc = bl_step(st)) == BL_ROW) {
        e->ns_per_char = bl_column_int64(st, 0);
        snprintf(e->evidence, sizeof(e->evidence), "%s", (const char *)bl_column_text(st, 1));
        e->samples = bl_column_int64(st, 2);
        e->spread_ns = bl_column_int64(st, 3);
        e->chars = bl_column_int64(st, 4);
        e->console_us = bl_column_int64(st, 5);
        e->userspace_printk_us = opt_int(st, 6);
        e->predicted_userspace_us = opt_int(st, 7);
        e->ns_per_char_low = bl_column_type(st, 8) == BL_NULL ? e->ns_per_char : bl_column_int64(st, 8);
        e->ns_per_char_high = bl_column_type(st, 9) == BL_NULL ? e->ns_per_char : bl_column_int64(st, 9);
        const char *checked = (const char *)bl_column_text(st, 10);
        snprintf(e->checked, sizeof(e->checked), "%s", checked ? checked : "");
    }
    bl_reset(st);
    return rc == BL_ROW ? 1 : bl_db_done(db, rc, "cannot read the console's cost");
}

int bl_store_save_estimate(struct bl_db *db, int64_t boot, const struct bl_estimate *e)
{
    struct bl_stmt *st = bl_db_stmt(db,
        "INSERT INTO uart (boot_id, ns_per_char, evidence, samples, spread_ns, chars, console_us, "
        "userspace_printk_us, predicted_userspace_us, ns_per_char_low, ns_per_char_high, checked) "
        "VALUES (:boot, :ns_per_char, :evidence, :samples, :spread_ns, :chars, :console_us, "
        ":userspace_printk_us, :predicted_userspace_us, :low, :high, :checked)");
    if (!st)
        return -1;
    bl_bind_named(st, ":boot", boot);
    bl_bind_named(st, ":ns_per_char", e->ns_per_char);
    bl_bind_named_str(st, ":evidence", e->evidence);
    bl_bind_named(st, ":samples", e->samples);
    bl_bind_named(st, ":spread_ns", e->spread_ns);
    bl_bind_named(st, ":chars", e->chars);
    bl_bind_named(st, ":console_us", e->console_us);
    bl_bind_named(st, ":userspace_printk_us", e->userspace_printk_us);
    bl_bind_named(st, ":predicted_userspace_us", e->predicted_userspace_us);
    bl_bind_named(st, ":low", e->ns_per_char_low);
    bl_bind_named(st, ":high", e->ns_per_char_high);
    bl_bind_named_str(st, ":checked", e->checked);
    int rc = bl_step(st);
    bl_reset(st);
    return bl_db_done(db, rc, "cannot store the console's cost");
}

int bl_store_calling_lines(struct bl_db *db, int64_t boot,
                           void (*each)(void *ctx, int64_t line_id, int64_t start_us, int64_t end_us,
                                        int64_t reported_us, int64_t chars),
                           void *ctx)
{
    /* the call's line: its input's first line id + its seq - 1 */
    struct bl_stmt *st = bl_db_stmt(db,
        "SELECT l.id, c.start_printk_us, c.end_printk_us, c.reported_us, l.chars FROM call c "
        "JOIN stream s ON s.id = c.stream_id JOIN input i ON i.id = s.input_id "
        "JOIN line l ON l.id = i.first_line_id + c.start_seq - 1 "
        "WHERE c.boot_id = ?1 AND c.kind = 'initcall' AND c.end_seq = c.start_seq + 1 AND c.dump = 0 "
        "AND c.reported_us IS NOT NULL AND c.reported_unit = 'usecs' AND c.start_printk_us IS NOT NULL "
        "AND c.end_printk_us IS NOT NULL AND l.chars IS NOT NULL");
    int rc;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    while ((rc = bl_step(st)) == BL_ROW)
        each(ctx, bl_column_int64(st, 0), bl_column_int64(st, 1), bl_column_int64(st, 2),
             bl_column_int64(st, 3), bl_column_int64(st, 4));
    bl_reset(st);
    return bl_db_done(db, rc, "cannot read the initcalls");
}

int bl_store_console_bytes(struct bl_db *db, int64_t boot, int64_t *chars)
{
    return bl_db_int(db, "SELECT coalesce(sum(chars), 0) FROM stream_line WHERE boot_id = ?1 "
                         "AND stream = 'console' AND dump = 0", boot, NULL, chars) < 0 ? -1 : 0;
}

int bl_store_console_marks(struct bl_db *db, int64_t boot, void (*each)(void *ctx, const char *mark), void *ctx)
{
    struct bl_stmt *st = bl_db_stmt(db, "SELECT mark FROM stream_line WHERE boot_id = ?1 AND stream = 'console' "
                                      "AND dump = 0 AND mark IS NOT NULL ORDER BY id");
    int rc;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    while ((rc = bl_step(st)) == BL_ROW)
        each(ctx, (const char *)bl_column_text(st, 0));
    bl_reset(st);
    return bl_db_done(db, rc, "cannot read the console");
}

/* Runs an UPDATE of row ?1 setting two optional values ?2 and ?3 (in bulk:
 * the rows of a boot's analysis go together). */
static int set_two(struct bl_db *db, const char *sql, int64_t id, int64_t a, int64_t b, const char *what)
{
    struct bl_stmt *st = bl_db_stmt_bulk(db, sql);
    if (!st)
        return -1;
    bl_bind_int64(st, 1, id);
    bl_bind_opt(st, 2, a);
    bl_bind_opt(st, 3, b);
    return change(db, st, what);
}

int bl_store_line_wait(struct bl_db *db, int64_t line_id, int64_t wait_chars, int64_t corrected_us)
{
    return set_two(db, "UPDATE line SET wait_chars = ?2, corrected_us = ?3 WHERE id = ?1", line_id, wait_chars,
                   corrected_us, "cannot store the console's cost");
}

int bl_store_timed_calls(struct bl_db *db, int64_t boot, int (*each)(void *ctx, const struct bl_call_row *c),
                         void *ctx)
{
    /* a call's line: its input's first line id + its seq - 1 */
    struct bl_stmt *st = bl_db_stmt(db,
        "SELECT c.id, c.reported_us, c.duration_us, i.first_line_id + c.start_seq - 1, "
        "i.first_line_id + c.end_seq - 1, c.kind = 'initcall' FROM call c "
        "JOIN stream s ON s.id = c.stream_id JOIN input i ON i.id = s.input_id "
        "WHERE c.boot_id = ?1 AND c.reported_us IS NOT NULL ORDER BY c.id");
    int rc, stop = 0;
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    while (!stop && (rc = bl_step(st)) == BL_ROW) {
        struct bl_call_row c = {
            .id = bl_column_int64(st, 0), .reported_us = bl_column_int64(st, 1),
            .duration_us = opt_int(st, 2), .start_line_id = opt_int(st, 3), .end_line_id = opt_int(st, 4),
            .initcall = bl_column_int(st, 5) != 0,
        };
        stop = each(ctx, &c);
    }
    bl_reset(st);
    return stop < 0 ? -1 : stop ? 0 : bl_db_done(db, rc, "cannot read the calls");
}

int bl_store_call_derived(struct bl_db *db, int64_t call_id, int64_t corrected_us, int64_t mismatch_us)
{
    return set_two(db, "UPDATE call SET corrected_us = ?2, mismatch_us = ?3 WHERE id = ?1", call_id, corrected_us,
                   mismatch_us, "cannot store the corrected durations");
}

int bl_store_boot_lines(struct bl_db *db, int64_t boot, int (*each)(void *ctx, const struct bl_line_row *l), void *ctx)
{
    return each_line(db, "SELECT " LINE_ROW " FROM stream_line WHERE boot_id = ?1 ORDER BY id", boot, each, ctx,
                     "cannot read the lines");
}

int bl_store_set_mark(struct bl_db *db, int64_t line_id, const char *mark)
{
    struct bl_stmt *st = bl_db_stmt_bulk(db, "UPDATE line SET mark = ?2 WHERE id = ?1");
    if (!st)
        return -1;
    bl_bind_int64(st, 1, line_id);
    bl_bind_text(st, 2, mark, -1, BL_TRANSIENT);
    return change(db, st, "cannot store a line's mark");
}

/* Runs each of sql[0..n-1] with the boot bound to ?1. */
static int boot_statements(struct bl_db *db, const char *const *sql, size_t n, int64_t boot, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        struct bl_stmt *st = bl_db_stmt(db, sql[i]);
        if (!st)
            return -1;
        bl_bind_int64(st, 1, boot);
        if (change(db, st, what) < 0)
            return -1;
    }
    return 0;
}

int bl_store_overlapping(struct bl_db *db, int64_t boot, int64_t *other)
{
    return bl_db_int(db, "SELECT o.id FROM boot b JOIN boot o ON o.id <> b.id AND o.started_us IS NOT NULL "
                         "AND o.wall_ns IS NOT NULL AND o.started_us < b.started_us + b.wall_ns / 1000 "
                         "AND b.started_us < o.started_us + o.wall_ns / 1000 "
                         "WHERE b.id = ?1 AND b.started_us IS NOT NULL AND b.wall_ns IS NOT NULL "
                         "ORDER BY o.id LIMIT 1", boot, NULL, other);
}

int bl_store_delete_boot(struct bl_db *db, int64_t boot)
{
    /* the schema's cascades are not relied on (foreign keys are off) */
    static const char *const sql[] = {
        "CREATE TEMP TABLE IF NOT EXISTS gone_input (id BIGINT PRIMARY KEY)",
        "INSERT INTO gone_input SELECT DISTINCT input_id FROM stream WHERE boot_id = ?1 ON CONFLICT DO NOTHING",
        "DELETE FROM line WHERE id IN (SELECT id FROM stream_line WHERE boot_id = ?1)",
        "DELETE FROM kconfig_call WHERE call_id IN (SELECT id FROM call WHERE boot_id = ?1)",
        "DELETE FROM boot_kconfig WHERE boot_id = ?1",
        "DELETE FROM call WHERE boot_id = ?1",
        "DELETE FROM uart WHERE boot_id = ?1",
        "DELETE FROM phase WHERE boot_id = ?1",
        "DELETE FROM timeline WHERE boot_id = ?1",
        "DELETE FROM account WHERE boot_id = ?1",
        "DELETE FROM unit WHERE boot_id = ?1",
        "DELETE FROM stream WHERE boot_id = ?1",
        "DELETE FROM boot WHERE id = ?1",
        "DELETE FROM input WHERE id IN (SELECT id FROM gone_input) AND id NOT IN (SELECT input_id FROM stream)",
        "DELETE FROM gone_input",
    };
    return boot_statements(db, sql, sizeof(sql) / sizeof(sql[0]), boot, "cannot delete a boot");
}

int bl_store_relabel_boot(struct bl_db *db, int64_t boot, const char *label)
{
    struct bl_stmt *st = bl_db_stmt(db, "UPDATE boot SET label = ?2 WHERE id = ?1");
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    bl_bind_text(st, 2, label, -1, BL_TRANSIENT);
    return change(db, st, "cannot relabel a boot");
}

int bl_store_clear_derived(struct bl_db *db, int64_t boot)
{
    static const char *const sql[] = {
        "DELETE FROM uart WHERE boot_id = ?1",
        "DELETE FROM phase WHERE boot_id = ?1",
        "DELETE FROM timeline WHERE boot_id = ?1",
        "DELETE FROM account WHERE boot_id = ?1",
        "DELETE FROM unit WHERE boot_id = ?1",
        ("UPDATE line SET wait_chars = NULL, corrected_us = NULL WHERE id IN "
         "(SELECT id FROM stream_line WHERE boot_id = ?1)"),   /* one statement (clang asks) */
        "UPDATE call SET corrected_us = NULL, mismatch_us = NULL WHERE boot_id = ?1",
    };
    return boot_statements(db, sql, sizeof(sql) / sizeof(sql[0]), boot, "cannot clear a boot's derived data");
}

int bl_store_set_analysis(struct bl_db *db, int64_t boot, const char *console, int version)
{
    struct bl_stmt *st = bl_db_stmt(db, "UPDATE boot SET console = ?2, analysis = ?3 WHERE id = ?1");
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    bl_bind_text(st, 2, console, -1, BL_TRANSIENT);
    bl_bind_int(st, 3, version);
    return change(db, st, "cannot store a boot's analysis");
}

int bl_store_stale_boots(struct bl_db *db, int version, int64_t **ids, size_t *n)
{
    struct bl_stmt *st = bl_db_stmt(db, "SELECT id FROM boot WHERE analysis < ?1 ORDER BY id");
    size_t cap = 0;
    int rc;
    *ids = NULL;
    *n = 0;
    if (!st)
        return -1;
    bl_bind_int(st, 1, version);
    while ((rc = bl_step(st)) == BL_ROW) {
        if (*n == cap)
            *ids = bl_xrealloc(*ids, (cap = cap ? 2 * cap : 16) * sizeof(**ids));
        (*ids)[(*n)++] = bl_column_int64(st, 0);
    }
    bl_reset(st);
    return bl_db_done(db, rc, "cannot read the boots");
}

/* ------------------------------------------------------------- ranking */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static struct bl_ranked_call ranked_call(struct bl_stmt *st, int64_t boot_id)
{
    return (struct bl_ranked_call){
        .function = (const char *)bl_column_text(st, 0), .module = (const char *)bl_column_text(st, 1),
        .us = bl_column_int64(st, 2), .start_us = bl_column_int64(st, 3),
        .ret = bl_column_int64(st, 4),   /* NULL (not printed) reads as 0 */
        .suspect = bl_column_int(st, 6) != 0, .boot_id = boot_id,
    };
}

/* Boot by boot through the index when they are a few of the database's
 * boots, else in one pass over all calls (a fleet's database: four times
 * faster than a thousand index walks). */
int bl_store_ranked_calls(struct bl_db *db, const int64_t *ids, size_t n, bool corrected, bool by_config,
                          void (*each)(void *ctx, const struct bl_ranked_call *c), void *ctx)
{
    const char *us = corrected ? "coalesce(corrected_us, reported_us)" : "reported_us";
    int64_t all;
    if (bl_db_int(db, "SELECT count(*) FROM boot", 0, NULL, &all) < 0)
        return -1;
    bool scan = (int64_t)n * 4 >= all;
    char sql[800];
    /* by option: the calls with the option that built them in place of
     * their function */
    const char *from = by_config ? CALLS_BY_OPTION : "call";
    /* start and return code only matter to one boot's ranking; not reading
     * them saves a tenth of a fleet's */
    snprintf(sql, sizeof(sql),
             "SELECT function, module, %s, %s, boot_id, suspect IS NOT NULL FROM %s WHERE %s"
             "kind = 'initcall' AND reported_us IS NOT NULL",
             us, n == 1 ? "coalesce(start_printk_us, -1), ret" : "-1, 0", from, scan ? "" : "boot_id = ? AND ");
    struct bl_stmt *st = bl_db_stmt(db, sql);
    int64_t *sorted = bl_xmalloc((n ? n : 1) * sizeof(*sorted));
    int rc = BL_DONE;

    if (!st) {
        free(sorted);
        return -1;
    }
    if (scan) {
        int64_t boot_id = -1;
        bool selected = false;
        memcpy(sorted, ids, n * sizeof(*ids));
        qsort(sorted, n, sizeof(*sorted), cmp_i64);
        while ((rc = bl_step(st)) == BL_ROW) {
            int64_t id = bl_column_int64(st, 5);
            if (id != boot_id) {   /* a boot's calls come together */
                boot_id = id;
                selected = bsearch(&boot_id, sorted, n, sizeof(*sorted), cmp_i64) != NULL;
            }
            if (selected) {
                struct bl_ranked_call c = ranked_call(st, boot_id);
                each(ctx, &c);
            }
        }
    } else {
        for (size_t i = 0; i < n && rc == BL_DONE; i++) {
            bl_bind_int64(st, 1, ids[i]);
            while ((rc = bl_step(st)) == BL_ROW) {
                struct bl_ranked_call c = ranked_call(st, ids[i]);
                each(ctx, &c);
            }
            bl_reset(st);
        }
    }
    bl_reset(st);
    free(sorted);
    return bl_db_done(db, rc, "cannot read initcalls");
}

/* ------------------------------------------------- kernel options (kconfig) */

int bl_store_kconfig_calls(struct bl_db *db, int64_t boot, struct bl_kcall **calls, size_t *n, int64_t *switch_us,
                           char **version_line, char **release)
{
    *calls = NULL;
    *n = 0;
    *version_line = *release = NULL;
    struct bl_stmt *rel = bl_db_stmt(db, "SELECT kernel_version FROM boot WHERE id = ?1");
    if (!rel)
        return -1;
    bl_bind_int64(rel, 1, boot);
    if (bl_step(rel) == BL_ROW && bl_column_text(rel, 0))
        *release = bl_xstrdup((const char *)bl_column_text(rel, 0));
    bl_reset(rel);
    if (bl_db_int(db, "SELECT min(printk_us) FROM stream_line WHERE boot_id = ?1 AND "
                      "text LIKE '%clocksource: Switched to clocksource %'", boot, NULL, switch_us) < 0)
        return -1;
    struct bl_stmt *st = bl_db_stmt(db, "SELECT text FROM stream_line WHERE boot_id = ?1 AND "
                                      "text LIKE '%Linux version %' ORDER BY id LIMIT 1");
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    int rc = bl_step(st);
    if (rc == BL_ROW) {
        const char *t = (const char *)bl_column_text(st, 0);
        *version_line = bl_xstrdup(strstr(t, "Linux version ") ? strstr(t, "Linux version ") : t);
        rc = BL_DONE;
    }
    bl_reset(st);
    if (bl_db_done(db, rc, "cannot read the boot's kernel version") < 0)
        return -1;
    st = bl_db_stmt(db, "SELECT id, function, module, coalesce(reported_us, 0), "
                        "coalesce(corrected_us, reported_us, 0), start_printk_us FROM call "
                        "WHERE boot_id = ?1 AND kind = 'initcall' ORDER BY coalesce(start_seq, end_seq), id");
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    size_t cap = 0;
    while ((rc = bl_step(st)) == BL_ROW) {
        const char *module = (const char *)bl_column_text(st, 2);
        struct bl_kcall c = {
            .call_id = bl_column_int64(st, 0),
            .function = bl_xstrdup((const char *)bl_column_text(st, 1)),
            .module = module ? bl_xstrdup(module) : NULL,
            .us = bl_column_int64(st, 3),
            .corrected_us = bl_column_int64(st, 4),
            .start_us = bl_column_type(st, 5) == BL_NULL ? BL_NONE : bl_column_int64(st, 5),
            .reg = -1,
        };
        BL_PUSH(*calls, *n, cap, c);
    }
    bl_reset(st);
    return bl_db_done(db, rc, "cannot read initcalls");
}

void bl_store_kcalls_free(struct bl_kcall *calls, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)calls[i].function);
        free((char *)calls[i].module);
    }
    free(calls);
}

/* The mapping's id for this tree and config, made if new (its initcalls
 * and options written then). */
static int64_t kconfig_map_id(struct bl_db *db, const struct bl_ktree *t, const char *source, const char *config,
                              int64_t base)
{
    int64_t id = -1;
    struct bl_stmt *st = bl_db_stmt(db, "SELECT id FROM kconfig_map WHERE source = ?1 AND config_sha256 = ?2");
    if (!st)
        return -1;
    bl_bind_str(st, 1, source);
    bl_bind_str(st, 2, t->config.sha256);
    int rc = bl_step(st);
    if (rc == BL_ROW) {
        id = bl_column_int64(st, 0);
        bl_reset(st);
        /* made again: the tree may have changed since (the schema's
         * cascades are not relied on: foreign keys are off) */
        static const char *const sql[] = {
            "DELETE FROM kconfig_call WHERE initcall_id IN (SELECT id FROM kconfig_initcall WHERE map_id = ?1)",
            "DELETE FROM kconfig_initcall WHERE map_id = ?1",
            "DELETE FROM kconfig_symbol WHERE map_id = ?1",
            "DELETE FROM boot_kconfig WHERE map_id = ?1",
            "DELETE FROM kconfig_map WHERE id = ?1",
        };
        if (boot_statements(db, sql, sizeof(sql) / sizeof(sql[0]), id, "cannot replace a kconfig mapping") < 0)
            return -1;
    } else {
        bl_reset(st);
        if (bl_db_done(db, rc, "cannot read kconfig mappings") < 0)
            return -1;
    }
    st = bl_db_stmt(db, "INSERT INTO kconfig_map (source, version, arch, config, config_sha256, made_at) VALUES "
                        "(?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
    if (!st)
        return -1;
    bl_bind_str(st, 1, source);
    bl_bind_str(st, 2, t->version);
    bl_bind_str(st, 3, t->srcarch);
    bl_bind_str(st, 4, config);
    bl_bind_str(st, 5, t->config.sha256);
    char now[32];
    bl_bind_str(st, 6, bl_db_now(now));
    if ((rc = bl_step(st)) == BL_ROW) {
        id = bl_column_int64(st, 0);
        rc = bl_step(st);
    }
    bl_reset(st);
    if (bl_db_done(db, rc, "cannot store a kconfig mapping") < 0)
        return -1;

    struct bl_stmt *ins = bl_db_stmt(db, "INSERT INTO kconfig_initcall (id, map_id, function, file, line, level, "
                                       "macro, built_in, symbol, symbols) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    struct bl_stmt *sym = bl_db_stmt(db, "INSERT INTO kconfig_symbol (map_id, name, state, prompt, "
                                       "selected_by, dependents) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                                       "ON CONFLICT DO NOTHING");
    if (!ins || !sym)
        return -1;
    rc = BL_DONE;
    struct bl_names done = { 0 };   /* options written (each costs a walk of its dependents) */
    for (size_t i = 0; i < t->src.n_regs && rc == BL_DONE; i++) {
        if (!t->built[i] && !t->module[i])
            continue;
        const struct bl_kreg *r = &t->src.regs[i];
        bl_bind_int64(ins, 1, base + 1 + (int64_t)i);   /* the registration's number: kconfig_call finds it */
        bl_bind_int64(ins, 2, id);
        bl_bind_str(ins, 3, r->function);
        bl_bind_str(ins, 4, r->file);
        bl_bind_int(ins, 5, r->line);
        bl_bind_str(ins, 6, r->level);
        bl_bind_str(ins, 7, r->macro);
        bl_bind_int(ins, 8, t->built[i] != 0);
        bl_bind_str(ins, 9, bl_ktree_symbol(t, i));
        bl_bind_str(ins, 10, t->chain[i]);
        rc = bl_step(ins);
        bl_reset(ins);
        /* the chain's options */
        for (const char *p = t->chain[i]; *p && rc == BL_DONE;) {
            size_t len = strcspn(p, " ");
            char name[256], sel[256];
            snprintf(name, sizeof(name), "%.*s", (int)len, p);
            p += len + (p[len] == ' ');
            if (bl_names_find(&done, name, strlen(name)) != BL_NAMES_NONE)
                continue;
            bl_names_add(&done, name, strlen(name));
            const char *none[1];
            bl_ktree_selectors(t, name, sel, sizeof(sel), 1000);
            char state[2] = { bl_ktree_state(t, name), '\0' };
            bl_bind_int64(sym, 1, id);
            bl_bind_str(sym, 2, name);
            bl_bind_str(sym, 3, state);
            bl_bind_int(sym, 4, bl_ktree_has_prompt(t, name));
            bl_bind_str(sym, 5, sel);
            bl_bind_int64(sym, 6, (int64_t)bl_ktree_dependents(t, name, none, 0));
            rc = bl_step(sym);
            bl_reset(sym);
        }
    }
    bl_names_free(&done);
    if (bl_db_done(db, rc, "cannot store a kconfig mapping") < 0)
        return -1;
    return id;
}

int bl_store_kconfig_save(struct bl_db *db, const struct bl_ktree *t, const char *source, const char *config,
                          const int64_t *ids, size_t n, struct bl_kcall *const *calls, const size_t *n_calls)
{
    if (bl_db_begin(db) < 0)
        return -1;
    int64_t base;
    int64_t map = -1;
    if (bl_db_int(db, "SELECT coalesce(max(id), 0) FROM kconfig_initcall", 0, NULL, &base) >= 0)
        map = kconfig_map_id(db, t, source, config, base);
    struct bl_stmt *boot = bl_db_stmt(db, "INSERT INTO boot_kconfig (boot_id, map_id) VALUES (?1, ?2) "
                                        "ON CONFLICT (boot_id) DO UPDATE SET map_id = excluded.map_id");
    struct bl_stmt *drop = bl_db_stmt(db, "DELETE FROM kconfig_call WHERE call_id IN "
                                        "(SELECT id FROM call WHERE boot_id = ?1)");
    struct bl_stmt *call = bl_db_stmt(db, "INSERT INTO kconfig_call (call_id, initcall_id) VALUES (?1, ?2)");
    int rc = map >= 0 && boot && drop && call ? BL_DONE : BL_ERROR;
    /* a registration's row is base + 1 + its number (kconfig_map_id) */
    for (size_t b = 0; b < n && rc == BL_DONE; b++) {
        bl_bind_int64(drop, 1, ids[b]);
        rc = bl_step(drop);
        bl_reset(drop);
        if (rc != BL_DONE)
            break;
        bl_bind_int64(boot, 1, ids[b]);
        bl_bind_int64(boot, 2, map);
        rc = bl_step(boot);
        bl_reset(boot);
        for (size_t i = 0; i < n_calls[b] && rc == BL_DONE; i++) {
            if (calls[b][i].reg < 0)
                continue;
            bl_bind_int64(call, 1, calls[b][i].call_id);
            bl_bind_int64(call, 2, base + 1 + calls[b][i].reg);
            rc = bl_step(call);
            bl_reset(call);
        }
    }
    if (rc != BL_DONE) {
        if (map >= 0)
            bl_db_done(db, rc, "cannot store a kconfig mapping");
        bl_db_rollback(db);
        return -1;
    }
    return bl_db_commit(db);
}

int64_t bl_store_kconfig_unmapped(struct bl_db *db, const int64_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int64_t has;
        if (bl_db_int(db, "SELECT count(*) FROM boot_kconfig WHERE boot_id = ?1", ids[i], NULL, &has) < 0)
            return -1;
        if (!has)
            return ids[i];
    }
    return 0;
}

int bl_store_kconfig_mapped(struct bl_db *db, const int64_t *ids, size_t n)
{
    int64_t boot = bl_store_kconfig_unmapped(db, ids, n);
    if (boot > 0)
        bl_error("boot %lld has no kernel-option mapping: run 'bootlog kconfig --source DIR --boot %lld' first",
                 (long long)boot, (long long)boot);
    return boot == 0 ? 0 : -1;
}

int bl_store_kconfig_source(struct bl_db *db, int64_t boot, char *buf, size_t size)
{
    struct bl_stmt *st = bl_db_stmt(db, "SELECT m.source, m.version, m.arch, m.config FROM boot_kconfig b "
                                      "JOIN kconfig_map m ON m.id = b.map_id WHERE b.boot_id = ?1");
    if (!st)
        return -1;
    bl_bind_int64(st, 1, boot);
    int rc = bl_step(st), found = rc == BL_ROW;
    if (found) {
        snprintf(buf, size, "tree %s (Linux %s, %s), config %s", bl_column_text(st, 0),
                 bl_column_text(st, 1), bl_column_text(st, 2), bl_column_text(st, 3));
        rc = BL_DONE;
    }
    bl_reset(st);
    return bl_db_done(db, rc, "cannot read a kconfig mapping") < 0 ? -1 : found;
}
