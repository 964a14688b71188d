/*
 * parser.h: turning the bytes of a boot log into lines and facts.
 *
 * Parsers are pure: bytes in, events out. No SQLite, no printing, no exit.
 * A parser is fed the input in chunks of any size (bl_parser_feed), splits
 * it into lines, peels the framing off each line in layers and hands every
 * line to the sink, then the facts the recognizers found in it:
 *
 *   raw line  "[2.436111 0.000248] [    1.784397] Run /init as init process"
 *   format    grabserial: host_ns = 2436111000, inner text follows
 *   printk    printk_us = 1784397 (and caller, level when present)
 *   text      "Run /init as init process"  -> fact BL_FACT_USERSPACE
 *
 * Every line is handed over exactly once, in input order, with the index of
 * the boot it belongs to (a file may hold several boots) and its stream
 * (bootloader output before a kernel goes to the firmware stream).
 *
 * Adding a format: one file in parsers/ defining a struct bl_format, and one
 * row in the table in registry.c.
 */
#ifndef BL_PARSER_H
#define BL_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accounts.h"

/* "Not known": for times, pids, levels. Never a valid value. */
#define BL_NONE INT64_MIN

/* The streams of a boot (see schema/001-initial.sql). */
enum bl_stream { BL_STREAM_CONSOLE, BL_STREAM_FIRMWARE, BL_STREAM_DMESG, BL_STREAM_USERSPACE };
const char *bl_stream_name(enum bl_stream s);

/* One input line, as handed to the sink. Pointers are valid during the call. */
struct bl_line {
    uint64_t seq;            /* 1-based line number in the input */
    unsigned boot;           /* 0-based index of the boot in this input */
    enum bl_stream stream;   /* firmware for bootloader output before a kernel */
    const char *raw;         /* the exact bytes, without the '\n' */
    size_t raw_len;
    bool newline;            /* false only for a last line without '\n' */
    int64_t host_ns;         /* arrival on the host (its first byte), or BL_NONE */
    int64_t host_end_ns;     /* arrival of its end, when the capture measured it */
    int64_t printk_us;       /* printk timestamp, or BL_NONE */
    char caller[12];         /* CONFIG_PRINTK_CALLER: "T1", "C0"; "" if absent */
    int level;               /* syslog level from "<N>", or -1 */
    bool dump;               /* known at this point to replay earlier records */
    bool recognized;         /* some framing or recognizer understood it */
    bool prefixed;           /* its record (or printk stamp) stood behind a prefix no
                              * framing knows: found, and counted as such */
    bool host_coarse;        /* host_ns says when a program wrote the line (a syslog
                              * daemon's whole seconds, LAVA's chunks), not when it
                              * arrived: no evidence of the console's timing */
    bool meta;               /* the file's metadata (a capture's "#..." lines), not output */
    const char *text;        /* the message: all framing, CRs and NULs removed */
    size_t text_len;
    int64_t chars;           /* bytes the machine sent for it on the console (capture
                              * framing excluded; its printk stamp, text and CR LF) */
    int64_t chars_before;    /* live console: bytes printed on the console before
                              * it (the UART model's C_i); BL_NONE elsewhere */
};

/* What a timed call is. Only BL_CALL_INITCALL counts as a boot initcall. */
enum bl_call_kind {
    BL_CALL_INITCALL,        /* do_one_initcall: "calling  fn @ 1" .. "initcall fn returned" */
    BL_CALL_ASYNC,           /* async_run_entry_fn: "calling  12_fn @ 5" */
    BL_CALL_ASYNC_WAIT,      /* "async_waiting @ 1" .. "async_continuing @ 1 after N usec" */
    BL_CALL_PROBE,           /* "probe of DEV returned R after N usecs" */
    BL_CALL_PCI_FIXUP,       /* PCI quirks run with initcall_debug */
    BL_CALL_PM,              /* device power-management callbacks (suspend/resume) */
};
const char *bl_call_kind_name(enum bl_call_kind k);

/* One timed call, handed over when its last line arrives, or at the end of
 * its segment if it never returned. */
