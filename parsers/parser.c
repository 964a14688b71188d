/*
 * parser.c: the engine every format shares.
 *
 * A line goes through two stages:
 *
 * 1. Reading (read_line): the decoration every line carries ("> " of a
 *    quoted mail) is peeled off, a quoted-printable body decoded, the text
 *    cleaned (CR, NUL, backspaces, ANSI escapes); then the layers of
 *    framing: the format's (host stamps), the prefixes other programs put
 *    in front of a record in any file (peel_known: syslog headers, "kernel:
 *    ", "(d4) ", ftrace's, a logfmt field quoting a console), and the
 *    printk prefix, or else a stamp or record further on, behind text no
 *    framing knows (peel_printk: found, and counted). The recognizers run,
 *    joining a record printed in pieces or wrapped while the whole still
 *    reads as one.
 *
 * 2. Placing (place): which boot and stream the line belongs to, whether it
 *    replays earlier records (a dump), and the facts it yields. Two
 *    decisions need a few lines more, which are held back meanwhile:
 *    - lines before a boot's first kernel record are the firmware stream
 *      if a bootloader's banner is among them, else the console;
 *    - printk time starting again at a "Linux version" record is either a
 *      dump of the same boot (its first records replay this boot's first
 *      records exactly) or a new boot (a board rebooting in a loop).
 *
 * Dumps. The kernel records of a boot form segments; a segment that starts
 * again at "Linux version" is a dump, known as above. A first segment can
 * be a dump too (a quiet boot prints nothing live, then userspace runs
 * dmesg): that is only known at its end, from the host clock. Live records
 * arrive soon after they were printed, so arrival minus printk time stays
 * near its minimum; a dump arrives in one burst long after most of its
 * records were printed. A segment whose median lag (arrival - printk, above
 * its minimum) exceeds DUMP_LAG_NS is a dump. Facts of a segment that could
 * still turn out to be a dump are held back until its end, so that they
 * are handed over once, with the right dump flag. Inside a dump, a record
 * newer than any printed live that arrives as promptly as live output did
 * ends it: the kernel is printing live again. (docs/DESIGN.md, "Dumps".)
 */
#include "parser.h"

#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "framing.h"
#include "recognize.h"
#include "stats.h"   /* src/stats.c: the one median */

/* Median lag above which a segment is a replay: live output under a slow
 * console lags by milliseconds, a dump by a good part of the boot. */
#define DUMP_LAG_NS 100000000.0

/* How many first records of a boot are kept to recognize a dump of it,
 * and how many of them with a non-zero printk time must match. */
#define FIRST_RECORDS 64
#define MATCHES_FOR_DUMP 4

/* Records after a restart within which a new boot prints "Linux version". */
#define RESTART_RECORDS 16

/* printk time going back further than this is a replay, not CPUs' records
 * printed slightly out of order. */
#define BACKWARDS_US 1000000

/* Lines held back at most while a decision waits (then it is made with
 * what is known). */
#define MAX_HELD_LINES 4096

/* A fragment longer than this is not a piece of an initcall record. */
#define MAX_FRAGMENT 512

/* A line after reading, before placing. Pointers are into parser buffers
 * (or into a held line). */
struct reading {
    uint64_t seq;
    const char *raw;
    size_t raw_len;
    bool newline;
    int64_t host_ns, host_end_ns, printk_us;
    char caller[12];
    int level;
    bool framed;              /* a framing (stamp, kmsg record) was found */
    bool coarse;              /* its host stamp says when a program wrote it, not
                               * when it arrived (whole seconds; LAVA's chunks) */
    bool prefixed;            /* its record or stamp stood behind a prefix that
                               * no framing knows */
    bool piece;               /* a quoted-printable soft break: the text goes on
                               * in the next line, which carries the record */
    int stream;               /* the stream the framing gave, or -1 */
    bool meta;                /* a capture file's metadata line */
    const char *text;         /* the message */
    size_t text_len;
    const char *rec_text;     /* what the recognizers read: text, or joined pieces */
    size_t rec_len;
    int64_t chars;            /* bytes the machine sent, CR LF included */
    int64_t rec_printk_us;    /* the record's times: a record joined from pieces */
    int64_t rec_host_ns;      /*   has its first piece's */
    struct bl_rec rec;        /* what rec_text says, once recognized */
    bool rec_done;
    int64_t moved_duration;   /* bl_rec_moved_duration's figure, -1 if none */
    int64_t trace_pid;        /* ftrace's task pid, BL_NONE if none */
    bool moved_msecs;
};

/* A line held back while a decision waits: a reading with owned copies. */
struct held_line {
    struct reading r;
    char *buf;                /* raw, text and rec_text, one allocation */
};

/* A fact held back until its segment is known to be live or a dump. */
struct held_fact {
    struct bl_fact fact;
    struct bl_call call;
    char *str, *function, *module, *device, *level;
};

/* What the lines held back are waiting for. */
enum hold {
    HOLD_NONE,
    HOLD_REGION,              /* pre-kernel lines: firmware or console? */
    HOLD_RESTART,             /* "Linux version" again: dump or new boot? */
};

struct bl_parser {
    struct bl_detected how;
    struct bl_sink sink;
    struct bl_frame frame;
    bool regions;             /* console input: bootloader lines may precede kernels */

    char *carry;              /* a line split across feeds */
    size_t carry_len, carry_cap;
    char *clean;              /* the text, cleaned */
    size_t clean_cap;
    char *qp;                 /* a quoted-printable line, decoded */
    size_t qp_cap;
    char *soft;               /* the decoded lines before a soft break's end */
    size_t soft_len, soft_cap;
    char *field;              /* a logfmt field's value, unescaped */
    size_t field_cap;
    size_t records;           /* lines with a kernel or firmware record or stamp */
    uint64_t seq;

    /* A record printed in pieces, waiting for the rest. */
    char frag[MAX_FRAGMENT * 2 + 2];
    size_t frag_len;
    char joined[MAX_FRAGMENT * 2 + 2];   /* the fragment and a piece: the record read */
    int frag_lines;           /* lines it took so far */
    int64_t frag_printk_us, frag_host_ns;

    /* The current boot. */
    unsigned boot;
    struct bl_accounts accounts;  /* the boot's firmware and systemd accounts, as read */
    bool in_kernel;           /* a kernel record of this boot has been seen */
    bool banner;              /* a bootloader banner precedes the kernel */
    bool region_console;      /* the pre-kernel lines were decided to be console */
    struct { int64_t printk_us; uint64_t hash; } first[FIRST_RECORDS];
    size_t n_first;
    char level[64];           /* "entering initcall level: X" in force */

    /* Lines held back. */
    enum hold hold;
    struct held_line *queue;
    size_t n_queue, cap_queue;
    /* HOLD_RESTART: the comparison so far */
    size_t cmp_next;          /* the first record to compare next */
    size_t cmp_matched;       /* records with a non-zero time that matched */
    size_t cmp_records;       /* printk records held */
    bool cmp_mismatch, cmp_version;
    bool cmp_backwards;       /* a held record went back in time again */
    int64_t cmp_prev_us;

