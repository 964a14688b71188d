/*
 * parser.c: the engine every format shares. Splits bytes into lines, peels
 * framing in layers (the format's own, then printk's), runs the recognizers,
 * pairs initcall records, and tells live kernel output from replays of the
 * ring buffer (a `dmesg` dump printed after userspace started).
 *
 * Segments. The kernel records of a stream form segments: a segment ends
 * where printk time starts again with a "Linux version" record. A segment
 * that starts that way replays records already seen: it is a dump, known at
 * once. A first segment can be a dump too (a quiet boot prints nothing live,
 * then userspace runs dmesg): that is only known at its end, from the host
 * clock. Live records arrive soon after they were printed, so arrival minus
 * printk time stays near its minimum; a dump arrives in one burst long after
 * most of its records were printed. A segment whose mean lag (arrival -
 * printk, above its minimum) exceeds DUMP_LAG_NS is a dump. Facts of a
 * segment that could still turn out to be a dump are held back until its
 * end, so that they are handed over once, with the right dump flag.
 * Inside a dump, a record newer than any printed live that arrives as
 * promptly as live output did ends it: the kernel is printing live again.
 * (docs/DESIGN.md, "Dumps", has the whole story.)
 */
#include "parser.h"

#include <stdlib.h>
#include <string.h>

#include "framing.h"
#include "recognize.h"

/* Mean lag above which a segment is a replay: live output under a slow
 * console lags by milliseconds, a dump by a good part of the boot. */
#define DUMP_LAG_NS 100000000.0

/* An initcall whose "calling" line was seen, waiting for its return. */
struct open_call {
    struct bl_initcall ic;
    char *function, *module;
};

/* A fact held back until its segment is known to be live or a dump. */
struct held_fact {
    struct bl_fact fact;
    struct bl_initcall ic;
    char *str, *function, *module;
};

struct bl_parser {
    const struct bl_format *fmt;
    struct bl_sink sink;
    struct bl_frame frame;

    char *carry;              /* a line split across feeds */
    size_t carry_len, carry_cap;
    char *clean;              /* the text with CR and NUL removed */
    size_t clean_cap;
    uint64_t seq;

    /* The current segment of kernel records. */
    bool seg_started;         /* a printk-stamped line has been seen */
    bool seg_dump;            /* known to be a replay */
    uint64_t seg_first_seq, seg_last_seq;
    int64_t seg_max_printk_us;
    double lag_sum_ns;        /* sum of (host - printk) over stamped lines */
    double lag_min_ns;
    uint64_t lag_count;
    /* The live segment before a dump: where live output had got to. */
    int64_t live_max_printk_us;
    double live_min_lag_ns;
    bool live_known;

    struct open_call *open;
    size_t n_open, cap_open;
    struct held_fact *held;
    size_t n_held, cap_held;
};

