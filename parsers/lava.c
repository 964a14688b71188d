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
    const char *s = *text, *q, *lvl, *msg, *v;
    size_t n = *len, i = sizeof(HEAD) - 1, lvl_len, msg_len;
    char stamp[64];
    int64_t ns;

    if (!is_record(s, n) || !(q = memchr(s + i, '"', n - i)) || (size_t)(q - (s + i)) >= sizeof(stamp))
        return;
    size_t sl = (size_t)(q - (s + i));
    memcpy(stamp, s + i, sl);
    if (bl_peel_wallclock(stamp, sl, &ns) != sl)
        return;
    if (!(v = bl_json_find(s, n, "lvl")) || bl_json_read_string(v, n - (size_t)(v - s), frame, &lvl, &lvl_len) == 0)
        return;
    bool target = lvl_len == 6 && memcmp(lvl, "target", 6) == 0;
    if (frame->base_ns == BL_NONE)
        frame->base_ns = ns;
    frame->host_ns = ns - frame->base_ns;
    frame->coarse = true;
    if (target && (v = bl_json_find(s, n, "msg")) &&
        bl_json_read_string(v, n - (size_t)(v - s), frame, &msg, &msg_len) > 0) {
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