struct bl_call {
    enum bl_call_kind kind;
    const char *function;    /* "con_init" (offset "+0x0/0x22c" removed); the device
                              * for probes and PM callbacks; "" for async waits */
    const char *module;      /* "virtio_net", or NULL */
    const char *device;      /* the PCI device of a fixup, or NULL */
    const char *level;       /* initcall level ("device"), or NULL if not printed */
    int64_t pid;             /* BL_NONE if not printed */
    uint64_t start_seq, end_seq;           /* 0 if that line was not seen */
    int64_t start_printk_us, end_printk_us;
    int64_t start_host_ns, end_host_ns;    /* BL_NONE in dumps */
    int64_t reported_us;     /* the kernel's figure in us, BL_NONE if none */
    const char *reported_unit; /* "usecs" or "msecs" as printed, NULL if none */
    int64_t ret;             /* BL_NONE if not printed */
    int complete;            /* 1 returned, 0 never returned, -1 not knowable
                              * (kernels before 2.6.22 print no end record) */
    bool dump;               /* from a replay of the ring buffer */
    const char *suspect;     /* why the record looks wrong, or NULL */
    int64_t chars_between;   /* console bytes printed while it ran, BL_NONE if unknown */
};

enum bl_fact_kind {
    BL_FACT_KERNEL_VERSION,  /* str: "6.1.0-56-cloud-amd64" */
    BL_FACT_CMDLINE,         /* str: "console=ttyS0 ..." */
    BL_FACT_FIRMWARE_VERSION,/* str: "1.16.2-debian-1.16.2-1", "U-Boot 2017.09" */
    BL_FACT_FIRMWARE_STEP,   /* str: a step of firmware's own ("pci-begin", "pci",
                              * "option-roms", "option-rom", "boot-search": SeaBIOS) */
    BL_FACT_KERNEL_STEP,     /* str: a step of the kernel's that a phase is made of
                              * ("smp-begin", "smp-end"): line.mark */
    BL_FACT_CONSOLE,         /* str: the kernel registers or drops a console ("legacy console
                              * enabled", "bootconsole disabled", "console enabled"), or
                              * its banner says PREEMPT_RT ("preempt-rt"): line.mark */
    BL_FACT_HANDOFF,         /* str: "cb00:0054"; firmware jumps to the next stage */
    BL_FACT_USERSPACE,       /* str: "/init"; the kernel starts init */
    BL_FACT_POWEROFF,        /* str: "Power down", "Restarting system", "System halted" */
    BL_FACT_CALL,            /* call */
    BL_FACT_DUMP,            /* lines first_seq..last_seq replay earlier records */
    BL_FACT_MEMORY,          /* mem[]: the guest's `free -m` "Mem:" row, MiB */
    BL_FACT_COMMAND,         /* str: a capture file's command, its arguments shell-quoted */
    BL_FACT_RUN,             /* run[]: a capture file's measures of the run; str, if
                              * not NULL: why its "#run" line cannot be read */
    BL_FACT_ACCOUNT,         /* account: a row of the firmware's or systemd's own
                              * account of its time (accounts.h) */
    BL_FACT_UNIT,            /* unit: a userspace unit systemd-analyze timed */
};

/* A fact found in the input. Facts that a line states (versions, markers)
 * carry that line's seq and times; with dump set they came from a replay
 * and their host time means nothing. */
struct bl_fact {
    enum bl_fact_kind kind;
    unsigned boot;           /* the boot it belongs to */
    uint64_t seq;
    int64_t host_ns, printk_us;
    bool dump;
    const char *str;
    const struct bl_call *call;
    uint64_t first_seq, last_seq;      /* BL_FACT_DUMP: lines already handed over */
    int64_t mem[6];          /* BL_FACT_MEMORY: total, used, free, shared, buff/cache, available */
    int64_t run[10];          /* BL_FACT_RUN: by bl_run_keys (BL_NONE: not known) */
    const struct bl_account_row *account;
    const struct bl_unit_row *unit;
};

/* The measures of a capture file's "#run" line (parsers/capture.c reads
 * it, src/capture.c writes it), in the order of bl_fact.run and of the
 * boot table's columns of the same names. */
enum { BL_RUN_KEYS = 10 };
extern const char *const bl_run_keys[BL_RUN_KEYS];

/* Reads a capture file's metadata line s ("#command ...", "#run k=v ...");
 * fills f's kind (BL_FACT_COMMAND, BL_FACT_RUN) and its values; returns -1
 * for a line of neither kind (comments). */
int bl_capture_meta(const char *s, size_t len, struct bl_fact *f);

/* Whether a captured command (shell-quoted, as "#command" and boot.command
 * hold it) ran its guest on instruction counting (qemu -icount): guest
 * time is then a function of the instructions executed, and the host's
 * stamps say nothing of when the kernel printed a line. */
bool bl_capture_guest_clock(const char *command, size_t len);

/* Where events go. A callback returning non-zero stops the parser, and
 * bl_parser_feed/finish return that value. */
struct bl_sink {
    void *ctx;
    int (*line)(void *ctx, const struct bl_line *line);
    int (*fact)(void *ctx, const struct bl_fact *fact);
};

