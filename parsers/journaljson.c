/*
 * journaljson.c: the journal exported by `journalctl -o json` (or
 * `-k -o json`), one JSON object a line:
 *   {"__CURSOR":"s=...","__REALTIME_TIMESTAMP":"1709722703123456",
 *    "_TRANSPORT":"kernel","PRIORITY":"6","_SOURCE_MONOTONIC_TIMESTAMP":"198788",
 *    "MESSAGE":"calling  con_init+0x0/0x22c @ 0",...}
 * A kernel entry's _SOURCE_MONOTONIC_TIMESTAMP is its printk time in us;
 * __REALTIME_TIMESTAMP is when journald stored it (a coarse host stamp).
 * Other programs' entries keep their MESSAGE as text. A MESSAGE journald
 * stored as an array of bytes (not UTF-8) stays the raw line.
 */
#include <stdint.h>
#include <string.h>

#include "formats.h"
#include "framing.h"

static int is_entry(const char *line, size_t n)
{
    return n > 2 && line[0] == '{' && bl_json_find(line, n, "__REALTIME_TIMESTAMP") != NULL;
}

static int probe(const char *head, size_t len)
{
    return bl_probe_share(head, len, is_entry) >= 50 ? 95 : 0;
}

/* A JSON string of decimal digits ("198788"): its value, or BL_NONE. */
static int64_t number_field(const char *s, size_t n, const char *key)
{
    const char *v = bl_json_find(s, n, key);
    int64_t x = 0;
    if (!v || *v != '"')
        return BL_NONE;
    const char *end = s + n;
    size_t digits = 0;
    for (v++; v < end && *v >= '0' && *v <= '9' && digits < 18; v++, digits++)
        x = x * 10 + (*v - '0');
    return digits > 0 && v < end && *v == '"' ? x : BL_NONE;
}

static void peel(struct bl_frame *frame, const char **text, size_t *len)
{
    const char *s = *text, *v, *msg;
    size_t n = *len, msg_len;
    if (!is_entry(s, n))
        return;
    int64_t real_us = number_field(s, n, "__REALTIME_TIMESTAMP");
    if (real_us > INT64_MAX / 1000)
        real_us = BL_NONE;      /* after 2262: not a date whose ns fit */
    int64_t mono_us = number_field(s, n, "_SOURCE_MONOTONIC_TIMESTAMP");
    const char *transport = bl_json_find(s, n, "_TRANSPORT");
    bool kernel = transport && (size_t)(s + n - transport) > 8 && memcmp(transport, "\"kernel\"", 8) == 0;
    if (real_us != BL_NONE) {
        if (frame->base_ns == BL_NONE)
            frame->base_ns = real_us * 1000;
        frame->host_ns = real_us * 1000 - frame->base_ns;
        frame->coarse = true;    /* when journald stored it */
    }
    if (kernel && mono_us != BL_NONE) {
        int64_t level = number_field(s, n, "PRIORITY");
        frame->printk_us = mono_us;
        frame->level = level >= 0 && level <= 7 ? (int)level : -1;
    }
    if ((v = bl_json_find(s, n, "MESSAGE")) && bl_json_read_string(v, n - (size_t)(v - s), frame, &msg, &msg_len) > 0) {
        *text = msg;
        *len = msg_len;
    }
}

const struct bl_format bl_format_journaljson = {
    .name = "journaljson",
    .summary = "journalctl -o json: one entry a line, printk time from _SOURCE_MONOTONIC_TIMESTAMP",
    .stream = BL_STREAM_CONSOLE,
    .probe = probe,
    .peel = peel,
};
