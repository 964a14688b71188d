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

/* The message of a line, with a grabserial stamp peeled off if it has one. */
static void inner(const char **line, size_t *n)
{
    int64_t abs_ns, delta_ns;
    size_t taken = bl_peel_grabserial(*line, *n, &abs_ns, &delta_ns);
    *line += taken;
    *n -= taken;
}

static int is_banner(const char *line, size_t n)
{
    static const char banner[] = "SeaBIOS (version ";
    inner(&line, &n);
    return n >= sizeof(banner) - 1 && memcmp(line, banner, sizeof(banner) - 1) == 0;
}

static int is_kernel(const char *line, size_t n)
{
    struct bl_printk pk;
    inner(&line, &n);
    return bl_peel_printk(line, n, &pk) > 0 && pk.printk_us != BL_NONE;
}

/* SeaBIOS prints its banner first. A log that starts with it and has no
 * kernel line in its first chunk is SeaBIOS output; a console on which
 * SeaBIOS precedes the kernel is a console. */
static int probe(const char *head, size_t len)
{
    if (bl_probe_share(head, len, is_banner) == 0 || bl_probe_any(head, len, is_kernel))
        return 0;
    return 95;
}

const struct bl_format bl_format_seabios = {
    .name = "seabios",
    .summary = "SeaBIOS debug output, bare or with grabserial stamps (firmware stream)",
    .stream = BL_STREAM_FIRMWARE,
    .arrivals = true,
    .probe = probe,
    .peel = bl_peel_grabserial_frame,
};
