/*
 * dmesg.c: the kernel's log as `dmesg` prints it, or a console capture
 * without host stamps:
 *   [    0.000000] Linux version 6.1.0-56-cloud-amd64 ...
 *   <6>[    1.784397][    T1] Run /init as init process
 * The printk prefix is peeled by the parser core for every format, so this
 * format has no framing of its own.
 */
#include "formats.h"
#include "framing.h"

static int has_printk(const char *line, size_t n)
{
    struct bl_printk pk;
    return bl_peel_printk(line, n, &pk) > 0 && pk.printk_us != BL_NONE;
}

static int probe(const char *head, size_t len)
{
    int share = bl_probe_share(head, len, has_printk);
    return share >= 10 ? 40 + share * 4 / 10 : 0;
}

static void peel(struct bl_frame *frame, const char **text, size_t *len)
{
    (void)frame, (void)text, (void)len;
}

const struct bl_format bl_format_dmesg = {
    .name = "dmesg",
    .summary = "kernel log with printk timestamps: dmesg, or a console capture",
    .stream = BL_STREAM_CONSOLE,
    .probe = probe,
    .peel = peel,
};
