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
 * Adding a format: one file in parsers/ defining a struct bl_format, and one
 * row in the table in registry.c.
 */
#ifndef BL_PARSER_H
#define BL_PARSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "Not known": for times, pids, levels. Never a valid value. */
#define BL_NONE INT64_MIN

/* The streams of a boot (see schema/001-initial.sql). */
enum bl_stream { BL_STREAM_CONSOLE, BL_STREAM_FIRMWARE, BL_STREAM_DMESG };
const char *bl_stream_name(enum bl_stream s);

/* One input line, as handed to the sink. Pointers are valid during the call. */
struct bl_line {
    uint64_t seq;            /* 1-based line number in the input */
    const char *raw;         /* the exact bytes, without the '\n' */
    size_t raw_len;
    bool newline;            /* false only for a last line without '\n' */
    int64_t host_ns;         /* arrival on the host, or BL_NONE */
    int64_t printk_us;       /* printk timestamp, or BL_NONE */
    char caller[12];         /* CONFIG_PRINTK_CALLER: "T1", "C0"; "" if absent */
    int level;               /* syslog level from "<N>", or -1 */
    bool dump;               /* known at this point to replay earlier records */
    const char *text;        /* the message: all framing, CRs and NULs removed */
    size_t text_len;
};

/* One initcall, handed over when its "returned" line arrives, or at the end
 * of its segment if it never returned (complete = false). */
struct bl_initcall {
    const char *function;    /* "con_init" (offset "+0x0/0x22c" removed) */
    const char *module;      /* "virtio_net" or NULL */
    int64_t pid;             /* BL_NONE if not printed */
    uint64_t start_seq, end_seq;           /* 0 if that line was not seen */
    int64_t start_printk_us, end_printk_us;
    int64_t start_host_ns, end_host_ns;    /* BL_NONE in dumps */
    int64_t reported_us;     /* the kernel's figure in us, BL_NONE if incomplete */
    const char *reported_unit; /* "usecs" or "msecs", NULL if incomplete */
    int64_t ret;
    bool complete;
    bool dump;               /* from a replay of the ring buffer */
};

enum bl_fact_kind {
    BL_FACT_KERNEL_VERSION,  /* str: "6.1.0-56-cloud-amd64" */
    BL_FACT_CMDLINE,         /* str: "console=ttyS0 ..." */
    BL_FACT_FIRMWARE_VERSION,/* str: "1.16.2-debian-1.16.2-1" */
    BL_FACT_HANDOFF,         /* str: "cb00:0054"; firmware jumps to the next stage */
    BL_FACT_USERSPACE,       /* str: "/init"; the kernel starts init */
    BL_FACT_INITCALL,        /* initcall */
    BL_FACT_DUMP,            /* lines first_seq..last_seq replay earlier records */
};

/* A fact found in the input. Facts that a line states (versions, markers)
 * carry that line's seq and times; with dump set they came from a replay
 * and their host time means nothing. */
struct bl_fact {
    enum bl_fact_kind kind;
    uint64_t seq;
    int64_t host_ns, printk_us;
    bool dump;
    const char *str;
    const struct bl_initcall *initcall;
    uint64_t first_seq, last_seq;      /* BL_FACT_DUMP */
};

/* Where events go. A callback returning non-zero stops the parser, and
 * bl_parser_feed/finish return that value. */
struct bl_sink {
    void *ctx;
    int (*line)(void *ctx, const struct bl_line *line);
    int (*fact)(void *ctx, const struct bl_fact *fact);
};

/* Per-line framing state of a format (e.g. the last host stamp). */
struct bl_frame {
    int64_t host_ns;         /* set by the format's peel(), BL_NONE if none */
    int64_t last_host_ns;    /* the previous stamped line's host time */
    char *unquoted;          /* scratch for formats that unescape text */
    size_t unquoted_cap;
};

/* An input format. */
struct bl_format {
    const char *name;
    const char *summary;
    enum bl_stream stream;   /* the stream its lines belong to by default */
    /* How sure (0-100) the format is that these are its first lines. */
    int (*probe)(const char *head, size_t len);
    /* Peels the format's outer framing off one line: sets frame->host_ns
     * and points *text and *len at the inner text (may point into frame's
     * scratch). Never fails: an unframed line is kept as it is. */
    void (*peel)(struct bl_frame *frame, const char **text, size_t *len);
};

/* registry.c */
const struct bl_format *bl_format_find(const char *name);
const struct bl_format *const *bl_formats(void);   /* NULL-terminated */
/* Picks the format of a file from its first bytes, or NULL if none fits.
 * *why is set to a reason fit for an error message when NULL is returned. */
const struct bl_format *bl_format_detect(const char *head, size_t len, const char **why);

/* parser.c */
struct bl_parser;
struct bl_parser *bl_parser_new(const struct bl_format *fmt, const struct bl_sink *sink);
int bl_parser_feed(struct bl_parser *p, const char *buf, size_t len);
int bl_parser_finish(struct bl_parser *p);
void bl_parser_free(struct bl_parser *p);

#endif
