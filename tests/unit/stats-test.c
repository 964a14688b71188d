/* stats-test: the statistics against published reference values. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "stats.h"

static int failed;

static void near(const char *what, double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol)) {
        printf("FAIL %s: %.6f, want %.6f (±%g)\n", what, got, want, tol);
        failed++;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median by selection against the sorted middle, on every size up to
 * 300 of values with many ties, few ties, and in order or reversed. */
static void medians(void)
{
    static double v[300], sorted[300];
    unsigned seed = 1;
    for (int kind = 0; kind < 4; kind++)
        for (size_t n = 1; n <= 300; n++) {
            for (size_t i = 0; i < n; i++) {
                seed = seed * 1103515245u + 12345u;
                v[i] = kind == 0 ? (double)(seed >> 16 & 7)          /* ties */
                     : kind == 1 ? (double)(seed >> 8)               /* few ties */
                     : kind == 2 ? (double)i : (double)(n - i);      /* in order, reversed */
            }
            for (size_t i = 0; i < n; i++)
                sorted[i] = v[i];
            qsort(sorted, n, sizeof(*sorted), cmp_double);
            double want = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            struct bl_summary s;
            bl_summarize(v, n, &s);
            char what[64];
            snprintf(what, sizeof(what), "median of %zu values (kind %d)", n, kind);
            near(what, s.median, want, 0);
            near("min", s.min, sorted[0], 0);
            near("max", s.max, sorted[n - 1], 0);
        }
}

int main(void)
{
    /* mean 5, sample sd sqrt(32/7) = 2.13809 (population sd 2): the
     * textbook example of the standard deviation */
    double v[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
    struct bl_summary s;
    bl_summarize(v, 8, &s);
    near("mean", s.mean, 5.0, 1e-12);
    near("sd", s.sd, 2.138089935, 1e-9);
    near("median", s.median, 4.5, 1e-12);
    near("min", s.min, 2, 0);
    near("max", s.max, 9, 0);
    medians();

    /* Student's t critical values (any t table): two-sided p */
    near("t 12.706, df 1", bl_student_p(12.706, 1), 0.05, 2e-4);
    near("t 2.228, df 10", bl_student_p(2.228, 10), 0.05, 2e-4);
    near("t 4.032, df 5", bl_student_p(4.032, 5), 0.01, 1e-4);
    near("t 1.697, df 30", bl_student_p(1.697, 30), 0.10, 2e-4);
    near("t 2.576, df 1e6", bl_student_p(2.576, 1e6), 0.01, 1e-4);
    /* quantiles: the tables' critical values */
    near("t(0.05, 10)", bl_student_quantile(0.05, 10), 2.228, 1e-3);
    near("t(0.05, 1)", bl_student_quantile(0.05, 1), 12.706, 1e-2);
    near("t(0.01, 5)", bl_student_quantile(0.01, 5), 4.032, 1e-3);
    /* the paired test: differences 1, 2, 3: t = 2 / (1 / sqrt 3), df 2 */
    {
        double d[] = { 1, 2, 3 };
        struct bl_welch w;
        bl_paired_test(d, 3, &w);
        near("paired t", w.t, 3.4641, 1e-4);
        near("paired df", w.df, 2, 0);
        near("paired p", w.p, 0.0742, 1e-3);
        double same[] = { 5, 5, 5 };
        bl_paired_test(same, 3, &w);
        near("paired, no spread", w.p, 0, 0);
    }
    near("t 0", bl_student_p(0, 7), 1.0, 1e-12);
    near("t -2.228, df 10", bl_student_p(-2.228, 10), 0.05, 2e-4);

    /* Welch: Welch-Satterthwaite df of two samples worked by hand:
     * a = {1,2,3,4,5}: mean 3, var 2.5; b = {2,4,6,8,10,12}: mean 7, var 14
     * se2 = 2.5/5 + 14/6 = 2.8333; t = 4 / sqrt(2.8333) = 2.37635
     * df = 2.8333^2 / (0.25/4 + 5.4444/5) = 8.02778 / 1.15139 = 6.97226 */
    double a[] = { 1, 2, 3, 4, 5 }, b[] = { 2, 4, 6, 8, 10, 12 };
    struct bl_summary sa, sb;
    struct bl_welch w;
    bl_summarize(a, 5, &sa);
    bl_summarize(b, 6, &sb);
    bl_welch_test(&sa, &sb, &w);
    near("welch t", w.t, 2.376354, 1e-5);
    near("welch df", w.df, 6.972256, 1e-5);
    near("welch p = student p", w.p, bl_student_p(2.376354, 6.972256), 1e-6);
    if (!(w.p > 0.04 && w.p < 0.06)) {
        printf("FAIL welch p %.4f not near 0.049\n", w.p);
        failed++;
    }

    printf("stats: %s\n", failed ? "FAILED" : "all reference values match");
    return failed != 0;
}
