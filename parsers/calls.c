/* calls.c: see calls.h. */
#include "calls.h"

#include <stdlib.h>
#include <string.h>

/* A duration no boot-time call can really have: kept, but flagged. */
#define ABSURD_US (10LL * 60 * 1000000)

/* What a record does to a call. */
enum role { START, ANNOTATE, ERROR, END, SINGLE };

static const struct {
    enum bl_rec_kind rec;
    enum bl_call_kind kind;
    enum role role;
} roles[] = {
    { BL_REC_CALLING, BL_CALL_INITCALL, START },
    { BL_REC_RETURNED, BL_CALL_INITCALL, END },
    { BL_REC_OLD_CALLING, BL_CALL_INITCALL, START },
    { BL_REC_OLD_RETURNED, BL_CALL_INITCALL, ANNOTATE },
    { BL_REC_OLD_RAN_FOR, BL_CALL_INITCALL, END },
    { BL_REC_OLD_ERROR, BL_CALL_INITCALL, ERROR },
    { BL_REC_TP_START, BL_CALL_INITCALL, START },
    { BL_REC_TP_FINISH, BL_CALL_INITCALL, END },
    { BL_REC_ASYNC_CALLING, BL_CALL_ASYNC, START },
    { BL_REC_ASYNC_RETURNED, BL_CALL_ASYNC, END },
    { BL_REC_ASYNC_WAITING, BL_CALL_ASYNC_WAIT, START },
    { BL_REC_ASYNC_CONTINUING, BL_CALL_ASYNC_WAIT, END },
    { BL_REC_PROBE, BL_CALL_PROBE, SINGLE },
    { BL_REC_DEFERRED_START, BL_CALL_PROBE, START },
    { BL_REC_DEFERRED_END, BL_CALL_PROBE, END },
    { BL_REC_PCI_CALLING, BL_CALL_PCI_FIXUP, START },
    { BL_REC_PCI_TOOK, BL_CALL_PCI_FIXUP, END },
    { BL_REC_PCI_OLD_CALLING, BL_CALL_PCI_FIXUP, START },
    { BL_REC_PCI_OLD_RETURNED, BL_CALL_PCI_FIXUP, END },
    { BL_REC_PM_CALLING, BL_CALL_PM, START },
    { BL_REC_PM_RETURNED, BL_CALL_PM, END },
};

/* A call whose first record was seen. Its strings live in one owned
 * allocation, `strings`; a NULL pointer is a string not printed. */
struct open_call {
    struct bl_call call;
    char *strings;
    char *function, *module, *device, *level, *addr;
    bool old;                 /* 2.6.1x-2.6.24 style */
    int64_t chars_after;      /* console bytes printed up to the end of its first line */
};

struct bl_calls {
    struct open_call *open;
    size_t n, cap;
    bool seen_old_end;        /* this kernel prints end records ("returned") */
};

const char *bl_call_kind_name(enum bl_call_kind k)
{
    static const char *const names[] = {
        [BL_CALL_INITCALL] = "initcall", [BL_CALL_ASYNC] = "async",
        [BL_CALL_ASYNC_WAIT] = "async_wait", [BL_CALL_PROBE] = "probe",
        [BL_CALL_PCI_FIXUP] = "pci_fixup", [BL_CALL_PM] = "pm",
    };
    return names[k];
}

static char *span_dup(struct bl_span s)
{
    if (s.len == 0)
        return NULL;
    char *d = malloc(s.len + 1);
    if (!d)
        abort();
    memcpy(d, s.p, s.len);
    d[s.len] = '\0';
    return d;
}

/* An owned string equals a span; an empty span matches anything. */
static bool matches(const char *owned, struct bl_span s)
{
    if (s.len == 0)
        return true;
    return owned && strlen(owned) == s.len && memcmp(owned, s.p, s.len) == 0;
}

static void free_open(struct open_call *o)
{
    free(o->strings);
}

/* Copies a span to *at and advances it; NULL for an empty span. */
static char *put(char **at, struct bl_span s)
{
    if (s.len == 0)
        return NULL;
    char *d = *at;
    memcpy(d, s.p, s.len);
    d[s.len] = '\0';
    *at += s.len + 1;
    return d;
}

struct bl_calls *bl_calls_new(void)
{
    struct bl_calls *c = calloc(1, sizeof(*c));
    if (!c)
        abort();
    return c;
}