    /* The current segment of kernel records. */
    bool seg_started;
    bool seg_dump;            /* known to be a replay */
    bool guest_clock;         /* a capture of qemu -icount (bl_capture_guest_clock) */
    bool unordered;           /* printk time went back with no host stamps and no new
                               * boot: records out of time order (a sorted grep) */
    uint64_t seg_first_seq, seg_last_seq;
    int64_t seg_max_printk_us;
    double *lags;             /* host - printk of each stamped line (undecided segments) */
    size_t lag_count, lag_cap;
    double lag_min_ns;
    int64_t span_host[2], span_printk_us[2];   /* min, max over those lines */
    int64_t live_max_printk_us;     /* the live segment before a dump */
    double live_min_lag_ns;
    bool live_known;
    struct bl_calls *calls;

    struct held_fact *held;
    size_t n_held, cap_held;

    int64_t console_chars;    /* bytes of live console lines so far (UART model) */
};

const char *bl_stream_name(enum bl_stream s)
{
    switch (s) {
    case BL_STREAM_CONSOLE: return "console";
    case BL_STREAM_FIRMWARE: return "firmware";
    case BL_STREAM_DMESG: return "dmesg";
    case BL_STREAM_USERSPACE: return "userspace";
    }
    return "?";
}

/* ---------------------------------------------------------------- memory */

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        abort();    /* a parser cannot report this; out of memory is fatal */
    return q;
}

/* Grows *buf to hold at least `need` bytes. */
static void reserve(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap : 256;
    while (n < need)
        n *= 2;
    *buf = xrealloc(*buf, n);
    *cap = n;
}

/* A NUL-terminated copy of a span (the caller frees it). */
static char *dup_span(struct bl_span s)
{
    char *d = xrealloc(NULL, s.len + 1);
    memcpy(d, s.p, s.len);
    d[s.len] = '\0';
    return d;
}

