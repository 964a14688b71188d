/* rank.c: see rank.h. */
#include "rank.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "output.h"
#include "parser.h"
#include "store.h"
#include "util.h"

/* One function (with its module): its totals in each boot that ran it. */
struct bl_rank_entry {
    char *function, *module;
    struct per_boot {
        int64_t boot_id, calls, sum_us, start_us, ret;
        bool suspect;
    } *boots;
    size_t n, cap;
    size_t next;             /* index + 1 of the function that followed it last */
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
    size_t last;             /* index + 1 of the function found last */
    /* the boot being read: its totals by function index, kept together
     * until the boot ends (appending to each function's list row by row
     * was a cache miss per row) */
    int64_t boot_id;
    struct per_boot *cur;    /* by function index; calls 0: not yet */
    size_t *touched, n_touched, cap_cur;
};

static uint64_t hash_key(const char *function, const char *module)
{
    uint64_t h = bl_hash(BL_HASH_INIT, function, strlen(function));
    h = bl_hash(h, "\xff", 1);                 /* no module differs from "" */
    return module ? bl_hash(h, module, strlen(module)) : h;
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

static bool same(const struct bl_rank_entry *f, const char *function, const char *module)
{
    return strcmp(f->function, function) == 0 && cmp_str_null(f->module, module) == 0;
}

static struct bl_rank_entry *find(struct table *t, const char *function, const char *module)
{
    if (2 * (t->n + 1) > t->n_slots)
        grow_slots(t);
    size_t k = hash_key(function, module) & (t->n_slots - 1);
    for (; t->slots[k]; k = (k + 1) & (t->n_slots - 1)) {
        struct bl_rank_entry *f = &t->fns[t->slots[k] - 1];
        if (same(f, function, module))
            return f;
    }
    struct bl_rank_entry f = { .function = bl_xstrdup(function), .module = module ? bl_xstrdup(module) : NULL };
    BL_PUSH(t->fns, t->n, t->cap, f);
    t->slots[k] = t->n;
    return &t->fns[t->n - 1];
}

/* Boots run their initcalls in much the same order: the function that
 * followed this one in the boot before is tried first, without hashing
 * its name (hashing every row's name was a tenth of a fleet's ranking). */
static struct bl_rank_entry *lookup(struct table *t, const char *function, const char *module)
{
    size_t guess = t->last ? t->fns[t->last - 1].next : 0, found = guess;
    if (!guess || !same(&t->fns[guess - 1], function, module)) {
        struct bl_rank_entry *f = find(t, function, module);   /* may move t->fns */
        found = (size_t)(f - t->fns) + 1;
    }
    if (t->last)
        t->fns[t->last - 1].next = found;
    t->last = found;
    return &t->fns[found - 1];
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
    total->suspect |= part->suspect;
    if (part->start_us >= 0 && (total->start_us < 0 || part->start_us < total->start_us))
        total->start_us = part->start_us;
    if (part->ret != 0 && (total->ret == 0 || part->ret < total->ret))
        total->ret = part->ret;
}

/* Hands the totals of the boot being read to their functions. */
static void end_boot(struct table *t)
{
    for (size_t i = 0; i < t->n_touched; i++) {
        struct bl_rank_entry *f = &t->fns[t->touched[i]];
        if (f->cap == 0) {   /* one boot may have 56k functions: no 16 slots each */
            f->cap = 1;
            f->boots = bl_xmalloc(sizeof(*f->boots));
        }
        BL_PUSH(f->boots, f->n, f->cap, t->cur[t->touched[i]]);
        t->cur[t->touched[i]].calls = 0;
    }
    t->n_touched = 0;
}

/* Adds one initcall of boot_id to its function's total in that boot. */
static void add_call(void *ctx, const struct bl_ranked_call *c)
{
    struct table *t = ctx;
    if (c->boot_id != t->boot_id) {
        end_boot(t);
        t->boot_id = c->boot_id;
    }
    size_t i = (size_t)(lookup(t, c->function, c->module) - t->fns);
    struct per_boot call = {
        .boot_id = c->boot_id, .calls = 1, .sum_us = c->us, .start_us = c->start_us, .ret = c->ret,
        .suspect = c->suspect,
    };
    if (t->n > t->cap_cur) {
        size_t was = t->cap_cur;
        t->cap_cur = t->cap;
        t->cur = bl_xrealloc(t->cur, t->cap_cur * sizeof(*t->cur));
        t->touched = bl_xrealloc(t->touched, t->cap_cur * sizeof(*t->touched));
        memset(t->cur + was, 0, (t->cap_cur - was) * sizeof(*t->cur));
    }
    if (t->cur[i].calls)
        add_to(&t->cur[i], &call);
    else {
        t->cur[i] = call;
        t->touched[t->n_touched++] = i;
    }
}

/* A boot's calls are stored together, so a function's totals arrive boot
 * after boot; should they not, the pieces of one boot are put together. */
static void merge_pieces(struct bl_rank_entry *f)
{
    size_t k = 0;
    bool in_order = true;
    for (size_t i = 1; i < f->n && in_order; i++)
        in_order = f->boots[i - 1].boot_id < f->boots[i].boot_id;
    if (in_order)
        return;
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

/* Reads every selected boot's initcalls into per-function, per-boot totals. */
static int load(struct bl_db *db, const int64_t *ids, size_t n, bool corrected, bool by_config, struct table *t)
{
    int rc = bl_store_ranked_calls(db, ids, n, corrected, by_config, add_call, t);
    end_boot(t);
    if (rc < 0)
        return -1;
    for (size_t i = 0; i < t->n; i++)
        merge_pieces(&t->fns[i]);
    return 0;
}

/* One row per function, sorted. */
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
        struct bl_rank_row *r = &rows[i];
        *r = (struct bl_rank_row){ .function = f->function, .module = f->module };
        for (size_t k = 0; k < f->n; k++) {
            v[k] = (double)f->boots[k].sum_us;
            r->calls += f->boots[k].calls;
            r->total_us += f->boots[k].sum_us;
            r->suspect |= f->boots[k].suspect;
        }
        r->ret = f->boots[0].ret;            /* read for one boot only */
        r->start_us = f->boots[0].start_us;
        bl_summarize(v, f->n, &r->s);
        /* a duration that cannot be true is no share of the boots' time */
        if (!r->suspect)
            *grand_total += r->total_us;
    }
    free(v);
    *nrows = n;
    qsort(rows, n, sizeof(*rows), cmp_row);
    return rows;
}

