/*
 * capture.c: the files `bootlog capture --save` writes, one per run, and
 * that `bootlog import` reads back to exactly the same boot (see
 * src/capture.h for the whole format):
 *   #bootlog-capture 1
 *   #command qemu-system-x86_64 -accel tcg -m 512 ...
 *   F 108218000 108218050 SeaBIOS (version 1.16.2-debian-1.16.2-1)
 *   C 855600123 855601456 [    0.000000] Linux version 6.1.0-56-cloud-amd64 ...
 *   #run wall_ns=2340601000 exit_status=0 timed_out=0 peak_rss_kib=228056 ...
 * C is the console, F the firmware (debugcon); the two numbers are the
 * arrival of the line's first byte and of its end, in ns since the exec
 * ("-" for a last line that never ended).
 */
#include <stdbool.h>
#include <string.h>

#include "formats.h"
#include "framing.h"

#define MAGIC "#bootlog-capture "

/* Reads a decimal number of ns at s[*i], or "-" (BL_NONE). */
static int read_ns(const char *s, size_t len, size_t *i, int64_t *ns)
{
    size_t start = *i;
    int64_t v = 0;
    if (*i < len && s[*i] == '-') {
        (*i)++;
        *ns = BL_NONE;
        return 0;
    }
    while (*i < len && s[*i] >= '0' && s[*i] <= '9' && *i - start < 18)
        v = v * 10 + (s[(*i)++] - '0');
    if (*i == start)
        return -1;
    *ns = v;
    return 0;
}

static int probe(const char *head, size_t len)
{
    return len >= sizeof(MAGIC) - 1 && memcmp(head, MAGIC, sizeof(MAGIC) - 1) == 0 ? 100 : 0;
}

static void peel(struct bl_frame *frame, const char **text, size_t *len)
{
    const char *s = *text;
    size_t n = *len, i = 2;
    int64_t first, end;

    if (n > 0 && s[0] == '#') {
        frame->meta = true;
        return;
    }
    if (n < 6 || (s[0] != 'C' && s[0] != 'F') || s[1] != ' ' || read_ns(s, n, &i, &first) < 0 ||
        i >= n || s[i++] != ' ' || read_ns(s, n, &i, &end) < 0 || (i < n && s[i] != ' '))
        return;     /* not a capture line: kept as it is */
    if (i < n)
        i++;
    frame->host_ns = first;
    frame->host_end_ns = end;
    if (s[0] == 'F')
        frame->stream = BL_STREAM_FIRMWARE;
    *text = s + i;
    *len = n - i;
}

const char *const bl_run_keys[BL_RUN_KEYS] = {
    "wall_ns", "exit_status", "exit_signal", "timed_out", "peak_rss_kib", "user_us", "system_us",
    "series", "round",   /* an interleaved capture (capture --config): its start, the run's round */
    "started_us",        /* the exec, us since the epoch: runs that overlapped competed for the host */
};

/* A "#run" line's words: key=value, "-" a value not known, unknown keys
 * skipped (a newer bootlog's). Returns NULL, or why it cannot be read. */
static const char *read_run(const char *s, size_t n, int64_t *run)
{
    for (int i = 0; i < BL_RUN_KEYS; i++)
        run[i] = BL_NONE;
    for (size_t at = 0; at < n;) {
        while (at < n && s[at] == ' ')
            at++;
        size_t w = at;
        while (w < n && s[w] != ' ')
            w++;
        const char *eq = memchr(s + at, '=', w - at);
        if (at == w)
            break;
        if (!eq)
            return "bad metadata word";
        size_t klen = (size_t)(eq - (s + at)), vlen = w - at - klen - 1;
        int64_t v = 0;
        bool known = vlen > 0 && vlen <= 18, neg = vlen > 0 && eq[1] == '-';
        for (size_t i = neg; known && i < vlen; i++)
            known = eq[1 + i] >= '0' && eq[1 + i] <= '9' && (v = v * 10 + (eq[1 + i] - '0'), true);
        known &= !(neg && vlen == 1);
        if (!known && !(vlen == 1 && eq[1] == '-'))
            return "bad metadata value";
        for (int i = 0; i < BL_RUN_KEYS; i++)
            if (strlen(bl_run_keys[i]) == klen && memcmp(s + at, bl_run_keys[i], klen) == 0)
                run[i] = known ? (neg ? -v : v) : BL_NONE;
        at = w;
    }
    return NULL;
}

bool bl_capture_guest_clock(const char *command, size_t len)
{
    /* the argument itself, not a word that contains it */
    static const char arg[] = " -icount";
    size_t n = sizeof(arg) - 1;
    for (size_t i = 0; command && i + n <= len; i++)
        if (memcmp(command + i, arg, n) == 0 && (i + n == len || command[i + n] == ' '))
            return true;
    return false;
}

int bl_capture_meta(const char *s, size_t len, struct bl_fact *f)
{
    if (len >= 9 && memcmp(s, "#command ", 9) == 0) {
        f->kind = BL_FACT_COMMAND;
        return 0;
    }
    if (len < 5 || memcmp(s, "#run ", 5) != 0)
        return -1;
    f->kind = BL_FACT_RUN;
    f->str = read_run(s + 5, len - 5, f->run);
    return 0;
}

const struct bl_format bl_format_capture = {
    .name = "capture",
    .summary = "a run saved by bootlog capture --save (console and firmware, both stamps)",
    .stream = BL_STREAM_CONSOLE,
    .arrivals = true,
    .probe = probe,
    .peel = peel,
};
