/* gaps.c: see gaps.h. */
#include "gaps.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "parser.h"
#include "store.h"
#include "util.h"

/* Gaps shorter than this are the kernel's own bookkeeping between calls. */
#define MIN_GAP_US 1000

struct span {
    int64_t start, end;
};

struct spans {
    struct span *v;
    size_t n, cap;
};

static void add_call(void *ctx, const char *function, int64_t start_us, int64_t end_us)
{
    struct spans *s = ctx;
    (void)function;
    BL_PUSH(s->v, s->n, s->cap, ((struct span){ start_us, end_us }));
}

static int by_start(const void *a, const void *b)
{
    const struct span *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

/* A boot's kernel lines, by printk time. */
struct line {
    int64_t us;
    char *text;
    bool marked;             /* a step of the kernel's (line.mark): it names the gap best */
};
struct lines {
    struct line *v;
    size_t n, cap;
};

static int add_line(void *ctx, const struct bl_line_row *l)
{
    struct lines *s = ctx;
    if (l->printk_us != BL_NONE && l->text)
        BL_PUSH(s->v, s->n, s->cap, ((struct line){ l->printk_us, bl_xstrdup(l->text), l->mark != NULL }));
    return 0;
}

static int by_time(const void *a, const void *b)
{
    const struct line *x = a, *y = b;
    return (x->us > y->us) - (x->us < y->us);
}

static int longest(const void *a, const void *b)
{
    const struct bl_gap *x = a, *y = b;
    int64_t lx = x->end_us - x->start_us, ly = y->end_us - y->start_us;
    if (lx != ly)
        return lx < ly ? 1 : -1;
    if (x->boot != y->boot)
        return x->boot < y->boot ? -1 : 1;
    return (x->start_us > y->start_us) - (x->start_us < y->start_us);
}

/* The text of the lines around and inside [start, end]. */
static void describe(const struct lines *ls, struct bl_gap *g)
{
    bool named = false;
    for (size_t i = 0; i < ls->n; i++) {
        const struct line *l = &ls->v[i];
        if (l->us <= g->start_us)
            snprintf(g->before, sizeof(g->before), "%s", l->text);
        else if (l->us < g->end_us && (!g->inside[0] || (l->marked && !named))) {
            snprintf(g->inside, sizeof(g->inside), "%s", l->text);
            named = l->marked;
        }
        else if (l->us >= g->end_us && !g->after[0])
            snprintf(g->after, sizeof(g->after), "%s", l->text);
    }
}

static int boot_gaps(struct bl_db *db, int64_t boot, struct bl_gap **out, size_t *n, size_t *cap)
{
    struct spans calls = { 0 };
    struct lines ls = { 0 };
    struct bl_boot_info b;
    int rc = -1;
    if (bl_store_longest_initcalls(db, boot, 0, add_call, &calls) < 0 ||
        bl_store_boot_lines(db, boot, add_line, &ls) < 0 || bl_store_boot(db, boot, &b) <= 0)
        goto out;
    int64_t end = b.userspace_printk_us;
    bl_store_boot_free(&b);
    if (ls.n) {
        qsort(ls.v, ls.n, sizeof(*ls.v), by_time);
        if (end == BL_NONE)
            end = ls.v[ls.n - 1].us;
        if (calls.n)
            qsort(calls.v, calls.n, sizeof(*calls.v), by_start);
        /* walk the covered time; what lies between is a gap */
        int64_t covered = ls.v[0].us;
        for (size_t i = 0; i <= calls.n; i++) {
            int64_t next = i < calls.n ? calls.v[i].start : end;
            if (next > end)
                next = end;
            if (next - covered >= MIN_GAP_US) {
                struct bl_gap g = { .boot = boot, .start_us = covered, .end_us = next };
                describe(&ls, &g);
                BL_PUSH(*out, *n, *cap, g);
            }
            if (i < calls.n && calls.v[i].end > covered)
                covered = calls.v[i].end;
            if (covered >= end)
                break;
        }
    }
    rc = 0;
out:
    for (size_t i = 0; i < ls.n; i++)
        free(ls.v[i].text);
    free(ls.v);
    free(calls.v);
    return rc;
}

int bl_gaps(struct bl_db *db, const int64_t *ids, size_t n, struct bl_gap **out, size_t *n_out)
{
    size_t cap = 0;
    *out = NULL;
    *n_out = 0;
    for (size_t i = 0; i < n; i++)
        if (boot_gaps(db, ids[i], out, n_out, &cap) < 0) {
            free(*out);
            *out = NULL;
            *n_out = 0;
            return -1;
        }
    if (*n_out)
        qsort(*out, *n_out, sizeof(**out), longest);
    return 0;
}

static const struct bl_col cols[] = {
    { "boot", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "start_us", "start ms", BL_COL_US, 0, BL_COL_BOTH },
    { "gap_us", "gap ms", BL_COL_US, 0, BL_COL_BOTH },
    { "before", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "inside", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "after", NULL, BL_COL_STR, 0, BL_COL_BOTH },
};

struct bl_table *bl_gaps_table(const struct bl_gap *g, size_t n, size_t limit)
{
    struct bl_table *t = bl_table_new(cols, (int)(sizeof(cols) / sizeof(cols[0])));
    for (size_t i = 0; i < n && i < limit; i++) {
        bl_table_int(t, g[i].boot);
        bl_table_opt_num(t, g[i].start_us);
        bl_table_opt_num(t, g[i].end_us - g[i].start_us);
        bl_table_str(t, g[i].before);
        bl_table_str(t, g[i].inside[0] ? g[i].inside : NULL);
        bl_table_str(t, g[i].after[0] ? g[i].after : NULL);
    }
    return t;
}
