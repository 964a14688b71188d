/* clock.c: see clock.h. */
#include "clock.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "parser.h"
#include "stats.h"
#include "store.h"
#include "util.h"

/* printk going back by more than this, to under half its last value, is a
 * restart of its clock. */
#define RESTART_US 1000
/* A line arriving this much before the fit says was stamped ahead of the
 * boot's clock (another CPU's). */
#define AHEAD_NS 1000000
/* A rate further from 1 than this is not the same clock (qemu -icount). */
#define MAX_DRIFT 0.05

struct point {
    int64_t h, p;
};
struct points {
    struct point *v;
    size_t n, cap;
    int64_t max_p, restart_us;
};

static int add_point(void *ctx, const struct bl_line_row *l)
{
    struct points *s = ctx;
    if (l->host_ns == BL_NONE || l->printk_us == BL_NONE)
        return 0;
    /* back near its start: a restart; a little back: a line stamped ahead before it */
    if (s->n && l->printk_us < s->max_p - RESTART_US && l->printk_us < s->max_p / 2) {
        s->restart_us = s->max_p;   /* a new segment: the fit is of the last one */
        s->n = 0;
        s->max_p = 0;
    }
    s->max_p = l->printk_us > s->max_p ? l->printk_us : s->max_p;
    BL_PUSH(s->v, s->n, s->cap, ((struct point){ l->host_ns, l->printk_us }));
    return 0;
}

int bl_clock_fit(struct bl_db *db, int64_t boot, struct bl_clock_fit *f)
{
    struct points s = { .restart_us = BL_NONE };
    *f = (struct bl_clock_fit){ .k0_ns = BL_NONE, .rate = 1.0, .measured_rate = NAN, .restart_us = BL_NONE,
                                .residual_us = NAN };
    if (bl_store_live_console(db, boot, add_point, &s) < 0)
        return -1;
    f->restart_us = s.restart_us;
    f->lines = s.n;
    if (s.n == 0) {
        free(s.v);
        return 0;
    }
    int64_t from = s.v[0].p, to = from;
    for (size_t i = 0; i < s.n; i++) {
        from = s.v[i].p < from ? s.v[i].p : from;
        to = s.v[i].p > to ? s.v[i].p : to;
    }
    /* the lower envelope: in each tenth of the span, the line that waited
     * least; the rate is the median slope between those (Theil-Sen), so
     * that a tenth whose lines all queued (the backlog a console sends when
     * it registers) does not tilt it */
    int64_t span = to - from;
    enum { BINS = 10 };
    double bp[BINS] = { 0 }, bl[BINS] = { 0 };
    bool have[BINS] = { false };
    for (size_t i = 0; span > 0 && i < s.n; i++) {
        int k = (int)((double)(s.v[i].p - from) / (double)span * BINS);
        k = k >= BINS ? BINS - 1 : k;
        double lag = (double)s.v[i].h - (double)s.v[i].p * 1000.0;
        if (!have[k] || lag < bl[k]) {
            have[k] = true;
            bl[k] = lag;
            bp[k] = (double)s.v[i].p * 1000.0;
        }
    }
    double slopes[BINS * BINS];
    size_t n_slopes = 0;
    for (int i = 0; i < BINS; i++)
        for (int j = i + 1; j < BINS; j++)
            if (have[i] && have[j] && bp[j] > bp[i])
                slopes[n_slopes++] = (bl[j] - bl[i]) / (bp[j] - bp[i]);
    if (span >= 100000 && n_slopes >= 3)
        f->measured_rate = 1.0 + bl_median(slopes, n_slopes);
    if (!isnan(f->measured_rate) && fabs(f->measured_rate - 1.0) <= MAX_DRIFT)
        f->rate = f->measured_rate;
    /* k0 under the envelope: the second smallest of the tenths' lowest
     * offsets, so that one line stamped ahead (by another CPU's clock)
     * does not pull every time earlier; with few tenths, under every line */
    double k0 = INFINITY, lowest[BINS];
    size_t n_low = 0;
    for (int k = 0; k < BINS; k++)
        if (have[k])
            lowest[n_low++] = bl[k] + bp[k] - f->rate * bp[k];
    for (size_t i = 0; i < s.n; i++) {
        double off = (double)s.v[i].h - f->rate * (double)s.v[i].p * 1000.0;
        k0 = off < k0 ? off : k0;
    }
    if (n_low >= 4) {
        bl_sort(lowest, n_low);
        k0 = lowest[1];
    }
    f->k0_ns = llround(k0);
    for (size_t i = 0; i < s.n; i++)
        f->ahead += (double)s.v[i].h - f->rate * (double)s.v[i].p * 1000.0 < k0 - AHEAD_NS;
    double *res = bl_xmalloc(s.n * sizeof(double));
    for (size_t i = 0; i < s.n; i++)
        res[i] = ((double)s.v[i].h - (double)bl_clock_host_ns(f, s.v[i].p)) / 1000.0;
    f->residual_us = bl_median(res, s.n);
    free(res);
    free(s.v);
    return 0;
}

int64_t bl_clock_host_ns(const struct bl_clock_fit *f, int64_t printk_us)
{
    return f->k0_ns + llround(f->rate * (double)printk_us * 1000.0);
}
