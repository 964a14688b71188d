/* stats.h: summary statistics of small samples (boots of one label). */
#ifndef BL_STATS_H
#define BL_STATS_H

#include <stddef.h>

struct bl_summary {
    size_t n;
    double mean;
    double sd;       /* sample standard deviation (n - 1); 0 when n < 2 */
    double min, median, max;
};

/* Summarizes v[0..n-1] (n > 0). Reorders v (not into sorted order). */
void bl_summarize(double *v, size_t n, struct bl_summary *s);

/* Welch's t-test of two samples (unequal variances, the right test for a
 * handful of boots per configuration whose spreads differ). */
struct bl_welch {
    double t;        /* (mean b - mean a) / standard error */
    double df;       /* Welch-Satterthwaite degrees of freedom */
    double p;        /* two-sided p-value; 1 when it cannot be computed */
};
/* From two summaries (n >= 2 each for a p-value below 1). */
void bl_welch_test(const struct bl_summary *a, const struct bl_summary *b, struct bl_welch *w);

/* Two-sided p-value of Student's t with df degrees of freedom:
 * P(|T| >= |t|) = I_{df/(df+t^2)}(df/2, 1/2). */
double bl_student_p(double t, double df);

#endif
