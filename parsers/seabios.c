/*
 * seabios.c: SeaBIOS debug output (qemu's isa-debugcon port 0x402, or a
 * serial port), bare or with grabserial host stamps:
 *   [0.108218 0.108218] SeaBIOS (version 1.16.2-debian-1.16.2-1)
 *   [0.173380 0.000083] Booting from cb00:0054
 * Its lines go to the firmware stream.
 */
#include <string.h>

#include "formats.h"
#include "framing.h"

static int is_banner(const char *line, size_t n)
{
    static const char banner[] = "SeaBIOS (version ";
    int64_t ns;
    size_t taken = bl_peel_grabserial(line, n, &ns);
    line += taken;
    n -= taken;
    return n >= sizeof(banner) - 1 && memcmp(line, banner, sizeof(banner) - 1) == 0;
}

/* SeaBIOS prints its banner first; a log whose first lines have it and no
 * printk stamps is SeaBIOS output (a console that shows SeaBIOS before the
 * kernel has printk lines among its first 50). */
static int probe(const char *head, size_t len)
{
    if (bl_probe_share(head, len, is_banner) == 0)
        return 0;
    return bl_format_dmesg.probe(head, len) > 0 ? 0 : 95;
}

const struct bl_format bl_format_seabios = {
    .name = "seabios",
    .summary = "SeaBIOS debug output, bare or with grabserial stamps (firmware stream)",
    .stream = BL_STREAM_FIRMWARE,
    .probe = probe,
    .peel = bl_peel_grabserial_frame,
};
