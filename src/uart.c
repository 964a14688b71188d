/* uart.c: see uart.h. */
#include "uart.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "clock.h"
#include "db.h"
#include "output.h"
#include "parser.h"
#include "stats.h"
#include "store.h"
#include "util.h"

/* Fewer samples than this are no estimate (calling lines: a boot with
 * initcall_debug has hundreds). */
#define MIN_SAMPLES 10
#define MIN_CALLING_SAMPLES 30
/* Lines whose arrivals are this close came in one read of the host. */
#define SAME_READ_NS 50000
/* Host evidence needs the host clock to run at printk's rate, within this. */
#define MAX_RATE_ERROR 0.02
/* Bootstrap resamples for the interval of an estimate. */
#define RESAMPLES 400

/* ---------------------------------------------------------------- evidence */

/* Per-byte costs (ns) gathered from one kind of evidence. */
struct samples {
    double *v;
    size_t n, cap;
};

static void add_sample(struct samples *s, double ns)
{
    BL_PUSH(s->v, s->n, s->cap, ns);
}

/* calling-lines: the kernel takes an initcall's start after its "calling"
 * line has been printed and its end before the "returned" one (init/main.c),
 * so for a call that printed nothing in between, printk end - start - the
 * reported duration is the time the "calling" line took to print. Durations
 * the kernel timed in jiffies (whole milliseconds) or printed in msecs are
 * too coarse to say. */
static void calling_sample(void *ctx, int64_t start_us, int64_t end_us, int64_t reported_us, int64_t chars)
{
    if (reported_us % 1000 == 0 || chars <= 0)
        return;
    add_sample(ctx, (double)(end_us - start_us - reported_us) * 1000.0 / (double)chars);
}

/* What the host's stamps of the live console say: line-ends (capture's
 * first and last byte of a line), arrival-gaps (lines queued behind each
 * other), and how the host clock runs against printk time. */
struct host_scan {
    struct samples ends, gaps;
    int64_t prev_h, prev_p;              /* the stamped line before */
    size_t n;                            /* stamped lines so far */
    double prev_gap_ns;                  /* NAN: the line before shared a read */
};

static int host_line(void *ctx, const struct bl_line_row *l)
{
    struct host_scan *h = ctx;
    if (l->host_ns != BL_NONE && l->host_end_ns != BL_NONE && l->host_end_ns > l->host_ns &&
        l->chars != BL_NONE && l->chars > 17)   /* first byte to the end: the other chars - 1 */
        add_sample(&h->ends, (double)(l->host_end_ns - l->host_ns) / (double)(l->chars - 1));
    if (l->host_ns == BL_NONE || l->printk_us == BL_NONE)
        return 0;
    /* a line logged well before the one before it was sent waited in the
     * queue: its gap is its own sending time, if neither it nor the line
     * before came in a read with other lines (one stamp for many lines) */
    int64_t gap = h->n ? l->host_ns - h->prev_h : 0;
    bool alone = h->n == 0 || gap > SAME_READ_NS;
    if (h->n >= 2 && alone && !isnan(h->prev_gap_ns) && (l->printk_us - h->prev_p) * 1000 < gap / 4 &&
        l->chars != BL_NONE && l->chars > 0)
        add_sample(&h->gaps, (double)gap / (double)l->chars);
    h->prev_gap_ns = alone ? (double)gap : NAN;
    h->prev_h = l->host_ns;
    h->prev_p = l->printk_us;
    h->n++;
    return 0;
}

/* The host clock's rate relative to printk's (1: the same); NAN when the
 * console has too little to say (clock.c fits it). */
static int clock_rate(struct bl_db *db, int64_t boot, double *rate)
{
    struct bl_clock_fit f;
    int rc = bl_clock_fit(db, boot, &f);
    *rate = f.measured_rate;
    return rc;
}

/* A deterministic generator for the bootstrap (the same figures every run). */
static uint64_t next_random(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return *state >> 33;
}

/* The 2.5th and 97.5th percentiles of RESAMPLES bootstrap figures (sorts them). */
static void interval95(double *resampled, double *low, double *high)
{
    bl_sort(resampled, RESAMPLES);
    *low = resampled[RESAMPLES * 25 / 1000];
    *high = resampled[RESAMPLES * 975 / 1000];
}