static char *dup_str(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

uint64_t bl_parser_lines(const struct bl_parser *p)
{
    return p->seq;
}

size_t bl_parser_records(const struct bl_parser *p)
{
    return p->records;
}

uint64_t bl_hash(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

/* Identifies a record's text among a boot's first records. */
static uint64_t hash_text(const char *s, size_t n)
{
    return bl_hash(BL_HASH_INIT, s, n);
}

/* ------------------------------------------------------------ lifecycle */

struct bl_parser *bl_parser_new(const struct bl_detected *how, const struct bl_sink *sink)
{
    struct bl_parser *p = xrealloc(NULL, sizeof(*p));
    memset(p, 0, sizeof(*p));
    p->how = *how;
    p->sink = *sink;
    p->regions = how->format->stream == BL_STREAM_CONSOLE;
    p->frame.last_host_ns = BL_NONE;
    p->frame.last_abs_ns = BL_NONE;
    p->frame.base_ns = BL_NONE;
    p->seg_max_printk_us = BL_NONE;
    p->calls = bl_calls_new();
    return p;
}

static void free_held_fact(struct held_fact *h)
{
    free(h->str);
    free(h->function);
    free(h->module);
    free(h->device);
    free(h->level);
}

void bl_parser_free(struct bl_parser *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_held; i++)
        free_held_fact(&p->held[i]);
    for (size_t i = 0; i < p->n_queue; i++)
        free(p->queue[i].buf);
    bl_calls_free(p->calls);
    free(p->held);
    free(p->lags);
    free(p->queue);
    free(p->carry);
    free(p->clean);
    free(p->qp);
    free(p->soft);
    free(p->field);
    free(p->frame.scratch);
    free(p);
}

/* ---------------------------------------------------------------- facts */

/* Whether facts of the current segment must wait for its end. */
static bool undecided(const struct bl_parser *p)
{
    return !p->seg_dump && p->lag_count > 0;
}

/* Hands a fact to the sink now, or holds it back while the segment may
 * still turn out to be a dump. */
static int emit(struct bl_parser *p, const struct bl_fact *f, bool hold)
{
    if (!hold)
        return p->sink.fact(p->sink.ctx, f);

    if (p->n_held == p->cap_held) {
        p->cap_held = p->cap_held ? 2 * p->cap_held : 64;
        p->held = xrealloc(p->held, p->cap_held * sizeof(*p->held));
    }
    struct held_fact *h = &p->held[p->n_held++];
    memset(h, 0, sizeof(*h));
    h->fact = *f;
    h->str = dup_str(f->str);
    h->fact.str = h->str;
    if (f->call) {
        h->call = *f->call;
        h->call.function = h->function = dup_str(f->call->function);
        h->call.module = h->module = dup_str(f->call->module);
        h->call.device = h->device = dup_str(f->call->device);
        h->call.level = h->level = dup_str(f->call->level);
        /* h->fact.call is pointed at h->call on release: p->held moves */
    }
    return 0;
}

/* Hands over the held facts, marked as from a dump if `dump`. */
static int release_held(struct bl_parser *p, bool dump)
{
    int rc = 0;
    for (size_t i = 0; i < p->n_held; i++) {
        struct held_fact *h = &p->held[i];
        if (h->fact.kind == BL_FACT_CALL)
            h->fact.call = &h->call;
        if (dump) {
            h->fact.dump = true;
            h->fact.host_ns = BL_NONE;
            h->call.dump = true;
            h->call.start_host_ns = h->call.end_host_ns = BL_NONE;
        }
        if (rc == 0)
            rc = p->sink.fact(p->sink.ctx, &h->fact);
        free_held_fact(h);
    }
    p->n_held = 0;
    return rc;
}

/* bl_call_done for the segment's calls. */
static int call_done(void *ctx, const struct bl_call *call)
{
    struct bl_parser *p = ctx;
    struct bl_fact f = {
        .kind = BL_FACT_CALL,
        .boot = p->boot,
        .seq = call->end_seq ? call->end_seq : call->start_seq,
        .host_ns = call->end_host_ns,
        .printk_us = call->end_printk_us,
        .dump = call->dump,
        .call = call,
    };
    return emit(p, &f, undecided(p));
}

/* ------------------------------------------------------------- segments */

/* Whether an undecided segment's records arrived as a replay: most of them
 * long after they were printed, all in a burst (the host saw less than
 * half the time the kernel printed them over; this also keeps stamps of a
 * second's resolution from looking like lag). */
static bool lags_say_dump(struct bl_parser *p)
{
    if (p->lag_count < 2)
        return false;
    double host_span = (double)(p->span_host[1] - p->span_host[0]);
    double printk_span = (double)(p->span_printk_us[1] - p->span_printk_us[0]) * 1000.0;
    /* on a guest clock (qemu -icount) lags mean nothing: only a burst
     * (the host saw a twentieth of the time) tells a replay */
    if (p->guest_clock)
        return host_span * 20 < printk_span;
    if (host_span * 2 >= printk_span)
        return false;
    double min = p->lags[0];
    for (size_t i = 1; i < p->lag_count; i++)
        min = p->lags[i] < min ? p->lags[i] : min;
    return bl_median(p->lags, p->lag_count) - min > DUMP_LAG_NS;
}

/* Ends the current segment: calls still open are handed over, and a
 * segment that was a dump after all is reported. `live`: known to be live
 * (a dump of it follows). */
static int close_segment(struct bl_parser *p, bool live)
{
    bool was_undecided = undecided(p);
    bool dump = p->seg_dump || (was_undecided && !live && lags_say_dump(p));

    int rc = bl_calls_flush(p->calls, call_done, p);
    if (rc == 0 && was_undecided && dump) {
        struct bl_fact f = {
            .kind = BL_FACT_DUMP, .boot = p->boot, .host_ns = BL_NONE, .printk_us = BL_NONE,
            .dump = true, .first_seq = p->seg_first_seq, .last_seq = p->seg_last_seq,
        };
        rc = p->sink.fact(p->sink.ctx, &f);
    }
    int rc2 = release_held(p, dump);
    if (rc == 0)
        rc = rc2;

    p->seg_started = false;
    p->seg_dump = false;
    p->seg_max_printk_us = BL_NONE;
    p->lag_count = 0;
    return rc;
}

/* Starts a new boot at the line being placed. */
static int new_boot(struct bl_parser *p)
{
    int rc = close_segment(p, false);
    p->boot++;
    memset(&p->accounts, 0, sizeof(p->accounts));
    p->in_kernel = false;
    p->banner = false;
    p->region_console = false;
    p->n_first = 0;
    p->level[0] = '\0';
    p->live_known = false;
    p->unordered = false;
    return rc;
}

/* Accounts a printk-stamped line to the current segment. */
static int track_segment(struct bl_parser *p, const struct reading *r)
{
    int rc = 0;
    int64_t host_ns = r->rec_host_ns;     /* none for a coarse stamp */
    double lag = host_ns == BL_NONE ? 0 : (double)host_ns - (double)r->printk_us * 1000.0;

    if (p->seg_dump && p->live_known && host_ns != BL_NONE &&
        r->printk_us > p->live_max_printk_us && lag - p->live_min_lag_ns < DUMP_LAG_NS) {
        /* A record newer than any printed before the dump, arriving as
         * promptly as live output did: the dump is over, this is live
         * output again (e.g. the kernel's messages while powering off). */
        rc = close_segment(p, false);
    }
    if (!p->seg_started) {
        p->seg_started = true;
        p->seg_first_seq = r->seq;
    }
    p->seg_last_seq = r->seq;
    if (p->seg_max_printk_us == BL_NONE || r->printk_us > p->seg_max_printk_us)
        p->seg_max_printk_us = r->printk_us;
    if (host_ns != BL_NONE && !p->seg_dump) {
        if (p->lag_count == 0) {
            p->lag_min_ns = lag;
            p->span_host[0] = p->span_host[1] = host_ns;
            p->span_printk_us[0] = p->span_printk_us[1] = r->printk_us;
        }
        if (lag < p->lag_min_ns)
            p->lag_min_ns = lag;
        if (host_ns < p->span_host[0]) p->span_host[0] = host_ns;
        if (host_ns > p->span_host[1]) p->span_host[1] = host_ns;
        if (r->printk_us < p->span_printk_us[0]) p->span_printk_us[0] = r->printk_us;
        if (r->printk_us > p->span_printk_us[1]) p->span_printk_us[1] = r->printk_us;
        if (p->lag_count == p->lag_cap) {
            p->lag_cap = p->lag_cap ? 2 * p->lag_cap : 1024;
            p->lags = xrealloc(p->lags, p->lag_cap * sizeof(*p->lags));
        }
        p->lags[p->lag_count++] = lag;
    }
    if (!p->seg_dump && p->n_first < FIRST_RECORDS) {
        p->first[p->n_first].printk_us = r->printk_us;
        p->first[p->n_first].hash = hash_text(r->text, r->text_len);
        p->n_first++;
    }
    return rc;
}

/* -------------------------------------------------------------- placing */

static bool is_banner(enum bl_rec_kind k)
{
    return k == BL_REC_FIRMWARE_BANNER || k == BL_REC_FIRMWARE_VERSION || k == BL_REC_FIRMWARE_PROMPT;
}

/* Whether a line is a kernel record: printk-stamped, or, from a kernel
 * that prints no stamps (CONFIG_PRINTK_TIME off, 2.6-era, copied without
 * them), a record only the kernel prints. Not "Kernel command line:",
 * which U-Boot prints too before it starts a kernel. */
static bool is_kernel(const struct reading *r, enum bl_rec_kind k)
{
    return r->printk_us != BL_NONE || k == BL_REC_KERNEL_VERSION || bl_rec_is_call(k) ||
           k == BL_REC_USERSPACE || k == BL_REC_CONSOLE || k == BL_REC_LEVEL;
}

/* Hands over, beside a line's fact f, the mark the same line carries
 * (a kernel's PREEMPT_RT, a banner's stage, a hand-off's "uefi-boot"). */
static int mark_fact(struct bl_parser *p, const struct bl_fact *f, enum bl_fact_kind kind, const char *mark,
                     bool hold)
{
    struct bl_fact m = *f;
    m.kind = kind;
    m.str = mark;
    return emit(p, &m, hold);
}

/* Hands over a fact a line states, held back while its segment may
 * still turn out to be a dump. */
static int line_fact(struct bl_parser *p, const struct reading *r, const struct bl_rec *rec,
                     bool dump, bool hold, enum bl_stream stream)
{
    /* a bootloader's words are not the kernel's: U-Boot prints "Kernel
     * command line: ..." of the image it is about to start */
    if (stream == BL_STREAM_FIRMWARE && !is_banner(rec->kind) && rec->kind != BL_REC_HANDOFF &&
        rec->kind != BL_REC_FIRMWARE_STEP)
        return 0;
    struct bl_fact f = {
        .boot = p->boot, .seq = r->seq, .host_ns = dump ? BL_NONE : r->rec_host_ns,
        .printk_us = r->rec_printk_us, .dump = dump,
    };
    char buf[64];
    const char *mark = bl_rec_mark(rec, r->text, r->text_len, r->printk_us != BL_NONE, buf, sizeof(buf));
    switch (rec->kind) {
    case BL_REC_KERNEL_VERSION:
        if (mark && mark_fact(p, &f, BL_FACT_CONSOLE, mark, hold) < 0)
            return -1;
        f.kind = BL_FACT_KERNEL_VERSION;
        break;
    case BL_REC_CMDLINE: f.kind = BL_FACT_CMDLINE; break;
    case BL_REC_FIRMWARE_BANNER:
        /* a stage of the firmware: its line's mark */
        if (mark && mark_fact(p, &f, BL_FACT_FIRMWARE_STEP, mark, hold) < 0)
            return -1;
        /* fall through */
    case BL_REC_FIRMWARE_VERSION: f.kind = BL_FACT_FIRMWARE_VERSION; break;
    case BL_REC_HANDOFF:
        /* what was started: its line's mark ("uefi-boot") */
        if (mark && mark_fact(p, &f, BL_FACT_FIRMWARE_STEP, mark, hold) < 0)
            return -1;
        /* the jump follows the line: its end, when the capture timed it */
        if (!dump && r->host_end_ns != BL_NONE && r->host_ns != BL_NONE && !r->coarse)
            f.host_ns = r->host_end_ns;
        f.kind = BL_FACT_HANDOFF;
        break;
    case BL_REC_FIRMWARE_STEP:
    case BL_REC_CONSOLE:
    case BL_REC_SMP:
        if (!mark)
            return 0;
        f.kind = rec->kind == BL_REC_CONSOLE ? BL_FACT_CONSOLE
                 : rec->kind == BL_REC_SMP   ? BL_FACT_KERNEL_STEP
                                             : BL_FACT_FIRMWARE_STEP;
        f.str = mark;
        return emit(p, &f, hold);
    case BL_REC_USERSPACE: f.kind = BL_FACT_USERSPACE; break;
    case BL_REC_POWEROFF: f.kind = BL_FACT_POWEROFF; break;
    case BL_REC_MEMORY:
        f.kind = BL_FACT_MEMORY;
        memcpy(f.mem, rec->mem, sizeof(f.mem));
        return emit(p, &f, hold);
    default: return 0;
    }
    char *str = dup_span(rec->str);
    f.str = str;
    int rc = emit(p, &f, hold);
    free(str);
    return rc;
}

/* Hands over the rows of the firmware's or systemd's own account that a
 * line holds (accounts.h); returns how many there were, or -1. */
static int account_facts(struct bl_parser *p, const struct reading *r)
{
    struct bl_account_row rows[BL_ACCOUNT_ROWS];
    struct bl_unit_row unit;
    int n = bl_accounts_read(&p->accounts, r->text, r->text_len, rows, &unit);
    struct bl_fact f = { .boot = p->boot, .seq = r->seq, .host_ns = BL_NONE, .printk_us = BL_NONE };
    if (n < 0) {
        f.kind = BL_FACT_UNIT;
        f.unit = &unit;
        return p->sink.fact(p->sink.ctx, &f) ? -1 : 1;
    }
    f.kind = BL_FACT_ACCOUNT;
    for (int i = 0; i < n; i++) {
        f.account = &rows[i];
        if (p->sink.fact(p->sink.ctx, &f))
            return -1;
    }
    return n;
}

/* Places a line whose framing said it is firmware output (a capture
 * file's debugcon lines) or the file's metadata: no region, no dump. */
static int place_framed(struct bl_parser *p, const struct reading *r)
{
    struct bl_line l = {
        .seq = r->seq, .boot = p->boot, .meta = r->meta,
        .stream = r->stream >= 0 ? (enum bl_stream)r->stream : p->how.format->stream,
        .raw = r->raw, .raw_len = r->raw_len, .newline = r->newline,
        .host_ns = r->host_ns, .host_end_ns = r->host_end_ns, .printk_us = r->printk_us,
        .level = r->level, .recognized = true, .text = r->text, .text_len = r->text_len,
        .chars = r->chars, .chars_before = BL_NONE,
    };
    l.host_coarse = r->coarse && r->host_ns != BL_NONE;
    p->records += !r->meta;
    int rc = r->meta ? 0 : account_facts(p, r) < 0 ? -1 : 0;
    if (rc == 0)
        rc = p->sink.line(p->sink.ctx, &l);
    if (rc || r->meta) {
        struct bl_fact f = { .boot = p->boot, .seq = r->seq, .host_ns = BL_NONE, .printk_us = BL_NONE };
        if (rc == 0 && bl_capture_meta(r->text, r->text_len, &f) == 0) {
            char *str = f.kind == BL_FACT_COMMAND ? dup_span((struct bl_span){ r->text + 9, r->text_len - 9 })
                                                  : NULL;
            if (str) {
                f.str = str;
                p->guest_clock = bl_capture_guest_clock(str, strlen(str));
            }
            rc = p->sink.fact(p->sink.ctx, &f);
            free(str);
        }
        return rc;
    }
    return line_fact(p, r, &r->rec, false, false, BL_STREAM_FIRMWARE);
}

/* Places one line: boot, stream, dump; hands it and its facts over. */
static int place(struct bl_parser *p, const struct reading *r)
{
    const struct bl_rec rec = r->rec;
    int rc = 0;
    bool kernel = is_kernel(r, rec.kind);

    if (r->stream == BL_STREAM_FIRMWARE || r->meta)
        return place_framed(p, r);
    if (p->regions) {
        if (p->in_kernel && !kernel && is_banner(rec.kind)) {
            /* a bootloader after a kernel: the machine rebooted */
            if ((rc = new_boot(p)) != 0)
                return rc;
        } else if (p->in_kernel && rec.kind == BL_REC_KERNEL_VERSION && r->printk_us == BL_NONE) {
            /* a second kernel without printk stamps cannot be a dump */
            if ((rc = new_boot(p)) != 0)
                return rc;
        }
        /* a firmware's banner, one of its steps or its hand-off to what it
         * loads (a silent OVMF's first words are its boot options', or the
         * EFI stub's) starts its region */
        if (!p->in_kernel && (is_banner(rec.kind) || rec.kind == BL_REC_HANDOFF ||
                              rec.kind == BL_REC_FIRMWARE_STEP))
            p->banner = true;
        if (kernel)
            p->in_kernel = true;
    }

    if (rec.kind == BL_REC_LEVEL) {
        size_t n = rec.str.len < sizeof(p->level) ? rec.str.len : sizeof(p->level) - 1;
        memcpy(p->level, rec.str.p, n);
        p->level[n] = '\0';
    }
    if (r->printk_us != BL_NONE && (rc = track_segment(p, r)) != 0)
        return rc;

    struct bl_line l = {
        .seq = r->seq, .boot = p->boot,
        .stream = p->regions && !p->in_kernel && p->banner ? BL_STREAM_FIRMWARE
                                                            : p->how.format->stream,
        .raw = r->raw, .raw_len = r->raw_len, .newline = r->newline,
        .host_ns = r->host_ns, .host_end_ns = r->host_end_ns, .printk_us = r->printk_us,
        .level = r->level, .dump = r->printk_us != BL_NONE && p->seg_dump,
        .text = r->text, .text_len = r->text_len,
    };
    memcpy(l.caller, r->caller, sizeof(l.caller));
    l.recognized = r->framed || rec.kind != BL_REC_NONE || r->text_len == 0 ||
                   l.stream == BL_STREAM_FIRMWARE || r->piece;
    l.prefixed = r->prefixed;
    l.host_coarse = r->coarse && r->host_ns != BL_NONE;
    p->records += kernel || (rec.kind != BL_REC_NONE && rec.kind != BL_REC_MEMORY);
    int accounted = account_facts(p, r);
    if (accounted < 0)
        return -1;
    if (accounted > 0) {
        l.recognized = true;
        p->records++;
    }
    l.recognized |= bl_accounts_in_table(&p->accounts);
    /* A console printed synchronously delays every record after a line by
     * the time the line took to send (DESIGN.md, section 3). */
    l.chars = r->chars;
    l.chars_before = BL_NONE;
    if (l.stream == BL_STREAM_CONSOLE && !l.dump) {
        l.chars_before = p->console_chars;
        p->console_chars += r->chars;
    }
    if ((rc = p->sink.line(p->sink.ctx, &l)) != 0)
        return rc;

    bool hold = kernel && undecided(p);
    if (bl_rec_is_call(rec.kind)) {
        struct bl_call_at at = {
            .seq = r->seq, .printk_us = r->rec_printk_us,
            .host_ns = l.dump ? BL_NONE : r->rec_host_ns, .dump = l.dump,
            .level = p->level[0] ? p->level : NULL,
            .chars_before = l.chars_before, .chars = l.chars,
        };
        return bl_calls_record(p->calls, &rec, &at, call_done, p);
    }

    return line_fact(p, r, &rec, l.dump, hold, l.stream);
}

/* ------------------------------------------------------------- holding */

static void hold_line(struct bl_parser *p, const struct reading *r)
{
    if (p->n_queue == p->cap_queue) {
        p->cap_queue = p->cap_queue ? 2 * p->cap_queue : 64;
        p->queue = xrealloc(p->queue, p->cap_queue * sizeof(*p->queue));
    }
    struct held_line *h = &p->queue[p->n_queue++];
    h->r = *r;
    h->buf = xrealloc(NULL, r->raw_len + r->text_len + r->rec_len + 1);
    memcpy(h->buf, r->raw, r->raw_len);
    memcpy(h->buf + r->raw_len, r->text, r->text_len);
    memcpy(h->buf + r->raw_len + r->text_len, r->rec_text, r->rec_len);
    h->r.raw = h->buf;
    h->r.text = h->buf + r->raw_len;
    h->r.rec_text = h->buf + r->raw_len + r->text_len;
    h->r.rec_done = false;    /* its spans pointed into the old buffers */
}

static int dispatch(struct bl_parser *p, struct reading *r);

/* What a reading's record says (again, for a held line whose spans moved). */
static void recognize(struct reading *r)
{
    if (r->piece) {         /* read with the line that ends it */
        memset(&r->rec, 0, sizeof(r->rec));
        r->rec_done = true;
        return;
    }
    bl_recognize(r->rec_text, r->rec_len, &r->rec);
    if (r->trace_pid != BL_NONE && r->rec.pid < 0)
        r->rec.pid = r->trace_pid;
    if (r->moved_duration >= 0 && r->rec.duration < 0) {
        r->rec.duration = r->moved_duration;
        r->rec.msecs = r->moved_msecs;
    }
    r->rec_done = true;
}

/* Places the held lines now that the decision is made. Placing may start a
 * new hold: the lines after it are then held again. */
static int drain(struct bl_parser *p)
{
    struct held_line *q = p->queue;
    size_t n = p->n_queue;
    int rc = 0;

    p->queue = NULL;
    p->n_queue = p->cap_queue = 0;
    p->hold = HOLD_NONE;
    for (size_t i = 0; i < n; i++) {
        if (rc == 0)
            rc = dispatch(p, &q[i].r);
        free(q[i].buf);
    }
    free(q);
    return rc;
}

/* What printk time going back was. */
enum restart { RESTART_DUMP, RESTART_NEW_BOOT, RESTART_UNORDERED };

/* The outcome when the held records are not this boot's first ones and no
 * "Linux version" came: a dump of a ring buffer that lost its oldest
 * records, which replays them in time order; but records that go back in
 * time again and again, with no host stamps to tell a replay by, are not
 * in time order at all (the output of `grep | sort`): this boot's records. */
static enum restart mismatch_outcome(const struct bl_parser *p)
{
    return p->cmp_backwards && p->lag_count == 0 && !p->seg_dump ? RESTART_UNORDERED : RESTART_DUMP;
}

/* Decides a restart: the held records replay this boot's first ones (a
 * dump), or do not (a new boot), or the log is not in time order. */
static int decide_restart(struct bl_parser *p, enum restart how)
{
    int rc;
    if (how == RESTART_UNORDERED) {
        p->unordered = true;
        return drain(p);
    }
    if (how == RESTART_DUMP) {
        p->live_known = !p->seg_dump && p->lag_count > 0;
        p->live_max_printk_us = p->seg_max_printk_us;
        p->live_min_lag_ns = p->lag_min_ns;
        rc = close_segment(p, true);
        p->seg_dump = true;
    } else {
        rc = new_boot(p);
    }
    return rc ? rc : drain(p);
}

/* Compares a held record with the boot's first records; decides when it
 * can. A dump replays them exactly. A new boot differs, and prints "Linux
 * version" among its first records; records that differ with no "Linux
 * version" are a dump of a ring buffer that lost its oldest records. */
static int compare_restart(struct bl_parser *p, const struct reading *r)
{
    if (r->printk_us == BL_NONE)
        return 0;
    p->cmp_records++;
    p->cmp_version |= r->rec.kind == BL_REC_KERNEL_VERSION;
    p->cmp_backwards |= p->cmp_records > 1 && r->printk_us < p->cmp_prev_us - BACKWARDS_US;
    p->cmp_prev_us = r->printk_us;
    if (!p->cmp_mismatch) {
        if (p->cmp_next < p->n_first && p->first[p->cmp_next].printk_us == r->printk_us &&
            p->first[p->cmp_next].hash == hash_text(r->text, r->text_len)) {
            p->cmp_next++;
            if (r->printk_us > 0)
                p->cmp_matched++;
            if (p->cmp_matched >= MATCHES_FOR_DUMP || p->cmp_next >= p->n_first)
                return decide_restart(p, RESTART_DUMP);
            return 0;
        }
        p->cmp_mismatch = true;
    }
    if (p->cmp_version)
        return decide_restart(p, RESTART_NEW_BOOT);
    if (p->cmp_records >= RESTART_RECORDS)
        return decide_restart(p, mismatch_outcome(p));
    return 0;
}

/* Routes a read line: holds it while a decision waits, starts a hold when
 * it raises one, else places it. */
static int dispatch(struct bl_parser *p, struct reading *r)
{
    if (!r->rec_done)
        recognize(r);
    const struct bl_rec rec = r->rec;

    switch (p->hold) {
    case HOLD_REGION:
        if (is_kernel(r, rec.kind)) {
            p->region_console = true;      /* no banner before the kernel */
            int rc = drain(p);
            return rc ? rc : dispatch(p, r);
        }
        hold_line(p, r);
        if (is_banner(rec.kind) || p->n_queue >= MAX_HELD_LINES) {
            p->banner = is_banner(rec.kind);
            p->region_console = !p->banner;
            return drain(p);
        }
        return 0;
    case HOLD_RESTART:
        hold_line(p, r);
        if (p->n_queue >= MAX_HELD_LINES)
            return decide_restart(p, p->cmp_mismatch ? mismatch_outcome(p) : RESTART_DUMP);
        return compare_restart(p, r);
    case HOLD_NONE:
        break;
    }

    if (p->regions && !p->in_kernel && !p->banner && !p->region_console && r->stream < 0 &&
        !r->meta && !is_kernel(r, rec.kind) && !is_banner(rec.kind)) {
        p->hold = HOLD_REGION;
        hold_line(p, r);
        return 0;
    }
    /* printk time starting again: "Linux version" below the segment's
     * latest time, or any record far back in time */
    if (p->seg_started && r->printk_us != BL_NONE &&
        ((rec.kind == BL_REC_KERNEL_VERSION && r->printk_us < p->seg_max_printk_us) ||
         (!p->unordered && r->printk_us < p->seg_max_printk_us - BACKWARDS_US))) {
        p->hold = HOLD_RESTART;
        p->cmp_next = p->cmp_matched = p->cmp_records = 0;
        p->cmp_mismatch = p->cmp_version = p->cmp_backwards = false;
        hold_line(p, r);
        return compare_restart(p, r);
    }
    return place(p, r);
}

/* ------------------------------------------------------------- reading */

/* The length of an SGR remnant "[0m", "[1;32m" at q (an escape sequence
 * whose ESC a capture dropped), or 0. */
static size_t remnant_len(const char *q, const char *end)
{
    const char *r = q + 1;
    if (r >= end || *r < '0' || *r > '9')
        return 0;
    while (r < end && ((*r >= '0' && *r <= '9') || *r == ';'))
        r++;
    return r < end && *r == 'm' ? (size_t)(r - q) + 1 : 0;
}

/* Whether a text has anything clean_text removes (memchr is fast; most
 * lines have nothing). */
static bool needs_cleaning(const char *t, size_t n)
{
    if (memchr(t, '\r', n) || memchr(t, '\0', n) || memchr(t, '\b', n) || memchr(t, 0x1b, n))
        return true;
    for (const char *q = t; (q = memchr(q, '[', (size_t)(t + n - q))) != NULL; q++)
        if (remnant_len(q, t + n))
            return true;
    return false;
}

/* Cleans a line's text into p->clean when it needs it: CR and NUL bytes
 * removed, backspaces applied, ANSI escape sequences (and the remnants
 * "[0m" that remain when a capture drops the ESC) removed. */
static void clean_text(struct bl_parser *p, const char **text, size_t *len)
{
    const char *t = *text, *end = *text + *len;
    size_t n = *len, o = 0;

    if (!needs_cleaning(t, n))
        return;
    reserve(&p->clean, &p->clean_cap, n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        size_t skip;
        if (c == '\r' || c == '\0')
            continue;
        if (c == '\b') {
            if (o > 0)
                o--;
            continue;
        }
        if (c == 0x1b) {
            /* CSI "ESC [ params final", charset "ESC ( B", or a two-byte escape */
            size_t j = i + 1;
            if (j < n && t[j] == '[') {
                j++;
                while (j < n && ((t[j] >= '0' && t[j] <= '9') || t[j] == ';' || t[j] == '?'))
                    j++;
            } else if (j < n && (t[j] == '(' || t[j] == ')')) {
                j++;
            }
            i = j < n ? j : n - 1;
            continue;
        }
        if (c == '[' && (skip = remnant_len(t + i, end)) != 0) {
            i += skip - 1;
            continue;
        }
        p->clean[o++] = (char)c;
    }
    *text = p->clean;
    *len = o;
}

/* Finds a printk record glued after other text ("... o[    0.000000] Linux
 * version"): returns the offset of its '[' or 0. */
static size_t glued_printk(const char *t, size_t n, struct bl_printk *pk)
{
    for (size_t i = 1; i + 10 < n; i++) {
        if (t[i] != '[')
            continue;
        size_t taken = bl_peel_printk(t + i, n - i, pk);
        if (taken > 0 && pk->printk_us != BL_NONE && i + taken < n) {
            /* its level in front, "<6>[    0.000000] ...", is printk's too */
            size_t j = i - 1;
            if (t[j] == '>') {
                while (j > 0 && t[j - 1] >= '0' && t[j - 1] <= '9' && i - j < 4)
                    j--;
                if (j > 0 && j < i - 1 && t[j - 1] == '<')
                    return j - 1;
            }
            return i;
        }
    }
    return 0;
}

/* Appends n bytes to a growable buffer. */
static void append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    reserve(buf, cap, *len + n + 1);
    memcpy(*buf + *len, s, n);
    *len += n;
}