void bl_calls_free(struct bl_calls *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++)
        free_open(&c->open[i]);
    free(c->open);
    free(c);
}

static const struct bl_call empty_call = {
    .pid = BL_NONE, .start_printk_us = BL_NONE, .end_printk_us = BL_NONE,
    .start_host_ns = BL_NONE, .end_host_ns = BL_NONE, .reported_us = BL_NONE,
    .ret = BL_NONE, .complete = 1, .chars_between = BL_NONE,
};

bool bl_rec_is_call(enum bl_rec_kind kind)
{
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (roles[i].rec == kind)
            return true;
    return false;
}

/* Sets the end of a call from its last record. */
static void set_end(struct bl_call *call, const struct bl_rec *r, const struct bl_call_at *at)
{
    call->end_seq = at->seq;
    call->end_printk_us = at->printk_us;
    call->end_host_ns = at->host_ns;
    if (r->duration >= 0) {
        call->reported_us = r->msecs ? r->duration * 1000 : r->duration;
        call->reported_unit = r->msecs ? "msecs" : "usecs";
    }
    if (r->has_ret)
        call->ret = r->ret;
    call->complete = 1;
    if (call->reported_us > ABSURD_US)
        call->suspect = "duration over 10 minutes";
}

/* The latest open call this record belongs to, or NULL. */
static struct open_call *find(struct bl_calls *c, enum bl_call_kind kind, const struct bl_rec *r)
{
    size_t i = c->n;
    while (i-- > 0) {
        struct open_call *o = &c->open[i];
        if (o->call.kind == kind && matches(o->function, r->str) && matches(o->module, r->module) &&
            matches(o->device, r->device) && matches(o->addr, r->addr) &&
            (r->pid < 0 || o->call.pid == r->pid || kind != BL_CALL_ASYNC_WAIT))
            return o;
    }
    return NULL;
}

/* Hands over an open call and removes it. */
static int finish(struct bl_calls *c, struct open_call *o, bl_call_done done, void *ctx)
{
    int rc = done(ctx, &o->call);
    free_open(o);
    *o = c->open[--c->n];
    return rc;
}

static int start(struct bl_calls *c, enum bl_call_kind kind, const struct bl_rec *r,
                 const struct bl_call_at *at, bl_call_done done, void *ctx)
{
    int rc = 0;
    bool old = r->kind == BL_REC_OLD_CALLING;

    /* Before 2.6.22 the kernel printed no end record: an old-style call
     * still open when the next starts has ended, we cannot say how. */
    for (size_t i = c->n; old && rc == 0 && i-- > 0;) {
        if (c->open[i].old) {
            c->open[i].call.complete = c->open[i].call.ret != BL_NONE ? 1 : -1;
            rc = finish(c, &c->open[i], done, ctx);
        }
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 8;
        c->open = realloc(c->open, c->cap * sizeof(*c->open));
        if (!c->open)
            abort();
    }
    struct open_call *o = &c->open[c->n++];
    struct bl_span level = { at->level, kind == BL_CALL_INITCALL && at->level ? strlen(at->level) : 0 };
    char *w = o->strings = malloc(r->str.len + r->module.len + r->device.len + r->addr.len + level.len + 5);
    if (!w)
        abort();
    o->function = put(&w, r->str);
    o->module = put(&w, r->module);
    o->device = put(&w, r->device);
    o->addr = put(&w, r->addr);
    o->level = put(&w, level);
    o->old = old;
    o->call = empty_call;
    o->call.kind = kind;
    o->call.function = o->function ? o->function : "";
    o->call.module = o->module;
    /* a PM callback's "parent:" is not the device it ran on */
    o->call.device = kind == BL_CALL_PM ? NULL : o->device;
    o->call.level = o->level;
    o->call.pid = r->pid >= 0 ? r->pid : BL_NONE;
    o->call.start_seq = at->seq;
    o->call.start_printk_us = at->printk_us;
    o->call.start_host_ns = at->host_ns;
    o->call.complete = 0;
    o->call.dump = at->dump;
    o->chars_after = at->chars_before == BL_NONE ? BL_NONE : at->chars_before + at->chars;
    return rc;
}

/* A record that finishes a call with no open start: the log began after
 * the call did, or the call prints only an end record (probes). */
