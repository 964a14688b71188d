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
#include "recognize.h"

static int has_printk(const char *line, size_t n)
{
    struct bl_printk pk;
    return bl_peel_printk(line, n, &pk) > 0 && pk.printk_us != BL_NONE;
}

/* A bootloader's banner (U-Boot, TF-A, OpenSBI, ...). */
static int has_banner(const char *line, size_t n)
{
    struct bl_rec rec;
    enum bl_rec_kind k = bl_recognize(line, n, &rec);
    return k == BL_REC_FIRMWARE_BANNER || k == BL_REC_FIRMWARE_VERSION;
}

/* Most of the first lines stamped: a kernel log. Stamped lines further on,
 * or a bootloader's banner: a console with a bootloader in front (its
 * kernel lines may come after a few hundred bootloader lines). */
static int probe(const char *head, size_t len)
{
    int share = bl_probe_share(head, len, has_printk);
    if (share >= 10)
        return 40 + share * 4 / 10;
    if (bl_probe_any(head, len, has_printk))
        return 30;
    return bl_probe_any(head, len, has_banner) ? 20 : 0;
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