/* Whether joining a piece to the fragment makes a record (fills r) or
 * the beginning of one (keeps it as the fragment). Returns 1 for a
 * record, 0 for a longer fragment, -1 if the piece does not continue it. */
static int try_join(struct bl_parser *p, struct reading *r, const char *t, size_t n, bool space)
{
    char *joined = p->joined;
    size_t at = p->frag_len;
    struct bl_rec rec;

    if (at + n + 1 > MAX_FRAGMENT)
        return -1;
    memcpy(joined, p->frag, at);
    if (space)
        joined[at++] = ' ';
    memcpy(joined + at, t, n);
    at += n;
    if (bl_recognize(joined, at, &rec) != BL_REC_NONE) {
        r->rec_text = joined;
        r->rec_len = at;
        r->rec = rec;
        r->rec_done = true;
        r->rec_printk_us = p->frag_printk_us;
        r->rec_host_ns = p->frag_host_ns;
        p->frag_len = 0;
        return 1;
    }
    if (bl_rec_partial(joined, at)) {
        memcpy(p->frag, joined, at);
        p->frag_len = at;
        p->frag_lines++;
        return 0;
    }
    return -1;
}

/* Keeps the beginning of a record for the lines that complete it. */
static void start_fragment(struct bl_parser *p, const struct reading *r, const char *t, size_t n)
{
    memcpy(p->frag, t, n);
    p->frag_len = n;
    p->frag_lines = 1;
    p->frag_printk_us = r->printk_us;
    p->frag_host_ns = r->host_ns;
}