/* The median of the samples, their interquartile range, and a 95%
 * interval of the median by bootstrap. */
static void estimate(struct samples *s, int64_t boot, double *median, double *iqr, double *low, double *high)
{
    double *resample = bl_xmalloc(s->n * sizeof(double)), medians[RESAMPLES];
    uint64_t state = (uint64_t)boot * 2654435761ULL + 1;
    for (int r = 0; r < RESAMPLES; r++) {
        for (size_t i = 0; i < s->n; i++)
            resample[i] = s->v[next_random(&state) % s->n];
        medians[r] = bl_median(resample, s->n);
    }
    free(resample);
    bl_median_iqr(s->v, s->n, median, iqr);
    interval95(medians, low, high);
}

/* ------------------------------------------------- which consoles block */

/*
 * docs/DESIGN.md, "Which consoles block". A legacy console makes printk's
 * caller wait while it sends (every console before Linux 6.12; those the
 * kernel calls "legacy" since); an nbcon console (6.12+, printed without
 * "legacy") and every console of a PREEMPT_RT kernel print from a thread,
 * except while a boot console is registered. When the first console that
 * blocks registers, the backlog is sent before its "enabled" line is
 * stamped. No registration seen (a log cut short, a quiet boot): the
 * console is taken to have blocked from the start, and the boot says so.
 */
struct console_walk {
    bool rt, nbcon_era, registered;     /* PREEMPT_RT; a kernel with nbcon; any console seen */
    int boot_consoles, blocking, threaded;
    int64_t total, sent, wait;          /* bytes printed, sent by a console, waited for */
    int64_t blocked_from_us, blocked_to_us;   /* printk times the console blocked between */
    size_t stamped;                     /* lines with a printk stamp */
    struct wait { int64_t id, printk_us, chars, wait; bool blocked; } *v;
    size_t n, cap;
};

static void pre_mark(void *ctx, const char *mark)
{
    struct console_walk *w = ctx;
    w->rt |= strcmp(mark, "preempt-rt") == 0;
    w->nbcon_era |= strncmp(mark, "legacy ", 7) == 0;
    w->registered |= strstr(mark, "console ") != NULL;
}

static bool blocks(const struct console_walk *w)
{
    return w->boot_consoles > 0 || w->blocking > 0;
}

/* A console registered (+1) or dropped (-1) by a mark. */
static void console_change(struct console_walk *w, const char *mark, int by)
{
    const char *words = strncmp(mark, "legacy ", 7) == 0 ? mark + 7 : mark;
    int *count = strncmp(words, "boot", 4) == 0 ? &w->boot_consoles
                 : mark == words && w->nbcon_era  ? &w->threaded      /* nbcon */
                 : w->rt                          ? &w->threaded
                                                  : &w->blocking;
    *count = *count + by < 0 ? 0 : *count + by;
}

static int walk_line(void *ctx, const struct bl_line_row *l)
{
    struct console_walk *w = ctx;
    const char *mark = l->mark && strstr(l->mark, "console ") ? l->mark : NULL;
    int64_t chars = l->chars == BL_NONE ? 0 : l->chars;
    w->stamped += l->printk_us != BL_NONE;
    if (mark && strstr(mark, " enabled")) {
        bool before = blocks(w);
        console_change(w, mark, +1);
        if (!before && blocks(w)) {     /* the backlog goes out first */
            w->wait += w->total - w->sent;
            w->sent = w->total;
        }
    }
    bool blocked = blocks(w);
    BL_PUSH(w->v, w->n, w->cap, ((struct wait){ l->id, l->printk_us, chars, w->wait, blocked }));
    if (blocked && l->printk_us != BL_NONE) {
        if (w->blocked_from_us == BL_NONE)
            w->blocked_from_us = l->printk_us;
        w->blocked_to_us = l->printk_us;
    }
    w->total += chars;
    if (blocked)
        w->wait += chars;
    if (blocked || w->threaded > 0)
        w->sent = w->total;
    if (mark && strstr(mark, " disabled"))
        console_change(w, mark, -1);
    return 0;
}