static int lone_end(enum bl_call_kind kind, const struct bl_rec *r, const struct bl_call_at *at,
                    bl_call_done done, void *ctx)
{
    char *function = span_dup(r->str), *module = span_dup(r->module), *device = span_dup(r->device);
    struct bl_call call = empty_call;
    call.kind = kind;
    call.function = function ? function : "";
    call.module = module;
    call.device = kind == BL_CALL_PM ? NULL : device;
    call.pid = r->pid >= 0 ? r->pid : BL_NONE;
    call.dump = at->dump;
    if (kind == BL_CALL_INITCALL)
        call.level = at->level;
    set_end(&call, r, at);
    int rc = done(ctx, &call);
    free(function);
    free(module);
    free(device);
    return rc;
}

int bl_calls_record(struct bl_calls *c, const struct bl_rec *r, const struct bl_call_at *at,
                    bl_call_done done, void *ctx)
{
    size_t i = 0;
    while (i < sizeof(roles) / sizeof(roles[0]) && roles[i].rec != r->kind)
        i++;
    if (i == sizeof(roles) / sizeof(roles[0]))
        return 0;
    enum bl_call_kind kind = roles[i].kind;
    struct open_call *o;

    switch (roles[i].role) {
    case START:
        return start(c, kind, r, at, done, ctx);
    case SINGLE:
        return lone_end(kind, r, at, done, ctx);
    case ANNOTATE:      /* "initcall 0x..: fn() returned 0." before "ran for" */
        c->seen_old_end = true;
        if ((o = find(c, kind, r)) != NULL)
            o->call.ret = r->ret;
        else
            return lone_end(kind, r, at, done, ctx);
        return 0;
    case ERROR:         /* "initcall at 0x..: fn(): returned with error code -14": of the
                         * call still open (2.6.1x prints no end record), or of one
                         * its end records already finished (then nothing new) */
        if ((o = find(c, kind, r)) != NULL)
            o->call.ret = r->ret;
        return 0;
    case END:
        if (r->kind == BL_REC_OLD_RAN_FOR)
            c->seen_old_end = true;
        if ((o = find(c, kind, r)) == NULL)
            return lone_end(kind, r, at, done, ctx);
        set_end(&o->call, r, at);
        if (o->chars_after != BL_NONE && at->chars_before != BL_NONE)
            o->call.chars_between = at->chars_before - o->chars_after;
        return finish(c, o, done, ctx);
    }
    return 0;
}

int bl_calls_flush(struct bl_calls *c, bl_call_done done, void *ctx)
{
    int rc = 0;
    while (c->n > 0 && rc == 0) {
        struct open_call *o = &c->open[c->n - 1];
        if (o->old && o->call.ret != BL_NONE)
            o->call.complete = 1;
        else if (o->old && !c->seen_old_end)
            o->call.complete = -1;
        else
            o->call.complete = 0;
        rc = finish(c, o, done, ctx);
    }
    return rc;
}

/* ------------------------------------------------------ records seen */

static void record_set_grow(struct bl_record_set *s)
{
    size_t cap = s->cap ? 2 * s->cap : 1024;
    uint64_t *slots = calloc(cap, sizeof(*slots));
    if (!slots)
        abort();
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i]) {
            size_t j = s->slots[i] & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = s->slots[i];
        }
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
}

bool bl_record_seen(struct bl_record_set *s, uint64_t boot, const struct bl_call *call)
{
    if (call->start_printk_us == BL_NONE)
        return false;
    uint64_t kind = (uint64_t)call->kind, start = (uint64_t)call->start_printk_us;
    uint64_t h = bl_hash(BL_HASH_INIT, &boot, sizeof(boot));
    h = bl_hash(h, &kind, sizeof(kind));
    h = bl_hash(h, call->function, strlen(call->function) + 1);
    h = bl_hash(h, &start, sizeof(start)) | 1;   /* never 0, the empty slot */
    if (2 * (s->n + 1) > s->cap)
        record_set_grow(s);
    size_t j = h & (s->cap - 1);
    while (s->slots[j] && s->slots[j] != h)
        j = (j + 1) & (s->cap - 1);
    if (s->slots[j])
        return true;
    s->slots[j] = h;
    s->n++;
    return false;
}

void bl_record_set_free(struct bl_record_set *s)
{
    free(s->slots);
    memset(s, 0, sizeof(*s));
}