/* Joins a record printed in pieces: 2.6.2x printed "initcall 0x..", ": fn()"
 * and " returned 0." with separate printk calls, each stamped; another
 * message can cut in ("... ran for 0 msecs: <4>Clocksource tsc unstable",
 * the symbol on the next line); a mail client wraps a long line at a space,
 * a terminal at its width, over as many lines as it takes. A line that is
 * the beginning of a record (bl_rec_partial) waits for the rest; a piece
 * is taken only while the whole still reads as (the beginning of) a
 * record. The completing line carries the record, with the first piece's
 * times. */
static void join_fragment(struct bl_parser *p, struct reading *r)
{
    const char *t = r->rec_text;
    size_t n = r->rec_len;

    if (p->frag_len > 0) {
        bool stamped = r->printk_us != BL_NONE;
        int rc = -1;
        if (stamped && p->frag_lines < 3) {
            rc = try_join(p, r, t, n, false);
        } else if (!stamped && !r->framed && n > 0 && p->frag_lines < 8) {
            size_t skip = 0;    /* the rest's indent, or its mail quote "> " */
            while (skip < n && (t[skip] == ' ' || t[skip] == '\t' || t[skip] == '>'))
                skip++;
            bool at_space = p->frag[p->frag_len - 1] == ' ';
            /* a mail client broke the line at a space, a terminal anywhere */
            rc = try_join(p, r, t + skip, n - skip, !at_space);
            if (rc < 0 && !at_space && skip == 0)
                rc = try_join(p, r, t, n, false);
        }
        if (rc >= 0)
            return;
        p->frag_len = 0;
    }
    if (r->rec.kind != BL_REC_NONE)
        return;
    if (bl_rec_partial(t, n)) {
        start_fragment(p, r, t, n);
        return;
    }
    /* a piece cut by another message: "<N>" starts that message */
    for (size_t i = 1; i + 3 < n; i++)
        if (t[i] == '<' && t[i - 1] == ' ' && t[i + 1] >= '0' && t[i + 1] <= '7' && t[i + 2] == '>' &&
            bl_rec_partial(t, i)) {
            start_fragment(p, r, t, i);
            return;
        }
}

