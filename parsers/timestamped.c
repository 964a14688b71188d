/*
 * timestamped.c: a console captured with wall-clock stamps on every line,
 * as conserver, ser2net, moreutils' ts, minicom or picocom with timestamps
 * write them, bracketed or bare, ISO 8601 or with a space:
 *   [2016-10-22 16:07:10] |dff57000| AHCI/1: probing
 *   2024-03-01T12:00:00.123456Z [    0.000000] Linux version 6.6.0 ...
 * Host time 0 is the first stamp of the file.
 */
#include "formats.h"
#include "framing.h"

static int has_stamp(const char *line, size_t n)
{
    int64_t ns;
    return bl_peel_wallclock(line, n, &ns) > 0;
}

static int probe(const char *head, size_t len)
{
    int share = bl_probe_share(head, len, has_stamp);
    return share >= 50 ? 85 : 0;
}

static void peel(struct bl_frame *frame, const char **text, size_t *len)
{
    int64_t ns;
    size_t taken = bl_peel_wallclock(*text, *len, &ns);
    if (taken == 0)
        return;
    if (frame->base_ns == BL_NONE)
        frame->base_ns = ns;
    frame->host_ns = ns - frame->base_ns;
    /* whole seconds (syslog, ts by default): when a program wrote it */
    frame->coarse = bl_wallclock_coarse(*text, taken);
    *text += taken;
    *len -= taken;
}

const struct bl_format bl_format_timestamped = {
    .name = "timestamped",
    .summary = "console with wall-clock stamps \"[2016-10-22 16:07:10] text\" (conserver, ts, minicom)",
    .stream = BL_STREAM_CONSOLE,
    .probe = probe,
    .peel = peel,
};
