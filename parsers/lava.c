/*
 * lava.c: a LAVA job log (the console of most kernel CI labs: KernelCI,
 * LKFT), one YAML flow mapping a line:
 *   - {"dt": "2024-05-01T10:00:00.123456", "lvl": "target", "msg": "[    0.000000] Linux version ..."}
 *   - {"dt": "2024-05-01T10:00:00.123456+00:00", "lvl": "info", "msg": "start: 2 uboot-action"}
 * "target" lines are the board's console: their message is read like any
 * console text, with the stamp as host time. LAVA stamps a line when it
 * processes the chunk (up to 4 KiB) it came in, so several lines share a
 * stamp: coarse, no arrival time. The other levels (info, debug, input,
 * results, feedback, ...) are the dispatcher's own: kept as the file's
 * metadata, not console output.
 */
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "framing.h"

#define HEAD "- {\"dt\": \""

/* The value of `"key": "` at s (a JSON string), unescaped into frame's
 * scratch when out is not NULL; returns the bytes up to its closing quote
 * + 1, 0 if the key is not there. */
static size_t string_field(const char *s, size_t len, const char *key, struct bl_frame *frame,
                           const char **out, size_t *out_len)
{
    size_t k = strlen(key), i = 0, o = 0;
    if (len < k + 5 || s[0] != '"' || memcmp(s + 1, key, k) != 0 || memcmp(s + 1 + k, "\": \"", 4) != 0)
        return 0;
    i = k + 5;
    if (out) {
        if (frame->scratch_cap < len + 1) {
            char *buf = realloc(frame->scratch, len + 1);
            if (!buf)
                abort();   /* like every parser allocation: fatal */
            frame->scratch = buf;
            frame->scratch_cap = len + 1;
        }
    }
    for (; i < len && s[i] != '"'; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < len) {
            char e = s[++i];
            if (e == 'u' && i + 4 < len) {
                unsigned v = 0;
                for (int d = 1; d <= 4; d++) {
                    char h = s[i + d];
                    v = v * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
                }
                i += 4;
                /* to UTF-8 (surrogates kept as they come: logs rarely hold them) */
                if (out && v < 0x80) {
                    frame->scratch[o++] = (char)v;
                } else if (out && v < 0x800) {
                    frame->scratch[o++] = (char)(0xc0 | (v >> 6));
                    frame->scratch[o++] = (char)(0x80 | (v & 0x3f));
                } else if (out) {
                    frame->scratch[o++] = (char)(0xe0 | (v >> 12));
                    frame->scratch[o++] = (char)(0x80 | ((v >> 6) & 0x3f));
                    frame->scratch[o++] = (char)(0x80 | (v & 0x3f));
                }
                continue;
            }
            c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e;
        }
        if (out)
            frame->scratch[o++] = c;
    }
    if (i >= len)
        return 0;
    if (out) {
        *out = frame->scratch;
        *out_len = o;
    }
    return i + 1;
}

static int is_record(const char *line, size_t n)
{
    return n > sizeof(HEAD) && memcmp(line, HEAD, sizeof(HEAD) - 1) == 0;
}

static int probe(const char *head, size_t len)
{
    return bl_probe_share(head, len, is_record) >= 50 ? 95 : 0;
}

static void peel(struct bl_frame *frame, const char **text, size_t *len)
{
    const char *s = *text, *q, *lvl, *msg;
    size_t n = *len, i = sizeof(HEAD) - 1, used, lvl_len, msg_len;
    char stamp[64];
    int64_t ns;

    if (!is_record(s, n) || !(q = memchr(s + i, '"', n - i)) || (size_t)(q - (s + i)) >= sizeof(stamp))
        return;
    size_t sl = (size_t)(q - (s + i));
    memcpy(stamp, s + i, sl);
    if (bl_peel_wallclock(stamp, sl, &ns) != sl)
        return;
    i += sl + 1;
    if (i + 2 >= n || s[i] != ',' || s[i + 1] != ' ')
        return;
    i += 2;
    if ((used = string_field(s + i, n - i, "lvl", NULL, NULL, NULL)) == 0)
        return;
    lvl = s + i + 8;                 /* after "lvl": " */
    lvl_len = used - 9;
    i += used;
    if (i + 2 < n && s[i] == ',' && s[i + 1] == ' ')
        i += 2;
    if (frame->base_ns == BL_NONE)
        frame->base_ns = ns;
    frame->host_ns = ns - frame->base_ns;
    frame->coarse = true;
    if (lvl_len == 6 && memcmp(lvl, "target", 6) == 0 &&
        string_field(s + i, n - i, "msg", frame, &msg, &msg_len) > 0) {
        /* a board's line ends with its CR, kept by LAVA: not the message */
        while (msg_len > 0 && (msg[msg_len - 1] == '\r' || msg[msg_len - 1] == '\n'))
            msg_len--;
        *text = msg;
        *len = msg_len;
        return;
    }
    frame->meta = true;     /* the dispatcher's own message */
}

const struct bl_format bl_format_lava = {
    .name = "lava",
    .summary = "LAVA job log \"- {\\\"dt\\\": ..., \\\"lvl\\\": \\\"target\\\", \\\"msg\\\": ...}\" (KernelCI, LKFT)",
    .stream = BL_STREAM_CONSOLE,
    .probe = probe,
    .peel = peel,
};