/* Decodes a quoted-printable line into p->qp: "=3D" is '=', a final '='
 * a soft line break (*soft). Returns its length. */
static size_t decode_qp(struct bl_parser *p, const char *t, size_t n, bool *soft)
{
    size_t o = 0;
    reserve(&p->qp, &p->qp_cap, n + 1);
    *soft = n > 0 && t[n - 1] == '=';
    n -= *soft;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (t[i] == '=' && i + 2 < n && (hi = bl_hex_digit(t[i + 1])) >= 0 && (lo = bl_hex_digit(t[i + 2])) >= 0) {
            p->qp[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            p->qp[o++] = t[i];
        }
    }
    return o;
}

/* Unescapes a logfmt value (after its opening quote) into p->field: \" \\
 * \n \t \r. Returns its length; *end is the offset after the closing quote. */
static size_t logfmt_value(struct bl_parser *p, const char *t, size_t n, size_t *end)
{
    size_t i;
    reserve(&p->field, &p->field_cap, n + 1);
    size_t o = bl_unescape(t, n, BL_UNESCAPE_TO_QUOTE, p->field, &i);
    /* a guest's line ends with its own newline, escaped: "...usecs\n" */
    while (o > 0 && (p->field[o - 1] == '\n' || p->field[o - 1] == '\r'))
        o--;
    *end = i < n ? i + 1 : n;
    return o;
}