const char *bl_stream_name(enum bl_stream s)
{
    switch (s) {
    case BL_STREAM_CONSOLE: return "console";
    case BL_STREAM_FIRMWARE: return "firmware";
    case BL_STREAM_DMESG: return "dmesg";
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

static char *dup_span(const char *p, size_t len)
{
    if (!p)
        return NULL;
    char *s = xrealloc(NULL, len + 1);
    memcpy(s, p, len);
    s[len] = '\0';
    return s;
}

static char *dup_str(const char *s)
{
    return s ? dup_span(s, strlen(s)) : NULL;
}

/* ------------------------------------------------------------ lifecycle */

struct bl_parser *bl_parser_new(const struct bl_format *fmt, const struct bl_sink *sink)
{
    struct bl_parser *p = xrealloc(NULL, sizeof(*p));
    memset(p, 0, sizeof(*p));
    p->fmt = fmt;
    p->sink = *sink;
    p->frame.last_host_ns = BL_NONE;
    p->seg_max_printk_us = BL_NONE;
    return p;
}

void bl_parser_free(struct bl_parser *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_open; i++) {
        free(p->open[i].function);
        free(p->open[i].module);
    }
    for (size_t i = 0; i < p->n_held; i++) {
        free(p->held[i].str);
        free(p->held[i].function);
        free(p->held[i].module);
    }
    free(p->open);
    free(p->held);
    free(p->carry);
    free(p->clean);
    free(p->frame.unquoted);
    free(p);
}

/* ---------------------------------------------------------------- facts */

/* Hands a fact to the sink now, or holds it back while the segment may
 * still turn out to be a dump. `undecided` says which. */
static int emit(struct bl_parser *p, const struct bl_fact *f, bool undecided)
{
    if (!undecided)
        return p->sink.fact(p->sink.ctx, f);

    if (p->n_held == p->cap_held) {
        p->cap_held = p->cap_held ? 2 * p->cap_held : 64;
        p->held = xrealloc(p->held, p->cap_held * sizeof(*p->held));
    }
    struct held_fact *h = &p->held[p->n_held++];
    h->fact = *f;
    h->str = dup_str(f->str);
    h->fact.str = h->str;
    h->function = h->module = NULL;
    if (f->initcall) {
        h->ic = *f->initcall;
        h->function = dup_str(f->initcall->function);
        h->module = dup_str(f->initcall->module);
        h->ic.function = h->function;
        h->ic.module = h->module;
        /* h->fact.initcall is pointed at h->ic on release: p->held moves */
    }
    return 0;
}

/* Hands over the held facts, marked as from a dump if `dump`. */
static int release_held(struct bl_parser *p, bool dump)
{
    int rc = 0;
    for (size_t i = 0; i < p->n_held; i++) {
        struct held_fact *h = &p->held[i];
        if (h->fact.kind == BL_FACT_INITCALL)
            h->fact.initcall = &h->ic;
        if (dump) {
            h->fact.dump = true;
            h->fact.host_ns = BL_NONE;
            h->ic.dump = true;
            h->ic.start_host_ns = h->ic.end_host_ns = BL_NONE;
        }
        if (rc == 0)
            rc = p->sink.fact(p->sink.ctx, &h->fact);
        free(h->str);
        free(h->function);
        free(h->module);
    }
    p->n_held = 0;
    return rc;
}

static int emit_initcall(struct bl_parser *p, const struct bl_initcall *ic, bool undecided)
{
    struct bl_fact f = {
        .kind = BL_FACT_INITCALL,
        .seq = ic->end_seq ? ic->end_seq : ic->start_seq,
        .host_ns = ic->end_host_ns,
        .printk_us = ic->end_printk_us,
        .dump = ic->dump,
        .initcall = ic,
    };
    return emit(p, &f, undecided);
}

/* ------------------------------------------------------------- segments */

/* Whether facts of the current segment must wait for its end. */
static bool undecided(const struct bl_parser *p)
{
    return !p->seg_dump && p->lag_count > 0;
}

/* Ends the current segment: calls that never returned are handed over as
 * incomplete, and a segment that was a dump after all is reported. */
static int close_segment(struct bl_parser *p)
{
    int rc = 0;
    bool was_undecided = undecided(p);
    bool dump = p->seg_dump;

    if (was_undecided && p->lag_count >= 2 &&
        p->lag_sum_ns / (double)p->lag_count - p->lag_min_ns > DUMP_LAG_NS)
        dump = true;

    for (size_t i = 0; i < p->n_open; i++) {
        struct open_call *o = &p->open[i];
        if (rc == 0)
            rc = emit_initcall(p, &o->ic, was_undecided);
        free(o->function);
        free(o->module);
    }
    p->n_open = 0;

    if (rc == 0 && was_undecided && dump) {
        struct bl_fact f = {
            .kind = BL_FACT_DUMP, .host_ns = BL_NONE, .printk_us = BL_NONE, .dump = true,
            .first_seq = p->seg_first_seq, .last_seq = p->seg_last_seq,
        };
        rc = p->sink.fact(p->sink.ctx, &f);
    }
    int rc2 = release_held(p, dump);
    if (rc == 0)
        rc = rc2;

    p->seg_started = false;
    p->seg_dump = false;
    p->seg_max_printk_us = BL_NONE;
    p->lag_sum_ns = 0;
    p->lag_count = 0;
    return rc;
}

/* Accounts a printk-stamped line to the segment, starting a new one when
 * printk time starts again at a "Linux version" record. */
static int track_segment(struct bl_parser *p, const struct bl_line *l, enum bl_rec_kind kind)
{
    int rc = 0;

    double lag = l->host_ns == BL_NONE ? 0 : (double)l->host_ns - (double)l->printk_us * 1000.0;

    if (p->seg_started && kind == BL_REC_KERNEL_VERSION &&
        l->printk_us < p->seg_max_printk_us) {
        p->live_known = !p->seg_dump && p->lag_count > 0;
        p->live_max_printk_us = p->seg_max_printk_us;
        p->live_min_lag_ns = p->lag_min_ns;
        rc = close_segment(p);
        p->seg_dump = true;   /* the same records again (several boots: issue 3) */
    } else if (p->seg_dump && p->live_known && l->host_ns != BL_NONE &&
               l->printk_us > p->live_max_printk_us && lag - p->live_min_lag_ns < DUMP_LAG_NS) {
        /* A record newer than any printed before the dump, arriving as
         * promptly as live output did: the dump is over, this is live
         * output again (e.g. the kernel's messages while powering off). */
        rc = close_segment(p);
    }
    if (!p->seg_started) {
        p->seg_started = true;
        p->seg_first_seq = l->seq;
    }
    p->seg_last_seq = l->seq;
    if (p->seg_max_printk_us == BL_NONE || l->printk_us > p->seg_max_printk_us)
        p->seg_max_printk_us = l->printk_us;
    if (l->host_ns != BL_NONE && !p->seg_dump) {
        if (p->lag_count == 0 || lag < p->lag_min_ns)
            p->lag_min_ns = lag;
        p->lag_sum_ns += lag;
        p->lag_count++;
    }
    return rc;
}

/* ------------------------------------------------------------ initcalls */

static int on_calling(struct bl_parser *p, const struct bl_line *l, const struct bl_rec *r)
{
    if (p->n_open == p->cap_open) {
        p->cap_open = p->cap_open ? 2 * p->cap_open : 8;
        p->open = xrealloc(p->open, p->cap_open * sizeof(*p->open));
    }
    struct open_call *o = &p->open[p->n_open++];
    o->function = dup_span(r->str.p, r->str.len);
    o->module = r->module.len ? dup_span(r->module.p, r->module.len) : NULL;
    o->ic = (struct bl_initcall){
        .function = o->function,
        .module = o->module,
        .pid = r->pid,
        .start_seq = l->seq,
        .start_printk_us = l->printk_us,
        .end_printk_us = BL_NONE,
        .start_host_ns = p->seg_dump ? BL_NONE : l->host_ns,
        .end_host_ns = BL_NONE,
        .reported_us = BL_NONE,
        .ret = 0,
        .complete = false,
        .dump = p->seg_dump,
    };
    return 0;
}

static bool same_module(const char *open_mod, const struct bl_span *mod)
{
    if (!open_mod)
        return mod->len == 0;
    return strlen(open_mod) == mod->len && memcmp(open_mod, mod->p, mod->len) == 0;
}

/* Pairs a return with the latest open call of the same function (the same
 * function may run several times; records of other calls may come between). */
static int on_returned(struct bl_parser *p, const struct bl_line *l, const struct bl_rec *r)
{
    struct open_call *o = NULL;
    size_t i = p->n_open;
    while (i-- > 0) {
        struct open_call *c = &p->open[i];
        if (strlen(c->function) == r->str.len &&
            memcmp(c->function, r->str.p, r->str.len) == 0 && same_module(c->module, &r->module)) {
            o = c;
            break;
        }
    }

    char *fn = NULL, *mod = NULL;
    struct bl_initcall ic;
    if (o) {
        ic = o->ic;
    } else {
        /* a return without its call (the log starts in the middle) */
        fn = dup_span(r->str.p, r->str.len);
        mod = r->module.len ? dup_span(r->module.p, r->module.len) : NULL;
        ic = (struct bl_initcall){
            .function = fn, .module = mod, .pid = BL_NONE,
            .start_printk_us = BL_NONE, .start_host_ns = BL_NONE, .dump = p->seg_dump,
        };
    }
    ic.end_seq = l->seq;
    ic.end_printk_us = l->printk_us;
    ic.end_host_ns = p->seg_dump ? BL_NONE : l->host_ns;
    ic.reported_us = r->msecs ? r->duration * 1000 : r->duration;
    ic.reported_unit = r->msecs ? "msecs" : "usecs";
    ic.ret = r->ret;
    ic.complete = true;

    int rc = emit_initcall(p, &ic, undecided(p));
    if (o) {
        free(o->function);
        free(o->module);
        *o = p->open[--p->n_open];
    }
    free(fn);
    free(mod);
    return rc;
}

/* ---------------------------------------------------------------- lines */

/* Copies text without CR and NUL bytes into p->clean when it has any. */
static void clean_text(struct bl_parser *p, const char **text, size_t *len)
{
    const char *t = *text;
    size_t n = *len;
    if (!memchr(t, '\r', n) && !memchr(t, '\0', n))
        return;
    reserve(&p->clean, &p->clean_cap, n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i] != '\r' && t[i] != '\0')
            p->clean[o++] = t[i];
    *text = p->clean;
    *len = o;
}