/* The major.minor of a release ("6.12.118+deb12-amd64" is 612). */
static int release_number(const char *r)
{
    int major = 0, minor = 0;
    return r && sscanf(r, "%d.%d", &major, &minor) == 2 ? major * 100 + minor : 0;
}

/* Walks a boot's live console: which consoles blocked, and when; what
 * printk waited for before each line (w->v, in line order). */
static int console_model(struct bl_db *db, int64_t boot, struct console_walk *w, char *kind, size_t size)
{
    struct bl_boot_info b;
    *w = (struct console_walk){ .blocked_from_us = BL_NONE, .blocked_to_us = BL_NONE };
    if (bl_store_boot(db, boot, &b) <= 0)
        return -1;
    w->nbcon_era = release_number(b.kernel_version) >= 612;
    bl_store_boot_free(&b);
    if (bl_store_console_marks(db, boot, pre_mark, w) < 0)
        return -1;
    if (!w->registered)
        w->blocking = 1;
    if (bl_store_live_console(db, boot, walk_line, w) < 0)
        return -1;
    const char *how = !w->registered ? "assumed legacy" : w->rt ? "PREEMPT_RT" : w->threaded ? "nbcon" : "legacy";
    if (w->stamped == 0)
        snprintf(kind, size, "no printk timestamps: when printk waited is not known");
    else if (w->blocked_from_us == BL_NONE)
        snprintf(kind, size, "%s: printk never waited", how);
    else
        snprintf(kind, size, "%s: printk waited %.6f..%.6f s", how, (double)w->blocked_from_us / 1e6,
                 (double)w->blocked_to_us / 1e6);
    return 0;
}

/* The wait record of line id (NULL: not a live console line). */
static const struct wait *wait_of(const struct console_walk *w, int64_t id)
{
    size_t lo = 0, hi = w->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->v[mid].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < w->n && w->v[lo].id == id ? &w->v[lo] : NULL;
}

/* ------------------------------------------------------------- analysis */

struct derive {
    const struct console_walk *w;
    struct bl_db *db;
    double ns;                 /* cost per byte; NAN: no estimate */
};

/* A call's duration without the console (the bytes printk waited for
 * while it ran: after its first line was sent, before its last was
 * stamped), and the cross-check of its timestamps. */
static int derive_call(void *ctx, const struct bl_call_row *c)
{
    struct derive *d = ctx;
    const struct wait *s = c->start_line_id != BL_NONE ? wait_of(d->w, c->start_line_id) : NULL,
                      *e = c->end_line_id != BL_NONE ? wait_of(d->w, c->end_line_id) : NULL;
    int64_t corrected = BL_NONE, mismatch = BL_NONE;
    double ns = isnan(d->ns) ? 0 : d->ns;
    if (s && e && !isnan(d->ns)) {
        int64_t between = e->wait - s->wait - (s->blocked ? s->chars : 0);
        corrected = c->reported_us - llround((double)(between > 0 ? between : 0) * ns / 1000.0);
        corrected = corrected < 0 ? 0 : corrected;
    }
    if (c->initcall)
        mismatch = bl_uart_mismatch(c->duration_us, c->reported_us,
                                    s && s->blocked ? llround((double)s->chars * ns / 1000.0) : 0);
    return bl_store_call_derived(d->db, c->id, corrected, mismatch) < 0 ? -1 : 0;
}

/* Stores what the model and the estimate say of every line and call. */
static int derive(struct bl_db *db, const struct console_walk *w, int64_t boot, double ns)
{
    struct derive d = { w, db, ns };
    for (size_t i = 0; i < w->n; i++) {
        const struct wait *l = &w->v[i];
        int64_t corrected = !isnan(ns) && l->printk_us != BL_NONE ? bl_uart_predict(l->printk_us, l->wait, ns)
                                                                  : BL_NONE;
        if (bl_store_line_wait(db, l->id, l->wait, corrected) < 0)
            return -1;
    }
    return bl_store_timed_calls(db, boot, derive_call, &d);
}

/* The calling-line samples taken while the console blocked. */
struct calling_scan {
    struct samples s;
    const struct console_walk *w;
};

static void calling_line(void *ctx, int64_t line_id, int64_t start_us, int64_t end_us, int64_t reported_us,
                         int64_t chars)
{
    struct calling_scan *c = ctx;
    const struct wait *l = wait_of(c->w, line_id);
    if (l && l->blocked)
        calling_sample(&c->s, start_us, end_us, reported_us, chars);
}