/* Another program's log line that quotes the guest console in a logfmt
 * field (kata's `vmconsole="[    1.662110] initcall ..."`, with its own
 * `time="2020-10-14T18:17:15.478843601+08:00"`): points *text at the first
 * field whose value starts with a printk stamp or a record; sets *wall_ns
 * from a time= field. Returns whether one was found. */
static bool logfmt_console(struct bl_parser *p, const char **text, size_t *len, int64_t *wall_ns)
{
    const char *t = *text;
    size_t n = *len;
    for (size_t i = 1; i + 2 < n; i++) {
        if (t[i] != '=' || t[i + 1] != '"')
            continue;
        size_t key = i;
        while (key > 0 && t[key - 1] != ' ')
            key--;
        size_t end, v = logfmt_value(p, t + i + 2, n - i - 2, &end);
        int64_t ns;
        if (i - key == 4 && memcmp(t + key, "time", 4) == 0 && bl_peel_wallclock(p->field, v, &ns) > 0)
            *wall_ns = ns;
        struct bl_printk pk;
        struct bl_rec rec;
        if (v > 0 && ((bl_peel_printk(p->field, v, &pk) > 0 && pk.printk_us != BL_NONE) ||
                      bl_recognize(p->field, v, &rec) != BL_REC_NONE)) {
            *text = p->field;
            *len = v;
            return true;
        }
        i += 1 + end;
    }
    return false;
}

/* Whether the text before a record says something no framing knows: not
 * only an indent or a mail quote ("> > "). */
static bool unknown_prefix(const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (t[i] != ' ' && t[i] != '\t' && t[i] != '>')
            return true;
    return false;
}

/* Reads the printk prefix at the start of the message, or, when there is
 * none there, a stamp or a record further on, behind text no framing knows
 * ("Probing EDD ... o[    0.000000] Linux version", "console:/ $ [
 * 9.368813] init: ...", "24 msecs [ 2.237177] initcall ..."): sets r's
 * printk fields, whether the prefix was unknown, and steps *t past it.
 * What the message says is found on the way, once: r->rec. */
static void peel_printk(struct reading *r, const char **t, size_t *n)
{
    struct bl_printk pk;
    struct bl_rec rec;
    const char *line = *t;
    size_t at, glued = 0, taken = bl_peel_printk(*t, *n, &pk);
    bool stamped = taken > 0 && pk.printk_us != BL_NONE;
    enum bl_rec_kind kind = BL_REC_NONE;

    if (!stamped) {
        size_t g = glued_printk(*t, *n, &pk);
        kind = bl_recognize_anywhere(*t, *n, &rec, &at);
        if (g > 0 && !(kind != BL_REC_NONE && at == 0) && (kind == BL_REC_NONE || g < at)) {
            glued = g;
            taken = g + bl_peel_printk(*t + g, *n - g, &pk);
            r->prefixed = unknown_prefix(*t, g);
            stamped = true;
        } else {
            bl_peel_printk("", 0, &pk);     /* no stamp */
            taken = kind != BL_REC_NONE ? at : 0;
            r->prefixed = unknown_prefix(*t, taken);
        }
    }
    *t += taken;
    *n -= taken;
    if (stamped) {
        /* the record after the stamp, or behind more text after it ("[
         * 1.2] host kernel: ..." of a journal pasted into a console log, a
         * vendor's tag); but not behind a second unknown prefix, nor a
         * version or firmware banner that a kernel message quotes ("...:
         * Linux version 6.1 compatible": it must not restart the boot) */
        kind = bl_recognize_anywhere(*t, *n, &rec, &at);
        if (kind != BL_REC_NONE && at > 0) {
            if (r->prefixed || rec.kind == BL_REC_KERNEL_VERSION || is_banner(rec.kind)) {
                kind = BL_REC_NONE;
                memset(&rec, 0, sizeof(rec));
            } else {
                r->prefixed = unknown_prefix(*t, at);
                *t += at;
                *n -= at;
            }
        } else if (kind != BL_REC_NONE && glued && bl_rec_moved_duration(line, glued, &rec)) {
            r->moved_duration = rec.duration;
            r->moved_msecs = rec.msecs;
        }
    }
    r->printk_us = pk.printk_us;
    r->level = pk.level;
    memcpy(r->caller, pk.caller, sizeof(r->caller));
    r->rec = rec;
    if (kind == BL_REC_NONE)
        memset(&r->rec, 0, sizeof(r->rec));
    r->rec_done = true;
}

