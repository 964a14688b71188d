/*
 * clock.h: printk time on the host's clock (docs/DESIGN.md, section 3).
 * A fit, not one offset: host = k0 + rate * printk over the live console's
 * lower envelope of arrival lags (queues only ever add lag), tenth by tenth
 * of the boot, so that a guest clock drifting against the host's does not
 * pile its drift into the last phase; on the printk clock's last segment,
 * so that a restart (tsc: Fast TSC calibration failed, the clock going back
 * near 0) does not move printk 0; a line stamped ahead (another CPU's
 * clock) is counted, not fitted.
 */
#ifndef BL_CLOCK_H
#define BL_CLOCK_H

#include "db.h"
#include <stddef.h>
#include <stdint.h>

struct bl_clock_fit {
    int64_t k0_ns;            /* host time of printk 0 (BL_NONE: no host stamps) */
    double rate;              /* host ns per printk ns applied (1 when not measurable, or
                               * too far from 1 to be the same clock) */
    double measured_rate;     /* as the envelope says (NAN: under 0.1 s of stamped lines) */
    int64_t restart_us;       /* printk time of the last line before the last restart (BL_NONE) */
    size_t lines;             /* stamped lines fitted */
    double residual_us;       /* the median arrival lag above the fit */
    size_t ahead;             /* lines that arrived over 1 ms before the fit allows:
                               * stamped ahead, by another CPU's clock */
};

/* Fits a boot's printk clock to the host's. Returns 0, or -1 after printing an error. */
int bl_clock_fit(struct bl_db *db, int64_t boot, struct bl_clock_fit *f);

/* A printk time on the host clock by the fit. */
int64_t bl_clock_host_ns(const struct bl_clock_fit *f, int64_t printk_us);

#endif