/* Appends "; " and a formatted note to what was checked. */
static void note(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    size_t o = strlen(buf);
    if (o && o + 2 < size)
        o += (size_t)snprintf(buf + o, size - o, "; ");
    va_start(ap, fmt);
    vsnprintf(buf + o, size - o, fmt, ap);
    va_end(ap);
}

int bl_analyze_boot(struct bl_db *db, int64_t boot, bool host_stamps)
{
    struct console_walk w;
    struct calling_scan calling = { .w = &w };
    struct host_scan host = { .prev_gap_ns = NAN };
    struct bl_estimate e = { .userspace_printk_us = BL_NONE, .predicted_userspace_us = BL_NONE };
    struct samples *chosen = NULL;
    double rate = NAN, median = NAN;
    char kind[96];
    int rc = -1;

    if (console_model(db, boot, &w, kind, sizeof(kind)) < 0 ||
        bl_store_calling_lines(db, boot, calling_line, &calling) < 0 ||
        (host_stamps && (bl_store_live_console(db, boot, host_line, &host) < 0 || clock_rate(db, boot, &rate) < 0)))
        goto out;
    bool host_ok = host_stamps && !isnan(rate) && fabs(rate - 1.0) <= MAX_RATE_ERROR;
    /* the evidence in order of preference: the guest's own clock first */
    if (calling.s.n >= MIN_CALLING_SAMPLES) {
        chosen = &calling.s;
        snprintf(e.evidence, sizeof(e.evidence), "calling-lines");
    } else if (host_ok && host.ends.n >= MIN_SAMPLES) {
        chosen = &host.ends;
        snprintf(e.evidence, sizeof(e.evidence), "line-ends");
    } else if (host_ok && host.gaps.n >= MIN_SAMPLES) {
        chosen = &host.gaps;
        snprintf(e.evidence, sizeof(e.evidence), "arrival-gaps");
    }
    /* and what the others said, or why they could not */
    if (chosen != &calling.s)
        note(e.checked, sizeof(e.checked), "calling-lines: %zu samples while printk waited", calling.s.n);
    if (!host_stamps) {
        note(e.checked, sizeof(e.checked), "no host stamps");
    } else if (!host_ok) {
        if (isnan(rate))
            note(e.checked, sizeof(e.checked), "host evidence not used: too short to check the host clock");
        else
            note(e.checked, sizeof(e.checked), "host evidence not used: the host clock runs %.3fx printk time", rate);
    } else {
        struct samples *kinds[2] = { &host.ends, &host.gaps };
        const char *names[2] = { "line-ends", "arrival-gaps" };
        for (int k = 0; k < 2; k++)
            if (kinds[k] != chosen && kinds[k]->n >= MIN_SAMPLES)
                note(e.checked, sizeof(e.checked), "%s: %.3f us/byte from %zu", names[k],
                     bl_median(kinds[k]->v, kinds[k]->n) / 1000.0, kinds[k]->n);
            else if (kinds[k] != chosen)
                note(e.checked, sizeof(e.checked), "%s: %zu samples", names[k], kinds[k]->n);
    }
    if (chosen) {
        double iqr, low, high;
        estimate(chosen, boot, &median, &iqr, &low, &high);
        if (bl_store_console_bytes(db, boot, &e.chars) < 0)
            goto out;
        median = median > 0 ? median : 0;   /* a console cannot give time back */
        e.ns_per_char = llround(median);
        e.ns_per_char_low = llround(low > 0 ? low : 0);
        e.ns_per_char_high = llround(high > 0 ? high : 0);
        e.samples = (int64_t)chosen->n;
        e.spread_ns = llround(iqr);
        e.console_us = llround((double)e.chars * median / 1000.0);
        median = (double)e.ns_per_char;   /* as stored: every reader uses the same figure */
    } else if (w.blocked_from_us == BL_NONE && w.stamped > 0) {
        /* printk never waited (threaded consoles): nothing to take out,
         * whatever a byte costs; the boot is its own quiet prediction */
        snprintf(e.evidence, sizeof(e.evidence), "no-wait");
        if (bl_store_console_bytes(db, boot, &e.chars) < 0)
            goto out;
        median = 0;
    }
    /* then every line and call without the console's cost, the estimate
     * with its prediction (the 'Run /init' line's), and the kind */
    if (derive(db, &w, boot, median) < 0)
        goto out;
    if (!isnan(median)) {
        struct bl_boot_marks m;
        if (bl_store_boot_marks(db, boot, &m) < 0)
            goto out;
        e.userspace_printk_us = m.userspace_printk_us;
        e.predicted_userspace_us = m.userspace_corrected_us;
        if (bl_store_save_estimate(db, boot, &e) < 0)
            goto out;
    }
    rc = bl_store_set_analysis(db, boot, kind, BL_ANALYSIS_VERSION);
out:
    free(w.v);
    free(calling.s.v);
    free(host.ends.v);
    free(host.gaps.v);
    return rc;
}

