/*
 * grabserial.c: serial console captured with host stamps, grabserial's
 * "[absolute delta] text" (seconds since the capture started):
 *   [0.855600 0.855600] [    0.000000] Linux version 6.1.0-56-cloud-amd64 ...
 *   [2.527838 0.091374] init: userspace reached
 * The inner text is parsed like any other (printk prefix, recognizers).
 */
#include "formats.h"
#include "framing.h"

static int has_stamp(const char *line, size_t n)
{
    int64_t ns;
    return bl_peel_grabserial(line, n, &ns) > 0;
}

static int probe(const char *head, size_t len)
{
    int share = bl_probe_share(head, len, has_stamp);
    return share >= 50 ? 60 + share * 3 / 10 : 0;
}

void bl_peel_grabserial_frame(struct bl_frame *frame, const char **text, size_t *len)
{
    int64_t ns;
    size_t taken = bl_peel_grabserial(*text, *len, &ns);
    if (taken > 0) {
        frame->host_ns = ns;
        *text += taken;
        *len -= taken;
    }
}

const struct bl_format bl_format_grabserial = {
    .name = "grabserial",
    .summary = "console with grabserial host stamps \"[abs delta] text\"",
    .stream = BL_STREAM_CONSOLE,
    .probe = probe,
    .peel = bl_peel_grabserial_frame,
};
