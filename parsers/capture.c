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

const struct bl_format bl_format_capture = {
    .name = "capture",
    .summary = "a run saved by bootlog capture --save (console and firmware, both stamps)",
    .stream = BL_STREAM_CONSOLE,
    .probe = probe,
    .peel = peel,
};