int64_t bl_uart_mismatch(int64_t duration_us, int64_t reported_us, int64_t console_us)
{
    if (duration_us == BL_NONE || reported_us == BL_NONE ||
        llabs(duration_us - reported_us) <= BL_MISMATCH_US(reported_us))
        return BL_NONE;
    /* printk start to end is the reported duration plus the console's
     * time for the "calling" line, sent before the kernel starts its clock */
    int64_t m = duration_us - reported_us - console_us;
    return llabs(m) > BL_MISMATCH_US(reported_us) ? m : BL_NONE;
}

int64_t bl_uart_predict(int64_t printk_us, int64_t wait_chars, double ns_per_char)
{
    int64_t t = printk_us - llround((double)wait_chars * ns_per_char / 1000.0);
    /* never before the kernel started, never later than measured */
    return t < 1 ? 1 : t > printk_us ? printk_us : t;
}

int bl_uart_load(struct bl_db *db, int64_t boot, struct bl_uart *u)
{
    static const char *const evidence[] = { "calling-lines", "line-ends", "arrival-gaps", "no-wait" };
    struct bl_estimate e;
    int found = bl_store_load_estimate(db, boot, &e);

    *u = (struct bl_uart){ .boot_id = boot, .evidence = "-" };
    if (found < 0)
        return -1;
    if (found) {
        u->ns_per_char = (double)e.ns_per_char;
        u->ns_low = (double)e.ns_per_char_low;
        u->ns_high = (double)e.ns_per_char_high;
        snprintf(u->checked, sizeof(u->checked), "%s", e.checked);
        for (size_t i = 0; i < sizeof(evidence) / sizeof(evidence[0]); i++)
            if (strcmp(e.evidence, evidence[i]) == 0)
                u->evidence = evidence[i];
        u->samples = e.samples;
        u->spread_ns = (double)e.spread_ns;
    }
    struct bl_boot_marks m;
    if (bl_store_boot_marks(db, u->boot_id, &m) < 0 || bl_store_console_bytes(db, u->boot_id, &u->chars) < 0)
        return -1;
    u->userspace_printk_us = m.userspace_printk_us;
    u->userspace_wait_chars = m.userspace_wait_chars;
    return found;
}

