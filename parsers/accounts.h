/*
 * accounts.h: what a boot's firmware and init system print of their own
 * time, read from any line of any stream (a console, a file of their own
 * given with --firmware or --userspace, a copy of /proc or /sys):
 *
 *   U-Boot's bootstage report (CONFIG_BOOTSTAGE_REPORT, `bootstage report`)
 *     Timer summary in microseconds (12 records):
 *            Mark    Elapsed  Stage
 *         224,514    224,514  SPL
 *     Accumulated time:
 *                      55,064  dm_f
 *   coreboot's cbmem -t and -T
 *        3:after ram initialization      2,225,788 (2,179,453)
 *     Total Time: 4,819,016
 *     3<TAB>2225788<TAB>2179453<TAB>after ram initialization
 *   depthcharge leaving for the kernel
 *     Exiting depthcharge with code 4 at timestamp: 42069715
 *   ACPI FPDT as Linux shows it (grep . /sys/firmware/acpi/fpdt/boot/ *)
 *     /sys/firmware/acpi/fpdt/boot/bootloader_launch_ns:1712345678
 *   systemd's account of the boot, and systemd-analyze's of its units
 *     Startup finished in 4.160s (firmware) + 2.796s (loader) + 5.831s (kernel) + 18.885s (userspace) = 31.673s
 *      18.885s NetworkManager-wait-online.service            (blame)
 *     └─multi-user.target @18.864s +12ms                       (critical-chain)
 *
 * Tables span lines: the reader keeps a little state per boot.
 */
#ifndef BL_ACCOUNTS_H
#define BL_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>

/* What a row of an account is (the account table's kind). */
enum bl_account_kind {
    BL_ACCOUNT_MARK,         /* a time on the source's clock, us since its reset */
    BL_ACCOUNT_ACCUMULATED,  /* time spent in one activity, summed */
    BL_ACCOUNT_DURATION,     /* a span the source measured (systemd's parts) */
    BL_ACCOUNT_TOTAL,        /* the source's own sum */
};
const char *bl_account_kind_name(enum bl_account_kind k);

struct bl_account_row {
    const char *source;      /* "u-boot", "coreboot", "depthcharge", "fpdt", "systemd" */
    int table_no;            /* which of the source's tables in this boot, from 1 */
    enum bl_account_kind kind;
    const char *name;        /* "board_init_r", "after ram initialization", "kernel" */
    int64_t value_us;
};

/* A unit of the userspace, as systemd-analyze shows it; BL_NONE: not said. */
struct bl_unit_row {
    const char *name;        /* "NetworkManager-wait-online.service" */
    int64_t time_us;         /* how long it took to start */
    int64_t active_us;       /* when it became active, since userspace started */
};

/* The reader's state: zero it to start a boot. */
struct bl_accounts {
    int state;
    int tables[5];           /* tables seen so far, by source */
    int rows;                /* rows of the current bootstage table */
    char names[8][96];       /* the rows' names (valid until the next call) */
};

/* The most rows one line can hold (systemd's line: six parts and a total). */
#define BL_ACCOUNT_ROWS 8

/* Reads one message (framing peeled off). Returns the number of rows it
 * holds (filled into rows[], names valid until the next call), or -1 for
 * a unit (filled into *unit); 0 if it is neither. */
int bl_accounts_read(struct bl_accounts *a, const char *text, size_t len, struct bl_account_row *rows,
                     struct bl_unit_row *unit);

/* Whether the last line read was part of a table (its header, a blank
 * line inside it): understood, if not a row. */
int bl_accounts_in_table(const struct bl_accounts *a);

/* systemd's time span ("1min 2.764s", "345ms", "2.796s"), as
 * format_timespan() prints it: us, with *used set to the bytes read; -1
 * if s does not start with one. */
int64_t bl_parse_timespan(const char *s, size_t len, size_t *used);

#endif