/* Peels the prefixes other programs put in front of a record, in any
 * format (bl_peel_known: syslog headers, "kernel: ", "(d4) ", ftrace's),
 * and a logfmt field that quotes a guest console. Returns ftrace's time,
 * or BL_NONE. */
static int64_t peel_known(struct bl_parser *p, struct reading *r, const char **t, size_t *n)
{
    struct bl_known k;
    size_t taken = bl_peel_known(*t, *n, r->host_ns != BL_NONE && !p->how.format->arrivals, &k);
    int64_t wall_ns = k.wall_ns;
    const char *q = *t + taken;
    size_t m = *n - taken;
    if ((k.other_program || memchr(q, '"', m)) && logfmt_console(p, &q, &m, &wall_ns)) {
        *t = q;
        *n = m;
    } else {
        *t += taken;
        *n -= taken;
    }
    if (r->host_ns == BL_NONE && wall_ns != BL_NONE) {
        if (p->frame.base_ns == BL_NONE)
            p->frame.base_ns = wall_ns;
        r->host_ns = wall_ns - p->frame.base_ns;
        r->framed = true;
    }
    r->trace_pid = k.pid;
    r->coarse |= k.coarse;
    return k.trace_us;
}

/* A quoted-printable line, decoded into *t, *n. Returns 1 when it ends in a
 * soft break: it was handed over as a piece (its record is read with the
 * line that ends it, which gets the whole text), its dispatch's result in
 * *rc. */
static int read_quoted_printable(struct bl_parser *p, struct reading *r, const char **t, size_t *n, int *rc)
{
    bool soft;
    size_t m = decode_qp(p, *t, *n, &soft);
    if (soft || p->soft_len > 0) {
        append(&p->soft, &p->soft_len, &p->soft_cap, p->qp, m);
        if (soft) {
            r->text = r->rec_text = p->qp;
            r->text_len = r->rec_len = m;
            r->piece = r->rec_done = true;
            r->chars = (int64_t)m;
            r->rec_printk_us = BL_NONE;
            r->rec_host_ns = BL_NONE;
            *rc = dispatch(p, r);
            return 1;
        }
        reserve(&p->qp, &p->qp_cap, p->soft_len + 1);
        memcpy(p->qp, p->soft, p->soft_len);
        m = p->soft_len;
        p->soft_len = 0;
    }
    *t = p->qp;
    *n = m;
    return 0;
}

static int read_line(struct bl_parser *p, const char *raw, size_t raw_len, bool newline)
{
    struct reading r = {
        .seq = ++p->seq, .raw = raw, .raw_len = raw_len, .newline = newline,
        .host_ns = BL_NONE, .host_end_ns = BL_NONE, .printk_us = BL_NONE, .level = -1,
        .moved_duration = -1, .trace_pid = BL_NONE,
    };
    const char *t = raw;
    size_t n = raw_len, dl = strlen(p->how.decoration);
    int rc;

    if (dl && n >= dl && memcmp(t, p->how.decoration, dl) == 0) {
        t += dl;
        n -= dl;
    }
    if (p->how.quoted_printable && read_quoted_printable(p, &r, &t, &n, &rc))
        return rc;
    clean_text(p, &t, &n);
    p->frame.host_ns = p->frame.host_end_ns = p->frame.printk_us = BL_NONE;
    p->frame.level = -1;
    p->frame.continuation = p->frame.meta = p->frame.coarse = false;
    p->frame.stream = -1;
    p->how.format->peel(&p->frame, &t, &n);
    if (p->frame.scratch && t >= p->frame.scratch && t < p->frame.scratch + p->frame.scratch_cap)
        clean_text(p, &t, &n);      /* unquoted: its escapes were bytes only now */
    r.host_ns = p->frame.host_ns;
    r.host_end_ns = p->frame.host_end_ns;
    r.coarse = p->frame.coarse;
    r.stream = p->frame.stream;
    r.meta = p->frame.meta;
    r.framed = r.host_ns != BL_NONE || p->frame.continuation || r.meta;

    int64_t trace_us = r.meta ? BL_NONE : peel_known(p, &r, &t, &n);
    /* what the machine sent, its printk stamp included: on the wire the
     * console adds CR LF (8250: uart_console_write) */
    r.chars = (int64_t)n + 2;
    if (r.host_ns != BL_NONE)
        p->frame.last_host_ns = r.host_ns;

    if (p->frame.printk_us != BL_NONE) {
        r.printk_us = p->frame.printk_us;
        r.level = p->frame.level;
    } else if (trace_us != BL_NONE) {
        r.printk_us = trace_us;
    } else if (!r.meta) {
        peel_printk(&r, &t, &n);
    }
    r.framed |= r.printk_us != BL_NONE;
    r.text = r.rec_text = t;
    r.text_len = r.rec_len = n;
    r.rec_printk_us = r.printk_us;
    /* a coarse stamp is the line's, not its record's time of arrival */
    r.rec_host_ns = r.coarse ? BL_NONE : r.host_ns;
    if (!r.rec_done)            /* peel_printk found it on its way */
        recognize(&r);
    join_fragment(p, &r);
    return dispatch(p, &r);
}

/* --------------------------------------------------------------- input */

int bl_parser_feed(struct bl_parser *p, const char *buf, size_t len)
{
    int rc;
    while (len > 0) {
        const char *nl = memchr(buf, '\n', len);
        if (!nl) {
            reserve(&p->carry, &p->carry_cap, p->carry_len + len);
            memcpy(p->carry + p->carry_len, buf, len);
            p->carry_len += len;
            return 0;
        }
        size_t n = (size_t)(nl - buf);
        if (p->carry_len > 0) {
            reserve(&p->carry, &p->carry_cap, p->carry_len + n);
            memcpy(p->carry + p->carry_len, buf, n);
            rc = read_line(p, p->carry, p->carry_len + n, true);
            p->carry_len = 0;
        } else {
            rc = read_line(p, buf, n, true);
        }
        if (rc)
            return rc;
        buf += n + 1;
        len -= n + 1;
    }
    return 0;
}

int bl_parser_finish(struct bl_parser *p)
{
    int rc = 0;
    if (p->carry_len > 0) {
        rc = read_line(p, p->carry, p->carry_len, false);
        p->carry_len = 0;
    }
    /* decisions still waiting are made with what is known (placing the
     * lines held may start another wait) */
    while (rc == 0 && p->hold != HOLD_NONE) {
        if (p->hold == HOLD_RESTART) {
            rc = decide_restart(p, p->cmp_mismatch && p->cmp_version ? RESTART_NEW_BOOT
                                   : p->cmp_mismatch                ? mismatch_outcome(p)
                                                                    : RESTART_DUMP);
        } else {
            p->region_console = true;
            rc = drain(p);
        }
    }
    if (rc == 0)
        rc = close_segment(p, false);
    return rc;
}