/* One boot's row. */
static int boot_row(struct bl_db *db, int64_t boot, double given_us, struct bl_uart_row *r)
{
    struct bl_uart u;
    struct bl_boot_info b;
    int64_t mismatches;
    int found = bl_uart_load(db, boot, &u);
    if (found < 0 || bl_store_boot(db, boot, &b) <= 0 || bl_store_mismatches(db, boot, &mismatches) < 0)
        return -1;
    /* no-wait: printk never waited, so no cost per byte applies */
    bool no_wait = found > 0 && isnan(given_us) && strcmp(u.evidence, "no-wait") == 0;
    bool known = (found > 0 || !isnan(given_us)) && !no_wait;
    double ns = !isnan(given_us) ? given_us * 1000.0 : u.ns_per_char, *v = r->v;
    r->boot = boot;
    snprintf(r->label, sizeof(r->label), "%s", b.label ? b.label : "");
    snprintf(r->console, sizeof(r->console), "%s", b.console ? b.console : "");
    bl_store_boot_free(&b);
    r->evidence = !isnan(given_us) ? "given" : u.evidence;
    v[BL_UART_US_PER_CHAR] = known ? ns / 1000.0 : NAN;
    v[BL_UART_CHARS] = (double)u.chars;
    v[BL_UART_CONSOLE_US] = known ? (double)u.chars * ns / 1000.0 : NAN;
    v[BL_UART_MEASURED] = u.userspace_printk_us == BL_NONE ? NAN : (double)u.userspace_printk_us;
    bool predictable = (known || no_wait) && u.userspace_printk_us != BL_NONE && u.userspace_wait_chars != BL_NONE;
    /* the interval: of the estimate, or none for a given cost */
    double low = !isnan(given_us) ? ns : u.ns_low, high = !isnan(given_us) ? ns : u.ns_high;
    v[BL_UART_PREDICTED] = predictable ? (double)bl_uart_predict(u.userspace_printk_us, u.userspace_wait_chars, ns)
                                       : NAN;
    v[BL_UART_US_LOW] = known ? low / 1000.0 : NAN;
    v[BL_UART_US_HIGH] = known ? high / 1000.0 : NAN;
    /* more cost per byte is an earlier userspace */
    v[BL_UART_PREDICTED_LOW] = predictable
        ? (double)bl_uart_predict(u.userspace_printk_us, u.userspace_wait_chars, high) : NAN;
    v[BL_UART_PREDICTED_HIGH] = predictable
        ? (double)bl_uart_predict(u.userspace_printk_us, u.userspace_wait_chars, low) : NAN;
    snprintf(r->checked, sizeof(r->checked), "%s", found > 0 && isnan(given_us) ? u.checked : "");
    v[BL_UART_SAMPLES] = found > 0 && !no_wait ? (double)u.samples : NAN;
    v[BL_UART_SPREAD] = found > 0 && !no_wait ? u.spread_ns / 1000.0 : NAN;
    v[BL_UART_SHARE] = !isnan(v[BL_UART_PREDICTED]) && v[BL_UART_MEASURED] > 0
                           ? (v[BL_UART_MEASURED] - v[BL_UART_PREDICTED]) / v[BL_UART_MEASURED]
                           : NAN;
    v[BL_UART_MISMATCHES] = (double)mismatches;
    return 0;
}

/* A 95% interval of the mean of value k over rows r[0..n-1] (those that
 * have it), by bootstrap over the rows; NAN if fewer than two have it. */
static void mean_interval(const struct bl_uart_row *r, size_t n, int k, double *low, double *high)
{
    double *have = bl_xmalloc(n * sizeof(double)), means[RESAMPLES];
    size_t m = 0;
    uint64_t state = 88172645463325252ULL;
    for (size_t i = 0; i < n; i++)
        if (!isnan(r[i].v[k]))
            have[m++] = r[i].v[k];
    *low = *high = NAN;
    if (m >= 2) {
        for (int b = 0; b < RESAMPLES; b++) {
            double sum = 0;
            for (size_t i = 0; i < m; i++)
                sum += have[next_random(&state) % m];
            means[b] = sum / (double)m;
        }
        interval95(means, low, high);
    }
    free(have);
}

int bl_uart_rows(struct bl_db *db, const int64_t *ids, size_t n, double given_us, struct bl_uart_row **rows,
                 size_t *n_rows)
{
    struct bl_uart_row *r = bl_xmalloc((n + 1) * sizeof(*r)), mean = { .evidence = "mean" };
    size_t known[BL_UART_N_VALUES] = { 0 };
    bool one_label = true;

    *rows = r;
    *n_rows = 0;
    for (size_t i = 0; i < n; i++) {
        if (boot_row(db, ids[i], given_us, &r[i]) < 0)
            return -1;
        one_label &= i == 0 || strcmp(r[i].label, r[0].label) == 0;
        for (int k = 0; k < BL_UART_N_VALUES; k++)
            if (!isnan(r[i].v[k])) {
                mean.v[k] += r[i].v[k];
                known[k]++;
            }
    }
    *n_rows = n;
    if (n > 1 && one_label) {
        for (int k = 0; k < BL_UART_N_VALUES; k++)
            mean.v[k] = known[k] ? mean.v[k] / (double)known[k] : NAN;
        /* over boots, the interval is of the mean: how it moves with the
         * boots drawn (the boots differ far more than one boot's estimate) */
        mean_interval(r, n, BL_UART_US_PER_CHAR, &mean.v[BL_UART_US_LOW], &mean.v[BL_UART_US_HIGH]);
        mean_interval(r, n, BL_UART_PREDICTED, &mean.v[BL_UART_PREDICTED_LOW], &mean.v[BL_UART_PREDICTED_HIGH]);
        snprintf(mean.label, sizeof(mean.label), "%s", r[0].label);
        r[(*n_rows)++] = mean;
    }
    return 0;
}