int bl_rank_initcalls(struct bl_db *db, const int64_t *ids, size_t n, bool corrected, bool by_config,
                      struct bl_ranking *r)
{
    struct table t = { .boot_id = -1 };
    memset(r, 0, sizeof(*r));
    if (by_config && bl_store_kconfig_mapped(db, ids, n) < 0)
        return -1;
    int rc = load(db, ids, n, corrected, by_config, &t);
    free(t.slots);
    free(t.cur);
    free(t.touched);
    r->entries = t.fns;
    r->n_entries = t.n;
    if (rc < 0) {
        bl_ranking_free(r);
        return -1;
    }
    r->rows = group(r->entries, r->n_entries, &r->n, &r->grand_total_us);
    r->by_config = by_config;
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

/* ---------------------------------------------------------------- notes */

struct note_ctx {
    FILE *out;
    int64_t boot;
};

static void print_note(void *ctxp, const struct bl_initcall_note *n)
{
    struct note_ctx *ctx = ctxp;
    fprintf(ctx->out, "note: boot %lld: %s ", (long long)ctx->boot, n->function);
    if (n->suspect)
        fprintf(ctx->out, "took %.3f ms: %s (ranked as reported, marked%s)", (double)n->reported_us / 1000.0,
                n->suspect, BL_SUSPECT_MARK);
    else
        fputs("never returned", ctx->out);
    if (n->start_us != BL_NONE)
        fprintf(ctx->out, " (called at %.3f ms)", (double)n->start_us / 1000.0);
    fputc('\n', ctx->out);
}

int bl_rank_print_notes(struct bl_db *db, const int64_t *ids, size_t n, FILE *out)
{
    for (size_t i = 0; i < n; i++) {
        struct note_ctx ctx = { out, ids[i] };
        int64_t unreported;
        if (bl_store_initcall_notes(db, ids[i], &unreported, print_note, &ctx) < 0)
            return -1;
        if (unreported > 0)
            fprintf(out, "note: boot %lld: %lld initcalls without a printed duration (not ranked)\n",
                    (long long)ids[i], (long long)unreported);
    }
    return 0;
}

/* ---------------------------------------------------------------- table */

static const struct bl_col table_cols[] = {
    { "rank", NULL, BL_COL_INT, 0, BL_COL_DATA },
    { "function", NULL, BL_COL_STR, 0, BL_COL_DATA },
    { "module", NULL, BL_COL_STR, 0, BL_COL_DATA },
    { "calls", NULL, BL_COL_INT, 0, BL_COL_BOTH | BL_COL_SINGLE },
    { "boots", NULL, BL_COL_INT, 0, BL_COL_BOTH | BL_COL_MULTI },
    { "mean_us", "ms", BL_COL_US, 1, BL_COL_BOTH | BL_COL_MEAN },
    { "stddev_us", "sd ms", BL_COL_US, 1, BL_COL_BOTH | BL_COL_MULTI },
    { "min_us", "min ms", BL_COL_US, 0, BL_COL_DATA },
    { "median_us", "median ms", BL_COL_US, 1, BL_COL_BOTH | BL_COL_MULTI },
    { "max_us", "max ms", BL_COL_US, 0, BL_COL_DATA },   /* table: 80 columns */
    { "share", NULL, BL_COL_SHARE, 4, BL_COL_BOTH },
    { "ret", NULL, BL_COL_INT, 0, BL_COL_TABLE | BL_COL_SINGLE },
    { "start", "start ms", BL_COL_US, 0, BL_COL_TABLE | BL_COL_SINGLE },
    { "name", "function [module]", BL_COL_STR, 0, BL_COL_TABLE },
    { "suspect", NULL, BL_COL_INT, 0, BL_COL_DATA },
};

/* The same by kernel option (--by-config): its fields named for it. */
static struct bl_col option_cols[sizeof(table_cols) / sizeof(table_cols[0])];

struct bl_table *bl_rank_table(const struct bl_ranking *rk, size_t boots, size_t max_rows)
{
    const struct bl_col *cols = table_cols;
    if (rk->by_config) {   /* the function's fields named for the option */
        memcpy(option_cols, table_cols, sizeof(table_cols));
        for (size_t i = 0; i < sizeof(table_cols) / sizeof(table_cols[0]); i++) {
            if (strcmp(option_cols[i].name, "function") == 0)
                option_cols[i].name = "option";
            if (strcmp(option_cols[i].name, "name") == 0)
                option_cols[i].title = "option";
        }
        cols = option_cols;
    }
    struct bl_table *t = bl_table_new(cols, (int)(sizeof(table_cols) / sizeof(table_cols[0])));
    bl_table_set_boots(t, boots);
    for (size_t i = 0; i < rk->n && i < max_rows; i++) {
        const struct bl_rank_row *r = &rk->rows[i];
        char name[512];
        bl_initcall_name(name, sizeof(name), r->function, r->module);
        if (r->suspect && strlen(name) + sizeof(BL_SUSPECT_MARK) <= sizeof(name))
            strcat(name, BL_SUSPECT_MARK);
        bl_table_int(t, (int64_t)i + 1);
        bl_table_str(t, r->function);
        bl_table_str(t, r->module);
        bl_table_int(t, r->calls);
        bl_table_int(t, (int64_t)r->s.n);
        bl_table_num(t, r->s.mean);
        bl_table_num(t, r->s.sd);
        bl_table_num(t, r->s.min);
        bl_table_num(t, r->s.median);
        bl_table_num(t, r->s.max);
        bl_table_num(t, r->suspect                ? NAN
                        : rk->grand_total_us > 0 ? (double)r->total_us / (double)rk->grand_total_us
                                                 : 0);
        bl_table_int(t, r->ret);
        bl_table_opt_num(t, r->start_us < 0 ? INT64_MIN : r->start_us);   /* -1: not known */
        bl_table_str(t, name);
        bl_table_int(t, r->suspect);
    }
    return t;
}
