/* rank.c: see rank.h. */
#include "rank.h"

#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "util.h"

/* One function's total in one boot. */
struct bl_rank_entry {
    char *function, *module;
    int64_t boot_id, calls, sum_us, start_us, ret;
};

static int cmp_str_null(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_per_boot(const void *pa, const void *pb)
{
    const struct bl_rank_entry *a = pa, *b = pb;
    int c = strcmp(a->function, b->function);
    if (!c)
        c = cmp_str_null(a->module, b->module);
    if (!c)
        c = (a->boot_id > b->boot_id) - (a->boot_id < b->boot_id);
    return c;
}

static int cmp_row(const void *pa, const void *pb)
{
    const struct bl_rank_row *a = pa, *b = pb;
    if (a->s.mean != b->s.mean)
        return a->s.mean < b->s.mean ? 1 : -1;
    int c = strcmp(a->function, b->function);
    return c ? c : cmp_str_null(a->module, b->module);
}

static char *column_dup(sqlite3_stmt *st, int i)
{
    const char *s = (const char *)sqlite3_column_text(st, i);
    return s ? bl_xstrdup(s) : NULL;
}

/* Reads every selected boot's per-function totals. */
static int load(sqlite3 *db, const int64_t *ids, size_t n, bool corrected, struct bl_rank_entry **out,
                size_t *nout)
{
    sqlite3_stmt *st = bl_db_prepare(db, corrected
        ? "SELECT function, module, count(*), sum(coalesce(corrected_us, reported_us)), "
          "min(start_printk_us), coalesce(min(CASE WHEN ret != 0 THEN ret END), 0) FROM call "
          "WHERE boot_id = ? AND kind = 'initcall' AND reported_us IS NOT NULL AND suspect IS NULL "
          "GROUP BY function, module"
        : "SELECT function, module, count(*), sum(reported_us), min(start_printk_us), "
        "coalesce(min(CASE WHEN ret != 0 THEN ret END), 0) FROM call "
        "WHERE boot_id = ? AND kind = 'initcall' AND reported_us IS NOT NULL AND suspect IS NULL "
        "GROUP BY function, module");
    size_t cap = 0;
    int rc = SQLITE_DONE;

    if (!st)
        return -1;
    for (size_t i = 0; i < n && rc == SQLITE_DONE; i++) {
        sqlite3_bind_int64(st, 1, ids[i]);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            struct bl_rank_entry p = {
                .function = column_dup(st, 0),
                .module = column_dup(st, 1),
                .boot_id = ids[i],
                .calls = sqlite3_column_int64(st, 2),
                .sum_us = sqlite3_column_int64(st, 3),
                .start_us = sqlite3_column_type(st, 4) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 4),
                .ret = sqlite3_column_int64(st, 5),
            };
            BL_PUSH(*out, *nout, cap, p);
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        bl_db_error(db, "cannot read initcalls");
        return -1;
    }
    return 0;
}

/* Groups the per-boot totals by function into rows, sorted. */
static struct bl_rank_row *group(struct bl_rank_entry *pb, size_t n, size_t *nrows, int64_t *grand_total)
{
    struct bl_rank_row *rows = bl_xmalloc((n ? n : 1) * sizeof(*rows));
    double *v = bl_xmalloc((n ? n : 1) * sizeof(*v));

    qsort(pb, n, sizeof(*pb), cmp_per_boot);
    *nrows = 0;
    *grand_total = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        struct bl_rank_row *r = &rows[(*nrows)++];
        *r = (struct bl_rank_row){ .function = pb[i].function, .module = pb[i].module,
                                   .ret = pb[i].ret, .start_us = pb[i].start_us };
        while (j < n && strcmp(pb[j].function, pb[i].function) == 0 &&
               cmp_str_null(pb[j].module, pb[i].module) == 0) {
            v[j - i] = (double)pb[j].sum_us;
            r->calls += pb[j].calls;
            r->total_us += pb[j].sum_us;
            j++;
        }
        bl_summarize(v, j - i, &r->s);
        *grand_total += r->total_us;
        i = j;
    }
    free(v);
    qsort(rows, *nrows, sizeof(*rows), cmp_row);
    return rows;
}

int bl_rank_initcalls(sqlite3 *db, const int64_t *ids, size_t n, bool corrected, struct bl_ranking *r)
{
    memset(r, 0, sizeof(*r));
    if (load(db, ids, n, corrected, &r->entries, &r->n_entries) < 0)
        return -1;
    r->rows = group(r->entries, r->n_entries, &r->n, &r->grand_total_us);
    return 0;
}

void bl_ranking_free(struct bl_ranking *r)
{
    for (size_t i = 0; i < r->n_entries; i++) {
        free(r->entries[i].function);
        free(r->entries[i].module);
    }
    free(r->entries);
    free(r->rows);
    memset(r, 0, sizeof(*r));
}
