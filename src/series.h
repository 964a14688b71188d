/*
 * series.h: bootlog capture's runs: the command run W + N times, each
 * measured run written as a capture file (capture.h) and imported as a
 * boot in its own transaction as soon as it ends.
 */
#ifndef BL_SERIES_H
#define BL_SERIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture.h"
#include "import.h"

struct bl_series {
    struct bl_capture_opts run;
    const char *db_path, *label;
    const struct bl_meta *meta;
    const char *save;         /* keep each measured run as DIR/LABEL-TIME-N.bootlog */
    int64_t runs, warmup;
    int64_t series, round;    /* capture --config: the series' start and this round (0: none) */
};

/* One run, as the caller prints it. */
struct bl_series_run {
    int k;                    /* 1-based, among the warm-up or the measured runs */
    bool measured;
    const struct bl_run *run;
    int64_t boot_id;          /* the boot it was stored as (measured runs) */
    int64_t lines, initcalls;
    int64_t userspace_printk_us; /* 'Run /init', printk time as everywhere (BL_NONE: not seen) */
};

enum bl_series_end { BL_SERIES_DONE, BL_SERIES_FAILED, BL_SERIES_INTERRUPTED };

/* Runs the series, calling each(ctx, run) after every run that ended (a
 * measured one once stored). Stops at the first run that could not be had
 * or stored, or at Ctrl-C; a run that timed out is stored (each says so)
 * and makes the end BL_SERIES_FAILED. Errors are printed. */
enum bl_series_end bl_series_run(const struct bl_series *s,
                                 void (*each)(void *ctx, const struct bl_series_run *r), void *ctx);

#endif