/* Per-line framing state of a format. peel() sets host_ns (and, for formats
 * whose framing carries them, printk_us and level), keeping what it needs
 * across lines in the rest. */
struct bl_frame {
    int64_t host_ns;         /* out: BL_NONE if the line has no host stamp */
    bool coarse;             /* out: host_ns is when a program wrote the line, not its
                              * arrival (LAVA stamps the chunks it reads) */
    int64_t host_end_ns;     /* out: arrival of the line's end, BL_NONE if not known */
    int64_t printk_us;       /* out: BL_NONE unless the framing had it */
    int level;               /* out: -1 unless the framing had it */
    bool continuation;       /* out: a continuation of the previous record */
    int stream;              /* out: the line's stream when the framing says, else -1 */
    bool meta;               /* out: a metadata line of the file, not of the boot */
    int64_t last_host_ns;    /* the previous stamped line's host time */
    int64_t last_abs_ns;     /* grabserial: the previous absolute stamp */
    int64_t base_ns;         /* wall-clock stamps: the first one (t = 0) */
    char *scratch;           /* for formats that rewrite text (unquoting) */
    size_t scratch_cap;
};

/* An input format. */
struct bl_format {
    const char *name;
    const char *summary;
    enum bl_stream stream;   /* the stream its lines belong to by default */
    bool arrivals;           /* its stamps are arrivals on the host (a capture's,
                              * grabserial's), never a logging daemon's date: a
                              * "WORD WORD: " after one is no syslog header
                              * ("EFI stub: Loaded initrd ...") */
    /* How sure (0-100) the format is that these are its first lines. */
    int (*probe)(const char *head, size_t len);
    /* Peels the format's outer framing off one line: see struct bl_frame;
     * points *text and *len at the inner text (may point into frame's
     * scratch). Never fails: an unframed line is kept as it is. */
    void (*peel)(struct bl_frame *frame, const char **text, size_t *len);
};

/* What detection found: the format, and a decoration every line carries
 * ("> " of a quoted mail, "machine# " of a test harness, an indent). */
struct bl_detected {
    const struct bl_format *format;
    char decoration[24];
    bool quoted_printable;   /* a mail body the text shows is quoted-printable:
                              * "=3D", soft line breaks "=" (decoded for reading;
                              * the stored lines stay as read) */
    bool guessed;            /* no format's probe knew the first lines: read as
                              * plain text, a boot only if records are found in it */
};

/* FNV-1a over n bytes, continuing from h (BL_HASH_INIT to start): the one
 * hash of bootlog's in-memory tables. */
#define BL_HASH_INIT 14695981039346656037ULL
uint64_t bl_hash(uint64_t h, const void *p, size_t n);

/* The kernel records a boot has shown, so that each is counted or stored
 * once however often a log shows it (live, then in a dump; a console and a
 * dmesg of one boot): a record is its boot, kind, function and printk
 * start. A call without a printk start is never one already seen. Records
 * are kept as 64-bit hashes (a false match is about 1 in 10^10 for a
 * fleet-sized boot of 100k records). */
struct bl_record_set {
    uint64_t *slots;          /* 0: empty */
    size_t n, cap;            /* cap: a power of two, at least twice n */
};
/* Adds the call's record; returns true if it was there already. */
bool bl_record_seen(struct bl_record_set *s, uint64_t boot, const struct bl_call *call);
void bl_record_set_free(struct bl_record_set *s);

/* registry.c */
const struct bl_format *bl_format_find(const char *name);
const struct bl_format *const *bl_formats(void);   /* NULL-terminated */
/* Finds the decoration of a file's first bytes and, unless `format` is
 * given, its format. Returns -1 if no format fits, with *why set to a
 * reason fit for an error message. */
int bl_detect(const char *head, size_t len, const struct bl_format *format,
              struct bl_detected *out, const char **why);

/* parser.c */
struct bl_parser;
struct bl_parser *bl_parser_new(const struct bl_detected *how, const struct bl_sink *sink);
int bl_parser_feed(struct bl_parser *p, const char *buf, size_t len);
int bl_parser_finish(struct bl_parser *p);
/* Lines read so far, and those with a kernel or firmware record or a
 * printk stamp: a file with none of them is not a boot log. */
#define BL_NO_RECORDS "%s:%llu: not a boot log: no kernel or firmware record in its %llu lines (looked for printk " \
    "timestamps, initcall records, \"Linux version\", command lines, \"Run /init\", firmware " \
    "banners and bootloader prompts, anywhere in a line); use --input-format to import it anyway"
uint64_t bl_parser_lines(const struct bl_parser *p);
size_t bl_parser_records(const struct bl_parser *p);
void bl_parser_free(struct bl_parser *p);

#endif