static int process_line(struct bl_parser *p, const char *raw, size_t raw_len, bool newline)
{
    struct bl_line l = {
        .seq = ++p->seq, .raw = raw, .raw_len = raw_len, .newline = newline,
        .host_ns = BL_NONE, .printk_us = BL_NONE, .level = -1,
    };
    const char *t = raw;
    size_t n = raw_len;
    int rc;

    clean_text(p, &t, &n);
    p->frame.host_ns = BL_NONE;
    p->fmt->peel(&p->frame, &t, &n);
    l.host_ns = p->frame.host_ns;
    if (l.host_ns != BL_NONE)
        p->frame.last_host_ns = l.host_ns;

    struct bl_printk pk;
    size_t taken = bl_peel_printk(t, n, &pk);
    t += taken;
    n -= taken;
    l.printk_us = pk.printk_us;
    l.level = pk.level;
    memcpy(l.caller, pk.caller, sizeof(l.caller));
    l.text = t;
    l.text_len = n;

    struct bl_rec r;
    bl_recognize(t, n, &r);

    if (l.printk_us != BL_NONE && (rc = track_segment(p, &l, r.kind)) != 0)
        return rc;
    l.dump = l.printk_us != BL_NONE && p->seg_dump;
    if ((rc = p->sink.line(p->sink.ctx, &l)) != 0)
        return rc;

    bool kernel = l.printk_us != BL_NONE;
    struct bl_fact f = {
        .seq = l.seq, .host_ns = l.dump ? BL_NONE : l.host_ns,
        .printk_us = l.printk_us, .dump = l.dump,
    };
    char *str = NULL;
    switch (r.kind) {
    case BL_REC_NONE:
        return 0;
    case BL_REC_CALLING:
        return on_calling(p, &l, &r);
    case BL_REC_RETURNED:
        return on_returned(p, &l, &r);
    case BL_REC_KERNEL_VERSION: f.kind = BL_FACT_KERNEL_VERSION; break;
    case BL_REC_CMDLINE: f.kind = BL_FACT_CMDLINE; break;
    case BL_REC_FIRMWARE_VERSION: f.kind = BL_FACT_FIRMWARE_VERSION; break;
    case BL_REC_HANDOFF: f.kind = BL_FACT_HANDOFF; break;
    case BL_REC_USERSPACE: f.kind = BL_FACT_USERSPACE; break;
    }
    str = dup_span(r.str.p, r.str.len);
    f.str = str;
    rc = emit(p, &f, kernel && undecided(p));
    free(str);
    return rc;
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
            rc = process_line(p, p->carry, p->carry_len + n, true);
            p->carry_len = 0;
        } else {
            rc = process_line(p, buf, n, true);
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
        rc = process_line(p, p->carry, p->carry_len, false);
        p->carry_len = 0;
    }
    if (rc == 0)
        rc = close_segment(p);
    return rc;
}
