/*
 * kmsg.c: records as /dev/kmsg gives them (and `dmesg -x --raw` in some
 * tools, systemd's kmsg dumps): "PRIO,SEQ,USEC,FLAGS[,...];message", with
 * dictionary continuation lines that start with a space
 * (Documentation/ABI/testing/dev-kmsg):
 *   6,339,5140900,-;NET: Registered protocol family 10
 *    SUBSYSTEM=net
 */
#include <string.h>

#include "formats.h"
#include "framing.h"

/* Parses "PRIO,SEQ,USEC,FLAGS...;" and returns the bytes taken (0 if the
 * line is not a record). */
static size_t record_prefix(const char *s, size_t len, int *level, int64_t *usec)
{
    int64_t v[3] = { 0, 0, 0 };
    size_t i = 0;
    for (int f = 0; f < 3; f++) {
        size_t start = i;
        while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 18)
            v[f] = v[f] * 10 + (s[i++] - '0');
        if (i == start || i >= len || s[i] != ',')
            return 0;
        i++;
    }
    const char *semi = memchr(s + i, ';', len - i);
    if (!semi || semi - (s + i) > 32)
        return 0;
    *level = (int)(v[0] & 7);
    *usec = v[2];
    return (size_t)(semi - s) + 1;
}

static int is_record(const char *line, size_t n)
{
    int level;
    int64_t usec;
    return record_prefix(line, n, &level, &usec) > 0;
}

static int is_record_or_dictionary(const char *line, size_t n)
{
    return is_record(line, n) || (n > 0 && line[0] == ' ');
}

static int probe(const char *head, size_t len)
{
    /* dictionary lines alone are any indented text (a cbmem -t table) */
    int share = bl_probe_share(head, len, is_record_or_dictionary);
    return share >= 80 && bl_probe_any(head, len, is_record) ? 95 : 0;
}

static void peel(struct bl_frame *frame, const char **text, size_t *len)
{
    int level;
    int64_t usec;
    size_t taken = record_prefix(*text, *len, &level, &usec);
    if (taken == 0) {
        frame->continuation = *len > 0 && (*text)[0] == ' ';
        return;
    }
    frame->printk_us = usec;
    frame->level = level;
    *text += taken;
    *len -= taken;
}

const struct bl_format bl_format_kmsg = {
    .name = "kmsg",
    .summary = "/dev/kmsg records \"6,339,5140900,-;message\"",
    .stream = BL_STREAM_CONSOLE,
    .probe = probe,
    .peel = peel,
};
