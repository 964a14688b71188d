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
    int64_t abs_ns, delta_ns;
    return bl_peel_grabserial(line, n, &abs_ns, &delta_ns) > 0;
}

static int probe(const char *head, size_t len)
{
    int share = bl_probe_share(head, len, has_stamp);
    return share >= 50 ? 85 + share / 20 : 0;
}

/* grabserial -m restarts the absolute time at 0 when a pattern is seen
 * ("Starting kernel ..."): the stamps then go backwards. The delta column
 * still counts from the previous line, so the host clock carries on from
 * there: base_ns is what is added to the absolute time after a reset. */
void bl_peel_grabserial_frame(struct bl_frame *frame, const char **text, size_t *len)
{
    int64_t abs_ns, delta_ns;
    size_t taken = bl_peel_grabserial(*text, *len, &abs_ns, &delta_ns);
    if (taken == 0)
        return;
    if (frame->base_ns == BL_NONE)
        frame->base_ns = 0;
    if (frame->last_abs_ns != BL_NONE && abs_ns < frame->last_abs_ns &&
        frame->last_host_ns != BL_NONE)
        frame->base_ns = frame->last_host_ns + delta_ns - abs_ns;
    frame->last_abs_ns = abs_ns;
    frame->host_ns = abs_ns + frame->base_ns;
    *text += taken;
    *len -= taken;
}

const struct bl_format bl_format_grabserial = {
    .name = "grabserial",
    .summary = "console with grabserial host stamps \"[abs delta] text\"",
    .stream = BL_STREAM_CONSOLE,
    .arrivals = true,
    .probe = probe,
    .peel = bl_peel_grabserial_frame,
};
