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

/* Summarizes v[0..n-1] (n > 0). Sorts v in place. */
void bl_summarize(double *v, size_t n, struct bl_summary *s);

#endif
