/*
 * framing.h: the prefixes that capture tools and the kernel put in front of
 * a message, peeled off in one place. Hand-written scanners, not regexes:
 * they run on every line and their grammar is tiny.
 */
#ifndef BL_FRAMING_H
#define BL_FRAMING_H

#include <stdbool.h>
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
 *   "2024-03-01 12:00:00.123+01:00 text", "Mar  7 12:00:00 text" (ts),
 *   "[Tue Mar  5 12:00:01 2024] text" (dmesg -T: printk time, to the second)
 * *ns is nanoseconds since 1970 (UTC when a zone is given, else as
 * written); years before 1970 or after 2261 are not taken for stamps.
 * Returns the bytes taken, 0 if there is none.
 */
size_t bl_peel_wallclock(const char *s, size_t len, int64_t *ns);

/*
 * The prefixes other programs put in front of a kernel's (or a guest's)
 * message, whatever the format of the file, peeled in one place:
 *   "Mar  7 12:34:56 host kernel: "     syslog, journald's short output, in
 *   "mar 06 13:18:23 host kernel: "     any locale ("3月 22 10:31:07 ...");
 *   "2024-03-06T12:00:01+0100 host kernel: "   short-iso; with or without a
 *                                       printk stamp after the tag
 *   "kernel: "                          a syslog line whose date was cut
 *   "(d4) "                             Xen's prefix of a guest's output
 *   "[NOTE ]  "                         coreboot's log level
 *   "  <idle>-0  [000] d..1  1.234567: " ftrace's trace (its clock is printk's)
 * A syslog header of another program ("kata[140622]: ...") is peeled too,
 * and said (other_program): its message may quote the guest's console.
 */
struct bl_known {
    int64_t wall_ns;          /* the header's date, ns since 1970, or BL_NONE */
    bool coarse;              /* a syslog header's date (this one's, or the format's
                               * before it): when a daemon wrote the line, not when
                               * it arrived */
    int64_t trace_us;         /* ftrace's timestamp, or BL_NONE */
    int64_t pid;              /* ftrace's task pid, or BL_NONE */
    bool other_program;       /* a syslog tag that is not "kernel" */
};

/* Peels the known prefixes at the start of s (repeatedly: "Mar  7 ... host
 * kernel: (d1) "); `dated`: the format already took a date off the line,
 * so a host name and tag may start it. Returns the bytes taken. */
size_t bl_peel_known(const char *s, size_t len, bool dated, struct bl_known *out);

/* Whether a wall-clock stamp of n bytes has whole seconds only (no
 * fraction): a syslog daemon's or ts's time of writing, not an arrival. */
bool bl_wallclock_coarse(const char *s, size_t n);

/* The value of a hex digit, or -1. */
int bl_hex_digit(char c);

/* Undoes the backslash escapes of quoted text (\n \t \r; a backslash
 * before any other byte is that byte; with BL_UNESCAPE_JSON also \b and
 * \uXXXX, as UTF-8) from s, up to its end or, with BL_UNESCAPE_TO_QUOTE,
 * its first unescaped '"', into out (room for n bytes). Returns the length
 * written; *used is the bytes read (the quote not included). The one
 * unquoting of libguestfs events, logfmt fields and JSON strings. */
enum { BL_UNESCAPE_TO_QUOTE = 1, BL_UNESCAPE_JSON = 2 };
size_t bl_unescape(const char *s, size_t n, int how, char *out, size_t *used);

/* JSON in a line (LAVA job logs, journalctl -o json): the value of "key"
 * in a one-line object (after `"key":`, spaces skipped), or NULL; and a
 * JSON string at s (its opening quote) unescaped into frame's scratch:
 * returns the bytes it took, quotes included, 0 if it is not one. */
struct bl_frame;
const char *bl_json_find(const char *s, size_t len, const char *key);
size_t bl_json_read_string(const char *s, size_t len, struct bl_frame *frame, const char **out, size_t *out_len);

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
