/*
 * framing.h: the prefixes that capture tools and the kernel put in front of
 * a message, peeled off in one place. Hand-written scanners, not regexes:
 * they run on every line and their grammar is tiny.
 */
#ifndef BL_FRAMING_H
#define BL_FRAMING_H

#include <stddef.h>
#include <stdint.h>

/* What a printk prefix said. Fields are BL_NONE / -1 / "" when absent. */
struct bl_printk {
    int64_t printk_us;
    int level;
    char caller[12];
};

/*
 * Peels a printk prefix:  [<N>][ [   1.234567]][[    T1]][ ]
 *   "<6>[    0.000000] Linux version"  level 6, printk 0
 *   "[    1.784397][    T1] Run /init"  printk 1784397 us, caller T1
 *   "[ 0.000000] e820: ..."             collapsed padding (libguestfs)
 * Returns how many bytes the prefix took (0 if there was none).
 */
size_t bl_peel_printk(const char *s, size_t len, struct bl_printk *out);

/*
 * Peels a grabserial host stamp "[abs delta] " (seconds, any number of
 * decimals):  "[0.855600 0.000210] text"  ->  855600000, 210000 ns.
 * Returns the bytes taken, 0 if the line does not start with one.
 */
size_t bl_peel_grabserial(const char *s, size_t len, int64_t *abs_ns, int64_t *delta_ns);

/*
 * Peels a wall-clock stamp, bracketed or bare, with a space after it:
 *   "[2016-10-22 16:07:10] text", "2024-03-01T12:00:00.123456Z text",
 *   "2024-03-01 12:00:00.123+01:00 text", "Mar  7 12:00:00 text" (ts)
 * *ns is nanoseconds since 1970 (UTC when a zone is given, else as
 * written); years before 1970 or after 2261 are not taken for stamps.
 * Returns the bytes taken, 0 if there is none.
 */
size_t bl_peel_wallclock(const char *s, size_t len, int64_t *ns);

/* Parses "123.456789" (up to 9 decimals) into ns; returns bytes used, 0 on
 * no number. With exact_decimals > 0, exactly that many decimals. */
size_t bl_parse_seconds(const char *s, size_t len, int exact_decimals, int64_t *ns);



/* Iterates over the lines of a buffer (for probes): sets *line and *n to the
 * next line (without '\n' and a trailing '\r') and returns 1, or 0 at the
 * end. *pos starts at 0. */
int bl_next_line(const char *buf, size_t len, size_t *pos, const char **line, size_t *n);

/* The share (0-100) of the first lines of head (at most 50 non-empty ones)
 * for which accept() returns non-zero. */
int bl_probe_share(const char *head, size_t len, int (*accept)(const char *line, size_t n));

/* Whether accept() returns non-zero for any line of head. */
int bl_probe_any(const char *head, size_t len, int (*accept)(const char *line, size_t n));
#endif
