/* analysis.c: see analysis.h. */
#include "analysis.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "parser.h"
#include "phases.h"
#include "recognize.h"
#include "store.h"
#include "uart.h"
#include "util.h"

int bl_analysis_derive(struct bl_db *db, int64_t boot, const struct bl_seen *seen)
{
    int64_t last = BL_NONE;   /* a console line's arrival: the console has host stamps */
    if (!seen && bl_store_console_end_ns(db, boot, &last) < 0)
        return -1;
    bool host = seen ? seen->host_stamps : last != BL_NONE;
    return bl_analyze_boot(db, boot, host) < 0 || bl_store_phases(db, boot, seen) < 0 ? -1 : 0;
}

/* A line's mark as today's recognizers leave it (an older bootlog knew
 * fewer: console registrations came with analysis 3). */
static int remark(void *ctx, const struct bl_line_row *l)
{
    struct bl_db *db = ctx;
    struct bl_rec rec;
    char buf[64];
    const char *mark = NULL;
    if (l->text && bl_recognize(l->text, l->len, &rec) != BL_REC_NONE)
        mark = bl_rec_mark(&rec, l->text, l->len, l->printk_us != BL_NONE, buf, sizeof(buf));
    if ((mark == NULL) == (l->mark == NULL) && (!mark || strcmp(mark, l->mark) == 0))
        return 0;
    return bl_store_set_mark(db, l->id, mark) < 0 ? -1 : 0;
}

/* The firmware's and systemd's accounts as today's reader finds them in
 * the stored lines (a boot imported before schema 12 had none). */
struct reread {
    struct bl_db *db;
    int64_t boot, rows;
    struct bl_accounts acc;
};

static int reread_line(void *ctx, const struct bl_line_row *l)
{
    struct reread *r = ctx;
    struct bl_account_row rows[BL_ACCOUNT_ROWS];
    struct bl_unit_row unit;
    int n = l->text ? bl_accounts_read(&r->acc, l->text, l->len, rows, &unit) : 0;
    if (n < 0)
        return bl_store_add_unit(r->db, r->boot, &unit, l->id) < 0 ? -1 : 0;
    for (int i = 0; i < n; i++)
        if (bl_store_add_account(r->db, r->boot, ++r->rows, &rows[i], l->id) < 0)
            return -1;
    return 0;
}

int bl_analysis_rederive(struct bl_db *db, int64_t boot)
{
    struct reread r = { .db = db, .boot = boot };
    return bl_store_boot_lines(db, boot, remark, db) < 0 || bl_store_clear_derived(db, boot) < 0 ||
                   bl_store_boot_lines(db, boot, reread_line, &r) < 0
               ? -1 : bl_analysis_derive(db, boot, NULL);
}

int bl_analysis_warn_stale(struct bl_db *db, const char *path)
{
    int64_t *ids;
    size_t n;
    if (bl_store_stale_boots(db, BL_ANALYSIS_VERSION, &ids, &n) < 0)
        return -1;
    if (n)
        fprintf(stderr, "bootlog: %s: %zu boot%s derived by older rules (their console correction and "
                        "phases may differ): run 'bootlog reanalyze'\n", path, n, n == 1 ? " was" : "s were");
    free(ids);
    return 0;
}
