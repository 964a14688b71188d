/*
 * libguestfs.c: libguestfs boot-analysis event dumps, one event a line,
 * nanoseconds since the appliance was launched, the message quoted:
 *   #277: +416560057 [appliance] "[ 0.000000] e820: BIOS-provided physical RAM map:"
 * The message is unquoted (C-style escapes) and parsed like console text.
 */
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "framing.h"

/* Parses "#N: +NS [source] " and returns the bytes taken (0 if it is not
 * such a line); *ns gets NS. The quoted message follows. */
static size_t event_prefix(const char *s, size_t len, int64_t *ns)
{
    size_t i = 1;
    int64_t v = 0;

    if (len < 8 || s[0] != '#')
        return 0;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    if (i == 1 || i + 3 > len || memcmp(s + i, ": +", 3) != 0)
        return 0;
    i += 3;
    size_t digits = i;
    while (i < len && s[i] >= '0' && s[i] <= '9' && i - digits < 18)
        v = v * 10 + (s[i++] - '0');
    if (i == digits || i + 2 > len || memcmp(s + i, " [", 2) != 0)
        return 0;
    const char *close = memchr(s + i, ']', len - i);
    if (!close)
        return 0;
    i = (size_t)(close - s) + 1;
    if (i < len && s[i] == ' ')
        i++;
    *ns = v;
    return i;
}

static int is_event(const char *line, size_t n)
{
    int64_t ns;
    return event_prefix(line, n, &ns) > 0;
}

static int probe(const char *head, size_t len)
{
    int share = bl_probe_share(head, len, is_event);
    return share >= 50 ? 95 : 0;
}

/* Unescapes "..." into frame->scratch; leaves text as it is if it is not
 * quoted. */
static void unquote(struct bl_frame *frame, const char **text, size_t *len)
{
    const char *s = *text;
    size_t n = *len;
    if (n < 2 || s[0] != '"' || s[n - 1] != '"')
        return;
    s++;
    n -= 2;
    if (frame->scratch_cap < n + 1) {
        char *buf = realloc(frame->scratch, n + 1);
        if (!buf)
            return;     /* keep the quoted text rather than lose it */
        frame->scratch = buf;
        frame->scratch_cap = n + 1;
    }
    size_t used;
    *len = bl_unescape(s, n, 0, frame->scratch, &used);
    *text = frame->scratch;
}

static void peel(struct bl_frame *frame, const char **text, size_t *len)
{
    int64_t ns;
    size_t taken = event_prefix(*text, *len, &ns);
    if (taken == 0)
        return;
    frame->host_ns = ns;
    *text += taken;
    *len -= taken;
    unquote(frame, text, len);
}

const struct bl_format bl_format_libguestfs = {
    .name = "libguestfs",
    .summary = "libguestfs boot-analysis events \"#N: +NS [source] \\\"message\\\"\"",
    .stream = BL_STREAM_CONSOLE,
    .arrivals = true,
    .probe = probe,
    .peel = peel,
};
