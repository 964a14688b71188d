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

/* The median of v[0..n-1] (n > 0; of an even n, the mean of the middle
 * two); reorders v. */
double bl_median(double *v, size_t n);
/* Sorts v ascending. */
void bl_sort(double *v, size_t n);
/* The median and the interquartile range (v[3n/4] - v[n/4] of v sorted);
 * sorts v. */
void bl_median_iqr(double *v, size_t n, double *median, double *iqr);

/* The significance level of every verdict bootlog gives (compare, its
 * charts, the report, --fail-on-regression). */
#define BL_SIGNIFICANCE 0.05
#define BL_SIGNIFICANCE_TEXT "p < 0.05"

/* Welch's t-test of two samples (unequal variances, the right test for a
 * handful of boots per configuration whose spreads differ). */
struct bl_welch {
    double t;        /* (mean b - mean a) / standard error */
    double df;       /* Welch-Satterthwaite degrees of freedom */
    double p;        /* two-sided p-value; 1 when it cannot be computed */
};
/* From two summaries (n >= 2 each for a p-value below 1). */
void bl_welch_test(const struct bl_summary *a, const struct bl_summary *b, struct bl_welch *w);

/* The paired t-test of differences d[0..n-1] (B - A of runs that ran in
 * the same round): t = mean / (sd / sqrt n), n - 1 degrees of freedom; p 1
 * when n < 2 (d is reordered). Fills w as bl_welch_test does. */
void bl_paired_test(double *d, size_t n, struct bl_welch *w);

/* The t with P(|T| >= t) = p for Student's t with df degrees of freedom
 * (by bisection on bl_student_p). */
double bl_student_quantile(double p, double df);

/* Two-sided p-value of Student's t with df degrees of freedom:
 * P(|T| >= |t|) = I_{df/(df+t^2)}(df/2, 1/2). */
double bl_student_p(double t, double df);

#endif
