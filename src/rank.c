/* rank.c: see rank.h. */
#include "rank.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "util.h"

/* One function (with its module): its totals in each boot that ran it. */
struct bl_rank_entry {
    char *function, *module;
    struct per_boot {
        int64_t boot_id, calls, sum_us, start_us, ret;
    } *boots;
    size_t n, cap;
};

static int cmp_str_null(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

static int cmp_row(const void *pa, const void *pb)
{
    const struct bl_rank_row *a = pa, *b = pb;
    if (a->s.mean != b->s.mean)
        return a->s.mean < b->s.mean ? 1 : -1;
    int c = strcmp(a->function, b->function);
    return c ? c : cmp_str_null(a->module, b->module);
}

/* The functions, found by name through an open-addressing hash table of
 * indices (a fleet's database has a thousand boots of the same ~600
 * initcalls: grouping in SQL sorted 600k rows, five times slower). */
struct table {
    struct bl_rank_entry *fns;
    size_t n, cap;
    size_t *slots;           /* index + 1; 0 = empty */
    size_t n_slots;          /* a power of two, at least twice n */
};

static uint64_t hash_key(const char *function, const char *module)
{
    uint64_t h = 0xcbf29ce484222325u;           /* FNV-1a */
    for (const char *p = function; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3u;
    h = (h ^ 0xff) * 0x100000001b3u;            /* no module differs from "" */
    for (const char *p = module ? module : ""; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3u;
    return h;
}

static void grow_slots(struct table *t)
{
    free(t->slots);
    t->n_slots = t->n_slots ? 2 * t->n_slots : 1024;
    t->slots = calloc(t->n_slots, sizeof(*t->slots));
    if (!t->slots)
        abort();
    for (size_t i = 0; i < t->n; i++) {
        size_t k = hash_key(t->fns[i].function, t->fns[i].module) & (t->n_slots - 1);
        while (t->slots[k])
            k = (k + 1) & (t->n_slots - 1);
        t->slots[k] = i + 1;
    }
}

static struct bl_rank_entry *lookup(struct table *t, const char *function, const char *module)
{
    if (2 * (t->n + 1) > t->n_slots)
        grow_slots(t);
    size_t k = hash_key(function, module) & (t->n_slots - 1);
    for (; t->slots[k]; k = (k + 1) & (t->n_slots - 1)) {
        struct bl_rank_entry *f = &t->fns[t->slots[k] - 1];
        if (strcmp(f->function, function) == 0 && cmp_str_null(f->module, module) == 0)
            return f;
    }
    struct bl_rank_entry f = { .function = bl_xstrdup(function), .module = module ? bl_xstrdup(module) : NULL };
    BL_PUSH(t->fns, t->n, t->cap, f);
    t->slots[k] = t->n;
    return &t->fns[t->n - 1];
}

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

static int cmp_per_boot(const void *pa, const void *pb)
{
    return cmp_i64(&((const struct per_boot *)pa)->boot_id, &((const struct per_boot *)pb)->boot_id);
}

/* Adds `part` (one call, or the total of some) to a total of the same boot:
 * calls and time summed, the earliest start, the lowest non-zero return. */
static void add_to(struct per_boot *total, const struct per_boot *part)
{
    total->calls += part->calls;
    total->sum_us += part->sum_us;
    if (part->start_us >= 0 && (total->start_us < 0 || part->start_us < total->start_us))
        total->start_us = part->start_us;
    if (part->ret != 0 && (total->ret == 0 || part->ret < total->ret))
        total->ret = part->ret;
}

/* Adds one initcall of boot_id to its function's total in that boot. */
static void add_call(struct table *t, sqlite3_stmt *st, int64_t boot_id)
{
    struct bl_rank_entry *f = lookup(t, (const char *)sqlite3_column_text(st, 0),
                                     (const char *)sqlite3_column_text(st, 1));
    struct per_boot call = {
        .boot_id = boot_id, .calls = 1, .sum_us = sqlite3_column_int64(st, 2),
        .start_us = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 3),
        .ret = sqlite3_column_int64(st, 4),   /* NULL (not printed) reads as 0 */
    };
    if (f->n && f->boots[f->n - 1].boot_id == boot_id)
        add_to(&f->boots[f->n - 1], &call);
    else
        BL_PUSH(f->boots, f->n, f->cap, call);
}

/* A boot's calls are stored together, so a function's totals arrive boot
 * after boot; should they not, the pieces of one boot are put together. */
static void merge_pieces(struct bl_rank_entry *f)
{
    size_t k = 0;
    qsort(f->boots, f->n, sizeof(*f->boots), cmp_per_boot);
    for (size_t i = 0; i < f->n; i++) {
        struct per_boot *b = &f->boots[i];
        if (k && f->boots[k - 1].boot_id == b->boot_id)
            add_to(&f->boots[k - 1], b);
        else
            f->boots[k++] = *b;
    }
    f->n = k;
}

#define COLUMNS(us) "SELECT function, module, " us ", start_printk_us, ret, boot_id FROM call "
#define RANKED "kind = 'initcall' AND reported_us IS NOT NULL AND suspect IS NULL"

/* Reads every selected boot's initcalls into per-function, per-boot
 * totals: boot by boot through the index when they are a few of the
 * database's boots, else in one pass over all calls (a fleet's database:
 * four times faster than a thousand index walks). */
static int load(sqlite3 *db, const int64_t *ids, size_t n, bool corrected, struct table *t)
{
    const char *us = corrected ? "coalesce(corrected_us, reported_us)" : "reported_us";
    int64_t all = bl_db_int(db, "SELECT count(*) FROM boot", 0, NULL);
    if (all < 0)
        return -1;
    bool scan = (int64_t)n * 4 >= all;
    char sql[320];
    snprintf(sql, sizeof(sql), scan ? COLUMNS("%s") "WHERE " RANKED : COLUMNS("%s") "WHERE boot_id = ? AND " RANKED,
             us);
    sqlite3_stmt *st = bl_db_prepare(db, sql);
    int64_t *sorted = bl_xmalloc((n ? n : 1) * sizeof(*sorted));
    int rc = SQLITE_DONE;

    if (!st) {
        free(sorted);
        return -1;
    }
    if (scan) {
        memcpy(sorted, ids, n * sizeof(*ids));
        qsort(sorted, n, sizeof(*sorted), cmp_i64);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            int64_t boot_id = sqlite3_column_int64(st, 5);
            if (bsearch(&boot_id, sorted, n, sizeof(*sorted), cmp_i64))
                add_call(t, st, boot_id);
        }
    } else {
        for (size_t i = 0; i < n && rc == SQLITE_DONE; i++) {
            sqlite3_bind_int64(st, 1, ids[i]);
            while ((rc = sqlite3_step(st)) == SQLITE_ROW)
                add_call(t, st, ids[i]);
            sqlite3_reset(st);
        }
    }
    sqlite3_finalize(st);
    free(sorted);
    if (rc != SQLITE_DONE) {
        bl_db_error(db, "cannot read initcalls");
        return -1;
    }
    for (size_t i = 0; i < t->n; i++)
        merge_pieces(&t->fns[i]);
    return 0;
}

/* One row per function, sorted; ret and start are those of its lowest
 * boot id. */
static struct bl_rank_row *group(struct bl_rank_entry *fns, size_t n, size_t *nrows, int64_t *grand_total)
{
    struct bl_rank_row *rows = bl_xmalloc((n ? n : 1) * sizeof(*rows));
    size_t most = 1;
    for (size_t i = 0; i < n; i++)
        if (fns[i].n > most)
            most = fns[i].n;
    double *v = bl_xmalloc(most * sizeof(*v));

    *grand_total = 0;
    for (size_t i = 0; i < n; i++) {
        const struct bl_rank_entry *f = &fns[i];
        const struct per_boot *first = &f->boots[0];
        struct bl_rank_row *r = &rows[i];
        *r = (struct bl_rank_row){ .function = f->function, .module = f->module };
        for (size_t k = 0; k < f->n; k++) {
            v[k] = (double)f->boots[k].sum_us;
            r->calls += f->boots[k].calls;
            r->total_us += f->boots[k].sum_us;
            if (f->boots[k].boot_id < first->boot_id)
                first = &f->boots[k];
        }
        r->ret = first->ret;
        r->start_us = first->start_us;
        bl_summarize(v, f->n, &r->s);
        *grand_total += r->total_us;
    }
    free(v);
    *nrows = n;
    qsort(rows, n, sizeof(*rows), cmp_row);
    return rows;
}

int bl_rank_initcalls(sqlite3 *db, const int64_t *ids, size_t n, bool corrected, struct bl_ranking *r)
{
    struct table t = { 0 };
    memset(r, 0, sizeof(*r));
    int rc = load(db, ids, n, corrected, &t);
    free(t.slots);
    r->entries = t.fns;
    r->n_entries = t.n;
    if (rc < 0) {
        bl_ranking_free(r);
        return -1;
    }
    r->rows = group(r->entries, r->n_entries, &r->n, &r->grand_total_us);
    return 0;
}

void bl_ranking_free(struct bl_ranking *r)
{
    for (size_t i = 0; i < r->n_entries; i++) {
        free(r->entries[i].function);
        free(r->entries[i].module);
        free(r->entries[i].boots);
    }
    free(r->entries);
    free(r->rows);
    memset(r, 0, sizeof(*r));
}