/* ---------------------------------------------------------------- table */

static const struct bl_col table_cols[] = {
    { "boot", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "label", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "us_per_char", "us/byte", BL_COL_REAL, 3, BL_COL_BOTH },
    { "chars", "bytes", BL_COL_INT, 0, BL_COL_BOTH },
    { "console_us", "console ms", BL_COL_US, 0, BL_COL_BOTH },
    { "measured_userspace_us", "init ms", BL_COL_US, 0, BL_COL_BOTH },
    { "predicted_userspace_us", "quiet init ms", BL_COL_US, 0, BL_COL_BOTH },
    { "evidence", NULL, BL_COL_STR, 0, BL_COL_BOTH },
    { "samples", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "spread_us", "spread", BL_COL_REAL, 3, BL_COL_BOTH },
    { "share", NULL, BL_COL_SHARE, 4, BL_COL_BOTH },
    { "mismatches", NULL, BL_COL_INT, 0, BL_COL_BOTH },
    { "us_per_char_low", NULL, BL_COL_REAL, 3, BL_COL_DATA },
    { "us_per_char_high", NULL, BL_COL_REAL, 3, BL_COL_DATA },
    { "predicted_low_us", NULL, BL_COL_US, 0, BL_COL_DATA },
    { "predicted_high_us", NULL, BL_COL_US, 0, BL_COL_DATA },
    { "quiet init 95%", NULL, BL_COL_STR, 0, BL_COL_TABLE },
    { "checked", NULL, BL_COL_STR, 0, BL_COL_DATA },
    { "console", NULL, BL_COL_STR, 0, BL_COL_BOTH },
};

/* A figure, or null when not known; integers rounded. */
static void put(struct bl_table *t, double v, bool integer)
{
    if (isnan(v))
        bl_table_null(t);
    else if (integer)
        bl_table_int(t, llround(v));
    else
        bl_table_num(t, v);
}

struct bl_table *bl_uart_table(const struct bl_uart_row *rows, size_t n)
{
    struct bl_table *t = bl_table_new(table_cols, (int)(sizeof(table_cols) / sizeof(table_cols[0])));
    for (size_t i = 0; i < n; i++) {
        const double *v = rows[i].v;
        put(t, rows[i].boot > 0 ? (double)rows[i].boot : NAN, true);
        bl_table_str(t, rows[i].label);
        put(t, v[BL_UART_US_PER_CHAR], false);
        put(t, v[BL_UART_CHARS], true);
        put(t, v[BL_UART_CONSOLE_US], false);
        put(t, v[BL_UART_MEASURED], false);
        put(t, v[BL_UART_PREDICTED], false);
        bl_table_str(t, rows[i].evidence);
        put(t, v[BL_UART_SAMPLES], true);
        put(t, v[BL_UART_SPREAD], false);
        put(t, v[BL_UART_SHARE], false);
        put(t, v[BL_UART_MISMATCHES], true);
        put(t, v[BL_UART_US_LOW], false);
        put(t, v[BL_UART_US_HIGH], false);
        put(t, v[BL_UART_PREDICTED_LOW], false);
        put(t, v[BL_UART_PREDICTED_HIGH], false);
        char interval[64] = "-";
        if (!isnan(v[BL_UART_PREDICTED_LOW]))
            snprintf(interval, sizeof(interval), "%.0f-%.0f", v[BL_UART_PREDICTED_LOW] / 1000.0,
                     v[BL_UART_PREDICTED_HIGH] / 1000.0);
        bl_table_str(t, interval);
        bl_table_str(t, rows[i].checked[0] ? rows[i].checked : NULL);
        bl_table_str(t, rows[i].console[0] ? rows[i].console : NULL);
    }
    return t;
}
