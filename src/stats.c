/* stats.c: see stats.h. */
#include "stats.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>

/* Puts the k-th smallest of v[0..n-1] at v[k], the smaller ones before it
 * and the larger after (Hoare's selection): a median without sorting, which
 * was most of the time a fleet's top-initcalls spent in statistics. */
static void select_kth(double *v, size_t n, size_t k)
{
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        ptrdiff_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (kk <= j)
            hi = j;
        else if (kk >= i)
            lo = i;
        else
            return;   /* between j and i: equal to the pivot */
    }
}

void bl_summarize(double *v, size_t n, struct bl_summary *s)
{
    double sum = 0, ss = 0;

    s->n = n;
    s->min = s->max = v[0];
    for (size_t i = 0; i < n; i++) {
        sum += v[i];
        s->min = v[i] < s->min ? v[i] : s->min;
        s->max = v[i] > s->max ? v[i] : s->max;
    }
    s->mean = sum / (double)n;
    /* two passes: the textbook formula loses precision on large values */
    for (size_t i = 0; i < n; i++)
        ss += (v[i] - s->mean) * (v[i] - s->mean);
    s->sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0;
    s->median = bl_median(v, n);
}

double bl_median(double *v, size_t n)
{
    select_kth(v, n, n / 2);
    double median = v[n / 2];
    if (n % 2 == 0) {   /* and the largest of the lower half */
        double below = v[0];
        for (size_t i = 1; i < n / 2; i++)
            below = v[i] > below ? v[i] : below;
        median = (below + median) / 2;
    }
    return median;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void bl_sort(double *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_double);
}

void bl_median_iqr(double *v, size_t n, double *median, double *iqr)
{
    bl_sort(v, n);
    *iqr = v[(3 * n) / 4] - v[n / 4];
    *median = bl_median(v, n);
}

/* The regularized incomplete beta function I_x(a, b), by its continued
 * fraction (modified Lentz), the usual way to get Student's t
 * distribution without a statistics library. */
static double beta_cf(double a, double b, double x)
{
    const double tiny = 1e-300, eps = 1e-15;
    double c = 1.0, d = 1.0 - (a + b) * x / (a + 1.0), h;
    if (fabs(d) < tiny)
        d = tiny;
    d = 1.0 / d;
    h = d;
    for (int m = 1; m <= 300; m++) {
        double m2 = 2.0 * m;
        double num = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        c = fabs(c) < tiny ? tiny : c;
        h *= d * c;
        num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
        d = 1.0 + num * d;
        c = 1.0 + num / c;
        d = fabs(d) < tiny ? 1.0 / tiny : 1.0 / d;
        c = fabs(c) < tiny ? tiny : c;
        double delta = d * c;
        h *= delta;
        if (fabs(delta - 1.0) < eps)
            break;
    }
    return h;
}

static double incomplete_beta(double a, double b, double x)
{
    if (x <= 0)
        return 0;
    if (x >= 1)
        return 1;
    double front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1.0 - x));
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * beta_cf(a, b, x) / a;
    return 1.0 - front * beta_cf(b, a, 1.0 - x) / b;
}

double bl_student_p(double t, double df)
{
    if (!(df > 0) || isnan(t))
        return 1.0;
    return incomplete_beta(df / 2.0, 0.5, df / (df + t * t));
}

void bl_welch_test(const struct bl_summary *a, const struct bl_summary *b, struct bl_welch *w)
{
    double va = a->n > 1 ? a->sd * a->sd / (double)a->n : 0;
    double vb = b->n > 1 ? b->sd * b->sd / (double)b->n : 0;
    double se2 = va + vb;

    w->t = 0;
    w->df = 0;
    w->p = 1.0;
    if (a->n < 2 || b->n < 2)
        return;
    if (se2 <= 0) {
        /* no spread at all: a difference is certain, none is certainly none */
        w->p = a->mean == b->mean ? 1.0 : 0.0;
        return;
    }
    w->t = (b->mean - a->mean) / sqrt(se2);
    w->df = se2 * se2 / (va * va / (double)(a->n - 1) + vb * vb / (double)(b->n - 1));
    w->p = bl_student_p(w->t, w->df);
}

void bl_paired_test(double *d, size_t n, struct bl_welch *w)
{
    struct bl_summary s;
    w->t = 0;
    w->df = 0;
    w->p = 1.0;
    if (n < 2)
        return;
    bl_summarize(d, n, &s);
    if (s.sd <= 0) {
        /* every pair moved alike: a difference is certain, none is certainly none */
        w->p = s.mean == 0 ? 1.0 : 0.0;
        return;
    }
    w->t = s.mean / (s.sd / sqrt((double)n));
    w->df = (double)n - 1;
    w->p = bl_student_p(w->t, w->df);
}

double bl_student_quantile(double p, double df)
{
    double lo = 0, hi = 1e6;
    for (int i = 0; i < 200 && hi - lo > 1e-9 * (1 + lo); i++) {
        double mid = (lo + hi) / 2;
        if (bl_student_p(mid, df) > p)
            lo = mid;
        else
            hi = mid;
    }
    return (lo + hi) / 2;
}
