/* units.c: see units.h. */
#include "units.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "util.h"

/* A unit's figures as gathered, one per boot. */
struct gathered {
    char *name;
    double *time, *active;
    size_t n_time, n_active;
};

static int by_mean(const void *a, const void *b)
{
    const struct bl_unit_stat *x = a, *y = b;
    if (x->time.mean != y->time.mean)
        return x->time.mean < y->time.mean ? 1 : -1;
    return strcmp(x->name, y->name);
}

int bl_unit_stats(struct bl_db *db, const int64_t *ids, size_t n, struct bl_unit_stats *out)
{
    struct bl_stmt *st = bl_db_stmt(db, "SELECT name, time_us, active_us FROM unit WHERE boot_id = ?1");
    struct gathered *g = NULL;
    size_t n_g = 0, cap = 0;
    int rc = BL_DONE;
    memset(out, 0, sizeof(*out));
    if (!st)
        return -1;
    for (size_t i = 0; i < n && rc == BL_DONE; i++) {
        bl_bind_int64(st, 1, ids[i]);
        while ((rc = bl_step(st)) == BL_ROW) {
            const char *name = (const char *)bl_column_text(st, 0);
            size_t j = 0;
            while (j < n_g && strcmp(g[j].name, name) != 0)
                j++;
            if (j == n_g) {
                struct gathered new = { bl_xstrdup(name), bl_xmalloc(n * sizeof(double)),
                                        bl_xmalloc(n * sizeof(double)), 0, 0 };
                BL_PUSH(g, n_g, cap, new);
            }
            if (bl_column_type(st, 1) != BL_NULL)
                g[j].time[g[j].n_time++] = (double)bl_column_int64(st, 1);
            if (bl_column_type(st, 2) != BL_NULL)
                g[j].active[g[j].n_active++] = (double)bl_column_int64(st, 2);
        }
        bl_reset(st);
    }
    if (rc == BL_DONE) {
        out->v = bl_xmalloc((n_g + 1) * sizeof(*out->v));
        for (size_t j = 0; j < n_g; j++) {
            struct bl_unit_stat *u = &out->v[out->n++];
            memset(u, 0, sizeof(*u));
            u->name = g[j].name;
            u->time.mean = -1;       /* untimed units (targets) rank last */
            if (g[j].n_time)
                bl_summarize(g[j].time, g[j].n_time, &u->time);
            if (g[j].n_active)
                bl_summarize(g[j].active, g[j].n_active, &u->active);
        }
        qsort(out->v, out->n, sizeof(*out->v), by_mean);
    }
    for (size_t j = 0; j < n_g; j++) {
        if (rc != BL_DONE)
            free(g[j].name);
        free(g[j].time);
        free(g[j].active);
    }
    free(g);
    return bl_db_done(db, rc, "cannot read the units");
}

const struct bl_unit_stat *bl_unit_stat_find(const struct bl_unit_stats *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].name, name) == 0)
            return &s->v[i];
    return NULL;
}

void bl_unit_stats_free(struct bl_unit_stats *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i].name);
    free(s->v);
    memset(s, 0, sizeof(*s));
}

static const struct bl_col cols[] = {
    { "rank", "#", BL_COL_INT, 0, BL_COL_BOTH },
    { "unit", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "boots", NULL, BL_COL_INT, 0, BL_COL_BOTH | BL_COL_MULTI },
    { "mean_us", "ms", BL_COL_US, 1, BL_COL_BOTH | BL_COL_MEAN },
    { "stddev_us", "sd ms", BL_COL_US, 1, BL_COL_BOTH | BL_COL_MULTI },
    { "min_us", "min ms", BL_COL_US, 0, BL_COL_BOTH | BL_COL_MULTI },
    { "max_us", "max ms", BL_COL_US, 0, BL_COL_BOTH | BL_COL_MULTI },
    { "active_us", "active at ms", BL_COL_US, 0, BL_COL_BOTH | BL_COL_MEAN },
};

struct bl_table *bl_unit_table(const struct bl_unit_stats *s, size_t boots, size_t limit)
{
    struct bl_table *t = bl_table_new(cols, (int)(sizeof(cols) / sizeof(cols[0])));
    bl_table_set_boots(t, boots);
    for (size_t i = 0; i < s->n && i < limit; i++) {
        const struct bl_unit_stat *u = &s->v[i];
        bool timed = u->time.n > 0;
        bl_table_int(t, (int64_t)i + 1);
        bl_table_str(t, u->name);
        bl_table_int(t, (int64_t)(timed ? u->time.n : u->active.n));
        bl_table_num(t, timed ? u->time.mean : NAN);
        bl_table_num(t, timed ? u->time.sd : NAN);
        bl_table_num(t, timed ? u->time.min : NAN);
        bl_table_num(t, timed ? u->time.max : NAN);
        bl_table_num(t, u->active.n ? u->active.mean : NAN);
    }
    return t;
}
