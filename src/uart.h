/*
 * uart.h: the console's cost (docs/DESIGN.md, section 3). Before Linux
 * 6.12 the kernel prints to the console synchronously: every byte sent
 * delays everything after it, printk timestamps and initcall durations
 * included. With c the cost of one byte:
 *   - c is estimated from the data: from lines whose first and last bytes
 *     bootlog capture stamped ('line-ends'), or from lines that arrived
 *     queued behind each other, gap / bytes ('arrival-gaps'); the median,
 *     so that idle gaps do not count;
 *   - a record's time without the console is printk - c * bytes printed
 *     before it; an initcall's duration without it, reported - c * bytes
 *     printed while it ran;
 *   - 'Run /init' corrected is what the same boot would show with `quiet`.
 */
#ifndef BL_UART_H
#define BL_UART_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

/* How far an initcall's printk timestamps may be from its reported
 * duration, beyond what the console explains, before it is flagged: a
 * millisecond and a tenth (kernels before 2022 count 1.024 us "usecs"). */
#define BL_MISMATCH_US(reported_us) (1000 + (reported_us) / 10)

struct bl_uart {
    int64_t boot_id;
    double ns_per_char;
    const char *evidence;      /* "line-ends", "arrival-gaps", or "given" */
    int64_t samples;
    double spread_ns;          /* interquartile range of the samples */
    int64_t chars;             /* live console bytes */
    int64_t userspace_printk_us;        /* BL_NONE-like: INT64_MIN if none */
    int64_t userspace_chars_before;
};

/* Estimates the console's cost of a boot just imported, stores it (table
 * uart), the corrected initcall durations, and flags initcalls whose
 * timestamps disagree with their reported duration by more than the
 * console explains (call.mismatch_us). Without host_stamps there is no
 * evidence of the console's cost to look for. Returns 0, or -1 after
 * printing an error. */
int bl_analyze_boot(sqlite3 *db, int64_t boot_id, bool host_stamps);

/* Loads a boot's stored estimate; returns 1 if it has one, 0 if not, -1 on
 * error. Without one, the fields other than chars and userspace are 0. */
int bl_uart_load(sqlite3 *db, int64_t boot_id, struct bl_uart *u);

#endif
