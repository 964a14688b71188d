/*
 * uart.h: the console's cost (docs/DESIGN.md, section 3). A legacy console
 * (every console before Linux 6.12, and those the kernel calls "legacy"
 * since, the 8250 included) makes printk's caller wait while it sends;
 * nbcon consoles and PREEMPT_RT kernels print from threads, except while a
 * boot console is registered. With c the cost of one byte:
 *   - which consoles blocked, and when, is read from the console
 *     registrations the kernel printed (line.mark);
 *   - c is estimated from the data: initcalls' printk times against their
 *     reported durations ('calling-lines', the guest's own clock), else the
 *     host's stamps when the host clock runs at printk's rate ('line-ends',
 *     'arrival-gaps'); the median, with a 95% interval;
 *   - a line's time without the console is printk - c * the bytes printk
 *     waited for before it; an initcall's duration without it, reported -
 *     c * the bytes printk waited for while it ran; both stored;
 *   - 'Run /init' corrected is what the same boot would show with `quiet`.
 */
#ifndef BL_UART_H
#define BL_UART_H

#include "db.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How far an initcall's printk timestamps may be from its reported
 * duration, beyond what the console explains, before it is flagged: a
 * millisecond and a tenth (kernels before 2022 count 1.024 us "usecs"). */
#define BL_MISMATCH_US(reported_us) (1000 + (reported_us) / 10)

struct bl_uart {
    int64_t boot_id;
    double ns_per_char;
    double ns_low, ns_high;    /* its 95% interval (bootstrap of the median) */
    const char *evidence;      /* "calling-lines", "line-ends", "arrival-gaps", "no-wait" (printk
                                * never waited: nothing to correct), or "given" */
    char checked[200];         /* the other evidence: what it said, or why not used */
    int64_t samples;
    double spread_ns;          /* interquartile range of the samples */
    int64_t chars;             /* live console bytes */
    int64_t userspace_printk_us;        /* BL_NONE-like: INT64_MIN if none */
    int64_t userspace_wait_chars;
};

/* Works out which consoles of a boot made printk wait and when
 * (boot.console), the bytes each line waited for (line.wait_chars), the
 * cost per byte (table uart), the lines' and calls' times without it
 * (line.corrected_us, call.corrected_us), and flags initcalls whose
 * timestamps disagree with their reported duration by more than the
 * console explains (call.mismatch_us). host_stamps: the console has host
 * stamps to look at. Returns 0, or -1 after printing an error. */
int bl_analyze_boot(struct bl_db *db, int64_t boot_id, bool host_stamps);

/* The one rule of the correction: a record's printk time without the
 * console, printk - c * the bytes printk waited for before it (line.wait_chars);
 * never before the kernel started (1 us) nor later than measured. */
int64_t bl_uart_predict(int64_t printk_us, int64_t wait_chars, double ns_per_char);

/* The cross-check of an initcall's timestamps: printk end - start against
 * its reported duration, beyond console_us (the console's time for its
 * "calling" line) and BL_MISMATCH_US; the difference, or BL_NONE. */
int64_t bl_uart_mismatch(int64_t duration_us, int64_t reported_us, int64_t console_us);

/* Loads a boot's stored estimate; returns 1 if it has one, 0 if not, -1 on
 * error. Without one, the fields other than chars and userspace are 0. */
int bl_uart_load(struct bl_db *db, int64_t boot_id, struct bl_uart *u);

/* What bootlog uart and the report show of a boot's console (NAN: not
 * known), in the order of the table's numeric columns: an array, so that
 * the means over a label's boots are one loop. */
enum { BL_UART_US_PER_CHAR, BL_UART_CHARS, BL_UART_CONSOLE_US, BL_UART_MEASURED, BL_UART_PREDICTED,
       BL_UART_SAMPLES, BL_UART_SPREAD, BL_UART_SHARE, BL_UART_MISMATCHES,
       /* the 95% intervals of the cost per byte and of the prediction */
       BL_UART_US_LOW, BL_UART_US_HIGH, BL_UART_PREDICTED_LOW, BL_UART_PREDICTED_HIGH, BL_UART_N_VALUES };
struct bl_uart_row {
    int64_t boot;                 /* 0: the means of the rows before */
    char label[256];
    const char *evidence;         /* "calling-lines", "line-ends", "arrival-gaps", "given", "mean" */
    double v[BL_UART_N_VALUES];
    char checked[200];            /* the other evidence (uart.checked) */
    char console[96];             /* which consoles made printk wait, when (boot.console) */
};

/* One row per boot of ids[0..n-1], with the cost per byte given_us (NAN:
 * the estimates), and when there are several boots, all of one label, a
 * row of their means (each over the boots where it is known; the
 * intervals of the means by bootstrap over the boots). Returns 0, or -1
 * after printing an error. */
int bl_uart_rows(struct bl_db *db, const int64_t *ids, size_t n, double given_us, struct bl_uart_row **rows,
                 size_t *n_rows);

/* The rows as bootlog uart shows them (CSV/JSON fields boot, label,
 * us_per_char, chars, console_us, measured_userspace_us,
 * predicted_userspace_us, evidence, samples, spread_us, share, mismatches). */
struct bl_table;
struct bl_table *bl_uart_table(const struct bl_uart_row *rows, size_t n);

#endif
